//! Turns pest's parse tree into the syntax tree of `ast.rs`, rebuilding the
//! nesting of boundaries with an explicit stack, and decoding strings.

use pest::iterators::Pair;

use super::ast::*;
use super::parser::Rule;
use super::strings;
use crate::checks::{tmd001_syntax, tmd013_nesting_too_deep, tmd014_model_too_large};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Boundaries may nest this deep; deeper is an error.
pub const MAX_NESTING: usize = 64;

/// A file may hold this many statements; more is an error (TMD014).
pub const MAX_STATEMENTS: usize = 250_000;

/// A fatal problem: the rest of the file is not looked at.
pub type Fatal = Box<Diagnostic>;

/// An open boundary while its body is being read.
struct Open {
    statement_span: Span,
    comment: Option<Comment>,
    id: Name,
    label: Option<Str>,
    open: Span,
    items: Vec<Item>,
    /// Columns of white space before `boundary` on its line.
    indent: usize,
}

impl Open {
    fn owner(&self) -> String {
        format!("boundary `{}`", self.id.text)
    }

    fn close(self, close: Span, close_comment: Option<Comment>) -> Statement {
        Statement {
            span: self.statement_span,
            comment: self.comment,
            kind: StatementKind::Boundary(BoundaryDecl {
                id: self.id,
                label: self.label,
                open: self.open,
                items: self.items,
                close,
                close_comment,
            }),
        }
    }
}

pub struct Builder {
    /// Value errors (escapes, control characters) collected on the way.
    pub diagnostics: Vec<Diagnostic>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            diagnostics: Vec::new(),
        }
    }

    pub fn file(&mut self, file: Pair<'_, Rule>) -> Result<File, Fatal> {
        let source = file.get_input();
        let mut top: Vec<Item> = Vec::new();
        let mut stack: Vec<Open> = Vec::new();
        let mut statements = 0usize;
        // A `}` indented like an outer boundary's line closes, by the
        // grammar, the inner one: the inner one has probably lost its `}`.
        // The first such boundary: its `{` and its name.
        let mut suspect: Option<(Span, String)> = None;
        // The first statement that cannot stand inside a boundary but does:
        // its keyword's span, the keyword, and the innermost open boundary.
        let mut misplaced: Option<(Span, &'static str, Span, String)> = None;
        for line in file.into_inner() {
            let item = match line.as_rule() {
                Rule::blank_line => Item::Blank,
                Rule::comment_line => match line.into_inner().next() {
                    Some(c) => Item::Comment(comment(c)),
                    None => continue,
                },
                Rule::stmt_line => {
                    let mut statement = None;
                    let mut trailing = None;
                    for part in line.into_inner() {
                        if part.as_rule() == Rule::comment {
                            trailing = Some(comment(part));
                        } else {
                            statement = Some(part);
                        }
                    }
                    let Some(statement) = statement else { continue };
                    if statement.as_rule() != Rule::block_close {
                        statements += 1;
                        if statements > MAX_STATEMENTS {
                            return Err(Box::new(tmd014_model_too_large::diagnostic(
                                span_of(&statement),
                                MAX_STATEMENTS,
                            )));
                        }
                    }
                    match statement.as_rule() {
                        Rule::boundary_open => {
                            if stack.len() >= MAX_NESTING {
                                let span = span_of(&statement);
                                return Err(Box::new(tmd013_nesting_too_deep::diagnostic(
                                    span,
                                    MAX_NESTING,
                                )));
                            }
                            let indent = indent_of(source, span_of(&statement).start);
                            let (mut open, closed) = self.boundary_open(statement, trailing)?;
                            open.indent = indent;
                            match closed {
                                // `boundary x {}`: opened and closed on one line.
                                Some(close) => Item::Statement(open.close(close, None)),
                                None => {
                                    stack.push(open);
                                    continue;
                                }
                            }
                        }
                        Rule::block_close => {
                            let close = span_of(&statement);
                            let Some(open) = stack.pop() else {
                                return Err(Box::new(tmd001_syntax::unexpected_close(close)));
                            };
                            let indent = indent_of(source, close.start);
                            if suspect.is_none()
                                && indent != open.indent
                                && stack.iter().any(|outer| outer.indent == indent)
                            {
                                suspect = Some((open.open, open.owner()));
                            }
                            Item::Statement(open.close(close, trailing))
                        }
                        _ => {
                            let span = span_of(&statement);
                            let kind = self.statement(statement)?;
                            if let (StatementKind::Attribute(entry), None) = (&kind, stack.last()) {
                                return Err(Box::new(tmd001_syntax::attribute_outside_block(
                                    entry.key.span,
                                    &entry.key.text,
                                )));
                            }
                            if let (Some(open), None) = (stack.last(), &misplaced) {
                                if let StatementKind::Header(_)
                                | StatementKind::Flow(_)
                                | StatementKind::Actor(_)
                                | StatementKind::Threat(_)
                                | StatementKind::Declaration(_) = kind
                                {
                                    // Whether it really stands inside the
                                    // boundary or the boundary lost its `}`
                                    // is known at the end of the file.
                                    let keyword = statement_keyword(&kind);
                                    let at = Span::new(span.start, span.start + keyword.len());
                                    misplaced = Some((at, keyword, open.open, open.owner()));
                                }
                            }
                            Item::Statement(Statement {
                                kind,
                                span,
                                comment: trailing,
                            })
                        }
                    }
                }
                _ => continue,
            };
            match stack.last_mut() {
                Some(open) => open.items.push(item),
                None => top.push(item),
            }
        }
        if let Some(open) = stack.last() {
            // A boundary was never closed: name the one that most likely
            // lost its `}`, and say where the parser noticed.
            let (brace, owner) = suspect
                .clone()
                .or_else(|| misplaced.as_ref().map(|m| (m.2, m.3.clone())))
                .unwrap_or_else(|| (open.open, open.owner()));
            let noticed = match &misplaced {
                Some((at, keyword, _, _)) => (
                    *at,
                    format!(
                        "`{keyword}` cannot stand inside a boundary: {owner} is still open here"
                    ),
                ),
                None => (
                    Span::new(source.len(), source.len()),
                    format!("the file ends with {owner} still open"),
                ),
            };
            return Err(Box::new(tmd001_syntax::unclosed_block(
                brace,
                &owner,
                Some(noticed),
            )));
        }
        if let Some((at, keyword, _, _)) = misplaced {
            return Err(Box::new(tmd001_syntax::not_in_boundary(at, keyword)));
        }
        Ok(File { items: top })
    }

    fn boundary_open(
        &mut self,
        pair: Pair<'_, Rule>,
        comment: Option<Comment>,
    ) -> Result<(Open, Option<Span>), Fatal> {
        let statement_span = span_of(&pair);
        let mut id = None;
        let mut label = None;
        let mut open = None;
        let mut close = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => id = Some(name(&part)),
                Rule::string => label = Some(self.string(part)),
                Rule::open_brace => open = Some(span_of(&part)),
                Rule::close_brace => close = Some(span_of(&part)),
                _ => {}
            }
        }
        let open = Open {
            statement_span,
            comment,
            id: id.ok_or_else(|| internal(statement_span))?,
            label,
            open: open.ok_or_else(|| internal(statement_span))?,
            items: Vec::new(),
            indent: 0,
        };
        Ok((open, close))
    }

    fn statement(&mut self, pair: Pair<'_, Rule>) -> Result<StatementKind, Fatal> {
        let span = span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::header => {
                let mut key = None;
                let mut value = None;
                for part in pair.into_inner() {
                    if part.as_rule() == Rule::header_kw {
                        key = HeaderKey::parse(part.as_str()).map(|k| (k, span_of(&part)));
                    } else {
                        value = Some(self.value(part)?);
                    }
                }
                let (key, key_span) = key.ok_or_else(|| internal(span))?;
                StatementKind::Header(Header {
                    key,
                    key_span,
                    value: value.ok_or_else(|| internal(span))?,
                })
            }
            Rule::element => {
                let mut kind = None;
                let mut id = None;
                let mut label = None;
                let mut attributes = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::element_kind => {
                            kind = match part.as_str() {
                                "external" => Some(ElementKind::External),
                                "process" => Some(ElementKind::Process),
                                "store" => Some(ElementKind::Store),
                                _ => None,
                            }
                        }
                        Rule::ident => id = Some(name(&part)),
                        Rule::string => label = Some(self.string(part)),
                        Rule::block => attributes = Some(self.block(part)?),
                        _ => {}
                    }
                }
                StatementKind::Element(ElementDecl {
                    kind: kind.ok_or_else(|| internal(span))?,
                    id: id.ok_or_else(|| internal(span))?,
                    label,
                    attributes,
                })
            }
            Rule::flow => {
                let mut id = None;
                let mut ends = Vec::with_capacity(2);
                let mut label = None;
                let mut attributes = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::flow_name => id = part.into_inner().next().map(|p| name(&p)),
                        Rule::ident => ends.push(name(&part)),
                        Rule::string => label = Some(self.string(part)),
                        Rule::block => attributes = Some(self.block(part)?),
                        _ => {}
                    }
                }
                let mut ends = ends.into_iter();
                let (Some(source), Some(target)) = (ends.next(), ends.next()) else {
                    return Err(internal(span));
                };
                StatementKind::Flow(FlowDecl {
                    id,
                    source,
                    target,
                    label,
                    attributes,
                })
            }
            Rule::actor => {
                let mut id = None;
                let mut label = None;
                let mut attributes = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::ident => id = Some(name(&part)),
                        Rule::string => label = Some(self.string(part)),
                        Rule::block => attributes = Some(self.block(part)?),
                        _ => {}
                    }
                }
                StatementKind::Actor(ActorDecl {
                    id: id.ok_or_else(|| internal(span))?,
                    label,
                    attributes,
                })
            }
            Rule::threat => {
                let mut id = None;
                let mut title = None;
                let mut targets = Vec::new();
                let mut body = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::ident => id = Some(name(&part)),
                        Rule::string => title = Some(self.string(part)),
                        Rule::target => {
                            let names: Vec<Name> = part
                                .into_inner()
                                .filter(|p| p.as_rule() == Rule::ident)
                                .map(|p| name(&p))
                                .collect();
                            let mut names = names.into_iter();
                            match (names.next(), names.next()) {
                                (Some(source), Some(target)) => {
                                    targets.push(ThreatTarget::Flow { source, target })
                                }
                                (Some(one), None) => targets.push(ThreatTarget::Name(one)),
                                _ => return Err(internal(span)),
                            }
                        }
                        Rule::block => body = Some(self.block(part)?),
                        _ => {}
                    }
                }
                StatementKind::Threat(ThreatDecl {
                    id: id.ok_or_else(|| internal(span))?,
                    title,
                    targets,
                    body: body.ok_or_else(|| internal(span))?,
                })
            }
            Rule::declaration => {
                let mut kind = None;
                let mut id = None;
                let mut label = None;
                let mut attributes = None;
                for part in pair.into_inner() {
                    match part.as_rule() {
                        Rule::decl_kw => kind = DeclKind::parse(part.as_str()),
                        Rule::ident => id = Some(name(&part)),
                        Rule::string => label = Some(self.string(part)),
                        Rule::block => attributes = Some(self.block(part)?),
                        _ => {}
                    }
                }
                StatementKind::Declaration(Declaration {
                    kind: kind.ok_or_else(|| internal(span))?,
                    id: id.ok_or_else(|| internal(span))?,
                    label,
                    attributes,
                })
            }
            Rule::attribute => {
                let entry = pair.into_inner().next().ok_or_else(|| internal(span))?;
                StatementKind::Attribute(self.entry(entry, None)?)
            }
            _ => return Err(internal(span)),
        })
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Result<Block, Fatal> {
        let span = span_of(&pair);
        let text = pair.as_str();
        let mut open = None;
        let mut close = None;
        let mut open_comment = None;
        let mut items = Vec::new();
        let mut multiline = false;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::open_brace => open = Some(span_of(&part)),
                Rule::close_brace => close = Some(span_of(&part)),
                Rule::comment => {
                    multiline = true;
                    open_comment = Some(comment(part));
                }
                Rule::entry => items.push(BlockItem::Entry(self.entry(part, None)?)),
                Rule::entry_line => {
                    multiline = true;
                    let mut entry = None;
                    let mut trailing = None;
                    for sub in part.into_inner() {
                        match sub.as_rule() {
                            Rule::entry => entry = Some(sub),
                            Rule::comment => trailing = Some(comment(sub)),
                            _ => {}
                        }
                    }
                    let entry = entry.ok_or_else(|| internal(span))?;
                    items.push(BlockItem::Entry(self.entry(entry, trailing)?));
                }
                Rule::block_comment => {
                    multiline = true;
                    if let Some(c) = part.into_inner().next() {
                        items.push(BlockItem::Comment(comment(c)));
                    }
                }
                Rule::block_blank => {
                    multiline = true;
                    items.push(BlockItem::Blank);
                }
                _ => {}
            }
        }
        let open = open.ok_or_else(|| internal(span))?;
        let close = close.ok_or_else(|| internal(span))?;
        // `{` followed by a line end is a multi-line block, even when empty.
        let between = text.get(open.end - span.start..close.start.saturating_sub(span.start));
        let multiline = multiline || between.is_some_and(|t| t.contains('\n'));
        Ok(Block {
            open,
            close,
            multiline,
            open_comment,
            items,
        })
    }

    fn entry(&mut self, pair: Pair<'_, Rule>, comment: Option<Comment>) -> Result<Entry, Fatal> {
        let span = span_of(&pair);
        let mut key = None;
        let mut value = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::key => key = Some(name(&part)),
                Rule::colon => {}
                _ => value = Some(self.value(part)?),
            }
        }
        Ok(Entry {
            key: key.ok_or_else(|| internal(span))?,
            value: value.ok_or_else(|| internal(span))?,
            comment,
        })
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Result<Value, Fatal> {
        let span = span_of(&pair);
        Ok(match pair.as_rule() {
            Rule::string => Value::Str(self.string(pair)),
            Rule::boolean => Value::Bool(pair.as_str() == "true", span),
            Rule::integer => Value::Int(pair.as_str().to_string(), span),
            Rule::date => Value::Date(pair.as_str().to_string(), span),
            Rule::word => Value::Word(pair.as_str().to_string(), span),
            Rule::list => {
                let mut values = Vec::new();
                for part in pair.into_inner() {
                    values.push(self.value(part)?);
                }
                Value::List(values, span)
            }
            _ => return Err(internal(span)),
        })
    }

    fn string(&mut self, pair: Pair<'_, Rule>) -> Str {
        let span = span_of(&pair);
        let value = match pair.into_inner().next() {
            Some(body) => {
                let base = body.as_span().start();
                strings::decode(body.as_str(), base, &mut self.diagnostics)
            }
            None => String::new(),
        };
        Str { value, span }
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// Columns of spaces and tabs before `offset` on its line.
fn indent_of(source: &str, offset: usize) -> usize {
    let before = source.get(..offset).unwrap_or("");
    let line = before
        .rfind('\n')
        .map_or(before, |n| before.get(n + 1..).unwrap_or(""));
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn name(pair: &Pair<'_, Rule>) -> Name {
    Name {
        text: pair.as_str().to_string(),
        span: span_of(pair),
    }
}

fn comment(pair: Pair<'_, Rule>) -> Comment {
    let text = pair.as_str();
    Comment {
        text: text.strip_prefix('#').unwrap_or(text).to_string(),
        span: span_of(&pair),
    }
}

fn statement_keyword(kind: &StatementKind) -> &'static str {
    match kind {
        StatementKind::Header(h) => h.key.as_str(),
        StatementKind::Element(e) => e.kind.as_str(),
        StatementKind::Boundary(_) => "boundary",
        StatementKind::Flow(_) => "flow",
        StatementKind::Actor(_) => "actor",
        StatementKind::Threat(_) => "threat",
        StatementKind::Declaration(d) => d.kind.as_str(),
        // Never asked: an attribute is refused outside a boundary before
        // its keyword could be wanted.
        StatementKind::Attribute(_) => "attribute",
    }
}

/// The grammar promised a part that is not there: a bug in tmd, reported as
/// a syntax error rather than a panic.
fn internal(span: Span) -> Fatal {
    Box::new(tmd001_syntax::internal(span))
}
