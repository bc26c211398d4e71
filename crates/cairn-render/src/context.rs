//! The template context: every entity as a *view* (`{identifier, title, blueprint, team,
//! properties, file}`) made once per render, the entity of a unit with its owning teams and its
//! relations resolved to views, and the catalog lookups templates call (`entity()`,
//! `entities()`, `related()`, `team()`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use cairn_compute::{Computed, Relations};
use cairn_model::{Catalog, Entity, Node, TEAM_BLUEPRINT};
use minijinja::{Error, ErrorKind, Value};

/// The catalog as templates read it: a view of each entity (by position in `Catalog::entities`)
/// and its relations resolved to positions. Shared by every unit and every worker.
#[derive(Debug, Default)]
pub struct Lookup {
    views: Vec<Value>,
    /// The fields of each view, for the unit's entity, which adds to them.
    fields: Vec<Vec<(&'static str, Value)>>,
    /// (blueprint, identifier) to position, first declarations only.
    positions: HashMap<(String, String), usize>,
    /// Per blueprint, the positions of its entities sorted by identifier.
    by_blueprint: BTreeMap<String, Vec<usize>>,
    /// Per entity: relation name to (`many`, target positions).
    relations: Vec<BTreeMap<String, (bool, Vec<usize>)>>,
    /// Per blueprint, the relations it declares with their `many`.
    declared: BTreeMap<String, BTreeMap<String, bool>>,
    teams: Vec<Vec<String>>,
}

/// An entity's properties as written, with the computed ones (mirror, calculation,
/// aggregation) among them, as Port's API returns them.
fn properties(entity: &Entity, computed: Option<&BTreeMap<String, serde_json::Value>>) -> serde_json::Value {
    let mut properties = match entity.properties.as_ref().map(Node::to_json) {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    for (name, value) in computed.into_iter().flatten() {
        properties.insert(name.clone(), value.clone());
    }
    serde_json::Value::Object(properties)
}

impl Lookup {
    /// Views of every entity of `catalog`, with `relations` (every relation resolved, as
    /// `Relations::resolve` gives them) and the `computed` properties.
    #[must_use]
    pub fn new(catalog: &Catalog, relations: &Relations, computed: &Computed) -> Lookup {
        let mut lookup = Lookup::default();
        for (position, entity) in catalog.entities.iter().enumerate() {
            let teams: Vec<String> = entity.owner_list();
            let fields = vec![
                ("identifier", Value::from(entity.identifier.value.as_str())),
                ("title", entity.title.as_deref().map_or(Value::from(()), Value::from)),
                ("blueprint", Value::from(entity.blueprint.value.as_str())),
                ("team", teams.iter().map(String::as_str).map(Value::from).collect()),
                ("properties", Value::from_serialize(properties(entity, computed.of(position)))),
                ("file", Value::from(entity.file.path())),
            ];
            lookup.views.push(fields.iter().cloned().collect());
            lookup.fields.push(fields);
            lookup.teams.push(teams);
            let key = (entity.blueprint.value.clone(), entity.identifier.value.clone());
            if let std::collections::hash_map::Entry::Vacant(vacant) = lookup.positions.entry(key) {
                vacant.insert(position);
                lookup.by_blueprint.entry(entity.blueprint.value.clone()).or_default().push(position);
            }
            let declared = catalog.blueprints.get(&entity.blueprint.value);
            let resolved = relations
                .of(position)
                .filter_map(|(name, targets)| {
                    let many = declared?.relations.get(name)?.many;
                    Some((name.to_owned(), (many, targets.to_vec())))
                })
                .collect();
            lookup.relations.push(resolved);
        }
        for (identifier, blueprint) in &catalog.blueprints {
            let relations = blueprint.relations.iter().map(|(name, decl)| (name.clone(), decl.many)).collect();
            lookup.declared.insert(identifier.clone(), relations);
        }
        lookup
    }

    /// The position of the entity `blueprint:identifier`.
    #[must_use]
    pub fn position(&self, blueprint: &str, identifier: &str) -> Option<usize> {
        self.positions.get(&(blueprint.to_owned(), identifier.to_owned())).copied()
    }

    /// The view of the entity at `position`.
    #[must_use]
    pub fn view(&self, position: usize) -> Value {
        self.views.get(position).cloned().unwrap_or_default()
    }

    /// The positions of `blueprint`'s entities, sorted by identifier.
    #[must_use]
    pub fn of_blueprint(&self, blueprint: &str) -> &[usize] {
        self.by_blueprint.get(blueprint).map_or(&[], Vec::as_slice)
    }

    /// The positions `relation` of the entity at `position` points at.
    #[must_use]
    pub fn targets(&self, position: usize, relation: &str) -> &[usize] {
        self.relations.get(position).and_then(|relations| relations.get(relation)).map_or(&[], |(_, targets)| targets)
    }

    /// The unit's entity (`entity`), which is also callable as the `entity()` lookup: a name
    /// in the context hides a function of the same name, and templates want both.
    #[must_use]
    pub fn unit_entity(self: &Arc<Self>, position: usize, blueprint: &str) -> Value {
        let fields = self.entity_fields(position, blueprint).into_iter().collect();
        Value::from_object(UnitEntity { fields, lookup: Arc::clone(self) })
    }

    /// The unit's entity: its view, its owning teams' views (`teams`), and each relation its
    /// blueprint declares, as a view (or none) for `many: false` and a list of views for
    /// `many: true`. Relation targets carry no `relations` of their own: `related()` takes the
    /// next hop, so a context never holds a cycle.
    #[must_use]
    pub fn entity(&self, position: usize, blueprint: &str) -> Value {
        self.entity_fields(position, blueprint).into_iter().collect()
    }

    fn entity_fields(&self, position: usize, blueprint: &str) -> Vec<(&'static str, Value)> {
        let mut fields: Vec<(&'static str, Value)> = self.fields.get(position).cloned().unwrap_or_default();
        let teams: Value = self
            .teams
            .get(position)
            .into_iter()
            .flatten()
            .filter_map(|team| self.position(TEAM_BLUEPRINT, team))
            .map(|team| self.view(team))
            .collect();
        fields.push(("teams", teams));
        let mut relations: Vec<(String, Value)> = Vec::new();
        for (name, many) in self.declared.get(blueprint).into_iter().flatten() {
            let targets = self.targets(position, name);
            let value = if *many {
                targets.iter().map(|target| self.view(*target)).collect()
            } else {
                targets.first().map_or(Value::from(()), |target| self.view(*target))
            };
            relations.push((name.clone(), value));
        }
        fields.push(("relations", relations.into_iter().collect()));
        fields
    }

    /// `entity("Blueprint:identifier")` or `entity("Blueprint", "identifier")`.
    pub fn find(&self, first: &str, second: Option<&str>) -> Result<Value, Error> {
        let (blueprint, identifier) = match second {
            Some(identifier) => (first, identifier),
            None => first.split_once(':').ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("`entity(\"{first}\")` needs `Blueprint:identifier` or two arguments"),
                )
            })?,
        };
        self.position(blueprint, identifier).map(|position| self.view(position)).ok_or_else(|| {
            Error::new(ErrorKind::InvalidOperation, format!("there is no `{blueprint}` entity `{identifier}`"))
        })
    }

    /// `entities("Blueprint")`: views sorted by identifier.
    #[must_use]
    pub fn all(&self, blueprint: &str) -> Value {
        self.of_blueprint(blueprint).iter().map(|position| self.view(*position)).collect()
    }

    /// `related(view, "relation")`: the views the relation of the viewed entity points at.
    pub fn related(&self, view: &Value, relation: &str) -> Result<Value, Error> {
        let text = |key: &str| view.get_attr(key).ok().and_then(|value| value.as_str().map(str::to_owned));
        let (Some(blueprint), Some(identifier)) = (text("blueprint"), text("identifier")) else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "`related` takes an entity view (with `blueprint` and `identifier`) and a relation name",
            ));
        };
        let position = self.position(&blueprint, &identifier).ok_or_else(|| {
            Error::new(ErrorKind::InvalidOperation, format!("there is no `{blueprint}` entity `{identifier}`"))
        })?;
        if !self.declared.get(&blueprint).is_some_and(|relations| relations.contains_key(relation)) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("the blueprint `{blueprint}` declares no relation `{relation}`"),
            ));
        }
        Ok(self.targets(position, relation).iter().map(|target| self.view(*target)).collect())
    }

    /// `team("identifier")`: the `_team` entity's view.
    pub fn team(&self, identifier: &str) -> Result<Value, Error> {
        self.position(TEAM_BLUEPRINT, identifier)
            .map(|position| self.view(position))
            .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("there is no team `{identifier}`")))
    }
}

/// The unit's entity: a map of its fields that can also be called as `entity()`.
#[derive(Debug)]
struct UnitEntity {
    fields: BTreeMap<&'static str, Value>,
    lookup: Arc<Lookup>,
}

impl minijinja::value::Object for UnitEntity {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.fields.get(key.as_str()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Values(self.fields.keys().map(|key| Value::from(*key)).collect())
    }

    fn call(self: &Arc<Self>, _: &minijinja::State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        let text = |index: usize| args.get(index).and_then(Value::as_str);
        match (args.len(), text(0), text(1)) {
            (1, Some(first), None) => self.lookup.find(first, None),
            (2, Some(first), Some(second)) => self.lookup.find(first, Some(second)),
            _ => {
                Err(Error::new(ErrorKind::InvalidOperation, "`entity()` takes `\"Blueprint:identifier\"` or two texts"))
            }
        }
    }
}

/// The catalog the lookups read: set by each render before it renders (the environment, and
/// so the functions, are made once when the templates are read).
pub type Slot = Arc<RwLock<Arc<Lookup>>>;

fn current(slot: &Slot) -> Arc<Lookup> {
    // A poisoned lock only means a render panicked; the lookup it holds is still whole.
    Arc::clone(&slot.read().unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Registers the catalog lookups on `environment`, over the lookup in `slot`.
pub fn add_functions(environment: &mut minijinja::Environment<'static>, slot: &Slot) {
    let shared = Arc::clone(slot);
    environment.add_function("entity", move |first: &str, second: Option<&str>| current(&shared).find(first, second));
    let shared = Arc::clone(slot);
    environment.add_function("entities", move |blueprint: &str| current(&shared).all(blueprint));
    let shared = Arc::clone(slot);
    environment.add_function("related", move |view: Value, relation: &str| current(&shared).related(&view, relation));
    let shared = Arc::clone(slot);
    environment.add_function("team", move |identifier: &str| current(&shared).team(identifier));
}
