"""`mtclean review PATH...`: serve the review page on loopback and open it in a browser."""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
import sys
import webbrowser

import click

from .. import config as config_mod
from ..config import Overrides
from ..editing.prepared import EngineCache, grammar_detectors
from ..errors import InputError

DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = " (in use? pass --port N, or --port 0 for any free port)" if port else ""
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def host_check(host: str, port: int):
    """A test for the Host header: it must name this server. On loopback that is the
    address itself or `localhost`; on a wildcard address (0.0.0.0, ::), any IP address
    with this port, since a DNS-rebinding page always sends a host *name*."""
    shown = f"[{host}]" if ":" in host else host
    names = {f"{shown}:{port}".lower()}
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None and ip.is_loopback:
        names.add(f"localhost:{port}")
    wildcard = ip is not None and ip.is_unspecified

    def ok(value: str) -> bool:
        if value in names:
            return True
        if not wildcard:
            return False
        name, _, given_port = value.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return given_port == str(port)
    return ok


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@click.command("review")
@click.argument("paths", nargs=-1, required=True)
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default=None, help=f"Address to listen on (default {LOOPBACK}).")
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option("--config", "config_path", type=click.Path(), default=None,
              help="Use this config file instead of discovering one.")
@click.option("--grammar", type=click.Choice(config_mod.GRAMMAR_CHOICES), default=None,
              help="Grammar backend (default from config, else none).")
@click.option("--source", "source_path", type=click.Path(), default=None,
              help="The Chinese source of the one file under review (one segment a line or "
              "paragraph): its findings compare the two.")
def review(paths, port, host, no_browser, config_path, grammar, source_path):
    """Review proposals file by file in a local web page (accept, reject, edit, ignore)."""
    try:
        import uvicorn

        from .app import create_app
    except ModuleNotFoundError as exc:
        raise InputError(f"the review page needs {exc.name}: pip install 'mtclean[review]'") from None
    from .workspace import Workspace

    if host is not None and not is_loopback(host):
        click.echo(f"mtclean: warning: listening on {host}: anyone who can reach this address "
                   "and learns the token can read and change these files", err=True)
    host = host or LOOPBACK
    engines = EngineCache(Overrides(grammar=grammar, config=config_path), grammar_detectors())
    workspace = Workspace(list(paths), engines, config_path, source_path)
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={token}"
    app = create_app(workspace, token, host_check(host, port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False))
    try:  # Ctrl-C at any point from here on stops the server cleanly (exit 0)
        click.echo(url)
        sys.stdout.flush()
        if not no_browser:
            webbrowser.open(url)
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    unsaved = workspace.unsaved()
    if unsaved:
        click.echo(f"mtclean: stopped; unsaved changes dropped in: {', '.join(unsaved)}", err=True)
