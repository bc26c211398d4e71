//! cairn's bundled libraries: the blueprints and policies of this project's top-level
//! `blueprints/` and `policies/` folders, embedded at build time.

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

/// The bundled policies, unit tests left out: the Rego files that judge a catalog.
pub fn policies() -> impl Iterator<Item = &'static BundledFile> {
    files_in("policies").filter(|file| {
        let path = std::path::Path::new(file.path);
        path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("rego"))
            && !path.file_stem().is_some_and(|stem| stem.to_string_lossy().ends_with("_test"))
    })
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
            let embedded: Vec<&str> = files_in(folder).map(|file| file.path).collect();
            assert_eq!(embedded, on_disk);
        }
        assert!(files_in("blueprints").any(|file| file.path == "blueprints/environment.yaml"));
    }
}
