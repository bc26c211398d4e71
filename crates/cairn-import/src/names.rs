//! File and folder names for identifiers: safe on every common file system, unique within a
//! folder, and the same for the same identifiers whatever order they come in.
//!
//! Port's identifiers may hold `/`, `\`, `:`, `@`, `+`, `=` and letters of any script
//! (`^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$`, https://docs.port.io/api-reference/create-an-entity/),
//! none of which a file name can always hold. A name keeps the identifier's ASCII letters,
//! digits, `-`, `_` and `.`; when anything else had to change, a `~` and a hash of the whole
//! identifier follow, so that `org/repo` and `org_repo` stay apart. `~` is in no Port
//! identifier, so a hashed name never equals a plain one.

use std::collections::BTreeMap;

/// How many characters of the identifier a name keeps, before any hash: well under the 255
/// bytes that file systems allow a name, with room for the hash and the extension.
const MAX_STEM: usize = 100;

/// Names Windows refuses for a file whatever its extension
/// (https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file).
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The names of `identifiers`, which share one folder: each is `plain(identifier)` unless that
/// had to change something, or two identifiers differ only by the case of ASCII letters (they
/// would be one file on macOS and Windows), in which case each carries its hash.
pub(crate) fn names<'a>(identifiers: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut names = BTreeMap::new();
    // Plain names that agree but for case; a hashed name holds a `~` and never equals a plain one.
    let mut by_folded: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for identifier in identifiers {
        let (stem, exact) = plain(identifier);
        if exact {
            let group = by_folded.entry(stem.to_ascii_lowercase()).or_default();
            if !group.contains(&identifier) {
                group.push(identifier);
            }
        } else {
            names.insert(identifier, hashed(&stem, identifier));
        }
    }
    for group in by_folded.into_values() {
        let clash = group.len() > 1;
        for identifier in group {
            names.insert(identifier, if clash { hashed(identifier, identifier) } else { identifier.to_owned() });
        }
    }
    names
}

fn hashed(stem: &str, identifier: &str) -> String {
    format!("{stem}~{:08x}", hash(identifier))
}

/// The identifier with every character a file name cannot safely hold replaced by `_`, at most
/// `MAX_STEM` characters, and whether that is the identifier unchanged.
fn plain(identifier: &str) -> (String, bool) {
    let mut stem: String = identifier
        .chars()
        .take(MAX_STEM)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    // A leading `.` hides a file (and `.`, `..` are no names at all); a trailing `.` or space is
    // dropped by Windows.
    if stem.starts_with('.') {
        stem.replace_range(..1, "_");
    }
    if stem.ends_with('.') {
        stem.pop();
        stem.push('_');
    }
    if stem.is_empty() {
        stem.push('_');
    }
    let reserved = WINDOWS_RESERVED.iter().any(|name| {
        let base = stem.split('.').next().unwrap_or_default();
        base.eq_ignore_ascii_case(name)
    });
    let exact = stem == identifier && !reserved;
    (stem, exact)
}

/// FNV-1a (64 bits) of the identifier, folded to 32: a hash that is the same on every machine
/// and release, unlike std's `DefaultHasher`. Two identifiers with one name are still caught
/// by the import (`E0804`), however unlikely.
fn hash(identifier: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in identifier.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    ((hash >> 32) ^ hash) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_identifiers_keep_their_name_and_others_carry_a_hash() {
        let ids =
            ["checkout", "org/repo", "org_repo", "arn:aws:s3:::bucket", "café", ".", "..", "", "CON", "v1.2.3", "a."];
        let names = names(ids);
        assert_eq!(names["checkout"], "checkout");
        assert_eq!(names["v1.2.3"], "v1.2.3");
        assert_eq!(names["org_repo"], "org_repo");
        assert!(names["org/repo"].starts_with("org_repo~"), "{}", names["org/repo"]);
        assert!(names["arn:aws:s3:::bucket"].starts_with("arn_aws_s3___bucket~"));
        assert!(names["café"].starts_with("caf_~"));
        assert!(names["."].starts_with("_~") && names[".."].starts_with("__~") && names[""].starts_with("_~"));
        assert!(names["CON"].starts_with("CON~"));
        assert!(names["a."].starts_with("a_~"));
        let mut all: Vec<_> = names.values().map(|name| name.to_ascii_lowercase()).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), ids.len(), "every name is unique, ignoring case: {names:?}");
    }

    #[test]
    fn identifiers_that_differ_only_by_case_both_carry_a_hash_whatever_the_order() {
        let one = names(["Cart", "cart"]);
        let other = names(["cart", "Cart"]);
        assert_eq!(one, other);
        assert!(one["Cart"].starts_with("Cart~") && one["cart"].starts_with("cart~"));
        assert_ne!(one["Cart"].to_ascii_lowercase(), one["cart"].to_ascii_lowercase());
    }

    #[test]
    fn the_hash_is_the_same_on_every_run() {
        assert_eq!(names(["org/repo"])["org/repo"], format!("org_repo~{:08x}", hash("org/repo")));
        assert_eq!(hash(""), 0xcbf2_9ce4 ^ 0x8422_2325);
    }
}
