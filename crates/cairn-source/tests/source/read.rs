//! `Reader::read` and `FileEntry::blob_id`: exact bytes under the limit, only the size over it.

use std::fs::{self, File, OpenOptions};

use cairn_source::{Contents, FileEntry, Source, SourceError};

use crate::repo::Repo;

/// The entry of `path` in `source`.
fn entry(source: &Source, path: &str) -> FileEntry {
    source.files().expect("a listing").iter().find(|&entry| entry.path == path).cloned().expect(path)
}

/// Bytes that deflate hardly compresses, so that a blob's object file is about as large as it.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[test]
fn a_file_over_the_limit_gives_its_size_and_one_within_it_its_exact_bytes() {
    let repo = Repo::new();
    let ten = b"0123456789\xff";
    let ten = &ten[..10];
    let binary = b"\x00\r\n\xfe trailing space \n";
    repo.write("ten.txt", ten).write("empty.txt", "").write("binary.bin", binary);
    repo.commit("files");
    let cases: [(&str, u64, Contents); 8] = [
        ("ten.txt", 0, Contents::TooLarge { size: 10 }),
        ("ten.txt", 9, Contents::TooLarge { size: 10 }),
        ("ten.txt", 10, Contents::Bytes(ten.to_vec())),
        ("ten.txt", 11, Contents::Bytes(ten.to_vec())),
        ("ten.txt", u64::MAX, Contents::Bytes(ten.to_vec())),
        ("empty.txt", 0, Contents::Bytes(Vec::new())),
        ("binary.bin", 100, Contents::Bytes(binary.to_vec())),
        ("binary.bin", 1, Contents::TooLarge { size: binary.len() as u64 }),
    ];
    let sources =
        [Source::directory(repo.path()).expect("a directory"), Source::git(repo.path(), "HEAD").expect("HEAD")];
    for source in &sources {
        let reader = source.reader();
        for (path, limit, expected) in &cases {
            let read = reader.read(&entry(source, path), *limit).expect(path);
            assert_eq!(&read, expected, "{path} within {limit} bytes from {}", source.describe());
        }
    }
}

#[test]
fn a_file_on_disk_over_the_limit_is_not_read() {
    let repo = Repo::new();
    // A sparse file of 64 GiB: reading it, or only making room for it, would not end well.
    let size = 64 << 30;
    File::create(repo.path().join("huge.bin")).and_then(|file| file.set_len(size)).expect("a sparse file");
    let source = Source::directory(repo.path()).expect("a directory");
    let read = source.reader().read(&entry(&source, "huge.bin"), 1 << 20).expect("a size");
    assert_eq!(read, Contents::TooLarge { size });
}

#[test]
fn a_blob_over_the_limit_is_not_inflated() {
    let repo = Repo::new();
    let size = 64 * 1024;
    repo.write("large.bin", noise(size));
    repo.commit("a large file");
    // Cut the loose object after its first kilobyte: its header, which gives the size, survives;
    // its contents do not, so reading them fails, and the size alone must come back without.
    let id = repo.git(&["rev-parse", "HEAD:large.bin"]);
    let object = repo.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
    let mut permissions = fs::metadata(&object).expect("a loose object").permissions();
    #[expect(clippy::permissions_set_readonly_false, reason = "a test's own temporary file")]
    permissions.set_readonly(false);
    fs::set_permissions(&object, permissions).expect("a writable object");
    OpenOptions::new().write(true).open(&object).and_then(|file| file.set_len(1024)).expect("a cut object");

    let source = Source::git(repo.path(), "HEAD").expect("HEAD");
    let (reader, large) = (source.reader(), entry(&source, "large.bin"));
    assert_eq!(reader.read(&large, size as u64 - 1).expect("a size"), Contents::TooLarge { size: size as u64 });
    let error = reader.read(&large, size as u64).expect_err("a cut object cannot be read");
    assert!(matches!(&error, SourceError::Git { path, .. } if path == "large.bin"), "{error:?}");
    assert_eq!(error.to_string(), "cannot read `large.bin` from git");
    assert!(std::error::Error::source(&error).is_some(), "{error:?}");
}

#[test]
fn blob_ids_are_equal_for_equal_bytes_and_absent_without_git() {
    let repo = Repo::new();
    repo.write("same.yaml", "same").write("changed.yaml", "before").symlink("same.yaml", "link");
    let first = repo.commit("first");
    repo.write("changed.yaml", "after").write("copy.yaml", "same").submodule("vendor/tool", &first);
    repo.commit("second");

    let before = Source::git(repo.path(), "HEAD~1").expect("HEAD~1");
    let after = Source::git(repo.path(), "HEAD").expect("HEAD");
    let id = |source: &Source, path: &str| entry(source, path).blob_id();
    assert_eq!(id(&before, "same.yaml"), id(&after, "same.yaml"));
    assert_eq!(id(&after, "same.yaml"), id(&after, "copy.yaml"));
    assert_ne!(id(&before, "changed.yaml"), id(&after, "changed.yaml"));
    // A link's blob holds its target, which is not the bytes of the file it names.
    assert_ne!(id(&after, "link"), id(&after, "same.yaml"));
    assert_eq!(id(&after, "vendor/tool"), None);
    for (rev, path) in [("HEAD~1", "same.yaml"), ("HEAD~1", "changed.yaml"), ("HEAD", "changed.yaml"), ("HEAD", "link")]
    {
        let source = Source::git(repo.path(), rev).expect(rev);
        let shown = id(&source, path).map(|id| id.to_string());
        assert_eq!(shown, Some(repo.git(&["rev-parse", &format!("{rev}:{path}")])), "{rev}:{path}");
    }

    let directory = Source::directory(repo.path()).expect("a directory");
    for entry in directory.files().expect("a listing").iter() {
        assert_eq!(entry.blob_id(), None, "{}", entry.path);
    }
}
