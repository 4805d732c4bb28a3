"""Batch cleaning of NLP corpora: streaming, ordered, parallel (processes or Dask), resumable.

The Python API mirrors the command line: `clean_records` cleans an iterable of records in
this process, `clean_bag` maps the same per-record pipeline over a `dask.bag`.
"""

from __future__ import annotations

from .pipeline import Settings, clean_records
from .dask_runner import clean_bag

__all__ = ["Settings", "clean_records", "clean_bag"]
