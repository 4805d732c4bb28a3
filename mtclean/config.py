"""Find and read configuration: `[tool.mtclean]` in pyproject.toml or a `.mtclean.toml`.

The nearest file walking up from the checked file wins (like ruff); a file given with
`--config` overrides discovery. Keys use dashes or underscores interchangeably.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .textio import read_regular_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_EXCLUDE = [".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                   ".tox", ".mypy_cache", "build", "dist"]
GRAMMAR_CHOICES = ("auto", "languagetool", "harper", "none")
MAX_CONFIG_SIZE = 1 << 20


@dataclass
class Config:
    """Settings for one file; `root` is the directory holding the config file."""

    root: Path | None = None
    source: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_rules: list[Path] = field(default_factory=list)
    names: list[Path] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    grammar: str = "none"
    languagetool_url: str | None = None

    def ignores_for(self, path: str) -> list[str]:
        """Rule selectors ignored for `path` by `per-file-ignores` globs."""
        rel = self.relative(path)
        out = []
        for pattern, ids in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern):
                out.extend(ids)
        return out

    def relative(self, path: str) -> str:
        p = Path(path).resolve()
        if self.root:
            try:
                return p.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def is_excluded(self, path: Path) -> bool:
        pats = self.exclude + self.extend_exclude
        rel = self.relative(str(path))
        parts = Path(rel).parts
        return any(fnmatch.fnmatch(rel, p) or any(fnmatch.fnmatch(part, p) for part in parts)
                   for p in pats)


def _list(value, key: str, source: str) -> list[str]:
    if isinstance(value, str):  # `select = "SPC"` reads as a list of letters elsewhere: say so
        raise ConfigError(f"{source}: '{key}' must be a list of strings, "
                          f"e.g. {key} = {json.dumps([value], ensure_ascii=False)}")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: '{key}' must be a list of strings")
    return list(value)


def from_table(table: dict, root: Path, source: str) -> Config:
    """Validate a `[tool.mtclean]` table into a Config."""
    cfg = Config(root=root, source=source)
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key == "select":
            cfg.select = _list(value, key, source)
        elif key in ("ignore", "extend-ignore"):
            cfg.ignore += _list(value, key, source)
        elif key in ("rules", "extend-rules"):
            cfg.extend_rules = [(root / p) for p in _list(value, key, source)]
        elif key == "names":
            cfg.names = [(root / p) for p in _list(value, key, source)]
        elif key == "exclude":
            cfg.exclude = _list(value, key, source)
        elif key == "extend-exclude":
            cfg.extend_exclude = _list(value, key, source)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: 'per-file-ignores' must be a table of glob = [ids]")
            cfg.per_file_ignores = {k: _list(v, f"per-file-ignores.{k}", source)
                                    for k, v in value.items()}
        elif key == "grammar":
            if value not in GRAMMAR_CHOICES:
                raise ConfigError(f"{source}: 'grammar' must be one of {', '.join(GRAMMAR_CHOICES)}")
            cfg.grammar = value
        elif key == "languagetool-url":
            if not isinstance(value, str):
                raise ConfigError(f"{source}: 'languagetool-url' must be a string")
            cfg.languagetool_url = value
        else:
            raise ConfigError(f"{source}: unknown key '{raw_key}' in mtclean configuration")
    return cfg


def load_file(path: Path) -> Config | None:
    """Read a config file; None for a pyproject.toml without `[tool.mtclean]`."""
    try:
        text = read_regular_bytes(path, MAX_CONFIG_SIZE).decode("utf-8")
    except ValueError as exc:  # UnicodeDecodeError included
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to read") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        if path.name == "pyproject.toml":
            raise ConfigError(f"{path}: 'tool' must be a table ([tool.mtclean])")
        tool = {}
    if path.name == "pyproject.toml":
        table = tool.get("mtclean")
        if table is None:
            return None
    else:
        table = tool.get("mtclean", data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'tool.mtclean' must be a table ([tool.mtclean]), "
                          f"not a {type(table).__name__}")
    return from_table(table, path.parent.resolve(), str(path))


@lru_cache(maxsize=256)
def discover(directory: Path) -> Config:
    """Return the config governing files in `directory` (defaults when none is found)."""
    for d in [directory, *directory.parents]:
        for name in (".mtclean.toml", "mtclean.toml", "pyproject.toml"):
            candidate = d / name
            if candidate.is_file():
                cfg = load_file(candidate)
                if cfg is not None:
                    return cfg
    return Config()


def for_path(path: str, explicit: str | None = None) -> Config:
    """The config for one input path (`-` uses the working directory)."""
    if explicit:
        return _explicit(explicit)
    base = Path.cwd() if path == "-" else Path(path).resolve().parent
    return discover(base)


@lru_cache(maxsize=8)
def _explicit(path: str) -> Config:
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{path}: config file not found")
    return load_file(p) or Config(root=p.parent.resolve(), source=str(p))


def cache_root() -> Path:
    """Where mtclean keeps what it builds or fetches once (LanguageTool jars, word tries):
    MTCLEAN_CACHE_DIR, else $XDG_CACHE_HOME/mtclean, else ~/.cache/mtclean."""
    base = os.environ.get("MTCLEAN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "mtclean"


@dataclass(frozen=True)
class Overrides:
    """What a command line (or an editor's settings) sets on top of the discovered
    configuration: the rule choice, the grammar backend and an explicit config file.
    `mtclean check`'s options, the review page and the language server share it."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_rules: tuple[str, ...] = ()
    grammar: str | None = None
    languagetool_url: str | None = None
    config: str | None = None
