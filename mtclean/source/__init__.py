"""Source-aware checking: compare an English translation with its Chinese source.

`align` pairs target and source segments (line or paragraph mode), `zhnum` and `ennum`
read numbers on each side, and one module per check family (numbers, untranslated,
names, entities, punctuation, length) registers built-in checks that the rules in
rules/source.yaml run. Without a source the checks find nothing, so monolingual output
is unchanged.
"""

from __future__ import annotations

from .align import Alignment, attach, pair_texts

__all__ = ["Alignment", "attach", "pair_texts"]
