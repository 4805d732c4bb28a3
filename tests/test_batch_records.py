"""`mtclean batch` record handling: formats, malformed records, order, counts, filtering."""

from __future__ import annotations

import gzip
import json
import random

import pytest
import zstandard
from click.testing import CliRunner

from mtclean.batch import Settings, clean_records
from mtclean.batch.runner import derived_path
from mtclean.cli import main

PEOPLE = ["Ana Ortiz", "Tomas Berg", "Mei Lin", "Raj Patel", "Olga Ivanova", "Sam Okafor"]
PLACES = ["the harbour city", "the northern province", "the capital", "a coastal town"]
VERBS = ["said on Tuesday", "told reporters", "wrote in a statement", "confirmed late on Friday"]
TAILS = ["that the new bridge would open next spring.", "that exports rose by 4 percent.",
         "that the council had approved the plan.", "that talks would continue next week."]


def sentence(rng: random.Random, dirty: bool) -> str:
    """A made-up news sentence; dirty ones carry spacing artifacts the SPC rules fix."""
    s = f"{rng.choice(PEOPLE)}, an official in {rng.choice(PLACES)}, {rng.choice(VERBS)} {rng.choice(TAILS)}"
    if dirty:
        k = rng.randrange(3)
        if k == 0:
            s = s.replace(" official", "  official", 1)
        elif k == 1:
            s = s.replace(", an", " , an", 1)
        else:
            s = s.replace(" that", "  that", 1)
    return s


def make_corpus(n: int, seed: int = 0, docs: int = 4) -> list[dict]:
    rng = random.Random(seed)
    return [{"id": i, "doc": f"d{i // docs}", "text": sentence(rng, rng.random() < 0.4), "lang": "en"}
            for i in range(n)]


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def read_jsonl(path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]


def batch(*args, input=None):
    return CliRunner().invoke(main, ["batch", *map(str, args)], input=input)


def test_jsonl_cleans_text_keeps_fields_and_order(tmp_path):
    rows = make_corpus(60)
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    out = tmp_path / "out.jsonl"
    r = batch(src, "-o", out, "--select", "SPC001,SPC002", "-q")
    assert r.exit_code == 0, r.output
    got = read_jsonl(out)
    assert [g["id"] for g in got] == [row["id"] for row in rows]
    for g, row in zip(got, rows):
        assert g["lang"] == "en" and g["doc"] == row["doc"]
        assert "  " not in g["text"] and " ," not in g["text"]
        changed = g["text"] != row["text"]
        assert changed == bool(g["mtclean"]["fixed"])
        assert (g["mtclean"]["score"] < 100) == changed


def test_malformed_records_go_to_errors_with_line_numbers(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "Fine  here."}\n'
                    b'not json at all\n'
                    b'{"title": "no text field"}\n'
                    b'{"text": 42}\n'
                    b'[1, 2]\n'
                    b'{"text": "bad \xff byte"}\n'
                    b'\n'
                    b'{"text": "Last  one."}\n')
    out = tmp_path / "out.jsonl"
    stats = tmp_path / "stats.json"
    r = batch(src, "-o", out, "--select", "SPC", "--stats", stats)
    assert r.exit_code == 0
    assert "in.jsonl:2: malformed record (bad JSON" in r.output
    errs = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [e["line"] for e in errs] == [2, 3, 4, 5, 6, 7]
    assert "no field 'text'" in errs[1]["error"] and "not a string" in errs[2]["error"]
    assert "UTF-8" in errs[4]["error"] and errs[0]["raw"] == "not json at all"
    assert [g["text"] for g in read_jsonl(out)] == ["Fine here.", "Last one."]
    rec = json.loads(stats.read_text())["records"]
    assert rec == {"in": 8, "out": 2, "dropped": 0, "errors": 6}


def test_plain_text_gzip_and_zstd_by_extension(tmp_path):
    lines = ["Prices rose  sharply.", "", "No change here.", "Officials met , then left."]
    data = ("\n".join(lines) + "\n").encode()
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(data))
    (tmp_path / "b.txt.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    for name in ("a.txt.gz", "b.txt.zst"):
        out = tmp_path / (name + ".out.txt.gz")
        r = batch(tmp_path / name, "-o", out, "--select", "SPC001,SPC002", "-q")
        assert r.exit_code == 0, r.output
        assert gzip.decompress(out.read_bytes()).decode().split("\n") == [
            "Prices rose sharply.", "", "No change here.", "Officials met, then left.", ""]


def test_stdin_to_stdout(tmp_path):
    r = batch("-", "-o", "-", "--format", "jsonl", "--select", "SPC001", "-q",
              input='{"text": "One  two.", "k": 1}\n{"text": "Three."}\n')
    assert r.exit_code == 0
    got = [json.loads(l) for l in r.stdout.splitlines()]
    assert [g["text"] for g in got] == ["One two.", "Three."] and got[0]["k"] == 1


def test_tsv_by_column_name_keeps_header_and_other_columns(tmp_path):
    src = tmp_path / "in.tsv"
    src.write_text("id\tdoc\ttext\n1\tx\tThe vote  passed.\n2\tx\n3\ty\tAll  quiet.\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    r = batch(src, "-o", out, "--text-field", "text", "--doc-field", "doc", "--select", "SPC", "-q")
    assert r.exit_code == 0, r.output
    assert out.read_text() == "id\tdoc\ttext\n1\tx\tThe vote passed.\n3\ty\tAll quiet.\n"
    errs = read_jsonl(tmp_path / "out.errors.tsv")
    assert [e["line"] for e in errs] == [3] and "no column 3" in errs[0]["error"]


def test_tsv_by_column_number_without_header(tmp_path):
    src = tmp_path / "in.tsv"
    src.write_text("a\tOne  space.\nb\tTwo.\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    assert batch(src, "-o", out, "--text-field", "2", "--select", "SPC001", "-q").exit_code == 0
    assert out.read_text() == "a\tOne space.\nb\tTwo.\n"


def test_filtering_writes_dropped_records_and_counts_add_up(tmp_path):
    rows = make_corpus(80, seed=3)
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows + [{"text": None}])
    out, stats = tmp_path / "out.jsonl", tmp_path / "s.json"
    r = batch(src, "-o", out, "--select", "SPC", "--drop-below", "99.5", "--stats", stats, "-q")
    assert r.exit_code == 0
    kept, dropped = read_jsonl(out), read_jsonl(tmp_path / "out.dropped.jsonl")
    assert kept and dropped
    assert all(k["mtclean"]["score"] >= 99.5 for k in kept)
    assert all(d["mtclean"]["score"] < 99.5 for d in dropped)
    assert sorted(k["id"] for k in kept + dropped) == list(range(80))
    rec = json.loads(stats.read_text())["records"]
    assert rec["in"] == rec["out"] + rec["dropped"] + rec["errors"] == 81
    assert rec["errors"] == 1


CONSISTENCY_RULE = """\
version: 1
rules:
  - id: TST001
    name: test-spelling-seen-earlier
    category: name-consistency
    severity: warning
    message: Spelled Lyn earlier in the document
    rationale: A stand-in for cross-record name checks.
    kind: pattern
    pattern: '(?<=\\bLyn\\b[\\s\\S]*)\\bLin\\b'
    fix: {replacement: Lyn, safety: safe}
    examples:
      flag: [{text: "Lyn spoke. Lin left.", fixed: "Lyn spoke. Lyn left."}]
      pass: ["Lin left."]
"""


def test_doc_field_lets_checks_see_the_whole_document(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(CONSISTENCY_RULE, encoding="utf-8")
    rows = [{"doc": "a", "text": "Coach Lyn praised the team."},
            {"doc": "a", "text": "Lin said the season was long."},
            {"doc": "b", "text": "Lin opened a bakery."},
            {"text": "Lin waved."}]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    common = ["--rules", rules, "--select", "TST001", "-q"]
    out = tmp_path / "grouped.jsonl"
    assert batch(src, "-o", out, "--doc-field", "doc", *common).exit_code == 0
    got = read_jsonl(out)
    assert [g["text"] for g in got] == ["Coach Lyn praised the team.", "Lyn said the season was long.",
                                        "Lin opened a bakery.", "Lin waved."]
    assert got[1]["mtclean"]["fixed"] == {"TST001": 1}
    alone = tmp_path / "alone.jsonl"
    assert batch(src, "-o", alone, *common).exit_code == 0
    assert [g["text"] for g in read_jsonl(alone)] == [r["text"] for r in rows]


def test_findings_offsets_are_per_record_in_a_group(tmp_path):
    rows = [{"doc": "a", "text": "First record is fine."},
            {"doc": "a", "text": "Second has a\u3000wide gap ，here"}]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    out = tmp_path / "o.jsonl"
    assert batch(src, "-o", out, "--doc-field", "doc", "--info-field", "qa", "-q").exit_code == 0
    got = read_jsonl(out)
    for g in got:
        for f in g["qa"]["findings"]:
            assert 0 <= f["start"] <= f["end"] <= len(g["text"])


def test_workers_give_identical_output(tmp_path):
    rows = make_corpus(400, seed=5)
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert batch(src, "-o", one, "--chunk-size", "16", "-q").exit_code == 0
    assert batch(src, "-o", two, "--workers", "2", "--chunk-size", "16", "-q").exit_code == 0
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize("args, needle", [
    (["-o"], "requires an argument"),
    (["{src}"], "Missing option '-o'"),
    (["{src}", "-o", "{src}"], "would overwrite its own input"),
    (["{tmp}/missing.jsonl", "-o", "{tmp}/o.jsonl"], "no such file"),
    (["{src}", "-o", "{tmp}/o.jsonl.gz", "--resume"], "--resume needs uncompressed"),
    (["{src}", "-o", "-", "--drop-below", "50"], "needs --dropped"),
    (["{tmp}/data.bin", "-o", "{tmp}/o.jsonl"], "cannot tell the format"),
    (["{src}", "-o", "{tmp}/o.jsonl", "--workers", "0"], "at least 1"),
])
def test_usage_errors_are_one_line_exit_2(tmp_path, args, needle):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, make_corpus(3))
    (tmp_path / "data.bin").write_bytes(b"x")
    r = batch(*[a.format(src=src, tmp=tmp_path) for a in args])
    assert r.exit_code == 2
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.output


def test_derived_paths():
    assert derived_path("/x/out.jsonl.gz", "errors") == "/x/out.errors.jsonl.gz"
    assert derived_path("out", "dropped") == "out.dropped"


def test_python_api_clean_records():
    recs = [{"text": "Markets  closed.", "n": 1}, {"text": 3}, {"text": "Quiet day."}]
    got = list(clean_records(recs, Settings(select=("SPC001",))))
    assert got[0]["text"] == "Markets closed." and got[0]["n"] == 1
    assert "not a string" in got[1]["mtclean"]["error"]
    assert got[2]["mtclean"]["score"] == 100.0


EXPLODING_RULE = """\
version: 1
rules:
  - id: TST002
    name: test-explodes-on-marker
    category: style
    severity: warning
    message: never shown
    rationale: Stands in for a check with a bug that one odd record triggers.
    kind: check
    check: batch-test-explode
    examples:
      flag: [{text: "BOOM"}]
      pass: ["calm"]
"""


def test_a_check_crashing_on_one_record_sends_it_to_errors(tmp_path):
    from mtclean.checks import check

    @check("batch-test-explode")
    def explode(doc, rule):
        if "BOOM" in doc.text:
            raise ValueError("marker seen")
        return ()

    rules = tmp_path / "rules.yaml"
    rules.write_text(EXPLODING_RULE, encoding="utf-8")
    rows = [{"doc": "a", "text": "Calm  start."}, {"doc": "a", "text": "BOOM here"}, {"doc": "a", "text": "Calm end."}]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    out = tmp_path / "o.jsonl"
    r = batch(src, "-o", out, "--rules", rules, "--select", "TST002,SPC001", "--doc-field", "doc", "-q")
    assert r.exit_code == 0, r.output
    assert [g["text"] for g in read_jsonl(out)] == ["Calm start.", "Calm end."]
    errs = read_jsonl(tmp_path / "o.errors.jsonl")
    assert [e["line"] for e in errs] == [2] and "ValueError: marker seen" in errs[0]["error"]


def test_compressed_jsonl_on_stdin_is_detected(tmp_path):
    import subprocess
    import sys

    data = gzip.compress(b'{"text": "Rain  fell.", "n": 7}\n')
    p = subprocess.run([sys.executable, "-m", "mtclean", "batch", "-", "-o", "-", "--select", "SPC001", "-q"],
                       input=data, capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout)
    assert rec["text"] == "Rain fell." and rec["n"] == 7


def test_in_process_run_gives_the_collector_back_as_it_was(tmp_path):
    """One worker runs in the caller's process with the cyclic collector tuned for the
    run (mtclean/batch/local.py); a program that goes on afterwards gets its thresholds
    back and nothing left frozen, also when it stops reading results early."""
    import gc

    from mtclean.batch.local import run_local
    from mtclean.batch.records import Source

    src = tmp_path / "in.jsonl"
    write_jsonl(src, make_corpus(40, seed=9))
    before = gc.get_threshold()
    assert batch(src, "-o", tmp_path / "out.jsonl", "-q").exit_code == 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

    lines = [(i + 1, line) for i, line in enumerate(src.read_bytes().splitlines(keepends=True))]
    unit = Source(str(src), "jsonl")
    results = run_local(([(unit, [row])] for row in lines), Settings(), 1)
    first = next(results)
    assert first.items == 1 and gc.get_threshold() != before  # tuned while it runs
    results.close()  # the caller stops early
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
