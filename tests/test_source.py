"""Source-aware checking end to end: pairing, the command line, the API, batch, and the
number readers on both sides."""

from __future__ import annotations

import json

import pytest

from mtclean.api import check_text, fix_text
from mtclean.errors import InputError
from mtclean.source import ennum, pair_texts, zhnum

SRC = "该港口去年处理了3.5亿个集装箱。\n教练张继科称赞了球队。\n市长说：“我们会在冬天前重建所有的桥梁。”\n"
TGT = ("The port handled 35 million containers last year.\n"
       "Coach Zhang Jike praised the team , officials said.\n"
       "The mayor said: \"We will rebuild all the bridges before winter.\"\n")


# -- pairing ---------------------------------------------------------------------------

def test_line_mode_when_line_counts_agree():
    al = pair_texts("a\nb\n", "甲\n乙\n")
    assert al.mode == "line"
    assert [p.source for p in al.pairs("a\nb\n")] == ["甲", "乙"]


def test_paragraph_mode_when_only_paragraphs_agree():
    text = "First line\nwrapped here.\n\nSecond paragraph.\n"
    al = pair_texts(text, "第一段。\n\n第二段。\n")
    assert al.mode == "paragraph"
    pairs = al.pairs(text)
    assert [text[p.start:p.end] for p in pairs] == ["First line\nwrapped here.", "Second paragraph."]
    assert [p.source_line for p in pairs] == [1, 3]


def test_count_mismatch_names_both_files_and_the_divergence():
    with pytest.raises(InputError) as exc:
        pair_texts("one\n\nthree\nfour\n", "一\n二\n三\n", "t.txt", "s.txt")
    msg = str(exc.value)
    assert "s.txt and t.txt do not align" in msg and "line 2 is blank in the target only" in msg
    with pytest.raises(InputError, match="line 3 exists in the source only"):
        pair_texts("one\ntwo\n", "一\n二\n三\n")


def test_pairs_vanish_when_a_fix_changes_the_segmentation():
    al = pair_texts("a\nb", "甲\n乙")
    assert al.pairs("a b") == []


# -- API -------------------------------------------------------------------------------

def test_check_text_with_source_reports_source_span():
    found = check_text(TGT, source=SRC, select=["SRC"])
    garble = [f for f in found if f.rule == "SRC002"]
    assert [f.text for f in garble] == ["35 million"]
    a, b = garble[0].source_span
    assert SRC.splitlines()[0][a:b] == "3.5亿"
    assert garble[0].as_dict()["source_span"] == [a, b]


def test_monolingual_findings_keep_the_exact_contract():
    found = check_text(TGT)
    assert found and all("source_span" not in f.as_dict() for f in found)
    keys = {"path", "rule", "category", "severity", "message", "start", "end", "line", "column",
            "end_line", "end_column", "text", "fix", "source"}
    assert all(set(f.as_dict()) == keys for f in found)


def test_without_source_the_source_rules_are_silent():
    assert not [f for f in check_text(TGT) if f.rule.startswith("SRC")]


def test_fix_with_source_never_joins_lines():
    text = "The port handled 350 million\ncontainers last year.\n"
    src = "该港口去年处理了\n3.5亿个集装箱。\n"
    fixed, _, _ = fix_text(text, unsafe=True, source=src)
    assert fixed.count("\n") == text.count("\n")
    fixed_mono, _, _ = fix_text(text, unsafe=True)
    assert fixed_mono.count("\n") < text.count("\n")  # SB002 joins the broken line without a source


def test_source_overrules_name001_and_fixes_the_other_way():
    src = "卓乃湖保护站的工作人员巡山。\n卓乃湖是藏羚羊的产房。\n卓乃湖附近发现了幼崽。\n卓乃湖的管护员很忙。\n"
    text = ("Staff of the Zhuonai Lake station patrolled the hills.\nZhonai Lake is a calving ground.\n"
            "Cubs were found near Zhonai Lake.\nThe rangers of Zhonai Lake are busy.\n")
    mono = [f for f in check_text(text) if f.rule == "NAME001"]
    assert [(f.text, f.fix.replacement) for f in mono] == [("Zhuonai", "Zhonai")]  # by frequency
    found = check_text(text, source=src)
    assert not [f for f in found if f.rule == "NAME001"]  # 卓乃 reads Zhuonai
    assert {(f.text, f.fix.replacement) for f in found if f.rule == "SRC020"} == {("Zhonai", "Zhuonai")}
    fixed, _, _ = fix_text(text, unsafe=True, source=src)
    assert "Zhonai" not in fixed and fixed.count("Zhuonai") == 4


# -- command line ----------------------------------------------------------------------

def test_cli_check_with_source(run_cli, write):
    s, t = write("src.txt", SRC), write("tgt.txt", TGT)
    res = run_cli("check", "--source", s, t, "--output-format", "json")
    assert res.exit_code == 1
    found = json.loads(res.stdout)
    src_rules = [f for f in found if f["rule"].startswith("SRC")]
    assert {f["rule"] for f in src_rules} == {"SRC002"}
    assert all("source_span" in f for f in src_rules)
    assert all("source_span" not in f for f in found if not f["rule"].startswith("SRC"))
    for f in found:
        assert TGT[f["start"]:f["end"]] == f["text"]


def test_cli_mismatch_is_one_line_and_exit_2(run_cli, write):
    s, t = write("src.txt", "一\n二\n三\n"), write("tgt.txt", "one\n\nthree\nfour\n")
    res = run_cli("check", "--source", s, t)
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and str(s) in res.stderr and str(t) in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_source_needs_one_target(run_cli, write):
    s, t = write("src.txt", SRC), write("tgt.txt", TGT)
    res = run_cli("check", "--source", s, t, t)
    assert res.exit_code == 2 and "one target file" in res.stderr


def test_cli_missing_source_file(run_cli, write):
    t = write("tgt.txt", TGT)
    res = run_cli("check", "--source", "nope.txt", t)
    assert res.exit_code == 2 and "nope.txt: no such file" in res.stderr


def test_cli_fix_with_source_keeps_the_pairing(run_cli, write):
    s = write("src.txt", "该港口去年处理了\n3.5亿个集装箱，官员说。\n")
    t = write("tgt.txt", "The port handled 350 million\ncontainers last year , officials said.\n")
    res = run_cli("fix", "--source", s, t)
    assert res.exit_code in (0, 1)
    assert t.read_text(encoding="utf-8") == "The port handled 350 million\ncontainers last year, officials said.\n"


# -- batch -----------------------------------------------------------------------------

def test_batch_source_field_jsonl(run_cli, write, tmp_path):
    rows = [{"text": "The port handled 35 million containers last year.", "zh": "该港口去年处理了3.5亿个集装箱。"},
            {"text": "The port handled 350 million containers last year.", "zh": "该港口去年处理了3.5亿个集装箱。"},
            {"text": "No source for this record."}]
    p = write("in.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", p, "-o", out, "--source-field", "zh")
    assert res.exit_code == 0, res.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [f["rule"] for f in recs[0]["mtclean"]["findings"]] == ["SRC002"]
    assert recs[1]["mtclean"]["findings"] == []
    assert "2 records checked against their source, 1 without one" in res.stderr


def test_batch_source_column_tsv(run_cli, write, tmp_path):
    p = write("in.tsv", "en\tzh\nThe port handled 35 million containers.\t该港口处理了3.5亿个集装箱。\n")
    out = tmp_path / "out.tsv"
    findings = tmp_path / "f.jsonl"
    res = run_cli("batch", p, "-o", out, "--text-field", "en", "--source-field", "zh",
                  "--findings", findings)
    assert res.exit_code == 0, res.stderr
    rec = json.loads(findings.read_text(encoding="utf-8").splitlines()[0])
    assert [f["rule"] for f in rec["findings"]] == ["SRC002"]


# -- number readers --------------------------------------------------------------------

@pytest.mark.parametrize("zh,kind,value", [
    ("3.5亿", "number", 3.5e8), ("1.2万", "number", 12000), ("三千五百", "number", 3500),
    ("两万", "number", 20000), ("百分之五", "percent", 5), ("三分之一", "fraction", 1 / 3),
    ("2021年", "year", 2021), ("二〇二一年", "year", 2021), ("7月", "month", 7),
    ("1.2万亿", "number", 1.2e12), ("六成", "percent", 60), ("第14", "ordinal", 14),
])
def test_zh_numbers(zh, kind, value):
    (n,) = zhnum.extract(zh)
    assert n.kind == kind and any(abs(v - value) < 1e-6 * max(1, value) for v in n.values)


@pytest.mark.parametrize("zh", ["十分", "一个", "数百人", "几十万", "三四个", "一五一十", "第二天", "千万"])
def test_zh_words_that_only_look_numeric(zh):
    assert zhnum.extract(zh, frozenset({"十分", "千万"})) == []


@pytest.mark.parametrize("en,value", [
    ("350 million", 3.5e8), ("12,000", 12000), ("$1.2bn", 1.2e9), ("twenty-five", 25),
    ("three hundred and fifty", 350), ("the 23rd", 23), ("July", 7), ("a third", 1 / 3),
    ("two-thirds", 2 / 3), ("doubled", 2), ("1990s", 1990), ("50K", 50000),
])
def test_en_numbers(en, value):
    vals = {v for n in ennum.extract(en) for v in n.values}
    assert any(abs(v - value) < 1e-6 * max(1, value) for v in vals), vals


def test_en_number_inside_a_code_is_attached():
    (n,) = [n for n in ennum.extract("COVID-19 cases") if 19.0 in n.values]
    assert n.attached


# -- names -----------------------------------------------------------------------------

def test_a_name_read_in_two_places_takes_the_one_where_it_stands():
    """继玲 and 际领 (in 国际领域) both read "jiling": the name goes to the place that
    matches its position in the sentence, never to whichever one set order gives first."""
    from mtclean.document import Document
    from mtclean.source import attach
    from mtclean.source.names import name_map

    src = "她在国际领域的老朋友董继玲昨天说。"
    tgt = "Her old friend in the international field, Jiling Dong, said yesterday."
    doc = Document(tgt, "-", attach(None, pair_texts(tgt, src)))
    (found,) = [r for r in name_map(doc).found if r.text == "Jiling"]
    assert (found.han, found.source_start) == ("继玲", src.index("继玲"))


def _runs_reference(text: str) -> list:
    """The plain reading of _runs: every capitalized word, its shape tested on its own."""
    import re

    from mtclean.source.names import _PINYIN_SHAPE

    runs, last = [], -2
    for m in re.finditer(r"[A-Z][a-z]+(?:-[a-z]+)?", text):
        a = m.start()
        if a and (text[a - 1].isalnum() or text[a - 1] in "'’-"):
            continue
        if not _PINYIN_SHAPE(m[0].replace("-", "")):
            last = -2
            continue
        pos = a
        for part in m[0].split("-"):
            if runs and last + 1 == pos and len(runs[-1]) < 3 and text[pos - 1] in " -":
                runs[-1].append((part, pos, pos + len(part)))
            else:
                runs.append([(part, pos, pos + len(part))])
            last = pos + len(part)
            pos = last + 1
    return runs


_NAMEISH = ["Zhang", "Jike", "Xi", "Jin-ping", "Xi-an", "An", "Ng", "The", "China's", "McDonald",
            "Zhuang", "Ang", "Er", "Van", "Qingshui", "BEIJING", "Li", "Eu", "Ou", "Nan-jing", "A",
            "iPhone", "Huang", "Wu"]


@pytest.mark.parametrize("seed", range(5))
def test_name_word_scan_matches_the_plain_reading(seed):
    """The one-regex scan (the shape test inside it) finds the runs the plain loop finds."""
    import random

    from mtclean.source.names import _runs

    rnd = random.Random(seed)
    seps = [" ", " ", "-", "'", "’", "  ", "", "\n", "2", "_", ", "]
    for _ in range(400):
        text = "".join(rnd.choice(_NAMEISH) + rnd.choice(seps) for _ in range(rnd.randint(1, 8)))
        assert _runs(text, {}) == _runs_reference(text), text


def test_number_patterns_have_the_groups_read_reads_in_order():
    """`zhnum._read` unpacks `m.groups()`: the five named groups, in this order, and no other."""
    for pattern in (zhnum.NUMBER, zhnum.STRICT):
        assert pattern.groupindex == {"pre": 1, "num": 2, "unit": 3, "fnum": 4, "post": 5}
        assert pattern.groups == 5


@pytest.mark.parametrize("target, shown, whole", [
    ("5 were hurt in 23", "5", True),       # at the start: the slice before it must not wrap
    ("5 were hurt in 2.3", "5", True),
    ("15 were hurt", "5", False),
    ("35 were hurt", "35", True),
    ("1,35", "35", False),
    ("3.55", "3.5", False),
    ("up 3.5", "3.5", True),
])
def test_whole_number_match_at_the_text_edges(target, shown, whole):
    from mtclean.source.numbers import _whole
    assert _whole(target, shown) is whole
