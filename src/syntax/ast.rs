//! The syntax tree: what was written, in the order it was written, with
//! spans, comments and blank lines (so that `tmd fmt` can print it back).
//! Nothing is resolved here: names are still strings.

use crate::span::Span;

/// A parsed file: its top-level items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

/// One line-level item of a file or of a boundary's body.
// Statements dominate a file; boxing them would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Statement(Statement),
    /// A comment alone on its line.
    Comment(Comment),
    /// An empty line (or one holding only white space).
    Blank,
}

/// A statement with the comment that ends its first line, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    /// From the keyword to the end of the statement (its block included,
    /// except for a boundary, whose statement is its opening line).
    pub span: Span,
    pub comment: Option<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    Header(Header),
    Element(ElementDecl),
    Boundary(BoundaryDecl),
    Flow(FlowDecl),
    Actor(ActorDecl),
    Threat(ThreatDecl),
    /// `scale`, `control`, `asset` or `assumption` (language 0.2).
    Declaration(Declaration),
    /// `key: value` standing alone in a boundary's body (language 0.2).
    Attribute(Entry),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The text after `#`, as written.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A string literal, decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub value: String,
    /// From the opening to the closing quote.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderKey {
    Title,
    Scope,
    Author,
    Created,
    Updated,
    Version,
    Direction,
    Reviewers,
    Contributors,
    Link,
    Risk,
    Classification,
    Sensitive,
}

impl HeaderKey {
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderKey::Title => "title",
            HeaderKey::Scope => "scope",
            HeaderKey::Author => "author",
            HeaderKey::Created => "created",
            HeaderKey::Updated => "updated",
            HeaderKey::Version => "version",
            HeaderKey::Direction => "direction",
            HeaderKey::Reviewers => "reviewers",
            HeaderKey::Contributors => "contributors",
            HeaderKey::Link => "link",
            HeaderKey::Risk => "risk",
            HeaderKey::Classification => "classification",
            HeaderKey::Sensitive => "sensitive",
        }
    }

    pub fn parse(word: &str) -> Option<HeaderKey> {
        Some(match word {
            "title" => HeaderKey::Title,
            "scope" => HeaderKey::Scope,
            "author" => HeaderKey::Author,
            "created" => HeaderKey::Created,
            "updated" => HeaderKey::Updated,
            "version" => HeaderKey::Version,
            "direction" => HeaderKey::Direction,
            "reviewers" => HeaderKey::Reviewers,
            "contributors" => HeaderKey::Contributors,
            "link" => HeaderKey::Link,
            "risk" => HeaderKey::Risk,
            "classification" => HeaderKey::Classification,
            "sensitive" => HeaderKey::Sensitive,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub key: HeaderKey,
    pub key_span: Span,
    pub value: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    External,
    Process,
    Store,
}

impl ElementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::External => "external",
            ElementKind::Process => "process",
            ElementKind::Store => "store",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElementDecl {
    pub kind: ElementKind,
    pub id: Name,
    pub label: Option<Str>,
    pub attributes: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryDecl {
    pub id: Name,
    pub label: Option<Str>,
    /// The `{` that opens the body.
    pub open: Span,
    pub items: Vec<Item>,
    /// The `}` that closes the body.
    pub close: Span,
    /// A comment after the closing `}`.
    pub close_comment: Option<Comment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FlowDecl {
    pub id: Option<Name>,
    pub source: Name,
    pub target: Name,
    pub label: Option<Str>,
    pub attributes: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActorDecl {
    pub id: Name,
    pub label: Option<Str>,
    pub attributes: Option<Block>,
}

/// The kinds of declaration that language 0.2 added, all written
/// `KIND ID ["Label"] [{ attributes }]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclKind {
    Scale,
    Control,
    Asset,
    Assumption,
}

impl DeclKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclKind::Scale => "scale",
            DeclKind::Control => "control",
            DeclKind::Asset => "asset",
            DeclKind::Assumption => "assumption",
        }
    }

    pub fn parse(word: &str) -> Option<DeclKind> {
        Some(match word {
            "scale" => DeclKind::Scale,
            "control" => DeclKind::Control,
            "asset" => DeclKind::Asset,
            "assumption" => DeclKind::Assumption,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    pub kind: DeclKind,
    pub id: Name,
    pub label: Option<Str>,
    pub attributes: Option<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreatDecl {
    pub id: Name,
    pub title: Option<Str>,
    /// What it is on, in the order written; empty for a threat on no
    /// target yet.
    pub targets: Vec<ThreatTarget>,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ThreatTarget {
    /// An element, a boundary or a flow ID.
    Name(Name),
    /// `SOURCE -> TARGET`: the one flow between them.
    Flow { source: Name, target: Name },
}

impl ThreatTarget {
    pub fn span(&self) -> Span {
        match self {
            ThreatTarget::Name(name) => name.span,
            ThreatTarget::Flow { source, target } => source.span.to(target.span),
        }
    }
}

/// An attribute block or threat body: `{ key: value, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub open: Span,
    pub close: Span,
    /// Written over several lines (`{` ends its line).
    pub multiline: bool,
    /// A comment after the opening `{` of a multi-line block.
    pub open_comment: Option<Comment>,
    pub items: Vec<BlockItem>,
}

impl Block {
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.items.iter().filter_map(|item| match item {
            BlockItem::Entry(entry) => Some(entry),
            _ => None,
        })
    }

    pub fn span(&self) -> Span {
        self.open.to(self.close)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum BlockItem {
    Entry(Entry),
    Comment(Comment),
    Blank,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: Name,
    pub value: Value,
    /// The comment that ends the entry's line (multi-line blocks only).
    pub comment: Option<Comment>,
}

/// A value as written; its meaning is checked where it is used.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Str),
    Bool(bool, Span),
    /// The digits as written (they may not fit a machine integer).
    Int(String, Span),
    /// `YYYY-MM-DD` as written (not yet checked to be a real date).
    Date(String, Span),
    /// A bare word: a value word (`low`, `left-right`), letters (`DE`) or a name.
    Word(String, Span),
    List(Vec<Value>, Span),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span,
            Value::Bool(_, span)
            | Value::Int(_, span)
            | Value::Date(_, span)
            | Value::Word(_, span)
            | Value::List(_, span) => *span,
        }
    }

    /// What kind of value this is, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Bool(..) => "a boolean",
            Value::Int(..) => "an integer",
            Value::Date(..) => "a date",
            Value::Word(..) => "a word",
            Value::List(..) => "a list",
        }
    }
}

impl File {
    /// Every statement, boundaries' contents included, in source order
    /// (walked with an explicit stack).
    pub fn statements(&self) -> Vec<&Statement> {
        let mut out = Vec::new();
        let mut stack: Vec<std::slice::Iter<'_, Item>> = vec![self.items.iter()];
        while let Some(iter) = stack.last_mut() {
            let Some(item) = iter.next() else {
                stack.pop();
                continue;
            };
            if let Item::Statement(statement) = item {
                out.push(statement);
                if let StatementKind::Boundary(b) = &statement.kind {
                    stack.push(b.items.iter());
                }
            }
        }
        out
    }

    /// Every string literal in the file, in source order.
    pub fn strings(&self) -> Vec<&Str> {
        let mut out = Vec::new();
        for statement in self.statements() {
            let (label, block) = match &statement.kind {
                StatementKind::Header(h) => {
                    push_value_strings(&h.value, &mut out);
                    continue;
                }
                StatementKind::Element(e) => (e.label.as_ref(), e.attributes.as_ref()),
                StatementKind::Boundary(b) => (b.label.as_ref(), None),
                StatementKind::Flow(f) => (f.label.as_ref(), f.attributes.as_ref()),
                StatementKind::Actor(a) => (a.label.as_ref(), a.attributes.as_ref()),
                StatementKind::Threat(t) => (t.title.as_ref(), Some(&t.body)),
                StatementKind::Declaration(d) => (d.label.as_ref(), d.attributes.as_ref()),
                StatementKind::Attribute(e) => {
                    push_value_strings(&e.value, &mut out);
                    continue;
                }
            };
            out.extend(label);
            for entry in block.into_iter().flat_map(|b| b.entries()) {
                push_value_strings(&entry.value, &mut out);
            }
        }
        out
    }
}

fn push_value_strings<'a>(value: &'a Value, out: &mut Vec<&'a Str>) {
    match value {
        Value::Str(s) => out.push(s),
        Value::List(items, _) => {
            for item in items {
                if let Value::Str(s) = item {
                    out.push(s);
                }
            }
        }
        _ => {}
    }
}
