//! Values cut short for messages: a finding about a 1000-character identifier names it by its
//! start and length rather than printing it whole.

use std::borrow::Cow;

/// How many characters of a long value a message shows.
const SHOWN: usize = 60;

/// `value` whole when it has at most 80 characters; otherwise its first 60 characters, `…` and
/// its length, such as `xxxx…(1001 characters)`. Counts characters, not bytes, so that a cut
/// never splits one.
#[must_use]
pub fn shorten(value: &str) -> Cow<'_, str> {
    let length = value.chars().count();
    if length <= SHOWN + 20 {
        return Cow::Borrowed(value);
    }
    let start: String = value.chars().take(SHOWN).collect();
    Cow::Owned(format!("{start}…({length} characters)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_shows_its_start_and_its_length() {
        assert_eq!(shorten("cart"), "cart");
        assert_eq!(shorten(&"x".repeat(80)), "x".repeat(80));
        assert_eq!(shorten(&"x".repeat(1001)), format!("{}…(1001 characters)", "x".repeat(60)));
        // Characters, not bytes: a cut through `é` would not be text.
        assert_eq!(shorten(&"é".repeat(100)), format!("{}…(100 characters)", "é".repeat(60)));
    }
}
