"""The name scan in C (`_speedups`) gives what its Python twin (`_renderings_py`) gives."""

from __future__ import annotations

import importlib
import os
import shutil
import sysconfig

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean.document import Document
from mtclean.source import align, attach, names, pair_texts


def _pairs(tgt: str, src: str) -> list:
    doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
    return [p for p in align.pairs_of(doc) if not p.source.isascii()]


def _both(tgt: str, src: str):
    rd = names.readings()
    pairs = _pairs(tgt, src)
    return names._speedups.renderings(rd.native, tgt, pairs), names._renderings_py(rd, tgt, pairs)


needs_c = pytest.mark.skipif(names._speedups is None, reason="the C twins are not built here")


def test_built_where_a_compiler_is():
    """setup.py builds the module wherever a C compiler is found; a silent fallback to
    Python there would hide a broken build (and cost the speed it is for)."""
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip("no C compiler: the Python twins run")
    importlib.import_module("mtclean.source._speedups")  # ImportError: not built
    if not os.environ.get("MTCLEAN_PURE_PYTHON"):
        assert names._speedups is not None
        assert names.readings().native is not None


@needs_c
def test_cases_written_for_it():
    """Names of one, two and three words, hyphenated and not, in several segments."""
    src = "刘晓明和黄建国在南京见面。\n欧阳文静说，西安的张继科来了。\n没有名字。"
    tgt = ("Liu Xiaoming met Huang Jian-guo in Nanjing.\n"
           "Ouyang Wenjing said Zhang Jike of Xi'an came.\n"
           "No names here, says The Guardian.")
    c, py = _both(tgt, src)
    assert c == py
    rd = names.readings()
    pairs = _pairs(tgt, src)
    read = {tgt[a:b]: pairs[k].source[i:i + n] for a, b, i, n, k in c}
    assert read["Liu Xiaoming"] == "刘晓明"
    assert read["Huang Jian-guo"] == "黄建国"
    assert read["Nanjing"] == "南京"
    assert read["Ouyang Wenjing"] == "欧阳文静"
    assert read["Zhang Jike"] == "张继科"
    assert rd.native is not None


@needs_c
@pytest.mark.parametrize("target, read", [
    ("He saw Nanjing-tv today.", []),  # a hyphenated word that is not pinyin as a whole
    ("He saw Nan-jing today.", ["Nan-jing"]),
    ("He saw O’Nanjing today.", []),  # glued to an apostrophe
    ("He saw 2Nanjing today.", []),
    ("He saw éNanjing today.", []),
    ("He saw _Nanjing today.", ["Nanjing"]),  # an underscore is not a word character here
    ("He saw NANJING today.", []),  # capitals only: a dateline
    ("He saw NanjingTV today.", ["Nanjing"]),
])
def test_word_edges(target, read):
    rd = names.readings()
    pairs = [align.Pair(0, len(target), "他今天看了南京电视台。", 0, 1, 0, target)]
    found = names._speedups.renderings(rd.native, target, pairs)
    assert found == names._renderings_py(rd, target, pairs)
    assert [target[a:b] for a, b, *_ in found] == read


@needs_c
def test_no_source_han_and_no_pairs():
    rd = names.readings()
    assert names._speedups.renderings(rd.native, "Zhang Wei said.", []) == []
    c, py = _both("Zhang Wei said.", "He said.")
    assert c == py == []


@needs_c
def test_bad_arguments_are_type_errors():
    rd = names.readings()
    with pytest.raises(TypeError):
        names._speedups.renderings(rd.native, "Zhang Wei", [("x",)])
    with pytest.raises(TypeError):
        names._speedups.renderings(rd.native, b"Zhang", [])
    with pytest.raises(ValueError):
        names._speedups.renderings(object(), "Zhang", [])
    with pytest.raises(TypeError):
        names._speedups.table({"张": "zhang"})


# Names in both scripts, characters whose readings cut words several ways (嗯 n/ng, 和
# he/huo/hu, 长 chang/zhang), and words around them: pinyin and not, hyphenated, glued to
# letters, digits, apostrophes; a source often holds a name twice, so the nearest place wins.
_NAMES = [("张继科", "Zhang Jike"), ("南京", "Nanjing"), ("西安", "Xi'an"), ("西安", "Xian"),
          ("黄建国", "Huang Jian-guo"), ("欧阳文静", "Ouyang Wenjing"), ("刘晓明", "Liu Xiaoming"),
          ("李林", "Li Lin"), ("长安", "Chang'an"), ("嗯和", "Nghe"), ("林恩", "Lin-en")]
_HAN = list("嗯张渣长李林刘恩吉科西安南京黄呼和因国欧阳文静明晓建，的é𠀀") + [h for h, _ in _NAMES] * 3
_WORDS = ["Zhang", "Zha", "Ng", "Li", "Lin", "Liu", "Lien", "Jike", "Xian", "Xi", "An", "Nan",
          "Nanjing", "Jing", "Huang", "Hu", "Ang", "He", "Yin", "Guo", "Zhangng", "The", "Jian-guo",
          "Xi-an", "Nan-Jing", "Ouyang", "Wenjing", "Xiaoming", "BEIJING", "ZhangWei", "Chang'an",
          "Zhangzhangzhangzhangzhang", "Liu-liu-liu", "Li2", "éLi", "Vong", "Ming’s", "Jianguoxi",
          "Xiaominglinjianguowenjing", "Nanjing-tv", "Xi-Jinping"] + [e for _, e in _NAMES] * 4
_SEPS = [" ", "-", ", ", " said ", "\n", "’", "'", "_", "", " ‘", "\u3000", "2"]


def _made_pairs(lines: list[str], sources: list[str]) -> tuple[str, list]:
    """The document and its pairs, made directly (any layout, no pairing rules)."""
    out, at = [], 0
    for i, (t, s) in enumerate(zip(lines, sources)):
        out.append(align.Pair(at, at + len(t), s, 0, i + 1, i, t))
        at += len(t) + 1
    return "\n".join(lines), [p for p in out if not p.source.isascii()]


@needs_c
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.sampled_from(_HAN), min_size=0, max_size=14), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), min_size=1, max_size=14),
       st.randoms(use_true_random=False))
def test_same_as_python_on_generated_pairs(sources, words, rng):
    src_lines = ["".join(s) for s in sources]
    text = "".join(w + s for w, s in words).replace("\n", " ")
    cut = sorted(rng.sample(range(len(text) + 1), min(len(src_lines) - 1, len(text) + 1)))
    lines, last = [], 0
    for c in cut:
        lines.append(text[last:c])
        last = c
    lines.append(text[last:])
    lines += [""] * (len(src_lines) - len(lines))
    tgt, pairs = _made_pairs(lines, src_lines)
    rd = names.readings()
    found = names._speedups.renderings(rd.native, tgt, pairs)
    assert found == names._renderings_py(rd, tgt, pairs)
    _FOUND.append(len(found))


_FOUND: list[int] = []


@needs_c
def test_generated_pairs_read_names():
    """The generated pairs are not all nameless (run after the test above, whose examples
    are the same on every run: derandomized, no example database)."""
    if not _FOUND:
        pytest.skip("run with test_same_as_python_on_generated_pairs")
    assert sum(1 for n in _FOUND if n) > len(_FOUND) // 8


# -- numbers: `_whole` ----------------------------------------------------------------------

from mtclean.source import numbers  # noqa: E402

@needs_c
@pytest.mark.parametrize("target, s, whole", [
    ("rose 3.5 percent", "3.5", True),
    ("rose 13.5 percent", "3.5", False),
    ("rose 3.55 percent", "3.5", False),
    ("version 3.5.1", "3.5", False),
    ("3.5", "3.5", True),
    ("at 3.5.", "3.5", True),  # a full stop with no digit beyond
    ("2,021 and 2021", "2021", True),
    ("x²3", "3", False),  # ² is a digit to str.isdigit
    ("٣3", "3", False),
    ("", "3", False),
])
def test_whole_cases(target, s, whole):
    assert numbers._speedups.whole(target, s) is whole
    assert numbers._whole_py(target, s) is whole


@needs_c
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789.,² a٣", max_size=24), st.text(alphabet="0123456789.,", min_size=1, max_size=5))
def test_whole_same_as_python(target, s):
    assert numbers._speedups.whole(target, s) is numbers._whole_py(target, s)


@needs_c
def test_whole_bad_arguments():
    with pytest.raises(TypeError):
        numbers._speedups.whole("3")
    with pytest.raises(TypeError):
        numbers._speedups.whole(b"3", "3")


# -- omission: SRC050's pass over the pairs -------------------------------------------------

from mtclean.source import omission  # noqa: E402

_ROWS = ((25, 1.34, 8.39), (50.0, 1.71, 7.13), (None, 2.07, 6.08))


@needs_c
@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="市政府官员 \u3000\tab1Z，", max_size=70),
                          st.text(alphabet="Officials met \t\r\n市", max_size=200)), max_size=5),
       st.sampled_from(["", "\t", "\t\n\r", "\r"]),
       st.sampled_from([_ROWS, _ROWS[:2], (), ((None, 0.0, 0.0),)]),
       st.integers(0, 8))
def test_length_outliers_same_as_python(segments, rare, rows, min_source):
    pairs = [align.Pair(0, len(t), s, 0, i + 1, i, t) for i, (s, t) in enumerate(segments)]
    c = omission._speedups.length_outliers(pairs, float(min_source), rows, rare, omission.LATIN_PER_CHAR)
    assert c == omission._outliers_py(pairs, min_source, rows, rare)


@needs_c
def test_length_outliers_bad_arguments():
    with pytest.raises(TypeError):
        omission._speedups.length_outliers([("a", "b")], 6.0, _ROWS, "", 3.5)
    with pytest.raises(TypeError):
        omission._speedups.length_outliers([], 6.0, ((1, 2),), "", 3.5)


# -- numbers: `_settled_unread` ------------------------------------------------------------

from mtclean.source import zhnum  # noqa: E402

_ZH = ["3", "12", "7", "1,200", "3.5", "3.50", "007", "2021", "10,000", "0.25", "9" * 30,
       "9" * 400, "三", "十二", "３", "12.5"]
_ZH_AFTER = ["", "", "万", "亿", "万亿", "兆", "月", "日", "年", "成", "倍", "万倍", "时", "分之一", "%", "多万"]
_ZH_BEFORE = ["", "", "第", "百分之", "上", "几", "十分"]
_ZH_FILL = ["，", "人", "称", "元", "COVID-19", "约"]
_EN = ["3", "12", "7", "2021", "1,200", "1200", "3.5", "350 million", "3.5 billion", "35,000",
       "120,000", "12,000", "July", "3.5m", "3.5 m", "3.5\u00a0million", "12k", "1.2bn", "1.2 bnx",
       "18:00", "08H00", "12:", ":30", "1990s", "2,0,0", "3.50", "1.2 trillion", "0.25", "007",
       "5G", "the", "said", "²3", "9" * 70, "1 thousand", "3 thousands", "3\u3000million", "1850", "2100"]


def _settle_both(source: str, target: str):
    from mtclean.source import numbers

    ms = zhnum.segment_matches(source, [(0, len(source))])[0]
    covered = zhnum.skipped(source, frozenset({"十分"}))
    c = numbers._speedups.settled(source, ms, covered, 0, len(source), source, target,
                                  numbers._PLAIN_SCALES, zhnum.MONTHS, zhnum.is_kept)
    return ms, c, numbers._settled_unread(source, ms, covered, 0, len(source), source, target)


@needs_c
@pytest.mark.parametrize("source, target, settled", [
    ("收入3.5亿元。", "Revenue was 350 million yuan.", True),
    ("收入3.5亿元。", "Revenue was 3.5 billion yuan.", False),
    ("2021年7月，收入3.5亿元。", "In July 2021, revenue was 350 million yuan.", True),
    ("共1,200人。", "In all 1200 people.", True),
    ("共1200人。", "In all 1,200 people, 30 of them children.", False),
    ("3成", "30 percent", False),  # 成: read in full
    ("涨了3万倍。", "Up 30,000 times.", False),
    ("7月1日起。", "From July 1.", True),
])
def test_settled_cases(source, target, settled):
    ms, c, py = _settle_both(source, target)
    assert c is py is settled


@needs_c
@settings(max_examples=1500, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.sampled_from(_ZH_BEFORE[:1] * 6 + _ZH_BEFORE), st.sampled_from(_ZH),
                          st.sampled_from(_ZH_AFTER[:2] * 4 + _ZH_AFTER), st.sampled_from(_ZH_FILL)),
                max_size=4),
       st.data())
def test_settled_same_as_python(pieces, data):
    source = "".join(b + n + a + f for b, n, a, f in pieces)
    own = [n for _, n, _, _ in pieces if n.isascii()]
    words = data.draw(st.permutations(own)) + data.draw(st.lists(st.sampled_from(_EN), max_size=2))
    target = data.draw(st.sampled_from([" ", "", ", ", " and "])).join(words)
    ms, c, py = _settle_both(source, target)
    assert c is None or c is py
    if c is None:  # only where a number is beyond what C reads
        assert any(len(m[0]) > 60 for m in ms) or any(len(w) > 60 for w in target.split())
    _SETTLED.append(py)


_SETTLED: list[bool] = []


@needs_c
def test_generated_pairs_settle_both_ways():
    """Both answers occur among the generated pairs (derandomized, as above)."""
    if not _SETTLED:
        pytest.skip("run with test_settled_same_as_python")
    assert 0.05 < sum(_SETTLED) / len(_SETTLED) < 0.95


@needs_c
def test_settled_bad_arguments():
    from mtclean.source import numbers

    with pytest.raises(TypeError):
        numbers._speedups.settled("3", [], (), 0, 1, "3", "3")
    with pytest.raises(AttributeError):  # not a match: no groups()
        numbers._speedups.settled("3", ["x"], (), 0, 1, "3", "3", {}, zhnum.MONTHS, zhnum.is_kept)


def test_every_twin_is_built():
    """A build that failed half-way leaves an older module behind: each twin must be there."""
    try:
        built = importlib.import_module("mtclean.source._speedups")
    except ImportError:
        pytest.skip("the C twins are not built here")
    for name in ("table", "renderings", "whole", "settled", "length_outliers", "line_spans", "vocab_words",
                 "forms_table", "longest_matches", "make_pairs", "to_compare", "name_map_of", "marked"):
        assert hasattr(built, name), name


# -- align: line spans ---------------------------------------------------------------------

@needs_c
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab\r\n 中\u2028", max_size=30))
def test_line_spans_same_as_python(text):
    assert align._speedups.line_spans(text) == align._line_spans_py(text)


@needs_c
def test_line_spans_cases():
    assert align._speedups.line_spans("") == [(0, 0)]
    assert align._speedups.line_spans("a\r\nbc\n") == [(0, 1), (3, 5), (6, 6)]
    assert align._speedups.line_spans("\r") == [(0, 0)]
    with pytest.raises(TypeError):
        align._speedups.line_spans(b"a")


# -- ennum: number words -------------------------------------------------------------------

from mtclean.source import ennum  # noqa: E402


@needs_c
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["three", "Three", "THREE", "thirds", "May", "may", "xthree", "three1",
                                 "hundred", "seventeenths", "a" * 70, "é", "twenty-one", "half",
                                 "Jan", "said", " ", "-", ",", "二", "ǅ"]), max_size=12))
def test_vocab_words_same_as_python(words):
    text = "".join(words)
    assert ennum._speedups.vocab_words(text, ennum._VOCAB, ennum._LONGEST) == ennum._vocab_words_py(text)


@needs_c
def test_vocab_words_cases():
    assert ennum._speedups.vocab_words("Three-fold, twentyone and May.", ennum._VOCAB, ennum._LONGEST) == [
        ("Three", 0, 5), ("May", 26, 29)]
    with pytest.raises(TypeError):
        ennum._speedups.vocab_words("three", ["three"], 5)


# -- entities: the gazetteer's forms, longest first ----------------------------------------

from mtclean.source import entities  # noqa: E402


def _index(forms):
    idx = object.__new__(entities.ZhIndex)  # the scan alone, without a gazetteer
    idx.entities = {f: f for f in forms}
    idx.forms = tuple(idx.entities)
    idx.native = entities._speedups.forms_table(idx.forms) if entities._speedups else None
    import re
    idx.pattern = re.compile("|".join(map(re.escape, sorted(idx.forms, key=len, reverse=True))))
    return idx


@needs_c
@settings(max_examples=1000, deadline=None)
@given(st.sets(st.text(alphabet="abc中", min_size=1, max_size=4), min_size=1, max_size=6),
       st.text(alphabet="abcd中𠀀", max_size=16))
def test_longest_matches_same_as_python(forms, text):
    idx = _index(sorted(forms))
    assert idx.find(text) == idx._find_py(text)


def test_longest_matches_cases():
    """From the left, the longest form first, and on after it; a form inside a longer
    partial match is still found (b in cab, with the form caba)."""
    idx = _index(["b", "caba", "新华网", "新华", "华网"])
    got = [(a, b, f) for a, b, f in idx.find("cab新华网新华华网")]
    assert got == [(2, 3, "b"), (3, 6, "新华网"), (6, 8, "新华"), (8, 10, "华网")]
    assert idx._find_py("cab新华网新华华网") == got


@needs_c
def test_forms_table_bad_arguments():
    with pytest.raises(TypeError):
        entities._speedups.forms_table(("a", ""))
    with pytest.raises(TypeError):
        entities._speedups.forms_table(["a"])


# -- align: segment pairs ------------------------------------------------------------------

@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab \r中", max_size=6), st.text(alphabet="中文 \r", max_size=6)),
                min_size=1, max_size=5),
       st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_make_pairs_same_as_python(segments, sep):
    tgt = sep.join(t for t, _ in segments)
    src = sep.join(s for _, s in segments)
    tspans, sspans = align._lines(tgt), align._lines(src)
    if len(tspans) != len(sspans):
        tspans, sspans = align._paragraphs(tgt), align._paragraphs(src)
    if len(tspans) != len(sspans):
        return
    c = align._speedups.make_pairs(align.Pair, tgt, tspans, src, sspans)
    py = align._pairs_py(tgt, tspans, src, sspans)
    assert c == py
    assert all(type(p) is align.Pair for p in c)
    assert [p.source_line for p in c] == [p.source_line for p in py]


@needs_c
def test_make_pairs_bad_arguments():
    with pytest.raises(TypeError):
        align._speedups.make_pairs(tuple, "a", [(0, 1)], "b", [])
    with pytest.raises(ValueError):
        align._speedups.make_pairs(align.Pair, "ab", [(0, 5)], "c", [(0, 1)])
    with pytest.raises(ValueError):
        align._speedups.make_pairs(align.Pair, "ab\nc", [(0, 2), (3, 4)], "c\nd", [(2, 3), (0, 1)])


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(st.sampled_from(_ZH_BEFORE[:1] * 6 + _ZH_BEFORE), st.sampled_from(_ZH),
                                             st.sampled_from(_ZH_AFTER[:2] * 4 + _ZH_AFTER),
                                             st.sampled_from(_ZH_FILL)), max_size=3),
                          st.lists(st.sampled_from(_EN + ["none", "said"]), max_size=4)), min_size=1, max_size=5),
       st.booleans())
def test_to_compare_same_as_python(segments, own):
    """The pairs whose numbers are read: no number on either side, settled, or not."""
    from mtclean.source import numbers

    src_lines = ["".join(b + n + a + f for b, n, a, f in p) or "无" for p, _ in segments]
    tgt_lines = []
    for (p, words), line in zip(segments, src_lines):
        mine = [n for _, n, _, _ in p if n.isascii()] if own else []
        tgt_lines.append(" ".join(mine + words) or "none")
    tgt, src = "\n".join(tgt_lines), "\n".join(src_lines)
    al = pair_texts(tgt, src)
    pairs = al.pairs(tgt)
    matches = zhnum.segment_matches(al.source_text, al.spans)
    covered = zhnum.skipped(al.source_text, frozenset({"十分"}))
    c = numbers._speedups.to_compare(al.source_text, pairs, matches, al.spans, covered, numbers._PLAIN_SCALES,
                                     zhnum.MONTHS, zhnum.is_kept)
    py = numbers._to_compare_py(al.source_text, pairs, matches, al.spans, covered)
    decided = [(k, u) for k, u in c if not u or not numbers._settled_unread(
        al.source_text, matches[pairs[k].index], covered, *al.spans[pairs[k].index], pairs[k].source, pairs[k].target)]
    assert [(k, False) for k, _ in decided] == py


@needs_c
def test_to_compare_bad_arguments():
    from mtclean.source import numbers

    with pytest.raises(TypeError):
        numbers._speedups.to_compare("x", [("a",)], [[]], [(0, 1)], (), {}, zhnum.MONTHS, zhnum.is_kept)
    with pytest.raises(IndexError):
        al = pair_texts("a 1", "一")
        numbers._speedups.to_compare("一", al.pairs("a 1"), [], [], (), {}, zhnum.MONTHS, zhnum.is_kept)


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_HAN), min_size=0, max_size=14), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), min_size=1, max_size=14))
def test_name_map_of_same_as_python(sources, words):
    text = "".join(w + s for w, s in words).replace("\n", " ")
    src_lines = ["".join(s) for s in sources]
    cut = len(text) // len(src_lines)
    lines = [text[i * cut:(i + 1) * cut] for i in range(len(src_lines) - 1)] + [text[(len(src_lines) - 1) * cut:]]
    tgt, pairs = _made_pairs(lines, src_lines)
    found = names._renderings_py(names.readings(), tgt, pairs)
    c_found, c_by_han = names._speedups.name_map_of(names.Rendering, found, tgt, pairs)
    py_found, py_by_han = names._name_map_py(found, tgt, pairs)
    assert c_found == py_found and all(type(r) is names.Rendering for r in c_found)
    assert c_by_han == py_by_han
    assert [list(d) for d in c_by_han.values()] == [list(d) for d in py_by_han.values()]  # first seen first
    assert list(c_by_han) == list(py_by_han)


@needs_c
def test_name_map_of_bad_arguments():
    with pytest.raises(TypeError):
        names._speedups.name_map_of(int, [], "", [])
    with pytest.raises(IndexError):
        names._speedups.name_map_of(names.Rendering, [(0, 1, 0, 1, 3)], "Z", [])


# -- punctuation: the pairs that hold a mark -----------------------------------------------

from mtclean.source import punctuation  # noqa: E402


@needs_c
@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="中？(“ \u3000", max_size=5), st.text(alphabet="a?\" \t“", max_size=5)),
                max_size=6),
       st.sampled_from([("？?", "?"), (punctuation._SRC_QUOTE_MARKS, '"“'), ("（(", ""), ("", "")]))
def test_marked_same_as_python(segments, marks):
    pairs = [align.Pair(0, len(t), s, 0, i + 1, i, t) for i, (s, t) in enumerate(segments)]
    assert punctuation._speedups.marked(pairs, *marks) == punctuation._marked_py(pairs, *marks)


# -- any text at all -----------------------------------------------------------------------

@needs_c
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=40))
def test_twins_agree_on_any_text(target, source):
    """Arbitrary Unicode (astral characters, lone surrogates, controls) on both sides."""
    pairs = [align.Pair(0, len(target), source, 0, 1, 0, target)]
    rd = names.readings()
    assert names._speedups.renderings(rd.native, target, pairs) == names._renderings_py(rd, target, pairs)
    assert align._speedups.line_spans(target) == align._line_spans_py(target)
    assert ennum._speedups.vocab_words(target, ennum._VOCAB, ennum._LONGEST) == ennum._vocab_words_py(target)
    assert numbers._speedups.whole(target, source or "1") is numbers._whole_py(target, source or "1")
    outliers = omission._speedups.length_outliers(pairs, 0.0, _ROWS, "\t", 3.5)
    assert outliers == omission._outliers_py(pairs, 0, _ROWS, "\t")
    assert punctuation._speedups.marked(pairs, "？(", '"') == punctuation._marked_py(pairs, "？(", '"')
