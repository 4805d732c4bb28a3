"""The language server: pygls handlers over the open documents and one engine cache.

Settings come from the workspace's own configuration (`.mtclean.toml`, `pyproject.toml`,
found from each file as `mtclean check` finds them) with `initializationOptions` (or a
`workspace/didChangeConfiguration` `mtclean` section) on top: `select`, `ignore`,
`rules`, `grammar`, `languagetool-url`, `config`, and `debounce` (milliseconds).
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..editing import teach
from ..config import Overrides
from ..editing.prepared import EngineCache, grammar_detectors
from ..errors import MtcleanError
from . import actions
from .diagnostics import diagnostic, hover_text
from .documents import LANGUAGES, OpenDocument, uri_to_path

log = logging.getLogger(__name__)
DEFAULT_DEBOUNCE_MS = 50
WATCHED = ("**/.mtclean.toml", "**/mtclean.toml", "**/pyproject.toml", "**/*.yaml",
           "**/*.yml", "**/.mtcleanignore")
_LIST_KEYS = {"select": "select", "ignore": "ignore", "rules": "extend_rules",
              "extend-rules": "extend_rules"}
_STR_KEYS = {"grammar": "grammar", "languagetool-url": "languagetool_url", "config": "config"}


class MtcleanLanguageServer(LanguageServer):
    """Holds the open documents, the settings and the prepared engines."""

    def __init__(self):
        super().__init__("mtclean", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.docs: dict[str, OpenDocument] = {}
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self._grammar = grammar_detectors()  # a grammar server starts once per process
        self._grammar_started: set[tuple[str, str | None]] = set()
        self.engines = EngineCache(Overrides(), self._detectors)
        self._shown: set[str] = set()

    # -- settings -------------------------------------------------------------------------

    def configure(self, options) -> None:
        """Apply client settings (the whole set: what is not given is the default); a bad
        value is reported once and left out."""
        if not isinstance(options, dict):
            return
        options = options.get("mtclean", options)
        values: dict = {}
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        for raw, value in options.items():
            key = raw.replace("_", "-")
            if key in _LIST_KEYS:
                value = [value] if isinstance(value, str) else value
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.error(f"setting '{raw}' must be a list of strings; ignored")
                    continue
                values[_LIST_KEYS[key]] = tuple(value)
            elif key in _STR_KEYS:
                if value is not None and not isinstance(value, str):
                    self.error(f"setting '{raw}' must be a string; ignored")
                    continue
                values[_STR_KEYS[key]] = value
            elif key == "debounce":
                if not isinstance(value, (int, float)) or value < 0:
                    self.error("setting 'debounce' must be a number of milliseconds; ignored")
                    continue
                self.debounce = value / 1000
            else:
                self.error(f"unknown setting '{raw}'; ignored")
        self.engines = EngineCache(Overrides(**values), self._detectors)

    def _detectors(self, choice: str, url: str | None) -> list:
        """The grammar detectors; say so first when a backend starts (LanguageTool takes
        half a minute, and the editor would otherwise wait in silence)."""
        if (choice, url) not in self._grammar_started:
            self._grammar_started.add((choice, url))
            self.window_show_message(types.ShowMessageParams(
                types.MessageType.Info, f"mtclean: starting the grammar backend ({choice})"))
        return self._grammar(choice, url)

    def error(self, message: str) -> None:
        """Show a one-line error once (a broken config would otherwise repeat per keystroke)."""
        log.error(message)
        if message not in self._shown:
            self._shown.add(message)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"mtclean: {message}"))

    # -- checking -------------------------------------------------------------------------

    def publish(self, doc: OpenDocument, full: bool = False) -> None:
        """Check `doc` (incrementally unless `full`) and publish its diagnostics."""
        if doc.timer is not None:
            doc.timer.cancel()
            doc.timer = None
        try:
            found = doc.recheck(self.engines) if full else doc.check(self.engines)
        except MtcleanError as exc:
            self.error(str(exc))
            return
        self._shown.clear()
        rules = {r.id: r for r in doc.prepared.rules} if doc.prepared else {}
        pos = doc.positions
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=doc.uri, version=doc.version,
            diagnostics=[diagnostic(f, pos, rules.get(f.rule), doc.uri) for f in found]))
        doc.last_check = time.monotonic()

    def schedule(self, doc: OpenDocument) -> None:
        """Check a change at once when it follows a quiet spell of `debounce` since the last
        change and the last check (so a single edit shows its result without waiting);
        during a burst of changes (typing), check once the burst pauses for `debounce`."""
        now = time.monotonic()
        quiet = now - max(doc.last_change, doc.last_check) >= self.debounce and doc.timer is None
        doc.last_change = now
        if doc.timer is not None:
            doc.timer.cancel()
            doc.timer = None
        if quiet:
            self.publish(doc)
        else:
            doc.timer = asyncio.get_running_loop().call_later(self.debounce, self.publish, doc)

    def current(self, uri: str) -> OpenDocument | None:
        """The document, checked up to the editor's latest text (requests need that)."""
        doc = self.docs.get(uri)
        if doc is not None and (doc.pending or doc.timer is not None):
            self.publish(doc)
        return doc

    def folder_of(self, path: str) -> Path | None:
        """The innermost workspace folder holding `path` (where a new config goes)."""
        if path == "-":
            return None
        roots = [Path(uri_to_path(f.uri)) for f in self.workspace.folders.values()]
        if self.workspace.root_uri:
            roots.append(Path(uri_to_path(self.workspace.root_uri)))
        inside = [r for r in roots if Path(path).is_relative_to(r)]
        return max(inside, key=lambda r: len(r.parts)) if inside else None

    def recheck_all(self) -> None:
        teach.forget_cached()
        for doc in self.docs.values():
            self.publish(doc, full=True)


def make_server() -> MtcleanLanguageServer:
    """A server with mtclean's handlers registered (one per process; tests start one)."""
    server = MtcleanLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: MtcleanLanguageServer, params: types.InitializeParams):
        ls.configure(params.initialization_options or {})

    @server.feature(types.INITIALIZED)
    async def initialized(ls: MtcleanLanguageServer, params: types.InitializedParams):
        caps = ls.client_capabilities.workspace
        watch = caps and caps.did_change_watched_files
        if watch and watch.dynamic_registration:
            opts = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCHED])
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[
                    types.Registration("mtclean-watch", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, opts)]))
            except Exception as exc:  # the client refused: the mtime check on each edit remains
                log.warning("file watching not registered (%s)", exc)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MtcleanLanguageServer, params: types.DidOpenTextDocumentParams):
        item = params.text_document
        if item.language_id not in LANGUAGES and not item.uri.endswith((".txt", ".md", ".markdown")):
            return
        doc = OpenDocument.opened(item, ls.workspace.position_encoding or "utf-16")
        doc.root = ls.folder_of(doc.path)
        ls.docs[item.uri] = doc
        ls.publish(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MtcleanLanguageServer, params: types.DidChangeTextDocumentParams):
        doc = ls.docs.get(params.text_document.uri)
        if doc is not None:
            doc.change(params.content_changes, params.text_document.version)
            ls.schedule(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MtcleanLanguageServer, params: types.DidCloseTextDocumentParams):
        doc = ls.docs.pop(params.text_document.uri, None)
        if doc is not None:
            if doc.timer is not None:
                doc.timer.cancel()
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: MtcleanLanguageServer, params: types.DidChangeWatchedFilesParams):
        ls.recheck_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def changed_configuration(ls: MtcleanLanguageServer, params: types.DidChangeConfigurationParams):
        if isinstance(params.settings, dict) and "mtclean" in params.settings:
            ls.configure(params.settings["mtclean"])
            ls.recheck_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: MtcleanLanguageServer, params: types.HoverParams):
        doc = ls.current(params.text_document.uri)
        if doc is None or doc.session is None:
            return None
        at = doc.positions.offset(params.position)
        found = [f for f in doc.session.findings if f.start <= at <= f.end]
        if not found:
            return None
        rules = {r.id: r for r in doc.prepared.rules}
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, hover_text(found, rules)),
                           range=doc.positions.range(found[0].start, found[0].end))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND]))
    def code_action(ls: MtcleanLanguageServer, params: types.CodeActionParams):
        doc = ls.current(params.text_document.uri)
        if doc is None:
            return None
        rules = {r.id: r for r in doc.prepared.rules} if doc.prepared else {}
        return actions.actions_at(doc, params.range, params.context.only, rules,
                                  ls.engines.settings.config)

    @server.command(actions.TEACH_COMMAND)
    def teach_command(ls: MtcleanLanguageServer, *args):
        """Write a teaching (sidecar, lexicon, config) for one finding, then re-check."""
        if len(args) != 3 or not all(isinstance(a, str) for a in args):
            ls.error(f"{actions.TEACH_COMMAND} takes a document URI, a kind and a finding key")
            return None
        uri, kind, key = args
        doc = ls.current(uri)
        try:
            t = actions.run_teaching(doc, kind, key, ls.engines.settings.config) if doc else None
            if t is None:
                ls.error("that finding is gone (the text changed); ask for the action again")
                return None
            teach.write_files(t)
        except MtcleanError as exc:
            ls.error(str(exc))
            return None
        if t.edits:
            ls.workspace_apply_edit(types.ApplyWorkspaceEditParams(
                actions.workspace_edit(doc, [(e.start, e.end, e.replacement) for e in t.edits]), label=t.title))
        ls.recheck_all()
        return None

    return server


def main() -> None:
    """Serve over stdin/stdout until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="mtclean-lsp: %(message)s")
    make_server().start_io()
