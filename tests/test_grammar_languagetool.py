"""LanguageTool backend against a real local server (started once for the session)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtclean import grammar
from mtclean.grammar.detectors import HarperDetector, LanguageToolDetector
from mtclean.document import NO_CONTEXT, CheckContext, Document
from mtclean.finding import Finding
from mtclean.grammar import ServerError, filters
from mtclean.grammar.install import classpath, java_path
from mtclean.grammar.process import LocalServer
from mtclean.grammar.languagetool import Client, OffsetMap, chunks

NEEDS = ("LanguageTool jars are not installed (run `mtclean languagetool install`)"
         if not classpath() else "Java is not installed" if not java_path() else "")
pytestmark = pytest.mark.skipif(bool(NEEDS), reason=NEEDS)


@pytest.fixture(scope="session")
def lt_server():
    srv = LocalServer(threads=2).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def lt_url(lt_server):
    return lt_server.url


def detect(url: str, text: str, context: CheckContext = NO_CONTEXT, prior=()) -> list[Finding]:
    det = LanguageToolDetector(url, concurrency=2)
    doc = Document(text, "t.txt", context)
    found = det(doc, list(prior))
    for f in found:
        assert f.text == doc.text[f.start:f.end]
    return found


def test_offset_map_counts_utf16_units():
    text = "a😀b𠮷c"
    m = OffsetMap(text)
    # 'c' is at code point 4, UTF-16 unit 6 (two surrogate pairs before it)
    assert m(6) == 4 and m(3) == 2 and m(0) == 0 and m(7) == 5


def test_real_matches_with_offsets_after_non_bmp_and_accents(lt_url):
    text = ("Crème brûlée 😀🎉 vendors in Zürich said he go to the market every week.\n\n"
            "The 𠮷 shop sold a apple to every visitor.\n")
    found = detect(lt_url, text)
    by_rule = {f.rule: f for f in found}
    assert by_rule["LT/HE_VERB_AGR"].text == "go"
    assert by_rule["LT/HE_VERB_AGR"].start == text.index(" go ") + 1
    a = by_rule["LT/EN_A_VS_AN"]
    assert (a.start, a.text, a.fix.replacement) == (text.index(" a apple") + 1, "a", "an")
    assert {f.source for f in found} == {"languagetool"}


def test_spelling_is_category_spelling_with_suggestions(lt_url):
    found = detect(lt_url, "The minister said the new plan was a sucess for farmers.\n")
    (f,) = [f for f in found if f.category == "spelling"]
    assert f.text == "sucess" and f.rule.startswith("LT/MORFOLOGIK_RULE")
    assert f.fix is not None and f.fix.replacement == "success"


def test_chunk_size_and_concurrency_do_not_change_findings(lt_url):
    paras = [f"In paragraph {i} the official said he go to the office on foot." for i in range(12)]
    text = "\n\n".join(paras) + "\n"
    doc = Document(text, "t.txt")
    assert len(chunks(doc, limit=150)) > 3
    one = Client(lt_url, concurrency=1).check(doc)
    small = Client(lt_url, concurrency=2, chunk_chars=150)
    many = small.check(doc)
    # sentence-local rules must give the same spans whatever the chunking
    key = lambda ms: sorted((m.start, m.end) for m in ms if m.raw["rule"]["id"] == "HE_VERB_AGR")
    assert key(one) == key(many)
    assert len(key(many)) == 12 and all(text[a:b] == "go" for a, b in key(many))


def test_a_text_checked_again_is_not_sent_again(lt_server):
    log = lt_server.log_path
    sent = lambda: log.read_text(errors="replace").count("/v2/check")
    text = "The mayor said the new bridge were opened on Tuesday by the governor.\n"
    client = Client(lt_server.url, concurrency=2)
    before = sent()
    first = client.check(Document(text, "t.txt"))
    after_first = sent()
    again = client.check(Document(text, "u.txt"))
    assert after_first > before and sent() == after_first
    assert [(m.start, m.end, m.raw["rule"]["id"]) for m in first] == \
           [(m.start, m.end, m.raw["rule"]["id"]) for m in again]


def test_prefetched_document_is_checked_once_with_the_same_findings(lt_server):
    import time

    log = lt_server.log_path
    sent = lambda: log.read_text(errors="replace").count("/v2/check")
    text = "\n\n".join(f"On day {i} the official said he go to the office." for i in range(30)) + "\n"
    det = LanguageToolDetector(lt_server.url, concurrency=2)
    doc = Document(text, "t.txt")
    before = sent()
    det.prefetch(doc)  # returns at once; the pieces are on their way
    deadline = time.monotonic() + 120
    while sent() < before + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sent() == before + 1  # the whole document, once
    found = det(doc, [])
    assert sent() == before + 1, "check sent a prefetched document again"
    fresh = LanguageToolDetector(lt_server.url, concurrency=2)(Document(text, "u.txt"), [])
    key = lambda fs: [(f.start, f.end, f.rule) for f in fs]
    assert key(found) == key(fresh) and len(found) >= 30


def test_consistent_name_is_not_a_misspelling(lt_url):
    text = ("Qiaowenzhi met reporters on Monday.\n\n"
            "Later, officials said Qiaowenzhi would travel to the coast.\n")
    assert not [f for f in detect(lt_url, text) if f.category == "spelling"]


def test_single_sentence_initial_name_needs_lexicon(lt_url, tmp_path):
    text = "Qiaowenzhi arrived on Monday with a delegation.\n"
    assert [f.text for f in detect(lt_url, text) if f.category == "spelling"] == ["Qiaowenzhi"]
    lex = tmp_path / "people.yaml"
    lex.write_text("names:\n  - canonical: Qiaowenzhi\n    variants: [Qiao Wenzhi]\n", encoding="utf-8")
    found = detect(lt_url, text, context=CheckContext(names=[lex]))
    assert not [f for f in found if f.category == "spelling"]


def test_duplicate_of_mtclean_finding_is_dropped(lt_url):
    text = "The team bought a apple at the market.\n"
    i = text.index(" a apple") + 1
    alone = [f for f in detect(lt_url, text) if f.rule == "LT/EN_A_VS_AN"]
    assert [(f.start, f.end) for f in alone] == [(i, i + 1)]
    # a house rule (say from --rules) reporting the same span is the more specific finding
    mine = Finding(rule="ART001", category="grammar", severity="warning", message="Use 'an'",
                   start=i, end=i + 1, text="a", source="rules")
    assert not [f for f in detect(lt_url, text, prior=[mine]) if f.rule == "LT/EN_A_VS_AN"]


def test_rules_duplicating_mtclean_families_are_not_sent(lt_url):
    text = "The council approved the the budget , and a  new plan on Friday.\n"
    assert not [f for f in detect(lt_url, text)
                if f.category in ("repetition", "spacing", "quotes", "sentence-boundary")]


def test_filters_keep_unrelated_findings():
    f = Finding(rule="LT/X", category="grammar", severity="warning", message="m", start=0, end=3, text="abc")
    p = Finding(rule="SPC001", category="spacing", severity="warning", message="m", start=4, end=7, text="def")
    assert filters.drop_duplicates([f], [p]) == [f]


def test_unreachable_url_named_explicitly_is_an_error(capsys):
    with pytest.raises(ServerError) as exc:
        grammar.make_detectors("languagetool", "http://127.0.0.1:9")
    assert "http://127.0.0.1:9" in str(exc.value) and "\n" not in str(exc.value)
    assert capsys.readouterr().err == ""


def test_auto_with_unreachable_url_falls_back_to_harper_with_one_notice(capsys):
    dets = grammar.make_detectors("auto", "http://127.0.0.1:9")
    assert [type(d) for d in dets] == [HarperDetector]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "http://127.0.0.1:9" in err[0] and "Harper instead" in err[0]


def test_auto_without_languagetool_falls_back_to_harper(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MTCLEAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("MTCLEAN_LT_LIB", str(tmp_path / "nolib"))
    dets = grammar.make_detectors("auto", None)
    assert [type(d) for d in dets] == [HarperDetector]


def test_cli_run_sends_each_file_once_and_finds_what_one_by_one_finds(lt_server, tmp_path):
    """The run loop prefetches the next file; no file may be sent twice or lose a finding."""
    texts = [f"Story {i}: the inspectors said he go to the port every {i + 2} days.\n\n"
             f"They has checked {i + 10} ships this month.\n" for i in range(6)]
    paths = []
    for i, t in enumerate(texts):
        paths.append(tmp_path / f"s{i}.txt")
        paths[-1].write_text(t, encoding="utf-8")
    sent = lambda: lt_server.log_path.read_text(errors="replace").count("/v2/check")
    before = sent()
    proc = subprocess.run([sys.executable, "-m", "mtclean", "check", "--languagetool-url",
                           lt_server.url, "--output-format", "json", *map(str, paths)],
                          capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1, proc.stderr
    assert sent() - before == len(paths)  # each file once (health checks are not /v2/check)
    run = sorted((x["path"], x["start"], x["rule"]) for x in json.loads(proc.stdout)
                 if x["source"] == "languagetool")
    alone = sorted((str(p), f.start, f.rule) for p, t in zip(paths, texts)
                   for f in detect(lt_server.url, t))
    assert run == alone and len({r[0] for r in run}) == len(paths)


def test_cli_with_languagetool_url(lt_url, tmp_path):
    f = tmp_path / "story.txt"
    f.write_text("Officials in Zürich 😀 said he go to the office by bus every day.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mtclean", "check", "--languagetool-url", lt_url,
                           "--output-format", "json", str(f)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    text = f.read_text(encoding="utf-8")
    assert any(x["rule"] == "LT/HE_VERB_AGR" and x["text"] == "go" and x["source"] == "languagetool"
               for x in found)
    assert all(text[x["start"]:x["end"]] == x["text"] for x in found)
