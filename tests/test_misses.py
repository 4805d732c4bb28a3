"""Misses and false positives on plain copy (issue 13): the case table misses.yaml run
with every rule, and the batch score of untranslated records."""

from __future__ import annotations

import json

from click.testing import CliRunner

from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.batch import score
from mtclean.cli import main
from mtclean.document import Document

TABLE = load_table("misses.yaml")
ENGINE = build_engine()

test_flag, test_pass = table_tests(TABLE, ENGINE)


def test_one_finding_per_untranslated_sentence():
    """CJK004 stays out of a sentence CJK005 reports: one problem, one finding."""
    text = "Rain fell.\n\n北京今天下雨，气温下降了五度。"
    found = ENGINE.check(Document(text))
    assert [f.rule for f in found] == ["CJK005"]


def test_untranslated_share_caps_the_score():
    assert score.quality(20, ["error"], [], untranslated=1.0) == 0.0
    assert score.quality(200, ["error"], [], untranslated=0.5) == 50.0
    assert score.quality(200, [], [], untranslated=0.0) == 100.0


def test_batch_drops_an_all_chinese_record(tmp_path):
    rows = [{"id": 0, "text": "The port handled more cargo in May than a year earlier."},
            {"id": 1, "text": "市场监管总局发布了新的食品安全标准，将于明年实施。"},
            {"id": 2, "text": "Trade rose in May. 出口增长了百分之五。 Imports fell."}]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--drop-below", "60", "-q"])
    assert r.exit_code == 0, r.output
    kept = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    dropped = [json.loads(l) for l in (tmp_path / "out.dropped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [k["id"] for k in kept] == [0]
    assert {d["id"]: d["mtclean"]["score"] for d in dropped}[1] == 0.0
    assert sorted(d["id"] for d in dropped) == [1, 2]


def test_fullwidth_digits_give_one_finding_each():
    text = "Output grew ５.２ percent in ２０２３ and the ＧＤＰ２ index rose."
    found = ENGINE.check(Document(text))
    spans = [(f.start, f.end) for f in found]
    assert len(spans) == len(set(spans)) == 3, [(f.rule, f.text) for f in found]
    assert sorted(f.rule for f in found) == ["CJK003", "NUM002", "NUM002"]


def test_doubled_quotes_are_one_finding_per_quotation():
    text = 'The chain runs ""two establishments"" and ""a third"" near the station.'
    found = ENGINE.check(Document(text))
    assert [f.rule for f in found] == ["QUO005", "QUO005"]
