//! `verify_rendered`: a rendered-branch commit checked against its source. Its trailers name
//! the source commit; that commit is rendered again as `publish_rendered` rendered it (as of its
//! committer time) and the two trees are compared file by file, and with the digest the commit
//! claims (docs/reconcile.md, "Rendered branch").

use std::collections::BTreeMap;
use std::path::Path;

use cairn_source::{CommitId, EntryKind, ObjectsError, Repository, Source};

use crate::publish::{
    DIGEST_TRAILER, PublishError, VERSION_TRAILER, render_at, rendered_digest, rendered_from, tree_files,
};

/// What the comparison found. Paths are sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub commit: CommitId,
    pub source_commit: CommitId,
    /// The `Cairn-Rendered-Digest` the commit claims (empty when it has none).
    pub claimed_digest: String,
    /// The digest of the rendering made again.
    pub digest: String,
    /// The `Cairn-Version` that rendered it, when the commit says.
    pub version: Option<String>,
    /// Paths both have, with different bytes (or, in the commit, a link or submodule).
    pub differing: Vec<String>,
    /// Paths the rendering has and the commit lacks.
    pub missing: Vec<String>,
    /// Paths the commit has and the rendering does not.
    pub extra: Vec<String>,
}

impl Verification {
    /// The commit holds exactly the rendering of its source, and says so in its digest.
    #[must_use]
    pub fn identical(&self) -> bool {
        self.differing.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.claimed_digest == self.digest
    }
}

/// Why a commit could not be verified.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot read `{rev}`")]
    Git {
        rev: String,
        #[source]
        error: ObjectsError,
    },
    /// The commit has no `Cairn-Source-Commit` trailer naming a full commit id.
    #[error("`{rev}` ({commit}) is not a cairn rendered commit: it has no `Cairn-Source-Commit` trailer")]
    NotRendered { rev: String, commit: CommitId },
    /// The source commit could not be read or rendered.
    #[error("cannot render the source commit `{source_commit}` again")]
    Render {
        source_commit: CommitId,
        #[source]
        error: PublishError,
    },
}

/// Verifies the rendered commit `rev` of the git repository around the platform folder `path`;
/// the source commit is read at the same folder.
pub fn verify_rendered(path: &Path, rev: &str) -> Result<Verification, VerifyError> {
    let git = |error| VerifyError::Git { rev: rev.to_owned(), error };
    let repo = Repository::open(path).map_err(git)?;
    let commit = repo.resolve(rev).map_err(git)?;
    let info = repo.commit(commit).map_err(git)?;
    let source_commit = rendered_from(&info).ok_or_else(|| VerifyError::NotRendered { rev: rev.to_owned(), commit })?;
    let render_error = |error| VerifyError::Render { source_commit, error };
    let source = Source::git(path, &source_commit.to_string())
        .map_err(|error| render_error(PublishError::Source(error.into())))?;
    let source_info = repo.commit(source_commit).map_err(git)?;
    let rendering = render_at(&source, &source_info).map_err(render_error)?;
    let expected: BTreeMap<String, Vec<u8>> = tree_files(&rendering.rendered).into_iter().collect();
    let actual = repo.commit_files(commit).map_err(git)?;

    let mut verification = Verification {
        commit,
        source_commit,
        claimed_digest: info.trailer(DIGEST_TRAILER).unwrap_or_default().to_owned(),
        digest: rendered_digest(&expected.iter().collect::<Vec<_>>()),
        version: info.trailer(VERSION_TRAILER).map(str::to_owned),
        differing: Vec::new(),
        missing: Vec::new(),
        extra: Vec::new(),
    };
    let mut seen = Vec::new();
    for file in &actual {
        match expected.get(&file.path) {
            None => verification.extra.push(file.path.clone()),
            Some(bytes) => {
                seen.push(file.path.as_str());
                // A link is never followed: it differs from any rendered file.
                if file.kind != EntryKind::File || file.bytes.as_deref() != Some(bytes.as_slice()) {
                    verification.differing.push(file.path.clone());
                }
            }
        }
    }
    verification.missing = expected.keys().filter(|path| !seen.contains(&path.as_str())).cloned().collect();
    Ok(verification)
}
