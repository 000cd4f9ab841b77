//! The requests that read the index: definition, references, highlight,
//! rename, symbols; code actions, formatting and diagnostics.

use std::collections::HashMap;

use lsp_types::*;

use super::index::{Index, Kind, Occurrence};
use super::state::Analyzed;
use crate::diagnostic::{Diagnostic as TmdDiagnostic, Level};
use crate::model::BUILTIN_ACTORS;
use crate::span::Span;

/// A name, where it stands under the cursor, and every span where it
/// occurs (each with whether it is a declaration).
type Occurrences = (String, Span, Vec<(Span, bool)>);

/// The name under the cursor and every span where it occurs.
fn occurrences(doc: &Analyzed, offset: usize) -> Option<Occurrences> {
    let index = doc.index.as_ref()?;
    let occurrence = index.at(offset)?;
    let (name, span) = index.name_of(occurrence)?;
    Some((name.to_string(), span, index.occurrences_of(name)))
}

pub fn definition(doc: &Analyzed, uri: &Uri, offset: usize) -> Vec<Location> {
    let Some(index) = &doc.index else {
        return Vec::new();
    };
    let Some((name, _)) = index.at(offset).and_then(|o| index.name_of(o)) else {
        return Vec::new();
    };
    index
        .defs_of(name)
        .map(|d| Location::new(uri.clone(), doc.text.range(d.span)))
        .collect()
}

pub fn references(doc: &Analyzed, uri: &Uri, offset: usize, declaration: bool) -> Vec<Location> {
    let Some((_, _, all)) = occurrences(doc, offset) else {
        return Vec::new();
    };
    all.into_iter()
        .filter(|(_, is_def)| declaration || !is_def)
        .map(|(span, _)| Location::new(uri.clone(), doc.text.range(span)))
        .collect()
}

pub fn highlight(doc: &Analyzed, offset: usize) -> Vec<DocumentHighlight> {
    let Some((_, _, all)) = occurrences(doc, offset) else {
        return Vec::new();
    };
    all.into_iter()
        .map(|(span, is_def)| DocumentHighlight {
            range: doc.text.range(span),
            kind: Some(if is_def {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        })
        .collect()
}

/// The range of the ID a rename would change, or why it cannot.
pub fn prepare_rename(doc: &Analyzed, offset: usize) -> Result<Range, String> {
    let Some((name, span, _)) = occurrences(doc, offset) else {
        return Err("no ID here to rename".to_string());
    };
    let index = doc.index.as_ref().ok_or("the file does not parse")?;
    if index.defs_of(&name).next().is_none() {
        return Err(format!("`{name}` is not declared in this file"));
    }
    Ok(doc.text.range(span))
}

/// Whether `name` can be written as an ID.
pub fn is_id(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The edits of renaming the ID at `offset` to `new_name`, or why not.
pub fn rename(doc: &Analyzed, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, String> {
    let index = doc
        .index
        .as_ref()
        .ok_or("the file does not parse: fix its syntax error first")?;
    prepare_rename(doc, offset)?;
    let (name, _, all) = occurrences(doc, offset).ok_or("no ID here to rename")?;
    if !is_id(new_name) {
        return Err(format!(
            "`{new_name}` is not an ID: a letter or `_`, then letters, digits or `_`"
        ));
    }
    if crate::syntax::is_keyword(new_name) {
        return Err(format!("`{new_name}` is a keyword of the language"));
    }
    if new_name == name {
        return Ok(Vec::new());
    }
    if index.defs_of(new_name).next().is_some() {
        return Err(format!("`{new_name}` is already declared in this file"));
    }
    if BUILTIN_ACTORS.iter().any(|(n, _)| *n == new_name) {
        return Err(format!("`{new_name}` is a built-in actor"));
    }
    Ok(all
        .into_iter()
        .map(|(span, _)| TextEdit::new(doc.text.range(span), new_name.to_string()))
        .collect())
}

pub fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::External => SymbolKind::INTERFACE,
        Kind::Process => SymbolKind::CLASS,
        Kind::Store => SymbolKind::STRUCT,
        Kind::Boundary => SymbolKind::NAMESPACE,
        Kind::Flow => SymbolKind::EVENT,
        Kind::Actor => SymbolKind::OBJECT,
        Kind::Threat => SymbolKind::FIELD,
        Kind::Scale => SymbolKind::ENUM,
        Kind::Control => SymbolKind::PROPERTY,
        Kind::Asset => SymbolKind::CONSTANT,
        Kind::Assumption => SymbolKind::BOOLEAN,
    }
}

fn detail(kind: Kind, label: &Option<String>) -> String {
    match label {
        Some(label) => format!(
            "{} \"{}\"",
            kind.as_str(),
            crate::emit::text::visible(label)
        ),
        None => kind.as_str().to_string(),
    }
}

/// The boundary tree with its elements, then flows, threats and the rest,
/// as written. Unnamed flows are listed as `SOURCE -> TARGET`.
#[allow(deprecated)] // DocumentSymbol::deprecated must be written
pub fn document_symbols(doc: &Analyzed) -> Vec<DocumentSymbol> {
    let Some(index) = &doc.index else {
        return Vec::new();
    };
    let mut symbols: Vec<(Option<usize>, DocumentSymbol)> = index
        .defs
        .iter()
        .map(|d| {
            (
                d.parent,
                DocumentSymbol {
                    name: d.name.clone(),
                    detail: Some(detail(d.kind, &d.label)),
                    kind: symbol_kind(d.kind),
                    tags: None,
                    deprecated: None,
                    range: doc.text.range(d.statement),
                    selection_range: doc.text.range(d.span),
                    children: None,
                },
            )
        })
        .collect();
    // Unnamed flows: their ends are the first two endpoint references of
    // the statement; list them by their implicit name.
    if let Some(file) = &doc.compilation.file {
        for statement in file.statements() {
            if let crate::syntax::ast::StatementKind::Flow(f) = &statement.kind {
                if f.id.is_none() {
                    symbols.push((
                        None,
                        DocumentSymbol {
                            name: format!("{} -> {}", f.source.text, f.target.text),
                            detail: Some(detail(
                                Kind::Flow,
                                &f.label.as_ref().map(|l| l.value.clone()),
                            )),
                            kind: SymbolKind::EVENT,
                            tags: None,
                            deprecated: None,
                            range: doc.text.range(statement.span),
                            selection_range: doc.text.range(f.source.span.to(f.target.span)),
                            children: None,
                        },
                    ));
                }
            }
        }
    }
    // Children after their parents: fold from the end, iteratively.
    let count = index.defs.len();
    let mut children: Vec<Vec<DocumentSymbol>> = vec![Vec::new(); count];
    let mut top = Vec::new();
    let mut extra: Vec<DocumentSymbol> = symbols
        .split_off(count.min(symbols.len()))
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    for (i, (parent, mut symbol)) in symbols.into_iter().enumerate().rev() {
        if let Some(mine) = children.get_mut(i) {
            let mut mine = std::mem::take(mine);
            if !mine.is_empty() {
                mine.reverse();
                symbol.children = Some(mine);
            }
        }
        match parent.and_then(|p| children.get_mut(p)) {
            Some(list) => list.push(symbol),
            None => top.push(symbol),
        }
    }
    top.reverse();
    top.append(&mut extra);
    top.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    top
}

/// The IDs of one document whose name holds `query` (any case).
#[allow(deprecated)] // SymbolInformation::deprecated must be written
pub fn workspace_symbols(doc: &Analyzed, uri: &Uri, query: &str, out: &mut Vec<SymbolInformation>) {
    let Some(index) = &doc.index else {
        return;
    };
    let query = query.to_lowercase();
    for d in &index.defs {
        if d.name.to_lowercase().contains(&query) {
            out.push(SymbolInformation {
                name: d.name.clone(),
                kind: symbol_kind(d.kind),
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), doc.text.range(d.span)),
                container_name: d
                    .parent
                    .and_then(|p| index.defs.get(p))
                    .map(|p| p.name.clone()),
            });
        }
    }
}

/// Where the manual of the codes is: a docs folder given by the client,
/// else the one this tmd was built from.
pub fn docs_href(base: &str) -> Option<Uri> {
    format!("{}/language.md#14-diagnostics", base.trim_end_matches('/'))
        .parse()
        .ok()
}

pub fn diagnostic(doc: &Analyzed, uri: &Uri, d: &TmdDiagnostic, docs: Option<&Uri>) -> Diagnostic {
    let mut message = d.message.clone();
    if !d.label.is_empty() && d.label != d.message {
        message.push_str(&format!(" ({})", d.label));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), doc.text.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    Diagnostic {
        range: doc.text.range(d.span),
        severity: Some(match d.level {
            Level::Error => DiagnosticSeverity::ERROR,
            Level::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: docs.map(|href| CodeDescription { href: href.clone() }),
        source: Some("tmd".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn diagnostics(doc: &Analyzed, uri: &Uri, docs: Option<&Uri>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = doc
        .compilation
        .diagnostics
        .iter()
        .map(|d| diagnostic(doc, uri, d, docs))
        .collect();
    if let Some(problem) = &doc.config_problem {
        out.insert(
            0,
            Diagnostic {
                range: Range::new(Position::new(0, 0), Position::new(0, 0)),
                severity: Some(DiagnosticSeverity::WARNING),
                code: Some(NumberOrString::String("TMD015".to_string())),
                code_description: docs.map(|href| CodeDescription { href: href.clone() }),
                source: Some("tmd".to_string()),
                message: format!(
                    "{problem}; this model is checked with the defaults until it is fixed"
                ),
                related_information: None,
                tags: None,
                data: None,
            },
        );
    }
    out
}

/// `tmd fmt` of the document: the edit, or why not.
pub fn format(doc: &Analyzed, options: &crate::CompileOptions) -> Result<Vec<TextEdit>, String> {
    let c = &doc.compilation;
    let (Some(file), false) = (c.file.as_ref(), c.has_errors()) else {
        return Err(
            "tmd fmt: the file has errors; it is left as it is (fix the errors first)".to_string(),
        );
    };
    let formatted = crate::fmt::format(file, &c.source);
    if let Err(problem) = crate::fmt::verify::verify_with(c, &formatted, options) {
        return Err(format!(
            "tmd fmt: internal error ({problem}); the file is left as it is"
        ));
    }
    if formatted == doc.text.source() {
        return Ok(Vec::new());
    }
    // The byte-order mark, if any, stays: the edit covers what follows it.
    let range = Range::new(doc.text.position(0), doc.text.whole().end);
    Ok(vec![TextEdit::new(range, formatted)])
}

/// "did you mean `X`?" in a hint: X.
fn suggestion(help: &str) -> Option<&str> {
    let rest = help.split("did you mean `").nth(1)?;
    rest.split('`').next().filter(|s| !s.is_empty())
}

/// A workspace edit of one document. (lsp-types keys its map by `Uri`,
/// whose parsed form clippy takes for mutable; it is never mutated.)
#[allow(clippy::mutable_key_type)]
pub fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

fn action(
    title: String,
    uri: &Uri,
    edits: Vec<TextEdit>,
    d: Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d]),
        edit: Some(edit(uri, edits)),
        command: None,
        is_preferred: Some(preferred),
        disabled: None,
        data: None,
    })
}

/// The next free threat ID: `T` and a number.
fn free_threat_id(index: &Index) -> String {
    (1..)
        .map(|n| format!("T{n}"))
        .find(|id| !index.by_name.contains_key(id))
        .unwrap_or_else(|| "T_new".to_string())
}

/// The quick fixes for the diagnostics that touch `range`.
pub fn code_actions(
    doc: &Analyzed,
    uri: &Uri,
    range: Range,
    docs: Option<&Uri>,
) -> Vec<CodeActionOrCommand> {
    // The whole lines of the range: a cursor anywhere on a diagnostic's
    // line offers its fixes.
    let source = doc.text.source();
    let start = doc.text.offset(Position::new(range.start.line, 0));
    let end = doc.text.offset(range.end);
    let end = source
        .get(end..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |n| end + n);
    let mut out = Vec::new();
    for d in &doc.compilation.diagnostics {
        if d.span.end < start || d.span.start > end {
            continue;
        }
        let lsp = diagnostic(doc, uri, d, docs);
        if let Some(better) = d.help.as_deref().and_then(suggestion) {
            if source
                .get(d.span.start..d.span.end)
                .is_some_and(|t| !t.is_empty() && t != better)
            {
                out.push(action(
                    format!("Change to `{better}`"),
                    uri,
                    vec![TextEdit::new(doc.text.range(d.span), better.to_string())],
                    lsp.clone(),
                    true,
                ));
            }
        }
        let Some(index) = &doc.index else { continue };
        let statement = index.statement_at(d.span.start);
        if d.level == Level::Warning && d.code != "TMD112" {
            if let Some(statement) = statement {
                let line_start = source
                    .get(..statement.start)
                    .and_then(|s| s.rfind('\n'))
                    .map_or(0, |n| n + 1);
                let indent: String = source
                    .get(line_start..)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                let at = doc.text.position(line_start);
                out.push(action(
                    format!("Allow {} here (with a reason)", d.code),
                    uri,
                    vec![TextEdit::new(
                        Range::new(at, at),
                        format!(
                            "{indent}# REASON: why {} does not apply here\n{indent}# tmd: allow {}\n",
                            d.code, d.code
                        ),
                    )],
                    lsp.clone(),
                    false,
                ));
            }
        }
        if d.code == "TMD106" {
            if let Some(stub) = threat_stub(doc, index, d.span) {
                out.push(action(
                    "Add a threat on this crossing".to_string(),
                    uri,
                    vec![stub],
                    lsp.clone(),
                    false,
                ));
            }
        }
    }
    out.extend(suggested_threats(doc, uri, start, end));
    out
}

/// "Add suggested threat" for each open suggestion of the threat library
/// on an element, flow or boundary whose declaration starts on the lines
/// of the range: the threat block `tmd suggest --write` would add for it
/// (`status: open`, the `rule:` link, an ID no declaration uses), at the
/// end of the file.
fn suggested_threats(
    doc: &Analyzed,
    uri: &Uri,
    start: usize,
    end: usize,
) -> Vec<CodeActionOrCommand> {
    use crate::model::Target;
    use crate::rules::{self, write, State};
    let c = &doc.compilation;
    let (Some((model, analysis)), Some(file)) = (c.valid(), c.file.as_ref()) else {
        return Vec::new();
    };
    let library = &c.rules.library;
    let (_, all) = rules::for_file(file, model, analysis, library);
    let here = |target: Target| {
        let span = match target {
            Target::Element(e) => model[e].span,
            Target::Flow(f) => model[f].span,
            Target::Boundary(b) => model[b].span,
        };
        span.start >= start && span.start <= end
    };
    // One ID for every alternative: a user applies one, and the next
    // request offers the next free ID.
    let id = write::Ids::new(model).next_id();
    let source = doc.text.source();
    let at = doc.text.position(source.len());
    let lead = if source.is_empty() || source.ends_with("\n\n") {
        ""
    } else if source.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let mut out = Vec::new();
    for s in all
        .iter()
        .filter(|s| s.state == State::Open && here(s.target))
    {
        let Some(rule) = library.rules().get(s.rule) else {
            continue;
        };
        let Some(block) = write::block(model, library, s, &id) else {
            continue;
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Add suggested threat: {} ({})", rule.title, rule.id),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: None,
            edit: Some(edit(
                uri,
                vec![TextEdit::new(Range::new(at, at), format!("{lead}{block}"))],
            )),
            command: None,
            is_preferred: Some(false),
            disabled: None,
            data: None,
        }));
    }
    out
}

/// A threat on the flow of a TMD106 warning, inserted after the flow's
/// statement.
fn threat_stub(doc: &Analyzed, index: &Index, span: Span) -> Option<TextEdit> {
    let file = doc.compilation.file.as_ref()?;
    let (statement, flow) = file.statements().into_iter().find_map(|s| match &s.kind {
        crate::syntax::ast::StatementKind::Flow(f)
            if s.span.contains(span) || span.contains(f.source.span) =>
        {
            Some((s, f))
        }
        _ => None,
    })?;
    let target = match &flow.id {
        Some(id) => id.text.clone(),
        None => format!("{} -> {}", flow.source.text, flow.target.text),
    };
    let id = free_threat_id(index);
    let source = doc.text.source();
    let line_end = source
        .get(statement.span.end..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |n| statement.span.end + n + 1);
    let at = doc.text.position(line_end);
    let newline = if line_end == source.len() && !source.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    Some(TextEdit::new(
        Range::new(at, at),
        format!(
            "{newline}threat {id} \"TITLE\" on {target} {{\n  scenario: \"What an attacker does on this crossing, and what follows\"\n  stride: T\n  severity: medium\n}}\n"
        ),
    ))
}

/// The occurrence kind, for tests.
pub fn occurrence_at(doc: &Analyzed, offset: usize) -> Option<Occurrence> {
    doc.index.as_ref()?.at(offset)
}
