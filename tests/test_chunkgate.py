"""Chunk gates (mtclean/chunkgate.py): a scan of joined texts must hit every text its gate
passes alone, so `Engine.check_many` finds exactly what `Engine.check` finds text by text,
and a batch chunk of one-record units writes what it wrote record by record."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean import chunkgate
from mtclean.api import build_engine
from mtclean.batch import pipeline
from mtclean.batch.records import Source
from mtclean.document import Document
from mtclean.engine import gates
from mtclean.gate import Gate

ENGINE = build_engine(select=["ALL"])
DEFAULT = build_engine()

# Pieces of machine-translated English: CJK marks and ideographs, straight and curly
# quotes, names, numbers, stray spaces and line breaks, repeated words.
PIECES = ["The", "the", "mayor", "Li Wei", "Wang", "said", "said", "on Monday", " ", "  ", ",",
          ", ", ".", ". ", "!", "?", ";", ":", "\n", "\n\n", "\t", '"', "'", "“", "”", "(", ")",
          "，", "。", "、", "：", "（", "）", "北京", "市", "\u3000", "ＡＢ", "１２", "3 million",
          "1998", "10,000", "%", " - ", '""', "a.B", "e.g.", "Mr.", "new new", "it it is",
          "the port the port", "Beijing", "beijing", "café", "—", "…", "' s", " ,", " .", "i"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)
CHUNK = st.lists(TEXT, min_size=2, max_size=12)


def _key(findings) -> list[tuple]:
    return [(f.rule, f.start, f.end, f.message, f.text, f.fix, f.severity) for f in findings]


@settings(max_examples=300, deadline=None)
@given(CHUNK)
def test_check_many_equals_check(texts):
    for engine in (ENGINE, DEFAULT):
        many = engine.check_many([Document(t) for t in texts])
        assert [_key(fs) for fs in many] == [_key(engine.check(Document(t))) for t in texts]


SAMPLE_GATES = [Gate(requires=("ab", "  ")), Gate(trigger=r"[.!?][A-Z]"), Gate(shape=[",a"]),
                Gate(trigger=r"\bthe\b"), Gate(trigger=("\n",)), Gate(shape=["  ", "A."]),
                Gate(requires=(" ,", " .", "北京", "\t", "e.g")), Gate(trigger=r"[^a-z ]{3}"),
                Gate(requires=("said",), trigger=r"\d+")]


def _scanned(gate: Gate, texts: list[str]) -> set[int] | None:
    scan, _ = chunkgate.split(gate)
    if scan is None:
        return None
    out: set[int] = set()
    scan(chunkgate.Chunk(texts), out)
    return out


@settings(max_examples=300, deadline=None)
@given(CHUNK)
def test_scan_hits_every_text_the_gate_passes(texts):
    all_gates = SAMPLE_GATES + [g for r in ENGINE.rules for g in gates(r)]
    for gate in all_gates:
        found = _scanned(gate, texts)
        if found is None:
            continue
        passing = {i for i, t in enumerate(texts) if gate.test(Document(t))}
        assert passing <= found, (gate.requires, gate.shape, gate.trigger)


def test_scans_narrow_a_chunk():
    texts = ["no comma here", "glued,after", "clean text.", "x" * 50 + ",b"]
    assert _scanned(Gate(shape=[",a"]), texts) == {1, 3}
    assert _scanned(Gate(requires=("comma", "text")), texts) == {0, 2}
    assert _scanned(Gate(trigger=r"[.,][a-z]"), texts) == {1, 3}
    assert _scanned(Gate(requires=("a", "b", "c", "d")), texts) == {0, 1, 2, 3}
    assert _scanned(Gate(shape=[",a"]), ["北京,", "plain"]) == {0}  # non-ASCII passes a shape
    # the separator adds nothing: a stop ending a text is no ". " in it, a "\n" is no line break
    assert _scanned(Gate(shape=[". ", " A"]), ["Ends.", "Also ends.", "Two. Stops"]) == {2}
    assert _scanned(Gate(requires=("\n",)), ["one line", "two\nlines", "x"]) == {1}
    assert _scanned(Gate(requires=(".\n",)), ["a.", "b.\nc", "d."]) == {1}


@pytest.mark.parametrize("pattern", [r"^The", r"end$", r"(?<=a)b", r"(?!x)y", r"(?i)the",
                                     r"\Astart", r"stop\Z", r"a\Kb", r"\X", r"a[$]"])
def test_context_seeing_regexes_stay_per_text(pattern):
    assert not chunkgate._context_free(pattern)
    assert chunkgate.split(Gate(trigger=pattern))[0] is None


@pytest.mark.parametrize("pattern", [r"[，。]", r"[^a-z]\d", r"\bthe\b", r"(?:ab)+", r"\$\d", r"a\^"])
def test_context_free_regexes_scan(pattern):
    assert chunkgate._context_free(pattern)


def test_predicate_and_non_ascii_gates_stay_per_text():
    pred = Gate(trigger=lambda doc: True)
    assert chunkgate.split(pred) == (None, pred.test)
    cjk = Gate(trigger="[，]", cjk=True)
    assert chunkgate.split(cjk) == (None, cjk.test)


def _lines(texts: list[str]) -> list[tuple[int, bytes]]:
    return [(i + 1, (json.dumps({"text": t, "src": "北京市"} if i % 5 == 4 else {"text": t},
                                ensure_ascii=False) + "\n").encode()) for i, t in enumerate(texts)]


@pytest.mark.parametrize("unsafe", [False, True])
def test_a_chunk_of_single_records_writes_what_records_alone_write(unsafe):
    texts = ["Mayor Li Wei said  the harbour , which opened in 1998, is busy.",
             "it it is a port。", "", "clean sentence.", "new new rules were set ( he said )",
             "Wang said on Monday that 3 million people", "the port the port is busy .",
             "“Quoted” text,glued", "Line one\nline two", "ＡＢ１２ fullwidth"]
    rows = _lines(texts) + [(99, b"{not json\n"), (100, b'{"text": 5}\n')]
    src = Source("t.jsonl", "jsonl", source_field="src")
    settings_ = pipeline.Settings(unsafe=unsafe, want_findings=True)
    ctx = pipeline.context(settings_)
    whole = pipeline.process_chunk(settings_, [(src, [row]) for row in rows])
    alone = pipeline.ChunkResult()
    for row in rows:
        pipeline.process_unit(ctx, src, [row], alone)
    for name in ("items", "out", "dropped", "errors", "findings", "counts"):
        assert getattr(whole, name) == getattr(alone, name), name
