"""`mtclean review` over real HTTP on loopback: token, Host, paths, body limit, actions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import reviewserver

ARTICLE = (
    "Port officials said on Tuesday that the the new ferry terminal would open in May , after "
    "two years of work.\n\n"
    "The city council voted to Reduce harbour fees for local fishing boats, a spokesman said.\n"
)


@pytest.fixture
def served(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the page\n", encoding="utf-8")
    server = reviewserver.start(str(docs), cwd=str(tmp_path))
    yield server, docs
    assert server.stop() == 0
    assert "Traceback" not in "".join(server.stderr)


def _name(server) -> str:
    status, data = server.request("/api/files")
    assert status == 200
    (entry,) = data["files"]
    return entry["name"]


def test_first_line_is_the_url_with_a_token_on_loopback(served):
    server, _ = served
    assert server.url.startswith("http://127.0.0.1:") and "/?token=" in server.url
    assert len(server.token) >= 24


def test_every_request_needs_the_token(served):
    server, _ = served
    for path in ("/", "/api/files", "/static/review.js", "/api/doc?file=x"):
        status, body = server.request(path, token=None)
        assert status == 403 and "token" in body
        status, _ = server.request(path, token="wrong" + server.token)
        assert status == 403
    status, page = server.request("/?token=" + server.token, token=None)
    assert status == 200 and "<title>mtclean review</title>" in page
    assert f"review.js?token={server.token}" in page


def test_host_header_must_name_the_loopback_address(served):
    server, _ = served
    for host in (f"evil.example:{server.port}", "attacker.test", f"127.0.0.1:{server.port + 1}",
                 f"127.0.0.1.nip.io:{server.port}"):
        status, body = server.request("/api/files", host=host)
        assert status == 403 and "Host" in body, host
    assert server.request("/api/files", host=f"localhost:{server.port}")[0] == 200
    assert server.request("/api/files", host=f"127.0.0.1:{server.port}")[0] == 200


def test_only_files_under_review_are_served_or_written(served, tmp_path):
    server, docs = served
    name = _name(server)
    assert Path(name).name == "article.txt"
    secret = tmp_path / "secret.txt"
    for bad in ("../secret.txt", "docs/../secret.txt", str(secret), "/etc/passwd",
                name + "/../../secret.txt", str(docs / ".." / "secret.txt"), "", "docs"):
        status, body = server.request("/api/doc?file=" + bad)
        assert status == 403 and "not one of the files under review" in body["error"], bad
        status, _ = server.request("/api/save", {"file": bad})
        assert status == 403
    assert secret.read_text(encoding="utf-8") == "not for the page\n"


def test_request_bodies_have_a_size_limit(served):
    server, _ = served
    name = _name(server)
    big = {"file": name, "key": "x", "replacement": "a" * 300_000}
    status, body = server.request("/api/edit", big)
    assert status == 413
    status, _ = server.request("/api/edit", raw=b"file=x", content_type="application/x-www-form-urlencoded")
    assert status == 415
    status, _ = server.request("/api/edit", raw=b"{not json")
    assert status == 400


def test_actions_change_only_the_session_until_save(served):
    server, docs = served
    name = _name(server)
    status, doc = server.request("/api/doc?file=" + name)
    assert status == 200 and doc["text"] == ARTICLE
    rep = next(f for f in doc["findings"] if f["rule"] == "REP001")
    assert set(rep) >= {"path", "rule", "category", "severity", "message", "start", "end",
                        "line", "column", "end_line", "end_column", "text", "fix", "source",
                        "key", "candidates"}
    status, doc = server.request("/api/accept", {"file": name, "key": rep["key"]})
    assert status == 200 and "that the new" in doc["text"] and doc["dirty"]
    assert (docs / "article.txt").read_text(encoding="utf-8") == ARTICLE  # nothing written yet
    # A key of a finding that is gone is refused, not applied somewhere else.
    assert server.request("/api/accept", {"file": name, "key": rep["key"]})[0] == 409
    cap = next(f for f in doc["findings"] if f["rule"] == "CAP001")
    status, body = server.request("/api/accept", {"file": name, "key": cap["key"],
                                                  "replacement": "<b>any text</b>"})
    assert status == 409 and "use Edit" in body["error"]  # accept takes only what is offered
    status, d = server.request("/api/diff?file=" + name)
    assert "-Port officials said on Tuesday that the the new" in d["diff"]
    status, doc = server.request("/api/save", {"file": name})
    assert status == 200 and not doc["dirty"]
    assert "that the new ferry" in (docs / "article.txt").read_text(encoding="utf-8")


def test_save_refuses_a_file_changed_on_disk(served):
    server, docs = served
    name = _name(server)
    doc = server.request("/api/doc?file=" + name)[1]
    spc = next(f for f in doc["findings"] if f["rule"] == "SPC002")
    server.request("/api/accept", {"file": name, "key": spc["key"]})
    (docs / "article.txt").write_text("Changed elsewhere.\n", encoding="utf-8")
    status, body = server.request("/api/save", {"file": name})
    assert status == 409 and body["conflict"] and "changed on disk" in body["error"]
    assert (docs / "article.txt").read_text(encoding="utf-8") == "Changed elsewhere.\n"
    status, doc = server.request("/api/reload", {"file": name})
    assert doc["text"] == "Changed elsewhere.\n" and not doc["dirty"]


def test_stopping_with_unsaved_changes_says_so(served):
    server, docs = served
    name = _name(server)
    doc = server.request("/api/doc?file=" + name)[1]
    rep = next(f for f in doc["findings"] if f["rule"] == "REP001")
    server.request("/api/accept", {"file": name, "key": rep["key"]})
    assert server.stop() == 0
    assert f"unsaved changes dropped in: {name}" in "".join(server.stderr)
    assert (docs / "article.txt").read_text(encoding="utf-8") == ARTICLE


def test_host_option_warns_and_refuses_other_hosts(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    server = reviewserver.start(str(tmp_path / "a.txt"), args=("--host", "0.0.0.0"))
    try:
        assert server.url.startswith("http://0.0.0.0:")
        assert server.request("/api/files", host=f"evil.example:{server.port}")[0] == 403
        assert server.request("/api/files", host=f"0.0.0.0:{server.port}")[0] == 200
        # On a wildcard address any IP literal with the port will do (no DNS involved).
        assert server.request("/api/files", host=f"192.0.2.7:{server.port}")[0] == 200
        assert server.request("/api/files", host=f"[2001:db8::1]:{server.port}")[0] == 200
        assert server.request("/api/files", host=f"192.0.2.7:{server.port + 1}")[0] == 403
    finally:
        assert server.stop() == 0
    assert "warning: listening on 0.0.0.0" in "".join(server.stderr)


def test_bad_paths_fail_with_one_line(tmp_path):
    res = subprocess.run([sys.executable, "-m", "mtclean", "review", "--no-browser",
                          str(tmp_path / "missing.txt")], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "no such file" in res.stderr
    assert "Traceback" not in res.stderr


def _finding(doc, rule, text=None):
    return next(f for f in doc["findings"] if f["rule"] == rule and (text is None or f["text"] == text))


def test_markdown_ignore_is_an_inline_comment_in_the_text(tmp_path):
    md = tmp_path / "note.md"
    md.write_text("# Harbour news\n\nThe council voted to Reduce harbour fees for local boats.\n",
                  encoding="utf-8")
    server = reviewserver.start(str(md), cwd=str(tmp_path))
    try:
        name = _name(server)
        doc = server.request("/api/doc?file=" + name)[1]
        cap = _finding(doc, "CAP001", "Reduce")
        status, doc = server.request("/api/teach", {"file": name, "key": cap["key"], "kind": "ignore"})
        assert status == 200 and "<!-- mtclean: ignore CAP001 -->" in doc["text"]
        assert not any(f["rule"] == "CAP001" for f in doc["findings"])
        assert "mtclean:" not in md.read_text(encoding="utf-8")  # not before Save
        assert "+The council voted to Reduce harbour fees for local boats. <!-- mtclean: ignore CAP001 -->" \
            in server.request("/api/diff?file=" + name)[1]["diff"]
        server.request("/api/save", {"file": name})
        assert "<!-- mtclean: ignore CAP001 -->" in md.read_text(encoding="utf-8")
        assert not (tmp_path / ".mtcleanignore").exists()
    finally:
        assert server.stop() == 0


def test_spelling_is_right_creates_and_registers_a_lexicon_at_save(tmp_path):
    art = tmp_path / "talks.txt"
    art.write_text(
        "Foreign Minister Arvid Kostelnik said on Friday that talks would resume next month.\n\n"
        "Kostelnik said both sides had agreed to a plan.\n\n"
        "Kostelnick added that a final agreement could be signed before the end of the year.\n",
        encoding="utf-8")
    server = reviewserver.start(str(art), cwd=str(tmp_path))
    try:
        name = _name(server)
        doc = server.request("/api/doc?file=" + name)[1]
        var = _finding(doc, "NAME001", "Kostelnick")
        assert "spelling" in var["teach"]
        status, doc = server.request("/api/teach", {"file": name, "key": var["key"], "kind": "spelling"})
        assert status == 200 and not any(f["text"] == "Kostelnick" for f in doc["findings"])
        assert doc["pending"] and not (tmp_path / "mtclean-names.yaml").exists()
        d = server.request("/api/diff?file=" + name)[1]
        assert any("mtclean-names.yaml" in c["diff"] for c in d["files"])
        # Undo takes the pending teaching back; redo restores it.
        doc = server.request("/api/undo", {"file": name})[1]
        assert not doc["pending"] and any(f["text"] == "Kostelnick" for f in doc["findings"])
        doc = server.request("/api/redo", {"file": name})[1]
        assert doc["pending"]
        status, doc = server.request("/api/save", {"file": name})
        assert status == 200 and not doc["pending"]
        assert 'names = ["mtclean-names.yaml"]' in (tmp_path / ".mtclean.toml").read_text(encoding="utf-8")
        lexicon = (tmp_path / "mtclean-names.yaml").read_text(encoding="utf-8")
        assert "Kostelnick" in lexicon and "Kostelnik" in lexicon
        assert art.read_text(encoding="utf-8").count("Kostelnick") == 1  # the text is untouched
    finally:
        assert server.stop() == 0
    out = subprocess.run([sys.executable, "-m", "mtclean", "check", "--format", "json", str(art)],
                         capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    assert not any(f["rule"] == "NAME001" and f["text"] == "Kostelnick" for f in json.loads(out.stdout))


def test_disable_rule_and_a_rule_file_change_take_effect(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Prices rose , traders said.\n\nShares fell , analysts said on Monday.\n",
                   encoding="utf-8")
    server = reviewserver.start(str(art), cwd=str(tmp_path))
    try:
        name = _name(server)
        doc = server.request("/api/doc?file=" + name)[1]
        spc = _finding(doc, "SPC002")
        doc = server.request("/api/teach", {"file": name, "key": spc["key"], "kind": "disable"})[1]
        assert not any(f["rule"] == "SPC002" for f in doc["findings"])
        server.request("/api/save", {"file": name})
        assert "a.txt  SPC002\n" in (tmp_path / ".mtcleanignore").read_text(encoding="utf-8")
        # A configuration written while the page is open applies to the next check.
        (tmp_path / "house.yaml").write_text(
            "version: 1\nrules:\n  - id: HOUSE001\n    name: no-monday\n    category: style\n"
            "    severity: info\n    message: Say the date, not the weekday\n    kind: pattern\n"
            "    pattern: '\\bMonday\\b'\n    examples:\n      flag: ['on Monday']\n"
            "      pass: ['on Tuesday']\n", encoding="utf-8")
        (tmp_path / ".mtclean.toml").write_text('extend-rules = ["house.yaml"]\n', encoding="utf-8")
        doc = server.request("/api/doc?file=" + name)[1]
        assert [f["text"] for f in doc["findings"] if f["rule"] == "HOUSE001"] == ["Monday"]
        assert not any(f["rule"] == "SPC002" for f in doc["findings"])  # still disabled
    finally:
        assert server.stop() == 0


def test_grammar_backend_findings_show_with_their_suggestions(tmp_path):
    pytest.importorskip("harper")
    art = tmp_path / "g.txt"
    art.write_text("The goverment said it would publish the report on Monday.\n", encoding="utf-8")
    server = reviewserver.start(str(art), args=("--grammar", "harper"), cwd=str(tmp_path))
    try:
        name = _name(server)
        doc = server.request("/api/doc?file=" + name)[1]
        spell = _finding(doc, "HARPER/Spelling", "goverment")
        assert spell["source"] == "harper" and "government" in spell["candidates"]
        assert len(spell["candidates"]) > 1
        doc = server.request("/api/accept", {"file": name, "key": spell["key"],
                                             "replacement": "government"})[1]
        assert doc["text"].startswith("The government said")
        other = server.request("/api/accept", {"file": name, "key": "0" * 12, "replacement": "x"})
        assert other[0] == 409
    finally:
        assert server.stop() == 0


def test_a_binary_file_is_one_clear_error(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"abc\x00def")
    (tmp_path / "good.txt").write_text("Fine text.\n", encoding="utf-8")
    server = reviewserver.start(str(tmp_path), cwd=str(tmp_path))
    try:
        names = [f["name"] for f in server.request("/api/files")[1]["files"]]
        bad = next(n for n in names if n.endswith("bad.txt"))
        status, body = server.request("/api/doc?file=" + bad)
        assert status == 422 and "binary" in body["error"] and "bad.txt" in body["error"]
    finally:
        assert server.stop() == 0


def test_a_busy_port_is_one_clear_error(tmp_path):
    import socket
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "mtclean", "review", "--no-browser", "--port",
                              str(port), str(tmp_path / "a.txt")], capture_output=True, text=True,
                             timeout=60)
    assert res.returncode == 2 and res.stdout == ""
    assert f"127.0.0.1:{port}" in res.stderr and "--port" in res.stderr
    assert res.stderr.strip().count("\n") == 0


def test_folders_are_walked_with_the_usual_excludes(tmp_path):
    (tmp_path / ".mtclean.toml").write_text('extend-exclude = ["drafts"]\n', encoding="utf-8")
    for rel in ("a.txt", "b.md", "drafts/c.txt", ".venv/d.txt", "e.json", "sub/f.markdown"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Plain words.\n", encoding="utf-8")
    server = reviewserver.start(".", "a.txt", cwd=str(tmp_path))  # a.txt twice: listed once
    try:
        names = sorted(f["name"] for f in server.request("/api/files")[1]["files"])
        assert names == ["a.txt", "b.md", "sub/f.markdown"]
        assert server.request("/api/doc?file=drafts/c.txt")[0] == 403
    finally:
        assert server.stop() == 0
