"""The document model: exact spans, line/column lookup, and the text never altered."""

from __future__ import annotations

import dataclasses

import pytest

from mtclean.document import Document
from mtclean.textio import decode

TEXT = "Headline here\n\nFirst sentence. Second one.\r\nStill second paragraph.\n\n\u3000Third 😀 para.\n"


def test_text_is_kept_exactly():
    doc = Document(TEXT)
    _ = doc.paragraphs, doc.sentences, doc.line_starts
    assert doc.text == TEXT


def test_paragraph_spans():
    doc = Document(TEXT)
    assert [TEXT[a:b] for a, b in doc.paragraphs] == [
        "Headline here", "First sentence. Second one.\r\nStill second paragraph.", "Third 😀 para."]


def test_sentences_stay_inside_paragraphs():
    doc = Document(TEXT)
    assert [TEXT[a:b] for a, b in doc.sentences] == [
        "Headline here", "First sentence.", "Second one.", "Still second paragraph.", "Third 😀 para."]
    for a, b in doc.sentences:
        assert doc.paragraph_at(a) == doc.paragraph_at(b - 1)


@pytest.mark.parametrize("needle,expected", [
    ("Headline", (1, 1)),
    ("First", (3, 1)),
    ("Second", (3, 17)),
    ("Still", (4, 1)),
    ("Third", (6, 2)),
    ("para.", (6, 10)),  # the emoji counts as one code point
])
def test_position_is_one_based_code_points(needle, expected):
    assert Document(TEXT).position(TEXT.index(needle)) == expected


def test_position_at_end_of_text_and_line_end():
    doc = Document("ab\ncd")
    assert doc.position(5) == (2, 3)
    assert doc.position(2) == (1, 3)  # the newline itself sits after the last column
    assert doc.position(3) == (2, 1)


def test_line_text_strips_line_endings():
    doc = Document(TEXT)
    assert doc.line_text(1) == "Headline here"
    assert doc.line_text(2) == ""
    assert doc.line_text(3) == "First sentence. Second one."
    assert doc.line_text(6) == "\u3000Third 😀 para."
    assert doc.line_text(7) == ""


def test_paragraph_and_sentence_lookup():
    doc = Document(TEXT)
    off = TEXT.index("one.")
    a, b = doc.sentence_at(off)
    assert TEXT[a:b] == "Second one."
    a, b = doc.paragraph_at(off)
    assert TEXT[a:b].startswith("First sentence.")
    assert doc.paragraph_at(TEXT.index("\n\n") + 1) is None  # between paragraphs
    assert doc.sentence_at(TEXT.index("Headline") + 13) == (0, 13)  # end is inclusive


def test_empty_document():
    doc = Document("")
    assert doc.paragraphs == [] and doc.sentences == []
    assert doc.position(0) == (1, 1)
    assert doc.paragraph_at(0) is None and doc.sentence_at(0) is None


def test_single_long_line():
    text = "word " * 100_000
    doc = Document(text)
    assert doc.line_starts == [0]
    assert doc.position(len(text) - 1) == (1, len(text))


def test_decode_strips_bom_so_offsets_index_the_text():
    src = decode("\ufeffAbc".encode(), "x.txt")
    assert src.bom and src.text == "Abc"
    assert Document(src.text).position(0) == (1, 1)


def test_decode_keeps_crlf():
    assert decode(b"a\r\nb\r\n", "x.txt").text == "a\r\nb\r\n"


def test_check_context_is_frozen_and_typed():
    from pathlib import Path
    from mtclean.document import NO_CONTEXT, CheckContext

    assert Document("x").context is NO_CONTEXT and NO_CONTEXT.names == ()
    ctx = CheckContext(names=[Path("a.yaml"), "b.yaml"], entities=("c.yaml",))
    assert ctx.names == ("a.yaml", "b.yaml") and ctx.entities == ("c.yaml",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.names = ()
    with pytest.raises(TypeError, match="sequence of paths, not one path"):
        CheckContext(names="mtclean-names.yaml")  # would read as one path per letter
    with pytest.raises(TypeError, match="os.PathLike object, not list"):
        CheckContext(entities=[["nested"]])
