//! Opening the pull request of a run: the files committed on a branch through GitHub's git data
//! API (blobs, a tree, a commit, a reference: no clone, no push), then the pull request. Running
//! it again with the same spec opens nothing twice, whatever step the last run stopped after.

use crate::api::{Api, ApiError};
use crate::publish::Repository;
use crate::request::{
    Answer, CommitObject, NewBlob, NewCommit, NewPull, NewRef, NewTree, Operation, Pull, PullState, RefUpdate, Request,
    TreeEntry,
};

/// What a run's pull request holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullRequestSpec {
    /// The branch the pull request asks to merge into.
    pub base: String,
    /// The run's own branch: cairn creates it, and moves it (force) to the run's commit when it
    /// exists without a pull request, so it must be a name no person works on (the CLI derives
    /// it from the run's key: `cairn/<action>/<target>-<key>`).
    pub branch: String,
    pub title: String,
    pub body: String,
    /// The commit's message.
    pub message: String,
    /// Each changed file by its path in the repository: its new bytes, or `None` to delete it
    /// (GitHub refuses to delete a path that does not exist). Every other file is as in `parent`.
    /// Paths are written as regular files (mode `100644`). A run that changes nothing should not
    /// get here: its pull request would have nothing to show.
    pub files: Vec<(String, Option<Vec<u8>>)>,
    /// The commit the change was made on, which becomes the new commit's parent, so that a base
    /// that moved on since shows as a conflict in the pull request rather than being overwritten;
    /// `None` takes the base branch's current head.
    pub parent: Option<String>,
}

/// What `open_pull_request` found or did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullRequestOutcome {
    /// A pull request was opened.
    Opened { number: u64, url: String },
    /// This run's pull request is already open: nothing was sent but the look-up.
    AlreadyOpen { number: u64, url: String },
    /// A person closed the PR for this exact run unmerged: not reopened.
    ClosedUnmerged { number: u64, url: String },
    /// This run's pull request was merged: the run is done, nothing is opened again.
    Merged { number: u64, url: String },
}

impl PullRequestOutcome {
    fn of(pull: Pull) -> PullRequestOutcome {
        let Pull { number, url, state } = pull;
        match state {
            PullState::Open => PullRequestOutcome::AlreadyOpen { number, url },
            PullState::Closed => PullRequestOutcome::ClosedUnmerged { number, url },
            PullState::Merged => PullRequestOutcome::Merged { number, url },
        }
    }

    /// The pull request's number.
    #[must_use]
    pub fn number(&self) -> u64 {
        match self {
            PullRequestOutcome::Opened { number, .. }
            | PullRequestOutcome::AlreadyOpen { number, .. }
            | PullRequestOutcome::ClosedUnmerged { number, .. }
            | PullRequestOutcome::Merged { number, .. } => *number,
        }
    }

    /// The pull request's page on GitHub.
    #[must_use]
    pub fn url(&self) -> &str {
        match self {
            PullRequestOutcome::Opened { url, .. }
            | PullRequestOutcome::AlreadyOpen { url, .. }
            | PullRequestOutcome::ClosedUnmerged { url, .. }
            | PullRequestOutcome::Merged { url, .. } => url,
        }
    }
}

/// Commits `spec.files` on `spec.branch` and opens the pull request into `spec.base`, unless the
/// run's pull request exists already.
///
/// Each step is safe to repeat, so a run that stopped anywhere (a crash, a 5xx) is completed by
/// running it again:
/// 1. The pull requests whose head is the branch, open or closed: an open one is the answer
///    (`AlreadyOpen`), else the newest closed one (`Merged`, or `ClosedUnmerged`: a person said
///    no, and cairn does not ask again).
/// 2. The parent commit (`spec.parent`, or the base branch's head) and its tree.
/// 3. A blob per new file, and a tree: the parent's with the files set or deleted. Git objects
///    are named by their content, so a second run makes the same tree.
/// 4. The branch: created on a new commit when missing; left alone when its commit already has
///    this tree and this parent (the last run got that far); else moved (force) to a new commit.
/// 5. The pull request. GitHub refuses a second one for the same head (422): then the one that
///    exists is the answer.
pub fn open_pull_request(
    api: &mut dyn Api,
    owner: &str,
    repo: &str,
    spec: &PullRequestSpec,
) -> Result<PullRequestOutcome, ApiError> {
    let at = Repository { owner, repo };
    // Pull requests are listed by `owner:branch`, the head's owner and branch name.
    // https://docs.github.com/en/rest/pulls/pulls#list-pull-requests
    let head = format!("{owner}:{}", spec.branch);
    if let Some(outcome) = existing(api, &at, &head)? {
        return Ok(outcome);
    }

    let parent = match &spec.parent {
        Some(sha) => sha.clone(),
        None => branch_head(api, &at, &spec.base)?
            .ok_or_else(|| ApiError::Missing { what: format!("the branch `{}`", spec.base) })?,
    };
    let parent = commit(api, &at, Operation::GetCommit { sha: parent })?;

    let mut entries = Vec::with_capacity(spec.files.len());
    for (path, content) in &spec.files {
        let sha = match content {
            Some(bytes) => Some(object(api, &at, Operation::CreateBlob(NewBlob::of(bytes)))?),
            None => None,
        };
        entries.push(TreeEntry::file(path, sha));
    }
    let tree = object(api, &at, Operation::CreateTree(NewTree { base_tree: parent.tree.clone(), tree: entries }))?;

    let new_commit = |api: &mut dyn Api| {
        commit(
            api,
            &at,
            Operation::CreateCommit(NewCommit {
                message: spec.message.clone(),
                tree: tree.clone(),
                parents: vec![parent.sha.clone()],
            }),
        )
    };
    let force = |api: &mut dyn Api, sha: String| {
        let update = RefUpdate { sha, force: true };
        api.send(&at.request(Operation::UpdateRef { branch: spec.branch.clone(), update })).map(drop)
    };
    match branch_head(api, &at, &spec.branch)? {
        None => {
            let created = new_commit(api)?;
            let reference = NewRef { reference: format!("refs/heads/{}", spec.branch), sha: created.sha.clone() };
            match api.send(&at.request(Operation::CreateRef(reference))) {
                Ok(_) => {}
                // Another run of the same spec created the branch meanwhile: it is this run's.
                Err(error) if error.status() == Some(422) => force(api, created.sha)?,
                Err(error) => return Err(error),
            }
        }
        Some(sha) => {
            let current = commit(api, &at, Operation::GetCommit { sha })?;
            if current.tree != tree || current.parents != [parent.sha.clone()] {
                let created = new_commit(api)?;
                force(api, created.sha)?;
            }
        }
    }

    let pull = at.request(Operation::CreatePull(NewPull {
        title: spec.title.clone(),
        head: spec.branch.clone(),
        base: spec.base.clone(),
        body: spec.body.clone(),
        draft: false,
    }));
    match api.send(&pull) {
        Ok(Answer::Pull(Pull { number, url, .. })) => Ok(PullRequestOutcome::Opened { number, url }),
        Ok(_) => Err(unexpected(&pull)),
        // "A pull request already exists for owner:branch" (or a race with another run): the
        // one that exists is this run's. Any other 422 stays an error.
        // https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
        Err(error) if error.status() == Some(422) => existing(api, &at, &head)?.ok_or(error),
        Err(error) => Err(error),
    }
}

/// The repository's default branch: the base of a run's pull request when none is named.
pub fn default_branch(api: &mut dyn Api, owner: &str, repo: &str) -> Result<String, ApiError> {
    let request = Repository { owner, repo }.request(Operation::GetRepository);
    match api.send(&request)? {
        Answer::Repository { default_branch } if !default_branch.is_empty() => Ok(default_branch),
        Answer::Repository { .. } | Answer::Missing => {
            Err(ApiError::Missing { what: format!("the default branch of `{owner}/{repo}`") })
        }
        _ => Err(unexpected(&request)),
    }
}

/// The commit at the head of `branch`, or `None` when there is no such branch.
pub fn branch_tip(api: &mut dyn Api, owner: &str, repo: &str, branch: &str) -> Result<Option<String>, ApiError> {
    branch_head(api, &Repository { owner, repo }, branch)
}

/// The run's pull request, if one exists: the newest open one, else the newest.
fn existing(api: &mut dyn Api, at: &Repository<'_>, head: &str) -> Result<Option<PullRequestOutcome>, ApiError> {
    let request = at.request(Operation::ListPulls { head: head.to_owned() });
    let Answer::Pulls(mut pulls) = api.send(&request)? else {
        return Err(unexpected(&request));
    };
    pulls.sort_by_key(|pull| std::cmp::Reverse(pull.number));
    let chosen = match pulls.iter().position(|pull| pull.state == PullState::Open) {
        Some(open) => Some(pulls.swap_remove(open)),
        None => pulls.into_iter().next(),
    };
    Ok(chosen.map(PullRequestOutcome::of))
}

/// The commit at the head of `branch`, or `None` when there is no such branch.
fn branch_head(api: &mut dyn Api, at: &Repository<'_>, branch: &str) -> Result<Option<String>, ApiError> {
    let request = at.request(Operation::GetRef { branch: branch.to_owned() });
    match api.send(&request)? {
        Answer::Ref { sha } => Ok(Some(sha)),
        Answer::Missing => Ok(None),
        _ => Err(unexpected(&request)),
    }
}

fn commit(api: &mut dyn Api, at: &Repository<'_>, operation: Operation) -> Result<CommitObject, ApiError> {
    let request = at.request(operation);
    match api.send(&request)? {
        Answer::Commit(commit) => Ok(commit),
        _ => Err(unexpected(&request)),
    }
}

fn object(api: &mut dyn Api, at: &Repository<'_>, operation: Operation) -> Result<String, ApiError> {
    let request = at.request(operation);
    match api.send(&request)? {
        Answer::Object { sha } => Ok(sha),
        _ => Err(unexpected(&request)),
    }
}

fn unexpected(request: &Request) -> ApiError {
    ApiError::Unexpected { request: format!("{} {}", request.method(), request.path()) }
}
