//! What `cairn run` asks of the engine once an action's change is planned (as `Change`s): the
//! change applied to the head's files in memory (`apply` → `FileWrite`s, the byte edits made by
//! cairn-edit), the platform as it would be judged and planned with those files (`preview`,
//! over `Source::overlay`), the writes as a unified diff for people (`diff_writes`), and the
//! writes put into a working tree (`write_worktree`).
//!
//! Boundary: nothing here decides what an action changes (cairn-actions does) or talks to
//! GitHub (cairn-github does); `apply` and `preview` never touch the disk, and `write_worktree`
//! writes only below the root it is given, never through a link.

mod apply;
mod change;
mod diff;
mod prepare;
mod preview;
mod worktree;

pub use apply::{FileWrite, apply};
pub use change::Change;
pub use diff::diff_writes;
pub use prepare::{PreparedRun, RunFailure, RunRequest, prepare};
pub use preview::preview;
pub use worktree::{WorktreeError, write_worktree};

#[cfg(test)]
mod tests;
