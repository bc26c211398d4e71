//! Time as the platform repository writes it: days (a waiver's `expires`), instants (RFC 3339
//! date-times with any offset, such as an environment's `createdAt`) and lifetimes (`ttl`). Every
//! parse goes through jiff, the date-time library of the whole workspace (docs/ARCHITECTURE.md
//! says why jiff). Nothing here reads the clock: the caller says what `now` is.

pub use jiff::civil::Date;
pub use jiff::{SignedDuration, Timestamp};

/// Reads a day written `YYYY-MM-DD`, exactly: four, two and two digits, and a day of the
/// calendar (`2026-02-30` is not). jiff alone would also take ISO 8601's other spellings
/// (`20261231`, `+002026-12-31`), which a waiver's reader should not have to know.
#[must_use]
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    shaped.then(|| text.parse().ok()).flatten()
}

/// Reads an instant written as an RFC 3339 date-time with any offset (`2026-11-24T09:15:00Z`,
/// `2026-11-24T09:15:00.250+01:00`). jiff's parser accepts RFC 3339 and the ISO 8601 forms
/// around it (a space for `T`, `+0100` for `+01:00`); a date-time without an offset is not an
/// instant and is refused.
#[must_use]
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

/// The units a `ttl` may use, for help texts.
pub const TTL_UNITS: &str =
    "a whole number of minutes (`m`), hours (`h`), days (`d`, 24 hours) or weeks (`w`), such as `12h` or `5d`";

/// Reads a lifetime: a whole number and one unit, `m` (minutes), `h` (hours), `d` (days of 24
/// hours) or `w` (weeks). A day is 24 hours rather than a calendar day, so that a lifetime is
/// the same length whatever the time zone and daylight saving.
#[must_use]
pub fn parse_ttl(text: &str) -> Option<SignedDuration> {
    let unit = text.chars().last()?;
    let count = &text[..text.len() - unit.len_utf8()];
    if count.is_empty() || !count.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let count: i64 = count.parse().ok()?;
    let minutes = match unit {
        'm' => 1,
        'h' => 60,
        'd' => 24 * 60,
        'w' => 7 * 24 * 60,
        _ => return None,
    };
    // A lifetime past jiff's range of instants (about 20,000 years) is no lifetime.
    let seconds = count.checked_mul(minutes)?.checked_mul(60)?;
    (seconds <= Timestamp::MAX.as_second() - Timestamp::MIN.as_second()).then(|| SignedDuration::from_secs(seconds))
}

/// The day `instant` falls on in UTC: waivers expire by UTC days.
#[must_use]
pub fn utc_date(instant: Timestamp) -> Date {
    jiff::tz::Offset::UTC.to_datetime(instant).date()
}

/// Reads the instant `--now` names: an RFC 3339 date-time, or a day (`YYYY-MM-DD`, taken as its
/// first instant in UTC).
#[must_use]
pub fn parse_now(text: &str) -> Option<Timestamp> {
    if let Some(date) = parse_date(text) {
        return jiff::tz::Offset::UTC.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).ok();
    }
    parse_timestamp(text)
}

/// Reads an instant that ends a period (`--until`, `cairn audit at --at`): an RFC 3339 date-time,
/// or a day (`YYYY-MM-DD`) taken as its last instant in UTC, so that the day's own commits count.
#[must_use]
pub fn parse_until(text: &str) -> Option<Timestamp> {
    if let Some(date) = parse_date(text) {
        let next = date.tomorrow().ok()?;
        let midnight = jiff::tz::Offset::UTC.to_timestamp(next.to_datetime(jiff::civil::Time::midnight())).ok()?;
        return midnight.checked_sub(SignedDuration::from_nanos(1)).ok();
    }
    parse_timestamp(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_ends_at_its_days_last_instant() {
        let at = |text: &str| parse_until(text).map(|at| at.to_string());
        assert_eq!(at("2026-11-24"), Some("2026-11-24T23:59:59.999999999Z".to_owned()));
        assert_eq!(at("2026-12-31"), Some("2026-12-31T23:59:59.999999999Z".to_owned()));
        assert_eq!(at("2026-11-24T09:15:00+01:00"), Some("2026-11-24T08:15:00Z".to_owned()));
        assert_eq!(at("main~3"), None);
        assert_eq!(at("2026-02-30"), None);
    }

    #[test]
    fn days_are_exactly_year_month_day() {
        for valid in ["2026-12-31", "2024-02-29", "2000-02-29", "2026-04-30", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_date(valid).map(|date| date.to_string()).as_deref(), Some(valid));
        }
        for invalid in [
            "2026-02-30",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-01",
            "26-01-01",
            "20261231",
            "2026/01/01",
            "2026-01-01T00:00:00Z",
            "+026-01-01",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(parse_date(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn days_order_chronologically() {
        let date = |text| parse_date(text).expect("a valid date");
        assert!(date("2026-12-31") < date("2027-01-01"));
        assert!(date("2026-02-28") < date("2026-03-01"));
        assert!(date("2026-10-09") > date("2026-09-30"));
    }

    #[test]
    fn instants_take_any_offset() {
        let cases = [
            ("2026-11-24T09:15:00Z", "2026-11-24T09:15:00Z"),
            ("2026-11-24T09:15:00+01:00", "2026-11-24T08:15:00Z"),
            ("2026-11-24t09:15:00z", "2026-11-24T09:15:00Z"),
            ("2026-11-24T00:30:00-05:30", "2026-11-24T06:00:00Z"),
            ("2026-01-26T01:39:15.250+0200", "2026-01-25T23:39:15.25Z"),
            ("2025-10-28 13:29:59+00:00", "2025-10-28T13:29:59Z"),
        ];
        for (text, utc) in cases {
            assert_eq!(parse_timestamp(text).map(|t| t.to_string()).as_deref(), Some(utc), "{text}");
        }
        for invalid in ["2026-12-01", "2026-12-01T09:00:00", "2026-13-01T09:00:00Z", "yesterday", ""] {
            assert_eq!(parse_timestamp(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn lifetimes_have_one_unit() {
        let cases = [("30m", 30 * 60), ("12h", 12 * 3600), ("5d", 5 * 86_400), ("2w", 14 * 86_400), ("0d", 0)];
        for (text, seconds) in cases {
            assert_eq!(parse_ttl(text), Some(SignedDuration::from_secs(seconds)), "{text}");
        }
        for invalid in ["", "d", "5", "5y", "-5d", "+5d", "5 d", "1.5d", "5dd", "٣d", "99999999999999999999w"] {
            assert_eq!(parse_ttl(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn now_is_an_instant_or_a_day() {
        assert_eq!(parse_now("2099-01-01").map(|t| t.to_string()).as_deref(), Some("2099-01-01T00:00:00Z"));
        assert_eq!(
            parse_now("2099-01-01T10:00:00+02:00").map(|t| t.to_string()).as_deref(),
            Some("2099-01-01T08:00:00Z")
        );
        assert_eq!(parse_now("tomorrow"), None);
        let late = parse_timestamp("2026-12-31T23:30:00-02:00").expect("an instant");
        assert_eq!(utc_date(late).to_string(), "2027-01-01");
    }
}
