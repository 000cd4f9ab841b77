//! Lowering element declarations (`external`, `process`, `store`).

use super::*;

impl Lowering<'_> {
    pub(super) fn element(
        &mut self,
        statement: &ast::Statement,
        decl: &ast::ElementDecl,
        parent: Option<BoundaryId>,
    ) -> Option<ElementId> {
        let id = ElementId::from_index(self.model.elements.len());
        if !self.declare(&decl.id, Decl::Element(id)) {
            self.model.partial.dropped.push(statement.span);
            if let Some(b) = parent {
                self.model.partial.boundaries.insert(b);
            }
            return None;
        }
        let mut element = Element {
            name: decl.id.text.clone(),
            kind: decl.kind,
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            description: None,
            tech: None,
            owner: None,
            out_of_scope: false,
            out_of_scope_reason: None,
            attributes: Vec::new(),
            props: ElementProps::default(),
            assets: Vec::new(),
            boundary: parent,
            span: decl.id.span,
            statement: statement.span,
        };
        const KEYS: &[&str] = &[
            "description",
            "tech",
            "owner",
            "out_of_scope",
            "assets",
            "internet_facing",
            "authenticates",
            "validates_input",
            "logs_security_events",
            "encrypts_at_rest",
            "holds_credentials",
            "third_party_code",
            "privileged",
        ];
        for entry in self.entries(decl.attributes.as_ref(), KEYS, "element attribute") {
            let key = entry.key.text.as_str();
            match key {
                "description" => element.description = self.string(key, &entry.value),
                "tech" => element.tech = self.string(key, &entry.value),
                "owner" => element.owner = self.string(key, &entry.value),
                "out_of_scope" => {
                    let (flag, reason) = self.out_of_scope(key, &entry.value).unwrap_or_default();
                    element.out_of_scope = flag;
                    element.out_of_scope_reason = reason;
                }
                // Resolved once every asset is declared (language 0.2);
                // the model holds it as `Element::assets`.
                "assets" => {
                    self.assets.elements.push((id, entry.value.clone()));
                    continue;
                }
                // The typed security properties (language 0.2): kept as
                // attributes too, so the export and reports show them.
                k if ElementProps::KEYS.contains(&k) => {
                    let value = self.boolean(key, &entry.value);
                    if let Some(slot) = element.props.get_mut(k) {
                        *slot = value;
                    }
                    if value.is_none() {
                        continue;
                    }
                }
                _ => {}
            }
            self.keep_attribute(&mut element.attributes, entry);
        }
        sort_attributes(&mut element.attributes, KEYS);
        match parent {
            Some(b) => self.boundary_mut(b).members.push(Member::Element(id)),
            None => self.model.top.push(Member::Element(id)),
        }
        self.model.elements.push(element);
        Some(id)
    }
}
