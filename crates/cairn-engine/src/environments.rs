//! `environments`: every environment of a revision with its owner, type, when it was created
//! and by whom, and when it expires (cairn-model's `expiry`), its `ttl` counted from the commit
//! that created it or last changed its `ttl`, read from the file's history. The answer depends on
//! the revision and `now` only: commit times, never the clock.

use cairn_diagnostics::{Code, Diagnostic, EntityRef};
use cairn_model::{
    Catalog, ENVIRONMENT_BLUEPRINT, Entity, Expiry, ExpiryRule, Limits, ListOf, Node, Timestamp, list_items,
};
use cairn_source::{Contents, Source, Version};

use crate::error::EngineError;
use crate::load::load;

/// How many commits the history of one environment's file is read back at most.
pub const HISTORY_LIMIT: usize = 10_000;

/// A commit, as an environment's history names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitRef {
    pub commit: String,
    pub time: Timestamp,
    pub author: String,
    /// The commit's message (subject, blank line, body): where a pull request's number is.
    pub message: String,
}

/// One environment, as `cairn env list` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvironmentStatus {
    pub entity: EntityRef,
    /// The file and line it is declared at.
    pub file: String,
    pub line: u32,
    pub owners: Vec<String>,
    /// Its `type` property.
    pub kind: Option<String>,
    pub ttl: Option<String>,
    /// The commit that created it (the oldest of the versions of its file that declare it,
    /// counting back from the revision without a gap); `None` without history.
    pub created: Option<CommitRef>,
    /// The commit that set its current `ttl`: the one that created it or last changed it.
    pub extended: Option<CommitRef>,
    pub expiry: Option<Expiry>,
    /// What it requests (its own `resources`, and those of the workloads deployed to it) and the
    /// resource definition each is matched to (`None`: none matches, two tie, or the platform
    /// declares no definition).
    pub resources: Vec<ResourceStatus>,
}

/// One resource an environment requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceStatus {
    pub name: String,
    pub r#type: String,
    /// The component whose workload requests it; `None` for the environment's own request.
    pub component: Option<String>,
    /// The id of the definition that provides it.
    pub definition: Option<String>,
}

impl EnvironmentStatus {
    /// How long until it expires as of `now` (negative once expired); `None` when it never does.
    #[must_use]
    pub fn left(&self, now: Timestamp) -> Option<cairn_model::SignedDuration> {
        self.expiry.as_ref().map(|expiry| expiry.at.duration_since(now))
    }
}

/// The environments of the platform at `source`, in catalog order.
pub fn environments(source: &Source) -> Result<Vec<EnvironmentStatus>, EngineError> {
    let mut loaded = load(source)?;
    let entities = std::mem::take(&mut loaded.entities);
    let (catalog, _) = Catalog::build(loaded.bundled_blueprints.clone(), loaded.declared_blueprints.clone(), entities);
    let limits = loaded.settings.limits();
    let blueprint = catalog.blueprints.get(ENVIRONMENT_BLUEPRINT);
    let resources = resources(&catalog, &loaded);
    let mut statuses = Vec::new();
    let environments = catalog.entities_of(ENVIRONMENT_BLUEPRINT);
    let histories = Histories::read(source, environments.iter().map(|entity| &**entity))?;
    for entity in environments {
        let identifier = entity.identifier.value.as_str();
        let (created, extended) = histories.lifetime(source, entity, &limits)?;
        let expiry = cairn_model::expiry(entity, blueprint, extended.as_ref().map(|commit| commit.time));
        let position = entity.file.position(entity.identifier.span.start);
        statuses.push(EnvironmentStatus {
            entity: entity.reference(),
            file: entity.file.path().to_owned(),
            line: position.line,
            owners: entity.owner_list(),
            kind: text(entity.properties.as_ref(), "type"),
            ttl: text(entity.properties.as_ref(), "ttl"),
            created,
            extended,
            expiry,
            resources: resources
                .iter()
                .filter(|(environment, _)| environment == identifier)
                .map(|(_, r)| r.clone())
                .collect(),
        });
    }
    Ok(statuses)
}

/// Every request of the platform, by environment, with the definition it is matched to: the
/// orchestrator's matching when the platform declares definitions, else the environments' own
/// requests, unmatched.
fn resources(catalog: &Catalog, loaded: &crate::load::Loaded) -> Vec<(String, ResourceStatus)> {
    let status = |request: &cairn_resources::Request, definition: Option<String>| {
        let resource = ResourceStatus {
            name: request.name.clone(),
            r#type: request.r#type.clone(),
            component: request.component.clone(),
            definition,
        };
        (request.environment.clone(), resource)
    };
    if loaded.resource_definitions.is_empty() {
        let (requests, _) = cairn_resources::environment_requests(catalog);
        return requests.iter().map(|request| status(request, None)).collect();
    }
    let (requested, _) = crate::orchestrate::request(catalog, &loaded.workloads, &loaded.resource_definitions);
    requested
        .requests
        .iter()
        .enumerate()
        .map(|(index, request)| {
            let definition = requested
                .resolution
                .instance_of(index)
                .map(|instance| loaded.resource_definitions[instance.definition].id.clone());
            status(request, definition)
        })
        .collect()
}

fn text(properties: Option<&Node>, name: &str) -> Option<String> {
    properties?.get(name)?.as_str().map(str::to_owned)
}

/// The versions of the files that declare some entities, read in one walk of the history; empty
/// for a source without history (a folder, a change being judged).
#[derive(Debug, Default)]
pub(crate) struct Histories {
    by_path: std::collections::HashMap<String, Vec<Version>>,
}

impl Histories {
    /// The histories of the files of `entities`.
    pub(crate) fn read<'a>(
        source: &Source,
        entities: impl IntoIterator<Item = &'a Entity>,
    ) -> Result<Histories, EngineError> {
        let mut paths: Vec<&str> = entities.into_iter().map(|entity| entity.file.path()).collect();
        paths.sort_unstable();
        paths.dedup();
        if paths.is_empty() {
            return Ok(Histories::default());
        }
        let Some(found) = source.histories(&paths, HISTORY_LIMIT) else { return Ok(Histories::default()) };
        let by_path = paths.into_iter().map(str::to_owned).zip(found?).collect();
        Ok(Histories { by_path })
    }

    /// The commits that created `entity` and that set its current `ttl`, from its file's
    /// versions; `(None, None)` without history.
    pub(crate) fn lifetime(
        &self,
        source: &Source,
        entity: &Entity,
        limits: &Limits,
    ) -> Result<(Option<CommitRef>, Option<CommitRef>), EngineError> {
        match self.by_path.get(entity.file.path()) {
            Some(versions) => since(source, entity, &entity.identifier.value, versions, limits),
            None => Ok((None, None)),
        }
    }
}

/// `W1080` for each environment of `catalog` that expired before `now` and is still declared:
/// its teardown is due (`cairn reconcile` opens it). A `ttl` counts from the commit that set it,
/// read from `source`'s history, which is walked only for environments with a `ttl` and no
/// timer or `expiresAt`. Without history (a folder on disk, a change being judged), only a timer
/// property or `expiresAt` says that an environment expired: `createdAt` plus `ttl` is what a
/// folder can guess, not what the reconciler acts on. A history that cannot be read gives no
/// finding for that environment.
pub(crate) fn expired(source: &Source, catalog: &Catalog, limits: &Limits, now: Timestamp) -> Vec<Diagnostic> {
    let blueprint = catalog.blueprints.get(ENVIRONMENT_BLUEPRINT);
    let explicit = |entity: &Entity| {
        cairn_model::expiry(entity, blueprint, None)
            .filter(|expiry| matches!(expiry.rule, ExpiryRule::Timer(_) | ExpiryRule::ExpiresAt))
    };
    let environments = catalog.entities_of(ENVIRONMENT_BLUEPRINT);
    // Only the files of environments whose lifetime is a `ttl` have their history read.
    let counted = environments
        .iter()
        .map(|entity| &**entity)
        .filter(|entity| explicit(entity).is_none() && text(entity.properties.as_ref(), "ttl").is_some());
    let histories = Histories::read(source, counted).unwrap_or_default();
    let mut found = Vec::new();
    for entity in environments {
        let expiry = match explicit(entity) {
            Some(expiry) => Some(expiry),
            None if text(entity.properties.as_ref(), "ttl").is_some() => {
                match histories.lifetime(source, entity, limits) {
                    Ok((_, Some(set))) => cairn_model::expiry(entity, blueprint, Some(set.time)),
                    Ok((_, None)) | Err(_) => None,
                }
            }
            None => None,
        };
        let Some(expiry) = expiry.filter(|expiry| expiry.at <= now) else { continue };
        let why = match &expiry.rule {
            ExpiryRule::Timer(name) => format!("its timer `{name}`"),
            ExpiryRule::ExpiresAt => "its `expiresAt`".to_owned(),
            ExpiryRule::TtlSinceCommit | ExpiryRule::TtlSinceCreatedAt => {
                "its `ttl`, counted from the commit that set it".to_owned()
            }
        };
        found.push(
            Diagnostic::new(
                Code::ExpiredEnvironment,
                format!(
                    "environment `{}` expired on {} ({why}) and is still declared",
                    entity.identifier.value, expiry.at
                ),
            )
            .at_span(&entity.file, entity.identifier.span)
            .with_entity(entity.reference())
            .with_help(
                "`cairn reconcile --apply` opens the pull request that tears it down; to keep it, extend its `ttl` \
                 (or `expiresAt`) in a pull request",
            ),
        );
    }
    found
}

/// From the versions of the entity's file (newest first): the commit that created the entity,
/// and the one that set its current `ttl`. Each version is read and the entity found in it by
/// identifier; the walk stops at the first version without it.
fn since(
    source: &Source,
    entity: &Entity,
    identifier: &str,
    versions: &[Version],
    limits: &Limits,
) -> Result<(Option<CommitRef>, Option<CommitRef>), EngineError> {
    let current = text(entity.properties.as_ref(), "ttl");
    let (mut created, mut extended) = (None, None);
    let mut ttl_unchanged = true;
    for version in versions {
        let Some(blob) = version.blob else { break };
        let bytes = match source.version_bytes(entity.file.path(), blob, limits.max_file_size) {
            Some(Ok(Contents::Bytes(bytes))) => bytes,
            Some(Ok(Contents::TooLarge { .. })) | None => break,
            Some(Err(error)) => return Err(error.into()),
        };
        // The entity as this version of the file declares it, if it does.
        let Declared::WithTtl(ttl) = declared_ttl(entity.file.path(), &bytes, identifier, limits) else { break };
        let commit = CommitRef {
            commit: version.commit.clone(),
            time: Timestamp::from_second(version.time).unwrap_or(Timestamp::UNIX_EPOCH),
            author: version.author.clone(),
            message: version.message.clone(),
        };
        if ttl_unchanged && ttl == current {
            extended = Some(commit.clone());
        } else {
            ttl_unchanged = false;
        }
        created = Some(commit);
    }
    Ok((created, extended))
}

/// What one version of a file says of an entity.
enum Declared {
    /// The file does not declare it.
    Absent,
    /// It declares it, with this `ttl` (or none).
    WithTtl(Option<String>),
}

/// Whether the file's bytes declare the entity `identifier`, and its `ttl`.
fn declared_ttl(path: &str, bytes: &[u8], identifier: &str, limits: &Limits) -> Declared {
    let parsed = cairn_model::parse_file(path, bytes, limits);
    for document in parsed.documents {
        let (items, _) = list_items(&parsed.file, document, ListOf::Entities);
        for item in items {
            if item.get("identifier").and_then(Node::as_str) == Some(identifier) {
                return Declared::WithTtl(text(item.get("properties"), "ttl"));
            }
        }
    }
    Declared::Absent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{CLEAN, FIRST_COMMIT_TIME, Repo};
    use cairn_model::{ExpiryRule, SignedDuration};

    fn at(commit: usize) -> Timestamp {
        Timestamp::from_second(FIRST_COMMIT_TIME + 60 * i64::try_from(commit).expect("small")).expect("a time")
    }

    fn by_name<'a>(statuses: &'a [EnvironmentStatus], name: &str) -> &'a EnvironmentStatus {
        statuses.iter().find(|status| status.entity.name() == name).expect("the environment")
    }

    /// A `ttl` counts from the commit that set it (created, or last changed it), read from the
    /// file's history: neither the clock, nor `createdAt`, nor commits that changed something
    /// else. `expiresAt` wins over `ttl`; a folder without history counts from `createdAt`.
    #[test]
    fn a_ttl_counts_from_the_commit_that_set_it() {
        let repo = Repo::with(CLEAN);
        repo.write(
            "environments/dev.yaml",
            "# Alice's\nidentifier: dev\nteam: payments\nproperties:\n  type: development\n  createdAt: \"2020-01-01T00:00:00Z\"\n  ttl: 5d\n",
        );
        let created = repo.commit("create dev");
        repo.write("catalog/other.yaml", "identifier: other\nblueprint: _team\n");
        repo.commit("unrelated");
        repo.write(
            "environments/dev.yaml",
            "# Alice's\nidentifier: dev\ntitle: Dev\nteam: payments\nproperties:\n  type: development\n  createdAt: \"2020-01-01T00:00:00Z\"\n  ttl: 5d\n",
        );
        repo.commit("retitle dev");
        repo.write(
            "environments/dev.yaml",
            "# Alice's\nidentifier: dev\ntitle: Dev\nteam: payments\nproperties:\n  type: development\n  createdAt: \"2020-01-01T00:00:00Z\"\n  ttl: 8d\n",
        );
        let extended = repo.commit("extend dev");
        repo.write(
            "environments/fixed.yaml",
            "identifier: fixed\nproperties:\n  type: staging\n  ttl: 1d\n  expiresAt: \"2030-01-01T00:00:00Z\"\n",
        );
        repo.write(
            "environments/production.yaml",
            "identifier: production\nproperties:\n  type: production\n  resources:\n    - {name: db, type: postgres}\n",
        );
        repo.commit("more");

        let statuses = environments(&repo.at("HEAD")).expect("read");
        let dev = by_name(&statuses, "dev");
        assert_eq!(dev.created.as_ref().map(|c| c.commit.as_str()), Some(created.as_str()));
        assert_eq!(dev.extended.as_ref().map(|c| c.commit.as_str()), Some(extended.as_str()));
        let expiry = dev.expiry.as_ref().expect("it expires");
        assert_eq!(expiry.rule, ExpiryRule::TtlSinceCommit);
        assert_eq!(expiry.at, at(3).checked_add(SignedDuration::from_hours(8 * 24)).expect("in range"));
        assert_eq!(dev.left(at(3)), Some(SignedDuration::from_hours(8 * 24)));
        assert_eq!(
            (dev.owners.as_slice(), dev.kind.as_deref()),
            (["payments".to_owned()].as_slice(), Some("development"))
        );

        let fixed = by_name(&statuses, "fixed").expiry.as_ref().expect("it expires");
        assert_eq!(
            (fixed.rule.clone(), fixed.at.to_string()),
            (ExpiryRule::ExpiresAt, "2030-01-01T00:00:00Z".to_owned())
        );
        let production = by_name(&statuses, "production");
        assert_eq!(production.expiry, None, "no lifetime, never expires");
        let db = ResourceStatus { name: "db".into(), r#type: "postgres".into(), component: None, definition: None };
        assert_eq!(production.resources, [db], "requested, and no definition to match it without resources/");

        // An older revision answers as it stood then.
        let before = environments(&repo.at(&created)).expect("read");
        assert_eq!(
            by_name(&before, "dev").expiry.as_ref().map(|e| e.at),
            at(0).checked_add(SignedDuration::from_hours(5 * 24)).ok()
        );

        // Without history, from `createdAt`.
        let folder = environments(&repo.directory()).expect("read");
        let dev = by_name(&folder, "dev").expiry.as_ref().expect("it expires");
        assert_eq!(
            (dev.rule.clone(), dev.at.to_string()),
            (ExpiryRule::TtlSinceCreatedAt, "2020-01-09T00:00:00Z".to_owned())
        );
    }

    /// A property whose blueprint says `format: timer` (Port's timer) decides before the rest.
    #[test]
    fn a_timer_property_decides_first() {
        let repo = Repo::with(CLEAN);
        repo.write(
            "blueprints/environment.yaml",
            "identifier: Environment\nschema:\n  properties:\n    type: {type: string}\n    ttl: {type: string}\n    expiresAt: {type: string, format: date-time}\n    deadline: {type: string, format: timer}\n",
        );
        repo.write(
            "environments/dev.yaml",
            "identifier: dev\nproperties:\n  ttl: 5d\n  expiresAt: \"2031-01-01T00:00:00Z\"\n  deadline: \"2030-06-01T00:00:00Z\"\n",
        );
        repo.commit("dev with a timer");
        let statuses = environments(&repo.at("HEAD")).expect("read");
        let expiry = by_name(&statuses, "dev").expiry.as_ref().expect("it expires");
        assert_eq!(
            (expiry.rule.clone(), expiry.at.to_string()),
            (ExpiryRule::Timer("deadline".into()), "2030-06-01T00:00:00Z".to_owned())
        );
    }

    /// `cairn check` warns about an environment whose lifetime ended and is still declared: a
    /// `ttl` from the commit that set it (at a git revision), an `expiresAt` anywhere; a folder
    /// without history does not guess from `createdAt`.
    #[test]
    fn check_warns_about_each_expired_environment_still_declared() {
        let repo = Repo::with(CLEAN);
        repo.write(
            "environments/dev.yaml",
            "identifier: dev\nteam: payments\nproperties:\n  type: development\n  createdAt: \"2020-01-01T00:00:00Z\"\n  ttl: 1d\n",
        );
        repo.write(
            "environments/fixed.yaml",
            "identifier: fixed\nteam: payments\nproperties:\n  type: development\n  expiresAt: \"2023-11-15T00:00:00Z\"\n",
        );
        repo.commit("two environments");
        let warnings = |source: &Source, now: Timestamp| -> Vec<String> {
            let outcome = crate::check(source, now).expect("checked");
            outcome
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::ExpiredEnvironment)
                .map(|d| {
                    let location = d.location.as_ref().expect("located");
                    format!("{}:{} {}", location.file, location.start.line, d.message)
                })
                .collect()
        };
        let head = repo.at("HEAD");
        assert!(warnings(&head, at(1)).is_empty(), "nothing has expired a minute after the commit");
        let later = at(3 * 24 * 60);
        assert_eq!(
            warnings(&head, later),
            [
                "environments/dev.yaml:1 environment `dev` expired on 2023-11-15T22:13:20Z (its `ttl`, counted from \
                 the commit that set it) and is still declared",
                "environments/fixed.yaml:1 environment `fixed` expired on 2023-11-15T00:00:00Z (its `expiresAt`) and \
                 is still declared",
            ]
        );
        // A folder has no history: only `expiresAt` says so.
        assert_eq!(warnings(&repo.directory(), later).len(), 1);
        // A warning: the check still passes.
        assert_eq!(crate::check(&head, later).expect("checked").verdict(), crate::Verdict::Pass);
    }
}
