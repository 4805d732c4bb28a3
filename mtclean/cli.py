"""Command line: `mtclean check`, `mtclean fix`, `mtclean rules` (and plug-in groups)."""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__, report, suppress
from . import config as config_mod
from .api import build_engine
from .document import Document
from .errors import MtcleanError
from .finding import Finding
from .report import text as text_report
from .rules import load_rules
from .textio import DEFAULT_MAX_SIZE, encode, parse_size, read_path, write_back

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
LARGE_FILE = 4 << 20  # bytes; see Runner._warm_before_large
WARM_UP_TEXT = ("Mayor Ana Ortiz said  the harbour , which opened in 1998, is busy. Ortiz told "
                "reporters the the port handled 3 hundred million tonnes\uff0c up 5%.\n\n"
                "“It was a \"good\" year\u3002 We are proud (of it,\" Mr. Ortiz said.\n")


def _err(msg: str) -> None:
    click.echo(f"mtclean: {msg}", err=True)


@dataclass
class Options:
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    extend_rules: tuple[str, ...]
    grammar: str | None
    languagetool_url: str | None
    config: str | None


def expand_paths(paths: tuple[str, ...], explicit_config: str | None) -> list[str]:
    """Expand directories into their text files, honouring config excludes."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            cfg = config_mod.for_path(str(path / "x"), explicit_config)
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES and not cfg.is_excluded(f):
                    out.append(str(f))
        else:
            out.append(p)  # missing files are reported when read
    return out


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff that, like git's, marks a last line without a newline."""
    lines = []
    for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                     f"a/{name}", f"b/{name}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


class Runner:
    """Builds (and caches) one engine per configuration and runs it over inputs."""

    def __init__(self, opts: Options):
        self.opts = opts
        self._engines: dict = {}
        self._detectors: dict = {}
        self._warmed: set[int] = set()

    def _grammar_detectors(self, cfg) -> list:
        choice = self.opts.grammar or cfg.grammar
        url = self.opts.languagetool_url or cfg.languagetool_url
        if choice == "none" and not self.opts.languagetool_url:
            return []
        key = (choice, url)
        if key not in self._detectors:
            from . import grammar
            self._detectors[key] = grammar.make_detectors(choice, url)
        return self._detectors[key]

    def engine_for(self, cfg):
        key = (id(cfg),)
        eng = self._engines.get(key)
        if eng is None:
            select = self.opts.select or tuple(cfg.select)
            ignore = tuple(cfg.ignore) + self.opts.ignore
            extra = tuple(str(p) for p in cfg.extend_rules) + self.opts.extend_rules
            eng = build_engine(select, ignore, extra, self._grammar_detectors(cfg))
            self._engines[key] = eng
        return eng

    def prepare(self, path: str):
        cfg = config_mod.for_path(path, self.opts.config)
        engine = self.engine_for(cfg)
        self._warm_before_large(engine, path)
        per_file = cfg.ignores_for(path) if path != "-" else []
        meta = {"names": [str(p) for p in cfg.names]}
        return cfg, engine, per_file, meta

    def _warm_before_large(self, engine, path: str) -> None:
        """Before reading a large file, let the checks load their data (lexicons, word
        lists) on a short text: the loading garbage then comes and goes while memory
        is low, instead of on top of a big text and its findings."""
        try:
            large = path != "-" and os.path.getsize(path) > LARGE_FILE
        except OSError:
            return
        if large and id(engine) not in self._warmed:
            self._warmed.add(id(engine))
            engine.check(Document(WARM_UP_TEXT, "<warm-up>", {"names": []}))

    @staticmethod
    def keep(per_file):
        def keep(doc: Document, findings: list[Finding]) -> list[Finding]:
            kept = suppress.apply_all(doc, findings)
            if per_file:
                kept = [f for f in kept if not any(
                    t == f.rule or t == f.category or (t.isupper() and f.rule.startswith(t))
                    for t in per_file)]
            return kept
        return keep


def common_options(fn):
    opts = [
        click.option("--select", multiple=True, help="Rule ids, id prefixes or categories to enable (comma-separated or repeated)."),
        click.option("--ignore", multiple=True, help="Rule ids, id prefixes or categories to disable."),
        click.option("--rules", "extend_rules", multiple=True, type=click.Path(),
                     help="Extra rule file or directory (repeatable)."),
        click.option("--grammar", type=click.Choice(config_mod.GRAMMAR_CHOICES), default=None,
                     help="Grammar backend (default from config, else none)."),
        click.option("--languagetool-url", default=None, help="Use an existing LanguageTool server."),
        click.option("--config", "config_path", type=click.Path(), default=None,
                     help="Use this config file instead of discovering one."),
        click.option("--output-format", "--format", "output_format", default="text",
                     type=click.Choice(sorted(report.FORMATS)), help="Report format."),
        click.option("--statistics", is_flag=True, help="Show counts per rule instead of findings."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe."),
        click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary lines."),
        click.option("--max-file-size", default=None, metavar="SIZE",
                     help="Refuse files larger than this (default 256M; e.g. 1G)."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def run(paths, fix, diff, **kw) -> int:
    """Run check/fix/diff; Ctrl-C exits 130 with nothing half-written (atomic writes)."""
    try:
        return _run(paths, fix=fix, diff=diff, **kw)
    except KeyboardInterrupt:
        _err("interrupted; files not yet fixed were left as they were")
        return 130


def _run(paths, select, ignore, extend_rules, grammar, languagetool_url, config_path,
         output_format, statistics, unsafe_fixes, quiet, fix, diff, max_file_size=None) -> int:
    try:
        max_size = DEFAULT_MAX_SIZE if max_file_size is None else parse_size(max_file_size)
    except ValueError:
        _err(f"--max-file-size {max_file_size!r}: give a size such as 300M or 2G")
        return 2
    opts = Options(_split(select), _split(ignore), tuple(extend_rules), grammar,
                   languagetool_url, config_path)
    runner = Runner(opts)
    all_findings: list[Finding] = []
    docs: dict[str, Document] = {}
    errors = 0
    reported: set[str] = set()
    fixed_files = fixed_edits = 0
    diffs: list[str] = []
    try:
        inputs = expand_paths(tuple(paths), config_path)
    except MtcleanError as exc:
        _err(str(exc))
        return 2
    for path in inputs:
        try:
            cfg, engine, per_file, meta = runner.prepare(path)
            source = read_path(path, max_size)
            name = source.path
            doc = Document(source.text, name, meta)
            keep = runner.keep(per_file)
            if fix or diff:
                new_text, edits, remaining = engine.fix(doc, unsafe=unsafe_fixes, keep=keep)
                if new_text != source.text:
                    if diff:
                        diffs.append(unified_diff(source.text, new_text, name))
                        remaining = keep(doc, engine.check(doc))
                    elif path == "-":
                        sys.stdout.buffer.write(encode(source, new_text))
                        sys.stdout.flush()
                        fixed_files += 1
                        fixed_edits += len(edits)
                    else:
                        write_back(source, encode(source, new_text))
                        fixed_files += 1
                        fixed_edits += len(edits)
                    doc = Document(new_text, name, meta) if not diff else doc
                elif fix and path == "-":
                    sys.stdout.buffer.write(encode(source, source.text))
                    sys.stdout.flush()
                findings = remaining
            else:
                findings = keep(doc, engine.check(doc))
        except MtcleanError as exc:
            # A broken rule or config file fails every input the same way: say it once.
            if str(exc) not in reported:
                _err(str(exc))
                reported.add(str(exc))
            errors += 1
            continue
        docs[name] = doc
        all_findings.extend(findings)

    # With `fix -` the fixed text owns stdout, so the report goes to stderr.
    to_err = fix and "-" in inputs
    if diff:
        click.echo("".join(diffs), nl=False)
        if not quiet:
            _err(f"{len(diffs)} file{'s' if len(diffs) != 1 else ''} would be changed")
    elif statistics:
        click.echo(text_report.statistics(all_findings), nl=False, err=to_err)
    else:
        rules_meta = runner._engines and next(iter(runner._engines.values())).rules or []
        render = report.STREAMS.get(output_format)
        kw = dict(docs=docs, rules=rules_meta, summary=not quiet,
                  color=output_format == "text" and not to_err and sys.stdout.isatty())
        for chunk in render(all_findings, **kw) if render else [report.FORMATS[output_format](all_findings, **kw)]:
            click.echo(chunk, nl=False, err=to_err)
    if fix and not quiet and fixed_files:
        _err(f"fixed {fixed_edits} issue{'s' if fixed_edits != 1 else ''} in {fixed_files} file{'s' if fixed_files != 1 else ''}")
    if errors:
        return 2
    if diff:
        return 1 if diffs else 0
    return 1 if all_findings else 0


class MtcleanGroup(click.Group):
    """A click group that turns MtcleanError into one line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MtcleanError as exc:
            _err(str(exc))
            ctx.exit(exc.exit_code)


@click.group(cls=MtcleanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtclean")
def main():
    """Find and fix machine-translation artifacts in English news text."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what remains.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; change nothing.")
def check(paths, fix, diff, **kw):
    """Report findings in PATHS (files, directories, or - for stdin)."""
    sys.exit(run(paths, fix=fix, diff=diff, **kw))


@main.command("fix")
@click.argument("paths", nargs=-1, required=True)
@common_options
def fix_cmd(paths, **kw):
    """Apply safe fixes in place (- reads stdin, writes stdout); report what remains."""
    sys.exit(run(paths, fix=True, diff=False, **kw))


@main.group(invoke_without_command=True)
@click.option("--rules", "extend_rules", multiple=True, type=click.Path())
@click.pass_context
def rules(ctx, extend_rules):
    """List rules (id, category, fix safety, message); `rules show ID` for details."""
    ctx.obj = list(extend_rules)
    if ctx.invoked_subcommand is None:
        for r in load_rules(ctx.obj):
            click.echo(f"{r.id}\t{r.category:<18}\t{r.fixable:<7}\t{r.message}")


@rules.command("show")
@click.argument("rule_id")
@click.pass_context
def rules_show(ctx, rule_id):
    """Print a rule's documentation and examples."""
    from .ruledoc import render_rule
    for r in load_rules(ctx.obj or []):
        if rule_id in (r.id, r.name):
            click.echo(render_rule(r))
            return
    _err(f"no rule {rule_id!r}; run `mtclean rules` for the list")
    sys.exit(2)


# Commands that live in their own modules (grammar server management, batch, bench).
for _mod, _attr in (("mtclean.grammar.commands", "languagetool"),
                    ("mtclean.batch.cli", "batch"),
                    ("mtclean.bench", "bench")):
    try:
        main.add_command(getattr(importlib.import_module(_mod), _attr))
    except ModuleNotFoundError as _exc:
        if not (_exc.name and _mod.startswith(_exc.name)):
            raise


if __name__ == "__main__":
    main()
