"""The source checks' shortcuts give what their full path gives, on generated pairs."""

from __future__ import annotations

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
    two) before any scan: the names read are the same as without it."""
    src_lines = ["".join(s) for s in sources]
    text = "".join(w + s for w, s in words).replace("\n", " ")
    tgt_lines = [text] + [text[::-1].title()] * (len(src_lines) - 1)
    tgt, src = "\n".join(tgt_lines), "\n".join(src_lines)

    def read():
        doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
        return [(r.start, r.end, r.han, r.source_start) for r in names.name_map(doc).found]

    shortcut = read()
    solo = names._solo
    names._solo = lambda cands, size: cands  # the full path: every leading syllable tried
    try:
        assert read() == shortcut
    finally:
        names._solo = solo


def test_lone_word_shortcut_keeps_a_two_character_reading():
    """Zhang alone still reads as 渣嗯 (zha + ng): only the one-character cut is dropped."""
    tgt, src = "Zhang said.", "渣嗯说。"
    doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
    assert [(r.text, r.han) for r in names.name_map(doc).found] == [("Zhang", "渣嗯")]
