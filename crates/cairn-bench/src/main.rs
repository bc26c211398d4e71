//! `cairn-floor DIR [--rev REV]`: the floor of the benchmark in `benches/`. It lists the platform
//! repository, reads every YAML and JSON file and parses it, in parallel, exactly as `cairn
//! check` does, and stops there: no entities, no catalog, no validation. `cairn check` can be no
//! faster than this.

use std::process::ExitCode;

use cairn_model::{Limits, is_data_file, parse_file};
use cairn_source::{EntryKind, Source};
use rayon::prelude::*;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, rev) = match args.as_slice() {
        [path] => (path, None),
        [path, flag, rev] if flag == "--rev" => (path, Some(rev)),
        _ => {
            eprintln!("usage: cairn-floor DIR [--rev REV]");
            return ExitCode::from(2);
        }
    };
    let source = match rev {
        Some(rev) => Source::git(path.as_ref(), rev),
        None => Source::directory(path),
    };
    let (files, documents) = match source.and_then(|source| floor(&source)) {
        Ok(counts) => counts,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    println!("read and parsed {files} files holding {documents} documents");
    ExitCode::SUCCESS
}

fn floor(source: &Source) -> Result<(usize, usize), cairn_source::SourceError> {
    let entries: Vec<_> = source
        .files()?
        .into_iter()
        .filter(|entry| matches!(entry.kind, EntryKind::File { .. }) && is_data_file(&entry.path))
        .collect();
    let limits = Limits::default();
    let documents = entries
        .par_iter()
        .map_init(
            || source.reader(),
            |reader, entry| reader.read(entry).map(|bytes| parse_file(&entry.path, &bytes, &limits).documents.len()),
        )
        .collect::<Result<Vec<usize>, _>>()?;
    Ok((entries.len(), documents.iter().sum()))
}
