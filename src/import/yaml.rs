//! YAML sources (Threagile models, OTM in YAML) read into the same
//! `serde_json::Value` the JSON importers read, so that every importer
//! walks one tree and reports one kind of path.
//!
//! The parser is `serde_yaml_ng` (libyaml, in safe Rust through
//! `unsafe-libyaml`); the tree is built here by a `DeserializeSeed`, not by
//! the crate's own `Value`, so that what a hostile file can make the
//! importer hold is bounded:
//!
//! - **Alias bombs**: every node built counts against a budget
//!   ([`MAX_NODES`]), aliases included (an alias is replayed through the
//!   same seed, so a thousand aliases of a large anchor cost a thousand
//!   copies and are refused, not expanded). The parser's own repetition
//!   limit is a second guard.
//! - **Deep nesting**: the parser refuses more than 128 levels.
//! - **Huge input**: the CLI refuses a file over `--max-input-size`
//!   before anything is parsed.
//!
//! YAML 1.1 merge keys (`<<: *base`, which Threagile's demo uses) are
//! applied: a key of the mapping itself wins over a merged one, and of
//! several merged mappings the first wins. Tags are read through
//! (`!foo value` is `value`). A key that is not a scalar, a duplicate key
//! and a number that is not finite are errors.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::ImportError;

/// The most nodes (scalars, sequences, mappings, aliases expanded) a YAML
/// source may make.
pub const MAX_NODES: usize = 1_000_000;

/// Parses YAML text (one document) into a JSON value.
pub fn parse(text: &str) -> Result<Value, ImportError> {
    let budget = Cell::new(MAX_NODES);
    let de = serde_yaml_ng::Deserializer::from_str(text);
    Node { budget: &budget }
        .deserialize(de)
        .map_err(|e| ImportError::new("$", format!("not valid YAML: {e}")))
}

/// Whether a source looks like YAML rather than JSON: its first
/// character that is not white space or a comment line is not `{` or `[`.
pub fn looks_like_yaml(text: &str) -> bool {
    for line in text.lines() {
        let t = line.trim_start_matches('\u{feff}').trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        return !(t.starts_with('{') || t.starts_with('['));
    }
    false
}

#[derive(Clone, Copy)]
struct Node<'b> {
    budget: &'b Cell<usize>,
}

impl Node<'_> {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "more than {MAX_NODES} nodes once aliases are expanded (an alias bomb?)"
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.spend::<D::Error>()?;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite (.inf, .nan)"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged: Vec<Map<String, Value>> = Vec::new();
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(de::Error::custom("a mapping key must be a scalar"))
                }
            };
            if key == "<<" {
                match value {
                    Value::Object(m) => merged.push(m),
                    Value::Array(items) => {
                        for item in items {
                            match item {
                                Value::Object(m) => merged.push(m),
                                _ => {
                                    return Err(de::Error::custom(
                                        "a merge key (<<) must name mappings",
                                    ))
                                }
                            }
                        }
                    }
                    _ => return Err(de::Error::custom("a merge key (<<) must name a mapping")),
                }
                continue;
            }
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("the key `{key}` is given twice")));
            }
            out.insert(key, value);
        }
        for m in merged {
            for (k, v) in m {
                if !out.contains_key(&k) {
                    out.insert(k, v);
                }
            }
        }
        Ok(Value::Object(out))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the value.
        let (_tag, variant): (Value, _) = data.variant_seed(self)?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_are_applied_and_own_keys_win() {
        let v = parse("a: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap_or_default();
        assert_eq!(v["c"]["x"], 1);
        assert_eq!(v["c"]["y"], 3);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&text).err().map(|e| e.message).unwrap_or_default();
        assert!(e.contains("limit") || e.contains("alias"), "{e}");
        // One large anchor aliased many times: the node budget.
        let mut text = String::from("big: &big [");
        for _ in 0..20_000 {
            text.push_str("x, ");
        }
        text.push_str("x]\nmany: [");
        for _ in 0..100 {
            text.push_str("*big, ");
        }
        text.push_str("*big]\n");
        let e = parse(&text).err().map(|e| e.message).unwrap_or_default();
        assert!(e.contains("nodes") || e.contains("limit"), "{e}");
    }

    #[test]
    fn deep_nesting_and_odd_keys_are_refused() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
        assert!(parse("? [a, b]\n: c\n").is_err());
        assert!(parse("a: 1\na: 2\n").is_err());
        assert!(parse("a: .nan\n").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        assert_eq!(parse("!foo a: !bar 1\n").unwrap_or_default()["a"], 1);
    }

    #[test]
    fn yaml_is_told_from_json() {
        assert!(looks_like_yaml("# c\notmVersion: 0.2.0\n"));
        assert!(!looks_like_yaml("\n  {\"otmVersion\": \"0.2.0\"}"));
        assert!(!looks_like_yaml(""));
    }
}
