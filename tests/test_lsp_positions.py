"""The language server's pure parts: offsets to UTF-16/UTF-8/UTF-32 positions and back,
the changed span of two texts, editor changes checked incrementally == from scratch, and
the command's one-line error without pygls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types

from mtclean.editing.prepared import EngineCache
from mtclean.editing.session import Session
from mtclean.lsp.documents import OpenDocument, changed_span
from mtclean.lsp.positions import Positions

CHARS = st.sampled_from(list("ab ,.\n\r北京，𠮷😀é\u200b") + ["\r\n"])
TEXT = st.lists(CHARS, max_size=40).map("".join)


def utf16_position(text: str, offset: int) -> types.Position:
    """The reference: count lines and UTF-16 units by encoding."""
    before = text[:offset]
    line = before.count("\n")
    col = before[before.rfind("\n") + 1:]
    return types.Position(line, len(col.encode("utf-16-le")) // 2)


@given(TEXT, st.data())
def test_offset_to_position_and_back(text, data):
    offset = data.draw(st.integers(0, len(text)))
    pos = Positions(text)
    p = pos.position(offset)
    assert p == utf16_position(text, offset)
    if not (offset > 0 and text[offset - 1] == "\r" and text[offset:offset + 1] == "\n"):
        assert pos.offset(p) == offset


def test_known_columns():
    text = "𠮷a\n北京😀b\r\nc"
    for enc, col_a, col_b in (("utf-16", 2, 4), ("utf-8", 4, 10), ("utf-32", 1, 3)):
        pos = Positions(text, enc)
        assert pos.position(1) == types.Position(0, col_a)
        assert pos.position(text.index("b")) == types.Position(1, col_b)
        assert pos.offset(types.Position(1, col_b)) == text.index("b")
    # inside a surrogate pair, or past the end of a line: clamp, never split a character
    assert Positions(text).offset(types.Position(0, 1)) == 0
    assert Positions(text).offset(types.Position(1, 99)) == text.index("\r")
    assert Positions(text).offset(types.Position(9, 0)) == len(text)


@given(TEXT, TEXT)
def test_changed_span(old, new):
    a, old_end, new_end = changed_span(old, new)
    assert old[:a] + new[a:new_end] + old[old_end:] == new
    assert old[:a] == new[:a] and old[old_end:] == new[new_end:]


PARAS = ["Trade grew , officials said.", "Kostelnik met the press.", "Kostelnick spoke too.",
         "The fair opened in the the city.", "Prices  rose，then fell.", "𠮷 said it was fine."] + [
    p.strip() for f in sorted((Path(__file__).resolve().parent.parent / "samples").iterdir())
    for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
EDITS = ["", " ", "\n\n", "\n", ",", "“", '"', "Kostelnick", "the the", "北京，", "𠮷",
         " Said That The", "(End)", "Reduce"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PARAS), min_size=1, max_size=5), st.data())
def test_editor_changes_checked_incrementally_equal_a_full_check(paras, data):
    engines = EngineCache()
    text = "\n\n".join(paras) + "\n"
    doc = OpenDocument("file:///x/a.txt", "/x/a.txt", False, 1, text, "utf-16")
    doc.check(engines)
    for version in range(2, 5):
        pos = Positions(doc.text)
        a = data.draw(st.integers(0, len(doc.text)))
        b = data.draw(st.integers(a, min(len(doc.text), a + 40)))
        new = data.draw(st.sampled_from(EDITS))
        before = doc.text
        doc.change([types.TextDocumentContentChangePartial(
            range=pos.range(a, b), text=new)], version)
        assert doc.text == before[:a] + new + before[b:]
        found = doc.check(engines)
        fresh = Session.open("/x/a.txt", engines, text=doc.text).findings
        assert [f.as_dict() for f in found] == [f.as_dict() for f in fresh]


def test_without_pygls_the_command_says_what_to_install():
    code = ("import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
            "from mtclean.cli import main; main(['lsp'])")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.count("\n") == 1 and "pip install 'mtclean[lsp]'" in res.stderr


def test_fix_all_matches_mtclean_fix_on_every_sample(tmp_path):
    from mtclean.api import fix_text
    from mtclean.fixes import Edit, apply
    from mtclean.lsp.actions import fix_all_edits

    engines = EngineCache()
    samples = sorted((Path(__file__).resolve().parent.parent / "samples").iterdir())
    assert len(samples) >= 8
    for sample in samples:
        text = sample.read_text(encoding="utf-8")
        copy = tmp_path / sample.name
        copy.write_text(text, encoding="utf-8")
        doc = OpenDocument(copy.as_uri(), str(copy), sample.suffix == ".md", 1, text, "utf-16")
        doc.check(engines)
        edits = [Edit(a, b, new) for a, b, new in fix_all_edits(doc)]
        assert apply(text, edits) == fix_text(text, path=str(copy))[0], sample.name
