"""Checks' own chunk scans (`@check(chunk_scan=...)`, mtclean/chunkgate.py): a batch chunk
is scanned once for the texts a check may fire on, so the scan must keep every text the
check, run alone on it, flags; and `Engine.check_many` must find what `check` finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean import checks, chunkgate
from mtclean.api import build_engine
from mtclean.checks.capitals import spurious
from mtclean.document import NO_CONTEXT, Document
from mtclean.engine import hits_for

ENGINE = build_engine()
MADE = [r for r in ENGINE.rules if r.kind == "check" and checks.chunk_scan(r.check)]

# MT-like pieces: capitalized common words after lowercase ones ("refused Give in"), the
# same words in lowercase, names and places, CJK marks, quotes, numbers, line breaks.
PIECES = ["the", "The", "mayor", "said", "refused", "Give", "give", "Reduce", "reduce",
          "Close", "close", "Will", "will", "Turkey", "turkey", "Li Wei", "Beijing",
          "Yangtze River", "United States", "Party", "Ministry of Commerce", "July", "in", "on",
          " ", " ", " ", ", ", ". ", "\n", "\n\n", '"', "“", "”", "’s", "1998", "3 million",
          "，", "。", "北京", "café", "Café", "—", "Plan", "plan", "of", "and"]
# Repetition, name and entity material: doubled words and phrases (with case, comma and
# spacing changes), sentences said twice, near-spellings of one name, lexicon variants,
# literal entity names.
LOOPY = ["the development of", "The development of", "the the", "of the", "’s", "don’t",
         "don't", "Pilipson", "Pillipson", "Anna Pilipson", "Lavrov", "Lavrof", "Xiangtan",
         "Xaingtan", "Russian Satellite Network", "the Voice of Germany", "Five-Angle Building",
         "Prices rose again in May.", "prices rose again in may.", "two countries", ",", "-",
         "Li Li", "had had", "and", "step by step", "Xi Jingping", "Jinping", "Shenzen",
         "Pilipson said", "Xiangtan schools"]
PIECE = st.sampled_from(PIECES) | st.sampled_from(LOOPY)


def _echo(parts: list[str]) -> str:
    """The pieces, then (often) their tail again: a loop, a doubled sentence or word."""
    text = "".join(parts)
    return text + " " + "".join(parts[len(parts) // 2:]) if len(parts) % 3 else text


TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
LOOPY_TEXT = st.lists(PIECE, max_size=24).map(_echo)
CHUNK = st.lists(TEXT | LOOPY_TEXT, min_size=2, max_size=12)


def _scanned(rule, texts: list[str]) -> set[int]:
    out: set[int] = set()
    checks.chunk_scan(rule.check)(rule, NO_CONTEXT)(chunkgate.Chunk(texts), out)
    return out


def test_some_checks_make_their_own_scan():
    assert {r.id for r in MADE} >= {"CAP001", "REP001", "REP101", "REP102", "ENT001",
                                    "NAME001", "NAME002"}


def test_every_rule_an_ascii_text_runs_has_a_slot():
    """With every check an ASCII text may run scanned per chunk, a text no scan fires on
    runs nothing (`check_many` then makes no check call for it)."""
    from mtclean.engine import _ASCII, _ChunkPlan
    assert _ChunkPlan(ENGINE._lists).lists[_ASCII][1] == []


def _flagged(rule_id: str, texts: list[str]) -> set[int]:
    (rule,) = [r for r in MADE if r.id == rule_id]
    return {i for i, t in enumerate(texts) if list(hits_for(Document(t), rule))}


def test_repetition_and_name_scans_keep_what_they_flag_and_drop_the_rest():
    texts = ["It will promote the development of the development of the region.",
             "She said it again and again.",
             "The bridge opened on Monday. The bridge opened on Monday. Traffic was light.",
             "One sentence only",
             "Ask the the mayor.",
             "Anna Pilipson opened the talks. Pilipson said Moscow was ready. Reporters asked "
             "Pillipson about the deadline.",
             "The Voice of Germany reported the vote."]
    for rule_id, want in (("REP102", {0}), ("REP101", {2}), ("REP001", {4}),
                          ("NAME001", {5}), ("ENT001", {6})):
        (rule,) = [r for r in MADE if r.id == rule_id]
        assert _flagged(rule_id, texts) == want, rule_id
        kept = _scanned(rule, texts)
        assert want <= kept and 3 not in kept, (rule_id, kept)


def test_check_many_makes_no_check_call_for_a_text_no_scan_fires_on(monkeypatch):
    from mtclean.engine import Engine
    engine = build_engine()
    calls = []
    real = Engine._check
    monkeypatch.setattr(Engine, "_check", lambda self, doc, active: calls.append(doc.text)
                        or real(self, doc, active))
    texts = ["One sentence only", "Ask the the mayor.", "Nothing to see here"]
    found = engine.check_many([Document(t) for t in texts])
    assert calls == ["Ask the the mayor."]
    assert [f.rule for f in found[1]] == ["REP001"] and found[0] == found[2] == []


@settings(max_examples=400, deadline=None)
@given(CHUNK)
def test_a_scan_keeps_every_text_its_check_flags(texts):
    for rule in MADE:
        kept = _scanned(rule, texts)
        for i, text in enumerate(texts):
            if i not in kept:
                assert not list(hits_for(Document(text), rule)), (rule.id, text)


@settings(max_examples=400, deadline=None)
@given(CHUNK)
def test_cap001_scan_is_its_viability_test(texts):
    """The shortcut equals the full path: for plain texts, exactly those `_any_viable`
    passes (the check's own first test); other texts are always kept."""
    (rule,) = [r for r in MADE if r.id == "CAP001"]
    rare, low, min_len = spurious._settings(rule.options or {})
    table = spurious.status_table(rare, low)
    want = {i for i, t in enumerate(texts)
            if not Document(t).plain or spurious._any_viable(
                t, spurious._candidate_words(Document(t)), min_len, table, rare, low)}
    assert _scanned(rule, texts) == want


@settings(max_examples=200, deadline=None)
@given(CHUNK)
def test_check_many_with_check_scans_equals_check(texts):
    key = lambda fs: [(f.rule, f.start, f.end, f.message, f.fix) for f in fs]  # noqa: E731
    many = ENGINE.check_many([Document(t) for t in texts])
    assert [key(fs) for fs in many] == [key(ENGINE.check(Document(t))) for t in texts]


def test_cap001_scan_keeps_a_viable_candidate_only():
    (rule,) = [r for r in MADE if r.id == "CAP001"]
    texts = ["They refused Give in to the demand.", "He met Li Wei in Beijing.", "北京 said Give"]
    assert _scanned(rule, texts) == {0, 2}  # a text not plain is kept unscanned
    assert [f.rule for f in ENGINE.check_many([Document(t) for t in texts])[0]] == ["CAP001"]


def test_documents_of_several_contexts_run_every_check():
    from mtclean.document import CheckContext
    docs = [Document("They refused Give in."), Document("Plain text.", context=CheckContext())]
    key = lambda fs: [(f.rule, f.start, f.end) for f in fs]  # noqa: E731
    assert [key(fs) for fs in ENGINE.check_many(docs)] == [key(ENGINE.check(d)) for d in docs]
    assert key(ENGINE.check_many(docs)[0]) == [("CAP001", 13, 17)]


@settings(max_examples=150, deadline=None)
@given(CHUNK, st.booleans())
def test_fix_many_equals_fix_records(texts, unsafe):
    """The fix rounds of many one-record documents, re-checked together, end where each
    document's own fix loop ends: text, edits and the findings left."""
    from mtclean.suppress import apply_all
    keep = lambda doc, found: apply_all(doc, found)  # noqa: E731
    docs = [Document(t) for t in texts]
    many = ENGINE.fix_many(docs, ENGINE.check_many(docs), unsafe, keep)
    key = lambda fs: [(f.rule, f.start, f.end, f.message, f.fix) for f in fs]  # noqa: E731
    for text, got in zip(texts, many):
        (want,) = ENGINE.fix_records([text], unsafe=unsafe, keep=keep)
        assert (got.text, got.edits, key(got.remaining)) == (want.text, want.edits, key(want.remaining))


def test_fix_many_fixes_in_rounds_and_leaves_clean_texts_alone():
    texts = ["Ask the the mayor.", "Nothing to see here", "It rose  sharply ."]
    docs = [Document(t) for t in texts]
    got = ENGINE.fix_many(docs, ENGINE.check_many(docs))
    assert [d.text for d in got] == [ENGINE.fix(Document(t))[0] for t in texts]
    assert got[1].text == texts[1] and got[1].edits == [] and got[0].text != texts[0]


# The spacing and boundary scans stand for a test on each text alone: texts that start or
# end with spaces and tabs, stops before lowercase words (ASCII and not), line breaks.
EDGY = st.lists(st.sampled_from(PIECES + [" ", "\t", "\t ", " \n", "\t\r\n", "\n ", "\n\t",
                                          ". the", '." he', ".) and", "!  so", "? é", ".\x1c b",
                                          "“a", "”", "’ said", "\r", "\x1f", "a", "B.",
                                          " The", " And ", " Of", " Said ", "Is "]),
                max_size=12).map("".join)
EDGY_CHUNK = st.lists(EDGY, min_size=2, max_size=12)


@settings(max_examples=500, deadline=None)
@given(EDGY_CHUNK | st.lists(EDGY.map(lambda t: t.replace("\n", " ")), min_size=2, max_size=12))
def test_text_test_scans_equal_their_test(texts):
    from mtclean.checks import boundaries, spacing
    from mtclean.checks.capitals import title_case
    for rule_id, test in (("CAP002", title_case._two_marks),
                          ("SB003", boundaries._may_start_lower),
                          ("SPC004", spacing._may_be_indented),
                          ("SPC008", spacing._may_trail)):
        (rule,) = [r for r in MADE if r.id == rule_id]
        assert _scanned(rule, texts) == {i for i, t in enumerate(texts) if test(t)}, rule_id


def test_one_line_chunks_find_text_edges():
    from mtclean.checks import boundaries, spacing
    texts = [" a", "B ", "", "\tC\t", "D. e", "F. G", "“X.” y", "", " "]
    assert chunkgate.Chunk(texts).one_line()
    assert not chunkgate.Chunk(texts + ["a\nb"]).one_line()
    for rule_id, want in (("SPC004", {0, 3, 8}), ("SPC008", {1, 3, 8}), ("SB003", {0, 4, 6})):
        (rule,) = [r for r in MADE if r.id == rule_id]
        assert _scanned(rule, texts) == want, rule_id
    assert {i for i, t in enumerate(texts) if boundaries._may_start_lower(t)} == {0, 4, 6}
    assert {i for i, t in enumerate(texts) if spacing._may_trail(t)} == {1, 3, 8}
