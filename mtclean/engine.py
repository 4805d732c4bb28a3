"""Run rules over a document: read → segment → detect → (plan fixes → apply) lives here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Iterable

import regex

from . import checks, chunkgate, deadline, fixes, selectors
from .blocks import line_blocks
from .document import NO_CONTEXT, CheckContext, Document
from .errors import MtcleanError, RuleFileError
from .finding import Finding, Fix, Hit
from .gate import CJK_RANGE, NO_GATE, Gate
from .rules import Rule
from .screen import build_screens

# A grammar backend: given the document and the rules' findings, its own findings.
Detector = Callable[[Document, list[Finding]], list[Finding]]
Keep = Callable[[Document, list[Finding]], list[Finding]]  # filters findings (suppressions)
_WORD = regex.compile(r"\w")
SEPARATOR = "\n\n"  # joins a document's records so paragraph-aware checks see them apart
MAX_ROUNDS = 10


def regex_timeout(text: str) -> float:
    """Seconds a pattern may spend on a text: generous, and linear in the text's size."""
    return 2.0 + 4.0 * len(text) / 1_000_000


def select_rules(rules: list[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Keep rules matched by `select` (all enabled rules when empty) and not by `ignore`.

    A selector is a rule id, an id prefix (`CJK`), a rule name, a category or `ALL`
    (mtclean/selectors.py).
    """
    select, ignore = [s for s in select if s], [s for s in ignore if s]
    out = []
    for r in rules:
        chosen = selectors.any_match(select, r.id, r.category, r.name) if select else r.enabled
        if chosen and not selectors.any_match(ignore, r.id, r.category, r.name):
            out.append(r)
    return out


@dataclass
class _PhraseIndex:
    """An Aho–Corasick automaton over a phrase rule's entries (built once per rule)."""

    automaton: object
    lower: bool


def _phrase_index(rule: Rule) -> _PhraseIndex:
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, ph in enumerate(rule.phrases):
        key = ph.match.lower() if rule.ignorecase else ph.match
        auto.add_word(key, (i, len(key)))
    auto.make_automaton()
    return _PhraseIndex(auto, rule.ignorecase)


def _phrase_hits(doc: Document, rule: Rule, idx: _PhraseIndex) -> Iterable[Hit]:
    text = doc.text
    taken_until = -1
    for a, b in line_blocks(text):  # phrases hold no newline; each block is scanned alone
        for start, end, i in _phrase_matches(idx, text[a:b] if (a, b) != (0, len(text)) else text, a):
            if start < taken_until:
                continue
            if (start > 0 and _WORD.match(text[start - 1])) or (end < len(text) and _WORD.match(text[end])):
                continue
            ph = rule.phrases[i]
            taken_until = end
            yield Hit(start, end, replacement=ph.replacement, safety=ph.safety,
                      message=rule.message.replace("{replacement}", ph.replacement or "")
                      + (f" ({ph.note})" if ph.note else ""))


def _phrase_matches(idx: _PhraseIndex, block: str, offset: int) -> Iterable[tuple[int, int, int]]:
    """(start, end, phrase index) of the automaton's longest matches in one block."""
    hay = block
    if idx.lower:
        low = block.lower()
        hay = low if len(low) == len(block) else "".join(c.lower()[:1] or c for c in block)
    if not hay:
        return
    for end_idx, (i, n) in idx.automaton.iter_long(hay):
        yield offset + end_idx - n + 1, offset + end_idx + 1, i


def _pattern_hits(doc: Document, rule: Rule) -> list[Hit]:
    limit = regex_timeout(doc.text)
    hits = []
    deadline.start(limit)  # wall-clock limit; regex's own timeout counts CPU time only
    try:
        # the CPU-time timeout only where no wall-clock alarm guards the search
        found = (rule.pattern.finditer(doc.text) if deadline.guarded()
                 else rule.pattern.finditer(doc.text, timeout=limit))
        for m in found:
            start, end = m.span(rule.group)
            if start < 0:
                continue
            rep = m.expand(rule.replacement) if rule.replacement is not None else None
            hits.append(Hit(start, end, replacement=rep))
        return hits
    except TimeoutError:
        raise RuleFileError(
            f"{rule.source_file}:{rule.line}: rule {rule.id}: pattern took longer than "
            f"{regex_timeout(doc.text):.0f}s on {doc.path} (catastrophic backtracking?); "
            "simplify it (avoid nested quantifiers such as (a+)+) or disable the rule"
        ) from None
    finally:
        deadline.stop()


def hits_for(doc: Document, rule: Rule) -> Iterable[Hit]:
    """Yield the raw hits of one rule on one document."""
    return _runner(rule)(doc)


def _runner(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """The rule's prepared runner, built on first use and kept on the rule object itself,
    so it lives exactly as long as the rule (a cache keyed by `id(rule)` could hand a
    freed rule's matcher to a new rule at the same address)."""
    run = rule.prepared
    if run is None:
        run = rule.prepared = _prepare(rule)
    return run


def gates(rule: Rule) -> list[Gate]:
    """The rule's gates (mtclean/gate.py): its rule file's and its check's, where stated."""
    found = [rule.gate, checks.gate(rule.check) if rule.kind == "check" else NO_GATE]
    return [g for g in found if g]


def _prepare(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """`hits_for` specialised to one rule, behind its gates."""
    run = _ungated_runner(rule)
    for gate in reversed(gates(rule)):  # the rule file's gate is tested first
        run = gate.guard(run)
    return run


def _ungated_runner(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """The rule's hits, with a check's function looked up once, and no gate."""
    if rule.kind == "pattern":
        return lambda doc: _pattern_hits(doc, rule)
    if rule.kind == "phrases":
        idx = _phrase_index(rule)
        return lambda doc: _phrase_hits(doc, rule, idx)
    fn = checks.get(rule.check)
    return lambda doc: fn(doc, rule) or ()


def to_finding(doc: Document, rule: Rule, hit: Hit) -> Finding:
    """Attach a rule's metadata, the flagged text and line/column to a hit."""
    text = doc.text[hit.start:hit.end]
    rep = hit.replacement
    safety = hit.safety or rule.safety
    fix = Fix(rep, safety) if rep is not None else None
    msg = hit.message or rule.message
    msg = msg.replace("{text}", text).replace("{replacement}", rep if rep is not None else "")
    f = Finding(rule=rule.id, category=rule.category, severity=hit.severity or rule.severity,
                message=msg, start=hit.start, end=hit.end, text=text, fix=fix, path=doc.path,
                source_span=hit.source_span)
    return locate(doc, f)


def locate(doc: Document, f: Finding) -> Finding:
    """Fill in 1-based line/column for a finding's start and end."""
    f.line, f.column = doc.position(f.start)
    f.end_line, f.end_column = doc.position(f.end)
    return f


def _internal(who: str, doc: Document, exc: Exception) -> MtcleanError:
    """One line for a crash inside a check (the chained exception keeps the traceback)."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:  # a broken install, not a bug
        return MtcleanError(f"{doc.path}: {who} needs the Python package '{exc.name}', which "
                            "is not installed; reinstall mtclean (pip install --force-reinstall mtclean)")
    return MtcleanError(f"{doc.path}: {who} failed ({type(exc).__name__}: {exc}); this is a "
                        "bug in mtclean, please report it with the input")


def _checked(doc: Document, rule: Rule, hit: Hit) -> Finding:
    """A hit as a finding, after making sure a check kept its span inside the text."""
    n = len(doc.text)
    if not 0 <= hit.start <= hit.end <= n:
        raise ValueError(f"hit span {hit.start}-{hit.end} outside the text (0-{n})")
    return to_finding(doc, rule, hit)


def _runner_lists(rules: list[Rule]) -> tuple[list, list, list]:
    """(rule, runner) pairs for any text, for ASCII text and for text with no character of
    the CJK range (gate.CJK_RANGE): checks that need a non-ASCII character, or one of
    the CJK range (a rule file states no such gate), are dropped at once there (most copy)."""
    runners = [(rule, _runner(rule)) for rule in rules]
    gated = [(rule, run, checks.gate(rule.check) if rule.kind == "check" else NO_GATE)
             for rule, run in runners]
    return (runners, [(rule, run) for rule, run, gate in gated if not gate.non_ascii],
            [(rule, run) for rule, run, gate in gated if not gate.cjk])


# which of `_runner_lists` applies to a text
_ANY, _ASCII, _NO_CJK = 0, 1, 2


def _text_kind(text: str) -> int:
    if text.isascii():
        return _ASCII
    return _ANY if CJK_RANGE.search(text) is not None else _NO_CJK


class _ChunkPlan:
    """The runner lists of `_runner_lists` for `Engine.check_many`: each gated rule whose
    gate has a chunk form (mtclean/chunkgate.py), or whose check makes its own chunk scan
    (`checks.chunk_scan`), gets a slot, tested once per chunk, and a runner behind the
    rest of its gate only."""

    def __init__(self, lists: tuple[list, list, list]):
        self.scans: list[list[chunkgate.Scan]] = []
        self._made: list[tuple[int, Rule, Callable]] = []  # (slot, rule, maker) of check scans
        self._runners: dict[tuple[int, frozenset], list] = {}  # see `runners`
        self._for_context: dict[int, tuple[CheckContext, list[list[chunkgate.Scan]]]] = {}
        inner: dict[int, tuple[int, Callable]] = {}  # id(rule) -> (slot, runner)
        split: dict[int, tuple] = {}  # id(gate) -> its split: rules of one check share a scan
        for rule, _ in lists[_ANY]:
            scans, rests = [], []
            for gate in gates(rule):
                if id(gate) not in split:
                    split[id(gate)] = (gate, chunkgate.split(gate))
                scan, rest = split[id(gate)][1]
                if scan is not None:
                    scans.append(scan)
                if rest is not None:
                    rests.append(rest)
            maker = checks.chunk_scan(rule.check) if rule.kind == "check" else None
            if maker is not None:
                self._made.append((len(self.scans), rule, maker))
            if scans or maker is not None:
                inner[id(rule)] = (len(self.scans), _behind(_ungated_runner(rule), rests))
                self.scans.append(scans)
        self.lists = []
        for runners in lists:
            entries = []  # (rule, runner, slot or None), in the list's order
            for rule, run in runners:
                slot, behind = inner.get(id(rule), (None, run))
                entries.append((rule, behind, slot))
            self.lists.append((entries, [(rule, run) for rule, run, slot in entries if slot is None]))

    def runners(self, kind: int, slots: set[int]) -> list[tuple[Rule, Callable]]:
        """The runners of list `kind` for a text whose scans fired `slots`: those without a
        slot and those of the fired slots, in the list's order (most texts fire one of a
        few sets, so each list is built once)."""
        key = (kind, frozenset(slots))
        found = self._runners.get(key)
        if found is None:
            if len(self._runners) >= 4096:
                self._runners.clear()
            found = self._runners[key] = [(rule, run) for rule, run, slot in self.lists[kind][0]
                                          if slot is None or slot in slots]
        return found

    def _scans(self, context: CheckContext | None) -> list[list[chunkgate.Scan]]:
        """The slots' scans with the checks' own scans for `context` (made once for each;
        None, texts of several contexts: those slots fire on every text)."""
        if not self._made:
            return self.scans
        key = id(context)
        known = self._for_context.get(key)
        if known is None or known[0] is not context:
            if len(self._for_context) >= 16:  # contexts that change per call: keep it small
                self._for_context.clear()
            scans = [list(s) for s in self.scans]
            for slot, rule, maker in self._made:
                scans[slot].append(_every_text if context is None else maker(rule, context))
            known = self._for_context[key] = (context, scans)
        return known[1]

    def fired(self, texts: list[str], context: CheckContext | None = NO_CONTEXT) -> list[set[int] | None]:
        """Per text, the slots whose chunk forms may fire on it (None when none); the
        texts' documents share `context` (None when they do not)."""
        chunk = chunkgate.Chunk(texts)
        out: list[set[int] | None] = [None] * len(texts)
        done: dict[int, set[int]] = {}  # id(scan) -> what it found (QUO001/2/4 share one)
        for slot, scans in enumerate(self._scans(context)):
            hit: set[int] = set()
            for n, scan in enumerate(scans):  # every form must fire: the intersection
                found = done.get(id(scan))
                if found is None:
                    found = done[id(scan)] = set()
                    scan(chunk, found)
                hit = found if n == 0 else hit & found
                if not hit:
                    break
            for i in hit:
                if out[i] is None:
                    out[i] = {slot}
                else:
                    out[i].add(slot)
        return out


def _every_text(chunk: chunkgate.Chunk, out: set) -> None:
    """The scan of a check's own slot when the chunk's documents differ in context."""
    out.update(range(len(chunk.texts)))


def _behind(run: Callable, tests: list[Callable]) -> Callable:
    """`run` behind per-text tests (the parts of gates with no chunk form), in order."""
    if not tests:
        return run
    return lambda doc: run(doc) if all(t(doc) for t in tests) else ()


@dataclass
class Engine:
    """A selected rule set plus optional extra detectors (grammar backends).

    `ignore` selectors also drop detector findings (`--ignore LT/EN_A_VS_AN`, `spelling`).
    """

    rules: list[Rule]
    detectors: list[Detector] = field(default_factory=list)
    ignore: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Rules whose check needs a field of the check context (a source): prepared, and
        # their modules imported, on the first document that has it (`_needing`).
        self._deferred: dict[str, list[Rule]] = {}
        now = []
        for rule in self.rules:
            need = checks.needs(rule.check) if rule.kind == "check" else None
            if need:
                self._deferred.setdefault(need, []).append(rule)
            else:
                now.append(rule)
        self._prepared: dict[str, tuple[list, list, list]] = {}
        screens, rest = build_screens(now)
        self._lists = _runner_lists(rest)
        self._runners, self._ascii_runners = self._lists[_ANY], self._lists[_ASCII]
        self._screens = [(s, [(rule, _runner(rule)) for rule in s.rules]) for s in screens]
        self._chunk_plan: _ChunkPlan | None = None  # built by the first `check_many`

    def _needing(self, doc: Document, kind: int) -> list[tuple[Rule, Callable]]:
        """The runners of deferred rules whose need `doc`'s check context meets."""
        out = []
        for need, rules in self._deferred.items():
            if getattr(doc.context, need) is not None:
                lists = self._prepared.get(need)
                if lists is None:
                    lists = self._prepared[need] = _runner_lists(rules)
                out += lists[kind]
        return out

    def _active(self, doc: Document) -> list[tuple[Rule, Callable]]:
        """The runners to try on `doc`: all unscreened ones (with the deferred ones whose
        need the document meets), then screened ones whose screen matches."""
        kind = _text_kind(doc.text)
        return self._extended(doc, kind, self._lists[kind])

    def _extended(self, doc: Document, kind: int, runners: list) -> list[tuple[Rule, Callable]]:
        """`runners` plus the deferred ones `doc` meets the need of and screened ones."""
        if self._deferred and doc.context is not NO_CONTEXT:
            runners = runners + self._needing(doc, kind)
        if not self._screens:
            return runners
        active = list(runners)
        timeout = regex_timeout(doc.text) / 4  # past this, members run (and are timed) alone
        for screen, members in self._screens:
            if screen.may_match(doc.text, timeout):
                active.extend(members)
        return active

    def check_many(self, docs: list[Document]) -> list[list[Finding]]:
        """`check` for each of many small documents (a batch's one-record units), with the
        gates that allow it tested once over all their texts (mtclean/chunkgate.py)."""
        if len(docs) < 2:
            return [self.check(doc) for doc in docs]
        plan = self._chunk_plan
        if plan is None:
            plan = self._chunk_plan = _ChunkPlan(self._lists)
        context = docs[0].context
        if any(doc.context is not context for doc in docs):
            context = None
        fired = plan.fired([doc.text for doc in docs], context)
        # With no detector, screen or deferred rule, a text whose scans fired nothing
        # and whose list has no rule without a slot runs nothing: no check call at all.
        bare = (not self.detectors and not self._screens and context is not None
                and not any(getattr(context, need) is not None for need in self._deferred))
        out = []
        for doc, slots in zip(docs, fired):
            kind = _text_kind(doc.text)
            runners = plan.lists[kind][1] if not slots else plan.runners(kind, slots)
            if not runners and bare:
                out.append([])
                continue
            out.append(self._check(doc, self._extended(doc, kind, runners)))
        return out

    def check(self, doc: Document) -> list[Finding]:
        return self._check(doc, self._active(doc))

    def _check(self, doc: Document, active: list[tuple[Rule, Callable]]) -> list[Finding]:
        """The findings of the `active` runners and of the detectors on `doc`."""
        findings: list[Finding] = []
        rule = None
        memo: dict = {}  # equal messages, texts, fixes shared within this check
        try:  # one try around the loop: per-rule overhead matters on millions of segments
            with deadline.watch(regex_timeout, doc.text):  # wall-clock limit for patterns
                for rule, run in active:
                    hits = run(doc)
                    if hits:  # most runners answer () or []: no iteration then
                        for hit in hits:
                            findings.append(_checked(doc, rule, hit).share(memo))
        except MtcleanError:
            raise
        except Exception as exc:  # a bug in a check must not end in a traceback
            raise _internal(f"rule {rule.id if rule else '?'}", doc, exc) from exc
        ignore = self.ignore
        for detect in self.detectors:
            try:
                findings.extend(locate(doc, f) for f in detect(doc, findings)
                                if not (ignore and selectors.any_match(ignore, f.rule, f.category)))
            except MtcleanError:
                raise
            except Exception as exc:
                raise _internal(f"detector {getattr(detect, '__name__', detect)!s}", doc, exc) from exc
        findings.sort(key=Finding.sort_key)
        return findings

    def fix(self, doc: Document, unsafe: bool = False, max_rounds: int = MAX_ROUNDS,
            keep: Keep | None = None) -> tuple[str, list[fixes.Edit], list[Finding]]:
        """Fix until nothing fixable is left (like ruff); return text, edits, remaining findings.

        `keep` filters findings (suppressions) before planning. Running it again on its
        output changes nothing, since it stops only when no allowed fix remains.
        """
        (done,) = self.fix_records([doc.text], doc.path, doc.context, unsafe, keep, max_rounds, doc)
        return done.text, done.edits, done.remaining

    def fix_records(self, texts: list[str], path: str = "-", context: CheckContext = NO_CONTEXT,
                    unsafe: bool = False, keep: Keep | None = None,
                    max_rounds: int = MAX_ROUNDS, first: Document | None = None,
                    found: list[Finding] | None = None) -> list[Fixed]:
        """The fix loop, for one text or for the records of one document checked together.

        Several texts are joined with a blank line (`SEPARATOR`) so cross-record checks see
        them all; an edit must lie inside one record and is applied to that record alone.
        Each round checks, filters with `keep`, plans and applies; the loop stops when no
        allowed fix changes anything. Remaining findings get offsets into their own record.
        `first` is the document of the first round when the caller already has it, and
        `found` its findings (`check(first)`) when the caller has them too.
        """
        texts = list(texts)
        if not texts:
            return []
        joined, spans = _join(texts)
        if first is not None and first.text == joined:
            doc = first
        else:
            doc, found = Document(joined, path, context), None
        if found is None:
            found = self.check(doc)
        if found and keep:
            found = keep(doc, found)
        if not found and len(texts) == 1:  # most records of a corpus: nothing to fix
            return [Fixed(texts[0], [], found)]
        edits: list[list[fixes.Edit]] = [[] for _ in texts]
        # per record, what earlier rounds changed (None in round one; see fixes.touching)
        regions: list[list[tuple[int, int]] | None] = [None] * len(texts)
        for _ in range(max_rounds):
            if not found:  # most segments of a corpus: nothing to filter or plan
                break
            per: list[list[Finding]] = [[] for _ in texts] if len(texts) > 1 else [found]
            if len(texts) > 1:
                for f in found:
                    i = _owner(spans, f.start)
                    if spans[i][0] <= f.start and f.end <= spans[i][1]:
                        per[i].append(f)
            changed = False
            for i, fs in enumerate(per):
                a = spans[i][0]
                planned = fixes.plan(fixes.touching(fs, regions[i], doc, a), unsafe)
                if not planned:
                    continue
                if a:
                    planned = [fixes.Edit(e.start - a, e.end - a, e.replacement, e.rule, e.safety)
                               for e in planned]
                new = fixes.apply(texts[i], planned)
                if new != texts[i]:  # an edit that changes nothing is no fix
                    regions[i] = fixes.carry(planned, regions[i] or [], texts[i], new)
                    texts[i] = new
                    edits[i].extend(planned)
                    changed = True
            if not changed:
                break
            regions = [r or [] for r in regions]  # after round one, untouched records stay so
            joined, spans = _join(texts)
            doc = Document(joined, path, context)
            found = self.check(doc)
            if found and keep:
                found = keep(doc, found)
        if len(texts) == 1:
            return [Fixed(texts[0], edits[0], found)]
        remaining: list[list[Finding]] = [[] for _ in texts]
        for f in found:
            i = _owner(spans, f.start)
            a, b = spans[i]
            remaining[i].append(dataclasses.replace(f, start=f.start - a, end=min(f.end, b) - a))
        return [Fixed(t, e, r) for t, e, r in zip(texts, edits, remaining)]

    def fix_many(self, docs: list[Document], found: list[list[Finding]], unsafe: bool = False,
                 keep: Keep | None = None, max_rounds: int = MAX_ROUNDS) -> list[Fixed]:
        """`fix_records` for each of many one-record documents (a batch's one-record units),
        given their findings (`check_many`): the same rounds for each, but every round's
        re-checks go through `check_many` together (mtclean/chunkgate.py)."""
        out: list[Fixed | None] = [None] * len(docs)
        # per unsettled document: [index, document, findings, text, edits, regions]
        live: list[list] = []
        for i, (doc, fs) in enumerate(zip(docs, found)):
            if fs and keep:
                fs = keep(doc, fs)
            if fs:
                live.append([i, doc, fs, doc.text, [], None])
            else:
                out[i] = Fixed(doc.text, [], fs)
        for _ in range(max_rounds):
            changed = []
            for st in live:
                i, doc, fs, text, edits, regions = st
                planned = fixes.plan(fixes.touching(fs, regions, doc, 0), unsafe) if fs else None
                new = fixes.apply(text, planned) if planned else text
                if new == text:  # nothing left to fix (or an edit that changes nothing)
                    out[i] = Fixed(text, edits, fs)
                    continue
                edits.extend(planned)
                st[3], st[5] = new, fixes.carry(planned, regions or [], text, new)
                changed.append(st)
            live = changed
            if not live:
                break
            again = [Document(st[3], st[1].path, st[1].context) for st in live]
            for st, doc, fs in zip(live, again, self.check_many(again)):
                st[1], st[2] = doc, keep(doc, fs) if fs and keep else fs
        for i, _, fs, text, edits, _ in live:  # out of rounds
            out[i] = Fixed(text, edits, fs)
        return out


@dataclass
class Fixed:
    """One text after the fix loop: the new text, the edits applied (round by round, in
    the offsets of the text they were applied to) and the findings left."""

    text: str
    edits: list[fixes.Edit]
    remaining: list[Finding]


def _join(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    if len(texts) == 1:
        return texts[0], [(0, len(texts[0]))]
    spans, pos = [], 0
    for t in texts:
        spans.append((pos, pos + len(t)))
        pos += len(t) + len(SEPARATOR)
    return SEPARATOR.join(texts), spans


def _owner(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the record holding `offset` (a separator belongs to the record before it)."""
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
