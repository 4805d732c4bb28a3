"""The per-record pipeline: parse → clean (fix loop) → score → filter → serialize.

Work travels as chunks of units; a unit is the consecutive records of one document (or a
single record). Workers get raw lines and return ready-to-write bytes, so the reading
process does almost nothing and parallel runs scale. The engine is built once per process.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Iterator

from .. import deadline, suppress
from ..api import build_engine
from ..lexicon import wordlists
from ..document import NO_CONTEXT, CheckContext, Document
from ..engine import regex_timeout
from ..finding import Finding
from . import jsonl, records, score
from .records import Source
from .spm import NORM_RULE, SpmStats, load_processor, measure, normalizer_detector


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to clean records; picklable, hashable, small."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extra_rules: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    unsafe: bool = False
    normalize: str | None = None
    spm_model: str | None = None
    spm_worst: int = 10
    info_field: str | None = "mtclean"
    drop_below: float | None = None
    keep_above: float | None = None
    want_findings: bool = False


@dataclass
class ChunkResult:
    """Bytes for each output plus counters, for one chunk, in input order."""

    items: int = 0
    out: bytearray = field(default_factory=bytearray)
    dropped: bytearray = field(default_factory=bytearray)
    errors: bytearray = field(default_factory=bytearray)
    findings: bytearray = field(default_factory=bytearray)
    counts: Counter = field(default_factory=Counter)
    spm: SpmStats | None = None


@dataclass
class Cleaned:
    """A cleaned record: new text, remaining findings (offsets in new text), fixes by rule."""

    text: str
    remaining: list[Finding]
    fixed: Counter


class Context:
    """Per-process state: the engine, rule metadata, optional sentencepiece model."""

    def __init__(self, s: Settings):
        detectors = [normalizer_detector(s.normalize)] if s.normalize else []
        self.engine = build_engine(s.select, s.ignore, s.extra_rules, detectors)
        # the shared empty context when there is nothing to bind: the engine then skips,
        # per record, looking for deferred (source-aware) rules whose need it meets
        self.context = CheckContext(names=s.names) if s.names else NO_CONTEXT
        self.rule_info = {r.id: (r.category, r.severity) for r in self.engine.rules}
        self.rule_info[NORM_RULE] = ("encoding", "info")
        self.sp = load_processor(s.spm_model) if s.spm_model else None
        self.settings = s

    def warm(self) -> None:
        """Run the checks once so data they load lazily (word lists, lexicons) is in memory."""
        src = Source("<warm-up>", "jsonl")
        clean_group(self, src, ["Mayor Ana Ortiz said  the harbour , which opened in 1998, is busy.",
                                "Ortiz told reporters the port handled 3 million containers."])
        wordlists.preload()


_CONTEXTS: dict[Settings, Context] = {}


def context(s: Settings) -> Context:
    ctx = _CONTEXTS.get(s)
    if ctx is None:
        ctx = _CONTEXTS[s] = Context(s)
    return ctx


def _keeper(forbidden: str):
    """Suppressions, plus: a fix that would put a line break (or tab) into a line-based
    record is shown but not applied, since it would corrupt the output format."""

    def keep(doc: Document, found: list[Finding]) -> list[Finding]:
        found = suppress.apply_all(doc, found)
        if not forbidden:
            return found
        return [dataclasses.replace(f, fix=None)
                if f.fix and any(c in f.fix.replacement for c in forbidden) else f for f in found]

    return keep


_FORBIDDEN = {"jsonl": "", "text": "\r\n", "tsv": "\r\n\t"}
_KEEPERS = {fmt: _keeper(chars) for fmt, chars in _FORBIDDEN.items()}


def clean_one(ctx: Context, src: Source, text: str, source: str | None = None) -> Cleaned:
    if source is None:  # the common case: clean_group's work without its lists
        (d,) = ctx.engine.fix_records((text,), src.name, ctx.context, ctx.settings.unsafe,
                                      _keeper_for(src, ctx.context))
        return Cleaned(d.text, d.remaining, Counter(e.rule for e in d.edits) if d.edits else _NO_EDITS)
    return clean_group(ctx, src, [text], [source])[0]


def clean_many(ctx: Context, src: Source, texts: list[str]) -> list[Cleaned]:
    """`clean_one` for many one-record texts (no source): checked together
    (`Engine.check_many`), and the fix loop run only for texts with findings, round by
    round for all of them (`Engine.fix_many`)."""
    path, context = src.name, ctx.context
    docs = [Document(t, path, context) for t in texts]
    keep = _keeper_for(src, context)
    found = ctx.engine.check_many(docs)
    todo = [k for k, fs in enumerate(found) if fs]  # most records: nothing found, no fix loop
    fixed = ctx.engine.fix_many([docs[k] for k in todo], [found[k] for k in todo],
                                ctx.settings.unsafe, keep)
    out = [Cleaned(doc.text, fs, _NO_EDITS) for doc, fs in zip(docs, found)]
    for k, d in zip(todo, fixed):
        out[k] = Cleaned(d.text, d.remaining, Counter(e.rule for e in d.edits) if d.edits else _NO_EDITS)
    return out


_NO_EDITS = MappingProxyType({})  # shared by every record without a fix, so read-only


def _keeper_for(src: Source, context: CheckContext):
    """The format's keeper; with a source, also what the source overrules."""
    if context.source is None:
        return _KEEPERS[src.fmt]
    from ..source.keep import source_keep
    return source_keep(_KEEPERS[src.fmt])


def record_context(context: CheckContext, texts: list[str],
                   sources: list[str | None]) -> CheckContext:
    """The document's check context, with the records' sources when any record has one."""
    if not any(sources):
        return context
    from ..source.align import attach, records_alignment
    return attach(context, records_alignment(sources))  # joined like SEPARATOR


def clean_group(ctx: Context, src: Source, texts: list[str],
                sources: list[str | None] | None = None) -> list[Cleaned]:
    """Clean the records of one document together, so cross-record checks see them all
    (the engine's one fix loop, `Engine.fix_records`); `sources` pair each record with its
    Chinese source when the batch has one."""
    context = record_context(ctx.context, texts, sources or [None] * len(texts))
    done = ctx.engine.fix_records(texts, src.name, context, ctx.settings.unsafe,
                                  _keeper_for(src, context))
    return [Cleaned(d.text, d.remaining, Counter(e.rule for e in d.edits) if d.edits else _NO_EDITS)
            for d in done]


# The info of most records (nothing found, nothing fixed): one dict, only ever serialized
# or read, never altered (orjson writes no read-only mapping), so not rebuilt per record.
_PERFECT_INFO = {"score": score.PERFECT, "fixed": {}, "counts": {}, "findings": []}


def _info(ctx: Context, c: Cleaned, words: int) -> dict:
    if not c.fixed and not c.remaining:  # most records: nothing found, nothing fixed
        return _PERFECT_INFO
    counts: Counter = Counter()
    fixed_sev = []
    for rule, n in c.fixed.items():
        cat, sev = ctx.rule_info.get(rule, ("style", "warning"))
        counts[cat] += n
        fixed_sev.extend([sev] * n)
    for f in c.remaining:
        counts[f.category] += 1
    return {
        "score": score.quality(words, [f.severity for f in c.remaining], fixed_sev,
                               score.untranslated_share(c.remaining, len(c.text))),
        "fixed": dict(c.fixed),
        "counts": dict(counts),
        "findings": [{"rule": f.rule, "category": f.category, "severity": f.severity,
                      "start": f.start, "end": f.end} for f in c.remaining],
    }


def _keep_record(s: Settings, value: float) -> bool:
    if s.drop_below is not None and value < s.drop_below:
        return False
    if s.keep_above is not None and value <= s.keep_above:
        return False
    return True


def process_unit(ctx: Context, src: Source, rows: list[tuple[int, bytes]], res: ChunkResult) -> None:
    """Clean one unit (a document's records, or one record) and append its outputs."""
    if len(rows) == 1:  # one record a unit (no document field): the common case, kept lean
        (n, raw), = rows
        p = records.parse(src, n, raw)
        cl = None
        if p.error is None:
            try:
                cl = clean_one(ctx, src, p.text, p.source)
            except Exception as exc:  # noqa: BLE001 - one bad record must not end a long run
                p.error = f"a check failed on this record ({type(exc).__name__}: {exc})"
        _emit(ctx, src, p, cl, res)
        return
    parsed = [records.parse(src, n, raw) for n, raw in rows]
    good = [p for p in parsed if p.error is None]
    cleaned: dict[int, Cleaned] = {}
    if len(good) > 1:
        try:
            cleaned = dict(zip(map(id, good), clean_group(ctx, src, [p.text for p in good],
                                                          [p.source for p in good])))
        except Exception:  # noqa: BLE001 - retried record by record below, to isolate it
            cleaned = {}
    for p in good:
        if id(p) not in cleaned:
            try:
                cleaned[id(p)] = clean_one(ctx, src, p.text, p.source)
            except Exception as exc:  # noqa: BLE001 - one bad record must not end a long run
                p.error = f"a check failed on this record ({type(exc).__name__}: {exc})"
    for p in parsed:
        _emit(ctx, src, p, cleaned.get(id(p)), res)


def _emit(ctx: Context, src: Source, p: records.Parsed, cl: Cleaned | None, res: ChunkResult) -> None:
    """Count one record and append its line to the output it belongs in (`cl` is None
    when the record is malformed or its check failed: `p.error` says why)."""
    s = ctx.settings
    c = res.counts
    res.items += 1
    c["in"] += 1
    if p.error is not None:
        c["errors"] += 1
        res.errors += records.error_line(src, p)
        return
    if src.source_field is not None:
        c["with_source" if p.source is not None else "no_source"] += 1
    words = len(p.text.split())
    info = _info(ctx, cl, words)
    try:
        line = records.render(src, p, cl.text, s.info_field, info)
    except ValueError as exc:  # e.g. nested too deeply to serialize: keep it as an error
        p.error = str(exc)
        c["errors"] += 1
        res.errors += records.error_line(src, p)
        return
    c["words"] += words
    if info is not _PERFECT_INFO:
        for cat, n in info["counts"].items():
            c["found:" + cat] += n
        for rule, n in cl.fixed.items():
            c["fixed:" + ctx.rule_info.get(rule, ("style",))[0]] += n
        if cl.text != p.text:
            c["changed"] += 1
    if res.spm is not None:
        res.spm.add(f"{src.name}:{p.lineno}", p.text, measure(ctx.sp, p.text), measure(ctx.sp, cl.text))
    if _keep_record(s, info["score"]):
        c["out"] += 1
        res.out += line
    else:
        c["dropped"] += 1
        res.dropped += line
    if s.want_findings and (info["findings"] or info["fixed"]):
        res.findings += jsonl.dumps_line({"source": src.name, "line": p.lineno, **info})


Unit = tuple[Source, list[tuple[int, bytes]]]


def process_chunk(settings: Settings, chunk: list[Unit]) -> ChunkResult:
    """Clean a chunk of units; the function workers (local or Dask) run."""
    ctx = context(settings)
    res = ChunkResult(spm=SpmStats(settings.spm_worst) if ctx.sp is not None else None)
    # The wall-clock watch for regex searches (mtclean/deadline.py) armed once for the
    # chunk: each record's check then finds it armed and costs no timer system calls.
    # Every search still gets its own deadline, which the alarm handler enforces.
    with deadline.watching(regex_timeout("")):
        singles: list[tuple[int, bytes]] = []  # consecutive one-record units of one source
        for i, (src, rows) in enumerate(chunk):
            if len(rows) == 1:
                singles.append(rows[0])
                if i + 1 < len(chunk) and chunk[i + 1][0] is src and len(chunk[i + 1][1]) == 1:
                    continue
                process_singles(ctx, src, singles, res)
                singles = []
            else:
                process_unit(ctx, src, rows, res)
    return res


def process_singles(ctx: Context, src: Source, rows: list[tuple[int, bytes]], res: ChunkResult) -> None:
    """Clean one-record units of one source together (`clean_many`), in input order; a
    record with a source, or all of them when a check fails, goes through `process_unit`."""
    if len(rows) == 1:
        process_unit(ctx, src, rows, res)
        return
    parsed = [records.parse(src, n, raw) for n, raw in rows]
    todo = [p for p in parsed if p.error is None and p.source is None]
    try:
        cleaned = dict(zip(map(id, todo), clean_many(ctx, src, [p.text for p in todo])))
    except Exception:  # noqa: BLE001 - retried record by record below, to isolate it
        cleaned = {}
    for p, row in zip(parsed, rows):
        cl = cleaned.get(id(p))
        if cl is None:
            process_unit(ctx, src, [row], res)
        else:
            _emit(ctx, src, p, cl, res)


def clean_records(recs: Iterable[dict], settings: Settings = Settings(), text_field: str = "text",
                  doc_field: str | None = None, name: str = "<records>") -> Iterator[dict]:
    """Clean dict records in this process (the library form of `mtclean batch`).

    Yields each record with the cleaned text and an info field; malformed records are
    yielded unchanged with `info_field` = {"error": ...}.
    """
    src = Source(name, "jsonl", text_field, doc_field)
    field_name = settings.info_field or "mtclean"
    one = dataclasses.replace(settings, info_field=field_name, drop_below=None, keep_above=None)
    ctx = context(one)
    for unit in _units_of_dicts(recs, doc_field):
        rows = [(i, (json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8")) for i, r in unit]
        res = ChunkResult(spm=SpmStats(settings.spm_worst) if ctx.sp is not None else None)
        process_unit(ctx, src, rows, res)
        lines = iter(bytes(res.out).splitlines())
        errs = iter(bytes(res.errors).splitlines())
        for _, r in unit:
            if isinstance(r, dict) and isinstance(r.get(text_field), str):
                yield json.loads(next(lines))
            else:
                yield {**(r if isinstance(r, dict) else {"value": r}),
                       field_name: {"error": json.loads(next(errs))["error"]}}


def _units_of_dicts(recs: Iterable[dict], doc_field: str | None) -> Iterator[list[tuple[int, dict]]]:
    unit: list[tuple[int, dict]] = []
    current = None
    for i, r in enumerate(recs, 1):
        d = records.doc_id(r, doc_field) if isinstance(r, dict) else None
        if unit and (d is None or d != current):
            yield unit
            unit = []
        unit.append((i, r))
        current = d
    if unit:
        yield unit
