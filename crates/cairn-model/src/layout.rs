//! Which part of the platform a file of the repository belongs to, by its path.

use cairn_syntax::is_data_file;

use crate::settings::{SETTINGS_FILE, Settings};

/// The blueprint that files under the environments folder declare.
pub const ENVIRONMENT_BLUEPRINT: &str = "Environment";

/// The relation of an `Environment` that names the components deployed to it.
pub const DEPLOYED_RELATION: &str = "components";

/// Folders that later parts of cairn read (scorecards, self-service actions): their files are
/// not "ignored", they are just not entities or blueprints. `cairn import port` writes Port's scorecards and actions into `scorecards/` and
/// `actions/` (docs/import.md).
const RESERVED: &[&str] = &["policies", "scorecards", "actions", "exceptions", ".github"];

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
    /// A Score workload under the catalog folder (`is_score_file`): read by cairn-score, not as
    /// entities.
    Workload,
    /// A file of a golden-path template under `templates/<name>/` (`template.yaml` and the
    /// template files beside it): read as text by cairn-render, never an entity.
    Template,
    /// A resource definition: a YAML or JSON file under the top-level `resources/` folder
    /// (cairn-resources).
    ResourceDefinition,
    /// Any other file under `resources/`: a template a definition's `files` may name, read as
    /// text by `cairn render`.
    ResourceTemplate,
    /// Read by another part of cairn.
    Reserved,
    /// Outside the known folders, or not YAML or JSON: not read.
    Ignored,
}

/// Folders whose files cairn reads besides the configured ones.
const READ: &[&str] = &["policies/", "exceptions/", "templates/", "resources/"];

/// The names of Port's GitOps entity files. Port's GitHub app reads `port.yml` in any folder of
/// a repository (its `specPath` defaults to `**/port.yml`:
/// https://docs.port.io/build-your-software-catalog/sync-data-to-catalog/git/github/gitops and
/// port-labs/port-docs `archive/gitops/github-app-gitops/advanced-configuration.md`); its
/// Bitbucket Server GitOps reads `port.yaml`
/// (https://docs.port.io/build-your-software-catalog/custom-integration/webhook/examples/bitbucket-server/gitops).
/// Either holds one entity or a list of them.
pub const PORT_FILES: &[&str] = &["port.yml", "port.yaml"];

/// Whether `path` is a `port.yml` or `port.yaml` file, in any folder.
#[must_use]
pub fn is_port_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    PORT_FILES.contains(&name)
}

/// Whether `path` is named as a Score workload file: `score.yaml`, `score.yml`, or
/// `NAME.score.yaml`/`NAME.score.yml`, in any folder: the names Score's CLIs use (score-k8s'
/// `generate` example is `score-k8s generate score.yaml *.score.yaml`, score-spec/score-k8s
/// `internal/command/generate.go`).
#[must_use]
pub fn is_score_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    ["score.yaml", "score.yml"].iter().any(|score| {
        name == *score || name.strip_suffix(score).is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
    })
}

/// Classifies repository paths (relative, `/`-separated) by the repository's settings.
#[derive(Clone, Debug)]
pub struct Layout {
    blueprints: String,
    catalog: String,
    environments: String,
    /// `port.yml` and `port.yaml` files outside the folders above are entity files.
    port_files: bool,
}

impl Layout {
    #[must_use]
    pub fn new(settings: &Settings) -> Self {
        let folder = |path: &str| format!("{}/", path.trim_end_matches('/'));
        Layout {
            blueprints: folder(&settings.paths.blueprints),
            catalog: folder(&settings.paths.catalog),
            environments: folder(&settings.paths.environments),
            port_files: settings.catalog.port_yml,
        }
    }

    /// Whether `path` is `cairn.yaml` or in a folder whose files cairn reads (blueprints,
    /// catalog, environments, `policies/`, `exceptions/`, `resources/`): a link there is a finding, a link
    /// elsewhere in the repository is none of cairn's business.
    #[must_use]
    pub fn reads(&self, path: &str) -> bool {
        // The folder itself too: a link in place of `catalog/` is a link cairn would read through.
        let within = |folder: &str| path.starts_with(folder) || path == folder.trim_end_matches('/');
        path == SETTINGS_FILE
            || matches!(self.role(path), FileRole::Entity(_))
            || [&self.blueprints, &self.catalog, &self.environments].iter().any(|folder| within(folder))
            || READ.iter().any(|folder| within(folder))
    }

    /// The names at the top of the repository that cairn knows: the first folder of each
    /// configured path, the folders it reads and the reserved ones, sorted.
    #[must_use]
    pub fn known_top_level(&self) -> Vec<&str> {
        let mut known: Vec<&str> = [&self.blueprints, &self.catalog, &self.environments]
            .iter()
            .filter_map(|folder| folder.split('/').next())
            .chain(READ.iter().chain(RESERVED).map(|folder| folder.trim_end_matches('/')))
            .collect();
        known.sort_unstable();
        known.dedup();
        known
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
        } else if path.starts_with(&self.catalog) && is_score_file(path) {
            FileRole::Workload
        } else if path.starts_with(&self.catalog) && data {
            FileRole::Entity(None)
        } else if let Some(rest) = path.strip_prefix("policies/")
            && std::path::Path::new(rest).extension().is_some_and(|extension| extension == "rego")
        {
            if rest.ends_with("_test.rego") { FileRole::PolicyTest } else { FileRole::Policy }
        } else if path.starts_with("exceptions/") && data {
            FileRole::Waiver
        } else if path.starts_with("templates/") {
            // Any file: a template renders text of any kind, and a `port.yml` in a template is
            // part of what it renders, not data.
            FileRole::Template
        } else if path.starts_with("resources/") {
            // Only the top-level folder: a catalog file named `resources.yaml` is an entity file.
            if data { FileRole::ResourceDefinition } else { FileRole::ResourceTemplate }
        } else if RESERVED.iter().any(|folder| path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))) {
            // Read by a later part of cairn (scorecards, actions): a `port.yml` there is not data.
            FileRole::Reserved
        } else if self.port_files && is_port_file(path) {
            // Anywhere else, as Port's GitOps reads it: at the root, or in a service's folder.
            FileRole::Entity(None)
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
        assert_eq!(layout.role("catalog/payments/score.yaml"), FileRole::Workload);
        assert_eq!(layout.role("catalog/score.yml"), FileRole::Workload);
        assert_eq!(layout.role("catalog/a/api.score.yaml"), FileRole::Workload);
        assert_eq!(layout.role("catalog/a/api.score.yml"), FileRole::Workload);
        assert_eq!(layout.role("catalog/a/myscore.yaml"), FileRole::Entity(None));
        assert_eq!(layout.role("catalog/a/.score.yaml"), FileRole::Entity(None));
        assert_eq!(layout.role("catalog/a/score.json"), FileRole::Entity(None));
        assert_eq!(layout.role("blueprints/score.yaml"), FileRole::Blueprint);
        assert_eq!(layout.role("score.yaml"), FileRole::Ignored);
        assert_eq!(layout.role("catalogue/a.yaml"), FileRole::Ignored);
        assert_eq!(layout.role("policies/a.rego"), FileRole::Policy);
        assert_eq!(layout.role("policies/team/a_test.rego"), FileRole::PolicyTest);
        assert_eq!(layout.role("policies/README.md"), FileRole::Reserved);
        assert_eq!(layout.role("exceptions/legacy.yaml"), FileRole::Waiver);
        assert_eq!(layout.role("resources/postgres/rds.yaml"), FileRole::ResourceDefinition);
        assert_eq!(layout.role("resources/postgres/rds.json"), FileRole::ResourceDefinition);
        assert_eq!(layout.role("resources/postgres/container.yaml.j2"), FileRole::ResourceTemplate);
        assert_eq!(layout.role("catalog/payments/resources.yaml"), FileRole::Entity(None));
        assert_eq!(layout.role("resources.yaml"), FileRole::Ignored);
        assert_eq!(layout.role("README.md"), FileRole::Ignored);
    }

    #[test]
    fn port_files_anywhere_are_entity_files_unless_turned_off() {
        let layout = Layout::new(&Settings::default());
        for path in ["port.yml", "port.yaml", "services/cart/port.yml", "catalog/port.yml"] {
            assert_eq!(layout.role(path), FileRole::Entity(None), "{path}");
            assert!(layout.reads(path), "{path}");
        }
        // The folders with a role of their own keep it.
        assert_eq!(layout.role("blueprints/port.yml"), FileRole::Blueprint);
        assert_eq!(layout.role("environments/port.yml"), FileRole::Entity(Some("Environment")));
        assert_eq!(layout.role("templates/service/port.yml"), FileRole::Template);
        assert_eq!(layout.role("templates/service/deployment.yaml.j2"), FileRole::Template);
        assert_eq!(layout.role(".github/port.yml"), FileRole::Reserved);
        for path in ["port.json", "services/cart/my-port.yml", "services/port.yml.bak", "Port.yml"] {
            assert_eq!(layout.role(path), FileRole::Ignored, "{path}");
        }
        let off = Settings {
            catalog: crate::settings::CatalogSettings { port_yml: false, ..Default::default() },
            ..Settings::default()
        };
        let layout = Layout::new(&off);
        assert_eq!(layout.role("services/cart/port.yml"), FileRole::Ignored);
        assert!(!layout.reads("services/cart/port.yml"));
        assert_eq!(layout.role("catalog/port.yml"), FileRole::Entity(None));
    }

    #[test]
    fn reads_the_settings_and_the_folders_it_reads() {
        let settings = Settings {
            paths: crate::settings::Paths { catalog: "platform/catalog".into(), ..crate::settings::Paths::default() },
            ..Settings::default()
        };
        let layout = Layout::new(&settings);
        for path in [
            "cairn.yaml",
            "blueprints/a",
            "platform/catalog/x",
            "environments",
            "policies/p",
            "exceptions/e",
            "templates/t",
            "resources/r",
        ] {
            assert!(layout.reads(path), "{path}");
        }
        for path in
            ["catalog/x.yaml", "platform/other", "scorecards/s", ".github/workflows/w.yml", "docs/a", "blueprintsx"]
        {
            assert!(!layout.reads(path), "{path}");
        }
        assert_eq!(
            layout.known_top_level(),
            [
                ".github",
                "actions",
                "blueprints",
                "environments",
                "exceptions",
                "platform",
                "policies",
                "resources",
                "scorecards",
                "templates"
            ]
        );
    }
}
