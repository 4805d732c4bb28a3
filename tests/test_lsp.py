"""The language server, driven by pytest-lsp's real client over stdio (`mtclean lsp` runs
as a subprocess): diagnostics, UTF-16 positions, code actions, teachings, configuration."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Union

import pytest
import pytest_lsp
from lsprotocol import types
from conftest import rule_yaml
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities, make_test_lsp_client

pytestmark = pytest.mark.asyncio

NAMES = ("Foreign Minister Arvid Kostelnik met the press on Friday.\n\n"
         "Kostelnik said talks would resume next month.\n\n"
         "Kostelnick added that a deal could come this year.\n")


def _client() -> LanguageClient:
    """pytest-lsp's client, except that a code action carrying a command object is read
    as a CodeAction (lsprotocol's hook reads any object with `command` as a Command; the
    spec, and VS Code, tell them apart by `command` being a string)."""
    client = make_test_lsp_client()
    conv = client.protocol._converter

    def code_action_or_command(obj, _):
        kind = types.Command if isinstance(obj.get("command"), str) else types.CodeAction
        return conv.structure(obj, kind)

    conv.register_structure_hook(Union[types.Command, types.CodeAction], code_action_or_command)
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "mtclean", "lsp"],
                            client_factory=_client)


def _init(root: Path, options=None) -> types.InitializeParams:
    caps = client_capabilities("visual-studio-code")
    return types.InitializeParams(capabilities=caps, root_uri=root.as_uri(),
                                  initialization_options=options or {"debounce": 20})


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path):
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(_init(tmp_path))
    yield
    await lsp_client.shutdown_session()


def accept_registrations(client: LanguageClient) -> None:
    """Accept dynamic registrations (as VS Code does) and remember them."""
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)


async def wait_for(client, uri, pred, timeout=30.0):
    """Poll the diagnostics the client received for `uri` until `pred` holds."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        diags = client.diagnostics.get(uri)
        if diags is not None and pred(diags):
            return list(diags)
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out; last diagnostics: {client.diagnostics.get(uri)}")


def codes(diags):
    return sorted(str(d.code) for d in diags)


def open_doc(client, path: Path, text: str, language="plaintext") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    return uri


def change(client, uri, version, start, end, text):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(*start), types.Position(*end)), text=text)]))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply TextEdits the way an editor does (UTF-16 columns), last one first."""
    lines = text.split("\n")

    def offset(p):
        line = lines[p.line] if p.line < len(lines) else ""
        units = line.encode("utf-16-le")[:2 * p.character].decode("utf-16-le")
        return sum(len(l) + 1 for l in lines[:p.line]) + len(units)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = offset(e.range.start), offset(e.range.end)
        text = text[:a] + e.new_text + text[b:]
    return text


def workspace_edits(action: types.CodeAction) -> list[types.TextEdit]:
    return [e for dc in action.edit.document_changes for e in dc.edits]


async def test_diagnostics_on_open_carry_code_source_severity_and_docs(client, tmp_path):
    uri = open_doc(client, tmp_path / "a.txt", "Trade grew , officials said.\n")
    (d,) = await wait_for(client, uri, lambda ds: len(ds) > 0)
    assert d.code == "SPC002" and d.source == "mtclean"
    assert d.severity == types.DiagnosticSeverity.Warning
    assert d.range == types.Range(types.Position(0, 10), types.Position(0, 11))
    assert d.code_description.href.startswith("file://") and d.code_description.href.endswith("spacing.yaml")
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri), types.Position(0, 10)))
    assert "SPC002" in hover.contents.value and "## Why it matters" in hover.contents.value


async def test_positions_are_utf16_after_astral_characters(client, tmp_path):
    # 𠮷 and 😀 are two UTF-16 units each, 北京 one each: the stray space sits at
    # code point 19 but UTF-16 column 21.
    text = "𠮷野家 in 北京 😀 grew , officials said.\n"
    col = text.index(" ,")
    uri = open_doc(client, tmp_path / "u.txt", text)
    diags = await wait_for(client, uri, lambda ds: "SPC002" in codes(ds))
    d = next(d for d in diags if d.code == "SPC002")
    assert d.range.start == types.Position(0, col + 2) and d.range.end == types.Position(0, col + 3)
    # an edit sent in UTF-16 units removes exactly that space
    change(client, uri, 2, (0, col + 2), (0, col + 3), "")
    await wait_for(client, uri, lambda ds: "SPC002" not in codes(ds))
    # a full-width comma after the astral characters, on the second line
    change(client, uri, 3, (1, 0), (1, 0), "𠮷 said，then left.\n")
    diags = await wait_for(client, uri, lambda ds: "CJK001" in codes(ds))
    d = next(d for d in diags if d.code == "CJK001")
    assert d.range.start == types.Position(1, 7) and d.range.end == types.Position(1, 8)


async def test_change_rechecks_and_moves_findings(client, tmp_path):
    text = "First paragraph is fine.\n\nTrade grew , officials said.\n"
    uri = open_doc(client, tmp_path / "c.txt", text)
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC002"])
    change(client, uri, 2, (0, 0), (0, 0), "A new  line.\n")  # SPC001 added, SPC002 moves down
    diags = await wait_for(client, uri, lambda ds: codes(ds) == ["SPC001", "SPC002"])
    spc2 = next(d for d in diags if d.code == "SPC002")
    assert spc2.range.start == types.Position(3, 10)


async def test_code_actions_quick_fix_and_fix_all(client, tmp_path):
    text = "Trade grew , officials said.\n\nThe fair opened in the the city.\n"
    uri = open_doc(client, tmp_path / "f.txt", text)
    diags = await wait_for(client, uri, lambda ds: codes(ds) == ["REP001", "SPC002"])
    d = next(d for d in diags if d.code == "SPC002")
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    titles = [a.title for a in acts]
    fix = next(a for a in acts if a.title.startswith("Delete"))
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert apply_edits(text, workspace_edits(fix)).startswith("Trade grew, officials")
    assert any(t.startswith("Always ignore SPC002") for t in titles)
    assert any(t.startswith("Disable SPC002") for t in titles)
    fix_all = next(a for a in acts if a.kind == "source.fixAll.mtclean")
    assert apply_edits(text, workspace_edits(fix_all)) == (
        "Trade grew, officials said.\n\nThe fair opened in the city.\n")
    only = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([], only=["source.fixAll"])))
    assert [a.kind for a in only] == ["source.fixAll.mtclean"]


async def test_ignore_in_plain_text_writes_the_sidecar(client, tmp_path):
    uri = open_doc(client, tmp_path / "g.txt", "Trade grew , officials said.\n")
    (d,) = await wait_for(client, uri, lambda ds: len(ds) == 1)
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    ignore = next(a for a in acts if a.title.startswith("Always ignore"))
    assert ignore.edit is None
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        ignore.command.command, ignore.command.arguments))
    await wait_for(client, uri, lambda ds: not ds)
    assert 'g.txt  SPC002  " "' in (tmp_path / ".mtcleanignore").read_text()


async def test_ignore_in_markdown_is_an_inline_comment(client, tmp_path):
    text = "# Notes\n\nTrade grew , officials said.\n"
    uri = open_doc(client, tmp_path / "h.md", text, language="markdown")
    (d,) = await wait_for(client, uri, lambda ds: len(ds) == 1)
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    ignore = next(a for a in acts if a.title.startswith("Ignore SPC002"))
    new = apply_edits(text, workspace_edits(ignore))
    assert new == "# Notes\n\nTrade grew , officials said. <!-- mtclean: ignore SPC002 -->\n"
    change(client, uri, 2, (2, 28), (2, 28), " <!-- mtclean: ignore SPC002 -->")
    await wait_for(client, uri, lambda ds: not ds)


async def test_this_spelling_is_right_and_disable_rule(client, tmp_path):
    uri = open_doc(client, tmp_path / "desk" / "n.txt", NAMES)  # the config goes to the root
    diags = await wait_for(client, uri, lambda ds: "NAME001" in codes(ds))
    d = next(d for d in diags if d.code == "NAME001")
    # the diagnostic links to where the document uses the spelling the fix proposes
    assert [(r.location.range.start.line, r.message) for r in d.related_information] == [
        (0, "“Kostelnik” here"), (2, "“Kostelnik” here")]
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    right = next(a for a in acts if "is the right spelling" in a.title)
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        right.command.command, right.command.arguments))
    diags = await wait_for(client, uri, lambda ds: "NAME001" not in codes(ds))
    assert "canonical: Kostelnick" in (tmp_path / "mtclean-names.yaml").read_text()
    assert (tmp_path / ".mtclean.toml").read_text() == 'names = ["mtclean-names.yaml"]\n'
    d = next(d for d in diags if d.code == "NAME002")  # the other spelling is now the odd one
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    off = next(a for a in acts if a.title.startswith("Disable NAME002"))
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        off.command.command, off.command.arguments))
    await wait_for(client, uri, lambda ds: not any(c.startswith("NAME") for c in codes(ds)))


async def test_config_file_change_takes_effect_without_restart(client, tmp_path):
    uri = open_doc(client, tmp_path / "k.txt", "Trade grew , officials said.\n")
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC002"])
    (tmp_path / ".mtclean.toml").write_text('ignore = ["SPC002"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent((tmp_path / ".mtclean.toml").as_uri(), types.FileChangeType.Created)]))
    await wait_for(client, uri, lambda ds: not ds)
    # without a notification, the next edit notices the changed file by itself
    (tmp_path / ".mtclean.toml").write_text('ignore = ["SPC001", "BOIL"]\n', encoding="utf-8")  # new size too
    change(client, uri, 2, (1, 0), (1, 0), "\nPrices  rose.\n")
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC002"])


async def test_settings_from_the_client(client, tmp_path):
    uri = open_doc(client, tmp_path / "s.txt", "Trade grew , officials said.\n\nIt  rose.\n")
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC001", "SPC002"])
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"mtclean": {"select": ["SPC001"], "debounce": 0}}))
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC001"])


@pytest_lsp.fixture(config=SERVER)
async def selective_client(lsp_client: LanguageClient, tmp_path):
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(_init(tmp_path, {"ignore": ["spacing"], "debounce": 0}))
    yield
    await lsp_client.shutdown_session()


async def test_initialization_options(selective_client, tmp_path):
    client = selective_client
    uri = open_doc(client, tmp_path / "i.txt", "Trade grew , officials said，he added.\n")
    await wait_for(client, uri, lambda ds: codes(ds) == ["CJK001"])


async def test_each_candidate_is_a_quick_fix(client, tmp_path):
    text = ("Arvid Kostelnik met the press.\n\nKostelnik said talks would resume.\n\n"
            "Kostelnick added more.\n\nKostelnik left.\n\nLater Kostelnikk spoke.\n")
    uri = open_doc(client, tmp_path / "v.txt", text)
    diags = await wait_for(client, uri, lambda ds: codes(ds) == ["NAME001", "NAME001"])
    d = diags[0]
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    fixes = [a for a in acts if a.title.startswith("Replace")]
    assert [a.title for a in fixes] == ["Replace “Kostelnick” with “Kostelnik” (NAME001)",
                                        "Replace “Kostelnick” with “Kostelnikk” (NAME001)"]
    assert not any(a.is_preferred for a in fixes)  # unsafe: never applied by "auto fix"
    assert "Kostelnikk added" in apply_edits(text, workspace_edits(fixes[1]))


async def test_a_broken_config_is_one_message_and_the_server_recovers(client, tmp_path):
    cfg = tmp_path / ".mtclean.toml"
    cfg.write_text("selct = ['SPC']\n", encoding="utf-8")
    uri = open_doc(client, tmp_path / "b.txt", "Trade grew , officials said.\n")
    loop = asyncio.get_running_loop()
    end = loop.time() + 30
    while not client.messages and loop.time() < end:
        await asyncio.sleep(0.02)
    (msg,) = client.messages
    assert msg.type == types.MessageType.Error
    assert "unknown key 'selct'" in msg.message and ".mtclean.toml" in msg.message
    cfg.write_text("select = ['SPC']\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(cfg.as_uri(), types.FileChangeType.Changed)]))
    await wait_for(client, uri, lambda ds: codes(ds) == ["SPC002"])


@pytest_lsp.fixture(config=SERVER)
async def utf8_client(lsp_client: LanguageClient, tmp_path):
    accept_registrations(lsp_client)
    params = _init(tmp_path)
    params.capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16])
    result = await lsp_client.initialize_session(params)
    lsp_client.negotiated = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def test_a_client_that_prefers_utf8_gets_byte_columns(utf8_client, tmp_path):
    client = utf8_client
    assert client.negotiated == types.PositionEncodingKind.Utf8
    text = "𠮷 北京 grew , officials said.\n"
    col = len(text[:text.index(" ,")].encode("utf-8"))
    uri = open_doc(client, tmp_path / "e.txt", text)
    diags = await wait_for(client, uri, lambda ds: "SPC002" in codes(ds))
    d = next(d for d in diags if d.code == "SPC002")
    assert d.range.start == types.Position(0, col) and d.range.end == types.Position(0, col + 1)
    han = next(d for d in diags if d.code == "CJK004" and d.range.start.character > 0)
    assert han.range == types.Range(types.Position(0, 5), types.Position(0, 11))  # 北京: 3 bytes each


@pytest_lsp.fixture(config=SERVER)
async def grammar_client(lsp_client: LanguageClient, tmp_path):
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(_init(tmp_path, {"grammar": "harper", "debounce": 0}))
    yield
    await lsp_client.shutdown_session()


async def test_grammar_backend_findings_when_configured(grammar_client, tmp_path):
    client = grammar_client
    uri = open_doc(client, tmp_path / "gr.txt", "The reporters buyed two tickets , then left.\n")
    diags = await wait_for(client, uri, lambda ds: any(str(d.code).startswith("HARPER/") for d in ds))
    assert "SPC002" in codes(diags)
    assert [m.message for m in client.messages] == ["mtclean: starting the grammar backend (harper)"]
    d = next(d for d in diags if str(d.code).startswith("HARPER/"))
    assert d.source == "mtclean" and d.range.start == types.Position(0, 14)
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    assert any(a.title == "Replace “buyed” with “bought” (" + d.code + ")" for a in acts)


async def test_untitled_buffer_and_close(client, tmp_path):
    uri = "untitled:Untitled-1"
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="plaintext", version=1, text="Trade grew , officials said.\n")))
    (d,) = await wait_for(client, uri, lambda ds: len(ds) == 1)
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    # no file, so no sidecar to write: only the fixes are offered
    assert [a.title for a in acts] == ["Delete a space (SPC002)", "Fix all safe mtclean issues"]
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await wait_for(client, uri, lambda ds: not ds)


async def test_a_changed_rule_file_takes_effect_without_restart(client, tmp_path):
    (tmp_path / ".mtclean.toml").write_text('extend-rules = ["house.yaml"]\n', encoding="utf-8")
    rules = tmp_path / "house.yaml"
    rules.write_text(rule_yaml("USR001", pattern="colour"), encoding="utf-8")
    uri = open_doc(client, tmp_path / "r.txt", "The colour of the flavour.\n")
    await wait_for(client, uri, lambda ds: codes(ds) == ["USR001"])
    rules.write_text(rule_yaml("USR002", pattern="flavour", replacement="flavor",
                               flag="The flavour.", fixed="The flavor.", passing="The flavor."),
                     encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([
        types.FileEvent(rules.as_uri(), types.FileChangeType.Changed)]))
    (d,) = await wait_for(client, uri, lambda ds: codes(ds) == ["USR002"])
    assert d.range.start == types.Position(0, 18)


@pytest_lsp.fixture(config=SERVER)
async def multi_root_client(lsp_client: LanguageClient, tmp_path):
    accept_registrations(lsp_client)
    params = _init(tmp_path)
    (tmp_path / "desk" / "sport").mkdir(parents=True)
    params.workspace_folders = [
        types.WorkspaceFolder((tmp_path / "desk").as_uri(), "desk"),
        types.WorkspaceFolder((tmp_path / "desk" / "sport").as_uri(), "sport")]
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_a_new_lexicon_goes_to_the_innermost_workspace_folder(multi_root_client, tmp_path):
    client = multi_root_client
    uri = open_doc(client, tmp_path / "desk" / "sport" / "day1" / "n.txt", NAMES)
    diags = await wait_for(client, uri, lambda ds: "NAME001" in codes(ds))
    d = next(d for d in diags if d.code == "NAME001")
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
    right = next(a for a in acts if "is the right spelling" in a.title)
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        right.command.command, right.command.arguments))
    await wait_for(client, uri, lambda ds: "NAME001" not in codes(ds))
    assert (tmp_path / "desk" / "sport" / "mtclean-names.yaml").is_file()
    assert not (tmp_path / "desk" / ".mtclean.toml").exists()
