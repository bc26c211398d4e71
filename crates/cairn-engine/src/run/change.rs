//! The change a run makes to the platform's files, as cairn-actions plans it. Paths are
//! relative to the platform's root, `/`-separated, as `Source::files` lists them.

pub use cairn_actions::Change;
