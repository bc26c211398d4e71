//! `apply`: a run's changes made to the platform's files in memory, in order, into the bytes
//! each file has before and after. Nothing is written: the result is what `preview` judges,
//! `write_worktree` writes and a pull request commits.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use cairn_diagnostics::{Code, Diagnostic, Location, SourceFile};
use cairn_model::{Limits, too_large};
use cairn_source::{Contents, EntryKind, FileEntry, Reader, Source, SourceError};

use super::change::Change;
use crate::load::{settings_of, symlink, text_file, unreadable};

/// One file a run changes: its bytes before and after, `None` where it is absent (created, or
/// deleted). The path is relative to the platform's root, `/`-separated, as `Source::files`
/// lists it: to name the file from the git repository's root (a commit through GitHub's API),
/// put `Source::prefix` before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileWrite {
    pub path: String,
    pub before: Option<Vec<u8>>,
    pub after: Option<Vec<u8>>,
}

/// The byte edits `apply` asks for: cairn-edit's, or in tests one that shows where it was asked.
pub(crate) trait Editor {
    fn edit(&self, file: &SourceFile, at: u32, edits: &[cairn_edit::Edit]) -> Result<String, Box<Diagnostic>>;
    fn remove_document(&self, file: &SourceFile, at: u32) -> Result<Option<String>, Box<Diagnostic>>;
}

/// cairn-edit: only the bytes an edit needs change.
struct CairnEdit;

impl Editor for CairnEdit {
    fn edit(&self, file: &SourceFile, at: u32, edits: &[cairn_edit::Edit]) -> Result<String, Box<Diagnostic>> {
        cairn_edit::edit(file, at, edits)
    }

    fn remove_document(&self, file: &SourceFile, at: u32) -> Result<Option<String>, Box<Diagnostic>> {
        cairn_edit::remove_document(file, at)
    }
}

/// Makes `changes`, in order, to the files of `source`; returns every file whose bytes change,
/// sorted by path. A file is read from `source` within the platform's size limit
/// (`limits.max-file-size` of its `cairn.yaml`) and must be UTF-8 text; cairn-edit makes each
/// edit and refuses one it cannot make safely.
///
/// Changes to one file compose: each works on the file as the changes before it left it. An
/// offset `at` is one into the file as `source` has it, and is carried over the bytes earlier
/// changes replaced (each change's replaced bytes are taken as the span between the longest
/// common prefix and suffix of the text before and after it, which is exact unless the text
/// around the change repeats itself); an offset inside a document an earlier change removed is
/// refused (`E1054`). A created file is refused when the path is taken (`E1050`) or collides
/// with a folder, a file above it or a path differing only in case (`E1053`); an edited or
/// removed one when it is absent (`E1051`), a link (`E0108`), too large (`E0107`) or not UTF-8
/// (`E0106`); any path that is not a plain relative path inside the platform is refused
/// (`E1052`). Every refusal is a finding: all of them are returned, one per file at most (a
/// file's later changes are not tried once one fails). A file that ends with the bytes it began
/// with (an edit that was already made) is no write: running a change twice writes nothing the
/// second time.
pub fn apply(source: &Source, changes: &[Change]) -> Result<Vec<FileWrite>, Vec<Diagnostic>> {
    apply_with(source, changes, &CairnEdit)
}

pub(crate) fn apply_with(
    source: &Source,
    changes: &[Change],
    editor: &dyn Editor,
) -> Result<Vec<FileWrite>, Vec<Diagnostic>> {
    let entries = source.files().map_err(|error| vec![unlisted(source, &error)])?;
    let reader = source.reader();
    let mut run = Run {
        entries: &entries,
        listed: entries.iter().map(|entry| (entry.path.as_str(), entry)).collect(),
        limits: settings_of(&reader, &entries).limits(),
        reader,
        files: BTreeMap::new(),
        editor,
    };
    let mut failed = BTreeSet::new();
    let mut findings = Vec::new();
    for change in changes {
        let path = path_of(change);
        if failed.contains(path) {
            continue;
        }
        if let Err(finding) = run.make(change) {
            findings.push(*finding);
            failed.insert(path.to_owned());
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    Ok(run
        .files
        .into_iter()
        .filter_map(|(path, file)| {
            let after = file.now.map(String::into_bytes);
            (after != file.before).then_some(FileWrite { path, before: file.before, after })
        })
        .collect())
}

/// A file as the run has changed it so far.
struct File {
    /// As the source has it; `None` when absent there.
    before: Option<Vec<u8>>,
    /// As the changes so far leave it; `None` when absent (removed).
    now: Option<String>,
    /// The bytes each change so far replaced, in order, to carry offsets over them.
    moves: Vec<Move>,
}

/// The bytes one change replaced: `start..old_end` of the text before it became
/// `start..new_end` of the text after it.
#[derive(Clone, Copy, Debug)]
struct Move {
    start: usize,
    old_end: usize,
    new_end: usize,
    /// Whether the change removed a document: an offset inside is in no document now.
    removal: bool,
}

impl Move {
    fn between(old: &str, new: &str, removal: bool) -> Move {
        let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
        let prefix = old_bytes.iter().zip(new_bytes).take_while(|(a, b)| a == b).count();
        let room = old_bytes.len().min(new_bytes.len()) - prefix;
        let suffix = old_bytes.iter().rev().zip(new_bytes.iter().rev()).take(room).take_while(|(a, b)| a == b).count();
        Move { start: prefix, old_end: old.len() - suffix, new_end: new.len() - suffix, removal }
    }

    /// Where `at` of the text before the change is in the text after it; `None` when the change
    /// removed the document around it.
    fn carry(self, at: usize) -> Option<usize> {
        if at < self.start {
            Some(at)
        } else if at >= self.old_end {
            Some(at - self.old_end + self.new_end)
        } else if self.removal {
            None
        } else {
            // Inside bytes an edit replaced: the start of that span is the nearest place known.
            Some(self.start)
        }
    }
}

struct Run<'a> {
    /// The source's listing, sorted by path.
    entries: &'a [FileEntry],
    listed: HashMap<&'a str, &'a FileEntry>,
    reader: Reader<'a>,
    limits: Limits,
    files: BTreeMap<String, File>,
    editor: &'a dyn Editor,
}

impl Run<'_> {
    fn make(&mut self, change: &Change) -> Result<(), Box<Diagnostic>> {
        let path = path_of(change);
        if let Some(reason) = unsafe_path(path) {
            return Err(Box::new(
                Diagnostic::new(
                    Code::UnsafeChangePath,
                    format!("`{path}` is not a plain relative path inside the platform: {reason}"),
                )
                .with_help(
                    "an action writes only the platform's own files: give a relative path such as `catalog/NAME.yaml`",
                ),
            ));
        }
        match change {
            Change::Create { path, text } => self.create(path, text),
            Change::Edit { path, at, edits } => {
                let editor = self.editor;
                self.change(path, *at, false, |file, at| editor.edit(file, at, edits).map(Some))
            }
            Change::RemoveDocument { path, at } => {
                let editor = self.editor;
                self.change(path, *at, true, |file, at| editor.remove_document(file, at))
            }
        }
    }

    fn create(&mut self, path: &str, text: &str) -> Result<(), Box<Diagnostic>> {
        let taken = match self.files.get(path) {
            Some(file) => file.now.is_some(),
            None => self.listed.contains_key(path),
        };
        if taken {
            let created = self.files.get(path).is_some_and(|file| file.before.is_none());
            let message = if created {
                format!("`{path}` is created twice by this run")
            } else {
                format!("`{path}` is already in the platform")
            };
            return Err(Box::new(
                Diagnostic::new(Code::ChangeCreatesExisting, message).at(Location::file(path)).with_help(
                    "a CREATE action makes new files only: give inputs that name a new path, or change the existing \
                     file with a DAY-2 action",
                ),
            ));
        }
        self.conflict(path)?;
        let file = self.files.entry(path.to_owned()).or_insert(File { before: None, now: None, moves: Vec::new() });
        file.now = Some(text.to_owned());
        // A file made anew: offsets into what was there before mean nothing in it.
        file.moves.clear();
        Ok(())
    }

    /// The paths the platform has at this point of the run, sorted, so that a finding names the
    /// same one on every run.
    fn present(&self) -> Vec<&str> {
        let listed = self
            .entries
            .iter()
            .map(|entry| entry.path.as_str())
            .filter(|path| self.files.get(*path).is_none_or(|f| f.now.is_some()));
        let created = self
            .files
            .iter()
            .filter(|(path, file)| file.now.is_some() && !self.listed.contains_key(path.as_str()))
            .map(|(path, _)| path.as_str());
        let mut present: Vec<&str> = listed.chain(created).collect();
        present.sort_unstable();
        present
    }

    /// A new file at `path` would be one file with a folder, under a file, or beside a path
    /// that differs from it only in case (one file, or one folder, on macOS's and Windows'
    /// file systems).
    fn conflict(&self, path: &str) -> Result<(), Box<Diagnostic>> {
        let present = self.present();
        let folders = |path: &str| -> Vec<String> {
            path.match_indices('/').map(|(end, _)| path[..end].to_owned()).collect::<Vec<_>>()
        };
        let refuse = |message: String| {
            Box::new(
                Diagnostic::new(Code::ChangePathConflict, message)
                    .at(Location::file(path))
                    .with_help("give inputs that name another path for the new file"),
            )
        };
        let mut known_folders = BTreeSet::new();
        for other in &present {
            if other.strip_prefix(path).is_some_and(|rest| rest.starts_with('/')) {
                return Err(refuse(format!("`{path}` is a folder of the platform (it holds `{other}`)")));
            }
            if folders(path).iter().any(|folder| folder == other) {
                return Err(refuse(format!("`{path}` would be inside `{other}`, which is a file")));
            }
            if *other != path && other.to_lowercase() == path.to_lowercase() {
                return Err(refuse(format!("`{path}` differs only in case from `{other}`, which the platform has")));
            }
            known_folders.extend(folders(other));
        }
        for folder in folders(path) {
            if known_folders.contains(&folder) {
                continue;
            }
            let lower = folder.to_lowercase();
            if let Some(other) = known_folders.iter().find(|known| known.to_lowercase() == lower) {
                return Err(refuse(format!(
                    "the folder `{folder}` of `{path}` differs only in case from the folder `{other}`, which the \
                     platform has"
                )));
            }
        }
        Ok(())
    }

    /// Makes one change to the document of `path` at `at`: `make` gets the file as it is now and
    /// the offset carried over the earlier changes, and gives its new text (`None`: no document
    /// left, the file goes).
    fn change(
        &mut self,
        path: &str,
        at: u32,
        removal: bool,
        make: impl FnOnce(&SourceFile, u32) -> Result<Option<String>, Box<Diagnostic>>,
    ) -> Result<(), Box<Diagnostic>> {
        self.read(path)?;
        let file = self.files.get_mut(path).expect("read above");
        let removed = || {
            Box::new(
                Diagnostic::new(
                    Code::ChangeDocumentRemoved,
                    format!("the document of `{path}` at byte {at} was removed by an earlier change of this run"),
                )
                .at(Location::file(path))
                .with_help("a run removes a document last: edit nothing of it after its removal"),
            )
        };
        let Some(now) = &file.now else { return Err(removed()) };
        let mut carried = Some(at as usize);
        for step in &file.moves {
            carried = carried.and_then(|at| step.carry(at));
        }
        let Some(carried) = carried else { return Err(removed()) };
        // An offset past 4 GiB cannot be: a file that large is over any size limit.
        let carried = u32::try_from(carried).unwrap_or(u32::MAX);
        let text = SourceFile::new(path, now.as_str());
        let new = make(&text, carried)?;
        file.moves.push(Move::between(now, new.as_deref().unwrap_or_default(), removal));
        file.now = new;
        Ok(())
    }

    /// Reads `path` from the source into the run's files, unless the run has it already.
    fn read(&mut self, path: &str) -> Result<(), Box<Diagnostic>> {
        if self.files.contains_key(path) {
            return Ok(());
        }
        let missing = |message: String| {
            Box::new(Diagnostic::new(Code::ChangeFileMissing, message).at(Location::file(path)).with_help(
                "the action changes a file the platform does not have: run it on the revision the entity was read \
                 from",
            ))
        };
        let Some(entry) = self.listed.get(path) else {
            return Err(missing(format!("`{path}` is not in the platform")));
        };
        let bytes = match entry.kind {
            EntryKind::Symlink => return Err(Box::new(symlink(path))),
            EntryKind::Submodule => {
                return Err(missing(format!("`{path}` is a git submodule, not a file of the platform")));
            }
            EntryKind::File => match self.reader.read(entry, self.limits.max_file_size) {
                Ok(Contents::Bytes(bytes)) => bytes,
                Ok(Contents::TooLarge { size }) => return Err(Box::new(too_large(path, size, &self.limits))),
                Err(error) => return Err(Box::new(unreadable(path, &error))),
            },
        };
        let text = text_file(path, bytes.clone())?;
        self.files.insert(
            path.to_owned(),
            File { before: Some(bytes), now: Some(text.text().to_owned()), moves: Vec::new() },
        );
        Ok(())
    }
}

/// The file a change is made to.
fn path_of(change: &Change) -> &str {
    match change {
        Change::Create { path, .. } | Change::Edit { path, .. } | Change::RemoveDocument { path, .. } => path,
    }
}

/// Why `path` is not a plain relative path inside the platform, if it is not: cairn-render's
/// rules for output paths, and no `.git` folder at any depth (git's own, or a nested
/// repository's).
pub(crate) fn unsafe_path(path: &str) -> Option<&'static str> {
    if let Some(reason) = cairn_render::unsafe_path(path) {
        return Some(reason);
    }
    path.split('/').any(|part| part.eq_ignore_ascii_case(".git")).then_some("it is inside a `.git` folder, git's own")
}

/// The source could not be listed: a finding, since `apply` answers with findings only.
fn unlisted(source: &Source, error: &SourceError) -> Diagnostic {
    let mut message = format!("the files of {} could not be listed: {error}", source.describe());
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        let _ = write!(message, ": {inner}");
        cause = inner.source();
    }
    Diagnostic::new(Code::UnreadableFile, message).with_help(
        error.help().unwrap_or_else(|| "check that the repository and its git objects are readable".to_owned()),
    )
}
