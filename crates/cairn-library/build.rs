//! Embeds every file of the workspace's top-level `blueprints/`, `policies/` and `templates/`
//! folders, so the lists can never fall out of step with the folders.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..").canonicalize().expect("the workspace root exists");
    let mut files = Vec::new();
    for folder in ["blueprints", "policies"] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&root, &dir, &mut files);
    }
    files.sort();
    let mut code =
        String::from("/// Every bundled file, by its path in the library.\npub static FILES: &[BundledFile] = &[\n");
    for (path, absolute) in files {
        writeln!(code, "    BundledFile {{ path: {path:?}, contents: include_str!({absolute:?}) }},")
            .expect("writing to a String");
    }
    code.push_str("];\n");

    // The golden-path templates are a list of their own: `cairn init` copies `FILES` into a new
    // repository, and the templates apply from the binary (`library.templates`) instead.
    let mut templates = Vec::new();
    let dir = root.join("templates");
    println!("cargo:rerun-if-changed={}", dir.display());
    collect(&root, &dir, &mut templates);
    templates.sort();
    code.push_str(
        "/// Every file of the bundled golden-path templates, as (path in the library, text) pairs.\npub static TEMPLATES: &[(&str, &str)] = &[\n",
    );
    for (path, absolute) in templates {
        writeln!(code, "    ({path:?}, include_str!({absolute:?})),").expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("library.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("below the root").to_string_lossy().replace('\\', "/");
            files.push((relative, path.to_string_lossy().into_owned()));
        }
    }
}
