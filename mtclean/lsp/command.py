"""The `mtclean lsp` command (imported lazily by cli.py: pygls loads only when used)."""

from __future__ import annotations

import click

from ..errors import MtcleanError


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
def lsp(stdio):
    """Run the language server over stdio (editors start it; see docs/editors.md)."""
    try:
        from .server import main
    except ModuleNotFoundError as exc:
        raise MtcleanError(f"the language server needs pygls ({exc.name} is not installed); "
                           "install it with: pip install 'mtclean[lsp]'") from None
    main()
