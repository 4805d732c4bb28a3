"""The word tries answer exactly what the package lists they replace answer."""

from __future__ import annotations

import random

import pytest

from mtclean.lexicon import wordlists, wordstore


@pytest.fixture(scope="module")
def sources():
    import wordfreq
    from english_words import get_english_words_set

    web2 = get_english_words_set(["web2"], alpha=True)
    gcide = {w.lower() for w in get_english_words_set(["gcide"], alpha=True)}
    freq = wordfreq.get_frequency_dict("en", "best")
    return web2, gcide, freq


def test_dictionaries_match_the_sets(sources):
    web2, gcide, _ = sources
    st = wordstore.store()
    assert len(st.web2) == len(web2) and len(st.gcide) == len(gcide)
    assert all(w in st.web2 for w in web2)
    assert all(w in st.gcide for w in gcide)
    common = {w for w in web2 if w.islower() and w in gcide}
    probe = list(web2)[::7] + list(gcide)[::7] + [w.capitalize() for w in list(gcide)[::50]]
    probe += ["", "Zzyzxq", "barcelona", "close", "Close", "jordan", "Jordan", "naïve", "x-ray"]
    for w in probe:
        assert wordlists.dictionary_word(w) == (w in common), w
        assert wordlists.proper_in_dictionary(w) == (w in web2), w
        assert wordlists._either_dictionary_has(w) == ((w in web2 and w.islower()) or w in gcide), w


def test_zipf_matches_wordfreq(sources):
    from wordfreq import zipf_frequency

    freq = sources[2]
    rng = random.Random(7)
    words = rng.sample(sorted(freq), 4000)
    words += ["the", "harbour", "Beijing", "don't", "don’t", "well-known", "co-operate", "1998",
              "3.5", "covid-19", "café", "CAFÉ", "naïve", "ﬁnance", "e-mail", "", " ", "...",
              "rock'n'roll", "a b", "Qqqqzx", "x" * 60, "第二", "１２３", "u.s.", "mr."]
    for w in words:
        assert wordstore.zipf_frequency(w) == zipf_frequency(w, "en"), w



def test_latin_words_match_wordfreq_without_it(sources):
    """Words of Latin-1/Latin Extended-A letters take the fast path (no wordfreq import):
    every such word of wordfreq's list, its capitalized form, and random strings of those
    letters (ß, ſ, İ, ĳ case-fold to other letters; ŉ and × stay on the general path),
    joined by hyphens or an apostrophe (a short part before it is an elision: "l'État")."""
    from wordfreq import zipf_frequency

    freq = sources[2]
    latin = [w for w in freq if not w.isascii() and wordstore._LATIN_WORD.fullmatch(w)]
    assert len(latin) > 1000
    letters = [chr(c) for c in range(0xC0, 0x180) if chr(c).isalpha()]
    rng = random.Random(11)
    made = ["".join(rng.choice(letters + list("abcXYZ")) for _ in range(rng.randint(1, 9)))
            for _ in range(3000)]
    joined = [f"{a}-{b}" for a, b in zip(made[::3], made[1::3])] + [f"{a}'{b}" for a, b in zip(made[::4], made[1::4])]
    odd = ["Straße", "İstanbul", "ŉa", "a×b", "asia-europe", "spain's", "Spain's", "l'État", "qu'il",
           "ab'cd", "rock'n'roll", "well-known's", "a--b", "-x", "x-", "co-op's"]
    for w in latin + [w.capitalize() for w in latin[::5]] + made + joined + odd:
        assert wordstore.zipf_frequency(w) == zipf_frequency(w, "en"), w

def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(tmp_path))
    wordstore.store.cache_clear()
    try:
        first = wordstore.store()
        d = wordstore.store_dir()
        assert wordstore._complete(d) and "harbor" in first.gcide
        web2 = d / "web2.marisa"
        web2.write_bytes(web2.read_bytes()[:1000])  # truncated, as by a full disk
        wordstore.store.cache_clear()
        again = wordstore.store()
        assert wordstore._complete(d) and "Jordan" in again.web2
    finally:
        wordstore.store.cache_clear()


def test_unwritable_cache_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(blocker))
    wordstore.store.cache_clear()
    try:
        st = wordstore.store()
        assert "harbor" in st.gcide and st.bucket("the") is not None
    finally:
        wordstore.store.cache_clear()
