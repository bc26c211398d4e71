//! `publish_rendered`: a revision's rendered output committed to the rendered branch
//! (docs/reconcile.md, "Rendered branch"). The commit is a pure function of the source commit
//! and cairn's version (tree, message, author and time all come from them), so two processes
//! publishing the same revision make the same commit, and the branch moves only by
//! compare-and-swap on the tip that was read.
//!
//! Invariant: an old revision never undoes a newer one, and a branch holding commits cairn did
//! not make is never written to.

use std::fmt::Write as _;

use cairn_model::{SETTINGS_FILE, Timestamp};
use cairn_render::{MANIFEST_FILE, Rendered, TEMPLATES_FOLDER};
use cairn_source::{BranchUpdate, CommitId, CommitInfo, NewCommit, ObjectsError, Repository, Signature, Source};

use crate::error::EngineError;
use crate::render::{RenderOptions, Rendering, render};

/// The trailer naming the commit a rendered commit was rendered from.
pub const SOURCE_TRAILER: &str = "Cairn-Source-Commit";
/// The trailer holding `rendered_digest` of the commit's tree.
pub const DIGEST_TRAILER: &str = "Cairn-Rendered-Digest";
/// The trailer naming the version of cairn that rendered it.
pub const VERSION_TRAILER: &str = "Cairn-Version";
/// The trailer holding `inputs_digest` of the source.
pub const INPUTS_TRAILER: &str = "Cairn-Inputs-Digest";

/// Who makes rendered commits.
const NAME: &str = "cairn";
const EMAIL: &str = "cairn@localhost";

/// How many times a lost compare-and-swap is decided again before giving up.
const ATTEMPTS: u32 = 5;

/// What publishing did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// A new commit is the branch's tip.
    Committed { commit: CommitId },
    /// The tip's tree is already exactly this output: nothing written.
    Unchanged { tip: CommitId },
    /// The tip was already rendered from this source commit: nothing written.
    Current { tip: CommitId },
    /// The tip was rendered from `by`, a descendant of the source commit: an older revision
    /// never undoes a newer one, nothing written.
    Superseded { tip: CommitId, by: CommitId },
}

/// Why nothing was published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Only a commit has a commit time and a history to publish from.
    #[error("{0} is not a git revision: only a commit can be published")]
    NotARevision(String),
    #[error("cannot read the revision to publish")]
    Source(#[source] EngineError),
    /// The rendering has errors; it holds the findings.
    #[error("the rendering of `{commit}` has errors: nothing was published")]
    Rendering { commit: CommitId, rendering: Box<Rendering> },
    /// The branch's tip has no `Cairn-Source-Commit` trailer.
    #[error(
        "branch `{branch}` ends in commit `{tip}`, which cairn did not make (it has no `{SOURCE_TRAILER}` trailer)"
    )]
    Foreign { branch: String, tip: CommitId },
    /// The tip was rendered from a commit that is neither an ancestor nor a descendant of ours.
    #[error(
        "branch `{branch}`'s tip `{tip}` was rendered from `{rendered_from}`, which is neither an ancestor nor a descendant of `{commit}`"
    )]
    Diverged { branch: String, tip: CommitId, rendered_from: CommitId, commit: CommitId },
    #[error("branch `{branch}` kept moving while publishing: gave up after {ATTEMPTS} attempts")]
    Contended { branch: String },
    #[error("cannot publish to branch `{branch}`")]
    Git {
        branch: String,
        #[source]
        error: ObjectsError,
    },
}

impl PublishError {
    /// What the user can do about it, when there is something to say.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        match self {
            PublishError::Foreign { .. } => Some(
                "the rendered branch holds only cairn's commits: choose another branch (`reconcile.rendered-branch` in `cairn.yaml`) or remove the foreign commits"
                    .to_owned(),
            ),
            PublishError::Diverged { .. } => {
                Some("the rendered branch follows another history: publish from the branch it was rendered from".to_owned())
            }
            PublishError::Source(error) => error.help(),
            _ => None,
        }
    }
}

/// Renders the revision `source` and commits its output to `branch` (see the module's doc);
/// `version` is cairn's, written in the `Cairn-Version` trailer.
pub fn publish_rendered(source: &Source, branch: &str, version: &str) -> Result<Published, PublishError> {
    let (repo, commit) = revision(source)?;
    let git = |error| PublishError::Git { branch: branch.to_owned(), error };
    let info = repo.commit(commit).map_err(git)?;
    // Rendered once, when a tip does not already settle it.
    let mut prepared: Option<(cairn_source::TreeId, String)> = None;
    let mut failure = None;
    for _ in 0..ATTEMPTS {
        let tip = repo.branch_tip(branch).map_err(git)?;
        if let Some(tip) = tip {
            let tip_info = repo.commit(tip).map_err(git)?;
            let rendered_from =
                rendered_from(&tip_info).ok_or_else(|| PublishError::Foreign { branch: branch.to_owned(), tip })?;
            if rendered_from == commit {
                return Ok(Published::Current { tip });
            }
            if repo.is_ancestor(commit, rendered_from).map_err(git)? {
                return Ok(Published::Superseded { tip, by: rendered_from });
            }
            if !repo.is_ancestor(rendered_from, commit).map_err(git)? {
                return Err(PublishError::Diverged { branch: branch.to_owned(), tip, rendered_from, commit });
            }
        }
        let (tree, message) = if let Some(prepared) = &prepared {
            prepared.clone()
        } else {
            let rendering = render_at(source, &info)?;
            let files = tree_files(&rendering.rendered);
            let tree =
                repo.write_tree(files.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice()))).map_err(git)?;
            let message = message(&info, &rendered_digest(&files), version, &inputs_digest(source)?);
            prepared.insert((tree, message)).clone()
        };
        if let Some(tip) = tip
            && repo.commit(tip).map_err(git)?.tree == tree
        {
            return Ok(Published::Unchanged { tip });
        }
        let signature = Signature { name: NAME.to_owned(), email: EMAIL.to_owned(), time: info.time };
        let new = NewCommit { tree, parents: tip.into_iter().collect(), message: &message, signature };
        let new = repo.write_commit(&new).map_err(git)?;
        match repo.update_branch(branch, new, tip) {
            Ok(BranchUpdate::Updated) => return Ok(Published::Committed { commit: new }),
            // Another writer moved the branch: read its tip and decide again.
            Ok(BranchUpdate::Moved { .. }) => {}
            // The branch did not move, but its lock was held (another writer in the middle of
            // its update): wait a moment and decide again.
            Err(error) => {
                failure = Some(error);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
    Err(match failure {
        Some(error) => git(error),
        None => PublishError::Contended { branch: branch.to_owned() },
    })
}

/// The git repository and the commit of a revision. A merged tree or an overlay answers for a
/// commit whose tree it is not, so only a revision itself is published.
fn revision(source: &Source) -> Result<(Repository, CommitId), PublishError> {
    let not = || PublishError::NotARevision(source.describe());
    if !matches!(source, Source::Git(_)) {
        return Err(not());
    }
    let repo = source.repository().ok_or_else(not)?;
    let commit = source.commit().as_deref().and_then(CommitId::parse).ok_or_else(not)?;
    Ok((repo, commit))
}

/// The commit a rendered commit was rendered from: its `Cairn-Source-Commit` trailer, a full
/// commit id; `None` when it has none (not cairn's).
#[must_use]
pub fn rendered_from(commit: &CommitInfo) -> Option<CommitId> {
    commit.trailer(SOURCE_TRAILER).and_then(CommitId::parse)
}

/// Renders `source` as of its commit's committer time (`info`): the same instant on every run,
/// so `cairn render --verify` renders it again byte for byte.
pub(crate) fn render_at(source: &Source, info: &CommitInfo) -> Result<Rendering, PublishError> {
    let now = Timestamp::from_second(info.time).map_err(|_| PublishError::NotARevision(source.describe()))?;
    let rendering = render(source, now, &RenderOptions::default()).map_err(PublishError::Source)?;
    if rendering.count(cairn_diagnostics::Severity::Error) > 0 {
        return Err(PublishError::Rendering { commit: info.id, rendering: Box::new(rendering) });
    }
    Ok(rendering)
}

/// The files of a rendered tree, sorted by path: what `cairn render --out` writes, the
/// rendered files and the manifest `.cairn/manifest.json`.
#[must_use]
pub fn tree_files(rendered: &Rendered) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> =
        rendered.contents().map(|(path, bytes)| (path.to_owned(), bytes.to_vec())).collect();
    files.push((MANIFEST_FILE.to_owned(), rendered.manifest().to_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The digest of a set of files (the `Cairn-Rendered-Digest` trailer): `sha256:` and the
/// SHA-256, in hexadecimal, of, for each file in the bytewise order of its path, the path, a NUL
/// byte, the file's own digest (`sha256:<hex>` of its bytes) and a newline.
#[must_use]
pub fn rendered_digest<P: AsRef<str>, B: AsRef<[u8]>>(files: &[(P, B)]) -> String {
    let mut lines: Vec<(&str, String)> =
        files.iter().map(|(path, bytes)| (path.as_ref(), cairn_render::digest(bytes.as_ref()))).collect();
    lines.sort_by(|a, b| a.0.cmp(b.0));
    let mut text = String::new();
    for (path, digest) in lines {
        let _ = writeln!(text, "{path}\0{digest}");
    }
    cairn_render::digest(text.as_bytes())
}

/// The digest of what a rendering reads besides the catalog (the `Cairn-Inputs-Digest`
/// trailer): `cairn.yaml`, every file under `templates/` and under `resources/`, each as its
/// path, a NUL byte, its git blob id and a newline, in the bytewise order of the paths, hashed
/// as `rendered_digest` hashes. The catalog is in the source commit, which its own trailer names.
pub fn inputs_digest(source: &Source) -> Result<String, PublishError> {
    let files = source.files().map_err(|error| PublishError::Source(error.into()))?;
    let templates = format!("{TEMPLATES_FOLDER}/");
    let mut text = String::new();
    for entry in files.iter() {
        if entry.path == SETTINGS_FILE || entry.path.starts_with(&templates) || entry.path.starts_with("resources/") {
            let blob = entry.blob_id().map_or_else(|| "-".to_owned(), |blob| blob.to_string());
            let _ = writeln!(text, "{}\0{blob}", entry.path);
        }
    }
    Ok(cairn_render::digest(text.as_bytes()))
}

/// `Render <short>: <subject>`, a blank line, and the four trailers.
fn message(source: &CommitInfo, digest: &str, version: &str, inputs: &str) -> String {
    format!(
        "Render {}: {}\n\n{SOURCE_TRAILER}: {}\n{DIGEST_TRAILER}: {digest}\n{VERSION_TRAILER}: {version}\n{INPUTS_TRAILER}: {inputs}\n",
        source.id.short(12),
        source.subject,
        source.id
    )
}

#[cfg(test)]
mod tests;
