//! cairn's bundled libraries: the blueprints, policies and golden-path templates of this
//! project's top-level `blueprints/`, `policies/` and `templates/` folders, embedded at build time.

/// A file of a bundled library.
#[derive(Debug)]
pub struct BundledFile {
    /// The path in the library, such as `blueprints/component.yaml`.
    pub path: &'static str,
    pub contents: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/library.rs"));

/// The bundled files below `folder` (`blueprints` or `policies`).
pub fn files_in(folder: &str) -> impl Iterator<Item = &'static BundledFile> + '_ {
    FILES.iter().filter(move |file| file.path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/')))
}

/// The folder of the blueprint library that holds its scorecards, not blueprints.
pub const SCORECARDS_FOLDER: &str = "blueprints/scorecards";

/// The bundled blueprints: the files of `blueprints/`, its scorecards left out.
pub fn blueprints() -> impl Iterator<Item = &'static BundledFile> {
    files_in("blueprints").filter(|file| files_in_scorecards(file).is_none())
}

/// The bundled scorecards (`blueprints/scorecards/`), which apply when `cairn.yaml` says
/// `library: {scorecards: true}`.
pub fn scorecards() -> impl Iterator<Item = &'static BundledFile> {
    files_in("blueprints").filter(|file| files_in_scorecards(file).is_some())
}

fn files_in_scorecards(file: &BundledFile) -> Option<&str> {
    file.path.strip_prefix(SCORECARDS_FOLDER)?.strip_prefix('/')
}

/// The bundled policies, unit tests left out: the Rego files that judge a catalog.
pub fn policies() -> impl Iterator<Item = &'static BundledFile> {
    files_in("policies").filter(|file| {
        let path = std::path::Path::new(file.path);
        path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("rego"))
            && !path.file_stem().is_some_and(|stem| stem.to_string_lossy().ends_with("_test"))
    })
}

/// The bundled golden-path templates (`templates/<name>/template.yaml` and the files beside it),
/// as (path in the library, text) pairs sorted by path, for the template loader. They apply when
/// `cairn.yaml` says `library: {templates: true}`; `cairn init` does not copy them.
#[must_use]
pub fn templates() -> &'static [(&'static str, &'static str)] {
    TEMPLATES
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded list matches the folders on disk.
    #[test]
    fn embeds_every_file_of_the_folders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for folder in ["blueprints", "policies"] {
            let mut on_disk: Vec<String> = std::fs::read_dir(root.join(folder))
                .expect("the folder exists")
                .map(|entry| format!("{folder}/{}", entry.expect("readable").file_name().to_string_lossy()))
                .collect();
            on_disk.sort();
            on_disk.retain(|path| path != SCORECARDS_FOLDER);
            let embedded: Vec<&str> =
                files_in(folder).map(|file| file.path).filter(|path| !path.starts_with(SCORECARDS_FOLDER)).collect();
            assert_eq!(embedded, on_disk);
        }
        assert!(files_in("blueprints").any(|file| file.path == "blueprints/environment.yaml"));
        assert!(blueprints().all(|file| !file.path.starts_with(SCORECARDS_FOLDER)));
        assert!(scorecards().any(|file| file.path == "blueprints/scorecards/production-readiness.yaml"));
    }

    /// Every file below `templates/` is embedded, nested folders included, and none of them is
    /// among the files `cairn init` copies.
    #[test]
    fn embeds_every_template_file() {
        fn walk(dir: &std::path::Path, root: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("the folder exists") {
                let path = entry.expect("readable").path();
                if path.is_dir() {
                    walk(&path, root, found);
                } else {
                    found.push(path.strip_prefix(root).expect("below").to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut on_disk = Vec::new();
        walk(&root.join("templates"), &root, &mut on_disk);
        on_disk.sort();
        let embedded: Vec<&str> = templates().iter().map(|(path, _)| *path).collect();
        assert_eq!(embedded, on_disk);
        for name in ["kubernetes-namespace", "kubernetes-service", "codeowners", "system-docs"] {
            let manifest = format!("templates/{name}/template.yaml");
            assert!(templates().iter().any(|(path, text)| *path == manifest && !text.is_empty()), "{manifest}");
        }
        assert!(FILES.iter().all(|file| !file.path.starts_with("templates/")));
    }
}
