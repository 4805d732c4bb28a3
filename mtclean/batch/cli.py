"""`mtclean batch`: clean corpora (JSONL, text, TSV) for NLP pipelines, at scale."""

from __future__ import annotations

import sys

import click

from .. import config as config_mod
from .. import extras, selectors
from ..api import build_engine
from .pipeline import Settings
from .records import FORMATS, UsageError
from .spm import NORMALIZATIONS


class OneLineCommand(click.Command):
    """Report option mistakes as one line (exit 2) instead of click's usage block."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise UsageError(f"batch: {exc.format_message()} (see mtclean batch --help)") from None


@click.command(cls=OneLineCommand)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", required=True, help="Cleaned records (- for stdout; .gz/.zst compress).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Input format (default: from the extension; stdin: sniffed).")
@click.option("--text-field", default=None,
              help="JSONL key (default text) or TSV column: a 1-based number or a header name.")
@click.option("--source-field", default=None,
              help="JSONL key or TSV column with the Chinese source: source-aware checks per record.")
@click.option("--doc-field", default=None,
              help="Field/column with a document id: consecutive records of a document are checked together.")
@click.option("--errors", "errors_path", default=None,
              help="Malformed records (default OUTPUT with .errors; stderr when writing to stdout).")
@click.option("--dropped", "dropped_path", default=None,
              help="Records removed by --drop-below/--keep-above (default OUTPUT with .dropped).")
@click.option("--findings", "findings_path", default=None,
              help="Also write per-record findings as JSONL (useful for text and TSV).")
@click.option("--info-field", default="mtclean", show_default=True,
              help="JSONL key for per-record findings and score ('' to leave records as they were).")
@click.option("--drop-below", type=float, default=None, help="Drop records scoring below this (0-100).")
@click.option("--keep-above", type=float, default=None, help="Keep only records scoring above this (0-100).")
@click.option("--workers", type=int, default=1, show_default=True, help="Local worker processes.")
@click.option("--dask", "dask_address", default=None, help="Run on the Dask scheduler at this address.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--select", multiple=True, help="Rule ids, id prefixes or categories to enable.")
@click.option("--ignore", multiple=True, help="Rule ids, id prefixes or categories to disable.")
@click.option("--rules", "extend_rules", multiple=True, help="Extra rule file or directory (repeatable).")
@click.option("--config", "config_path", default=None, help="Config file (default: discovered from the working directory).")
@click.option("--normalize", type=click.Choice(NORMALIZATIONS), default=None,
              help="Apply sentencepiece's normalization rules as a safe fix step.")
@click.option("--spm-model", default=None, help="sentencepiece model: report <unk> rate and pieces/word before/after.")
@click.option("--spm-worst", type=int, default=10, show_default=True, help="How many worst records to report.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run from its checkpoint.")
@click.option("--checkpoint-every", type=int, default=20000, show_default=True,
              help="Commit a checkpoint at least every N records (and every 5 s).")
@click.option("--chunk-size", type=int, default=256, show_default=True, help="Records per unit of work.")
@click.option("--stats", "stats_path", default=None, help="Write the run summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def batch(inputs, output, fmt, text_field, source_field, doc_field, errors_path, dropped_path, findings_path,
          info_field, drop_below, keep_above, workers, dask_address, unsafe_fixes, select, ignore,
          extend_rules, config_path, normalize, spm_model, spm_worst, resume, checkpoint_every,
          chunk_size, stats_path, quiet):
    """Clean INPUT files (JSONL, text, TSV; - for stdin) record by record into OUTPUT.

    Records leave in input order with the cleaned text, a score and their findings;
    malformed records go to the errors file. Exit 0 when the run completed.
    """
    from .runner import Options, run, summary_text

    if source_field:
        extras.require("source", "--source-field")
    if chunk_size < 1 or checkpoint_every < 1 or spm_worst < 0:
        raise UsageError("--chunk-size and --checkpoint-every must be at least 1, --spm-worst at least 0")
    cfg = config_mod.for_path(inputs[0] if inputs[0] != "-" else "-", config_path)
    settings = Settings(
        select=selectors.split(select) or tuple(cfg.select),
        ignore=tuple(cfg.ignore) + selectors.split(ignore),
        extra_rules=tuple(str(p) for p in cfg.extend_rules) + tuple(extend_rules),
        names=tuple(str(p) for p in cfg.names),
        unsafe=unsafe_fixes, normalize=normalize, spm_model=spm_model, spm_worst=spm_worst,
        info_field=info_field or None, drop_below=drop_below, keep_above=keep_above,
        want_findings=bool(findings_path))
    build_engine(settings.select, settings.ignore, settings.extra_rules)  # bad rules/selectors: exit 2 now
    opts = Options(list(inputs), output, settings, fmt, text_field, doc_field, errors_path,
                   dropped_path, findings_path, workers, dask_address, resume, chunk_size,
                   checkpoint_every, stats_path, quiet, source_field=source_field)
    try:
        totals = run(opts)
    except KeyboardInterrupt:
        click.echo("mtclean: interrupted; rerun with --resume to continue", err=True)
        sys.exit(130)
    if not quiet:
        click.echo(summary_text(totals), err=True)
    sys.exit(0)
