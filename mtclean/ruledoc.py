"""Rule documentation in ruff's sections: what it does, why, example, fix safety, options,
and where the rule is implemented (`mtclean rules show ID`)."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import regex

from .document import Document
from .errors import MtcleanError
from .rules import Rule

_ORDER = ("safe", "unsafe", "display")
_SAFETY_TEXT = {
    "safe": "Safe: applied by `mtclean fix`.",
    "unsafe": "Unsafe: applied only with --unsafe-fixes; review the change.",
    "display": "Display only: shown as a suggestion, never applied.",
    "none": "No automatic fix: an editor decides.",
}


def _example_findings(r: Rule) -> list:
    """The rule's findings on its own flag examples (what the rule really does)."""
    from .engine import Engine

    engine = Engine([r])
    try:
        return [(ex, f) for ex in r.flag_examples for f in engine.check(Document(ex.text))
                if f.rule == r.id]
    except MtcleanError:  # a check that cannot run here (a broken install): docs without it
        return []


def safeties(r: Rule) -> list[str]:
    """The fix safeties the rule can give, in the order safe, unsafe, display.

    A pattern rule has one; a phrase list one per entry; a check sets it per finding, so
    its own flag examples are asked (SB003 is safe after a full stop, unsafe elsewhere).
    """
    if r.kind == "pattern":
        found = {r.safety} if r.replacement is not None else set()
    elif r.kind == "phrases":
        found = {ph.safety for ph in r.phrases if ph.replacement is not None}
    else:  # what the examples show, plus the rule file's default for hits without their own
        found = {f.fix.safety for _, f in _example_findings(r) if f.fix is not None}
        if r.safety != "display":
            found.add(r.safety)
    return [s for s in _ORDER if s in found]


def fix_safety(r: Rule) -> str:
    """One word for listings: `safe`, `unsafe`, `display`, `safe/unsafe`... or `none`."""
    return "/".join(safeties(r)) or "none"


def summary(r: Rule) -> str:
    """The message as a one-line summary, placeholders shown as `…`."""
    return regex.sub(r"\{(?:text|replacement)\}", "…", r.message)


def _visible(s: str) -> str:
    return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _what_it_does(r: Rule, examples) -> list[str]:
    """A check's own one-line docstring, then the message as a finding shows it (its
    `{text}`/`{replacement}` placeholders filled from the first example)."""
    out = []
    if r.kind == "check":
        from . import checks

        doc = inspect.getdoc(checks.get(r.check)) or ""
        if doc:
            out.append(doc.split("\n\n")[0].replace("\n", " "))
    if r.kind == "pattern":
        out.append(f"Matches the pattern `{r.pattern.pattern}`"
                   + (f" (group {r.group!r} is flagged)" if r.group else "") + ".")
    elif r.kind == "phrases":
        shown = ", ".join(repr(ph.match) for ph in r.phrases[:3])
        out.append(f"Matches {len(r.phrases)} phrase(s) on word boundaries: {shown}"
                   + (", …" if len(r.phrases) > 3 else "") + ".")
    msg = r.message
    if "{" in msg:
        filled = next((f.message for _, f in examples), None)
        msg = filled or summary(r)
        out.append(f"Reports, for example: {msg}")
    else:
        out.append(f"Reports: {msg}")
    return out


def _fix_description(r: Rule, examples) -> str:
    for _, f in examples:
        if f.fix is not None:
            rep = f.fix.replacement
            return (f"deletes “{_visible(f.text)}”" if rep == ""
                    else f"replaces “{_visible(f.text)}” with “{_visible(rep)}”")
    return ""


def _short(path: str) -> str:
    """A path inside the checkout (or the installed package) relative to it."""
    root = Path(__file__).resolve().parent.parent
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def implementation(r: Rule) -> str:
    """Where the rule is implemented: the rule file, and for a check its function."""
    where = f"{_short(r.source_file)}:{r.line}"
    if r.kind != "check":
        return f"{where} (a {r.kind} rule: the rule file is the whole implementation)"
    from . import checks

    fn = checks.get(r.check)
    source = inspect.getsourcefile(fn) or fn.__module__
    return f"{where}, check `{r.check}`: {fn.__name__}() in {_short(source)}"


_OPTION_READ = regex.compile(r"""\b(?:options|opts)\.get\(\s*["'](\w+)["']\s*,\s*([^()]*(?:\([^()]*\))?[^()]*)\)""")
_CALL = regex.compile(r"\b(_?\w+)\(")


def _code_options(fn) -> dict[str, str]:
    """Options a check reads (`rule.options.get("name", default)`), with their defaults,
    from the check function's code and the module functions it calls."""
    import sys

    module = sys.modules[fn.__module__]
    try:
        sources = [inspect.getsource(fn)]
    except (OSError, TypeError):
        return {}
    for name in dict.fromkeys(_CALL.findall(sources[0])):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper is not fn and helper.__module__ == module.__name__:
            sources.append(inspect.getsource(helper))
    found: dict[str, str] = {}
    for src in sources:
        for m in _OPTION_READ.finditer(src):
            found.setdefault(m.group(1), m.group(2).strip())
    return found


def _option_comments(r: Rule) -> dict[str, str]:
    """`key: value  # comment` lines under the rule in its file: what each option means."""
    try:
        lines = open(r.source_file, encoding="utf-8").read().splitlines()[r.line:]
    except OSError:
        return {}
    out = {}
    for line in lines:
        if regex.match(r"\s*- id:", line):
            break
        m = regex.match(r"\s*(\w+):[^#]*#\s*(.+)", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def check_options(r: Rule) -> dict[str, tuple[str, str, str]]:
    """Each option: (default in the code, value the rule file sets or "", meaning)."""
    code: dict[str, str] = {}
    if r.kind == "check":
        from . import checks

        code = _code_options(checks.get(r.check))
    notes = _option_comments(r)
    names = list(dict.fromkeys([*code, *r.options]))
    return {k: (code.get(k, ""), repr(r.options[k]) if k in r.options else "", notes.get(k, ""))
            for k in names}


def render_rule(r: Rule) -> str:
    examples = _example_findings(r)
    lines = [f"{r.id} ({r.name})", "",
             f"Category: {r.category}    Severity: {r.severity}    Fix: {fix_safety(r)}",
             f"Implemented in: {implementation(r)}", "",
             "## What it does", *_what_it_does(r, examples), ""]
    if r.rationale:
        lines += ["## Why it matters", textwrap.fill(r.rationale, 88), ""]
    fixed = next((ex for ex, _ in examples if ex.fixed is not None), None)
    first = fixed or (r.flag_examples[0] if r.flag_examples else None)
    if first is not None:
        lines += ["## Example"]
        i = r.flag_examples.index(first)
        if ("flag", i) in r.example_sources:
            lines += ["Source:", f"    {r.example_sources['flag', i]!r}"]
        lines += ["Before:", f"    {first.text!r}"]
        if first.fixed is not None:
            lines += ["After `mtclean fix" + (" --unsafe-fixes`:" if "safe" not in safeties(r) else "`:"),
                      f"    {first.fixed!r}"]
        lines.append("")
    if r.pass_examples:
        lines.append("Not flagged:")
        for i, t in enumerate(r.pass_examples):
            lines.append(f"    {t!r}")
            if ("pass", i) in r.example_sources:
                lines.append(f"      (source: {r.example_sources['pass', i]!r})")
        lines.append("")
    lines.append("## Fix safety")
    kinds = safeties(r) or ["none"]
    lines += [_SAFETY_TEXT[s] for s in kinds]
    what = _fix_description(r, examples)
    if what:
        lines.append(f"The fix {what} (on the example).")
    lines.append("")
    opts = check_options(r)
    lines.append("## Options")
    if opts:
        for k, (default, value, note) in opts.items():
            text = f"  {k}: default {default or '(none)'}"
            if value:
                text += f"; this rule sets {value}"
            lines.append(text + (f"  ({note})" if note else ""))
    else:
        lines.append("  none")
    return "\n".join(lines)


def rule_map() -> list[tuple[str, str, str]]:
    """(rule id, rule file, implementation) for every built-in rule: the map in
    docs/architecture.md, which tests/test_architecture_doc.py holds to this."""
    from . import api, checks

    rows = []
    for r in sorted(api.load_rules(), key=lambda r: r.id):
        if r.kind == "check":
            fn = checks.get(r.check)
            impl = f"`{_short(inspect.getsourcefile(fn))}` `{fn.__name__}()`"
        else:
            impl = f"{r.kind} in the rule file"
        rows.append((r.id, f"`{_short(r.source_file)}`", impl))
    return rows
