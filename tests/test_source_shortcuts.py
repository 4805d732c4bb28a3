"""The source checks' shortcuts give what their full path gives, on generated pairs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtclean.document import Document
from mtclean.source import attach, names, pair_texts

# Characters with readings that split words several ways: 嗯 reads n/ng (Zha+ng), 张 zhang,
# 渣 zha, 李 li, 林 lin, 刘 liu, 恩 en, 吉 ji, 科 ke, 西 xi, 安 an, 南 nan, 京 jing, 黄 huang,
# 呼 hu, 昂 ang, 和 he (and others), 因 yin, 国 guo.
_HAN = list("嗯张渣李林刘恩吉科西安南京黄呼昂和因国，的")
_WORDS = ["Zhang", "Zha", "Ng", "Li", "Lin", "Liu", "Lien", "Jike", "Xian", "Xi", "An", "Nan",
          "Nanjing", "Jing", "Huang", "Hu", "Ang", "He", "In", "Yin", "Guo", "Zhangng", "The"]
_SEPS = [" ", "-", ", ", " said ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_HAN), min_size=1, max_size=12), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), min_size=1, max_size=10))
def test_lone_word_shortcut_matches_full_reading(sources, words):
    """`_solo` drops a lone word's whole-word syllable (one character, and a reading takes
    two) before any scan: the names read are the same as without it (in the Python twin,
    where `_solo` can be swapped; the C scan is held to it by test_source_speedups.py)."""
    src_lines = ["".join(s) for s in sources]
    text = "".join(w + s for w, s in words).replace("\n", " ")
    tgt_lines = [text] + [text[::-1].title()] * (len(src_lines) - 1)
    tgt, src = "\n".join(tgt_lines), "\n".join(src_lines)

    def read():
        doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
        return [(r.start, r.end, r.han, r.source_start) for r in names.name_map(doc).found]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(names, "_speedups", None)
        shortcut = read()
        mp.setattr(names, "_solo", lambda cands, size: cands)  # every leading syllable tried
        assert read() == shortcut


def test_lone_word_shortcut_keeps_a_two_character_reading():
    """Zhang alone still reads as 渣嗯 (zha + ng): only the one-character cut is dropped."""
    tgt, src = "Zhang said.", "渣嗯说。"
    doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
    assert [(r.text, r.han) for r in names.name_map(doc).found] == [("Zhang", "渣嗯")]


# -- numbers -------------------------------------------------------------------------------

_ZH_PIECES = ["3", "12", "7", "1,200", "3.5", "3.50", "007", "三", "十二", "３"]
_ZH_AFTER = ["", "", "万", "亿", "兆", "月", "日", "年", "成", "倍", "万倍", "时", "后", "分之一", "兆瓦", "%"]
_ZH_BEFORE = ["", "", "", "第", "百分之", "上", "几", "十分"]
_ZH_FILL = ["，", "人", "称", "COVID-19"]
_EN_PIECES = ["3", "12", "7", "2021", "1,200", "1200", "3.5", "350 million", "3.5 billion",
              "35,000", "120,000", "12,000", "July", "December", "May", "three", "COVID-19",
              "18:00", "2.5", "0", "35", "1990s", "seventh", "the", "said", ",", ".", "5G",
              "350", "3.50", "1.2 trillion", "1.2 million", "0.35", "007"]


def _numbers_rule():
    from mtclean.api import build_engine

    return {r.id: r for r in build_engine(select=["SRC001"]).rules}["SRC001"]


_RULE = _numbers_rule()


def _unread_case(source: str, target: str) -> None:
    """If `_settled_unread` settles the pair, the full comparison (every source number
    read, `_compare`) finds nothing in it, with the rule's own skip, loose and report lists."""
    from mtclean.source import numbers, zhnum

    opts = _RULE.options
    skip, loose = frozenset(opts.get("skip", ())), frozenset(opts.get("loose", ()))
    report = tuple(opts.get("report_verbs", ()))
    (matches,) = zhnum.segment_matches(source, [(0, len(source))])
    covered = zhnum.skipped(source, skip)
    if matches and numbers._settled_unread(source, matches, covered, 0, len(source), source, target):
        assert numbers._compare(zhnum.extract(source, skip), source, target, loose, report) is None


@pytest.mark.parametrize("source, target", [
    ("3成，", "by 3."), ("3分之一人", "by 3."), ("第7月", "in July."), ("3万倍", "by 30,000."),
    ("3兆瓦", "by 3 trillion."), ("上3万人", "by 30,000."), ("12时", "at 12."), ("2021年7月", "in July 2021."),
    ("1,200人", "by 1200."), ("3.50万", "by 35,000."), ("007号", "No. 7."), ("十分3", "by 3.")])
def test_unread_numbers_shortcut_on_the_edges(source, target):
    """Readings that keep no value of the digits (成, fractions, 倍 after a unit), an
    ordinal month, mega, approximations, skip words, odd spellings."""
    _unread_case(source, target)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ZH_BEFORE), st.sampled_from(_ZH_PIECES),
                          st.sampled_from(_ZH_AFTER), st.sampled_from(_ZH_FILL)), max_size=4),
       st.data())
def test_unread_numbers_shortcut_matches_the_comparison(pieces, data):
    """Generated pairs; the target mostly repeats the source's digits, where the shortcut
    has to be right."""
    source = "".join(b + n + a + f for b, n, a, f in pieces)
    own = [n for _, n, _, _ in pieces if n.isascii()]
    target = " ".join(data.draw(st.lists(st.sampled_from(own * 3 + _EN_PIECES) if own
                                         else st.sampled_from(_EN_PIECES), max_size=5)))
    _unread_case(source, target)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.tuples(st.sampled_from(_ZH_BEFORE), st.sampled_from(_ZH_PIECES),
                                             st.sampled_from(_ZH_AFTER), st.sampled_from(_ZH_FILL)),
                                   max_size=4),
                          st.lists(st.sampled_from(_EN_PIECES), max_size=6)), min_size=1, max_size=4))
def test_number_comparisons_are_the_same_without_the_shortcut(segments):
    """The document's comparisons (what SRC001/002/003/051 report from) with the shortcut
    and with every segment read and compared."""
    from mtclean.source import numbers

    src = "\n".join("".join(b + n + a + f for b, n, a, f in p) or "无" for p, _ in segments)
    tgt = "\n".join(" ".join(w) or "none" for _, w in segments)

    def compared():
        doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
        return [(p.index, c.missing, c.changed, c.extra) for p, c in numbers.comparisons(doc, _RULE)]

    shortcut = compared()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(numbers, "_to_compare", lambda text, pairs, matches, spans, covered: [
            (k, False) for k, p in enumerate(pairs) if matches[p.index] or numbers._ANY_DIGIT(p.target)])
        assert compared() == shortcut


def test_unread_numbers_shortcut_settles_the_usual_pair():
    """7月 as July, 3.5亿 as 350 million and 2021年 as 2021: no number is read."""
    from mtclean.source import numbers, zhnum

    source, target = "2021年7月，收入3.5亿元。", "In July 2021, revenue was 350 million yuan."

    def settled(src, tgt):
        (matches,) = zhnum.segment_matches(src, [(0, len(src))])
        assert len(matches) == 3
        return numbers._settled_unread(src, matches, (), 0, len(src), src, tgt)

    assert settled(source, target)
    assert not settled(source, target.replace("350", "35"))  # a slip: the full comparison says so
    assert not settled(source.replace("收入", "收上"), target)  # 上3.5亿 is not read: 350 unexplained


# -- whole-number test, name-word regex ----------------------------------------------------

def _whole_by_slices(target: str, s: str) -> bool:
    """`numbers._whole` as first written (slices padded with spaces): the reference."""
    i = target.find(s)
    while i != -1:
        j = i + len(s)
        before = target[max(0, i - 2):i].rjust(2)
        after = target[j:j + 2].ljust(2)
        if not (before[1].isdigit() or (before[1] in ".," and before[0].isdigit())) and \
                not (after[0].isdigit() or (after[0] in ".," and after[1].isdigit())):
            return True
        i = target.find(s, i + 1)
    return False


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123 .,a３²", max_size=14), st.text(alphabet="0123.,", min_size=1, max_size=4))
def test_whole_number_test_reads_as_the_slices_did(target, s):
    """The character-by-character `_whole` answers what the slice version answered, at
    the text's edges, beside points, commas and Unicode digits."""
    from mtclean.source import numbers

    assert numbers._whole(target, s) == _whole_by_slices(target, s)


_LETTERS = "aeiougnhzcsxqjlwyr"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_LETTERS + "AZXNS -'", max_size=20))
def test_finals_by_first_letter_match_as_the_list_did(text):
    """The name-word regex with the finals grouped by first letter finds what it found
    with the 26 finals listed one by one (the first final that matches is the same)."""
    import re

    listed = "(?:" + "|".join(names._FINALS) + ")"
    assert names._FINAL in names._NAME_WORD.pattern
    old_word = re.compile(names._NAME_WORD.pattern.replace(names._FINAL, listed))
    old_shape = re.compile(names._SHAPE.replace(names._FINAL, listed), re.IGNORECASE).fullmatch
    assert [m.span() for m in names._NAME_WORD.finditer(text)] == [m.span() for m in old_word.finditer(text)]
    for w in text.split():
        assert bool(names._PINYIN_SHAPE(w)) == bool(old_shape(w))


def _length_rule():
    from mtclean.api import build_engine

    return {r.id: r for r in build_engine(select=["SRC050"]).rules}["SRC050"]


_SRC050 = _length_rule()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="市政府官员 ab1", min_size=0, max_size=40),
                          st.text(alphabet="Officials met \t\r\n", min_size=0, max_size=60)),
                min_size=1, max_size=4),
       st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_length_ratio_counts_rare_spaces_only_where_they_are(segments, sep):
    """SRC050 counts tabs, carriage returns and line breaks in a target segment only when
    the document has them (a line holds no break): its hits are those of the rule that
    counts all four everywhere."""
    from mtclean.source import omission

    src = sep.join(s or "无" for s, _ in segments)
    tgt = sep.join(t.strip() or "none" for _, t in segments)
    try:
        al = pair_texts(tgt, src)
    except Exception:
        return  # texts that do not pair: no source check runs
    doc = Document(tgt, "-", attach(None, al))
    got = [(h.start, h.end, h.message) for h in omission.length_ratio(doc, _SRC050)]

    want = []
    rows = _SRC050.options["buckets"]
    for pair in al.pairs(tgt):
        n = omission.length(pair.source)
        if n < int(_SRC050.options.get("min_source", 6)):
            continue
        t = pair.target
        m = len(t) - t.count(" ") - t.count("\t") - t.count("\n") - t.count("\r")
        if not m:
            continue
        row = next(r for r in rows if r["max_source"] is None or n <= r["max_source"])
        if not float(row["low"]) <= m / n <= float(row["high"]):
            want.append(m)
    assert len(got) == len(want)
    assert all(f"({m} characters" in msg for (_, _, msg), m in zip(got, want))
