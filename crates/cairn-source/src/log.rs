//! A revision's history as the audit walks it: the commits (first-parent, or every commit
//! reachable), each with its people, message, trailers and parents, and the platform's tree at
//! any of them, so that a walk compares tree ids before it reads anything.

use gix::bstr::ByteSlice;

use crate::git::{Revision, is_shallow};
use crate::{CommitId, EntryKind, FileEntry, Signature, Source, SourceError, TreeId};

/// One commit of a history: who wrote it (author), who committed it and when (committer), its
/// message with the subject and trailers (git's rules), and its parents, first parent first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogCommit {
    pub id: CommitId,
    pub parents: Vec<CommitId>,
    pub author: Signature,
    pub committer: Signature,
    pub message: String,
    pub subject: String,
    pub trailers: Vec<(String, String)>,
    /// Whether the commit object carries a signature header (`gpgsig`, for OpenPGP, SSH and
    /// X.509 signatures alike). Present, not verified: verifying needs the signers' keys.
    pub signed: bool,
}

impl LogCommit {
    /// The value of the first trailer named `token` (compared without regard to case, as git
    /// does).
    #[must_use]
    pub fn trailer(&self, token: &str) -> Option<&str> {
        crate::objects::trailer(&self.trailers, token)
    }
}

impl Source {
    /// The commits of the revision's history, newest first: its first-parent history, or with
    /// `all_parents` every commit reachable from it, each once, by committer time (newest first).
    /// `None` when the source is not a git revision. A shallow clone is an error
    /// (`SourceError::ShallowLog`) naming the commit whose parent is missing: a history that
    /// stops there would be read as the platform's beginning.
    #[must_use]
    pub fn log(&self, all_parents: bool) -> Option<Result<Vec<LogCommit>, SourceError>> {
        match self {
            Source::Git(revision) => Some(log(revision, all_parents)),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// The same platform folder at another commit of the repository: `Ok(None)` when the
    /// commit does not have the folder (the platform starts later); `None` when the source is
    /// not a git revision.
    #[must_use]
    pub fn at_commit(&self, commit: CommitId) -> Option<Result<Option<Source>, SourceError>> {
        match self {
            Source::Git(revision) => Some(match revision.at_commit(commit.0) {
                Ok(revision) => Ok(Some(Source::Git(Box::new(revision)))),
                Err(SourceError::Subfolder { .. }) => Ok(None),
                Err(error) => Err(error),
            }),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }

    /// The tree of the platform's folder at the revision: equal ids mean the platform is the
    /// same, every path and byte. `None` when the source is not a git revision.
    #[must_use]
    pub fn tree(&self) -> Option<TreeId> {
        match self {
            Source::Git(revision) => Some(TreeId(revision.tree())),
            Source::Directory { .. } | Source::Merged(_) | Source::Overlay(_) => None,
        }
    }
}

fn log(revision: &Revision, all_parents: bool) -> Result<Vec<LogCommit>, SourceError> {
    let repo = revision.thread_local();
    let rev = revision.rev();
    let walk = repo.rev_walk([revision.commit()]);
    let walk = if all_parents {
        walk.sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
        ))
    } else {
        walk.first_parent_only()
    };
    let shallow = is_shallow(&repo);
    let mut commits = Vec::new();
    for info in walk.all().map_err(SourceError::revision(rev))? {
        let info = match info {
            Ok(info) => info,
            Err(error) if shallow => {
                return Err(SourceError::ShallowLog {
                    rev: rev.to_owned(),
                    commit: commits.last().map_or_else(|| rev.to_owned(), |last: &LogCommit| last.id.to_string()),
                    source: Some(error.into()),
                });
            }
            Err(error) => return Err(SourceError::revision(rev)(error)),
        };
        let commit = repo.find_commit(info.id).map_err(SourceError::revision(rev))?;
        let parents: Vec<CommitId> = commit.parent_ids().map(|id| CommitId(id.detach())).collect();
        // The parents a walk follows must be here, or the history read would end early and the
        // first commit walked would look like the platform's beginning.
        let followed = if all_parents { &parents[..] } else { &parents[..parents.len().min(1)] };
        if followed.iter().any(|parent| !repo.has_object(parent.0)) {
            return Err(SourceError::ShallowLog { rev: rev.to_owned(), commit: info.id.to_string(), source: None });
        }
        let read = SourceError::revision(rev);
        let author = commit.author().map_err(SourceError::revision(rev))?;
        let author = Signature {
            name: author.name.to_str_lossy().into_owned(),
            email: author.email.to_str_lossy().into_owned(),
            time: author.time().map_err(SourceError::revision(rev))?.seconds,
        };
        let committer = commit.committer().map_err(SourceError::revision(rev))?;
        let committer = Signature {
            name: committer.name.to_str_lossy().into_owned(),
            email: committer.email.to_str_lossy().into_owned(),
            time: committer.time().map_err(SourceError::revision(rev))?.seconds,
        };
        let message = commit.message_raw_sloppy().to_str_lossy().into_owned();
        let parsed = commit.message().map_err(read)?;
        let subject = parsed.summary().to_str_lossy().into_owned();
        let trailers = crate::objects::trailers(&parsed);
        let signed = commit.signature().map_err(SourceError::revision(rev))?.is_some();
        commits.push(LogCommit {
            id: CommitId(info.id),
            parents,
            author,
            committer,
            message,
            subject,
            trailers,
            signed,
        });
    }
    Ok(commits)
}

/// A path whose entry differs between two revisions: what was there before and after (`None`:
/// absent, or a folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: String,
    pub before: Option<FileEntry>,
    pub after: Option<FileEntry>,
}

impl Source {
    /// The paths of the platform whose entry differs from `before`'s (another revision of the
    /// same repository), sorted: found by comparing the two trees and descending only into the
    /// folders whose tree ids differ, so that its cost is that of what changed. `None` when
    /// either is not a git revision.
    #[must_use]
    pub fn changes_since(&self, before: &Source) -> Option<Result<Vec<ChangedFile>, SourceError>> {
        let (Source::Git(after), Source::Git(before)) = (self, before) else { return None };
        let mut changes = Vec::new();
        let diffed =
            with_repository(after, |repo| diff_trees(repo, Some(before.tree()), Some(after.tree()), "", &mut changes));
        Some(diffed.map(|()| {
            changes.sort_by(|a, b| a.path.cmp(&b.path));
            changes
        }))
    }
}

thread_local! {
    /// The repository a thread last diffed trees in. Kept from one diff to the next, so that
    /// the cache of inflated pack deltas it holds serves a walk through history: most trees of
    /// a pack are deltas on other versions of themselves.
    static DIFFING: std::cell::RefCell<Option<gix::Repository>> = const { std::cell::RefCell::new(None) };
}

/// Runs `read` with the thread's kept handle on `revision`'s repository (made anew when the
/// thread last read another one). Objects are read by id, which names their bytes: a kept
/// handle cannot give stale ones.
fn with_repository<T>(revision: &Revision, read: impl FnOnce(&gix::Repository) -> T) -> T {
    DIFFING.with_borrow_mut(|kept| {
        let repo = match kept {
            Some(repo) if repo.git_dir() == revision.git_dir() => repo,
            _ => kept.insert(revision.thread_local()),
        };
        read(repo)
    })
}

/// The files under `prefix` that differ between the trees `before` and `after`.
///
/// Git keeps a tree's entries sorted (by name, a subtree's name as if it ended in `/`), so the
/// two lists are merged in one pass, and only the entries that differ are named.
fn diff_trees(
    repo: &gix::Repository,
    before: Option<gix::ObjectId>,
    after: Option<gix::ObjectId>,
    prefix: &str,
    changes: &mut Vec<ChangedFile>,
) -> Result<(), SourceError> {
    let (old_tree, new_tree) = (tree_bytes(repo, before, prefix)?, tree_bytes(repo, after, prefix)?);
    let hash = repo.object_hash();
    let (old, new) = (decode(old_tree.as_deref(), hash, prefix)?, decode(new_tree.as_deref(), hash, prefix)?);
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let (was, is) = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => (old.next(), None),
            (None, Some(_)) => (None, new.next()),
            (Some(a), Some(b)) => match git_order(a, b) {
                std::cmp::Ordering::Less => (old.next(), None),
                std::cmp::Ordering::Greater => (None, new.next()),
                std::cmp::Ordering::Equal => (old.next(), new.next()),
            },
        };
        let entry =
            |entry: Option<&gix::objs::tree::EntryRef<'_>>| entry.map(|entry| (entry.mode, entry.oid.to_owned()));
        let (was_entry, is_entry) = (entry(was), entry(is));
        if was_entry == is_entry {
            continue;
        }
        let Some(name) = was.or(is).map(|entry| entry.filename.to_str_lossy()) else { continue };
        let path = format!("{prefix}{name}");
        let tree = |entry: Option<TreeEntry>| entry.filter(|(mode, _)| mode.is_tree()).map(|(_, id)| id);
        if tree(was_entry).is_some() || tree(is_entry).is_some() {
            diff_trees(repo, tree(was_entry), tree(is_entry), &format!("{path}/"), changes)?;
        }
        let file = |entry: Option<TreeEntry>| {
            let (mode, id) = entry?;
            let kind = if mode.is_link() {
                EntryKind::Symlink
            } else if mode.is_commit() {
                EntryKind::Submodule
            } else if mode.is_blob() {
                EntryKind::File
            } else {
                return None;
            };
            Some(FileEntry { path: path.clone(), kind, id: Some(id) })
        };
        let (before, after) = (file(was_entry), file(is_entry));
        if before != after {
            changes.push(ChangedFile { path: path.clone(), before, after });
        }
    }
    Ok(())
}

/// One entry of a tree: its mode and object.
type TreeEntry = (gix::objs::tree::EntryMode, gix::ObjectId);

/// The entries of a tree, or none for no tree.
fn decode<'a>(
    tree: Option<&'a [u8]>,
    hash: gix::hash::Kind,
    path: &str,
) -> Result<Vec<gix::objs::tree::EntryRef<'a>>, SourceError> {
    let decoded = tree.map(|bytes| gix::objs::TreeRef::from_bytes(bytes, hash)).transpose();
    Ok(decoded.map_err(SourceError::git(path))?.map(|decoded| decoded.entries).unwrap_or_default())
}

/// How many bytes of trees a thread keeps (`TREES`).
const KEPT_TREE_BYTES: usize = 64 << 20;

/// The trees a thread read lately, by id, oldest first: a walk through history diffs each
/// commit with its parent, so the folders one step reads as the commit's are the next step's
/// parent's, and a pack stores most trees as deltas that are costly to inflate again. An id
/// names its bytes, in any repository, so the cache needs no key but the id.
#[derive(Default)]
struct TreeCache {
    trees: std::collections::HashMap<gix::ObjectId, std::rc::Rc<[u8]>>,
    order: std::collections::VecDeque<gix::ObjectId>,
    bytes: usize,
}

thread_local! {
    static TREES: std::cell::RefCell<TreeCache> = std::cell::RefCell::default();
}

/// The bytes of the tree `id` (none for no tree), from the thread's cache or the repository.
fn tree_bytes(
    repo: &gix::Repository,
    id: Option<gix::ObjectId>,
    path: &str,
) -> Result<Option<std::rc::Rc<[u8]>>, SourceError> {
    let Some(id) = id else { return Ok(None) };
    if let Some(bytes) = TREES.with_borrow(|cache| cache.trees.get(&id).cloned()) {
        return Ok(Some(bytes));
    }
    let tree = repo.find_tree(id).map_err(SourceError::git(path))?;
    let bytes: std::rc::Rc<[u8]> = tree.data.as_slice().into();
    TREES.with_borrow_mut(|cache| {
        while cache.bytes + bytes.len() > KEPT_TREE_BYTES {
            let Some(oldest) = cache.order.pop_front() else { break };
            cache.bytes -= cache.trees.remove(&oldest).map_or(0, |tree| tree.len());
        }
        cache.bytes += bytes.len();
        cache.order.push_back(id);
        cache.trees.insert(id, std::rc::Rc::clone(&bytes));
    });
    Ok(Some(bytes))
}

/// The order of entries in a git tree: by name, a subtree's name as if it ended in `/`.
fn git_order(a: &gix::objs::tree::EntryRef<'_>, b: &gix::objs::tree::EntryRef<'_>) -> std::cmp::Ordering {
    fn key<'a>(entry: &gix::objs::tree::EntryRef<'a>) -> impl Iterator<Item = u8> + 'a {
        entry.filename.iter().copied().chain(entry.mode.is_tree().then_some(b'/'))
    }
    key(a).cmp(key(b))
}
