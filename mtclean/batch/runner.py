"""Drive a batch run: read inputs → group into units and chunks → run → write → commit.

The reading process only splits lines and (with a document field) peeks at document ids;
workers do the parsing, cleaning and serializing. Results are written in input order and
committed to a checkpoint now and then so `--resume` can continue after a crash.
"""

from __future__ import annotations

import itertools
import json
import os
import stat
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import InputError
from . import records, resume
from .pipeline import ChunkResult, Settings, Unit
from .records import Source, UsageError
from .sinks import Sink
from .spm import SpmStats

MAX_GROUP_RECORDS = 1000       # a longer document is cleaned in several units
MAX_GROUP_BYTES = 1 << 20
SHOWN_ERRORS = 5


@dataclass
class Options:
    """A batch run as the command line describes it."""

    inputs: list[str]
    output: str
    settings: Settings
    fmt: str | None = None
    text_field: str | None = None
    doc_field: str | None = None
    errors: str | None = None
    dropped: str | None = None
    findings: str | None = None
    workers: int = 1
    dask: str | None = None
    resume: bool = False
    chunk_size: int = 256
    checkpoint_every: int = 20000
    stats: str | None = None
    quiet: bool = False
    source_field: str | None = None  # JSONL key or TSV column of the Chinese source


@dataclass
class Totals:
    """Counters across the run (restored from the checkpoint on resume)."""

    counts: Counter = field(default_factory=Counter)
    spm: SpmStats | None = None
    shown_errors: int = 0

    def add(self, res: ChunkResult) -> None:
        self.counts.update(res.counts)
        if res.spm is not None and self.spm is not None:
            self.spm.merge(res.spm)


def derived_path(output: str, role: str) -> str:
    """`out.jsonl.gz` → `out.errors.jsonl.gz`, `big.out2.jsonl` → `big.out2.errors.jsonl`:
    the role goes before the format extension (looking through .gz/.zst)."""
    head, tail = os.path.split(output)
    comp = ""
    if records.compression_of(tail):
        tail, comp = os.path.splitext(tail)
    stem, ext = os.path.splitext(tail)
    return os.path.join(head, f"{stem}.{role}{ext}{comp}")


OPTION_OF = {"out": "-o", "errors": "--errors", "dropped": "--dropped", "findings": "--findings",
             "stats": "--stats", "progress": "the checkpoint"}


def _same_file(a: str, b: str) -> bool:
    """Do two paths name one file, after following links (hard links included)?"""
    if a == b:
        return True
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_paths(inputs: list[str], outputs: dict[str, str]) -> None:
    """Every output must differ from every input and from every other output, and be
    writable: refuse (exit 2) before anything is opened for writing."""
    named = [(role, p) for role, p in outputs.items() if p != "<stderr>"]
    for role, p in named:
        what = f"{OPTION_OF.get(role, role)} {p}" if role != "progress" else f"the checkpoint {p}"
        if p == "-":
            continue
        for inp in inputs:
            if inp != "-" and _same_file(p, inp):
                raise UsageError(f"{what} is the input {inp}: it would overwrite its own input "
                                 "(choose another path; nothing was written)")
        try:
            st = os.stat(p)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UsageError(f"{what}: cannot write ({exc.strerror})") from None
        if stat.S_ISDIR(st.st_mode):
            raise UsageError(f"{what} is a directory; give a file path")
        if stat.S_ISREG(st.st_mode) and (not st.st_mode & 0o222 or not os.access(p, os.W_OK)):
            raise UsageError(f"{what} is read-only; make it writable or choose another path")
    for i, (role, p) in enumerate(named):
        for role2, q in named[i + 1:]:
            if (p == q == "-") or (p != "-" and q != "-" and _same_file(p, q)):
                raise UsageError(f"{OPTION_OF.get(role, role)} and {OPTION_OF.get(role2, role2)} are "
                                 f"the same file ({p}); give each output its own path")


def _regular_or_new(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _format_for(path: str, opts: Options) -> str:
    if opts.fmt:
        return opts.fmt
    if path == "-":
        return records.sniff_stdin_format()
    fmt = records.format_of(path)
    if fmt is None:
        raise UsageError(f"{path}: cannot tell the format from the extension; pass --format jsonl|text|tsv")
    return fmt


def validate(opts: Options) -> tuple[list[str], dict[str, str]]:
    """Check the option combination; return per-input formats and the output paths."""
    if opts.inputs.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    fmts = [_format_for(p, opts) for p in opts.inputs]
    if len(set(fmts)) > 1:
        raise UsageError("inputs mix formats (" + ", ".join(sorted(set(fmts))) + "); run them separately or pass --format")
    if opts.workers < 1:
        raise UsageError("--workers must be at least 1")
    if opts.dask and opts.workers > 1:
        raise UsageError("--dask and --workers are alternatives; the cluster decides the parallelism")
    if fmts[0] == "text" and opts.doc_field:
        raise UsageError("--doc-field needs JSONL or TSV input (plain text has no fields)")
    filtering = opts.settings.drop_below is not None or opts.settings.keep_above is not None
    paths = {"out": opts.output}
    to_stdout = opts.output == "-"
    paths["errors"] = opts.errors or ("<stderr>" if to_stdout else derived_path(opts.output, "errors"))
    if filtering:
        if opts.dropped is None and to_stdout:
            raise UsageError("filtering to stdout needs --dropped PATH, so dropped records are kept somewhere")
        paths["dropped"] = opts.dropped or derived_path(opts.output, "dropped")
    elif opts.dropped:
        raise UsageError("--dropped needs --drop-below or --keep-above")
    if opts.findings:
        paths["findings"] = opts.findings
    if opts.resume and any(p in ("-", "<stderr>") or records.compression_of(p) or not _regular_or_new(p)
                           for p in paths.values()):
        raise UsageError("--resume needs uncompressed regular output files (not stdout, a pipe, "
                         ".gz or .zst): they are cut back to the last checkpoint")
    others = {"stats": opts.stats} if opts.stats else {}
    if opts.output != "-":
        others["progress"] = resume.checkpoint_path(opts.output)
    check_paths(opts.inputs, {**paths, **others})
    return fmts, paths


class Reader:
    """Turn the inputs into chunks of units, skipping items already committed."""

    def __init__(self, opts: Options, fmts: list[str], skip: int, header_sinks):
        self.opts = opts
        self.fmts = fmts
        self.skip = skip
        self.consumed = 0            # items read so far, headers included
        self.item_counts: deque[int] = deque()  # input items behind each chunk, in order
        self._headers = 0                          # header lines not yet counted in a chunk
        self._header: bytes | None = None
        self._header_sinks = header_sinks

    def _source(self, path: str, fmt: str, lines) -> Source:
        o = self.opts
        if fmt == "tsv" and records.tsv_has_header(o.text_field, o.doc_field, o.source_field):
            first = next(lines, None)
            if first is None:
                return records.resolve_columns(path, fmt, [], o.text_field, o.doc_field, o.source_field)
            raw = first[1]
            self.consumed += 1
            if self.consumed > self.skip:
                self._headers += 1
            if self._header is None:
                self._header = raw
                if self.consumed > self.skip:
                    for s in self._header_sinks():
                        s.write(raw if raw.endswith(b"\n") else raw + b"\n")
            elif raw.rstrip(b"\r\n") != self._header.rstrip(b"\r\n"):
                raise UsageError(f"{path}: TSV header differs from the first input's; run them separately")
            header = raw.decode("utf-8", "replace").rstrip("\r\n").lstrip("\ufeff").split("\t")
            return records.resolve_columns(path, fmt, header, o.text_field, o.doc_field, o.source_field)
        return records.resolve_columns(path, fmt, None, o.text_field, o.doc_field, o.source_field)

    def units(self) -> Iterator[tuple[Source, list[tuple[int, bytes]], int]]:
        """(source, rows, bytes) per unit: a document's consecutive records, or one record."""
        for path, fmt in zip(self.opts.inputs, self.fmts):
            name = "<stdin>" if path == "-" else path
            lines = records.read_lines(path)
            src = self._source(name, fmt, lines)
            if self.consumed < self.skip:  # resuming: pass over what is committed
                for _ in itertools.islice(lines, self.skip - self.consumed):
                    self.consumed += 1
            if src.doc_field is None:  # one record a unit: the common case, kept lean
                for n, raw in lines:
                    self.consumed += 1
                    yield src, [(n, raw)], len(raw)
                continue
            rows: list[tuple[int, bytes]] = []
            size = 0
            current = None
            for n, raw in lines:
                self.consumed += 1
                doc = records.peek_doc(src, raw)
                if rows and (doc is None or doc != current or len(rows) >= MAX_GROUP_RECORDS
                             or size >= MAX_GROUP_BYTES):
                    yield src, rows, size
                    rows, size = [], 0
                rows.append((n, raw))
                size += len(raw)
                current = doc
            if rows:
                yield src, rows, size

    def chunks(self) -> Iterator[list[Unit]]:
        chunk: list[Unit] = []
        n = size = 0
        limit = self.opts.chunk_size
        for src, rows, nbytes in self.units():
            chunk.append((src, rows))
            n += len(rows)
            size += nbytes
            if n >= limit or size >= (1 << 18):
                yield self._counted(chunk, n)
                chunk, n, size = [], 0, 0
        if chunk:
            yield self._counted(chunk, n)

    def _counted(self, chunk: list[Unit], n: int) -> list[Unit]:
        self.item_counts.append(n + self._headers)
        self._headers = 0
        return chunk


def _runner(opts: Options):
    if opts.dask:
        from .dask_runner import run_dask
        return lambda chunks: run_dask(chunks, opts.settings, opts.dask)
    from .local import run_local
    return lambda chunks: run_local(chunks, opts.settings, opts.workers)


def run(opts: Options) -> Totals:
    """Run a batch to completion (or resume one); return the totals for the summary."""
    if opts.dask:
        from .. import extras
        extras.require("dask", "mtclean batch --dask")
    fmts, paths = validate(opts)
    ckpath = resume.checkpoint_path(opts.output) if opts.output != "-" else None
    commits = ckpath is not None and all(p not in ("-", "<stderr>") and not records.compression_of(p)
                                         and _regular_or_new(p) for p in paths.values())
    fp = resume.fingerprint(opts.inputs, _fingerprint_settings(opts))
    ck = resume.load(ckpath, fp) if opts.resume and ckpath else None
    totals = Totals(spm=SpmStats(opts.settings.spm_worst) if opts.settings.spm_model else None)
    if ck is not None:
        totals.counts.update(ck.counts)
        if ck.complete:
            _write_stats(opts, totals)
            return totals
    if opts.settings.spm_model:
        from .spm import load_processor
        load_processor(opts.settings.spm_model)  # fail early, with one line, on a bad model
    sinks = _open_sinks(paths, ck)
    if ck is None and commits:
        resume.Checkpoint(fp).save(ckpath)
    reader = Reader(opts, fmts, ck.items if ck else 0,
                    lambda: [sinks[r] for r in ("out", "dropped") if r in sinks])
    committed_items = ck.items if ck else 0
    since_commit = 0
    last_commit = time.monotonic()
    bar = _progress(opts)
    started = time.monotonic()
    session_words = 0
    written_items = committed_items
    try:
        for res in _runner(opts)(reader.chunks()):
            for role, data in (("out", res.out), ("dropped", res.dropped),
                               ("errors", res.errors), ("findings", res.findings)):
                if role in sinks:
                    sinks[role].write(bytes(data))
            totals.add(res)
            session_words += res.counts["words"]
            _show_errors(totals, res, paths["errors"], opts.quiet)
            committed_items += reader.item_counts.popleft()
            written_items = committed_items
            since_commit += res.items
            if bar is not None:
                bar.update(res.items)
            if commits and (since_commit >= opts.checkpoint_every or time.monotonic() - last_commit > 5):
                _commit(ckpath, fp, committed_items, sinks, totals, False)
                since_commit, last_commit = 0, time.monotonic()
        committed_items = reader.consumed
        if commits:
            _commit(ckpath, fp, committed_items, sinks, totals, True)
            _remove(ckpath)  # a finished run leaves only its outputs behind
    except InputError:
        # A damaged input: what is written stays consistent and resumable up to the last
        # record whose result was written.
        if commits:
            _commit(ckpath, fp, written_items, sinks, totals, False)
        raise
    finally:
        if bar is not None:
            bar.close()
        for s in sinks.values():
            s.close()
    totals.counts["session_words"] = session_words
    totals.counts["session_ms"] = int(1000 * (time.monotonic() - started))
    _write_stats(opts, totals)
    return totals


def _open_sinks(paths: dict[str, str], ck) -> dict[str, Sink]:
    """Open every output; if one cannot be opened, remove those this run created."""
    sinks: dict[str, Sink] = {}
    created: list[str] = []
    try:
        for role, p in paths.items():
            fresh = p not in ("-", "<stderr>") and not os.path.lexists(p)
            sinks[role] = Sink(p, resume_at=(ck.sizes.get(role, 0) if ck else None))
            if fresh:
                created.append(p)
    except BaseException:
        for s in sinks.values():
            s.close()
        for p in created:
            _remove(p)
        raise
    return sinks


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_stats(opts: Options, totals: Totals) -> None:
    if opts.stats:
        try:
            with open(opts.stats, "w", encoding="utf-8") as fh:
                json.dump(summary_dict(totals), fh, indent=2)
        except OSError as exc:
            raise UsageError(f"{opts.stats}: cannot write the stats file ({exc.strerror})") from None


def _commit(ckpath, fp, items, sinks, totals: Totals, complete: bool) -> None:
    sizes = {role: s.sync() for role, s in sinks.items()}
    counts = {k: v for k, v in totals.counts.items() if not k.startswith("session_")}
    resume.Checkpoint(fp, items, sizes, counts, complete).save(ckpath)


def _fingerprint_settings(opts: Options) -> dict:
    return {"settings": repr(opts.settings), "fmt": opts.fmt, "text": opts.text_field,
            "doc": opts.doc_field, "errors": opts.errors, "dropped": opts.dropped,
            "findings": opts.findings}


def _progress(opts: Options):
    if opts.quiet or not sys.stderr.isatty():
        return None
    import tqdm as tqdm_mod
    tqdm_mod.tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked
    return tqdm_mod.tqdm(unit=" rec", unit_scale=True, dynamic_ncols=True, file=sys.stderr)


def _show_errors(totals: Totals, res: ChunkResult, errors_path: str, quiet: bool) -> None:
    if quiet or not res.errors or errors_path == "<stderr>":
        return
    for line in bytes(res.errors).splitlines():
        if totals.shown_errors >= SHOWN_ERRORS:
            return
        rec = json.loads(line)
        totals.shown_errors += 1
        print(f"mtclean: {rec['source']}:{rec['line']}: malformed record ({rec['error']}); "
              f"written to {errors_path}", file=sys.stderr)


def summary_dict(t: Totals) -> dict:
    c = t.counts
    cats = sorted({k.split(":", 1)[1] for k in c if k.startswith("found:")})
    secs = c.get("session_ms", 0) / 1000
    out = {
        "records": {"in": c["in"], "out": c["out"], "dropped": c["dropped"], "errors": c["errors"]},
        "changed": c["changed"], "words": c["words"],
        "findings": {k: {"found": c["found:" + k], "fixed": c["fixed:" + k]} for k in cats},
        "seconds": round(secs, 3),
        "words_per_second": round(c.get("session_words", 0) / secs) if secs else None,
    }
    if t.spm is not None:
        out["sentencepiece"] = t.spm.report()
    if c["with_source"] or c["no_source"]:
        out["source"] = {"checked_with_source": c["with_source"], "without_source": c["no_source"]}
    return out


def summary_text(t: Totals) -> str:
    d = summary_dict(t)
    r = d["records"]
    lines = [f"mtclean batch: {r['in']:,} records in, {r['out']:,} out, {r['dropped']:,} dropped, "
             f"{r['errors']:,} malformed; {d['changed']:,} changed; {d['words']:,} words"
             + (f" in {d['seconds']:.1f} s ({d['words_per_second']:,} words/s)" if d["words_per_second"] else "")]
    if "source" in d:
        lines.append(f"source: {d['source']['checked_with_source']:,} records checked against their source, "
                     f"{d['source']['without_source']:,} without one (checked monolingually)")
    if d["findings"]:
        lines.append("findings by category: " + ", ".join(
            f"{k} {v['found']:,} ({v['fixed']:,} fixed)" for k, v in
            sorted(d["findings"].items(), key=lambda kv: -kv[1]["found"])))
    sp = d.get("sentencepiece")
    if sp:
        b, a = sp["before"], sp["after"]
        lines.append(f"sentencepiece: <unk> rate {b['unk_rate']:.2%} -> {a['unk_rate']:.2%}, "
                     f"pieces/word {b['pieces_per_word']:.3f} -> {a['pieces_per_word']:.3f}")
        for w in sp["worst"][:5]:
            lines.append(f"  {w['record']}: <unk> {w['before']['unk_rate']:.1%} -> {w['after']['unk_rate']:.1%}, "
                         f"pieces/word {w['before']['pieces_per_word']:.2f} -> {w['after']['pieces_per_word']:.2f}")
    return "\n".join(lines)
