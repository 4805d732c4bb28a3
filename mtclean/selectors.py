"""Rule selectors: the one matcher behind --select/--ignore, config, per-file ignores and
suppression comments, and the check that every selector names something.

A selector is `ALL` (any case), a rule id (`CJK001`), an id prefix in capitals (`CJK`), a rule name
(`fullwidth-punctuation`), a category (`spacing`), or a grammar backend's id or prefix
(`LT/EN_A_VS_AN`, `HARPER`).
"""

from __future__ import annotations

from typing import Iterable

from .errors import MtcleanError
from .finding import CATEGORIES

GRAMMAR_PREFIXES = ("LT", "HARPER")


class SelectorError(MtcleanError):
    """A selector that matches no rule, category or backend."""


def split(values) -> tuple[str, ...]:
    """Selectors as given on the command line: repeated options, each comma-separated."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def matches(token: str, rule_id: str, category: str, name: str | None = None) -> bool:
    """True when `token` selects the rule (or finding) with this id, category and name."""
    return (token == rule_id or token == category or token == name or token.upper() == "ALL"
            or (token.isupper() and rule_id.startswith(token)))


def any_match(tokens: Iterable[str], rule_id: str, category: str, name: str | None = None) -> bool:
    return any(matches(t, rule_id, category, name) for t in tokens)


def _grammar(token: str) -> bool:
    head, sep, tail = token.partition("/")
    return head in GRAMMAR_PREFIXES and (not sep or bool(tail))


def unknown(tokens: Iterable[str], rules) -> list[str]:
    """The tokens that select nothing: no rule, no category, no grammar id."""
    bad = []
    for t in tokens:
        if t.upper() == "ALL" or t in CATEGORIES or _grammar(t):
            continue
        if not any(matches(t, r.id, r.category, r.name) for r in rules):
            bad.append(t)
    return bad


def validate(tokens: Iterable[str], rules, where: str) -> None:
    """Raise SelectorError for the first selector that names nothing, with the nearest ones.

    `where` says where the selector came from (`--select`, a config file and key).
    """
    bad = unknown(tokens, rules)
    if not bad:
        return
    import difflib  # only on the way to an error

    token = bad[0]
    vocabulary = sorted({r.id for r in rules} | {r.name for r in rules} | set(CATEGORIES)
                        | {"".join(c for c in r.id if c.isalpha()) for r in rules})
    near = difflib.get_close_matches(token, vocabulary, n=3, cutoff=0.6)
    if not near:  # try the capitals alone: `cjk01` is most likely CJK0..
        near = difflib.get_close_matches(token.upper(), vocabulary, n=3, cutoff=0.6)
    hint = (f"did you mean {' or '.join(near)}?" if near
            else "run `mtclean rules` for the rule ids, names and categories")
    raise SelectorError(f"{where}: unknown rule selector {token!r}; {hint}")
