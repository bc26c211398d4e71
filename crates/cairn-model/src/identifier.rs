//! Port's rule for identifiers of entities and blueprints.

/// The rule, as help text for findings.
pub const RULE: &str = "an identifier has 1 to 100 characters, each a letter, a digit, `@`, `_`, `=` or `-`";

/// What is wrong with `identifier` under Port's rule, if anything.
#[must_use]
pub fn check_identifier(identifier: &str) -> Option<String> {
    if identifier.is_empty() {
        return Some("is empty".to_owned());
    }
    let length = identifier.chars().count();
    if length > 100 {
        return Some(format!("is {length} characters long, more than 100"));
    }
    identifier
        .chars()
        .find(|&ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '@' | '_' | '=' | '-')))
        .map(|ch| format!("contains the character `{}`", ch.escape_debug()))
}

#[cfg(test)]
mod tests {
    use super::check_identifier;

    #[test]
    fn follows_ports_rule() {
        for ok in ["cart-sql-sb", "CartAPI", "_team", "a@b=c_d-e", &"x".repeat(100)] {
            assert_eq!(check_identifier(ok), None, "{ok}");
        }
        for bad in ["", "invalid component", "a.b", "a/b", "é", &"x".repeat(101)] {
            assert!(check_identifier(bad).is_some(), "{bad}");
        }
    }
}
