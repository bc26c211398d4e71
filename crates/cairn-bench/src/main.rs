//! `cairn-floor DIR [--rev REV] [--parser cairn|serde-yaml|two-pass]`: the floor of the
//! benchmark in `benches/`. It lists the platform repository, reads every YAML and JSON file and
//! parses it, in parallel, as `cairn check` does, and stops there: no entities, no catalog, no
//! validation. `cairn check` can be no faster than this.
//!
//! `--parser` measures the alternatives weighed in docs/ARCHITECTURE.md: serde_yaml alone (values
//! without positions), and serde_yaml for values plus a second pass over saphyr-parser's events
//! for positions.
//!
//! `cairn-floor --write SRC OUT` is the floor of the render benchmark instead (`write.rs`).

use std::process::ExitCode;

use cairn_model::{Limits, is_data_file, parse_file};
use cairn_source::{Contents, EntryKind, Source};
use rayon::prelude::*;

mod write;

#[derive(Clone, Copy)]
enum Parser {
    Cairn,
    SerdeYaml,
    TwoPass,
}

/// The same allocator as `cairn`, so that the floor is as fast as cairn's own reading can be.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, source, out] = all.as_slice()
        && mode == "--write"
    {
        return match write::write(source.as_ref(), out.as_ref()) {
            Ok(written) => {
                println!(
                    "wrote {} files ({} bytes) write_seconds={:.6} read_seconds={:.6}",
                    written.files, written.bytes, written.write_seconds, written.read_seconds
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::from(2)
            }
        };
    }
    let mut args = all.into_iter();
    let mut path = None;
    let mut rev = None;
    let mut parser = Parser::Cairn;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rev" => rev = args.next(),
            "--parser" => {
                parser = match args.next().as_deref() {
                    Some("cairn") => Parser::Cairn,
                    Some("serde-yaml") => Parser::SerdeYaml,
                    Some("two-pass") => Parser::TwoPass,
                    _ => return usage(),
                }
            }
            _ if path.is_none() && !arg.starts_with('-') => path = Some(arg),
            _ => return usage(),
        }
    }
    let Some(path) = path else { return usage() };
    let source = match rev {
        Some(rev) => Source::git(path.as_ref(), &rev),
        None => Source::directory(path),
    };
    match source.and_then(|source| floor(&source, parser)) {
        Ok((files, documents)) => {
            println!("read and parsed {files} files holding {documents} documents");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: cairn-floor DIR [--rev REV] [--parser cairn|serde-yaml|two-pass]\n       cairn-floor --write SRC OUT"
    );
    ExitCode::from(2)
}

fn floor(source: &Source, parser: Parser) -> Result<(usize, usize), cairn_source::SourceError> {
    let listing = source.files()?;
    let entries: Vec<_> =
        listing.iter().filter(|entry| entry.kind == EntryKind::File && is_data_file(&entry.path)).collect();
    let limits = Limits::default();
    let documents = entries
        .par_iter()
        .map_init(
            || source.reader(),
            |reader, entry| {
                reader.read(entry, limits.max_file_size).map(|contents| match contents {
                    Contents::Bytes(bytes) => parse(parser, &entry.path, &bytes, &limits),
                    Contents::TooLarge { .. } => 0,
                })
            },
        )
        .collect::<Result<Vec<usize>, _>>()?;
    Ok((entries.len(), documents.iter().sum()))
}

/// Parses one file and returns how many documents it holds.
fn parse(parser: Parser, path: &str, bytes: &[u8], limits: &Limits) -> usize {
    match parser {
        Parser::Cairn => parse_file(path, bytes, limits).documents.len(),
        Parser::SerdeYaml => serde_yaml_documents(bytes),
        Parser::TwoPass => {
            let documents = serde_yaml_documents(bytes);
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            let events = saphyr_parser::Parser::new_from_str(text).filter_map(Result::ok).count();
            std::hint::black_box(events);
            documents
        }
    }
}

fn serde_yaml_documents(bytes: &[u8]) -> usize {
    use serde::Deserialize as _;
    serde_yaml::Deserializer::from_slice(bytes)
        .filter_map(|document| serde_yaml::Value::deserialize(document).ok())
        .count()
}
