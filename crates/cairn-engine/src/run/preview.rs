//! `preview`: the plan of a run's writes before anything is written. The head with the writes
//! laid over it in memory (`Source::overlay`) is planned against the head itself, by the head's
//! rules: the entities and environments the run changes, the findings it introduces and, where
//! golden paths exist, the rendered diff.

use cairn_model::Timestamp;
use cairn_source::Source;

use super::apply::FileWrite;
use crate::error::EngineError;
use crate::plan::{Plan, plan};

/// The plan of `writes` made to `head`, as of `now`: `plan(head, head + writes)`. Over a git
/// revision, every file the writes leave alone is read and parsed once for both sides.
pub fn preview(head: &Source, writes: &[FileWrite], now: Timestamp) -> Result<Plan, EngineError> {
    let overlay =
        Source::overlay(head.clone(), writes.iter().map(|write| (write.path.clone(), write.after.clone())).collect());
    plan(head, &overlay, now)
}
