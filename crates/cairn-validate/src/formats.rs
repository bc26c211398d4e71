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

/// `timer`: Port's expiry timestamp, an RFC 3339 date-time such as `2026-12-01T09:00:00Z`.
pub(crate) fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits =
        |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|part| part.iter().all(u8::is_ascii_digit));
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|part| part.parse::<u32>().ok()).unwrap_or(99);
    if bytes.len() < 20 || !digits(0..4) || bytes[4] != b'-' || !digits(5..7) || bytes[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(bytes[10], b'T' | b't' | b' ')
        || !digits(11..13)
        || bytes[13] != b':'
        || !digits(14..16)
        || bytes[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (month, day, hour, minute, second) =
        (number(5..7), number(8..10), number(11..13), number(14..16), number(17..19));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
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
        assert!(!is_date_time("2026-12-01"));
        assert!(!is_date_time("2026-13-01T09:00:00Z"));
        assert!(!is_date_time("2026-12-01T09:00:00"));
    }
}
