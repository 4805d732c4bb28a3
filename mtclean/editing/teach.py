"""Teach mtclean once, where it already looks: ignore a finding always, pin a name's
spelling, or disable a rule for one file.

Every function here returns a `Teaching`: the edits to make to the document under review
(inline comments, in Markdown) and the whole new contents of the other files to write
(the `.mtcleanignore` sidecar, a names lexicon, the configuration that registers it).
Nothing is written until `write_files` is called; it writes each file atomically and
refuses when a file changed on disk since the teaching was made, so nothing is clobbered.
The review page and the language server both use this module.
"""

from __future__ import annotations

import copy
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import regex
import yaml

from .. import config as config_mod
from .. import suppress
from ..lexicon import name_lexicon
from ..errors import MtcleanError
from ..finding import Finding
from ..fixes import Edit
from ..textio import atomic_write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MARKDOWN_SUFFIXES = (".md", ".markdown")
SIDECAR = ".mtcleanignore"
LEXICON_NAME = "mtclean-names.yaml"  # created beside the config when a project has none
NAME_RULES = ("NAME001", "NAME002")

_COMMENT = regex.compile(r"<!--\s*mtclean:\s*(?P<verb>ignore-file|ignore)(?P<ids>[\w\s,.-]*?)\s*-->")


class TeachError(MtcleanError):
    """A teaching that cannot be written (a file changed meanwhile, or is malformed)."""


@dataclass(frozen=True)
class FileChange:
    """Replace `path` (expected to hold `before`; None: expected missing) with `after`."""

    path: Path
    before: bytes | None
    after: bytes


@dataclass(frozen=True)
class Teaching:
    """What to do so a finding stops showing: edits to the document, files to write."""

    title: str
    edits: tuple[Edit, ...] = ()
    files: tuple[FileChange, ...] = ()


def quoted(text: str) -> str:
    """Text for a title: “quoted”, or named when it is only blanks (“ ” shows nothing)."""
    if text and not text.strip():
        if set(text) == {" "}:
            return "a space" if len(text) == 1 else f"{len(text)} spaces"
        return "blank space"
    return f"“{text}”"


def is_markdown(path: str) -> bool:
    return Path(path).suffix.lower() in MARKDOWN_SUFFIXES


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise TeachError(f"{path}: cannot read ({exc.strerror})") from None


def write_files(teaching: Teaching) -> None:
    """Write a teaching's files atomically; refuse (TeachError) if one changed on disk."""
    for change in teaching.files:
        if _read(change.path) != change.before:
            raise TeachError(f"{change.path}: changed on disk since this was proposed; "
                             "reload and try again")
    for change in teaching.files:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(os.path.realpath(change.path), change.after)  # a symlink keeps its link
    forget_cached()


def forget_cached() -> None:
    """Drop cached configs, sidecars and lexicons so the next check sees what was written."""
    config_mod.discover.cache_clear()
    config_mod._explicit.cache_clear()
    suppress.forget_sidecars()
    name_lexicon.forget_loaded()


# --- ignore always ------------------------------------------------------------------

def _line_end(text: str, offset: int) -> int:
    """The offset where the line holding `offset` ends (before its line break)."""
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def _inline(text: str, at: int, line_start: int, verb: str, rule: str) -> Edit:
    """An edit adding `rule` to the `verb` comment on the line ending at `at`, or adding
    such a comment at the end of that line."""
    for m in _COMMENT.finditer(text, line_start, at):
        if m.group("verb") == verb:
            ids = [t for t in regex.split(r"[\s,]+", m.group("ids").strip()) if t]
            if not ids or rule in ids:  # already silenced here
                return Edit(m.start(), m.end(), m.group(0), rule)
            return Edit(m.start(), m.end(), f"<!-- mtclean: {verb} {','.join(ids + [rule])} -->", rule)
    # Before a Markdown hard line break (two trailing spaces or a backslash), not after it.
    body_end = len(text[line_start:at].rstrip(" \t")) + line_start
    if at - body_end >= 2 or (body_end > line_start and text[body_end - 1] == "\\"):
        at = body_end - (1 if at - body_end < 2 else 0)
        return Edit(at, at, f" <!-- mtclean: {verb} {rule} -->", rule)
    sep = "" if at == line_start or text[at - 1] in " \t" else " "
    return Edit(at, at, f"{sep}<!-- mtclean: {verb} {rule} -->", rule)


def _glob(name: str) -> str:
    """A sidecar glob that matches exactly this file name."""
    return regex.sub(r"[*?\[]", lambda m: f"[{m.group()}]", name)


def _sidecar_change(path: str, entry: str) -> FileChange | None:
    """Append `entry` to the sidecar beside `path`; None when it is already there."""
    side = Path(path).resolve().parent / SIDECAR
    before = _read(side)
    old = before.decode("utf-8", "replace") if before else ""
    if entry in (line.strip() for line in old.splitlines()):
        return None
    if old and not old.endswith("\n"):
        old += "\n"
    head = "" if old else "# mtclean suppressions: FILE-GLOB  RULE  [line N | \"flagged text\"]\n"
    return FileChange(side, before, (old + head + entry + "\n").encode("utf-8"))


def ignore_always(text: str, path: str, finding: Finding, markdown: bool | None = None
                  ) -> Teaching | None:
    """Silence this rule on this text for good: an inline comment at the end of the
    finding's line in Markdown, a sidecar entry keyed by rule and flagged text otherwise.

    None for plain text when the flagged text is empty or spans lines (the sidecar keys
    on one line of text, and a line number would not survive edits).
    """
    markdown = is_markdown(path) if markdown is None else markdown
    if markdown:
        line_start = text.rfind("\n", 0, finding.start) + 1
        edit = _inline(text, _line_end(text, finding.start), line_start, "ignore", finding.rule)
        return Teaching(f"Ignore {finding.rule} on this line (inline comment)", edits=(edit,))
    if not finding.text or "\n" in finding.text or "\r" in finding.text or path in ("-", "<stdin>"):
        return None
    entry = f"{shlex.quote(_glob(Path(path).name))}  {finding.rule}  {_quote(finding.text)}"
    change = _sidecar_change(path, entry)
    return Teaching(f"Always ignore {finding.rule} on {quoted(finding.text)} in this file ({SIDECAR})",
                    files=(change,) if change else ())


def _quote(text: str) -> str:
    """Double-quote like the README's examples where the text allows it (shlex reads both)."""
    if '"' not in text and "\\" not in text and "$" not in text and "`" not in text:
        return f'"{text}"'
    return shlex.quote(text)


def disable_rule(text: str, path: str, finding: Finding, markdown: bool | None = None
                 ) -> Teaching | None:
    """Turn a rule off for this file: `ignore-file RULE` at the end of a Markdown file, a
    sidecar entry without line or text for plain text."""
    markdown = is_markdown(path) if markdown is None else markdown
    rule = finding.rule
    if markdown:
        for m in _COMMENT.finditer(text):
            if m.group("verb") == "ignore-file":
                edit = _inline(text, m.end(), m.start(), "ignore-file", rule)
                return Teaching(f"Disable {rule} in this file", edits=(edit,))
        tail = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        edit = Edit(len(text), len(text), f"{tail}<!-- mtclean: ignore-file {rule} -->\n", rule)
        return Teaching(f"Disable {rule} in this file", edits=(edit,))
    if path in ("-", "<stdin>"):
        return None
    change = _sidecar_change(path, f"{shlex.quote(_glob(Path(path).name))}  {rule}")
    return Teaching(f"Disable {rule} in this file ({SIDECAR})", files=(change,) if change else ())


# --- this spelling is right -----------------------------------------------------------

def spelling_is_right(path: str, finding: Finding, root: Path | None = None,
                      config_file: str | None = None) -> Teaching | None:
    """Pin the flagged spelling as the house spelling in the project's names lexicon.

    For NAME001 (`X` looks like a variant of `Y`): `X` becomes canonical with `Y` as its
    variant, unless `Y` is pinned already, in which case the two are recorded as
    `distinct` names. The lexicon is the first one the configuration lists; without one,
    `mtclean-names.yaml` is created beside the configuration (or in `root`, with a new
    `.mtclean.toml`) and registered in it. None when the finding is not a name finding or
    a built-in lexicon pins the spelling (that cannot be overridden per project).
    """
    if finding.rule not in NAME_RULES or not finding.text or finding.fix is None:
        return None
    spelling, other = finding.text, finding.fix.replacement
    cfg = config_mod.for_path(path, config_file)
    lexicon = cfg.names[0] if cfg.names else None
    loaded = name_lexicon.load_lexicons([str(p) for p in cfg.names if Path(p).is_file()])
    builtin = name_lexicon.load_lexicons([])
    if (builtin.canonical_of(spelling) not in (None, spelling)
            or loaded.canonical_of(spelling) not in (None, spelling)):
        return None  # a lexicon pins it as a variant: that is for a person to change
    register = None
    if lexicon is None:
        base = cfg.root or (root or Path(path).resolve().parent)
        lexicon = base / LEXICON_NAME
        register = _register_lexicon(cfg, base, LEXICON_NAME)
    pinned = loaded.canonical_of(other) is not None or loaded.canonical_of(spelling) is not None
    before = _read(lexicon)
    others = [str(p) for p in cfg.names[1:] if Path(p).is_file()]
    after = _add_to_lexicon(before, spelling, other, distinct=pinned, where=lexicon, others=others)
    # the lexicon first: a config must never name a lexicon that is not there yet
    files = [FileChange(lexicon, before, after)] + ([register] if register else [])
    what = (f"“{spelling}” and “{other}” are different names" if pinned
            else f"“{spelling}” is the right spelling (not “{other}”)")
    return Teaching(f"{what}: add to {lexicon.name}", files=tuple(files))


def _add_to_lexicon(before: bytes | None, spelling: str, other: str, distinct: bool,
                    where: Path, others: list[str]) -> bytes:
    """The lexicon with one more entry, edited as text so the user's comments stay."""
    key = "distinct" if distinct else "names"
    old = before.decode("utf-8") if before else "version: 1\n"
    lines = old.splitlines(keepends=True)
    at = next((i for i, l in enumerate(lines) if regex.match(rf"{key}:\s*(#.*)?$", l.rstrip("\r\n"))), None)
    # the indentation of the list's items as written (`- ` at column 0 is valid YAML too)
    first = next((l for l in lines[at + 1:] if l.strip() and not l.lstrip().startswith("#")), "") \
        if at is not None else ""
    pad = m.group(1) if (m := regex.match(r"([ \t]*)- ", first)) else "  "
    item = (f"{pad}- [{_yaml_str(spelling)}, {_yaml_str(other)}]" if distinct else
            f"{pad}- canonical: {_yaml_str(spelling)}\n{pad}  variants: [{_yaml_str(other)}]")
    if at is not None:
        lines.insert(at + 1, item + "\n")
        new = "".join(lines)
    elif any(regex.match(rf"{key}:", l) for l in lines):  # flow style (`names: []`): rewrite
        data = yaml.safe_load(old) or {}
        entry = [spelling, other] if distinct else {"canonical": spelling, "variants": [other]}
        data[key] = list(data.get(key) or []) + [entry]
        new = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    else:
        new = old + ("" if old.endswith("\n") else "\n") + f"{key}:\n{item}\n"
    try:  # the result must load beside the built-in and the project's other lexicons
        check = copy.deepcopy(name_lexicon.load_lexicons(others))
        name_lexicon.parse_lexicon(yaml.safe_load(new), str(where), check)
    except (MtcleanError, yaml.YAMLError) as exc:
        raise TeachError(f"{where}: cannot add “{spelling}” ({exc}); edit the lexicon by hand") from None
    return new.encode("utf-8")


def _yaml_str(s: str) -> str:
    return yaml.safe_dump(s, allow_unicode=True, default_flow_style=True).strip().removesuffix("\n...").strip()


def _register_lexicon(cfg, base: Path, name: str) -> FileChange:
    """Add `names = [name]` to the configuration (a new `.mtclean.toml` when none)."""
    source = Path(cfg.source) if cfg.source else base / ".mtclean.toml"
    before = _read(source)
    line = f'names = ["{name}"]\n'
    old = before.decode("utf-8") if before else ""
    lines = old.splitlines(keepends=True)
    header = next((i for i, l in enumerate(lines) if l.strip() == "[tool.mtclean]"), None)
    if header is not None:
        lines.insert(header + 1, line)
        new = "".join(lines)
    elif source.name == "pyproject.toml":
        new = old + ("" if old.endswith("\n") or not old else "\n") + "\n[tool.mtclean]\n" + line
    else:  # top-level keys must come before any table
        new = line + old
    try:
        data = tomllib.loads(new)
        table = (data["tool"]["mtclean"] if source.name == "pyproject.toml"
                 else data.get("tool", {}).get("mtclean", data))
        config_mod.from_table(table, source.parent, str(source))
    except (MtcleanError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise TeachError(f"{source}: cannot register the names lexicon ({exc}); add "
                         f"{line.strip()} by hand") from None
    return FileChange(source, before, new.encode("utf-8"))
