"""The word lists the checks consult, as compact tries built once and cached on disk.

english-words' dictionaries and wordfreq's English frequencies take about 95 MB of
Python sets and dicts in every process that loads them, which is most of a batch
worker's memory. The same keys fit in marisa tries of about 2 MB that load in
milliseconds and are mapped from the file, so forked or separate workers share one
copy. They are built from the installed packages on first use and kept under
`MTCLEAN_CACHE_DIR` (else `$XDG_CACHE_HOME/mtclean`, else `~/.cache/mtclean`) in a
directory named after both packages' versions; a new version gets a fresh build.

Lookups answer exactly what the sets and `wordfreq.zipf_frequency` answer
(tests/test_wordstore.py compares them on the full lists).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..config import cache_root

FORMAT = 2  # bump when the files' layout or meaning changes
_FILES = ("web2.marisa", "gcide.marisa", "freq.marisa", "places.marisa")


def _version(dist: str) -> str:
    """The installed version of `dist`: from the name of its .dist-info directory beside
    the module when there is one (what importlib.metadata would read, without the 30
    modules it imports at every start), else from importlib.metadata."""
    mod = dist.replace("-", "_")
    spec = find_spec(mod)
    if spec is not None and spec.origin:
        for info in Path(spec.origin).parent.parent.glob(f"{mod}-*.dist-info"):
            return info.name[len(mod) + 1:-len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:  # installed without metadata: key on the module's file
        module = __import__(mod)
        return f"file-{int(Path(module.__file__).stat().st_mtime)}"


def store_dir() -> Path:
    key = (f"v{FORMAT}-english-words-{_version('english-words')}-wordfreq-{_version('wordfreq')}"
           f"-places-{zlib.crc32(PLACES.read_bytes()):08x}")
    return cache_root() / "words" / key


@dataclass
class Store:
    """The tries: web2 words as written, gcide words lowercased, each wordfreq English
    token with its frequency bucket (bucket i holds words at -i centibels), and one-word
    place names from GeoNames (countries, continents, US states, major cities)."""

    web2: marisa_trie.Trie
    gcide: marisa_trie.Trie
    buckets: marisa_trie.RecordTrie
    places: marisa_trie.Trie

    def bucket(self, token: str) -> int | None:
        found = self.buckets.get(token)
        return found[0][0] if found else None


def _build(target: Path) -> None:
    """Write the tries into `target` (a new directory)."""
    import marisa_trie
    import wordfreq
    from english_words import get_english_words_set

    target.mkdir(parents=True)
    marisa_trie.Trie(get_english_words_set(["web2"], alpha=True)).save(str(target / "web2.marisa"))
    gcide = {w.lower() for w in get_english_words_set(["gcide"], alpha=True)}
    marisa_trie.Trie(gcide).save(str(target / "gcide.marisa"))
    # Later buckets win, as in wordfreq.get_frequency_dict.
    bucket_of = {w: i for i, words in enumerate(wordfreq.get_frequency_list("en", "best")) for w in words}
    wordfreq.get_frequency_list.cache_clear()  # the lists are what this module saves memory on
    marisa_trie.RecordTrie("<H", ((w, (i,)) for w, i in bucket_of.items())).save(str(target / "freq.marisa"))
    marisa_trie.Trie(place_names()).save(str(target / "places.marisa"))
    sizes = {name: (target / name).stat().st_size for name in _FILES}
    (target / "manifest.json").write_text(json.dumps({"format": FORMAT, "sizes": sizes}))


PLACES = Path(__file__).resolve().parent.parent / "data" / "places.txt"


def place_names() -> set[str]:
    """One-word names of countries, continents, US states and major cities (GeoNames data,
    extracted by scripts/build-places into mtclean/data/places.txt)."""
    with PLACES.open(encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def _complete(d: Path) -> bool:
    """True when `d` holds every file at the size its manifest records (a truncated or
    half-copied cache is rebuilt, never read)."""
    try:
        sizes = json.loads((d / "manifest.json").read_text())["sizes"]
        return all((d / n).stat().st_size == sizes[n] for n in _FILES)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _open(d: Path, mmap: bool) -> Store:
    import marisa_trie  # imported on first lookup, so `mtclean rules` needs no word data

    tries = [marisa_trie.Trie(), marisa_trie.Trie(), marisa_trie.RecordTrie("<H"), marisa_trie.Trie()]
    for trie, name in zip(tries, _FILES):
        (trie.mmap if mmap else trie.load)(str(d / name))
    return Store(*tries)


@lru_cache(maxsize=1)
def store() -> Store:
    """The tries, from the cache (built there first when missing or damaged).

    Several processes may build at once: each writes its own temporary directory and
    renames it into place, so readers only ever see a complete one. Where the cache
    cannot be written, the tries are built in a temporary directory and read into memory.
    """
    final = store_dir()
    if _complete(final):
        return _open(final, mmap=True)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=final.parent))
    except OSError:
        return _build_private()
    try:
        _build(tmp / "words")
        if final.exists():  # damaged: replace it (a reader that mapped it keeps its copy)
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(tmp / "words", final)
        except OSError:
            if not _complete(final):  # not a concurrent build that won the race
                raise
    except OSError:
        return _build_private()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _open(final, mmap=True)


def _build_private() -> Store:
    with tempfile.TemporaryDirectory(prefix="mtclean-words-") as d:
        _build(Path(d) / "words")
        return _open(Path(d) / "words", mmap=False)


# Words that wordfreq's English tokenizer splits only at hyphens, into their case-folded
# parts: runs of Latin letters (ASCII, Latin-1, Latin Extended-A; not U+0149 "ŉ", which
# case-folds to "ʼn" and is then uncurled; not × and ÷) joined by hyphens, and one such run
# of three letters or more with a straight apostrophe inside ("spain's"; a shorter one
# before it is an elision wordfreq splits off: "l'État"). tests/test_wordstore.py holds
# this to wordfreq.
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u0148\u014a-\u017f"
_LATIN_WORD = re.compile(f"[{_LATIN}]+(?:-[{_LATIN}]+)*|[{_LATIN}]{{3,}}'[{_LATIN}]+")
_FLOOR = 1e-9  # wordfreq's zipf_to_freq(0.0): what zipf_frequency passes as the minimum


def _tokens(word: str) -> list[str] | None:
    """wordfreq's `lossy_tokenize(word, "en")` where it is plain to see (see _LATIN_WORD),
    without importing wordfreq (about 100-140 ms, most of a small check's or batch run's
    start-up); None for any other word."""
    if word.isascii() and word.isalpha():
        return [word.lower()]
    if _LATIN_WORD.fullmatch(word) is None:
        return None
    folded = word.casefold()
    return folded.split("-") if "-" in folded else [folded]


def word_frequency(word: str) -> float:
    """wordfreq's English `word_frequency(word, "en", minimum=1e-9)`, looked up in the
    trie: tokens are combined as 1/f = sum(1/f_i), digit runs share their bucket and
    take wordfreq's digit distribution, and the result keeps three significant digits."""
    floor = _FLOOR
    tokens = _tokens(word)
    if tokens is not None:  # no digits: each token's frequency is its bucket's (cB_to_freq)
        st = store()
        inverse = 0.0
        for token in tokens:
            b = st.bucket(token)
            if b is None:
                return floor
            inverse += 1.0 / 10 ** (-b / 100)
        freq = max(1.0 / inverse, floor)
        return round(freq, math.floor(-math.log(freq, 10)) + 3)
    from wordfreq import cB_to_freq
    from wordfreq.numbers import digit_freq, smash_numbers
    from wordfreq.tokens import lossy_tokenize

    tokens = lossy_tokenize(word, "en")
    if not tokens:
        return floor
    st = store()
    inverse = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        b = st.bucket(smashed)
        if b is None:
            return floor
        freq = cB_to_freq(-b)
        if smashed != token:
            freq *= digit_freq(token)
        inverse += 1.0 / freq
    freq = max(1.0 / inverse, floor)
    return round(freq, math.floor(-math.log(freq, 10)) + 3)


def zipf_frequency(word: str) -> float:
    """wordfreq's `zipf_frequency(word, "en")`: log10 of the frequency per billion words,
    to two decimals, 0 for unknown words."""
    return round(math.log(word_frequency(word), 10) + 9, 2)
