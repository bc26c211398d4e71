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

/// `date-time` and `timer`: a date-time as Port accepts it (`date_time_spelling`).
pub(crate) fn is_date_time(text: &str) -> bool {
    date_time_spelling(text).is_some()
}

/// How a date-time Port accepts is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DateTimeSpelling {
    /// RFC 3339 (`2026-01-26T01:39:15.250+02:00`), the spelling of Port's documentation.
    Rfc3339,
    /// A looser spelling Port accepts too, with its RFC 3339 equivalent.
    Loose { rfc3339: String },
}

/// Whether Port accepts `text` as a `format: date-time` value, and in which spelling.
///
/// Port's documentation of date-time properties
/// (<https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/datetime>)
/// declares them `"type": "string", "format": "date-time"` and writes RFC 3339 values
/// (`2022-04-18T11:44:15.345Z`). Port's own integrations also send two looser spellings that its
/// API accepts: a space instead of the `T` (`2025-10-28 13:29:59+00:00`) and an offset without
/// its colon (`2026-01-26T01:39:15.250+0200`); both are the spellings JSON Schema validators
/// commonly take for `date-time`. So: `YYYY-MM-DD`, `T`, `t` or a space, `HH:MM:SS`, an optional
/// fraction, then `Z`, `z`, `±HH:MM` or `±HHMM`, naming a real day and time. Anything else (no
/// offset, no seconds, ISO 8601's basic format `20260126T013915Z`, a comma before the fraction,
/// jiff's time-zone annotations) is not a Port date-time and stays a finding.
pub(crate) fn date_time_spelling(text: &str) -> Option<DateTimeSpelling> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes.get(range).is_some_and(|run| run.iter().all(u8::is_ascii_digit));
    // `YYYY-MM-DD?HH:MM:SS`
    let shaped = bytes.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19);
    if !shaped {
        return None;
    }
    let spaced = match bytes[10] {
        b'T' | b't' => false,
        b' ' => true,
        _ => return None,
    };
    let mut end = 19;
    if bytes.get(end) == Some(&b'.') {
        let fraction = bytes[end + 1..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        if fraction == 0 {
            return None;
        }
        end += 1 + fraction;
    }
    let offset = &text[end..];
    let colonless = match offset.as_bytes() {
        [b'Z' | b'z'] => false,
        [b'+' | b'-', h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit()) => false,
        [b'+' | b'-', h1, h2, m1, m2] if [h1, h2, m1, m2].iter().all(|byte| byte.is_ascii_digit()) => true,
        _ => return None,
    };
    let rfc3339 = if spaced || colonless {
        let offset = if colonless { format!("{}:{}", &offset[..3], &offset[3..]) } else { offset.to_owned() };
        format!("{}T{}{offset}", &text[..10], &text[11..end])
    } else {
        text.to_owned()
    };
    // The shape is right; jiff says whether it names a real day and time (`2026-02-30` does not).
    cairn_model::parse_timestamp(&rfc3339)?;
    Some(if rfc3339 == text { DateTimeSpelling::Rfc3339 } else { DateTimeSpelling::Loose { rfc3339 } })
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
    fn date_times_as_port_accepts_them() {
        for rfc3339 in ["2026-12-01T09:00:00Z", "2026-12-01T09:00:00.125+02:00", "2026-12-01t09:00:00z"] {
            assert_eq!(date_time_spelling(rfc3339), Some(DateTimeSpelling::Rfc3339), "{rfc3339}");
        }
        let loose = [
            ("2026-01-26T01:39:15.250+0200", "2026-01-26T01:39:15.250+02:00"),
            ("2025-10-28 13:29:59+00:00", "2025-10-28T13:29:59+00:00"),
            ("2025-10-28 13:29:59.5-0530", "2025-10-28T13:29:59.5-05:30"),
            ("2025-10-28 13:29:59Z", "2025-10-28T13:29:59Z"),
        ];
        for (text, rfc3339) in loose {
            let expected = DateTimeSpelling::Loose { rfc3339: rfc3339.to_owned() };
            assert_eq!(date_time_spelling(text), Some(expected), "{text}");
        }
        let rejected = [
            "2026-12-01",
            "2026-13-01T09:00:00Z",
            "2026-02-30T09:00:00Z",
            "2026-12-01T09:00:00",
            "2026-12-01T09:00Z",
            "2026-12-01T09:00:00+02",
            "2026-12-01T09:00:00.Z",
            "2026-12-01T09:00:00,5Z",
            "20261201T090000Z",
            "2026-12-01T09:00:00Z[Europe/Paris]",
            "2026-12-01_09:00:00Z",
            "2026-12-01T09:00:00+0200 ",
            "",
        ];
        for text in rejected {
            assert_eq!(date_time_spelling(text), None, "{text}");
            assert!(!is_date_time(text), "{text}");
        }
    }
}
