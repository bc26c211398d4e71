//! cairn-source against real directories and real git repositories built in temporary
//! directories. Unix only: the fixtures make symbolic links.
#![cfg(unix)]

mod discover;
mod history;
mod listing;
mod merge;
mod objects;
mod overlay;
mod push;
mod read;
mod repo;
mod revisions;

use cairn_source::{EntryKind, Source};

/// The paths of a source and what each is, in the order `Source::files` gives them.
fn listing(source: &Source) -> Vec<(String, EntryKind)> {
    source.files().expect("a listing").iter().cloned().map(|entry| (entry.path, entry.kind)).collect()
}

/// The expected listing, written as `(path, kind)` pairs.
fn entries(expected: &[(&str, EntryKind)]) -> Vec<(String, EntryKind)> {
    expected.iter().map(|&(path, kind)| (path.to_owned(), kind)).collect()
}
