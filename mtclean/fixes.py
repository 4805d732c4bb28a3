"""Fix plans: choose non-overlapping edits from findings and apply them as a pure function.

Conflict order (deterministic): candidates are sorted by start offset, then by the wider
span first, then safe before unsafe, then rule id; each is accepted unless it overlaps an
edit already accepted. Two zero-width insertions at one point, or an insertion strictly
inside another edit, count as overlapping; an insertion at the edge of an edit does not.
Identical edits proposed by several rules collapse into one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .finding import Finding

_SAFETY_RANK = {"safe": 0, "unsafe": 1, "display": 2}


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `replacement`; `rule` and `safety` explain why."""

    start: int
    end: int
    replacement: str
    rule: str = ""
    safety: str = "safe"


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def allowed_safeties(unsafe: bool) -> tuple[str, ...]:
    return ("safe", "unsafe") if unsafe else ("safe",)


def plan(findings: list[Finding], unsafe: bool = False) -> list[Edit]:
    """Return the sorted, non-overlapping edits that `fix` would apply."""
    ok = allowed_safeties(unsafe)
    cands = sorted(
        {Edit(f.start, f.end, f.fix.replacement, f.rule, f.fix.safety)
         for f in findings if f.fix is not None and f.fix.safety in ok
         and f.fix.replacement != f.text},  # an identity edit changes nothing: never plan it
        key=lambda e: (e.start, -(e.end - e.start), _SAFETY_RANK[e.safety], e.rule, e.replacement),
    )
    accepted: list[Edit] = []
    for e in cands:
        clash = False
        # Accepted non-empty edits are sorted and disjoint, so their ends never decrease:
        # walk back only while one can still reach e (insertions may sit between them).
        for a in reversed(accepted):
            if a.end < e.start and a.start < a.end:
                break
            if (a.start, a.end, a.replacement) == (e.start, e.end, e.replacement) or _overlaps(e, a):
                clash = True
                break
        if not clash:
            accepted.append(e)
    # Application order: by position, an insertion before the edit that starts there.
    return sorted(accepted, key=lambda e: (e.start, e.end))


def apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping, start-sorted edits; text outside them is kept exactly."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edit at {e.start} (rule {e.rule})")
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def carry(edits: list[Edit], regions: list[tuple[int, int]] = (), old: str | None = None,
          new: str | None = None) -> list[tuple[int, int]]:
    """The spans that `edits` (and earlier rounds, `regions`) changed, in the coordinates of
    the text after `edits`: what a later round of `fix` may still touch. Given the text
    before (`old`) and after (`new`), an edit that adds or removes a line break, or that
    rewrites or empties a whole line, changed the lines around it: a line joined to the
    next is no longer a headline, a line after a new blank line opens a paragraph, so
    the verdicts that weighed their layout may change anywhere on them."""
    edits = sorted(edits, key=lambda e: (e.start, e.end))

    def moved(x: int) -> int:
        shift = 0
        for e in edits:
            if e.end <= x and not (e.start == e.end == x):
                shift += len(e.replacement) - (e.end - e.start)
            elif e.start < x:
                return e.start + shift + len(e.replacement)  # inside an edit: its end
            else:
                break
        return x + shift

    out = [(moved(a), moved(b)) for a, b in regions]
    shift = 0
    for e in edits:
        a, b = e.start + shift, e.start + shift + len(e.replacement)
        if new is not None and old is not None and (
                "\n" in e.replacement or "\n" in old[e.start:e.end]
                or ((a == 0 or new[a - 1] == "\n") and (b == len(new) or new[b] == "\n"))):
            while a > 0 and new[a - 1] == "\n":  # a break the edit left: the line before it too
                a -= 1
            a = new.rfind("\n", 0, a) + 1
            while b < len(new) and new[b] == "\n":  # ... and the line after it
                b += 1
            b = new.find("\n", b)
            b = len(new) if b == -1 else b
        out.append((a, b))
        shift += len(e.replacement) - (e.end - e.start)
    return sorted(out)


# Categories whose verdicts weigh evidence from the whole document (a word capitalized
# twice is a name; the commonest spelling of a name is the right one).
DOCUMENT_EVIDENCE = frozenset({"capitalization", "name-consistency"})


def touching(findings: list[Finding], regions: list[tuple[int, int]] | None, doc,
             offset: int = 0) -> list[Finding]:
    """The findings a later round of `fix` may act on.

    Round one acts on what `check` reports. A later round finishes what earlier edits
    started: a mechanical finding anywhere (an edit dropped for overlapping another, a
    capital after an inserted sentence break, a quotation a converted mark opened), but a
    verdict weighed on the whole document (`DOCUMENT_EVIDENCE`) only in a sentence an
    edit changed: elsewhere it would come from evidence other edits removed (a repeated
    sentence deleted, a neighbour turned into a title), which `check` never reported, so
    `fix` must not apply it either. `regions=None` means round one: everything. `doc` is
    the document the findings are about; `offset` is where the regions' text starts in it.
    """
    if regions is None:
        return findings
    spans = []
    for a, b in regions:
        lo = doc.sentence_at(a + offset) or doc.paragraph_at(a + offset) or (a + offset, a + offset)
        hi = doc.sentence_at(b + offset) or doc.paragraph_at(b + offset) or (b + offset, b + offset)
        spans.append((min(lo[0], a + offset), max(hi[1], b + offset)))
    return [f for f in findings if f.category not in DOCUMENT_EVIDENCE
            or any(a <= f.end and f.start <= b for a, b in spans)]
