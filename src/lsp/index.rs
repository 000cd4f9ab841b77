//! Where every ID is declared and where it is named, read from the syntax
//! tree (so it works on a model with resolution errors). One namespace, as
//! in the language: a name is declared once, and a reference names it.

use std::collections::BTreeMap;

use crate::span::Span;
use crate::syntax::ast::{self, DeclKind, ElementKind, Item, StatementKind, ThreatTarget, Value};

/// What an ID names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    External,
    Process,
    Store,
    Boundary,
    Flow,
    Actor,
    Threat,
    Scale,
    Control,
    Asset,
    Assumption,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::External => "external",
            Kind::Process => "process",
            Kind::Store => "store",
            Kind::Boundary => "boundary",
            Kind::Flow => "flow",
            Kind::Actor => "actor",
            Kind::Threat => "threat",
            Kind::Scale => "scale",
            Kind::Control => "control",
            Kind::Asset => "asset",
            Kind::Assumption => "assumption",
        }
    }

    pub fn is_element(self) -> bool {
        matches!(self, Kind::External | Kind::Process | Kind::Store)
    }

    fn of_element(kind: ElementKind) -> Kind {
        match kind {
            ElementKind::External => Kind::External,
            ElementKind::Process => Kind::Process,
            ElementKind::Store => Kind::Store,
        }
    }

    fn of_decl(kind: DeclKind) -> Kind {
        match kind {
            DeclKind::Scale => Kind::Scale,
            DeclKind::Control => Kind::Control,
            DeclKind::Asset => Kind::Asset,
            DeclKind::Assumption => Kind::Assumption,
        }
    }
}

/// A declaration of an ID.
#[derive(Clone, Debug, PartialEq)]
pub struct Def {
    pub name: String,
    pub kind: Kind,
    /// The ID as written.
    pub span: Span,
    /// The whole statement (a boundary: its opening line to its `}`).
    pub statement: Span,
    /// The label or title, when written.
    pub label: Option<String>,
    /// The boundary it is declared in (an index into `defs`).
    pub parent: Option<usize>,
}

/// Where a reference stands: what it may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A flow's SOURCE or TARGET, or an end of a threat's `A -> B`.
    Endpoint,
    /// A threat's target named by its ID.
    Target,
    /// `initiator:`.
    Initiator,
    /// `response_to:`.
    ResponseTo,
    /// `assets:`.
    Assets,
    /// A threat's `actor:`.
    Actor,
    /// A threat's `controls:`.
    Controls,
    /// An assumption's `for:`.
    For,
    /// The `risk` header.
    Risk,
}

impl Role {
    /// The role of a value under `key`, when it names an ID.
    pub fn of_key(key: &str) -> Option<Role> {
        Some(match key {
            "initiator" => Role::Initiator,
            "response_to" => Role::ResponseTo,
            "assets" => Role::Assets,
            "actor" => Role::Actor,
            "controls" => Role::Controls,
            "for" => Role::For,
            _ => return None,
        })
    }

    /// Whether a declaration of `kind` can be named here.
    pub fn accepts(self, kind: Kind) -> bool {
        match self {
            Role::Endpoint | Role::Initiator => kind.is_element(),
            Role::Target => kind.is_element() || matches!(kind, Kind::Boundary | Kind::Flow),
            Role::ResponseTo => kind == Kind::Flow,
            Role::Assets => kind == Kind::Asset,
            Role::Actor => kind == Kind::Actor,
            Role::Controls => kind == Kind::Control,
            Role::For => {
                kind.is_element() || matches!(kind, Kind::Boundary | Kind::Flow | Kind::Threat)
            }
            Role::Risk => kind == Kind::Scale,
        }
    }
}

/// A name written where an ID is expected.
#[derive(Clone, Debug, PartialEq)]
pub struct Ref {
    pub name: String,
    pub span: Span,
    pub role: Role,
}

/// An ID occurrence: a declaration or a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    Def(usize),
    Ref(usize),
}

/// The IDs of one file.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub defs: Vec<Def>,
    pub refs: Vec<Ref>,
    /// Declarations by name (several when a name is declared twice).
    pub by_name: BTreeMap<String, Vec<usize>>,
    /// Every occurrence by start, for look-ups at a position.
    occurrences: Vec<(Span, Occurrence)>,
    /// Every statement's span (a boundary's to its `}`), in source order.
    pub statements: Vec<Span>,
}

impl Index {
    pub fn build(file: &ast::File) -> Index {
        let mut index = Index::default();
        // (items of a body, the boundary holding them)
        let mut stack: Vec<(std::slice::Iter<'_, Item>, Option<usize>)> =
            vec![(file.items.iter(), None)];
        while let Some((iter, parent)) = stack.last_mut() {
            let parent = *parent;
            let Some(item) = iter.next() else {
                stack.pop();
                continue;
            };
            let Item::Statement(statement) = item else {
                continue;
            };
            index.statements.push(match &statement.kind {
                StatementKind::Boundary(b) => statement.span.to(b.close),
                _ => statement.span,
            });
            match &statement.kind {
                StatementKind::Header(header) => {
                    if header.key == ast::HeaderKey::Risk {
                        if let Value::Word(word, span) = &header.value {
                            index.reference(word, *span, Role::Risk);
                        }
                    }
                }
                StatementKind::Element(e) => {
                    index.define(
                        &e.id,
                        Kind::of_element(e.kind),
                        statement.span,
                        &e.label,
                        parent,
                    );
                    index.block(e.attributes.as_ref());
                }
                StatementKind::Boundary(b) => {
                    let span = statement.span.to(b.close);
                    let me = index.define(&b.id, Kind::Boundary, span, &b.label, parent);
                    stack.push((b.items.iter(), Some(me)));
                }
                StatementKind::Flow(f) => {
                    if let Some(id) = &f.id {
                        index.define(id, Kind::Flow, statement.span, &f.label, parent);
                    }
                    index.reference(&f.source.text, f.source.span, Role::Endpoint);
                    index.reference(&f.target.text, f.target.span, Role::Endpoint);
                    index.block(f.attributes.as_ref());
                }
                StatementKind::Actor(a) => {
                    index.define(&a.id, Kind::Actor, statement.span, &a.label, parent);
                    index.block(a.attributes.as_ref());
                }
                StatementKind::Threat(t) => {
                    index.define(&t.id, Kind::Threat, statement.span, &t.title, parent);
                    for target in &t.targets {
                        match target {
                            ThreatTarget::Name(name) => {
                                index.reference(&name.text, name.span, Role::Target)
                            }
                            ThreatTarget::Flow { source, target } => {
                                index.reference(&source.text, source.span, Role::Endpoint);
                                index.reference(&target.text, target.span, Role::Endpoint);
                            }
                        }
                    }
                    index.block(Some(&t.body));
                }
                StatementKind::Declaration(d) => {
                    index.define(
                        &d.id,
                        Kind::of_decl(d.kind),
                        statement.span,
                        &d.label,
                        parent,
                    );
                    index.block(d.attributes.as_ref());
                }
                StatementKind::Attribute(_) => {}
            }
        }
        for (i, def) in index.defs.iter().enumerate() {
            index.by_name.entry(def.name.clone()).or_default().push(i);
            index.occurrences.push((def.span, Occurrence::Def(i)));
        }
        for (i, r) in index.refs.iter().enumerate() {
            index.occurrences.push((r.span, Occurrence::Ref(i)));
        }
        index
            .occurrences
            .sort_by_key(|(span, _)| (span.start, span.end));
        index
    }

    /// The declarations of a text read line by line, without the parser:
    /// for completion in a buffer that does not parse (yet). Every line
    /// that opens with a declaring keyword declares the word after it
    /// (`flow ID:` a flow).
    pub fn scan(source: &str) -> Index {
        let mut index = Index::default();
        let mut offset = 0;
        for line in source.split('\n') {
            let start = offset;
            offset += line.len() + 1;
            let trimmed = line.trim_start();
            let base = start + (line.len() - trimmed.len());
            let mut words = trimmed.splitn(3, [' ', '\t']).filter(|w| !w.is_empty());
            let (Some(keyword), Some(second)) = (words.next(), words.next()) else {
                continue;
            };
            let kind = match keyword {
                "external" => Kind::External,
                "process" => Kind::Process,
                "store" => Kind::Store,
                "boundary" => Kind::Boundary,
                "actor" => Kind::Actor,
                "threat" => Kind::Threat,
                "scale" => Kind::Scale,
                "control" => Kind::Control,
                "asset" => Kind::Asset,
                "assumption" => Kind::Assumption,
                "flow" if second.ends_with(':') => Kind::Flow,
                _ => continue,
            };
            let name = second.trim_end_matches([':', '{', ',']);
            let valid = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                continue;
            }
            let at = base + trimmed.find(second).unwrap_or(0);
            let label = words
                .next()
                .and_then(|rest| rest.trim_start().strip_prefix('"'))
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string);
            index.defs.push(Def {
                name: name.to_string(),
                kind,
                span: Span::new(at, at + name.len()),
                statement: Span::new(base, start + line.len()),
                label,
                parent: None,
            });
        }
        for (i, def) in index.defs.iter().enumerate() {
            index.by_name.entry(def.name.clone()).or_default().push(i);
        }
        index
    }

    fn define(
        &mut self,
        id: &ast::Name,
        kind: Kind,
        statement: Span,
        label: &Option<ast::Str>,
        parent: Option<usize>,
    ) -> usize {
        self.defs.push(Def {
            name: id.text.clone(),
            kind,
            span: id.span,
            statement,
            label: label.as_ref().map(|l| l.value.clone()),
            parent,
        });
        self.defs.len() - 1
    }

    fn reference(&mut self, name: &str, span: Span, role: Role) {
        self.refs.push(Ref {
            name: name.to_string(),
            span,
            role,
        });
    }

    fn block(&mut self, block: Option<&ast::Block>) {
        for entry in block.into_iter().flat_map(|b| b.entries()) {
            let Some(role) = Role::of_key(&entry.key.text) else {
                continue;
            };
            match &entry.value {
                Value::Word(word, span) => self.reference(word, *span, role),
                Value::List(items, _) => {
                    for item in items {
                        if let Value::Word(word, span) = item {
                            self.reference(word, *span, role);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The occurrence at byte `offset` (its end included, so that a cursor
    /// right after a name finds it).
    pub fn at(&self, offset: usize) -> Option<Occurrence> {
        let after = self
            .occurrences
            .partition_point(|(span, _)| span.start <= offset);
        let (span, occurrence) = self.occurrences.get(after.checked_sub(1)?)?;
        (span.start <= offset && offset <= span.end).then_some(*occurrence)
    }

    /// The name of an occurrence and its span.
    pub fn name_of(&self, occurrence: Occurrence) -> Option<(&str, Span)> {
        match occurrence {
            Occurrence::Def(i) => self.defs.get(i).map(|d| (d.name.as_str(), d.span)),
            Occurrence::Ref(i) => self.refs.get(i).map(|r| (r.name.as_str(), r.span)),
        }
    }

    /// The declarations of a name.
    pub fn defs_of(&self, name: &str) -> impl Iterator<Item = &Def> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.defs.get(i))
    }

    /// The declaration a reference stands for: the one of its name that
    /// the place accepts, else the first of its name.
    pub fn resolve(&self, r: &Ref) -> Option<&Def> {
        self.defs_of(&r.name)
            .find(|d| r.role.accepts(d.kind))
            .or_else(|| self.defs_of(&r.name).next())
    }

    /// Every span where `name` is declared or named, in source order.
    pub fn occurrences_of(&self, name: &str) -> Vec<(Span, bool)> {
        let mut out: Vec<(Span, bool)> = self.defs_of(name).map(|d| (d.span, true)).collect();
        out.extend(
            self.refs
                .iter()
                .filter(|r| r.name == name)
                .map(|r| (r.span, false)),
        );
        out.sort_by_key(|(span, _)| span.start);
        out
    }

    /// The innermost statement holding `offset` (a boundary's opening line
    /// counts for the boundary).
    pub fn statement_at(&self, offset: usize) -> Option<Span> {
        self.statements
            .iter()
            .filter(|span| span.start <= offset && offset <= span.end)
            .copied()
            .next_back()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(text: &str) -> Index {
        let c = crate::compile(text);
        Index::build(c.file.as_ref().unwrap())
    }

    #[test]
    fn declarations_and_references_of_every_kind() {
        let text = "external user\nboundary dc {\n  process api\n  store db\n}\n\
flow q: user -> api\nflow api -> user { response_to: q }\nflow api -> db { initiator: api, assets: [pii] }\n\
asset pii\ncontrol waf\nactor crook\n\
threat T1 on q, api -> db { actor: crook, controls: [waf], scenario: \"s\", severity: low }\n\
assumption A1 { for: [T1, dc] }\n";
        let ix = index(text);
        let kinds: Vec<(&str, Kind, Option<usize>)> = ix
            .defs
            .iter()
            .map(|d| (d.name.as_str(), d.kind, d.parent))
            .collect();
        assert_eq!(
            kinds,
            [
                ("user", Kind::External, None),
                ("dc", Kind::Boundary, None),
                ("api", Kind::Process, Some(1)),
                ("db", Kind::Store, Some(1)),
                ("q", Kind::Flow, None),
                ("pii", Kind::Asset, None),
                ("waf", Kind::Control, None),
                ("crook", Kind::Actor, None),
                ("T1", Kind::Threat, None),
                ("A1", Kind::Assumption, None),
            ]
        );
        let names = |name: &str| ix.occurrences_of(name).len();
        // api: declared, two flow ends, an initiator, a flow end, a threat's A -> B.
        assert_eq!(names("api"), 6);
        assert_eq!(names("q"), 3);
        assert_eq!(names("T1"), 2);
        assert_eq!(names("dc"), 2);
        assert_eq!(names("crook"), 2);
        assert_eq!(names("waf"), 2);
        assert_eq!(names("pii"), 2);
        let at = text.find("crook, controls").unwrap() + 2;
        let Some(Occurrence::Ref(r)) = ix.at(at) else {
            panic!("no reference at {at}")
        };
        assert_eq!(ix.resolve(&ix.refs[r]).unwrap().kind, Kind::Actor);
        // The end of a name still finds it; a space before it does not.
        let end = text.find("user\n").unwrap() + 4;
        assert!(matches!(ix.at(end), Some(Occurrence::Def(0))));
        assert_eq!(ix.at(text.find(" -> api").unwrap() + 2), None);
    }

    #[test]
    fn a_buffer_that_does_not_parse_still_declares_its_ids() {
        let text =
            "external user \"The user\"\n  process api{\nflow q: user ->\nflow \nthreat 9x\n";
        assert!(crate::compile(text).file.is_none());
        let ix = Index::scan(text);
        let defs: Vec<(&str, Kind, Option<&str>)> = ix
            .defs
            .iter()
            .map(|d| (d.name.as_str(), d.kind, d.label.as_deref()))
            .collect();
        assert_eq!(
            defs,
            [
                ("user", Kind::External, Some("The user")),
                ("api", Kind::Process, None),
                ("q", Kind::Flow, None),
            ]
        );
        assert_eq!(&text[ix.defs[1].span.start..ix.defs[1].span.end], "api");
    }
}
