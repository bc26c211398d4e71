//! From the items of Port exports to the files of a platform repository (docs/import.md): one
//! file per blueprint, per entity (grouped by blueprint), per scorecard and per action, with
//! what Port computes or keeps for itself left out, and a finding for each item that cannot be
//! carried.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location, SourceMap, did_you_mean};
use cairn_model::{ENVIRONMENT_BLUEPRINT, Entry, Limits, Node, SETTINGS_FILE, TEAM_BLUEPRINT, Value, parse_file};

use crate::emit::emit;
use crate::names::names;
use crate::port::{self, Item, Kind};
use crate::{Export, Imported, Summary};

/// The fields Port sets on every blueprint, entity, scorecard and action it stores, never the
/// writer: cairn has no use for them in a repository, whose history is git's
/// (https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/meta-properties/).
const META: &[&str] = &["createdAt", "createdBy", "updatedAt", "updatedBy"];

/// The blueprint keys that declare properties Port computes, whose values an exported entity
/// carries in `properties` and cairn computes itself
/// (https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/mirror-property/,
/// …/calculation-property/, …/aggregation-property/); `formulaProperties` is their older form.
const COMPUTED: &[&str] = &["mirrorProperties", "calculationProperties", "aggregationProperties", "formulaProperties"];

/// The order of an entity file's keys: docs/platform-repo.md's; the rest follow as exported.
const ENTITY_ORDER: &[&str] = &["identifier", "title", "blueprint", "icon", "team", "properties", "relations"];

/// What identifies an item among the export's: its kind, its blueprint (entities and
/// scorecards; empty for the others) and its identifier.
type Key = (Kind, String, String);

pub(crate) fn convert(exports: &[Export]) -> Imported {
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut summary = Summary::default();
    let mut items: BTreeMap<Key, Item> = BTreeMap::new();
    for export in exports {
        for item in port::read(&export.path, &export.bytes, &mut sources, &mut diagnostics) {
            let Some(key) = key_of(&item, &mut diagnostics) else {
                summary.not_carried += 1;
                continue;
            };
            match items.get(&key) {
                None => {
                    items.insert(key, item);
                }
                // The same item in two overlapping exports is one item.
                Some(first) if first.node.to_json() == item.node.to_json() => {}
                Some(first) => {
                    summary.not_carried += 1;
                    diagnostics.push(duplicate(&key, &item, first));
                }
            }
        }
    }

    let bundled = bundled_blueprints();
    let exported: BTreeSet<&str> =
        items.keys().filter(|(kind, ..)| *kind == Kind::Blueprint).map(|(_, _, id)| id.as_str()).collect();
    let mut unknown = BTreeSet::new();
    for ((kind, blueprint, identifier), item) in &items {
        if *kind == Kind::Entity && !exported.contains(blueprint.as_str()) && !bundled.contains(blueprint) {
            diagnostics.push(unknown_blueprint(blueprint, identifier, item, &exported, bundled));
            unknown.insert((blueprint.clone(), identifier.clone()));
        }
    }
    items.retain(|(kind, blueprint, identifier), _| {
        *kind != Kind::Entity || !unknown.contains(&(blueprint.clone(), identifier.clone()))
    });
    summary.not_carried += unknown.len();

    let computed: BTreeMap<&str, BTreeSet<&str>> = items
        .iter()
        .filter(|((kind, ..), _)| *kind == Kind::Blueprint)
        .map(|((_, _, id), item)| (id.as_str(), computed_properties(&item.node)))
        .collect();

    let paths = paths(&items);
    let mut files = BTreeMap::new();
    let mut taken: BTreeMap<String, Location> = BTreeMap::new();
    for (key, item) in &items {
        let (kind, blueprint, _) = key;
        let document = match kind {
            Kind::Entity => entity(&item.node, computed.get(blueprint.as_str()), &mut summary),
            Kind::Blueprint => without(&item.node, META, true, &mut summary),
            Kind::Scorecard | Kind::Action => without(&item.node, META, false, &mut summary),
        };
        let (text, extension) = emit(&document);
        let path = format!("{}.{extension}", paths[key]);
        // Names are unique by construction (names.rs); this catches what no construction can,
        // two identifiers whose hashes agree, before one file would overwrite the other.
        if let Some(first) = taken.get(&path.to_ascii_lowercase()) {
            summary.not_carried += 1;
            diagnostics.push(
                Diagnostic::new(
                    Code::ImportFileClash,
                    format!("the {} `{}` would be written to `{path}`, as another item is", kind.noun(), key.2),
                )
                .at(item.location())
                .with_related("the item written there", first.clone())
                .with_help("rename one of the two identifiers in Port and export again"),
            );
            continue;
        }
        taken.insert(path.to_ascii_lowercase(), item.location());
        match kind {
            Kind::Blueprint => summary.blueprints += 1,
            Kind::Entity if blueprint == TEAM_BLUEPRINT => summary.teams += 1,
            Kind::Entity if blueprint == ENVIRONMENT_BLUEPRINT => summary.environments += 1,
            Kind::Entity => summary.entities += 1,
            Kind::Scorecard => summary.scorecards += 1,
            Kind::Action => summary.actions += 1,
        }
        files.insert(path, text);
    }
    let mut settings =
        String::from("# Written by `cairn import port` from a Port export (docs/import.md).\nversion: 1\n");
    if summary.entities + summary.teams + summary.environments == 0 {
        settings
            .push_str("# The export held no entity: an empty catalog is on purpose.\ncatalog:\n  allow-empty: true\n");
    }
    files.insert(SETTINGS_FILE.to_owned(), settings);

    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Imported { files, diagnostics, sources, summary }
}

/// The item's key, or a finding when it lacks the text identifier (or blueprint) it is filed
/// under.
fn key_of(item: &Item, diagnostics: &mut Vec<Diagnostic>) -> Option<Key> {
    let noun = item.kind.noun();
    let Some(identifier) = item.text("identifier") else {
        let what = item.node.get("identifier").map_or("no `identifier`".to_owned(), |value| {
            format!("an `identifier` that is {}, not text", value.type_name())
        });
        diagnostics.push(
            Diagnostic::new(Code::ImportNoIdentifier, format!("the {noun} has {what}"))
                .at(item.location_of("identifier"))
                .with_help(format!("every {noun} Port stores has a text identifier; export it again from Port")),
        );
        return None;
    };
    let blueprint = match item.kind {
        Kind::Blueprint | Kind::Action => String::new(),
        Kind::Entity | Kind::Scorecard => {
            let Some(blueprint) = item.text("blueprint") else {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNoIdentifier,
                        format!("the {noun} `{identifier}` names no `blueprint`"),
                    )
                    .at(item.location_of("blueprint"))
                    .with_help(format!(
                        "Port's responses name each {noun}'s blueprint; add `\"blueprint\": \"…\"` to the {noun}"
                    )),
                );
                return None;
            };
            blueprint.to_owned()
        }
    };
    Some((item.kind, blueprint, identifier.to_owned()))
}

fn duplicate(key: &Key, item: &Item, first: &Item) -> Diagnostic {
    let (kind, blueprint, identifier) = key;
    let name = if blueprint.is_empty() { format!("`{identifier}`") } else { format!("`{blueprint}:{identifier}`") };
    let diagnostic = Diagnostic::new(
        Code::ImportDuplicate,
        format!("the {} {name} is exported twice, with different contents", kind.noun()),
    )
    .at(item.location())
    .with_related("the one imported", first.location())
    .with_help("the first is imported; keep one of the two exports, or export both at the same time");
    if *kind == Kind::Entity { diagnostic.with_entity(EntityRef::new(blueprint, identifier)) } else { diagnostic }
}

fn unknown_blueprint(
    blueprint: &str,
    identifier: &str,
    item: &Item,
    exported: &BTreeSet<&str>,
    bundled: &BTreeSet<String>,
) -> Diagnostic {
    let candidates = exported.iter().copied().chain(bundled.iter().map(String::as_str));
    let help = match did_you_mean(blueprint, candidates) {
        Some(near) => format!("did you mean `{near}`? Otherwise export the blueprint `{blueprint}` too"),
        None => format!(
            "export the blueprint too (`GET /v1/blueprints/{blueprint}`) and give both files to `cairn import port`"
        ),
    };
    Diagnostic::new(
        Code::ImportUnknownBlueprint,
        format!("the entity `{identifier}` is of the blueprint `{blueprint}`, which the export does not hold"),
    )
    .at(item.location_of("blueprint"))
    .with_entity(EntityRef::new(blueprint, identifier))
    .with_help(help)
}

/// The identifiers of cairn's bundled blueprints, which apply to the imported repository
/// (`library.blueprints` is on by default) when the export does not replace them.
/// Read once per process: they are part of the binary.
fn bundled_blueprints() -> &'static BTreeSet<String> {
    static BUNDLED: OnceLock<BTreeSet<String>> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        cairn_library::blueprints()
            .flat_map(|file| parse_file(file.path, file.contents.as_bytes(), &Limits::default()).documents)
            .filter_map(|document| document.get("identifier").and_then(Node::as_str).map(str::to_owned))
            .collect()
    })
}

/// The properties a blueprint declares as computed by Port.
fn computed_properties(blueprint: &Node) -> BTreeSet<&str> {
    COMPUTED
        .iter()
        .filter_map(|key| blueprint.get(key).and_then(Node::as_mapping))
        .flat_map(|entries| entries.iter().map(|entry| entry.key.as_str()))
        .collect()
}

/// Each item's path in the repository, without its extension.
fn paths(items: &BTreeMap<Key, Item>) -> BTreeMap<Key, String> {
    let blueprint_names = names(
        items
            .keys()
            .map(|(kind, blueprint, identifier)| if *kind == Kind::Blueprint { identifier } else { blueprint })
            .map(String::as_str),
    );
    let mut groups: BTreeMap<(Kind, &str), Vec<&str>> = BTreeMap::new();
    for (kind, blueprint, identifier) in items.keys() {
        groups.entry((*kind, blueprint)).or_default().push(identifier);
    }
    let mut paths = BTreeMap::new();
    for ((kind, blueprint), identifiers) in groups {
        let file_names = names(identifiers.iter().copied());
        for (identifier, name) in file_names {
            let folder = match kind {
                Kind::Blueprint => "blueprints".to_owned(),
                Kind::Action => "actions".to_owned(),
                Kind::Entity if blueprint == ENVIRONMENT_BLUEPRINT => "environments".to_owned(),
                Kind::Entity => format!("catalog/{}", blueprint_names[blueprint]),
                Kind::Scorecard => format!("scorecards/{}", blueprint_names[blueprint]),
            };
            paths.insert((kind, blueprint.to_owned(), identifier.to_owned()), format!("{folder}/{name}"));
        }
    }
    paths
}

/// `node` without the keys `drop`, and without `null` values when `nulls` says so.
fn without(node: &Node, drop: &[&str], nulls: bool, summary: &mut Summary) -> Node {
    let Some(entries) = node.as_mapping() else { return node.clone() };
    let kept = entries
        .iter()
        .filter(|entry| {
            if drop.contains(&entry.key.as_str()) {
                summary.meta += 1;
                false
            } else if nulls && entry.value.value == Value::Null {
                summary.nulls += 1;
                false
            } else {
                true
            }
        })
        .cloned()
        .collect();
    Node::new(node.span, Value::Mapping(kept))
}

/// An entity as its file holds it: Port's meta fields, `null`s (unset, in Port) and the values
/// of computed properties left out; keys in docs/platform-repo.md's order.
fn entity(node: &Node, computed: Option<&BTreeSet<&str>>, summary: &mut Summary) -> Node {
    let trimmed = without(node, META, true, summary);
    let Value::Mapping(entries) = trimmed.value else { return trimmed };
    let mut entries: Vec<Entry> = entries
        .into_iter()
        .map(|mut entry| {
            if matches!(entry.key.as_str(), "properties" | "relations")
                && let Value::Mapping(fields) = entry.value.value
            {
                let properties = entry.key == "properties";
                let fields = fields
                    .into_iter()
                    .filter(|field| {
                        if field.value.value == Value::Null {
                            summary.nulls += 1;
                            false
                        } else if properties && computed.is_some_and(|names| names.contains(field.key.as_str())) {
                            summary.computed += 1;
                            false
                        } else {
                            true
                        }
                    })
                    .collect();
                entry.value.value = Value::Mapping(fields);
            }
            entry
        })
        .collect();
    entries.sort_by_key(|entry| ENTITY_ORDER.iter().position(|key| *key == entry.key).unwrap_or(ENTITY_ORDER.len()));
    Node::new(trimmed.span, Value::Mapping(entries))
}
