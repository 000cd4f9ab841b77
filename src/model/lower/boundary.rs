//! Lowering boundary declarations.

use super::*;

impl Lowering<'_> {
    pub(super) fn boundary_mut(&mut self, id: BoundaryId) -> &mut Boundary {
        #[allow(clippy::indexing_slicing)] // made by this lowering
        &mut self.model.boundaries[id.index()]
    }

    pub(super) fn boundary(
        &mut self,
        statement: &ast::Statement,
        decl: &BoundaryDecl,
        parent: Option<BoundaryId>,
    ) -> Option<BoundaryId> {
        let id = BoundaryId::from_index(self.model.boundaries.len());
        if !self.declare(&decl.id, Decl::Boundary(id)) {
            self.model.partial.dropped.push(statement.span);
            return None;
        }
        self.model.boundaries.push(Boundary {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            parent,
            members: Vec::new(),
            kind: None,
            description: None,
            attributes: Vec::new(),
            span: decl.id.span,
            statement: statement.span,
        });
        self.boundary_attributes(id, decl);
        match parent {
            Some(p) => self.boundary_mut(p).members.push(Member::Boundary(id)),
            None => self.model.top.push(Member::Boundary(id)),
        }
        Some(id)
    }

    /// `kind:`, `description:` and `x_` keys written on lines of their own
    /// in the boundary's body.
    fn boundary_attributes(&mut self, id: BoundaryId, decl: &BoundaryDecl) {
        const KEYS: &[&str] = &["kind", "description"];
        let written = decl.items.iter().filter_map(|item| match item {
            Item::Statement(ast::Statement {
                kind: StatementKind::Attribute(entry),
                ..
            }) => Some(entry),
            _ => None,
        });
        let mut attributes = Vec::new();
        for entry in self.checked_entries(written, KEYS, "boundary attribute") {
            let key = entry.key.text.as_str();
            match key {
                "kind" => {
                    let kind = match &entry.value {
                        Value::Str(text) => Some(BoundaryKind::Custom(text.value.clone())),
                        Value::Word(word, span) if BoundaryKindWord::parse(word).is_none() => {
                            let d = tmd004_invalid_value::bad_boundary_kind(
                                *span,
                                word,
                                &BoundaryKindWord::choices(),
                            );
                            self.error(d);
                            None
                        }
                        other => self.word(other).map(BoundaryKind::Known),
                    };
                    self.boundary_mut(id).kind = kind;
                }
                "description" => {
                    let text = self.string(key, &entry.value);
                    self.boundary_mut(id).description = text;
                }
                _ => {}
            }
            self.keep_attribute(&mut attributes, entry);
        }
        sort_attributes(&mut attributes, KEYS);
        self.boundary_mut(id).attributes = attributes;
    }
}
