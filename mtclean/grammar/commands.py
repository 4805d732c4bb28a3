"""`mtclean languagetool install|serve|status|stop`: manage the local LanguageTool server."""

from __future__ import annotations

import sys

import click

from .errors import ServerError
from .install import LT_VERSION, classpath, java_path
from .process import DEFAULT_THREADS, DEFAULT_XMX


def _fail(msg: str) -> None:
    click.echo(f"mtclean: {msg}", err=True)
    sys.exit(2)


@click.group("languagetool")
def languagetool():
    """Install and run a local LanguageTool server (the `--grammar languagetool` backend)."""


@languagetool.command()
@click.option("--force", is_flag=True, help="Fetch the jars again even if installed.")
def install(force):
    """Fetch LanguageTool's jars into the cache (Maven; else language-tool-python's download)."""
    from .install import install as do_install
    try:
        cp = do_install(force=force, log=lambda m: click.echo(m, err=True))
    except ServerError as exc:
        _fail(str(exc))
    if not java_path():
        click.echo("note: Java 17+ is needed to run it and was not found on PATH", err=True)
    click.echo(f"LanguageTool {LT_VERSION} ready: {cp}")


@languagetool.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: a free one).")
@click.option("--xmx", default=DEFAULT_XMX, show_default=True, help="JVM heap limit.")
@click.option("--threads", type=click.IntRange(1, 64), default=DEFAULT_THREADS, show_default=True,
              help="Requests the server checks at once.")
def serve(port, xmx, threads):
    """Start a background server on localhost that later runs reuse (until `stop`)."""
    from .served import serve as do_serve
    try:
        state = do_serve(port, xmx, threads)
    except ServerError as exc:
        _fail(str(exc))
    click.echo(f"LanguageTool serving at {state['url']} (pid {state['pid']}, "
               f"started in {state['startup_seconds']}s, log {state['log']})")


@languagetool.command()
def status():
    """Show whether the background server is running and where."""
    from .served import status as get_status
    state = get_status()
    cp = classpath()
    click.echo(f"installed: {'yes (' + cp + ')' if cp else 'no (run `mtclean languagetool install`)'}")
    click.echo(f"java: {java_path() or 'not found'}")
    if state is None:
        click.echo("server: not running (`mtclean languagetool serve` starts one)")
        sys.exit(1)
    word = "running" if state["healthy"] else "NOT answering"
    click.echo(f"server: {word} at {state['url']} (pid {state['pid']}, log {state['log']})")
    sys.exit(0 if state["healthy"] else 1)


@languagetool.command()
def stop():
    """Stop the background server started by `serve`."""
    from .served import stop_served
    state = stop_served()
    if state is None:
        click.echo("no LanguageTool server was running")
        return
    click.echo(f"stopped LanguageTool at {state['url']} (pid {state['pid']})")
