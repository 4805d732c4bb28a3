"""Run rules over a document: read → segment → detect → (plan fixes → apply) lives here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import regex

from . import checks, deadline, fixes, shape
from .blocks import line_blocks, overlapping_blocks
from .document import Document
from .errors import MtcleanError, RuleFileError
from .finding import Finding, Fix, Hit
from .rules import Rule
from .screen import build_screens

Detector = Callable[[Document], list[Finding]]
_WORD = regex.compile(r"\w")


def regex_timeout(text: str) -> float:
    """Seconds a pattern may spend on a text: generous, and linear in the text's size."""
    return 2.0 + 4.0 * len(text) / 1_000_000


def _matches_selector(rule: Rule, token: str) -> bool:
    t = token.strip()
    return bool(t) and (t.upper() == "ALL" or rule.id == t or rule.name == t
                        or rule.category == t or (t.isupper() and rule.id.startswith(t)))


def select_rules(rules: list[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Keep rules matched by `select` (all enabled rules when empty) and not by `ignore`.

    A selector is a rule id, an id prefix (`CJK`), a rule name, a category or `ALL`.
    """
    select, ignore = [s for s in select if s], [s for s in ignore if s]
    out = []
    for r in rules:
        chosen = any(_matches_selector(r, s) for s in select) if select else r.enabled
        if chosen and not any(_matches_selector(r, s) for s in ignore):
            out.append(r)
    return out


@dataclass
class _PhraseIndex:
    """An Aho–Corasick automaton over a phrase rule's entries (built once per rule)."""

    automaton: object
    lower: bool


_PHRASE_CACHE: dict[int, _PhraseIndex] = {}


def _phrase_index(rule: Rule) -> _PhraseIndex:
    idx = _PHRASE_CACHE.get(id(rule))
    if idx is None:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for i, ph in enumerate(rule.phrases):
            key = ph.match.lower() if rule.ignorecase else ph.match
            auto.add_word(key, (i, len(key)))
        auto.make_automaton()
        idx = _PhraseIndex(auto, rule.ignorecase)
        _PHRASE_CACHE[id(rule)] = idx
    return idx


def _phrase_hits(doc: Document, rule: Rule) -> Iterable[Hit]:
    text = doc.text
    idx = _phrase_index(rule)
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
        for m in rule.pattern.finditer(doc.text, timeout=limit):
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
    run = _RUNNERS.get(id(rule))
    if run is None:
        run = _RUNNERS[id(rule)] = _runner(rule)
    return run(doc)


_RUNNERS: dict[int, Callable[[Document], Iterable[Hit]]] = {}


def _runner(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """`hits_for` specialised to one rule, gated by its `shape` and `requires`."""
    run = _required_runner(rule)
    if not rule.shape:
        return run
    has_shape = shape.gate(rule.shape)
    return lambda doc: run(doc) if has_shape(doc.text) else ()


def _required_runner(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """The rule's hits, gated by its `requires` substrings."""
    run = _ungated_runner(rule)
    if not rule.requires:
        return run
    needles = rule.requires
    if len(needles) == 1:
        (needle,) = needles
        return lambda doc: run(doc) if needle in doc.text else ()
    if len(needles) <= 3:
        return lambda doc: run(doc) if any(map(doc.text.__contains__, needles)) else ()
    # Many needles: one Aho–Corasick pass beats a substring search per needle.
    import ahocorasick

    auto = ahocorasick.Automaton()
    for needle in needles:
        auto.add_word(needle, None)
    auto.make_automaton()
    scan = auto.iter
    overlap = max(map(len, needles)) - 1

    def found(text: str) -> bool:  # a block at a time: the automaton copies what it scans
        return any(next(scan(piece), None) is not None for piece in overlapping_blocks(text, overlap))

    return lambda doc: run(doc) if found(doc.text) else ()


def _ungated_runner(rule: Rule) -> Callable[[Document], Iterable[Hit]]:
    """The rule's hits, with a check's function and trigger looked up once."""
    if rule.kind == "pattern":
        return lambda doc: _pattern_hits(doc, rule)
    if rule.kind == "phrases":
        return lambda doc: _phrase_hits(doc, rule)
    fn, trig = checks.get(rule.check), checks.trigger(rule.check)
    if trig is None:
        return lambda doc: fn(doc, rule) or ()
    found = trig.found
    if checks.non_ascii(rule.check):
        return lambda doc: () if doc.text.isascii() or not found(doc.text) else (fn(doc, rule) or ())
    return lambda doc: (fn(doc, rule) or ()) if found(doc.text) else ()


def to_finding(doc: Document, rule: Rule, hit: Hit) -> Finding:
    """Attach a rule's metadata, the flagged text and line/column to a hit."""
    text = doc.text[hit.start:hit.end]
    rep = hit.replacement
    safety = hit.safety or rule.safety
    fix = Fix(rep, safety) if rep is not None else None
    msg = hit.message or rule.message
    msg = msg.replace("{text}", text).replace("{replacement}", rep if rep is not None else "")
    f = Finding(rule=rule.id, category=rule.category, severity=hit.severity or rule.severity,
                message=msg, start=hit.start, end=hit.end, text=text, fix=fix, path=doc.path)
    return locate(doc, f)


def locate(doc: Document, f: Finding) -> Finding:
    """Fill in 1-based line/column for a finding's start and end."""
    f.line, f.column = doc.position(f.start)
    f.end_line, f.end_column = doc.position(f.end)
    return f


def _internal(who: str, doc: Document, exc: Exception) -> MtcleanError:
    """One line for a crash inside a check (the chained exception keeps the traceback)."""
    return MtcleanError(f"{doc.path}: {who} failed ({type(exc).__name__}: {exc}); this is a "
                        "bug in mtclean, please report it with the input")


def _checked(doc: Document, rule: Rule, hit: Hit) -> Finding:
    """A hit as a finding, after making sure a check kept its span inside the text."""
    n = len(doc.text)
    if not 0 <= hit.start <= hit.end <= n:
        raise ValueError(f"hit span {hit.start}-{hit.end} outside the text (0-{n})")
    return to_finding(doc, rule, hit)


@dataclass
class Engine:
    """A selected rule set plus optional extra detectors (grammar backends)."""

    rules: list[Rule]
    detectors: list[Detector] = field(default_factory=list)

    def __post_init__(self) -> None:
        screens, rest = build_screens(self.rules)
        self._runners = [(rule, _runner(rule)) for rule in rest]
        # Checks that need a non-ASCII character, dropped at once for ASCII text (most copy).
        self._ascii_runners = [(rule, run) for rule, run in self._runners
                               if not (rule.kind == "check" and checks.non_ascii(rule.check))]
        self._screens = [(s, [(rule, _runner(rule)) for rule in s.rules]) for s in screens]

    def _active(self, doc: Document) -> list[tuple[Rule, Callable]]:
        """The runners to try on `doc`: all unscreened ones, then screened ones whose
        screen matches."""
        runners = self._ascii_runners if doc.text.isascii() else self._runners
        if not self._screens:
            return runners
        active = list(runners)
        timeout = regex_timeout(doc.text) / 4  # past this, members run (and are timed) alone
        for screen, members in self._screens:
            if screen.may_match(doc.text, timeout):
                active.extend(members)
        return active

    def check(self, doc: Document) -> list[Finding]:
        findings: list[Finding] = []
        rule = None
        memo: dict = {}  # equal messages, texts, fixes shared within this check
        try:  # one try around the loop: per-rule overhead matters on millions of segments
            with deadline.watching(regex_timeout(doc.text)):  # wall-clock limit for patterns
                for rule, run in self._active(doc):
                    for hit in run(doc):
                        findings.append(_checked(doc, rule, hit).share(memo))
        except MtcleanError:
            raise
        except Exception as exc:  # a bug in a check must not end in a traceback
            raise _internal(f"rule {rule.id if rule else '?'}", doc, exc) from exc
        for detect in self.detectors:
            try:
                findings.extend(locate(doc, f) for f in detect(doc, findings))
            except MtcleanError:
                raise
            except Exception as exc:
                raise _internal(f"detector {getattr(detect, '__name__', detect)!s}", doc, exc) from exc
        findings.sort(key=Finding.sort_key)
        return findings

    def fix(self, doc: Document, unsafe: bool = False, max_rounds: int = 10,
            keep: Callable[[Document, list[Finding]], list[Finding]] | None = None
            ) -> tuple[str, list[fixes.Edit], list[Finding]]:
        """Fix until nothing fixable is left (like ruff); return text, edits, remaining findings.

        `keep` filters findings (suppressions) before planning. Running it again on its
        output changes nothing, since it stops only when no allowed fix remains.
        """
        text = doc.text
        applied: list[fixes.Edit] = []
        current = doc
        for _ in range(max_rounds):
            found = self.check(current)
            if not found:  # most segments of a corpus: nothing to filter or plan
                return text, applied, found
            if keep:
                found = keep(current, found)
            edits = fixes.plan(found, unsafe)
            if not edits:
                return text, applied, found
            new_text = fixes.apply(text, edits)
            applied.extend(edits)
            if new_text == text:
                return text, applied, found
            text = new_text
            current = Document(text, doc.path, doc.meta)
        found = self.check(current)
        return text, applied, keep(current, found) if keep else found
