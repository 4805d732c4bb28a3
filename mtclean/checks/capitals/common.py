"""Which capitalized words are common words: dictionary and frequency tests shared by the
two capitals rules (CAP001 flags such a word in mid-sentence, CAP002 lowercases it in a
Title Case sentence)."""

from __future__ import annotations

from functools import lru_cache

from ...lexicon.wordlists import (BRANDS_AND_TITLES, CHINESE_SURNAMES, COMPASS, FUNCTION_WORDS,
                                  INSTITUTION_WORDS, MONTHS_AND_DAYS, PLACE_WORDS,
                                  PROPER_ADJECTIVES, TITLES, common_word, known_place,
                                  known_word, proper_in_dictionary, zipf)

_PLAIN_FUNCTION = FUNCTION_WORDS - {"will", "may", "can", "might", "must"}  # not names
# Titles that are also everyday adjectives or nouns ("a Major problem", "the Chief reason"):
# before a name they are skipped anyway (a capital follows), so only the others are exempt.
_TITLE_WORDS_IN_COMMON_USE = frozenset("""
Major Chief Private Principal General Executive Master Elder Officer Agent Nurse Chef Coach
Doctor Judge Justice Advocate Delegate Envoy Founder Crown Comrade Representative Deputy
""".split())
_NEVER = ((TITLES - _TITLE_WORDS_IN_COMMON_USE) | INSTITUTION_WORDS | COMPASS | PROPER_ADJECTIVES | MONTHS_AND_DAYS
          | PLACE_WORDS | CHINESE_SURNAMES | BRANDS_AND_TITLES)


@lru_cache(maxsize=65536)
def common(word: str, min_zipf: float, strict: bool = True) -> bool:
    """True for a frequent dictionary word that is not a name, title or proper adjective.

    `strict` asks for a word both dictionaries know; otherwise one of them is enough.
    """
    if word in _NEVER or known_place(word):
        return False
    if word.endswith("s") and (word[:-1] in PROPER_ADJECTIVES or word[:-2] in PROPER_ADJECTIVES):
        return False  # "Poles", "Americans", "Swisses"
    low = word.lower()
    return zipf(low) >= min_zipf and (common_word(low) if strict else known_word(low))


def needs_lowercase_use(word: str, min_zipf: float) -> bool:
    """A word the dictionary also lists as a name ("Will", "Urban", "Turkey") or a rarer
    word (below `min_zipf`, or in one dictionary only: "Plenum", "Marl") is flagged only
    when the document also uses it in lowercase."""
    return (proper_in_dictionary(word) and word.lower() not in _PLAIN_FUNCTION
            or not common(word, min_zipf))


_STATUS_TABLES: dict[tuple[float, float], dict[str, int]] = {}


def status_table(rare_zipf: float, min_zipf: float) -> dict[str, int]:
    """Memo of `word_status` in a plain dict: it runs on every candidate of every
    segment, where a dict lookup costs a fraction of an lru_cache call. Cleared when it
    grows past the lru_cache's size."""
    table = _STATUS_TABLES.setdefault((rare_zipf, min_zipf), {})
    if len(table) > 65536:
        table.clear()
    return table


# Institution words that head a name ("the Belt and Road Initiative", "the Dingdong Online
# Program") but rarely stand for one alone the way "the Ministry" or "the Party" do: alone
# after a lowercase word ("the recruitment Plan can…") one is a spurious capital when the
# document also writes it in lowercase, and the document does not capitalize it elsewhere.
_HEADS_OF_NAMES = frozenset("Plan Program Programme Project Initiative Strategy Team Movement".split())


def word_status(word: str, rare_zipf: float, min_zipf: float) -> int:
    """0: never a spurious capital; 1: a common word; 2: one that needs lowercase use."""
    if word in _HEADS_OF_NAMES:
        return 2
    if not common(word, rare_zipf, strict=False):
        return 0
    return 2 if needs_lowercase_use(word, min_zipf) else 1
