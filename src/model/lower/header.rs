//! Lowering the model header: `title`, `scope`, `author`, dates, `version`,
//! `direction`, and (language 0.2) `reviewers`, `contributors`, `link`.

use super::*;

impl Lowering<'_> {
    pub(super) fn header(&mut self, header: &ast::Header) {
        let key = header.key.as_str();
        if let Some(first) = self.header_seen.get(key) {
            let d = tmd008_duplicate_header::diagnostic(key, header.key_span, *first);
            self.error(d);
            return;
        }
        self.header_seen.insert(key, header.key_span);
        let value = &header.value;
        match header.key {
            ast::HeaderKey::Title => self.model.meta.title = self.string(key, value),
            ast::HeaderKey::Scope => self.model.meta.scope = self.string(key, value),
            ast::HeaderKey::Author => self.model.meta.author = self.string(key, value),
            ast::HeaderKey::Version => self.model.meta.version = self.string(key, value),
            ast::HeaderKey::Created => self.model.meta.created = self.date(key, value),
            ast::HeaderKey::Reviewers => {
                self.model.meta.reviewers = self.string_list(key, value).unwrap_or_default()
            }
            ast::HeaderKey::Contributors => {
                self.model.meta.contributors = self.string_list(key, value).unwrap_or_default()
            }
            ast::HeaderKey::Link => self.model.meta.link = self.string(key, value),
            ast::HeaderKey::Updated => self.model.meta.updated = self.date(key, value),
            ast::HeaderKey::Risk => self.risk_header(value),
            ast::HeaderKey::Classification | ast::HeaderKey::Sensitive => {
                self.classification_header(header)
            }
            ast::HeaderKey::Direction => {
                self.model.meta.direction = match value {
                    Value::Word(word, span) => match Direction::parse(word) {
                        Some(d) => Some(d),
                        None => {
                            let d = tmd004_invalid_value::bad_word(
                                *span,
                                key,
                                word,
                                "`top-down`, `left-right`, `auto`",
                            );
                            self.error(d);
                            None
                        }
                    },
                    other => {
                        let d = tmd004_invalid_value::wrong_type(
                            other.span(),
                            key,
                            "`top-down`, `left-right` or `auto`",
                            other,
                        );
                        self.error(d);
                        None
                    }
                }
            }
        }
    }
}
