//! `init`: a new platform repository from the bundled libraries, which passes `cairn check`
//! as it is: the bundled blueprints and policies, a starter catalog, a README for the platform
//! team, and the GitHub workflows: one runs cairn on every pull request, one reconciles the
//! merged state (`cairn reconcile`) on every push to main and every hour.

use std::fmt::{self, Write};
use std::path::{Component, Path, PathBuf};

/// The release of cairn's GitHub Action that the workflow `init` writes uses: this cairn's own
/// version, as the tag `.github/workflows/release.yml` publishes it under.
pub const ACTION_VERSION: &str = concat!("v", env!("CARGO_PKG_VERSION"));

/// Where GitHub reads workflows from: the root of the repository, never a folder of it
/// (https://docs.github.com/en/actions/writing-workflows/about-workflows).
const WORKFLOWS: &str = ".github/workflows";

/// The workflows: the file name, cairn's action it uses (`actions/<name>`), and its template,
/// which ends with the action's `uses:` line.
const WORKFLOW_FILES: &[(&str, &str, &str)] = &[
    ("cairn.yaml", "check", include_str!("workflow.yaml")),
    ("cairn-reconcile.yaml", "reconcile", include_str!("reconcile.yaml")),
];

/// The starter files, by path in the new repository.
const STARTER: &[(&str, &str)] = &[
    ("README.md", include_str!("README.md")),
    ("cairn.yaml", include_str!("cairn.yaml")),
    ("catalog/teams.yaml", include_str!("teams.yaml")),
    ("catalog/platform/domain.yaml", include_str!("domain.yaml")),
    ("catalog/platform/developer-portal/system.yaml", include_str!("system.yaml")),
    ("catalog/platform/developer-portal/portal.yaml", include_str!("portal.yaml")),
    ("environments/dev-example.yaml", include_str!("dev-example.yaml")),
];

/// What `init` wrote.
#[derive(Debug)]
pub struct Initialized {
    /// The files written, relative to the new platform repository, sorted.
    pub written: Vec<String>,
    /// The workflows, when they are not in the new platform repository: the platform is a
    /// folder of a larger git repository, and the workflows are at that repository's root.
    pub root_workflows: Vec<RootWorkflow>,
}

/// The workflow at the root of the git repository that holds the new platform repository.
#[derive(Debug)]
pub struct RootWorkflow {
    /// Where it is.
    pub path: PathBuf,
    /// The platform's folder relative to the git repository's root, `/`-separated: the `path`
    /// the workflow gives the action.
    pub platform: String,
    /// It was there already, exactly as `init` would write it, and was left alone.
    pub unchanged: bool,
}

#[derive(Debug)]
pub enum InitError {
    /// The directory has files already; `init` never overwrites.
    NotEmpty(PathBuf),
    /// The git repository has a workflow at a path `init` writes to, which `init` did not
    /// write (or wrote for another folder); `init` never overwrites it.
    WorkflowExists {
        path: PathBuf,
        platform: String,
        /// cairn's action the workflow would use (`check`, `reconcile`).
        action: &'static str,
    },
    /// The platform's folder cannot be written into a workflow as text.
    NotUnicode(PathBuf),
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
            InitError::WorkflowExists { path, platform, action } => write!(
                f,
                "`{}` exists and `cairn init` never overwrites it\n\
                 help: add a step to it that runs cairn for `{platform}`:\n\
                 {}",
                path.display(),
                action_step(action, platform).trim_end()
            ),
            InitError::NotUnicode(path) => {
                write!(f, "`{}` is not valid UTF-8, so no workflow can name it", path.display())
            }
            InitError::Io { path, .. } => write!(f, "cannot write `{}`", path.display()),
        }
    }
}

impl std::error::Error for InitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InitError::NotEmpty(_) | InitError::WorkflowExists { .. } | InitError::NotUnicode(_) => None,
            InitError::Io { error, .. } => Some(error),
        }
    }
}

/// Writes a new platform repository into `dir` (created if needed, otherwise empty but for a
/// `.git` folder). When `dir` is a folder of a larger git repository, the workflow goes to that
/// repository's root, where GitHub reads it, with the folder as the action's `path`.
///
/// Nothing is written unless everything can be: the checks come first.
pub fn init(dir: &Path) -> Result<Initialized, InitError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.any(|entry| entry.is_ok_and(|entry| entry.file_name() != ".git")) {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let enclosing = enclosing_repository(dir)?;
    let mut root_workflows = Vec::new();
    if let Some((root, platform)) = &enclosing {
        for &(name, action, template) in WORKFLOW_FILES {
            let path = root.join(WORKFLOWS).join(name);
            let contents = workflow(template, action, Some(platform));
            let unchanged = match std::fs::read(&path) {
                Ok(existing) if existing == contents.as_bytes() => true,
                Ok(_) => return Err(InitError::WorkflowExists { path, platform: platform.clone(), action }),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
                Err(error) => return Err(InitError::Io { path, error }),
            };
            root_workflows.push((RootWorkflow { path, platform: platform.clone(), unchanged }, contents));
        }
    }

    // The bundled policies and scorecards apply from the binary (`library.policies`,
    // `library.scorecards` in cairn.yaml), so that they stay current with cairn; copies would
    // define their packages (and scorecards) twice.
    let library = cairn_library::FILES
        .iter()
        .filter(|file| std::path::Path::new(file.path).extension().is_none_or(|extension| extension != "rego"))
        .filter(|file| !file.path.starts_with(cairn_library::SCORECARDS_FOLDER))
        .map(|file| (file.path, file.contents.to_owned()));
    let starter = STARTER.iter().map(|&(path, contents)| (path, contents.to_owned()));
    let in_dir = WORKFLOW_FILES
        .iter()
        .filter(|_| enclosing.is_none())
        .map(|&(name, action, template)| (format!("{WORKFLOWS}/{name}"), workflow(template, action, None)));
    let mut written = Vec::new();
    for (path, contents) in library.chain(starter).map(|(path, contents)| (path.to_owned(), contents)).chain(in_dir) {
        write(&dir.join(&path), &contents)?;
        written.push(path);
    }
    written.sort();
    let mut kept = Vec::new();
    for (workflow, contents) in root_workflows {
        if !workflow.unchanged {
            write(&workflow.path, &contents)?;
        }
        kept.push(workflow);
    }
    Ok(Initialized { written, root_workflows: kept })
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> InitError {
    let path = path.to_path_buf();
    move |error| InitError::Io { path, error }
}

fn write(target: &Path, contents: &str) -> Result<(), InitError> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(target, contents).map_err(io(target))
}

/// A workflow from its template, for a platform at the repository's root (`None`) or in the
/// folder `platform`.
fn workflow(template: &str, action: &str, platform: Option<&str>) -> String {
    let mut text = template.replace("{version}", ACTION_VERSION);
    if let Some(platform) = platform {
        let step = action_step(action, platform);
        // The template ends with the action's `uses:` line; its `with:` follows it.
        text.push_str(step.split_once('\n').map_or("", |(_, with)| with));
    }
    text
}

/// The action's step for the platform in the folder `platform`, as the workflow writes it.
fn action_step(action: &str, platform: &str) -> String {
    format!(
        "      - uses: cairn-platform/cairn/actions/{action}@{ACTION_VERSION}\n        with:\n          path: {}\n",
        yaml_scalar(platform)
    )
}

/// `text` as a YAML scalar: plain when it can only be read as that string, else double-quoted,
/// whose escapes are JSON's (https://yaml.org/spec/1.2.2/#731-double-quoted-style). A plain
/// scalar starts with a letter, so that it is no number, and is none of the words YAML 1.1
/// reads as a boolean or null (https://yaml.org/type/bool.html).
fn yaml_scalar(text: &str) -> String {
    const RESERVED: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null"];
    let plain = text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text));
    if plain {
        return text.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// The root of the git repository `dir` is a folder of, and `dir` relative to it, or `None`
/// when `dir` is not in a git repository or is its root. A repository is a folder with a `.git`
/// entry (a folder, or a file in a linked worktree or a submodule), as `git` finds it without
/// `GIT_DIR` (the engine reads no environment).
fn enclosing_repository(dir: &Path) -> Result<Option<(PathBuf, String)>, InitError> {
    let dir = canonical(dir)?;
    let Some(root) = dir.ancestors().find(|folder| folder.join(".git").exists()) else {
        return Ok(None);
    };
    if root == dir {
        return Ok(None);
    }
    let relative = dir.strip_prefix(root).expect("an ancestor is a prefix");
    let mut parts = Vec::new();
    for part in relative.components() {
        parts.push(part.as_os_str().to_str().ok_or_else(|| InitError::NotUnicode(relative.to_path_buf()))?);
    }
    Ok(Some((root.to_path_buf(), parts.join("/"))))
}

/// `dir` made absolute with its symbolic links resolved, also when it does not exist yet: `..`
/// is resolved by name first (as a shell's `cd` does), then the nearest existing ancestor is
/// resolved, and the rest, which can hold no link, is kept as written.
fn canonical(dir: &Path) -> Result<PathBuf, InitError> {
    let absolute = std::path::absolute(dir).map_err(io(dir))?;
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    let mut existing = normal.as_path();
    while !existing.exists() {
        let Some(parent) = existing.parent() else { break };
        existing = parent;
    }
    let rest = normal.strip_prefix(existing).expect("an ancestor is a prefix");
    Ok(existing.canonicalize().map_err(io(existing))?.join(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_plain_yaml_when_they_can_be_and_quoted_otherwise() {
        assert_eq!(yaml_scalar("platform/infra-2.x_y"), "platform/infra-2.x_y");
        for (name, quoted) in [
            ("my platform", r#""my platform""#),
            ("a#b: c", r#""a#b: c""#),
            (r#"say "hi"\now"#, r#""say \"hi\"\\now""#),
            ("-dash", r#""-dash""#),
            (".hidden", r#"".hidden""#),
            ("tab\there", r#""tab\u0009here""#),
            ("yes", r#""yes""#),
            ("Null", r#""Null""#),
            ("2024", r#""2024""#),
            ("yesterday", "yesterday"),
        ] {
            assert_eq!(yaml_scalar(name), quoted, "{name}");
        }
    }

    #[test]
    fn a_folder_that_does_not_exist_yet_is_resolved_through_its_existing_ancestor() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().canonicalize().expect("the temp dir");
        assert_eq!(canonical(&dir.path().join("a/../b/./c")).expect("resolved"), real.join("b/c"));
        std::fs::create_dir(dir.path().join(".git")).expect("a repository");
        let (root, platform) = enclosing_repository(&dir.path().join("infra/new")).expect("no error").expect("inside");
        assert_eq!((root, platform.as_str()), (real.clone(), "infra/new"));
        assert!(enclosing_repository(dir.path()).expect("no error").is_none(), "the root itself");
    }
}
