//! Port's property formats that JSON Schema does not define, checked where they have a meaning.
//! `team` is checked against the catalog's teams by entity validation; `markdown` and `proto`
//! are any text.

/// `url`: a scheme, `://`, and a non-empty remainder without white space.
pub(crate) fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !rest.chars().any(char::is_whitespace)
}

/// `date-time` and `timer`: an RFC 3339 date-time with any offset, such as `2026-12-01T09:00:00Z`,
/// read as every instant in cairn is (`cairn_model::parse_timestamp`).
pub(crate) fn is_date_time(text: &str) -> bool {
    cairn_model::parse_timestamp(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_url("https://runbooks.acme.example/checkout"));
        assert!(is_url("git+ssh://git@example.com/a.git"));
        assert!(!is_url("runbooks.acme.example"));
        assert!(!is_url("https://"));
        assert!(!is_url("https://a b"));
    }

    #[test]
    fn date_times() {
        assert!(is_date_time("2026-12-01T09:00:00Z"));
        assert!(is_date_time("2026-12-01T09:00:00.125+02:00"));
        assert!(is_date_time("2026-01-26T01:39:15.250+0200"));
        assert!(!is_date_time("2026-12-01"));
        assert!(!is_date_time("2026-13-01T09:00:00Z"));
        assert!(!is_date_time("2026-12-01T09:00:00"));
    }
}
