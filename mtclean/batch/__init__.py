"""Batch cleaning of NLP corpora: streaming, ordered, parallel (processes or Dask), resumable.

The Python API mirrors the command line: `clean_records` cleans an iterable of records in
this process, `clean_bag` maps the same per-record pipeline over a `dask.bag`.
"""

from __future__ import annotations

from .pipeline import Settings, clean_records

__all__ = ["Settings", "clean_records", "clean_bag"]


def __getattr__(name: str):
    """`clean_bag` on first use: its module imports asyncio (~30 ms), which a local
    `mtclean batch` run never needs."""
    if name == "clean_bag":
        from .dask_runner import clean_bag
        return clean_bag
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
