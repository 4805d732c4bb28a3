"""Optional parts of mtclean and the pip extra that installs each one.

`pip install mtclean` gives check, fix and rules with every rule family; the grammar
backends, batch processing and Dask come as extras. A command whose extra is missing says
so in one line (exit 2) instead of failing on an import deep inside.
"""

from __future__ import annotations

from importlib.util import find_spec

from .errors import MtcleanError

# extra -> the top-level modules it provides (what setup.cfg's extras_require installs).
EXTRAS: dict[str, tuple[str, ...]] = {
    "grammar": ("requests", "psutil", "language_tool_python", "harper"),
    "batch": ("orjson", "zstandard", "tqdm", "sentencepiece"),
    "dask": ("dask", "distributed"),
    "review": ("starlette", "uvicorn"),
    "lsp": ("pygls",),
    "source": ("cn2an", "pypinyin"),
}


class ExtraMissing(MtcleanError):
    """A command needs an extra that is not installed."""


# What each --grammar choice cannot run without (the grammar package needs requests; the
# backends it cannot find are reported by the grammar package itself).
GRAMMAR_NEEDS = {"languagetool": ("requests",), "harper": ("requests", "harper"), "auto": ("requests",)}


def missing(extra: str, modules: tuple[str, ...] | None = None) -> list[str]:
    """The modules of `extra` (or the given ones of it) that cannot be imported here."""
    return [m for m in (modules or EXTRAS[extra]) if find_spec(m) is None]


def install_hint(extra: str) -> str:
    return f"pip install 'mtclean[{extra}]'"


def require(extra: str, what: str, modules: tuple[str, ...] | None = None) -> None:
    """Raise ExtraMissing (one line naming the extra) when a module of `extra` is absent."""
    gone = missing(extra, modules)
    if gone:
        raise ExtraMissing(f"{what} needs the '{extra}' extra ({', '.join(gone)} not installed): "
                           f"{install_hint(extra)}")
