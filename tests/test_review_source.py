"""`mtclean review --source`: the page compares the text with its Chinese source (real
server on loopback, real HTTP; the browser side is in test_review_browser.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import reviewserver

SOURCE = "港口去年吞吐集装箱1235万标箱。\n码头工人周一复工。\n"
TARGET = "The port handled 12.53 million containers last year.\nDock workers went back on Monday.\n"


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "port.zh").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "port.txt").write_text(TARGET, encoding="utf-8")
    return tmp_path


def test_a_number_finding_shows_its_source_text_and_goes_away_when_edited(pair):
    server = reviewserver.start("port.txt", args=("--source", "port.zh"), cwd=str(pair))
    try:
        status, files = server.request("/api/files")
        (entry,) = files["files"]
        status, doc = server.request("/api/doc?file=" + entry["name"])
        assert status == 200
        (f,) = [f for f in doc["findings"] if f["rule"] == "SRC002"]
        assert f["text"] == "12.53 million"
        assert f["source_text"] == "1235万" and f["source_line"] == 1
        assert SOURCE[slice(*f["source_span"])] == "1235万"
        status, doc = server.request("/api/edit", {"file": entry["name"], "key": f["key"],
                                                   "replacement": "12.35 million"})
        assert status == 200
        assert not [g for g in doc["findings"] if g["rule"].startswith("SRC")]
        assert all("source_text" not in g for g in doc["findings"])
        status, _ = server.request("/api/save", {"file": entry["name"]})
        assert status == 200
    finally:
        assert server.stop() == 0
    assert (pair / "port.txt").read_text(encoding="utf-8") == TARGET.replace("12.53", "12.35")
    assert "Traceback" not in "".join(server.stderr)


@pytest.mark.parametrize("target, why", [
    ("One line only.\n", "do not align: 2 vs 1 lines"),
    (None, "pairs with one target file"),
])
def test_a_source_that_does_not_pair_is_one_line_at_start(pair, target, why):
    paths = ["port.txt"]
    if target is None:  # a folder with two files
        (pair / "other.txt").write_text("Another story.\n", encoding="utf-8")
        paths = ["."]
    else:
        (pair / "port.txt").write_text(target, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mtclean", "review", "--no-browser", "--port", "0",
                          "--source", "port.zh", *paths], cwd=pair, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2 and run.stdout == ""
    assert why in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr
