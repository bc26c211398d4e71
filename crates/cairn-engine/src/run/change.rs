//! The change a run makes to the platform's files, as cairn-actions plans it. A local copy of
//! `cairn_actions::Change`, of exactly its shape, so that the engine's side is built and tested
//! before that crate exists; the two are one type once it does.

/// One change to the platform's files. Paths are relative to the platform's root,
/// `/`-separated, as `Source::files` lists them.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A new file (CREATE); refused (a finding) when the path exists.
    Create { path: String, text: String },
    /// Edits to the document of `path` that holds byte `at` (the entity's `span.start`).
    Edit { path: String, at: u32, edits: Vec<cairn_edit::Edit> },
    /// The document of `path` holding `at` removed (DELETE).
    RemoveDocument { path: String, at: u32 },
}
