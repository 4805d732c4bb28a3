"""The review page in a real browser (Debian chromium + chromedriver through Selenium)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reviewserver

# Written for this test: one finding for each thing the editor does, and hostile markup.
ARTICLE = (
    "Port officials said on Tuesday that the the new ferry terminal would open in May , after "
    "two years of work.\n\n"
    "The city council voted to Reduce harbour fees for local fishing boats, a spokesman said.\n\n"
    "The harbour master said the boats had Ignored the new speed limits near the pier.\n\n"
    "A spokesman for the port said ticket prices would stay the same （for now）.\n\n"
    "The new terminal has <script>window.pwned = 1</script> and \"><img src=x "
    "onerror=\"window.pwned = 2\"> in its name.\n"
)


@pytest.fixture(scope="module")
def driver():
    reviewserver.need_browser()
    d = reviewserver.chromium()
    yield d
    reviewserver.quit_browser(d)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    server = reviewserver.start(str(path), cwd=str(tmp_path))
    yield server, path
    assert server.stop() == 0


def _wait(driver, predicate, timeout=20):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(lambda d: predicate(d))


def _open(driver, server):
    driver.get(server.url)
    _wait(driver, lambda d: d.find_elements("css selector", "#findings li.finding"))


def _item(driver, rule, text=None):
    for li in driver.find_elements("css selector", f'#findings li.finding[data-rule="{rule}"]'):
        if text is None or li.find_element("css selector", ".flagged code").text == text:
            return li
    raise AssertionError(f"no {rule} finding on {text!r} in the list")


def _renders(driver) -> int:
    return driver.execute_script("return window.mtcleanState.renders")


def _click(driver, li, cls):
    """Click a finding's button and wait until the page has shown the server's answer."""
    before = _renders(driver)
    li.find_element("css selector", f"button.{cls}").click()
    _wait(driver, lambda d: _renders(d) > before)


def _replace(driver, li, text):
    """Type a replacement for a finding and apply it, as an editor does."""
    li.find_element("css selector", "button.edit").click()
    box = li.find_element("css selector", "input.replacement")
    box.clear()
    box.send_keys(text)
    _click(driver, li, "apply-edit")


def _rules(driver) -> list[str]:
    return driver.execute_script(  # one atomic read: the list may be re-rendered meanwhile
        "return [...document.querySelectorAll('#findings li.finding')].map(li => li.dataset.rule)")


def _selected(driver) -> str | None:
    return driver.execute_script(
        "const li = document.querySelector('#findings li.finding.selected');"
        "return li ? li.dataset.rule : null")


def _marks_follow_the_text(driver):
    """Every mark in the text sits on exactly the text its finding flags."""
    text = driver.find_element("id", "text").get_attribute("textContent")
    state = driver.execute_script("return window.mtcleanState && window.mtcleanState.doc")
    assert state is not None
    rendered = text.replace("\u2038", "")  # insertion carets are not text
    assert rendered == state["text"]
    for f in state["findings"]:
        if f["start"] == f["end"]:
            continue
        marks = driver.find_elements("css selector", f'#text .finding[data-keys~="{f["key"]}"]')
        assert "".join(m.get_attribute("textContent") for m in marks) == f["text"], f["rule"]


def test_review_one_by_one_then_save(driver, article, tmp_path):
    server, path = article
    _open(driver, server)
    # Hostile text stays text: no script ran, no image element was made.
    assert driver.execute_script("return window.pwned === undefined")
    assert not driver.find_elements("css selector", "#text img, #text script")
    assert "<script>window.pwned = 1</script>" in driver.find_element("id", "text").text
    assert _rules(driver).count("CAP001") == 2
    _item(driver, "SPC002").find_element("css selector", "button.rule").click()  # rule docs
    _wait(driver, lambda d: d.find_element("id", "rule-doc").is_displayed())
    doc_text = driver.find_element("id", "rule-doc-text").text
    assert doc_text.startswith("SPC002") and "## What it does" in doc_text

    _click(driver, _item(driver, "REP001"), "accept")          # accept a fix
    assert "that the new ferry" in driver.find_element("id", "text").text
    _click(driver, _item(driver, "SPC002"), "reject")          # reject one
    assert "SPC002" not in _rules(driver)
    _replace(driver, _item(driver, "CAP001", "Reduce"), "cut")  # type a replacement
    assert "voted to cut harbour fees" in driver.find_element("id", "text").text
    _click(driver, _item(driver, "CAP001", "Ignored"), "ignore")  # ignore always
    assert "CAP001" not in _rules(driver)
    _marks_follow_the_text(driver)
    assert path.read_text(encoding="utf-8") == ARTICLE         # nothing written before Save

    driver.find_element("id", "save").click()
    _wait(driver, lambda d: d.find_element("id", "diff-dialog").is_displayed())
    diff = driver.find_element("id", "diff-text").text
    assert "-Port officials said on Tuesday that the the new" in diff
    assert "+The city council voted to cut harbour fees" in diff
    assert ".mtcleanignore" in driver.find_element("id", "diff-files").text
    driver.find_element("id", "confirm-save").click()
    _wait(driver, lambda d: "Saved" in d.find_element("id", "status").text)

    saved = path.read_text(encoding="utf-8")
    assert "that the new ferry" in saved and "voted to cut harbour" in saved
    assert "in May , after" in saved and "had Ignored the" in saved  # rejected / ignored: kept
    sidecar = (tmp_path / ".mtcleanignore").read_text(encoding="utf-8")
    assert 'article.txt  CAP001  "Ignored"' in sidecar

    # Re-opening (a new server, a new page) no longer shows the ignored finding.
    again = reviewserver.start(str(path), cwd=str(tmp_path))
    try:
        _open(driver, again)
        assert "CAP001" not in _rules(driver) and "SPC002" in _rules(driver)
    finally:
        assert again.stop() == 0
    out = subprocess.run([sys.executable, "-m", "mtclean", "check", "--format", "json", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert "CAP001" not in {f["rule"] for f in json.loads(out.stdout)}


def test_marks_move_after_edits_and_undo(driver, article):
    server, path = article
    _open(driver, server)
    _marks_follow_the_text(driver)
    before = driver.find_element("id", "text").text
    _click(driver, _item(driver, "REP001"), "accept")
    _marks_follow_the_text(driver)
    driver.find_element("id", "undo").click()
    _wait(driver, lambda d: d.find_element("id", "text").text == before)
    _marks_follow_the_text(driver)
    driver.find_element("id", "redo").click()
    _wait(driver, lambda d: "that the new ferry" in d.find_element("id", "text").text)
    # Accept all safe fixes at once: the full-width brackets and the stray space go.
    driver.find_element("id", "accept-safe").click()
    _wait(driver, lambda d: "（" not in d.find_element("id", "text").text)
    assert "in May, after" in driver.find_element("id", "text").text
    _marks_follow_the_text(driver)


def test_keyboard_next_accept_reject(driver, article):
    from selenium.webdriver.common.keys import Keys
    server, _ = article
    _open(driver, server)
    body = driver.find_element("css selector", "body")
    first = _selected(driver)
    body.send_keys("j")
    second = _selected(driver)
    assert (first, second) == ("REP001", "SPC002")
    body.send_keys("k")
    assert _selected(driver) == "REP001"
    body.send_keys("a")  # accept REP001
    _wait(driver, lambda d: "that the new ferry" in d.find_element("id", "text").text)
    body = driver.find_element("css selector", "body")
    selected = _selected(driver)
    body.send_keys("r")  # reject what is selected now
    _wait(driver, lambda d: selected not in _rules(d))
    body.send_keys("?")
    assert driver.find_element("id", "help").is_displayed()
    assert "next finding" in driver.find_element("id", "help").text
    body.send_keys(Keys.ESCAPE)


def test_save_over_a_changed_file_is_refused(driver, article):
    server, path = article
    _open(driver, server)
    _click(driver, _item(driver, "REP001"), "accept")
    path.write_text("Someone else changed this file.\n", encoding="utf-8")
    driver.find_element("id", "save").click()
    _wait(driver, lambda d: d.find_element("id", "diff-dialog").is_displayed())
    conflict = driver.find_element("id", "diff-conflict")
    assert conflict.is_displayed() and "changed on disk" in conflict.text
    assert not driver.find_element("id", "confirm-save").is_displayed()
    driver.find_element("id", "reload").click()
    _wait(driver, lambda d: d.find_element("id", "text").text.startswith("Someone else changed"))
    assert path.read_text(encoding="utf-8") == "Someone else changed this file.\n"


def test_page_without_token_or_with_another_host_is_refused(driver, article):
    server, _ = article
    driver.get(server.base + "/")
    assert "token" in driver.find_element("css selector", "body").text
    driver.get(f"http://localhost:{server.port}/?token={server.token}")  # allowed alias
    _wait(driver, lambda d: d.find_elements("css selector", "#findings li.finding"))


def test_choose_among_candidates(driver, tmp_path):
    pytest.importorskip("harper")
    from selenium.webdriver.support.ui import Select
    path = tmp_path / "g.txt"
    path.write_text("The goverment said it would publish the report on Monday.\n", encoding="utf-8")
    server = reviewserver.start(str(path), args=("--grammar", "harper"), cwd=str(tmp_path))
    try:
        _open(driver, server)
        li = _item(driver, "HARPER/Spelling", "goverment")
        menu = Select(li.find_element("css selector", "select.candidates"))
        options = [o.get_attribute("value") for o in menu.options]
        assert options[0] == "government" and len(options) > 1
        menu.select_by_value(options[1])
        _click(driver, li, "accept")
        assert driver.find_element("id", "text").text.startswith(f"The {options[1]} said")
    finally:
        assert server.stop() == 0


def test_marks_of_overlapping_findings(driver, tmp_path):
    """A full-width digit inside a literal number unit is flagged by two rules at once
    (NUM002 the digit, NUM001 the whole amount): both marks cover their spans exactly."""
    path = tmp_path / "cjk.txt"
    path.write_text("The ministry said prices rose ３ hundred million yuan（about 5 percent）。\n\n"
                    "Officials said the 地铁 line would cost less than planned.\n", encoding="utf-8")
    server = reviewserver.start(str(path), cwd=str(tmp_path))
    try:
        _open(driver, server)
        state = driver.execute_script("return window.mtcleanState.doc")
        spans = [(f["start"], f["end"]) for f in state["findings"]]
        assert any(a < d and c < b for i, (a, b) in enumerate(spans)
                   for c, d in spans[i + 1:])  # two findings overlap
        _marks_follow_the_text(driver)
    finally:
        assert server.stop() == 0


def test_this_spelling_is_right_on_the_names_sample(driver, tmp_path):
    sample = Path(__file__).resolve().parent.parent / "samples" / "names-and-capitals.txt"
    path = tmp_path / sample.name
    shutil.copy(sample, path)
    server = reviewserver.start(str(path), cwd=str(tmp_path))
    try:
        _open(driver, server)
        _click(driver, _item(driver, "NAME001", "Kostelnick"), "spelling")
        assert "NAME001" not in _rules(driver)
        assert "mtclean-names.yaml" in driver.find_element("css selector", "#findings li.pending").text
        driver.find_element("id", "save").click()
        _wait(driver, lambda d: d.find_element("id", "diff-dialog").is_displayed())
        files = driver.find_element("id", "diff-files").text
        assert "+  - canonical: Kostelnick" in files and 'names = ["mtclean-names.yaml"]' in files
        driver.find_element("id", "confirm-save").click()
        _wait(driver, lambda d: "Saved" in d.find_element("id", "status").text)
    finally:
        assert server.stop() == 0
    assert path.read_bytes() == sample.read_bytes()  # only the lexicon and config changed
    assert "Kostelnick" in (tmp_path / "mtclean-names.yaml").read_text(encoding="utf-8")
    assert "mtclean-names.yaml" in (tmp_path / ".mtclean.toml").read_text(encoding="utf-8")


def test_review_against_the_source(driver, tmp_path):
    """--source: a number finding shows its source text; fixing the number clears it."""
    (tmp_path / "port.zh").write_text("港口去年吞吐集装箱1235万标箱。\n码头工人周一复工。\n", encoding="utf-8")
    path = tmp_path / "port.txt"
    path.write_text("The port handled 12.53 million containers last year.\n"
                    "Dock workers went back on Monday.\n", encoding="utf-8")
    server = reviewserver.start("port.txt", args=("--source", "port.zh"), cwd=str(tmp_path))
    try:
        _open(driver, server)
        item = _item(driver, "SRC002", "12.53 million")
        shown = item.find_element("css selector", ".source-text")
        assert shown.text == "source: 1235万"
        assert shown.get_attribute("title") == "source line 1"
        _replace(driver, item, "12.35 million")
        assert "handled 12.35 million containers" in driver.find_element("id", "text").text
        assert "SRC002" not in _rules(driver)
        assert not driver.find_elements("css selector", "#findings .source-text")
        _marks_follow_the_text(driver)
    finally:
        assert server.stop() == 0
