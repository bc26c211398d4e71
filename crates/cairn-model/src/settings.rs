//! `cairn.yaml`: the platform repository's settings, every one optional. Read with serde_yaml
//! into typed settings; an unknown or mistyped setting is a located finding, never ignored.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile};
use cairn_syntax::Limits;
use jiff::SignedDuration;
use serde::Deserialize;

use crate::time::{TTL_UNITS, parse_ttl};

/// The settings file's path at the repository root.
pub const SETTINGS_FILE: &str = "cairn.yaml";

/// The platform repository's settings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The version of the settings format; only 1 exists.
    #[serde(default = "one")]
    pub version: u32,
    #[serde(default)]
    pub paths: Paths,
    #[serde(default)]
    pub limits: LimitSettings,
    #[serde(default)]
    pub library: Library,
    #[serde(default)]
    pub catalog: CatalogSettings,
    #[serde(default)]
    pub reconcile: ReconcileSettings,
}

/// What `cairn reconcile` does (docs/reconcile.md).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ReconcileSettings {
    /// How long before an environment expires its owners are reminded, as a `ttl` is written
    /// (`2d`, `36h`); `0d` sends no reminder.
    pub reminder: String,
    /// The branch the rendered output of each merged commit is committed to.
    pub rendered_branch: String,
}

impl Default for ReconcileSettings {
    fn default() -> Self {
        ReconcileSettings { reminder: "2d".into(), rendered_branch: "rendered/main".into() }
    }
}

impl ReconcileSettings {
    /// The reminder window, read once `Settings::read` has checked it.
    #[must_use]
    pub fn reminder_window(&self) -> SignedDuration {
        parse_ttl(&self.reminder).unwrap_or_default()
    }
}

/// What the catalog is expected to hold, and where besides the catalog folder it is read from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CatalogSettings {
    /// The platform holds no entity on purpose (a new platform, or one that keeps only rules).
    /// Otherwise a check that reads no entity is a warning (`W0701`) and fails `cairn ci`: it
    /// usually means cairn was pointed at the wrong folder.
    pub allow_empty: bool,
    /// Entities are read from every `port.yml` and `port.yaml` of the repository, as Port's
    /// GitOps reads them (its GitHub app's default `specPath` is `**/port.yml`). On by default.
    pub port_yml: bool,
}

impl Default for CatalogSettings {
    fn default() -> Self {
        CatalogSettings { allow_empty: false, port_yml: true }
    }
}

/// Where the parts of the platform live, relative to the repository root.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Paths {
    pub blueprints: String,
    pub catalog: String,
    pub environments: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths { blueprints: "blueprints".into(), catalog: "catalog".into(), environments: "environments".into() }
    }
}

/// Limits on what one file may make cairn do.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LimitSettings {
    /// In bytes.
    pub max_file_size: u64,
    pub max_depth: usize,
    pub max_alias_expansion: usize,
    /// How long, in milliseconds, one policy rule may run for one entity before it is stopped.
    pub policy_time_ms: u64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            max_file_size: Limits::DEFAULT_MAX_FILE_SIZE,
            max_depth: Limits::DEFAULT_MAX_DEPTH,
            max_alias_expansion: Limits::DEFAULT_MAX_ALIAS_NODES,
            policy_time_ms: 5_000,
        }
    }
}

/// Which of cairn's bundled libraries apply to this repository.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
#[expect(clippy::struct_excessive_bools, reason = "one switch per bundled library, as cairn.yaml writes them")]
pub struct Library {
    /// The bundled blueprints (`_team`, `_user`, `Domain`, `System`, `Component`, `API`, `Resource`,
    /// `Environment`). A blueprint of the repository with the same identifier replaces one.
    pub blueprints: bool,
    /// The bundled policies (`cairn.library.*`): off unless the repository enables them, so
    /// that a plain Port catalog is judged by Port's rules only.
    pub policies: bool,
    /// The bundled golden-path templates (`kubernetes-namespace`, `kubernetes-service`,
    /// `codeowners`, `system-docs`) that `cairn render` renders: off unless the repository
    /// enables them, like the policies. A template of the repository with the same name
    /// replaces one.
    pub templates: bool,
    /// The bundled scorecards (`production-readiness`, on the bundled `Component` blueprint):
    /// off unless the repository enables them, like the policies.
    pub scorecards: bool,
}

impl Default for Library {
    fn default() -> Self {
        Library { blueprints: true, policies: false, templates: false, scorecards: false }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: 1,
            paths: Paths::default(),
            limits: LimitSettings::default(),
            library: Library::default(),
            catalog: CatalogSettings::default(),
            reconcile: ReconcileSettings::default(),
        }
    }
}

/// Whether git accepts `name` as a branch (the rules of `git check-ref-format --branch`, kept to
/// what a settings file could get wrong).
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "git refuses `.lock` as written, case-sensitively"
)]
fn is_branch_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['-', '/'])
        && !name.ends_with(['/', '.'])
        && !name.contains("..")
        && !name.contains("//")
        && !name.contains("@{")
        && !name.ends_with(".lock")
        && name.split('/').all(|part| !part.starts_with('.'))
        && !name.chars().any(|c| c.is_ascii_control() || " ~^:?*[\\".contains(c))
}

fn one() -> u32 {
    1
}

impl Settings {
    #[must_use]
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_size: self.limits.max_file_size,
            max_depth: self.limits.max_depth,
            max_alias_nodes: self.limits.max_alias_expansion,
        }
    }

    /// Reads `cairn.yaml`. Never fails: invalid settings give the defaults and a finding.
    #[must_use]
    pub fn read(file: &SourceFile) -> (Settings, Vec<Diagnostic>) {
        if file.text().trim().is_empty() {
            return (Settings::default(), Vec::new());
        }
        let settings = match serde_yaml::from_str::<Option<Settings>>(file.text()) {
            Ok(settings) => settings.unwrap_or_default(),
            Err(error) => {
                let offset = error.location().map_or(0, |location| location.index() as u32);
                let message = error.to_string();
                // serde_yaml appends " at line L column C"; the location says that already.
                let message = message.split(" at line ").next().unwrap_or(&message);
                let diagnostic = Diagnostic::new(Code::InvalidSettings, format!("invalid settings: {message}"))
                    .at_span(file, ByteSpan::at(offset))
                    .with_help("see docs/platform-repo.md for every setting of cairn.yaml");
                return (Settings::default(), vec![diagnostic]);
            }
        };
        let mut diagnostics = Vec::new();
        let mut invalid = |message: String, help: &str| {
            diagnostics
                .push(Diagnostic::new(Code::InvalidSettings, message).at_span(file, ByteSpan::at(0)).with_help(help));
        };
        if settings.version != 1 {
            invalid(format!("unsupported settings version `{}`", settings.version), "write `version: 1`");
        }
        for (name, path) in [
            ("blueprints", &settings.paths.blueprints),
            ("catalog", &settings.paths.catalog),
            ("environments", &settings.paths.environments),
        ] {
            if path.is_empty() || path.starts_with('/') || path.split('/').any(|part| part == ".." || part == ".") {
                invalid(
                    format!("`paths.{name}` is `{path}`, not a folder inside the repository"),
                    "write a relative path such as `catalog` or `platform/catalog`",
                );
            }
        }
        if settings.limits.max_depth == 0 || settings.limits.max_file_size == 0 || settings.limits.policy_time_ms == 0 {
            invalid(
                "`limits.max-depth`, `limits.max-file-size` and `limits.policy-time-ms` must be above 0".into(),
                "remove them to use the defaults",
            );
        }
        if parse_ttl(&settings.reconcile.reminder).is_none() {
            invalid(
                format!("`reconcile.reminder` is `{}`, not a duration", settings.reconcile.reminder),
                &format!("write {TTL_UNITS}; `0d` sends no reminder"),
            );
        }
        let branch = &settings.reconcile.rendered_branch;
        if !is_branch_name(branch) {
            invalid(
                format!("`reconcile.rendered-branch` is `{branch}`, not a branch name git accepts"),
                "write a name such as `rendered/main`",
            );
        }
        if diagnostics.is_empty() { (settings, diagnostics) } else { (Settings::default(), diagnostics) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Settings, Vec<Diagnostic>) {
        Settings::read(&SourceFile::new(SETTINGS_FILE, text))
    }

    #[test]
    fn defaults_when_absent_or_empty() {
        assert_eq!(read("").0, Settings::default());
        assert_eq!(Settings::default().version, 1);
        assert_eq!(read("# nothing\n").0.paths.catalog, "catalog");
    }

    #[test]
    fn reads_every_setting() {
        let (settings, diagnostics) = read(
            "version: 1\npaths:\n  catalog: platform/catalog\nlimits:\n  max-file-size: 1000\nlibrary:\n  policies: false\n  templates: true\ncatalog:\n  allow-empty: true\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(settings.catalog.allow_empty);
        assert!(!Settings::default().catalog.allow_empty, "an empty catalog is a warning unless said otherwise");
        assert!(
            settings.catalog.port_yml && Settings::default().catalog.port_yml,
            "port.yml files are read by default"
        );
        assert!(!read("catalog:\n  port-yml: false\n").0.catalog.port_yml);
        assert_eq!(settings.paths.catalog, "platform/catalog");
        assert_eq!(settings.limits().max_file_size, 1000);
        assert!(!settings.library.policies && settings.library.blueprints);
        assert!(settings.library.templates && !Settings::default().library.templates, "templates are off by default");
    }

    #[test]
    fn an_unknown_setting_is_a_located_finding() {
        let (_, diagnostics) = read("version: 1\nlimits:\n  max-files: 3\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("unknown field `max-files`"), "{}", diagnostics[0].message);
        let location = diagnostics[0].location.as_ref().expect("located");
        assert_eq!((location.start.line, location.start.column), (3, 3));
    }

    #[test]
    fn a_path_outside_the_repository_is_refused() {
        let (settings, diagnostics) = read("paths:\n  catalog: ../elsewhere\n");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(settings.paths.catalog, "catalog");
    }

    #[test]
    fn reconcile_settings_default_to_two_days_and_rendered_main() {
        let defaults = Settings::default().reconcile;
        assert_eq!(defaults.reminder_window(), SignedDuration::from_hours(48));
        assert_eq!(defaults.rendered_branch, "rendered/main");
        let (settings, diagnostics) = read("reconcile:\n  reminder: 36h\n  rendered-branch: deploy/rendered\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(settings.reconcile.reminder_window(), SignedDuration::from_hours(36));
        assert_eq!(settings.reconcile.rendered_branch, "deploy/rendered");
        assert_eq!(read("reconcile:\n  reminder: 0d\n").0.reconcile.reminder_window(), SignedDuration::ZERO);
    }

    #[test]
    fn a_reminder_that_is_no_duration_or_a_branch_git_refuses_is_a_finding() {
        let (settings, diagnostics) = read("reconcile:\n  reminder: two days\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("`reconcile.reminder` is `two days`"), "{}", diagnostics[0].message);
        assert_eq!(settings, Settings::default());
        for branch in ["rendered main", "-x", "a..b", "a/", "refs/.hidden", "x.lock", "a:b"] {
            let (_, diagnostics) = read(&format!("reconcile:\n  rendered-branch: '{branch}'\n"));
            assert_eq!(diagnostics.len(), 1, "{branch}");
        }
    }
}
