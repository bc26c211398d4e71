//! Why a pipeline could not run at all (as opposed to findings about what it read).

use std::fmt;

use cairn_source::SourceError;

#[derive(Debug)]
pub enum EngineError {
    /// The repository or revision cannot be opened or listed.
    Source(SourceError),
    /// `--entity` or `--environment` of `cairn render` names nothing in the catalog.
    UnknownSelection(String),
    /// A command that reads history (`cairn audit`) was given a source without one: a folder
    /// outside any git repository.
    NoHistory(String),
}

impl EngineError {
    /// What the user can do about it, when there is something to say (see `SourceError::help`).
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            EngineError::Source(error) => error.help(),
            EngineError::UnknownSelection(_) => {
                Some("`--entity` takes `Blueprint:identifier` and `--environment` an `Environment`'s identifier".into())
            }
            EngineError::NoHistory(_) => Some("give the path of a git work tree or a folder in one".into()),
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Source(error) => error.fmt(f),
            EngineError::UnknownSelection(message) | EngineError::NoHistory(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Transparent: the source error's message is this one's, so its cause comes next.
            EngineError::Source(error) => error.source(),
            EngineError::UnknownSelection(_) | EngineError::NoHistory(_) => None,
        }
    }
}

impl From<SourceError> for EngineError {
    fn from(error: SourceError) -> Self {
        EngineError::Source(error)
    }
}
