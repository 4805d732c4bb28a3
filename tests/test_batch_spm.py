"""sentencepiece in `mtclean batch`: <unk>/pieces statistics and the nmt_nfkc fix step."""

from __future__ import annotations

import io
import json

import pytest
import sentencepiece as spm
from hypothesis import given, settings, strategies as st

from mtclean.batch.spm import changes, make_normalizer, normalizer_detector
from mtclean.document import Document
from mtclean import fixes
from test_batch_records import batch, make_corpus, read_jsonl, write_jsonl


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    """A tiny model trained on ASCII news-like text, without normalization (like a user's
    model trained on raw text): full-width letters are out of its vocabulary."""
    sents = [r["text"] for r in make_corpus(400, seed=31)]
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(sents), model_writer=buf, vocab_size=120,
                                   normalization_rule_name="identity", character_coverage=1.0,
                                   hard_vocab_limit=False, minloglevel=2)
    path = tmp_path_factory.mktemp("spm") / "tiny.model"
    path.write_bytes(buf.getvalue())
    return path


WIDE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,"})


def test_unk_rate_drops_after_normalizing(tmp_path, model_path):
    rows = make_corpus(30, seed=32)
    for r in rows[::3]:
        r["text"] = r["text"].split(" ", 2)[0] + " " + r["text"].split(" ", 2)[1].translate(WIDE) + " " + r["text"].split(" ", 2)[2]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    r = batch(src, "-o", out, "--select", "SPC001", "--normalize", "nmt_nfkc", "--spm-model", model_path,
              "--spm-worst", "3", "--stats", stats)
    assert r.exit_code == 0, r.output
    sp = json.loads(stats.read_text())["sentencepiece"]
    assert sp["before"]["unk_rate"] > 0 and sp["after"]["unk_rate"] < sp["before"]["unk_rate"]
    assert sp["after"]["pieces_per_word"] < sp["before"]["pieces_per_word"]
    assert len(sp["worst"]) == 3
    worst = sp["worst"][0]
    assert worst["record"].startswith(str(src) + ":") and worst["before"]["unk_rate"] > worst["after"]["unk_rate"]
    assert "<unk> rate" in r.output and "pieces/word" in r.output
    got = read_jsonl(out)
    assert all(g["text"].isascii() for g in got)
    assert got[0]["mtclean"]["fixed"].get("NORM001")


def test_bad_model_is_one_line_exit_2(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, make_corpus(3))
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    r = batch(src, "-o", tmp_path / "o.jsonl", "--spm-model", bad)
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "sentencepiece model" in r.output


def test_normalizer_findings_have_exact_spans():
    text = "Ｔｈｅ ｆｉｒｍ said\n\nＡ second ﬁle ① e\u0301 line"
    found = normalizer_detector("nmt_nfkc")(Document(text), [])
    assert found
    for f in found:
        assert text[f.start:f.end] == f.text and f.fix.safety == "safe"
    fixed = fixes.apply(text, fixes.plan(found))
    assert fixed == "The firm said\n\nA second file 1 é line"


TRICKY = "aZ ,.\t\u3000\u00a0\ufb01\u2460\u2167\uff21\uff41\uff0c\u0301e\u00e9\u200b\u4e2d\U0001F600-\u2014"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=TRICKY, max_size=30))
def test_changes_rebuild_the_normalized_line(line):
    norm = make_normalizer("nmt_nfkc")
    spans = changes(norm, line)
    out, pos = [], 0
    for a, b, rep in spans:
        assert pos <= a <= b <= len(line)
        out.append(line[pos:a])
        out.append(rep)
        pos = b
    out.append(line[pos:])
    assert "".join(out) == norm.normalize(line)
