"""Load and validate rule files (YAML, format version 1) into `Rule` objects.

Every problem is reported as `RuleFileError("FILE:LINE: rule ID: what is wrong")` so a
user can fix a rule file without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from . import rulecache, shape
from .errors import RuleFileError
from .gate import Gate
from .finding import CATEGORIES, SAFETIES, SEVERITIES
from .yamlio import BUILTIN_RULES_DIR, load_with_lines
from .textio import read_regular_bytes

FORMAT_VERSION = 1
MAX_RULE_FILE_SIZE = 64 << 20  # the gazetteer is the largest bundled file
KINDS = ("pattern", "phrases", "check")
_ID_RE = regex.compile(r"^[A-Z]{2,6}[0-9]{3}$")
_RULE_KEYS = {
    "id", "name", "category", "severity", "message", "rationale", "kind", "pattern",
    "group", "flags", "phrases", "check", "options", "fix", "examples", "enabled", "requires",
    "shape",
}


@dataclass
class Example:
    text: str
    fixed: str | None = None


@dataclass
class Phrase:
    match: str
    replacement: str | None
    safety: str
    note: str = ""


@dataclass
class Rule:
    """One rule: what to look for, how to report it and how to fix it."""

    id: str
    name: str
    category: str
    severity: str
    message: str
    rationale: str
    kind: str
    source_file: str
    line: int = 0
    pattern: regex.Pattern | None = None
    group: int | str = 0
    phrases: list[Phrase] = field(default_factory=list)
    ignorecase: bool = False
    check: str | None = None
    options: dict = field(default_factory=dict)
    replacement: str | None = None
    safety: str = "display"
    flag_examples: list[Example] = field(default_factory=list)
    pass_examples: list[str] = field(default_factory=list)
    # ("flag" | "pass", index) -> the example's source segment (source-aware rules)
    example_sources: dict[tuple[str, int], str] = field(default_factory=dict)
    enabled: bool = True
    requires: tuple[str, ...] = ()  # the rule can fire only on text holding one of these
    shape: tuple[bytes, ...] = ()  # on ASCII text, only where the shape holds one (shape.py)
    # The engine's compiled runner for this rule (engine._runner), built once on first use.
    prepared: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def gate(self) -> Gate:
        """The rule file's precondition (`requires`, `shape`); a check adds its own."""
        return Gate(requires=self.requires, shape=self.shape)


def _strip_lines(value):
    """Drop the loader's `__line__` bookkeeping from plain data (options, phrase lists)."""
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _fail(path: str, line: int, rule_id: str | None, what: str) -> RuleFileError:
    who = f"rule {rule_id}: " if rule_id else ""
    return RuleFileError(f"{path}:{line}: {who}{what}")


def _example_source(item: dict, sources: dict, key: tuple[str, int], path, line, rid) -> None:
    """An example's optional `source:` (the Chinese source segment, for source-aware rules)."""
    if "source" in item:
        if not isinstance(item["source"], str):
            raise _fail(path, item.get("__line__", line), rid, "example 'source' must be a string")
        sources[key] = item["source"]


def _examples(raw, path, line, rid) -> tuple[list[Example], list[str], dict]:
    if raw is None:
        return [], [], {}
    if not isinstance(raw, dict):
        raise _fail(path, line, rid, "'examples' must be a mapping with 'flag' and 'pass' lists")
    flags, passes, sources = [], [], {}
    for item in raw.get("flag") or []:
        if isinstance(item, str):
            flags.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            fixed = item.get("fixed")
            if fixed is not None and not isinstance(fixed, str):
                raise _fail(path, item.get("__line__", line), rid, "example 'fixed' must be a string")
            _example_source(item, sources, ("flag", len(flags)), path, line, rid)
            flags.append(Example(item["text"], fixed))
        else:
            raise _fail(path, line, rid, "each 'flag' example needs a 'text' string")
    for item in raw.get("pass") or []:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            _example_source(item, sources, ("pass", len(passes)), path, line, rid)
            passes.append(item["text"])
        elif isinstance(item, str):
            passes.append(item)
        else:
            raise _fail(path, line, rid, "each 'pass' example must be a string or have a 'text' string")
    return flags, passes, sources


def _phrases(raw, path, line, rid, default_safety) -> list[Phrase]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, line, rid, "'phrases' must be a non-empty list")
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(Phrase(item, None, "display"))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("match"), str) or not item["match"]:
            raise _fail(path, line, rid, "each phrase needs a non-empty 'match' string")
        safety = item.get("safety", default_safety)
        if safety not in SAFETIES:
            raise _fail(path, item.get("__line__", line), rid,
                        f"phrase safety {safety!r} is not one of {', '.join(SAFETIES)}")
        rep = item.get("replacement")
        if rep is not None and not isinstance(rep, str):
            raise _fail(path, item.get("__line__", line), rid, "phrase 'replacement' must be a string")
        out.append(Phrase(item["match"], rep, safety, str(item.get("note", ""))))
    return out


def _requires(raw, path, line, rid) -> tuple[str, ...]:
    """`requires`: substrings of which every text the rule can flag holds at least one.
    A plain substring test is far cheaper than a regex scan, so clean text skips the rule."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) and x for x in raw):
        raise _fail(path, line, rid, "'requires' must be a list of non-empty strings")
    return tuple(raw)


def parse_rule(raw: dict, path: str) -> Rule:
    """Validate one rule mapping and build a `Rule`."""
    line = raw.get("__line__", 0)
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        raise _fail(path, line, None,
                    f"rule id {rid!r} must be 2-6 capital letters and 3 digits (e.g. CJK001)")
    unknown = set(raw) - _RULE_KEYS - {"__line__"}
    if unknown:
        raise _fail(path, line, rid, f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("name", "category", "message", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(path, line, rid, f"missing or empty '{key}'")
    if raw["category"] not in CATEGORIES:
        raise _fail(path, line, rid, f"unknown category {raw['category']!r}; use one of: "
                    + ", ".join(CATEGORIES))
    severity = raw.get("severity", "warning")
    if severity not in SEVERITIES:
        raise _fail(path, line, rid, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    kind = raw["kind"]
    if kind not in KINDS:
        raise _fail(path, line, rid, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    fix = raw.get("fix") or {}
    if not isinstance(fix, dict):
        raise _fail(path, line, rid, "'fix' must be a mapping with 'safety' and 'replacement'")
    safety = fix.get("safety", "display")
    if safety not in SAFETIES:
        raise _fail(path, line, rid, f"fix safety {safety!r} is not one of {', '.join(SAFETIES)}")
    replacement = fix.get("replacement")
    if replacement is not None and not isinstance(replacement, str):
        raise _fail(path, line, rid, "fix 'replacement' must be a string")
    flags, passes, sources = _examples(raw.get("examples"), path, line, rid)
    rule = Rule(
        id=rid, name=raw["name"], category=raw["category"], severity=severity,
        message=raw["message"].strip(), rationale=str(raw.get("rationale", "")).strip(),
        kind=kind, source_file=path, line=line, replacement=replacement, safety=safety,
        flag_examples=flags, pass_examples=passes, example_sources=sources,
        options=_strip_lines(raw.get("options") or {}), enabled=bool(raw.get("enabled", True)),
    )
    if not isinstance(rule.options, dict):
        raise _fail(path, line, rid, "'options' must be a mapping")
    rule.requires = _requires(raw.get("requires"), path, line, rid)
    if raw.get("shape") is not None:
        try:
            rule.shape = shape.parse_needles(raw["shape"])
        except ValueError as exc:
            raise _fail(path, line, rid, f"'shape' {exc}") from None
    if kind == "pattern":
        pat = raw.get("pattern")
        if not isinstance(pat, str) or not pat:
            raise _fail(path, line, rid, "kind 'pattern' needs a non-empty 'pattern' string")
        flag_names = raw.get("flags") or []
        if isinstance(flag_names, str):
            flag_names = [flag_names]
        flag_bits = regex.V1
        for name in flag_names:
            bit = {"ignorecase": regex.IGNORECASE, "multiline": regex.MULTILINE,
                   "dotall": regex.DOTALL, "verbose": regex.VERBOSE}.get(str(name).lower())
            if bit is None:
                raise _fail(path, line, rid, f"unknown flag {name!r} (ignorecase, multiline, dotall, verbose)")
            flag_bits |= bit
        problem = repeat_problem(pat)
        if problem:
            raise _fail(path, line, rid, problem)
        try:
            rule.pattern = regex.compile(pat, flag_bits)
        except regex.error as exc:
            raise _fail(path, line, rid, f"pattern does not compile: {exc}") from None
        except (MemoryError, OverflowError, RecursionError) as exc:
            raise _fail(path, line, rid, f"pattern is too large to compile ({type(exc).__name__})") from None
        group = raw.get("group", 0)
        if isinstance(group, int) and not 0 <= group <= rule.pattern.groups or (
                isinstance(group, str) and group not in rule.pattern.groupindex):
            raise _fail(path, line, rid, f"pattern has no group {group!r}")
        rule.group = group
        if replacement is not None:
            for ref in regex.finditer(r"\\(?:g<([^>]*)>|(\d+))", replacement):
                name = ref.group(1) if ref.group(1) is not None else ref.group(2)
                ok = (int(name) <= rule.pattern.groups if name.isdigit()
                      else name in rule.pattern.groupindex)
                if not ok:
                    raise _fail(path, line, rid, f"fix replacement refers to missing group {name!r}")
    elif kind == "phrases":
        rule.phrases = _phrases(raw.get("phrases"), path, line, rid, safety)
        rule.ignorecase = "ignorecase" in (raw.get("flags") or [])
    else:
        name = raw.get("check")
        if not isinstance(name, str):
            raise _fail(path, line, rid, "kind 'check' needs a 'check' name")
        from . import checks
        if not checks.known(name):
            raise _fail(path, line, rid, f"unknown built-in check {name!r}; known: "
                        + ", ".join(checks.registered()))
        rule.check = name
    return rule


MAX_REPEAT = 10_000       # largest {n,m} count in a user pattern
MAX_NESTED_REPEAT = 100_000  # largest product of nested counts, e.g. (?:x{500}){500}
MAX_PATTERN_LENGTH = 100_000
_COUNTED = regex.compile(r"\{(\d*)(?:,(\d*))?\}")


def repeat_problem(pat: str) -> str | None:
    """Why a pattern's counted repeats are absurd (memory blows up before any match), or None.

    Walks the pattern once, skipping escapes and character classes, and multiplies the
    counts of nested groups: `x{100000000}` or `(?:(?:a{1000}){1000})` are refused at load.
    """
    if len(pat) > MAX_PATTERN_LENGTH:
        return f"pattern is {len(pat):,} characters long (at most {MAX_PATTERN_LENGTH:,})"
    stack = [1]          # the largest repeat product inside each open group
    last = 1             # the weight of the atom just before the current position
    i, n = 0, len(pat)
    while i < n:
        c = pat[i]
        if c == "\\":
            i += 2
            last = 1
            continue
        if c == "[":  # skip a character class (nested classes and escapes included)
            depth, i = 1, i + 1
            if i < n and pat[i] == "^":
                i += 1
            if i < n and pat[i] == "]":
                i += 1
            while i < n and depth:
                if pat[i] == "\\":
                    i += 1
                elif pat[i] == "[":
                    depth += 1
                elif pat[i] == "]":
                    depth -= 1
                i += 1
            last = 1
            continue
        if c == "(":
            stack.append(1)
            last = 1
        elif c == ")":
            inner = stack.pop() if len(stack) > 1 else 1
            last = inner
            stack[-1] = max(stack[-1], inner)
        elif c == "{":
            m = _COUNTED.match(pat, i)
            if m and (m.group(1) or m.group(2)):
                counts = [int(g) for g in m.groups() if g]
                count = max(counts)
                if count > MAX_REPEAT:
                    return (f"pattern repeats {count:,} times ({m.group()}); "
                            f"counted repeats are limited to {MAX_REPEAT:,}")
                product = last * max(count, 1)
                if product > MAX_NESTED_REPEAT:
                    return (f"pattern's nested counted repeats multiply to {product:,}; "
                            f"at most {MAX_NESTED_REPEAT:,}")
                stack[-1] = max(stack[-1], product)
                last = product
                i = m.end()
                continue
            last = 1
        else:
            last = 1
        i += 1
    return None


def load_file(path: str | Path) -> list[Rule]:
    """Load one rule file; raise RuleFileError on any problem."""
    p = str(path)
    try:
        raw = read_regular_bytes(p, MAX_RULE_FILE_SIZE)
        raw_text = raw.decode("utf-8")
    except ValueError as exc:  # not a regular file, too large, unreadable, not UTF-8
        raise RuleFileError(f"{p}: cannot read rule file ({exc})") from None
    return rulecache.cached(p, raw, lambda: _parse_file(p, raw_text))


def _parse_file(p: str, raw_text: str) -> list[Rule]:
    """The rules of one rule file's text (`load_file` without its cache)."""
    try:
        data = load_with_lines(raw_text)
    except RecursionError:
        raise RuleFileError(f"{p}: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark else p
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleFileError(f"{where}: not valid YAML ({problem})") from None
    if not isinstance(data, dict) or "rules" not in data:
        raise RuleFileError(f"{p}:1: a rule file needs 'version: {FORMAT_VERSION}' and a 'rules' list")
    if data.get("version") != FORMAT_VERSION:
        raise RuleFileError(f"{p}:1: unsupported rule format version {data.get('version')!r}; "
                            f"this mtclean reads version {FORMAT_VERSION}")
    if not isinstance(data["rules"], list):
        raise RuleFileError(f"{p}:1: 'rules' must be a list")
    out = []
    for raw in data["rules"]:
        if not isinstance(raw, dict):
            raise RuleFileError(f"{p}: each entry of 'rules' must be a mapping")
        out.append(parse_rule(raw, p))
    return out


# Folders of data inside a rules folder (name lexicons, gazetteers), not rule files.
_DATA_FOLDERS = frozenset({"names", "entities", "terms"})


def rule_files(paths: list[str | Path]) -> list[Path]:
    """Expand directories into their `*.yaml`/`*.yml` files (sorted, recursive)."""
    files: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml")
                                and _DATA_FOLDERS.isdisjoint(q.relative_to(p).parts[:-1])))
        elif p.exists():
            files.append(p)
        else:
            raise RuleFileError(f"{p}: rule file or directory not found")
    return files


def load_rules(extra: list[str | Path] = (), builtin: bool = True) -> list[Rule]:
    """Load the built-in rules plus any extra files or directories; ids must be unique."""
    paths: list[str | Path] = ([BUILTIN_RULES_DIR] if builtin else []) + list(extra)
    return load_files(rule_files(paths))


def load_files(files: list[Path]) -> list[Rule]:
    """Load rule files in order; a rule id may be defined only once."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for f in files:
        for rule in load_file(f):
            if rule.id in seen:
                raise RuleFileError(f"{rule.source_file}:{rule.line}: rule {rule.id}: "
                                    f"duplicate id (also defined in {seen[rule.id]})")
            seen[rule.id] = rule.source_file
            rules.append(rule)
    return rules
