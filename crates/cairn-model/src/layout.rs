//! Which part of the platform a file of the repository belongs to, by its path.

use cairn_syntax::is_data_file;

use crate::settings::{SETTINGS_FILE, Settings};

/// The blueprint that files under the environments folder declare.
pub const ENVIRONMENT_BLUEPRINT: &str = "Environment";

/// Folders that later parts of cairn read (policies, scorecards, templates, waivers): their
/// files are not "ignored", they are just not entities or blueprints.
const RESERVED: &[&str] = &["policies", "scorecards", "templates", "exceptions", ".github"];

/// What a file of the repository is to cairn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    Settings,
    Blueprint,
    /// An entity file; `Some` when its folder implies the blueprint.
    Entity(Option<&'static str>),
    /// A Rego policy under `policies/`.
    Policy,
    /// A policy's unit tests: `policies/**/*_test.rego`, run by `cairn policy test` only.
    PolicyTest,
    /// A waiver under `exceptions/`.
    Waiver,
    /// Read by another part of cairn.
    Reserved,
    /// Outside the known folders, or not YAML or JSON: not read.
    Ignored,
}

/// Classifies repository paths (relative, `/`-separated) by the repository's settings.
#[derive(Clone, Debug)]
pub struct Layout {
    blueprints: String,
    catalog: String,
    environments: String,
}

impl Layout {
    #[must_use]
    pub fn new(settings: &Settings) -> Self {
        let folder = |path: &str| format!("{}/", path.trim_end_matches('/'));
        Layout {
            blueprints: folder(&settings.paths.blueprints),
            catalog: folder(&settings.paths.catalog),
            environments: folder(&settings.paths.environments),
        }
    }

    #[must_use]
    pub fn role(&self, path: &str) -> FileRole {
        if path == SETTINGS_FILE {
            return FileRole::Settings;
        }
        let data = is_data_file(path);
        if path.starts_with(&self.blueprints) && data {
            FileRole::Blueprint
        } else if path.starts_with(&self.environments) && data {
            FileRole::Entity(Some(ENVIRONMENT_BLUEPRINT))
        } else if path.starts_with(&self.catalog) && data {
            FileRole::Entity(None)
        } else if let Some(rest) = path.strip_prefix("policies/")
            && std::path::Path::new(rest).extension().is_some_and(|extension| extension == "rego")
        {
            if rest.ends_with("_test.rego") { FileRole::PolicyTest } else { FileRole::Policy }
        } else if path.starts_with("exceptions/") && data {
            FileRole::Waiver
        } else if RESERVED.iter().any(|folder| path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))) {
            FileRole::Reserved
        } else {
            FileRole::Ignored
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_folder_and_extension() {
        let layout = Layout::new(&Settings::default());
        assert_eq!(layout.role("cairn.yaml"), FileRole::Settings);
        assert_eq!(layout.role("blueprints/a/service.json"), FileRole::Blueprint);
        assert_eq!(layout.role("catalog/x/y/z.yml"), FileRole::Entity(None));
        assert_eq!(layout.role("environments/dev.yaml"), FileRole::Entity(Some("Environment")));
        assert_eq!(layout.role("catalog/README.md"), FileRole::Ignored);
        assert_eq!(layout.role("catalogue/a.yaml"), FileRole::Ignored);
        assert_eq!(layout.role("policies/a.rego"), FileRole::Policy);
        assert_eq!(layout.role("policies/team/a_test.rego"), FileRole::PolicyTest);
        assert_eq!(layout.role("policies/README.md"), FileRole::Reserved);
        assert_eq!(layout.role("exceptions/legacy.yaml"), FileRole::Waiver);
        assert_eq!(layout.role("README.md"), FileRole::Ignored);
    }
}
