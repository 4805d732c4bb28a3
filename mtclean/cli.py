"""Command line: `mtclean check`, `mtclean fix`, `mtclean rules`; `languagetool` and `batch`
are loaded only when invoked, so a check starts without the grammar or batch machinery."""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import __version__, extras, report, selectors, suppress
from . import config as config_mod
from .api import build_engine, load_rules
from .document import CheckContext, Document
from .errors import MtcleanError
from .finding import Finding
from .report.diff import unified_diff
from .textio import DEFAULT_MAX_SIZE, encode, parse_size, read_path, write_back

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
LARGE_FILE = 4 << 20  # bytes; see Runner._warm_before_large
BLOCKWISE_TEXT = 8 << 20  # characters; a longer text is checked in blocks (blockcheck.py)
WARM_UP_TEXT = ("Mayor Ana Ortiz said  the harbour , which opened in 1998, is busy. Ortiz told "
                "reporters the the port handled 3 hundred million tonnes\uff0c up 5%.\n\n"
                "“It was a \"good\" year\u3002 We are proud (of it,\" Mr. Ortiz said.\n")


def _wants_color() -> bool:
    from .report.text import wants_color

    return wants_color(sys.stdout)


def _err(msg: str) -> None:
    click.echo(f"mtclean: {msg}", err=True)


@dataclass(frozen=True)
class Options(config_mod.Overrides):
    """What `check` and `fix` were asked to do: the shared overrides, then the report and
    fix options."""

    output_format: str = "text"
    statistics: bool = False
    unsafe_fixes: bool = False
    quiet: bool = False
    source: str | None = None  # the Chinese source of the one target file (source/align.py)
    max_file_size: int = DEFAULT_MAX_SIZE  # bytes; larger inputs are refused

    @classmethod
    def from_click(cls, select, ignore, extend_rules, config_path, source_path=None,
                   max_file_size=None, **kw) -> "Options":
        try:
            size = DEFAULT_MAX_SIZE if max_file_size is None else parse_size(max_file_size)
        except ValueError:
            raise MtcleanError(f"--max-file-size {max_file_size!r}: give a size such as 300M or 2G") from None
        return cls(selectors.split(select), selectors.split(ignore), tuple(extend_rules),
                   config=config_path, source=source_path, max_file_size=size, **kw)


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


def _grammar_detectors(choice: str, url: str | None, servers=None) -> list:
    """The grammar backends for `choice`; `auto` without the grammar extra carries on."""
    need = extras.GRAMMAR_NEEDS.get(choice, extras.EXTRAS["grammar"])
    if extras.missing("grammar", need):
        if choice == "auto":
            _err("--grammar auto: no grammar backend installed "
                 f"({extras.install_hint('grammar')}); continuing without one")
            return []
        extras.require("grammar", f"--grammar {choice}", need)
    from . import grammar

    return grammar.make_detectors(choice, url, servers)


class Runner:
    """Builds (and caches) one engine per configuration and runs it over inputs."""

    def __init__(self, opts: Options):
        self.opts = opts
        self._engines: dict = {}
        self._detectors: dict = {}
        self._servers = None  # grammar.provision.Servers: the LanguageTool server this run uses
        self._warmed: set[int] = set()

    def _grammar_servers(self):
        if self._servers is None:
            from .grammar.provision import Servers

            self._servers = Servers()
        return self._servers

    def _detectors_for(self, cfg) -> list:
        choice = self.opts.grammar or cfg.grammar
        url = self.opts.languagetool_url or cfg.languagetool_url
        if choice == "none" and not self.opts.languagetool_url:
            return []
        key = (choice, url)
        if key not in self._detectors:
            self._detectors[key] = _grammar_detectors(choice, url, self._grammar_servers())
        return self._detectors[key]

    def engine_for(self, cfg):
        eng = self._engines.get(id(cfg))
        if eng is None:
            o = self.opts
            extra = tuple(str(p) for p in cfg.extend_rules) + o.extend_rules
            known = load_rules(extra)
            where = cfg.source or "configuration"
            selectors.validate(o.select, known, "--select")
            selectors.validate(o.ignore, known, "--ignore")
            selectors.validate(cfg.select, known, f"{where}: select")
            selectors.validate(cfg.ignore, known, f"{where}: ignore")
            for ids in cfg.per_file_ignores.values():
                selectors.validate(ids, known, f"{where}: per-file-ignores")
            eng = build_engine(o.select or tuple(cfg.select), tuple(cfg.ignore) + o.ignore,
                               extra, self._detectors_for(cfg))
            self._engines[id(cfg)] = eng
        return eng

    def rules(self) -> list:
        """The rules of the engines built so far (for reports that describe them)."""
        seen: dict = {}
        for eng in self._engines.values():
            for r in eng.rules:
                seen.setdefault(r.id, r)
        return list(seen.values())

    def prepare(self, path: str):
        cfg = config_mod.for_path(path, self.opts.config)
        engine = self.engine_for(cfg)
        self._warm_before_large(engine, path)
        per_file = cfg.ignores_for(path) if path != "-" else []
        return engine, _keeper(per_file), CheckContext(names=cfg.names)

    def has_grammar(self, path: str) -> bool:
        """Whether the engine for `path` has grammar backends (worth prefetching for)."""
        try:
            return bool(self.prepare(path)[0].detectors)
        except MtcleanError:
            return False  # reported when the file's turn comes

    def prefetch(self, path: str) -> None:
        """Let grammar backends start on the next file while this one is checked.

        Only regular files: reading stdin or a pipe here would take its text from the run.
        """
        if path == "-" or not Path(path).is_file():
            return
        try:
            engine, _, context = self.prepare(path)
            if not any(hasattr(d, "prefetch") for d in engine.detectors):
                return
            source = read_path(path, self.opts.max_file_size)
        except MtcleanError:
            return  # reported when its turn comes
        for detector in engine.detectors:
            if hasattr(detector, "prefetch"):
                detector.prefetch(Document(source.text, source.path, context))

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
            engine.check(Document(WARM_UP_TEXT, "<warm-up>"))


def _keeper(per_file: list[str]):
    """Suppressions, then the config's per-file ignores."""
    def keep(doc: Document, findings: list[Finding]) -> list[Finding]:
        kept = suppress.apply_all(doc, findings)
        if per_file:
            kept = [f for f in kept if not selectors.any_match(per_file, f.rule, f.category)]
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


@dataclass
class Outcome:
    """What a run over all inputs produced, for the report and the exit code."""

    findings: list[Finding] = field(default_factory=list)
    docs: dict[str, Document] = field(default_factory=dict)  # or a blockcheck.StoredText
    diffs: list[str] = field(default_factory=list)
    fixed_files: int = 0
    fixed_edits: int = 0
    errors: int = 0


def _process(runner: Runner, path: str, mode: str, out: Outcome) -> None:
    """Check (mode `check`), fix in place (`fix`) or diff (`diff`) one input."""
    engine, keep, context = runner.prepare(path)
    source = read_path(path, runner.opts.max_file_size)
    name = source.path
    if runner.opts.source:  # source-aware: pair segments; see source/keep.py for `keep`
        from .source import align, keep as source_keep

        context = align.attach(context, align.read_alignment(runner.opts.source, source.text, name))
        keep = source_keep.source_keep(keep)
    if mode == "check" and not runner.opts.source and len(source.text) > BLOCKWISE_TEXT:
        from . import blockcheck

        if blockcheck.can_split(engine, source.text):  # memory: one block's views at a time
            findings, out.docs[name] = blockcheck.check(engine, keep, source, context)
            out.findings.extend(findings)
            return
    doc = Document(source.text, name, context)
    if mode == "check":
        findings = keep(doc, engine.check(doc))
    else:
        new_text, edits, findings = engine.fix(doc, unsafe=runner.opts.unsafe_fixes, keep=keep)
        changed = new_text != source.text
        if mode == "diff":
            if changed:
                out.diffs.append(unified_diff(source.text, new_text, name))
                findings = keep(doc, engine.check(doc))
        else:
            if path == "-":  # `fix -` writes the text to stdout, fixed or not
                sys.stdout.buffer.write(encode(source, new_text))
                sys.stdout.flush()
            elif changed:
                write_back(source, encode(source, new_text))
            if changed:
                out.fixed_files += 1
                out.fixed_edits += len(edits)
                doc = Document(new_text, name, context)
    # The report needs the text only: a fresh document drops the checks' views (about as
    # large as the text), which a directory run would otherwise keep for every file.
    out.docs[name] = Document(doc.text, name, doc.context)
    out.findings.extend(findings)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def run(paths, opts: Options, mode: str = "check") -> int:
    """Run `check`, `fix` or `diff` over `paths`, print the report, return the exit code.
    Ctrl-C exits 130 with nothing half-written (writes are atomic)."""
    try:
        return _run(paths, opts, mode)
    except KeyboardInterrupt:
        _err("interrupted; files not yet fixed were left as they were")
        return 130


def _run(paths, opts: Options, mode: str) -> int:
    runner = Runner(opts)
    out = Outcome()
    reported: set[str] = set()
    try:
        inputs = expand_paths(tuple(paths), opts.config)
    except MtcleanError as exc:
        _err(str(exc))
        return 2
    if opts.source:
        extras.require("source", "--source")
    if opts.source and len(inputs) != 1:
        _err(f"--source {opts.source} pairs with one target file, got {len(inputs)}; "
             "check each translation with its own source")
        return 2
    for i, path in enumerate(inputs):
        try:
            if runner.has_grammar(path):  # keep the grammar server busy: the next two files go out
                for upcoming in inputs[i + 1:i + 3]:
                    runner.prefetch(upcoming)
            _process(runner, path, mode, out)
        except MtcleanError as exc:
            # A broken rule or config file fails every input the same way: say it once.
            if str(exc) not in reported:
                _err(str(exc))
                reported.add(str(exc))
            out.errors += 1

    # With `fix -` the fixed text owns stdout, so the report goes to stderr.
    to_err = mode == "fix" and "-" in inputs
    if mode == "diff":
        click.echo("".join(out.diffs), nl=False)
        if not opts.quiet:
            _err(f"{_plural(len(out.diffs), 'file')} would be changed")
    elif opts.statistics:
        from .report.text import statistics

        click.echo(statistics(out.findings), nl=False, err=to_err)
    else:
        kw = dict(docs=out.docs, rules=runner.rules(), summary=not opts.quiet,
                  color=opts.output_format == "text" and not to_err and _wants_color())
        stream = report.streamer(opts.output_format)  # a large report is written as it goes
        chunks = stream(out.findings, **kw) if stream else [
            report.renderer(opts.output_format)(out.findings, **kw)]
        for chunk in chunks:
            click.echo(chunk, nl=False, err=to_err)
    if mode == "fix" and not opts.quiet and out.fixed_files:
        _err(f"fixed {_plural(out.fixed_edits, 'issue')} in {_plural(out.fixed_files, 'file')}")
    if out.errors:
        return 2
    if mode == "diff":
        return 1 if out.diffs else 0
    return 1 if out.findings else 0


# Commands in their own modules, imported only when used: name -> (module, attribute,
# extra it needs, one line of help for `mtclean --help`).
LAZY_COMMANDS = {
    "batch": ("mtclean.batch.cli", "batch", "batch",
              "Clean INPUT files (JSONL, text, TSV; - for stdin) record by record into OUTPUT."),
    "languagetool": ("mtclean.grammar.commands", "languagetool", "grammar",
                     "Install, start, stop or query the local LanguageTool server."),
    "review": ("mtclean.review.command", "review", "review",
               "Review proposals one by one in a local page in the browser."),
    "lsp": ("mtclean.lsp.command", "lsp", "lsp",
            "Run the language server (stdio) for editors."),
}


class MtcleanGroup(click.Group):
    """The top-level group: loads plug-in commands on demand and turns MtcleanError into
    one line and exit 2."""

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx, name):
        if name not in LAZY_COMMANDS:
            return super().get_command(ctx, name)
        module, attr, extra, _ = LAZY_COMMANDS[name]
        extras.require(extra, f"mtclean {name}")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx, formatter):
        """List the commands without importing the lazy ones (or needing their extras)."""
        rows = []
        for name in self.list_commands(ctx):
            lazy = LAZY_COMMANDS.get(name)
            rows.append((name, lazy[3] if lazy else
                         super().get_command(ctx, name).get_short_help_str(formatter.width)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MtcleanError as exc:
            _err(str(exc))
            ctx.exit(exc.exit_code)
        except ModuleNotFoundError as exc:  # a required package was removed or never installed
            if not (exc.name or "").split(".")[0] or (exc.name or "").startswith("mtclean"):
                raise
            _err(f"the package {exc.name.split('.')[0]!r} that mtclean needs is not installed in this Python "
                 f"({sys.executable}); reinstall mtclean (pip install mtclean, or pip install -e . "
                 "in a checkout)")
            ctx.exit(2)


@click.group(cls=MtcleanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtclean")
def main():
    """Find and fix machine-translation artifacts in English news text."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what remains.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; change nothing.")
@click.option("--source", "source_path", type=click.Path(), default=None,
              help="The Chinese source of the (one) target file, aligned by line or paragraph.")
def check(paths, fix, diff, **kw):
    """Report findings in PATHS (files, directories, or - for stdin)."""
    sys.exit(run(paths, Options.from_click(**kw), "diff" if diff else "fix" if fix else "check"))


@main.command("fix")
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option("--source", "source_path", type=click.Path(), default=None,
              help="The Chinese source of the (one) target file, aligned by line or paragraph.")
def fix_cmd(paths, **kw):
    """Apply safe fixes in place (- reads stdin, writes stdout); report what remains."""
    sys.exit(run(paths, Options.from_click(**kw), "fix"))


@main.group(invoke_without_command=True)
@click.option("--rules", "extend_rules", multiple=True, type=click.Path())
@click.pass_context
def rules(ctx, extend_rules):
    """List rules (id, category, fix safety, message); `rules show ID` for details."""
    ctx.obj = list(extend_rules)
    if ctx.invoked_subcommand is None:
        from .ruledoc import fix_safety, summary

        for r in load_rules(ctx.obj):
            click.echo(f"{r.id}\t{r.category:<18}\t{fix_safety(r):<11}\t{summary(r)}")


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


if __name__ == "__main__":
    main()
