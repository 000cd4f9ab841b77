//! `tmd lsp`: a Language Server Protocol server (docs/lsp.md).
//!
//! Synchronous, on `lsp-server`'s channels: one loop reads a message,
//! answers it from the last compilation of the document, and recompiles a
//! changed document once it has been quiet for [`DEBOUNCE`] (or at once
//! when a request needs it), then publishes its diagnostics. The loop
//! does no I/O of its own: the transport is the caller's, and the project
//! configuration comes through a [`Host`] (the CLI's reads `tmd.toml`).

pub mod complete;
pub mod features;
pub mod hover;
pub mod index;
pub mod state;
pub mod text;
pub mod tokens;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::*;
use serde_json::Value;

use state::{Analyzed, Document};
use text::Text;

use crate::CompileOptions;

/// How long a document must be quiet before it is recompiled.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// What the server asks of its surroundings.
pub trait Host {
    /// The options a model at `path` compiles with (its project's
    /// `tmd.toml`), and why the project's configuration could not be used,
    /// when it could not. `path` is None for a document that is not a file.
    fn options(&mut self, path: Option<&Path>) -> (CompileOptions, Option<String>);
}

/// A host with no project: every model compiles with the defaults.
pub struct NoProject;

impl Host for NoProject {
    fn options(&mut self, _path: Option<&Path>) -> (CompileOptions, Option<String>) {
        (CompileOptions::default(), None)
    }
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![
                " ".to_string(),
                ":".to_string(),
                ">".to_string(),
                ",".to_string(),
                "[".to_string(),
            ]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// The `initialize` result.
pub fn initialize_result() -> Value {
    serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "tmd", "version": env!("CARGO_PKG_VERSION") },
    })
}

/// The local path of a `file:` URI.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // An authority (`file://host/...`) is skipped; local paths have none.
    let path = &rest[rest.find('/')?..];
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    Some(PathBuf::from(decoded.into_owned()))
}

/// The server's state.
pub struct Server<'a> {
    connection: &'a Connection,
    host: &'a mut dyn Host,
    documents: BTreeMap<Uri, Document>,
    docs: Option<Uri>,
}

impl<'a> Server<'a> {
    /// `init` is the client's `initialize` parameters:
    /// `initializationOptions.docsUrl` is where the codes' manual is (the
    /// docs folder of tmd's sources by default).
    pub fn new(connection: &'a Connection, host: &'a mut dyn Host, init: &Value) -> Server<'a> {
        let base = init
            .get("initializationOptions")
            .and_then(|o| o.get("docsUrl"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("file://{}/docs", env!("CARGO_MANIFEST_DIR")));
        Server {
            connection,
            host,
            documents: BTreeMap::new(),
            docs: features::docs_href(&base),
        }
    }

    /// Serves until the client shuts the server down (Ok) or the
    /// connection breaks (Err, with why).
    pub fn run(&mut self) -> Result<(), String> {
        loop {
            let deadline = self
                .documents
                .values()
                .filter_map(|d| d.dirty)
                .min()
                .map(|t| t + DEBOUNCE);
            let message = match deadline {
                Some(deadline) => match self.connection.receiver.recv_deadline(deadline) {
                    Ok(message) => Some(message),
                    Err(e) if e.is_timeout() => None,
                    Err(_) => return Err("the client closed the connection".to_string()),
                },
                None => match self.connection.receiver.recv() {
                    Ok(message) => Some(message),
                    Err(_) => return Err("the client closed the connection".to_string()),
                },
            };
            match message {
                Some(Message::Request(request)) => {
                    if self
                        .connection
                        .handle_shutdown(&request)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(request);
                    self.send(response.into());
                }
                Some(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return Err("exit without shutdown".to_string());
                    }
                    self.notification(n);
                }
                Some(Message::Response(_)) | None => {}
            }
            self.flush(false);
        }
    }

    fn send(&self, message: Message) {
        // A closed channel ends the loop at the next receive.
        let _ = self.connection.sender.send(message);
    }

    /// Compiles and publishes every document that has been quiet long
    /// enough (or every changed one, with `all`).
    fn flush(&mut self, all: bool) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| d.dirty.is_some_and(|t| all || t + DEBOUNCE <= now))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.analyze(&uri);
        }
    }

    /// Compiles a document now and publishes its diagnostics.
    fn analyze(&mut self, uri: &Uri) {
        let path = uri_path(uri);
        let (options, problem) = self.host.options(path.as_deref());
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        let analyzed = Analyzed::new(document.text.clone(), options, problem);
        document.dirty = None;
        let diagnostics = features::diagnostics(&analyzed, uri, self.docs.as_ref());
        let version = Some(document.version);
        document.analyzed = Some(analyzed);
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".to_string(), params).into());
    }

    /// The document's compilation, up to date.
    fn fresh(&mut self, uri: &Uri) -> Option<&Analyzed> {
        let document = self.documents.get(uri)?;
        if document.dirty.is_some() || document.analyzed.is_none() {
            self.analyze(uri);
        }
        self.documents.get(uri)?.analyzed.as_ref()
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let item = p.text_document;
                if !is_model(&item.uri, &item.language_id) {
                    return;
                }
                self.documents.insert(
                    item.uri.clone(),
                    Document {
                        version: item.version,
                        text: Text::new(item.text),
                        dirty: None,
                        analyzed: None,
                    },
                );
                self.analyze(&item.uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let Some(document) = self.documents.get_mut(&p.text_document.uri) else {
                    return;
                };
                for change in p.content_changes {
                    let text = text::apply_change(&document.text, change.range, &change.text);
                    document.text = Text::new(text);
                }
                document.version = p.text_document.version;
                document.dirty = Some(Instant::now());
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                if self.documents.remove(&p.text_document.uri).is_some() {
                    let params = PublishDiagnosticsParams {
                        uri: p.text_document.uri,
                        diagnostics: Vec::new(),
                        version: None,
                    };
                    self.send(
                        Notification::new("textDocument/publishDiagnostics".to_string(), params)
                            .into(),
                    );
                }
            }
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                // A saved or changed tmd.toml changes what every model
                // means: recompile them all.
                let touches_config = match n.method.as_str() {
                    "textDocument/didSave" => {
                        serde_json::from_value::<DidSaveTextDocumentParams>(n.params)
                            .is_ok_and(|p| is_config(&p.text_document.uri))
                    }
                    _ => serde_json::from_value::<DidChangeWatchedFilesParams>(n.params)
                        .is_ok_and(|p| p.changes.iter().any(|c| is_config(&c.uri))),
                };
                if touches_config {
                    let now = Instant::now();
                    for document in self.documents.values_mut() {
                        document.dirty = Some(now);
                    }
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let docs = self.docs.clone();
        // The compiler never panics on any text (tests/lsp.rs feeds it
        // every prefix of every fixture); this keeps a bug from ending
        // the editor's session all the same.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.dispatch(request, docs.as_ref())
        }));
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error in tmd lsp; please report it with the file".to_string(),
            ),
        }
    }

    fn dispatch(
        &mut self,
        request: Request,
        docs: Option<&Uri>,
    ) -> Result<Value, (ErrorCode, String)> {
        fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (ErrorCode, String)> {
            serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
        }
        fn json<T: serde::Serialize>(value: T) -> Result<Value, (ErrorCode, String)> {
            serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
        }
        let null = Ok(Value::Null);
        match request.method.as_str() {
            "textDocument/hover" => {
                let p: HoverParams = params(request.params)?;
                let at = p.text_document_position_params;
                let Some(doc) = self.fresh(&at.text_document.uri) else {
                    return null;
                };
                let offset = doc.text.offset(at.position);
                json(hover::hover(doc, offset).map(|(markdown, span)| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: markdown,
                    }),
                    range: Some(doc.text.range(span)),
                }))
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = params(request.params)?;
                let at = p.text_document_position_params;
                let uri = at.text_document.uri;
                let Some(doc) = self.fresh(&uri) else {
                    return null;
                };
                let offset = doc.text.offset(at.position);
                json(GotoDefinitionResponse::Array(features::definition(
                    doc, &uri, offset,
                )))
            }
            "textDocument/references" => {
                let p: ReferenceParams = params(request.params)?;
                let at = p.text_document_position;
                let uri = at.text_document.uri;
                let Some(doc) = self.fresh(&uri) else {
                    return null;
                };
                let offset = doc.text.offset(at.position);
                json(features::references(
                    doc,
                    &uri,
                    offset,
                    p.context.include_declaration,
                ))
            }
            "textDocument/documentHighlight" => {
                let p: DocumentHighlightParams = params(request.params)?;
                let at = p.text_document_position_params;
                let Some(doc) = self.fresh(&at.text_document.uri) else {
                    return null;
                };
                let offset = doc.text.offset(at.position);
                json(features::highlight(doc, offset))
            }
            "textDocument/prepareRename" => {
                let p: TextDocumentPositionParams = params(request.params)?;
                let Some(doc) = self.fresh(&p.text_document.uri) else {
                    return null;
                };
                let offset = doc.text.offset(p.position);
                match features::prepare_rename(doc, offset) {
                    Ok(range) => json(PrepareRenameResponse::Range(range)),
                    Err(why) => Err((ErrorCode::RequestFailed, why)),
                }
            }
            "textDocument/rename" => {
                let p: RenameParams = params(request.params)?;
                let at = p.text_document_position;
                let uri = at.text_document.uri;
                let Some(doc) = self.fresh(&uri) else {
                    return null;
                };
                let offset = doc.text.offset(at.position);
                match features::rename(doc, offset, &p.new_name) {
                    Ok(edits) => json(features::edit(&uri, edits)),
                    Err(why) => Err((ErrorCode::RequestFailed, why)),
                }
            }
            "textDocument/completion" => {
                let p: CompletionParams = params(request.params)?;
                let at = p.text_document_position;
                let Some(document) = self.documents.get(&at.text_document.uri) else {
                    return null;
                };
                // From the text as it is now, parsed or not (no
                // recompilation while typing); the scale of the last
                // compilation.
                let scanned = index::Index::scan(document.text.source());
                let index = Some(&scanned);
                let offset = document.text.offset(at.position);
                let default = crate::model::Scale::default();
                let scale = document
                    .analyzed
                    .as_ref()
                    .and_then(|a| a.model())
                    .map_or(&default, |m| &m.scale);
                json(CompletionResponse::Array(complete::complete(
                    document.text.source(),
                    offset,
                    index,
                    scale,
                )))
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = params(request.params)?;
                let Some(doc) = self.fresh(&p.text_document.uri) else {
                    return null;
                };
                json(DocumentSymbolResponse::Nested(features::document_symbols(
                    doc,
                )))
            }
            "workspace/symbol" => {
                let p: WorkspaceSymbolParams = params(request.params)?;
                self.flush(true);
                let mut out = Vec::new();
                for (uri, document) in &self.documents {
                    if let Some(doc) = &document.analyzed {
                        features::workspace_symbols(doc, uri, &p.query, &mut out);
                    }
                }
                json(WorkspaceSymbolResponse::Flat(out))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = params(request.params)?;
                let uri = p.text_document.uri;
                let Some(doc) = self.fresh(&uri) else {
                    return null;
                };
                json(features::code_actions(doc, &uri, p.range, docs))
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = params(request.params)?;
                let Some(doc) = self.fresh(&p.text_document.uri) else {
                    return null;
                };
                match features::format(doc, &doc.options) {
                    Ok(edits) => json(edits),
                    Err(why) => {
                        let message = ShowMessageParams {
                            typ: MessageType::WARNING,
                            message: why.clone(),
                        };
                        self.send(
                            Notification::new("window/showMessage".to_string(), message).into(),
                        );
                        Err((ErrorCode::RequestFailed, why))
                    }
                }
            }
            "textDocument/semanticTokens/full" => {
                let p: SemanticTokensParams = params(request.params)?;
                let Some(doc) = self.fresh(&p.text_document.uri) else {
                    return null;
                };
                let column0 = if doc.text.text.starts_with('\u{FEFF}') {
                    1
                } else {
                    0
                };
                let toks = tokens::tokens(doc.text.source(), doc.index.as_ref(), column0);
                json(SemanticTokensResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: tokens::encode(&toks),
                }))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("tmd lsp does not handle `{}`", request.method),
            )),
        }
    }
}

/// Whether a document is a model: the client says `tmd`, or its name ends
/// in `.tmd`.
fn is_model(uri: &Uri, language: &str) -> bool {
    language == "tmd" || uri.as_str().ends_with(".tmd")
}

fn is_config(uri: &Uri) -> bool {
    uri.as_str().ends_with("/tmd.toml")
}

/// Serves `connection` after its `initialize` handshake (the caller's),
/// with the client's `initialize` parameters.
pub fn serve(connection: &Connection, host: &mut dyn Host, init: &Value) -> Result<(), String> {
    Server::new(connection, host, init).run()
}

/// The id of a request, for tests that drive the server in memory.
pub fn request_id(n: i32) -> RequestId {
    RequestId::from(n)
}
