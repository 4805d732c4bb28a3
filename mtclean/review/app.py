"""The review page's HTTP side: a Starlette app over a `Workspace`.

Every request passes `guard` first: its Host header must name the address the server
listens on (a DNS-rebinding page cannot send one), it must carry the access token (query
`token=` or header `X-Mtclean-Token`), and a body may not exceed `MAX_BODY` bytes. Page
and assets are the files in `static/`; document text only ever travels as JSON and is put
into the page with `textContent`, so it cannot become markup.
"""

from __future__ import annotations

import hmac
import html
import json
from importlib import resources
from typing import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..editing.session import SaveConflict
from ..editing.teach import TeachError
from ..errors import MtcleanError
from .workspace import NotServed, Stale, Workspace

MAX_BODY = 256 * 1024  # an action carries a finding key and at most a replacement
TOKEN_HEADER = "x-mtclean-token"
ASSETS = {"review.js": "text/javascript", "review.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the URL holds the token
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def guard(app: ASGIApp, token: str, host_ok: Callable[[str], bool]) -> ASGIApp:
    """Refuse requests for another Host, without the token, or with an oversized body."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if not host_ok(headers.get("host", "").lower()):
            return await _refuse(scope, receive, send, 403, "Host not allowed: open the "
                                 "address `mtclean review` printed")
        given = headers.get(TOKEN_HEADER) or _query_token(scope)
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            return await _refuse(scope, receive, send, 403, "missing or wrong access token: "
                                 "open the address `mtclean review` printed")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return await _refuse(scope, receive, send, 413, f"request body over {MAX_BODY} bytes")
        await app(scope, receive, send)

    return guarded


def _query_token(scope: Scope) -> str | None:
    from urllib.parse import parse_qs
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


async def _refuse(scope, receive, send, status: int, why: str) -> None:
    await PlainTextResponse(why + "\n", status_code=status, headers=SECURITY_HEADERS)(scope, receive, send)


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def create_app(workspace: Workspace, token: str, host_ok: Callable[[str], bool]) -> ASGIApp:
    """The review app for `workspace`, guarded by `token` and `host_ok(Host header)`."""

    def answer(fn: Callable[[dict], dict | str]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                if request.method == "POST":
                    if request.headers.get("content-type", "").split(";")[0] != "application/json":
                        return _error(415, "send JSON (Content-Type: application/json)")
                    body = b""
                    async for chunk in request.stream():  # a chunked body has no length
                        body += chunk
                        if len(body) > MAX_BODY:
                            return _error(413, f"request body over {MAX_BODY} bytes")
                    args = json.loads(body or b"{}")
                    if not isinstance(args, dict):
                        return _error(400, "the body must be a JSON object")
                else:
                    args = dict(request.query_params)
                result = fn(args)
            except json.JSONDecodeError:
                return _error(400, "the body is not valid JSON")
            except (KeyError, TypeError):
                return _error(400, "missing or malformed field in the request")
            except NotServed as exc:
                return _error(403, str(exc))
            except SaveConflict as exc:
                return _error(409, str(exc), conflict=True)
            except (Stale, TeachError) as exc:
                return _error(409, str(exc))
            except MtcleanError as exc:
                return _error(422, str(exc))
            except OSError as exc:  # writing at Save: a read-only folder, a full disk
                return _error(422, f"{exc.filename or 'file'}: cannot write ({exc.strerror}); "
                                   "check the folder's permissions and space, then save again")
            if isinstance(result, str):
                return PlainTextResponse(result, headers=SECURITY_HEADERS)
            return JSONResponse(result, headers=SECURITY_HEADERS)
        return endpoint

    ws = workspace

    def text(args: dict, field: str) -> str:
        value = args[field]
        if not isinstance(value, str):
            raise TypeError(field)
        return value

    def maybe(args: dict, field: str) -> str | None:
        return None if args.get(field) is None else text(args, field)

    async def page(request: Request) -> Response:
        page = _static("index.html").replace("{{TOKEN}}", html.escape(token, quote=True))
        return Response(page, media_type="text/html; charset=utf-8",
                        headers=SECURITY_HEADERS)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return _error(404, "no such asset")
        return Response(_static(name), media_type=ASSETS[name] + "; charset=utf-8",
                        headers=SECURITY_HEADERS)

    routes = [
        Route("/", page),
        Route("/static/{name}", asset),
        Route("/api/files", answer(lambda a: {"files": ws.files()})),
        Route("/api/doc", answer(lambda a: ws.state(text(a, "file")))),
        Route("/api/rule", answer(lambda a: ws.rule_doc(text(a, "file"), text(a, "rule")))),
        Route("/api/diff", answer(lambda a: ws.diff(text(a, "file")))),
        Route("/api/accept", answer(lambda a: ws.accept(
            text(a, "file"), text(a, "key"), maybe(a, "replacement"))),
            methods=["POST"]),
        Route("/api/edit", answer(lambda a: ws.edit(text(a, "file"), text(a, "key"),
                                                    text(a, "replacement"))), methods=["POST"]),
        Route("/api/reject", answer(lambda a: ws.reject(text(a, "file"), text(a, "key"))),
              methods=["POST"]),
        Route("/api/teach", answer(lambda a: ws.teach(text(a, "file"), text(a, "key"),
                                                      text(a, "kind"))), methods=["POST"]),
        Route("/api/accept-safe", answer(lambda a: ws.accept_safe(text(a, "file"))), methods=["POST"]),
        Route("/api/undo", answer(lambda a: ws.undo(text(a, "file"))), methods=["POST"]),
        Route("/api/redo", answer(lambda a: ws.redo(text(a, "file"))), methods=["POST"]),
        Route("/api/save", answer(lambda a: ws.save(text(a, "file"))), methods=["POST"]),
        Route("/api/reload", answer(lambda a: ws.reload(text(a, "file"))), methods=["POST"]),
    ]
    return guard(Starlette(routes=routes), token, host_ok)


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=SECURITY_HEADERS)
