"""`tmd lsp` through a real client: pytest-lsp starts the server as an
editor would (stdio), speaks the protocol with pygls's client and checks
every answer against the client capabilities it announced (VS Code's).

Run after `cargo build`: `python3 -m pytest tests/lsp` (the binary is
`target/debug/tmd`, or $TMD_BIN).
"""

import os
import pathlib
import re

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
TMD = os.environ.get("TMD_BIN", str(ROOT / "target" / "debug" / "tmd"))
SAMPLE = ROOT / "samples" / "acme-ecommerce.tmd"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[TMD, "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=ROOT.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, path: pathlib.Path, text: str | None = None):
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="tmd", version=1, text=text if text is not None else path.read_text()
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def where(text: str, needle: str, nth: int = 0, shift: int = 0) -> types.Position:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += shift
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    return types.Position(line=line, character=len(text[start:at].encode("utf-16-le")) // 2)


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_diagnostics_as_you_type(client: LanguageClient, tmp_path):
    path = tmp_path / "m.tmd"
    uri = await open_doc(client, path, "process api\nflow api -> ap1\n")
    [d] = [d for d in client.diagnostics[uri] if d.code == "TMD003"]
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.range.start == types.Position(line=1, character=12)
    assert "did you mean `api`" in d.message
    assert d.code_description.href.endswith("language.md#14-diagnostics")
    # An edit: fresh diagnostics, after the debounce, for the new version.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=1, character=12), end=types.Position(line=1, character=15)),
                    text="api",
                )
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [d.code for d in client.diagnostics[uri]]
    assert "TMD003" not in codes and "TMD009" in codes  # now a flow to itself


async def test_tmd_toml_is_respected(client: LanguageClient, tmp_path):
    model = "process api\nthreat T1 on api { scenario: \"s\", severity: low }\n"
    (tmp_path / ".git").mkdir()
    plain = tmp_path / "plain"
    plain.mkdir()
    uri = await open_doc(client, plain / "m.tmd", model)
    assert "TMD118" not in [d.code for d in client.diagnostics[uri]]
    strict = tmp_path / "strict"
    strict.mkdir()
    (strict / "tmd.toml").write_text('[checks]\nenable = ["TMD118"]\n')
    uri = await open_doc(client, strict / "m.tmd", model)
    assert "TMD118" in [d.code for d in client.diagnostics[uri]]


async def test_hover_element_threat_flow(client: LanguageClient):
    text = SAMPLE.read_text()
    uri = await open_doc(client, SAMPLE)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=where(text, "order_api -> order_db", shift=2))
    )
    md = hover.contents.value
    for part in ["**process** `order_api`", "In: `aws`", "Flows out", "Crossings", "Threats", "STRIDE gaps"]:
        assert part in md, (part, md)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=where(text, "threat T3", shift=8))
    )
    assert "from the primer's matrix: ease `easy` × impact `problematic` gives `high`" in hover.contents.value
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(uri), position=where(text, "pull_order:"))
    )
    assert "Crosses: out of `aws`, into `warehouse`" in hover.contents.value


async def test_definition_references_highlight(client: LanguageClient):
    text = SAMPLE.read_text()
    uri = await open_doc(client, SAMPLE)
    at = where(text, "on pull_order", shift=4)
    [loc] = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(uri), position=at)
    )
    assert loc.range.start == where(text, "pull_order:")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri), position=at, context=types.ReferenceContext(include_declaration=True)
        )
    )
    assert len(refs) == 2
    marks = await client.text_document_document_highlight_async(
        types.DocumentHighlightParams(text_document=doc(uri), position=at)
    )
    assert sorted(m.kind for m in marks) == [types.DocumentHighlightKind.Read, types.DocumentHighlightKind.Write]


async def test_rename_and_its_refusals(client: LanguageClient):
    text = SAMPLE.read_text()
    uri = await open_doc(client, SAMPLE)
    at = where(text, "wms", shift=1)
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc(uri), position=at, new_name="warehouse_system")
    )
    edits = edit.changes[uri]
    assert len(edits) == len(re.findall(r"\bwms\b", text))
    assert {e.new_text for e in edits} == {"warehouse_system"}
    for bad in ["flow", "courier", "2x"]:
        with pytest.raises(Exception):
            await client.text_document_rename_async(
                types.RenameParams(text_document=doc(uri), position=at, new_name=bad)
            )


async def test_completion_in_context(client: LanguageClient, tmp_path):
    text = "external user\nprocess api\nflow \n"
    uri = await open_doc(client, tmp_path / "c.tmd", text)
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=types.Position(line=2, character=5))
    )
    labels = [i.label for i in (items.items if hasattr(items, "items") else items)]
    assert labels == ["user", "api"]
    items = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=types.Position(line=3, character=0))
    )
    labels = [i.label for i in (items.items if hasattr(items, "items") else items)]
    assert "threat" in labels and "boundary" in labels


async def test_symbols(client: LanguageClient):
    uri = await open_doc(client, SAMPLE)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri))
    )
    aws = next(s for s in symbols if s.name == "aws")
    assert [c.name for c in aws.children] == ["order_api", "order_db", "fulfillment_queue"]
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="order"))
    assert {"order_api", "order_db", "pull_order"} <= {s.name for s in found}


async def test_formatting_and_its_refusal(client: LanguageClient, tmp_path):
    uri = await open_doc(client, tmp_path / "f.tmd", "process   api\nprocess db\nflow api->db\n")
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    [edit] = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=options)
    )
    assert edit.new_text == "process api\nprocess db\nflow api -> db\n"
    uri = await open_doc(client, tmp_path / "g.tmd", "process   api\nflow api -> nowhere\n")
    with pytest.raises(Exception, match="has errors"):
        await client.text_document_formatting_async(
            types.DocumentFormattingParams(text_document=doc(uri), options=options)
        )


async def test_code_actions(client: LanguageClient, tmp_path):
    text = "external user\nboundary dc {\n  process api\n}\nflow user -> api\nflow api -> usr\n"
    uri = await open_doc(client, tmp_path / "a.tmd", text)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri),
            range=types.Range(start=types.Position(line=4, character=0), end=types.Position(line=5, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    assert "Change to `user`" in titles
    assert "Add a threat on this crossing" in titles
    assert "Allow TMD106 here (with a reason)" in titles


async def test_semantic_tokens(client: LanguageClient):
    uri = await open_doc(client, SAMPLE)
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc(uri))
    )
    assert len(tokens.data) % 5 == 0 and len(tokens.data) > 500
