"""The per-record quality score used to filter corpora (`--drop-below`, `--keep-above`).

score = max(0, 100 - 10 * penalty per 100 words), rounded to one decimal, where
penalty = sum of severity weights (error 1.0, warning 0.5, info 0.2) of the findings that
remain after cleaning, plus a quarter of that weight for each finding that was fixed (a
segment that needed many repairs is likely a weak translation even once repaired).
Word counts below 10 count as 10, so one slip in a short title does not sink it.
So 100 means no finding; one remaining error per 100 words costs 10 points.
"""

from __future__ import annotations

SEVERITY_WEIGHT = {"error": 1.0, "warning": 0.5, "info": 0.2}
FIXED_FACTOR = 0.25
MIN_WORDS = 10
PERFECT = 100.0  # the score of a record with no finding, fixed or not


def quality(words: int, remaining_severities, fixed_severities) -> float:
    """Return the 0-100 score of one record."""
    penalty = sum(SEVERITY_WEIGHT.get(s, 0.5) for s in remaining_severities)
    penalty += FIXED_FACTOR * sum(SEVERITY_WEIGHT.get(s, 0.5) for s in fixed_severities)
    density = 100.0 * penalty / max(words, MIN_WORDS)
    return round(max(0.0, 100.0 - 10.0 * density), 1)
