"""Time from an edit to updated findings on a 5,000-word article (rules only).

Language server half: a real `mtclean lsp` subprocess driven over stdio by pygls's
client; the time from sending a didChange (one keystroke, then its undo) to receiving
the publishDiagnostics of that version: with debounce 0 (edits back to back), with the
default 50 ms debounce after a 0.2 s pause (a single edit), and from the last of five
keystrokes 20 ms apart (typing; the debounce wait included).

Review page half: a real `mtclean review` server on loopback; one accept (the page's
re-check call: POST /api/accept, answered with the re-checked findings) then one undo,
repeated; medians of the round trips. In the same run, in process: the session's
incremental re-check after an edit against a full re-check of the whole text (the
alternative it replaces), paired edit by edit.

    python benchmarks/edit_latency_bench.py [--words 5000] [--rounds 40] [--data JSONL]

The article is the WMT21 dev references (read at run time from ../shared/data, not
copied) joined into one text until it holds --words words, with the project's samples/
mixed in so there are artifacts to accept; without the data, samples/ alone, repeated.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

DEFAULT_DATA = "/work/shared/data/wmt-zhen/dev/newstest2021.zh-en.docs.jsonl"


def article(words: int, data: str) -> str:
    """About `words` words: reference paragraphs with a sample paragraph every few."""
    samples = [p.strip() for f in sorted((REPO / "samples").glob("*.txt"))
               for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    refs: list[str] = []
    if Path(data).is_file():
        with open(data, encoding="utf-8") as fh:
            for line in fh:
                ref = json.loads(line)["ref"]
                refs.extend(ref if isinstance(ref, list) else ref.split("\n\n"))
    paras, count, i = [], 0, 0
    while count < words:
        p = refs[i] if i < len(refs) and i % 4 else samples[i % len(samples)]
        paras.append(p)
        count += len(p.split())
        i += 1
    return "\n\n".join(paras) + "\n"


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} ms (p90 {sorted(xs)[int(len(xs) * 0.9)] * 1000:.1f})"


def review_half(text: str, rounds: int) -> None:
    """Round trips of the page's accept and undo calls on a real server."""
    import reviewserver

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        server = reviewserver.start(str(path), cwd=tmp)
        try:
            name = server.request("/api/files")[1]["files"][0]["name"]
            t0 = time.perf_counter()
            doc = server.request("/api/doc?file=" + name)[1]
            first = time.perf_counter() - t0
            n = len(doc["findings"])
            accepts, undos = [], []
            for r in range(rounds):
                fixable = [f for f in doc["findings"] if f["candidates"]]
                f = fixable[(r * 7) % len(fixable)]
                t0 = time.perf_counter()
                status, doc = server.request("/api/accept", {"file": name, "key": f["key"]})
                accepts.append(time.perf_counter() - t0)
                assert status == 200, doc
                t0 = time.perf_counter()
                status, doc = server.request("/api/undo", {"file": name})
                undos.append(time.perf_counter() - t0)
                assert status == 200, doc
        finally:
            server.stop()
    print(f"review page: open + first check {first * 1000:.0f} ms, {n} findings")
    print(f"review page: accept -> updated findings over HTTP: {ms(accepts)}")
    print(f"review page: undo   -> updated findings over HTTP: {ms(undos)}")
    print(f"review page: median of both {statistics.median(accepts + undos) * 1000:.1f} ms "
          f"(target < 100 ms)")


def session_half(text: str, rounds: int) -> None:
    """In process, paired: incremental re-check after an edit vs a full re-check."""
    from mtclean.editing.prepared import EngineCache
    from mtclean.editing.session import Session

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        s = Session.open(str(path), EngineCache())
        inc, full = [], []
        for r in range(rounds):
            at = (r * 7919) % max(1, len(s.text) - 1)
            t0 = time.perf_counter()
            s.apply_edit(at, at, "x")
            inc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            s.recheck()
            full.append(time.perf_counter() - t0)
            s.undo()
    ratio = statistics.median(f / i for f, i in zip(full, inc))
    print(f"session: incremental re-check after a keystroke {ms(inc)}")
    print(f"session: full re-check of the same text       {ms(full)}")
    print(f"session: full / incremental, median of pairs: {ratio:.2f}x")


# --- the language server half -----------------------------------------------------------

async def _lsp_rounds(text: str, rounds: int, workdir: str) -> dict[str, list[float]]:
    """Drive a real `mtclean lsp` subprocess with pygls's client over stdio; seconds from
    sending a didChange to receiving the publishDiagnostics of that version."""
    import asyncio

    from lsprotocol import types
    from pygls.lsp.client import BaseLanguageClient

    from mtclean.lsp.positions import Positions

    client = BaseLanguageClient("edit-latency-bench", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Event] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams):
        if params.version is not None and params.version not in arrived:
            arrived[params.version] = time.perf_counter()
            if params.version in waiting:
                waiting[params.version].set()

    async def until(version: int) -> float:
        if version not in arrived:
            waiting[version] = asyncio.Event()
            await asyncio.wait_for(waiting[version].wait(), 60)
        return arrived[version]

    path = Path(workdir) / "article.txt"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    state = {"text": text, "version": 1}

    def send(a: int, b: int, new: str) -> tuple[int, float]:
        """One didChange replacing [a, b) (code points) with `new`; (version, sent at)."""
        cur = state["text"]
        rng = Positions(cur).range(a, b)
        state["text"] = cur[:a] + new + cur[b:]
        state["version"] += 1
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=state["version"]),
            [types.TextDocumentContentChangePartial(range=rng, text=new)]))
        return state["version"], sent

    def debounce(ms_: float) -> None:
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"mtclean": {"debounce": ms_}}))

    await client.start_io(sys.executable, "-m", "mtclean", "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=Path(workdir).as_uri()))
    client.initialized(types.InitializedParams())
    opened = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))
    out: dict[str, list[float]] = {"open": [await until(1) - opened], "immediate": [],
                                   "after pause": [], "burst": []}
    debounce(0)
    await asyncio.sleep(0.5)
    for r in range(rounds):  # a keystroke, then its undo, back to back, debounce 0
        at = (r * 7919) % max(1, len(state["text"]) - 1)
        for a, b, new in ((at, at, "x"), (at, at + 1, "")):
            v, sent = send(a, b, new)
            out["immediate"].append(await until(v) - sent)
    debounce(50)  # the default
    await asyncio.sleep(0.5)
    for r in range(rounds):  # an edit after a pause, with the default debounce
        at = (r * 7919) % max(1, len(state["text"]) - 1)
        for a, b, new in ((at, at, "x"), (at, at + 1, "")):
            await asyncio.sleep(0.2)
            v, sent = send(a, b, new)
            out["after pause"].append(await until(v) - sent)
    for r in range(max(1, rounds // 4)):  # five keystrokes 20 ms apart: typing
        at = (r * 7919) % max(1, len(state["text"]) - 1)
        await asyncio.sleep(0.2)
        for k in range(5):
            v, sent = send(at + k, at + k, "y")
            await asyncio.sleep(0.02)
        out["burst"].append(await until(v) - sent)
        await asyncio.sleep(0.2)
        v, _ = send(at, at + 5, "")
        await until(v)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return out


def lsp_half(text: str, rounds: int) -> None:
    """didChange -> publishDiagnostics over stdio, against a real `mtclean lsp`."""
    import asyncio

    with tempfile.TemporaryDirectory() as tmp:
        out = asyncio.run(_lsp_rounds(text, rounds, tmp))
    print(f"language server: didOpen -> first diagnostics (rules loaded): {out['open'][0] * 1000:.0f} ms")
    print(f"language server: didChange -> publishDiagnostics, debounce 0:        {ms(out['immediate'])}")
    print(f"language server: the same after a 0.2 s pause, default debounce:    {ms(out['after pause'])}")
    print(f"language server: last of 5 keystrokes 20 ms apart -> diagnostics:   {ms(out['burst'])} "
          "(the 50 ms debounce included)")
    print(f"language server: median of the single edits {statistics.median(out['immediate'] + out['after pause']) * 1000:.1f} ms "
          "(target < 100 ms)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--only", choices=("review", "session", "lsp"), default=None)
    args = ap.parse_args()
    text = article(args.words, args.data)
    print(f"article: {len(text.split())} words, {len(text)} characters; rules only")
    halves = {"session": session_half, "review": review_half}
    lsp = globals().get("lsp_half")  # the language server's half, when present
    if lsp:
        halves["lsp"] = lsp
    for name, half in halves.items():
        if args.only in (None, name):
            half(text, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
