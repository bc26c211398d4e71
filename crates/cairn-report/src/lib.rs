//! Renderings of an `Outcome`. Every format reads the same diagnostics; each is its own module.

mod human;
mod json;

pub use human::{HumanOptions, human, policy_tests};
pub use json::json;
