"""name-consistency checks (NAME001-NAME002): case table, known failures, lexicon files,
transliteration keys and the cost on a large input."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casetable import span_table_tests
from mtclean.api import build_engine
from mtclean.checks import names
from mtclean.lexicon import name_lexicon, translit
from mtclean.lexicon.name_lexicon import load_lexicons
from mtclean.document import NO_CONTEXT, CheckContext, Document
from mtclean.errors import MtcleanError

CASES = Path(__file__).parent / "cases"
TABLE = yaml.safe_load((CASES / "names.yaml").read_text(encoding="utf-8"))
KNOWN = yaml.safe_load((CASES / "known_failures_names_caps.yaml").read_text(encoding="utf-8"))
ENGINE = build_engine(select=["name-consistency"])


def flagged(engine, text, context=NO_CONTEXT, rule=None):
    found = engine.check(Document(text, context=context))
    for f in found:
        assert f.text == text[f.start:f.end]
    return [f for f in found if rule is None or f.rule == rule]


test_flag, test_pass = span_table_tests(TABLE, ENGINE, lambda text, rule=None: flagged(ENGINE, text, rule=rule))


def _known(kind):
    return [c for c in KNOWN[kind] if c["category"] == "name-consistency"]


@pytest.mark.xfail(strict=True, reason="documented weakness (known_failures_names_caps.yaml)")
@pytest.mark.parametrize("case", _known("flag"), ids=[c["id"] for c in _known("flag")])
def test_known_misses(case):
    assert [f.text for f in flagged(ENGINE, case["text"])] == case["spans"]


@pytest.mark.xfail(strict=True, reason="documented weakness (known_failures_names_caps.yaml)")
@pytest.mark.parametrize("case", _known("pass"), ids=[c["id"] for c in _known("pass")])
def test_known_false_alarms(case):
    assert not flagged(ENGINE, case["text"])


def test_fix_is_idempotent():
    text = TABLE["flag"][0]["text"]
    once, _, _ = ENGINE.fix(Document(text), unsafe=True)
    twice, _, _ = ENGINE.fix(Document(once), unsafe=True)
    assert once == twice and not flagged(ENGINE, once)


def test_message_names_the_canonical_spelling():
    (f,) = flagged(ENGINE, TABLE["flag"][0]["text"])
    assert "Pilipson" in f.message and f.fix.replacement == "Pilipson"


def test_keys_merge_transliteration_variants():
    assert translit.strict_key("Zelenskyy") == translit.strict_key("Zelenskiy") == translit.strict_key("Zelensky")
    assert translit.strict_key("Müller") == translit.strict_key("Muller")
    assert translit.loose_key("Shenzhen") == translit.loose_key("Senzhen")
    assert translit.loose_key("Xiang") == translit.loose_key("Xaing")
    assert translit.strict_key("Kim") != translit.strict_key("Tim")


def test_neighbours_finds_one_edit_pairs_only():
    keys = ["mwangangi", "mwangagi", "pilipson", "filipson", "abcdefgh"]
    assert translit.neighbours(keys) == [(0, 1), (2, 3)]


def test_user_lexicon_pins_spelling_and_keeps_pairs_apart(tmp_path):
    lex = tmp_path / "house.yaml"
    lex.write_text("version: 1\nnames:\n  - canonical: Zelenskyy\n    variants: [Zelensky, Zelenskiy]\n"
                   "distinct:\n  - [Mwangangi, Mwangagi]\n", encoding="utf-8")
    context = CheckContext(names=[lex])
    text = "Zelensky met Zelenskiy's aides."
    found = flagged(ENGINE, text, context)
    assert [(f.rule, f.text, f.fix.replacement) for f in found] == [
        ("NAME002", "Zelensky", "Zelenskyy"), ("NAME002", "Zelenskiy", "Zelenskyy")]
    pair = "Peter Mwangangi spoke. Mwangangi left early, and Mwangagi stayed."
    assert flagged(ENGINE, pair) and not flagged(ENGINE, pair, context)


@pytest.mark.parametrize("content,message", [
    ("names: []\n", "needs 'version: 1'"),
    ("version: 1\nnames:\n  - variants: [A]\n", "needs a 'canonical' string"),
    ("version: 1\nnames:\n  - canonical: Ann\n    variants: 7\n", "must be a list"),
    ("version: 1\nnicknames: []\n", "unknown key"),
    ("version: 1\nnames: [\n", "not valid YAML"),
])
def test_bad_lexicon_is_one_clear_error(tmp_path, content, message):
    lex = tmp_path / "bad.yaml"
    lex.write_text(content, encoding="utf-8")
    with pytest.raises(MtcleanError) as err:
        load_lexicons([str(lex)])
    assert str(lex) in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_lexicon_is_one_clear_error(tmp_path):
    with pytest.raises(MtcleanError, match="name lexicon not found"):
        load_lexicons([str(tmp_path / "nope.yaml")])


def test_config_names_reach_the_check(tmp_path, run_cli):
    (tmp_path / "lex.yaml").write_text("version: 1\nnames:\n  - canonical: Okonkwo\n    variants: [Okonkvo]\n",
                                       encoding="utf-8")
    (tmp_path / ".mtclean.toml").write_text('names = ["lex.yaml"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Okonkvo spoke.\n", encoding="utf-8")
    res = run_cli("check", "--select", "NAME002", "a.txt")
    assert res.exit_code == 1 and "Okonkwo" in res.stdout


@pytest.mark.slow
def test_large_single_line_input_stays_linear():
    """A 3.5 MB one-line document with thousands of distinct names is checked in seconds."""
    syllables = ["ba", "ko", "li", "mun", "ser", "ta", "vi", "zen", "dra", "pol", "nik", "ash"]
    words = []
    for i in range(80_000):
        a, b, c = syllables[i % 12], syllables[(i // 12) % 12], syllables[(i // 144) % 12]
        words.append(f"the visit of {(a + b + c).capitalize()} was noted by officials")
    text = " ".join(words)
    assert len(text) > 3_000_000 and "\n" not in text
    start = time.perf_counter()
    ENGINE.check(Document(text))
    assert time.perf_counter() - start < 60


# Invented spellings one letter, a doubling or a y/i apart, with shared and distinct initials.
_SPELLINGS = ["Tarvosk", "Tarvossk", "Tarvosc", "Tarwosk", "Darvosk", "Ilmeno", "Ylmeno",
              "Ilmenno", "Aiveron", "Iaveron", "Iaverron", "Aivero", "Kestral", "Cestral", "Kestrel",
              "Obrundi", "Obrunndi", "Marl", "Marle", "Élodin", "Elodin", "Vannic", "Fannic"]
_FILLER = ["the", "said", "met", "and", "later", "in", "with", "Minister", "The"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SPELLINGS + _FILLER), min_size=2, max_size=60))
@example("Ilmeno met Tarvosk . Tarvosk said Tarvosk and Tarvossk . Iaveron and Iaveron saw Iaverron".split())
def test_small_input_pairing_matches_the_general_search(words):
    """The direct pairing for short texts finds the same variants, in the same order, as
    the deletion-index search used for long ones."""
    doc = Document(" ".join(words) + ".")
    direct = [(h.start, h.end, h.replacement, h.message) for h in names.name_variants(doc, None)]
    saved = names.SMALL_INPUT
    names.SMALL_INPUT = 0
    try:
        general = [(h.start, h.end, h.replacement, h.message) for h in names.name_variants(doc, None)]
    finally:
        names.SMALL_INPUT = saved
    assert direct == general


def test_lexicon_changes_are_seen_after_the_recheck_interval(tmp_path, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(name_lexicon, "_clock", lambda: now[0])
    lex = tmp_path / "house.yaml"
    lex.write_text("version: 1\nnames:\n  - canonical: Okonkwo\n    variants: [Okonkvo]\n",
                   encoding="utf-8")
    assert load_lexicons([str(lex)]).canonical_of("Okonkvo") == "Okonkwo"
    lex.write_text("version: 1\nnames:\n  - canonical: Okonkwo\n    variants: [Okonkwoh]\n",
                   encoding="utf-8")
    stat = lex.stat()
    os.utime(lex, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert load_lexicons([str(lex)]).canonical_of("Okonkvo") == "Okonkwo"  # not re-stat-ed yet
    now[0] += name_lexicon.RECHECK_SECONDS
    fresh = load_lexicons([str(lex)])
    assert fresh.canonical_of("Okonkvo") is None and fresh.canonical_of("Okonkwoh") == "Okonkwo"


@pytest.mark.parametrize("count", [2, name_lexicon.FEW_VARIANTS + 5])
def test_lexicon_finds_variants_with_few_and_many_entries(count):
    lex = name_lexicon.Lexicon()
    entries = "".join(f"  - canonical: Quorvat{i}x\n    variants: [Quorvad{i}x]\n" for i in range(count))
    name_lexicon.parse_lexicon(yaml.safe_load(f"version: 1\nnames:\n{entries}"), "mem", lex)
    text = "Quorvad1x and Quorvad1xy and Quorvat0x met Quorvad0x."
    at = text.rindex("Quorvad0x")
    assert list(lex.find_variants(text)) == [(0, 9, "Quorvat1x"), (at, at + 9, "Quorvat0x")]
    assert list(lex.find_variants("Nothing here.")) == []


@pytest.mark.parametrize("word", ["Tarvosk", "Ảnh", "A\u0301rvo", "Élodin", "Łukasz", "Øster",
                                  "Đorđe", "Ǆemal", "Ǉubica", "İzmir", "Ørsted", "Ypsilon"])
def test_initial_is_the_first_folded_letter(word):
    assert names._initial(word) == translit.fold(word)[:1]


_TRICKY = ["Jean-Tarvosk", "O'Tarvossk", "McTarvosk", "Ágnes", "Agnes", "This", "They", "Tarvosk9",
           "Ǆemal", "Džemal", "Ørsted", "Orsted", "TARVOSK"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SPELLINGS + _FILLER + _TRICKY),
                          st.sampled_from([" ", ", ", "-", "'", "’", ""])), min_size=2, max_size=40))
def test_may_pair_rules_out_only_texts_without_candidate_pairs(parts):
    """The cheap screen is a necessary condition: whenever spellings could pair, it passes."""
    text = "".join(w + sep for w, sep in parts) + "."
    spellings = [w for w in names._collect(text) if len(w) >= 4 and names._eligible(w)]
    if len(spellings) >= 2 and names._candidate_pairs(spellings):
        assert names._may_pair(Document(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Jingping", "Shenzen", "Xingjiang", "Quorvad1x", "the", "Li"]),
                          st.sampled_from([" ", "'", "-", "2", "x", "X", "é", "\u0301", ""])),
                min_size=1, max_size=8))
def test_lexicon_screen_never_hides_a_variant(parts):
    """`may_hold_variants` says yes whenever the pattern finds a variant, whether the
    variants all look like capitalized words (a set test on ASCII text) or not."""
    text = "".join(w + sep for w, sep in parts)
    for extra in ([], ["Quorvad1x"]):
        lex = name_lexicon.Lexicon()
        lex.canonical.update({"Jingping": "Jinping", "Shenzen": "Shenzhen", "Xingjiang": "Xinjiang"})
        lex.canonical.update({v: "Quorvat1x" for v in extra})
        lex.may_hold_variants("")  # compiles the pattern
        if lex._pattern.search(text):
            assert lex.may_hold_variants(text)
            # the set test on the document's long capitalized words
            assert lex.may_hold_variants(text, Document(text).long_capitals)
