//! `init`: a new platform repository from the bundled libraries, which passes `cairn check`
//! as it is: the bundled blueprints and policies, a starter catalog, and a README for the
//! platform team.

use std::fmt;
use std::path::{Path, PathBuf};

/// The starter files, by path in the new repository.
const STARTER: &[(&str, &str)] = &[
    ("README.md", include_str!("README.md")),
    ("cairn.yaml", include_str!("cairn.yaml")),
    ("catalog/teams.yaml", include_str!("teams.yaml")),
    ("catalog/platform/domain.yaml", include_str!("domain.yaml")),
    ("catalog/platform/developer-portal/system.yaml", include_str!("system.yaml")),
    ("catalog/platform/developer-portal/portal.yaml", include_str!("portal.yaml")),
    ("environments/dev-example.yaml", include_str!("dev-example.yaml")),
    (".github/workflows/cairn.yaml", include_str!("workflow.yaml")),
];

#[derive(Debug)]
pub enum InitError {
    /// The directory has files already; `init` never overwrites.
    NotEmpty(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::NotEmpty(path) => {
                write!(f, "`{}` is not empty; `cairn init` only writes into a new or empty directory", path.display())
            }
            InitError::Io { path, .. } => write!(f, "cannot write `{}`", path.display()),
        }
    }
}

impl std::error::Error for InitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InitError::NotEmpty(_) => None,
            InitError::Io { error, .. } => Some(error),
        }
    }
}

/// Writes a new platform repository into `dir` (created if needed, otherwise empty but for a
/// `.git` folder) and returns the paths written, relative to `dir`.
pub fn init(dir: &Path) -> Result<Vec<String>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| InitError::Io { path, error }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.any(|entry| entry.is_ok_and(|entry| entry.file_name() != ".git")) {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    // The bundled policies apply from the binary (`library.policies` in cairn.yaml), so that
    // they stay current with cairn; copies would define their packages twice.
    let library = cairn_library::FILES
        .iter()
        .filter(|file| std::path::Path::new(file.path).extension().is_none_or(|extension| extension != "rego"))
        .map(|file| (file.path, file.contents));
    let mut written = Vec::new();
    for (path, contents) in library.chain(STARTER.iter().copied()) {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&target, contents).map_err(io(&target))?;
        written.push(path.to_owned());
    }
    written.sort();
    Ok(written)
}
