//! A rule's scenario and mitigation, written for one target: `{name}`
//! placeholders filled from the model (see `PLACEHOLDERS`), `{{` and `}}`
//! for braces.

use super::PLACEHOLDERS;

/// The first unknown or unclosed placeholder of a text.
pub fn check(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(i);
        let _ = head;
        if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
            rest = after;
            continue;
        }
        let Some(after) = tail.strip_prefix('{') else {
            return Err("}".to_string());
        };
        let Some(end) = after.find('}') else {
            return Err(after.chars().take(20).collect());
        };
        let name = after.get(..end).unwrap_or_default();
        if !PLACEHOLDERS.contains(&name) {
            return Err(name.to_string());
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    Ok(())
}

/// The text with its placeholders filled by `value` (a name it does not
/// know is left as written; rule files are checked when read).
pub fn fill(text: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some((name, after)) = tail
            .strip_prefix('{')
            .and_then(|t| t.split_once('}'))
            .filter(|(name, _)| PLACEHOLDERS.contains(name))
        {
            out.push_str(&value(name));
            rest = after;
        } else {
            out.push_str(tail.get(..1).unwrap_or_default());
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_checks() {
        assert_eq!(check("a {target} {{b}}"), Ok(()));
        assert_eq!(check("a {targt}"), Err("targt".into()));
        assert_eq!(check("a {target"), Err("target".into()));
        assert_eq!(
            fill("x {target} {{y}} {source}", |n| n.to_uppercase()),
            "x TARGET {y} SOURCE"
        );
    }
}
