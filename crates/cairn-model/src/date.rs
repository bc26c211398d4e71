//! `Date`: a day of the Gregorian calendar, as waivers write their expiry, and today's date in
//! UTC from the system clock. Just enough calendar for that, without a date crate.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A valid day from 0000-01-01 to 9999-12-31. Dates order chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // The field order makes the derived order chronological.
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it is a day of the calendar: `Date::new(2026, 2, 30)` is `None`.
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = year <= 9999 && (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`, exactly: four, two and two digits.
    #[must_use]
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(index, byte)| match index {
                4 | 7 => *byte == b'-',
                _ => byte.is_ascii_digit(),
            });
        if !shaped {
            return None;
        }
        // Every byte is ASCII, so these slices fall on character boundaries.
        Date::new(text[..4].parse().ok()?, text[5..7].parse().ok()?, text[8..].parse().ok()?)
    }

    /// Today in UTC by the system clock; a clock set before 1970 reads as 1970-01-01.
    #[must_use]
    pub fn today_utc() -> Date {
        let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs());
        Date::from_days_since_epoch(seconds / 86_400)
    }

    /// The date `days` days after 1970-01-01, by Howard Hinnant's `civil_from_days` (the inverse
    /// of `days_from_civil`), on unsigned numbers since the epoch is the earliest day needed.
    /// Days past 9999-12-31 give 9999-12-31.
    #[must_use]
    pub fn from_days_since_epoch(days: u64) -> Date {
        // Count from 0000-03-01, so that the leap day ends each 400-year era's years.
        let days = days + 719_468;
        let era = days / 146_097;
        let day_of_era = days % 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        // Months from March: 0 is March, 11 is February.
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u8;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u8;
        let year = era * 400 + year_of_era + u64::from(month <= 2);
        match u16::try_from(year) {
            Ok(year) if year <= 9999 => Date { year, month, day },
            _ => Date { year: 9999, month: 12, day: 31 },
        }
    }

    /// Days since 1970-01-01 (Hinnant's `days_from_civil`); dates before it give 0.
    #[must_use]
    pub fn days_since_epoch(self) -> u64 {
        let year = u64::from(self.year) - u64::from(self.month <= 2);
        let era = year / 400;
        let year_of_era = year % 400;
        let month = u64::from(self.month);
        let month_from_march = if month > 2 { month - 3 } else { month + 9 };
        let day_of_year = (153 * month_from_march + 2) / 5 + u64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        (era * 146_097 + day_of_era).saturating_sub(719_468)
    }

    #[must_use]
    pub fn year(self) -> u16 {
        self.year
    }

    #[must_use]
    pub fn month(self) -> u8 {
        self.month
    }

    #[must_use]
    pub fn day(self) -> u8 {
        self.day
    }
}

fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD`, as it is written.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_days_of_the_calendar() {
        for valid in ["2026-12-31", "2024-02-29", "2000-02-29", "2026-04-30", "0000-01-01", "9999-12-31"] {
            assert_eq!(Date::parse(valid).map(|date| date.to_string()).as_deref(), Some(valid));
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
            "2026/01/01",
            "2026-01-01T00:00:00Z",
            "+026-01-01",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(Date::parse(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn orders_chronologically() {
        let date = |text| Date::parse(text).expect("a valid date");
        assert!(date("2026-12-31") < date("2027-01-01"));
        assert!(date("2026-02-28") < date("2026-03-01"));
        assert!(date("2026-10-09") > date("2026-09-30"));
    }

    #[test]
    fn counts_days_from_the_epoch() {
        let day = |days| Date::from_days_since_epoch(days).to_string();
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(11_016), "2000-02-29");
        assert_eq!(day(19_723), "2024-01-01");
        assert_eq!(day(u64::MAX / 2), "9999-12-31");
        // Each day is the one after the day before, through four centuries of leap years.
        let mut previous = Date::from_days_since_epoch(0);
        for days in 1..=146_097 {
            let next = Date::from_days_since_epoch(days);
            let expected = if previous.day < days_in_month(previous.year, previous.month) {
                Date { day: previous.day + 1, ..previous }
            } else if previous.month < 12 {
                Date { month: previous.month + 1, day: 1, ..previous }
            } else {
                Date { year: previous.year + 1, month: 1, day: 1 }
            };
            assert_eq!(next, expected, "day {days}");
            previous = next;
        }
    }

    #[test]
    fn today_is_plausible() {
        let today = Date::today_utc();
        assert!(today.year() >= 2025, "{today}");
        assert!(today < Date::parse("2200-01-01").expect("a valid date"));
    }

    #[test]
    fn days_since_epoch_inverts_from_days_since_epoch() {
        for days in [0, 1, 59, 60, 365, 10_957, 20_781, 2_932_896] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::parse("2026-11-29").map(Date::days_since_epoch), Some(20_786));
    }
}
