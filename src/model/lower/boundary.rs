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
            span: decl.id.span,
            statement: statement.span,
        });
        match parent {
            Some(p) => self.boundary_mut(p).members.push(Member::Boundary(id)),
            None => self.model.top.push(Member::Boundary(id)),
        }
        Some(id)
    }
}
