"""A large file checked in blocks (mtclean/blockcheck.py) gets exactly the findings, and
the report, of one check of the whole text; small block sizes put a block boundary next
to every kind of finding."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mtclean import blockcheck, cli
from mtclean.document import Document
from mtclean.textio import SourceText

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))

# Paragraphs written for this test, each with something for a family of checks: names
# spelled two ways in different paragraphs, headlines and Title Case, repeated sentences
# and phrases, quotes left open across paragraphs, CJK marks, spacing, indentation.
PARAGRAPHS = [
    "Harbour Board Approves New Ferry Terminal For The Old Port",
    "Minister Talvik Ormesson opened the terminal on Monday. Ormeson said the ferries would run hourly.",
    "The council met on Monday. The council met on Monday.",
    "Ormesson told reporters \u201cthe budget is tight\" and left   early .",
    "the  ferry company said it would hire 3 hundred staff\uff08mostly local\uff09\u3002",
    "\u201cWe will keep building,\u201d she said.\n\u201cThe port is busy",
    "\u201cand it will stay busy,\u201d the mayor added , pointing at the the cranes",
    "   Officials said the Terminal would Reduce waiting times for passengers from the islands.",
    "The Plan Was Approved By The Board And The Work Will Start In The Spring Next Year.",
    "Dock workers said the new cranes were faster and safer than the old ones",
    "Trade rose 5%\uff0c up from last year, said Kostelnik of the port authority.",
    "Kostelnick said exports would grow\u3000again next year.trade was strong.",
    "Line one\nof a list\nof three lines",
    "\u3010Editor: Wang Jie\u3011",
    "He said \"the work is done\"and left.Officials   agreed with with him .  ",
]


def _news(seed: int, paragraphs: int) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        out.append(rng.choice(PARAGRAPHS))
        out.append(rng.choice(["\n\n", "\n\n", "\r\n\r\n", "\n \n\n", "\n\n\n"]))
    return "".join(out)


def _both_ways(text: str, block_chars: int, path: str = "news.txt") -> tuple[list, list]:
    runner = cli.Runner(cli.Options())
    engine, keep, context = runner.prepare(path)
    assert blockcheck.can_split(engine, text)
    doc = Document(text, path, context)
    whole = [f.as_dict() for f in keep(doc, engine.check(doc))]
    found, _ = blockcheck.check(engine, keep, SourceText(path, text), context, block_chars)
    return whole, [f.as_dict() for f in found]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("block_chars", [1, 150, 700])
def test_generated_news_same_findings(seed, block_chars):
    whole, blocks = _both_ways(_news(seed, 60), block_chars)
    assert len({f["rule"] for f in whole}) >= 10, "the text must exercise many rules"
    assert blocks == whole


@pytest.mark.parametrize("block_chars", [1, 400])
def test_samples_same_findings(block_chars):
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in SAMPLES)
    whole, blocks = _both_ways(text, block_chars)
    assert whole and blocks == whole


@pytest.mark.parametrize("text", ["", "\n\n", "One line without a stop", "  \n\nTrailing  \n\n  "])
def test_edge_texts(text):
    whole, blocks = _both_ways(text, 1)
    assert blocks == whole


def test_blocks_cover_the_text_once():
    text = _news(4, 40)
    paras = Document(text).paragraphs
    cuts = list(blockcheck.blocks(paras, len(text), 300))
    assert len(cuts) > 5
    assert cuts[0][2] == 0 and cuts[-1][3] == len(text) + 1
    for (_, _, _, hi), (_, _, lo, _) in zip(cuts, cuts[1:]):
        assert hi == lo
    for w_lo, w_hi, own_lo, own_hi in cuts:
        assert w_lo <= own_lo and min(own_hi, len(text)) <= w_hi


def test_windows_are_small(monkeypatch):
    """Only the document-level pass sees the whole text; the rest see one block each."""
    sizes = []

    class Spy(Document):
        def __init__(self, text, *args, **kw):
            sizes.append(len(text))
            super().__init__(text, *args, **kw)

    monkeypatch.setattr(blockcheck, "Document", Spy)
    text = _news(5, 200)
    _both_ways(text, 500)
    assert sizes[0] == len(text)
    assert len(sizes) > 10 and max(sizes[1:]) < len(text) / 5


def test_stored_text_reads_like_the_document():
    text = "Caf\u00e9 opened\uff0c said Li.\r\n\r\nSecond \u4e2d line\nthird\n\n\U0001F600 end"
    doc = Document(text)
    stored = blockcheck.StoredText(text, "x.txt", doc.context)
    for offset in range(len(text) + 1):
        assert stored.position(offset) == doc.position(offset)
    for line in range(1, len(doc.line_starts) + 1):
        assert stored.line_text(line) == doc.line_text(line)
    offsets = [0, 4, 11, 30, len(text)]
    at = stored.byte_offsets(text, offsets)
    assert [at[o] for o in offsets] == [len(text[:o].encode("utf-8")) for o in offsets]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_report_same_in_blocks(write, run_cli, monkeypatch, fmt):
    path = write("news.txt", _news(6, 80))
    monkeypatch.setattr(blockcheck, "BLOCK_CHARS", 600)
    whole = run_cli("check", "--output-format", fmt, str(path))
    monkeypatch.setattr(cli, "BLOCKWISE_TEXT", 1000)
    called = []
    real = blockcheck.check
    monkeypatch.setattr(blockcheck, "check", lambda *a, **k: called.append(1) or real(*a, **k))
    blocks = run_cli("check", "--output-format", fmt, str(path))
    assert called, "the file must be checked in blocks"
    assert whole.exit_code == blocks.exit_code == 1
    assert blocks.stdout == whole.stdout


def test_cli_suppression_comment_checks_whole(write, run_cli, monkeypatch):
    text = (REPO / "samples" / "markdown-suppression.md").read_text(encoding="utf-8")
    path = write("doc.md", text + "\n\n" + _news(7, 30))
    whole = run_cli("check", str(path))
    monkeypatch.setattr(cli, "BLOCKWISE_TEXT", 100)
    monkeypatch.setattr(blockcheck, "check", None)  # must not be reached
    assert run_cli("check", str(path)).stdout == whole.stdout


def test_user_pattern_rule_checks_whole(write, run_cli, monkeypatch):
    rules = write("house.yaml", "version: 1\nrules:\n  - id: HSE001\n    name: across-paragraphs\n"
                  "    category: style\n    severity: info\n    message: Long stretch\n"
                  "    kind: pattern\n    pattern: '(?s)Minister.{200,}?council'\n")
    path = write("news.txt", _news(8, 40))
    whole = run_cli("check", "--rules", str(rules), str(path))
    assert "HSE001" in whole.stdout
    monkeypatch.setattr(cli, "BLOCKWISE_TEXT", 100)
    monkeypatch.setattr(blockcheck, "BLOCK_CHARS", 1)
    monkeypatch.setattr(blockcheck, "check", None)  # must not be reached
    assert run_cli("check", "--rules", str(rules), str(path)).stdout == whole.stdout
