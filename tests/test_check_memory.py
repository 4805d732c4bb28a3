"""What `mtclean check` keeps in memory after a file is checked: its text for the report,
not the per-document views the checks built (they take about as much again as the text,
and a directory run would otherwise keep every file's views until the report)."""

from __future__ import annotations

from mtclean import cli
from mtclean.report.text import render

TEXT = ("The council said\uff0c the the new bridge would open in May .\r\n\r\n"
        "Mayor Ana Lind told reporters that Lind's plan had \u201cbroad support\".\r\n")


def test_checked_document_is_kept_without_views(write):
    path = write("a.txt", "\ufeff" + TEXT)
    out = cli.Outcome()
    cli._process(cli.Runner(cli.Options()), str(path), "check", out)
    assert out.findings, "the sample must produce findings"
    doc = out.docs[str(path)]
    assert doc.text == TEXT
    # Only the fields the report needs: no sentences, paragraphs, shapes or check views.
    assert set(doc.__dict__) <= {"text", "path", "context", "line_starts"}, sorted(doc.__dict__)


def test_text_report_unchanged_by_dropping_views(write, run_cli):
    a = write("a.txt", TEXT)
    b = write("b.txt", "Officials said the the plan was ready\u3002 Work starts soon.\n")
    res = run_cli("check", "--output-format", "text", str(a), str(b))
    out = cli.Outcome()
    runner = cli.Runner(cli.Options())
    for p in (a, b):
        cli._process(runner, str(p), "check", out)
    # The report rendered from full documents (views and all), as before.
    full = {name: cli.Document(d.text, name, d.context) for name, d in out.docs.items()}
    for name, d in full.items():
        d.sentences, d.paragraphs  # build views, as the checks do
    assert res.stdout == render(out.findings, docs=full, rules=runner.rules())
    assert "    | " in res.stdout and "^" in res.stdout
