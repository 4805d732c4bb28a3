"""The per-record quality score used to filter corpora (`--drop-below`, `--keep-above`).

score = max(0, 100 - 10 * penalty per 100 words), rounded to one decimal, where
penalty = sum of severity weights (error 1.0, warning 0.5, info 0.2) of the findings that
remain after cleaning, plus a quarter of that weight for each finding that was fixed (a
segment that needed many repairs is likely a weak translation even once repaired).
Word counts below 10 count as 10, so one slip in a short title does not sink it.
So 100 means no finding; one remaining error per 100 words costs 10 points.

Text left untranslated (CJK005) is not a slip but missing content, and whitespace-split
word counts undercount Chinese: such a record is worth at most the share of its
characters that is not untranslated (an all-Chinese record scores 0, a record half
untranslated at most 50).
"""

from __future__ import annotations

SEVERITY_WEIGHT = {"error": 1.0, "warning": 0.5, "info": 0.2}
FIXED_FACTOR = 0.25
MIN_WORDS = 10
PERFECT = 100.0  # the score of a record with no finding, fixed or not
UNTRANSLATED_RULES = frozenset({"CJK005"})  # findings whose span is text nobody translated


def untranslated_share(findings, length: int) -> float:
    """Share of a record's `length` characters inside untranslated-text findings."""
    if length <= 0:
        return 0.0
    chars = sum(f.end - f.start for f in findings if f.rule in UNTRANSLATED_RULES)
    return min(1.0, chars / length)


def quality(words: int, remaining_severities, fixed_severities, untranslated: float = 0.0) -> float:
    """Return the 0-100 score of one record (`untranslated`: see `untranslated_share`)."""
    penalty = sum(SEVERITY_WEIGHT.get(s, 0.5) for s in remaining_severities)
    penalty += FIXED_FACTOR * sum(SEVERITY_WEIGHT.get(s, 0.5) for s in fixed_severities)
    density = 100.0 * penalty / max(words, MIN_WORDS)
    value = max(0.0, 100.0 - 10.0 * density)
    return round(min(value, PERFECT * (1.0 - untranslated)), 1)
