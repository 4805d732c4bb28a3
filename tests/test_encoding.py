"""ENC001 against ftfy itself: on text written here and then mis-decoded (Windows-1252,
Latin-1, MacRoman, twice, with no-break spaces), applying mtclean's findings gives exactly
what ftfy.fix_text gives on the same text with mtclean's settings; clean text is never
flagged; each finding is the smallest span that differs."""

from __future__ import annotations

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean.api import build_engine, check_text, fix_text
from mtclean.checks import encoding

ENGINE = build_engine(select=["ENC001"])

# Words of the kind news copy holds: plain, accented, quoted, symbols, a little CJK.
WORDS = ["the", "minister", "said", "prices", "rose", "in", "May", "café", "naïve", "façade",
         "résumé", "Zürich", "São", "Paulo", "Núñez", "señor", "Düsseldorf", "crème", "brûlée",
         "gâteaux", "régime", "élite", "Ørsted", "Øresund", "Kraków", "Łódź", "straße", "coöperate",
         "“quoted”", "‘single’", "it’s", "—", "–", "…", "€50", "£3", "¥7", "½", "°C", "©", "®",
         "™", "•", "北京", "会议", "«guillemets»", "à", "où", "déjà", "voilà"]
CODECS = ["sloppy-windows-1252", "latin-1", "mac_roman"]


def mis_decode(text: str, codec: str, twice: bool, nbsp_to_space: bool) -> str:
    """Encode as UTF-8 and decode with a wrong codec (maybe twice); optionally turn the
    no-break spaces of the result into plain spaces, as copy-and-paste does."""
    out = text.encode("utf-8").decode(codec)
    if twice:
        out = out.encode("utf-8").decode(codec)
    return out.replace("\xa0", " ") if nbsp_to_space else out


line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).flatmap(
    lambda ws: st.lists(st.sampled_from([" ", " ", " ", "\xa0"]), min_size=len(ws), max_size=len(ws))
    .map(lambda seps: "".join(w + s for w, s in zip(ws, seps)).rstrip() + "."))
mojibake_line = st.tuples(line, st.sampled_from(CODECS), st.booleans(), st.booleans())
document = st.lists(st.one_of(line.map(lambda l: ("clean", l)),
                              mojibake_line.map(lambda t: ("bad", mis_decode(*t)))),
                    min_size=1, max_size=5)

RUNS = {"clean": 0, "mixed": 0}


def _apply(text: str) -> str:
    return fix_text(text, engine=ENGINE)[0]


def _assert_minimal(text: str, findings) -> None:
    for f in findings:
        good = f.fix.replacement
        assert f.text != good
        if f.text and good:
            assert f.text[0] != good[0] and f.text[-1] != good[-1], (f.text, good)


@settings(max_examples=400, deadline=None)
@given(st.lists(line, min_size=1, max_size=5).map("\n".join))
def test_clean_text_is_never_flagged(text):
    RUNS["clean"] += 1
    assert ftfy.fix_text(text, config=encoding.config()) == text  # the generator's premise
    assert check_text(text, engine=ENGINE) == []


@settings(max_examples=600, deadline=None)
@given(document)
def test_fixed_text_equals_ftfy_on_the_same_lines(parts):
    RUNS["mixed"] += 1
    text = "\n".join(l for _, l in parts) + "\n"
    findings = check_text(text, engine=ENGINE)
    _assert_minimal(text, findings)
    expected = ftfy.fix_text(text, config=encoding.config())
    assert _apply(text) == expected
    if text == expected:
        assert findings == []


def test_property_tests_ran_their_cases():
    """The number of generated cases, for the record (pytest -s prints it)."""
    print(f"\nENC001 differential cases: {RUNS['mixed']} mis-decoded documents, "
          f"{RUNS['clean']} clean ones")
    if RUNS["mixed"]:  # when the two tests above ran in this session
        assert RUNS["mixed"] >= 600 and RUNS["clean"] >= 400


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("twice", [False, True])
def test_each_codec_is_repaired_to_the_original(codec, twice):
    """On a line with enough evidence, ftfy (and so mtclean) gets the original back."""
    clean = "The régime in Zürich said “prices rose” by 5 € — déjà vu for São Paulo."
    bad = mis_decode(clean, codec, twice, nbsp_to_space=False)
    assert bad != clean
    assert _apply(bad) == clean


CASES = [
    # (text, [(flagged, replacement)], fixed)
    ("The cafÃ© reopened.", [("Ã©", "é")], "The café reopened."),
    # no-break space in the mojibake of "à" (C3 A0), then the same after a plain space
    ("Il a dit voilÃ\xa0 tout.", [("Ã\xa0", "à")], "Il a dit voilà tout."),
    ("Il a dit voilÃ  tout.", [("Ã ", "à")], "Il a dit voilà tout."),
    # a weak-evidence word repaired by the rest of the line, each word its own finding
    ("Le r√©gime des g√¢teaux.", [("√©", "é"), ("√¢", "â")], "Le régime des gâteaux."),
    # a stray C1 control
    ("Wait\x85 then go.", [("\x85", "…")], "Wait… then go."),
    # mojibake of a quotation, a word after a no-break space reported once
    ("He said â€œyesâ€\x9d.", [("â€œ", "“"), ("â€\x9d", "”")], "He said “yes”."),
    # a no-break space misread as "Â\xa0": only the stray "Â" goes
    ("Prix\xa0: 5Â\xa0â‚¬ net.", [("Â", ""), ("â‚¬", "€")], "Prix\xa0: 5\xa0€ net."),
]


@pytest.mark.parametrize("text, hits, fixed", CASES)
def test_cases(text, hits, fixed):
    findings = check_text(text, engine=ENGINE)
    assert [(f.text, f.fix.replacement) for f in findings] == hits
    assert all(text[f.start:f.end] == f.text for f in findings)
    assert _apply(text) == fixed == ftfy.fix_text(text, config=encoding.config())


def test_message_shows_invisible_characters():
    f, = check_text("Wait\x85 then go.", engine=ENGINE)
    assert "\\x85" in f.message and "\x85" not in f.message
    f, _ = check_text("5Â\xa0â‚¬ net.", engine=ENGINE)
    assert f.message == "Mojibake: “Â\\xa0” reads as “\\xa0”"


def test_changed_spans_are_minimal_and_merged():
    assert encoding.changed_spans("abXYcd", "abZcd") == [(2, 4, 2, 3)]
    assert encoding.changed_spans("aXbYc", "aPbQc") == [(1, 2, 1, 2), (3, 4, 3, 4)]
    assert encoding.changed_spans("same", "same") == []
    assert encoding.changed_spans("ab", "abc") == [(2, 2, 2, 3)]


def test_one_call_per_line_and_none_for_clean_lines(monkeypatch):
    """The cheap gate: lines that ftfy could not change never reach ftfy."""
    calls = []
    real = ftfy.fix_text
    monkeypatch.setattr(ftfy, "fix_text", lambda t, config=None: calls.append(t) or real(t, config=config))
    text = "Plain ASCII line.\n“Curly” café line.\nThe cafÃ© line.\n北京 line.\n"
    check_text(text, engine=ENGINE)
    assert calls == ["The cafÃ© line.\n"]


MOJIBAKE_ALPHABET = list("abcXYZ .,!?\n\t") + list(
    "ÃÂÎÐ©®€œŠšŸž™“”‘’—–…\xa0\xad\x85\x9d√≈∂‚Äâéàüñßø×²³°µØÙВГРСЂβ€Ά¦ƒ│╬≠¥¢£")


def test_ftfy_is_imported_only_for_a_line_to_repair():
    """Accents and curly quotes are judged by ftfy's badness heuristic alone, loaded
    without the rest of ftfy; a line that needs repair imports ftfy and is repaired."""
    import subprocess
    import sys
    code = ("import sys\nfrom mtclean.api import check_text\n"
            "assert not check_text('A naïve café owner said “hello” at 30℃.')\n"
            "assert 'ftfy' not in sys.modules\n"
            "assert [f.rule for f in check_text('The cafÃ© line.')] == ['ENC001']\n"
            "assert 'ftfy' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_suspect_characters_are_the_mojibake_blocks_less_the_common_ones():
    """_SUSPECT, written as ranges for `re`, is exactly the blocks mojibake is made of
    less ftfy's common characters and the curly quotes."""
    import regex
    spec = regex.compile(
        "(?V1)[[\x80-\u04ff\u2000-\u25ff\uf8ff\ufb00-\ufb4f\ufffd\ud800-\udfff]"
        "--[\xa0\xad\xb7\xb4\u2013\u2014\u2015\u2026\u2019\u2018\u201c\u201d]]")
    assert not [c for c in range(0x110000)
                if bool(spec.match(chr(c))) != bool(encoding._SUSPECT.match(chr(c)))]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(MOJIBAKE_ALPHABET), max_size=40))
def test_gate_never_hides_a_line_ftfy_would_judge_bad(s):
    """_looks_bad looks only around mojibake characters, yet misses nothing is_bad sees."""
    from ftfy.badness import is_bad
    if is_bad(s):
        assert encoding._looks_bad(s)
