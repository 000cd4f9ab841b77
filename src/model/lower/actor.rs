//! Lowering actor declarations.

use super::*;

impl Lowering<'_> {
    /// Lowers an actor; false when its declaration failed.
    pub(super) fn actor(&mut self, decl: &ast::ActorDecl) -> bool {
        let id = ActorId::from_index(self.model.actors.len());
        if !self.declare(&decl.id, Decl::Actor(id)) {
            return false;
        }
        let mut actor = Actor {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            description: None,
            builtin: false,
            attributes: Vec::new(),
            span: Some(decl.id.span),
        };
        const KEYS: &[&str] = &["description"];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "actor attribute") {
            if entry.key.text == "description" {
                actor.description = self.string("description", &entry.value);
            }
            self.keep_attribute(&mut actor.attributes, entry);
        }
        sort_attributes(&mut actor.attributes, KEYS);
        self.model.actors.push(actor);
        true
    }
}
