//! Port's rules for the identifiers of entities and blueprints, as Port's API reference publishes
//! them: the request schemas of "Create an entity"
//! (<https://docs.port.io/api-reference/create-an-entity/>) and "Create a blueprint"
//! (<https://docs.port.io/api-reference/create-a-blueprint/>), both in Port's OpenAPI document
//! <https://docs.port.io/openapi.yaml>:
//!
//! - entity: `^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$`, at most 1000 characters;
//! - blueprint: `^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/-]+$`, at most 100 characters (no `=`).
//!
//! `\p{L}` is Unicode's general category Letter; `0-9` are the ASCII digits only. Lengths count
//! characters, as JSON Schema's `maxLength` does.

use unicode_general_category::{GeneralCategory, get_general_category};

/// The entity rule, as help text for findings.
pub const RULE: &str = "an entity identifier has 1 to 1000 characters, each a letter, a digit or one of \
    `@ _ . + : \\ / = -`, and is not `.` or `..`";

/// The blueprint rule, as help text for findings.
pub const BLUEPRINT_RULE: &str = "a blueprint identifier has 1 to 100 characters, each a letter, a digit or one of \
    `@ _ . + : \\ / -`, and is not `.` or `..`";

/// What is wrong with the entity identifier `identifier` under Port's rule, if anything.
#[must_use]
pub fn check_identifier(identifier: &str) -> Option<String> {
    check(identifier, 1000, |ch| matches!(ch, '@' | '_' | '.' | '+' | ':' | '\\' | '/' | '=' | '-'))
}

/// What is wrong with the blueprint identifier `identifier` under Port's rule, if anything.
#[must_use]
pub fn check_blueprint_identifier(identifier: &str) -> Option<String> {
    check(identifier, 100, |ch| matches!(ch, '@' | '_' | '.' | '+' | ':' | '\\' | '/' | '-'))
}

fn check(identifier: &str, max: usize, punctuation: fn(char) -> bool) -> Option<String> {
    if identifier.is_empty() {
        return Some("is empty".to_owned());
    }
    if matches!(identifier, "." | "..") {
        return Some("is only dots".to_owned());
    }
    let length = identifier.chars().count();
    if length > max {
        return Some(format!("is {length} characters long, more than {max}"));
    }
    identifier
        .chars()
        .find(|&ch| !(ch.is_ascii_digit() || is_letter(ch) || punctuation(ch)))
        .map(|ch| format!("contains the character `{}`", ch.escape_debug()))
}

/// Unicode's `\p{L}`: an upper, lower, title case, modifier or other letter.
fn is_letter(ch: char) -> bool {
    matches!(
        get_general_category(ch),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

#[cfg(test)]
mod tests {
    use super::{check_blueprint_identifier, check_identifier};

    #[test]
    fn entities_follow_ports_rule() {
        let long = "x".repeat(1000);
        let ok = ["cart-sql-sb", "CartAPI", "_team", "a@b=c_d-e", "arn:aws:s3:::bucket", "org/repo", "v1.2.3"];
        for ok in ok.into_iter().chain(["a+b", "café", "日本", "C:\\dir", "...", ".a", &long]) {
            assert_eq!(check_identifier(ok), None, "{ok}");
        }
        let cases = [
            ("", "is empty"),
            (".", "is only dots"),
            ("..", "is only dots"),
            ("invalid component", "contains the character ` `"),
            ("a#b", "contains the character `#`"),
            ("٣", "contains the character `٣`"),
            ("a'b", "contains the character `\\'`"),
        ];
        for (bad, problem) in cases {
            assert_eq!(check_identifier(bad).as_deref(), Some(problem), "{bad}");
        }
        assert_eq!(check_identifier(&"x".repeat(1001)).as_deref(), Some("is 1001 characters long, more than 1000"));
        assert_eq!(check_identifier(&"é".repeat(1000)), None, "characters, not bytes");
    }

    #[test]
    fn blueprints_follow_ports_rule() {
        for ok in ["Component", "_team", "aws.s3", "aws:bucket", "org/repo", "a+b", "café", &"x".repeat(100)] {
            assert_eq!(check_blueprint_identifier(ok), None, "{ok}");
        }
        for bad in ["", ".", "..", "a=b", "a b", &"x".repeat(101)] {
            assert!(check_blueprint_identifier(bad).is_some(), "{bad}");
        }
    }
}
