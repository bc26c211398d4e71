//! What the platform holds as a whole, so that a check never passes by reading nothing: no
//! entity at all (`W0701`), and YAML or JSON at the top of the platform outside every folder
//! cairn reads (`W0702`), which is how a misspelt `enviroments/` or a platform in a subfolder
//! shows.

use std::collections::BTreeMap;

use cairn_diagnostics::{Code, Diagnostic, Location, did_you_mean};
use cairn_model::{FileRole, Layout, SETTINGS_FILE, Settings, is_data_file, is_port_file};
use cairn_source::{EntryKind, FileEntry};

/// The findings about what the listing holds, given how many entities were read.
pub(crate) fn findings(
    listing: &[FileEntry],
    layout: &Layout,
    settings: &Settings,
    entities: usize,
) -> Vec<Diagnostic> {
    let mut diagnostics = unread(listing, layout);
    if entities == 0 && !settings.catalog.allow_empty {
        diagnostics.push(no_entities(listing, settings));
    }
    diagnostics
}

fn no_entities(listing: &[FileEntry], settings: &Settings) -> Diagnostic {
    let (catalog, environments) = (&settings.paths.catalog, &settings.paths.environments);
    let diagnostic =
        Diagnostic::new(Code::NoEntities, format!("no entity was read: `{catalog}/` and `{environments}/` hold none"));
    let allow = "or, if the platform is empty on purpose, write `catalog: {allow-empty: true}` in `cairn.yaml`";
    // Not located at `cairn.yaml`: the finding is about the data, not the settings, and a
    // change takes its data findings from the head (`check_change` takes findings located in a
    // rule file from the base).
    if listing.iter().any(|entry| entry.path == SETTINGS_FILE) {
        diagnostic.with_help(format!(
            "add entities under `{catalog}/` (or set `paths` in `cairn.yaml` to where they are), {allow}"
        ))
    } else {
        diagnostic.with_help(format!(
            "no `cairn.yaml` was found here or in a folder above: give the folder of the platform \
             (`cairn check path/to/platform`; in the action, `path:`), {allow}"
        ))
    }
}

/// YAML and JSON files at the top of the platform that no folder of cairn's holds: one finding
/// per top-level file, and one per top-level folder (at its first such file). Names starting
/// with `.` belong to other tools (`.github/`, `.pre-commit-config.yaml`).
fn unread(listing: &[FileEntry], layout: &Layout) -> Vec<Diagnostic> {
    let known = layout.known_top_level();
    let mut folders: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for entry in listing {
        let path = entry.path.as_str();
        if entry.kind != EntryKind::File || !is_data_file(path) || layout.role(path) != FileRole::Ignored {
            continue;
        }
        match path.split_once('/') {
            _ if path.starts_with('.') => {}
            None => diagnostics.push(unread_file(path)),
            Some((top, _)) if !known.contains(&top) => folders.entry(top).or_default().push(path),
            Some(_) => {}
        }
    }
    for (folder, files) in folders {
        diagnostics.push(unread_folder(folder, &files, &known));
    }
    diagnostics
}

fn unread_file(path: &str) -> Diagnostic {
    let help = match did_you_mean(path, [SETTINGS_FILE]) {
        Some(settings) => format!("cairn reads its settings from `{settings}` only: rename the file"),
        // Only read here when `cairn.yaml` turned `port.yml` files off.
        None if is_port_file(path) => {
            "`catalog: {port-yml: false}` in `cairn.yaml` turns off reading `port.yml` files: remove it to read this one"
                .to_owned()
        }
        None => "cairn reads entities from the catalog and environments folders only: move the file into one, \
                 or out of the platform"
            .to_owned(),
    };
    Diagnostic::new(Code::UnreadData, format!("`{path}` is at the top of the platform, where cairn reads no data"))
        .at(Location::file(path))
        .with_help(help)
}

fn unread_folder(folder: &str, files: &[&str], known: &[&str]) -> Diagnostic {
    let count = match files.len() {
        1 => "a YAML or JSON file".to_owned(),
        n => format!("{n} YAML or JSON files"),
    };
    let settings = format!("{folder}/{SETTINGS_FILE}");
    let help = if files.contains(&settings.as_str()) {
        format!(
            "`{settings}` makes `{folder}` a platform of its own: check it with `cairn check {folder}` \
             (in the action, `path: {folder}`)"
        )
    } else if let Some(name) = did_you_mean(folder, known.iter().copied()) {
        format!("did you mean `{name}`?")
    } else {
        format!(
            "the folders cairn knows are {}: move the files into one, or set `paths` in `cairn.yaml`",
            known
                .iter()
                .filter(|name| !name.starts_with('.'))
                .map(|name| format!("`{name}/`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Diagnostic::new(Code::UnreadData, format!("the folder `{folder}` holds {count} that cairn does not read"))
        .at(Location::file(files[0]))
        .with_help(help)
}

#[cfg(test)]
mod tests;
