//! Lowering control declarations (language 0.2):
//! `control ID ["Name"] { status, description, ticket, reduces }`.

use super::*;

/// A control's keys, in the language's table order.
pub(super) const CONTROL_KEYS: &[&str] = &["status", "description", "ticket", "reduces"];

impl Lowering<'_> {
    /// Lowers a control; false when its declaration failed (a duplicate
    /// ID).
    pub(super) fn control(&mut self, statement: &ast::Statement, decl: &ast::Declaration) -> bool {
        let id = ControlId::from_index(self.model.controls.len());
        if !self.declare(&decl.id, Decl::Control(id)) {
            return false;
        }
        let mut control = Control {
            name: decl.id.text.clone(),
            label: decl
                .label
                .as_ref()
                .map_or_else(|| decl.id.text.clone(), |l| l.value.clone()),
            status: ControlStatus::Planned,
            description: None,
            ticket: None,
            reduces: None,
            attributes: Vec::new(),
            span: decl.id.span,
            statement: statement.span,
        };
        for entry in self.entries(decl.attributes.as_ref(), CONTROL_KEYS, "control attribute") {
            let key = entry.key.text.as_str();
            let value = &entry.value;
            match key {
                "status" => match self.word::<ControlStatus>(value) {
                    Some(status) => control.status = status,
                    None => {
                        self.model.partial.controls.insert(id);
                    }
                },
                "description" => control.description = self.string(key, value),
                "ticket" => control.ticket = self.string(key, value),
                "reduces" => control.reduces = self.percentage(key, value),
                _ => self.keep_attribute(&mut control.attributes, entry),
            }
        }
        sort_attributes(&mut control.attributes, &[]);
        self.model.controls.push(control);
        true
    }

    /// A whole number of per cent, 0 to 100.
    fn percentage(&mut self, key: &str, value: &Value) -> Option<u8> {
        let expected = "a percentage from 0 to 100 (`reduces: 60`)";
        match value {
            Value::Int(digits, span) => match digits.parse::<u8>() {
                Ok(n) if n <= 100 => Some(n),
                _ => {
                    let d = tmd004_invalid_value::out_of_range(*span, key, digits, expected);
                    self.error(d);
                    None
                }
            },
            other => {
                let d = tmd004_invalid_value::wrong_type(other.span(), key, expected, other);
                self.error(d);
                None
            }
        }
    }
}
