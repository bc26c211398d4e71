//! The one `Diagnostic` type that every cairn finding is expressed in, with its stable codes,
//! the source files that findings point into, and their rendering through miette.

mod code;
mod diagnostic;
mod entity_ref;
mod render;
mod shorten;
mod source;
mod suggest;

pub use code::{Code, Severity};
pub use diagnostic::{Diagnostic, Location, PolicyRule, Related, Waived, rooted};
pub use entity_ref::{EntityRef, EntityRefError};
pub use render::render_human;
pub use shorten::shorten;
pub use source::{ByteSpan, Position, SourceFile, SourceMap};
pub use suggest::{did_you_mean, near_names};
