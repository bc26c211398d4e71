//! Port's computed properties, computed: mirror properties (a value read through relations),
//! calculation properties (jq over the entity) and aggregation properties (count, sum, average,
//! min, max, median over related entities), in dependency order, each with a finding located at
//! its definition in the blueprint file when it cannot be computed.
//!
//! Port's pages, cited beside each rule:
//! - mirror: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/mirror-property/>
//! - calculation: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/calculation-property/>
//! - aggregation: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/aggregation-property/>
//! - meta-properties: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/meta-properties/>

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use cairn_diagnostics::{Code, Diagnostic, Location};
use cairn_model::{Blueprint, Catalog, Entity, Timestamp};
use cairn_syntax::Node;
use serde_json::Value;

use crate::jq::Calculation;
use crate::query::Query;
use crate::relations::Relations;

/// Port's meta-properties, which every entity has whatever its blueprint (Port's meta-properties
/// page; they are written with a `$`): what a mirror path may end at and a scorecard condition
/// may test. `$createdAt`, `$createdBy`, `$updatedAt` and `$updatedBy` are set by Port when an
/// entity is written, which a repository does not know, so they mirror as unset.
pub const META_PROPERTIES: &[&str] =
    &["$identifier", "$title", "$team", "$icon", "$blueprint", "$createdAt", "$createdBy", "$updatedAt", "$updatedBy"];

/// The output types a calculation may declare (Port's calculation page: "string, number,
/// object, array, and boolean").
const CALCULATION_TYPES: &[&str] = &["string", "number", "boolean", "object", "array"];

/// The computed value of every computed property of every entity, by position in
/// `Catalog::entities`. An unset value (Port's `null`) is left out.
#[derive(Clone, Debug, Default)]
pub struct Computed {
    values: Vec<BTreeMap<String, Value>>,
}

impl Computed {
    /// The computed properties of the entity at `entity`, by name.
    #[must_use]
    pub fn of(&self, entity: usize) -> Option<&BTreeMap<String, Value>> {
        self.values.get(entity).filter(|values| !values.is_empty())
    }

    /// One computed property of the entity at `entity`.
    #[must_use]
    pub fn get(&self, entity: usize, name: &str) -> Option<&Value> {
        self.values.get(entity)?.get(name)
    }
}

/// The kind of a computed property, as the blueprint key that declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Mirror,
    Calculation,
    Aggregation,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Mirror, Kind::Calculation, Kind::Aggregation];

    /// The blueprint key that declares properties of this kind.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Kind::Mirror => "mirrorProperties",
            Kind::Calculation => "calculationProperties",
            Kind::Aggregation => "aggregationProperties",
        }
    }

    /// The kind in words, as a finding names it.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Mirror => "mirror property",
            Kind::Calculation => "calculation property",
            Kind::Aggregation => "aggregation property",
        }
    }
}

/// The kind of computed property `name` is in `blueprint`, if it is one.
#[must_use]
pub fn computed_kind(blueprint: &Blueprint, name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|kind| blueprint.node.at_path([kind.key(), name]).is_some())
}

#[derive(Debug)]
enum Rule {
    Mirror { relations: Vec<String>, last: String, many: bool },
    Calculation { ty: Option<String> },
    Aggregation { target: String, func: Func, property: Option<String>, paths: Vec<PathFilter>, filter: Option<Query> },
}

#[derive(Clone, Copy, Debug)]
enum Func {
    Count,
    Sum,
    Average,
    Min,
    Max,
    Median,
}

#[derive(Debug)]
struct PathFilter {
    relations: Vec<String>,
    /// Followed from the target's entities back to this one (`fromBlueprint` names the target).
    backwards: bool,
}

#[derive(Debug)]
struct Definition {
    kind: Kind,
    rule: Rule,
}

/// Computes every computed property of `catalog`'s entities.
/// `now` is the time the date presets of an aggregation's `query` filter are relative to.
pub(crate) fn compute(catalog: &Catalog, relations: &Relations, now: Timestamp) -> (Computed, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut definitions: BTreeMap<&str, BTreeMap<String, Definition>> = BTreeMap::new();
    let mut calculations = HashMap::new();
    for (identifier, blueprint) in &catalog.blueprints {
        let found = read_definitions(catalog, blueprint, &mut calculations, &mut diagnostics);
        if !found.is_empty() {
            definitions.insert(identifier.as_str(), found);
        }
    }
    if definitions.is_empty() {
        return (Computed::default(), diagnostics);
    }
    let mut incoming = vec![Vec::new(); catalog.entities.len()];
    for source in 0..catalog.entities.len() {
        for (_, targets) in relations.of(source) {
            for &target in targets {
                incoming[target].push(source);
            }
        }
    }
    let mut engine = Engine {
        catalog,
        relations,
        incoming,
        definitions: &definitions,
        calculations,
        slots: vec![HashMap::new(); catalog.entities.len()],
        cycles: BTreeSet::new(),
        diagnostics,
        now,
    };
    let mut values = vec![BTreeMap::new(); catalog.entities.len()];
    for (position, entity) in catalog.entities.iter().enumerate() {
        let Some(declared) = definitions.get(entity.blueprint.value.as_str()) else { continue };
        for name in declared.keys() {
            if let Some(value) = engine.computed(position, name) {
                values[position].insert(name.clone(), value);
            }
        }
    }
    (Computed { values }, engine.diagnostics)
}

/// Reads the computed properties `blueprint` declares, with a finding for each that cannot be
/// computed; compiles each calculation once.
fn read_definitions(
    catalog: &Catalog,
    blueprint: &Blueprint,
    calculations: &mut HashMap<(String, String), Calculation>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Definition> {
    let mut found = BTreeMap::new();
    for kind in Kind::ALL {
        let Some(entries) = blueprint.node.get(kind.key()).and_then(Node::as_mapping) else { continue };
        for entry in entries {
            let name = entry.key.as_str();
            let at = |field: &str| Location::new(&blueprint.file, blueprint.span_of(&[kind.key(), name, field]));
            let finding = |code: Code, field: &str, message: String, help: &str| {
                Box::new(Diagnostic::new(code, message).at(at(field)).with_help(help.to_owned()))
            };
            let rule = match kind {
                Kind::Mirror => read_mirror(catalog, blueprint, &entry.value).map_err(|message| {
                    finding(
                        Code::InvalidMirrorProperty,
                        "path",
                        format!("the mirror property `{name}` of `{}`: {message}", blueprint.identifier),
                        "a mirror `path` is relations of each blueprint in turn, then a property or a meta-property such as `$title` of the last one",
                    )
                }),
                Kind::Calculation => {
                    let problem = |problem: String| {
                        finding(
                            Code::CalculationFailed,
                            "calculation",
                            format!("the calculation property `{name}` of `{}`: {problem}", blueprint.identifier),
                            CALCULATION_HELP,
                        )
                    };
                    // A calculation that does not compile fails for every entity: one finding.
                    read_calculation(&entry.value).map_err(problem).and_then(|(program, ty)| {
                        let calculation = Calculation::compile(program).map_err(|error| problem(error.to_string()))?;
                        calculations.insert((blueprint.identifier.clone(), name.to_owned()), calculation);
                        Ok(Rule::Calculation { ty })
                    })
                }
                Kind::Aggregation => read_aggregation(catalog, blueprint, name, &entry.value, &at),
            };
            match rule {
                Ok(rule) => {
                    found.insert(name.to_owned(), Definition { kind, rule });
                }
                Err(diagnostic) => diagnostics.push(*diagnostic),
            }
        }
    }
    found
}

const CALCULATION_HELP: &str = "a calculation is jq over the entity (`.identifier`, `.title`, `.properties.x`, `.relations.r`) whose first output has the declared `type`; cairn runs it without the clock, the environment or `def`, within a time and size limit";

fn read_mirror(catalog: &Catalog, blueprint: &Blueprint, node: &Node) -> Result<Rule, String> {
    let path = node.get("path").and_then(Node::as_str).ok_or("it has no `path` text")?;
    let segments: Vec<&str> = path.split('.').collect();
    let Some((last, hops)) = segments.split_last().filter(|(_, hops)| !hops.is_empty()) else {
        return Err(format!("the path `{path}` names no relation"));
    };
    // Port's guide to role-based access mirrors through a `many` relation
    // (<https://docs.port.io/guides/all/implement-rbac-for-ai-agents-with-n8n-and-port/>, path
    // `roles.allowed_tools.runtime_name`) and reads the result as a list: a path through any
    // `many` relation gives the list of the values reached.
    let mut many = false;
    let mut current = blueprint;
    for hop in hops {
        let Some(relation) = current.relations.get(*hop) else {
            return Err(format!("`{hop}` in `{path}` is not a relation of `{}`", current.identifier));
        };
        many |= relation.many;
        current = catalog
            .blueprints
            .get(&relation.target)
            .ok_or_else(|| format!("`{hop}` in `{path}` leads to `{}`, which is not a blueprint", relation.target))?;
    }
    let known = if last.starts_with('$') {
        META_PROPERTIES.contains(last)
    } else {
        current.properties.iter().any(|name| name == last) || computed_kind(current, last).is_some()
    };
    if !known {
        return Err(format!("`{last}` in `{path}` is not a property or meta-property of `{}`", current.identifier));
    }
    Ok(Rule::Mirror { relations: hops.iter().map(|hop| (*hop).to_owned()).collect(), last: (*last).to_owned(), many })
}

fn read_calculation(node: &Node) -> Result<(&str, Option<String>), String> {
    let program = node.get("calculation").and_then(Node::as_str);
    let ty = node.get("type").and_then(Node::as_str);
    let problem = match (program, ty) {
        (None, _) => "it has no `calculation` text".to_owned(),
        (Some(_), Some(ty)) if !CALCULATION_TYPES.contains(&ty) => {
            format!("the type `{ty}` is not one of `string`, `number`, `boolean`, `object`, `array`")
        }
        (Some(program), ty) => return Ok((program, ty.map(str::to_owned))),
    };
    Err(problem)
}

fn read_aggregation(
    catalog: &Catalog,
    blueprint: &Blueprint,
    name: &str,
    node: &Node,
    at: &dyn Fn(&str) -> Location,
) -> Result<Rule, Box<Diagnostic>> {
    let source = &blueprint.identifier;
    let invalid = |field: &str, message: String| {
        Box::new(Diagnostic::new(Code::InvalidAggregationProperty, format!("the aggregation property `{name}` of `{source}`: {message}"))
            .at(at(field))
            .with_help("an aggregation has `target` (a blueprint), `calculationSpec: {calculationBy: entities|property, func, property}` and optionally `query` and `pathFilter`"))
    };
    let not_computed = |field: &str, what: &str| {
        Box::new(
            Diagnostic::new(
                Code::NotComputed,
                format!(
                    "the aggregation property `{name}` of `{source}` uses {what}, which cairn does not compute yet"
                ),
            )
            .at(at(field))
            .with_help("cairn leaves this property unset rather than compute a different value than Port"),
        )
    };
    let target_name =
        node.get("target").and_then(Node::as_str).ok_or_else(|| invalid("target", "it has no `target`".to_owned()))?;
    let target = catalog
        .blueprints
        .get(target_name)
        .ok_or_else(|| invalid("target", format!("the target `{target_name}` is not a blueprint")))?;
    let spec = node
        .get("calculationSpec")
        .ok_or_else(|| invalid("calculationSpec", "it has no `calculationSpec`".to_owned()))?;
    let func = spec.get("func").and_then(Node::as_str).unwrap_or_default();
    let by = spec.get("calculationBy").and_then(Node::as_str).unwrap_or_default();
    // Port's aggregation page: by entities, `count` or `average` (entities per `averageOf`
    // period, measured by `measureTimeBy`); by property, `sum`, `average`, `min`, `max` or
    // `median` of a number property.
    let (func, property) = match (by, func) {
        ("entities", "count") => (Func::Count, None),
        ("entities", "average") => {
            return Err(not_computed(
                "calculationSpec",
                "an average of entities per `averageOf` period (it needs the time Port wrote each entity)",
            ));
        }
        ("property", func @ ("sum" | "average" | "min" | "max" | "median")) => {
            let property = spec
                .get("property")
                .and_then(Node::as_str)
                .ok_or_else(|| invalid("calculationSpec", "it has no `calculationSpec.property`".to_owned()))?;
            if !target.properties.iter().any(|declared| declared == property)
                && computed_kind(target, property).is_none()
            {
                return Err(invalid("calculationSpec", format!("`{property}` is not a property of `{target_name}`")));
            }
            let func = match func {
                "sum" => Func::Sum,
                "average" => Func::Average,
                "min" => Func::Min,
                "max" => Func::Max,
                _ => Func::Median,
            };
            (func, Some(property.to_owned()))
        }
        _ => {
            return Err(invalid(
                "calculationSpec",
                format!(
                    "`calculationBy: {by}` with `func: {func}` is not an aggregation Port has: by `entities`, `count` or `average`; by `property`, `sum`, `average`, `min`, `max` or `median`"
                ),
            ));
        }
    };
    // The `query` filter (Port's aggregation page: "filter the target entities"), a search query
    // judged by the evaluator relation queries and scorecards share, over each target entity's
    // properties as written and its meta-properties.
    let filter = match node.get("query") {
        Some(query) => match Query::parse(&blueprint.file, query) {
            (Some(query), _) => Some(query),
            (None, findings) => {
                let first = findings
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| *invalid("query", "its `query` is not a search query".to_owned()));
                return Err(Box::new(first));
            }
        },
        None => None,
    };
    let paths = match node.get("pathFilter") {
        Some(filters) => {
            read_path_filters(catalog, blueprint, target, filters).map_err(|message| invalid("pathFilter", message))?
        }
        None => Vec::new(),
    };
    Ok(Rule::Aggregation { target: target_name.to_owned(), func, property, paths, filter })
}

/// The `pathFilter` of an aggregation (Port's aggregation page, "Path Filter"): each path of
/// relations followed forwards from this blueprint, or backwards from the target's entities when
/// `fromBlueprint` names the target.
fn read_path_filters(
    catalog: &Catalog,
    blueprint: &Blueprint,
    target: &Blueprint,
    filters: &Node,
) -> Result<Vec<PathFilter>, String> {
    let source = blueprint.identifier.as_str();
    let target_name = target.identifier.as_str();
    let mut paths = Vec::new();
    let items: &[Node] = match &filters.value {
        cairn_syntax::Value::Sequence(items) => items,
        _ => return Err("`pathFilter` is not a list".to_owned()),
    };
    for item in items {
        let relations: Vec<String> = match item.get("path").map(|path| &path.value) {
            Some(cairn_syntax::Value::Sequence(hops)) => {
                hops.iter().filter_map(Node::as_str).map(str::to_owned).collect()
            }
            _ => return Err("a `pathFilter` item has no `path` list".to_owned()),
        };
        let backwards = match item.get("fromBlueprint").and_then(Node::as_str) {
            None => false,
            Some(from) if from == target_name => true,
            Some(from) => {
                return Err(format!("`fromBlueprint: {from}` is neither omitted nor the target `{target_name}`"));
            }
        };
        // The path must lead from one end to the other through declared relations.
        let (start, end) = if backwards { (target, source) } else { (blueprint, target_name) };
        let mut current = start;
        for hop in &relations {
            let next = current.relations.get(hop).and_then(|relation| catalog.blueprints.get(&relation.target));
            current = next.ok_or_else(|| format!("`{hop}` is not a relation of `{}`", current.identifier))?;
        }
        if current.identifier != end {
            return Err(format!("the path `{}` ends at `{}`, not `{end}`", relations.join("."), current.identifier));
        }
        paths.push(PathFilter { relations, backwards });
    }
    Ok(paths)
}

#[derive(Clone, Debug)]
enum Slot {
    Busy,
    Done(Option<Value>),
}

struct Engine<'a> {
    catalog: &'a Catalog,
    relations: &'a Relations,
    /// For each entity, the entities whose relations point at it.
    incoming: Vec<Vec<usize>>,
    definitions: &'a BTreeMap<&'a str, BTreeMap<String, Definition>>,
    calculations: HashMap<(String, String), Calculation>,
    slots: Vec<HashMap<String, Slot>>,
    cycles: BTreeSet<(String, String)>,
    diagnostics: Vec<Diagnostic>,
    now: Timestamp,
}

impl Engine<'_> {
    fn definition(&self, entity: usize, name: &str) -> Option<&Definition> {
        self.definitions.get(self.catalog.entities[entity].blueprint.value.as_str())?.get(name)
    }

    /// The value of property `name` of the entity at `entity`: written, or computed.
    fn value(&mut self, entity: usize, name: &str) -> Option<Value> {
        if self.definition(entity, name).is_some() {
            return self.computed(entity, name);
        }
        let value = self.catalog.entities[entity].properties.as_ref()?.get(name)?.to_json();
        (!value.is_null()).then_some(value)
    }

    /// The value of the computed property `name` of the entity at `entity`, computed once.
    fn computed(&mut self, entity: usize, name: &str) -> Option<Value> {
        match self.slots[entity].get(name) {
            Some(Slot::Done(value)) => return value.clone(),
            Some(Slot::Busy) => {
                self.cycle(entity, name);
                return None;
            }
            None => {}
        }
        self.slots[entity].insert(name.to_owned(), Slot::Busy);
        let value = self.compute(entity, name);
        self.slots[entity].insert(name.to_owned(), Slot::Done(value.clone()));
        value
    }

    fn cycle(&mut self, entity: usize, name: &str) {
        let blueprint = &self.catalog.entities[entity].blueprint.value;
        let Some(blueprint_decl) = self.catalog.blueprints.get(blueprint) else { return };
        let Some(kind) = self.definition(entity, name).map(|definition| definition.kind) else { return };
        if self.cycles.insert((blueprint.clone(), name.to_owned())) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ComputedPropertyCycle,
                    format!("the {} `{name}` of `{blueprint}` depends on its own value", kind.noun()),
                )
                .at(Location::new(&blueprint_decl.file, blueprint_decl.span_of(&[kind.key(), name])))
                .with_entity(self.catalog.entities[entity].reference())
                .with_help("computed properties that read each other, directly or through related entities, have no value: break the cycle"),
            );
        }
    }

    fn compute(&mut self, entity: usize, name: &str) -> Option<Value> {
        let definitions = self.definitions;
        let blueprint = self.catalog.entities[entity].blueprint.value.as_str();
        let definition = definitions.get(blueprint)?.get(name)?;
        match &definition.rule {
            Rule::Mirror { relations, last, many } => self.mirror(entity, relations, last, *many),
            Rule::Calculation { ty } => self.calculate(entity, name, ty.as_deref()),
            Rule::Aggregation { target, func, property, paths, filter } => {
                let mut related = self.related(entity, target, paths);
                if let Some(filter) = filter {
                    let now = self.now;
                    related.retain(|&at| filter.matches(&*self.catalog.entities[at], now));
                }
                self.aggregate(&related, *func, property.as_deref())
            }
        }
    }

    fn mirror(&mut self, entity: usize, relations: &[String], last: &str, many: bool) -> Option<Value> {
        let mut reached = vec![entity];
        for relation in relations {
            reached = reached.iter().flat_map(|&at| self.relations.targets(at, relation).iter().copied()).collect();
        }
        let mut values = Vec::new();
        for at in reached {
            let value = match last.strip_prefix('$') {
                Some(meta) => meta_value(&self.catalog.entities[at], meta),
                None => self.value(at, last),
            };
            values.extend(value);
        }
        if many { (!values.is_empty()).then_some(Value::Array(values)) } else { values.into_iter().next() }
    }

    fn calculate(&mut self, entity: usize, name: &str, ty: Option<&str>) -> Option<Value> {
        let definitions = self.definitions;
        let record = &self.catalog.entities[entity];
        let blueprint = record.blueprint.value.clone();
        // The entity as Port's API returns it, with its mirror and aggregation values among its
        // properties; not other calculations ("Calculation on calculation is not supported",
        // Port's calculation page).
        let mut input = entity_json(record);
        let others: Vec<String> = definitions
            .get(blueprint.as_str())
            .into_iter()
            .flatten()
            .filter(|(_, definition)| definition.kind != Kind::Calculation)
            .map(|(other, _)| other.clone())
            .collect();
        for other in others {
            if let Some(value) = self.computed(entity, &other) {
                input["properties"][other.as_str()] = value;
            }
        }
        let calculation = self.calculations.get_mut(&(blueprint.clone(), name.to_owned()))?;
        let result = calculation.run(input);
        let problem = match (result, ty) {
            (Ok(None), _) => return None,
            (Ok(Some(value)), None) => return Some(value),
            (Ok(Some(value)), Some(ty)) if json_type(&value) == ty => return Some(value),
            (Ok(Some(value)), Some(ty)) => {
                let mut text = value.to_string();
                if text.len() > 60 {
                    text = format!("{}…", text.chars().take(60).collect::<String>());
                }
                format!("gives `{text}` (a {}), not a `{ty}`", json_type(&value))
            }
            (Err(error), _) => error.to_string(),
        };
        let record = &self.catalog.entities[entity];
        let blueprint_decl = self.catalog.blueprints.get(&blueprint)?;
        self.diagnostics.push(
            Diagnostic::new(
                Code::CalculationFailed,
                format!(
                    "the calculation property `{name}` of `{}` for the entity `{}`: {problem}",
                    blueprint, record.identifier.value
                ),
            )
            .at(Location::new(
                &blueprint_decl.file,
                blueprint_decl.span_of(&["calculationProperties", name, "calculation"]),
            ))
            .with_entity(record.reference())
            .with_help(CALCULATION_HELP),
        );
        None
    }

    /// The entities of `target` related to the entity at `entity`: through the path filters, or
    /// else through relations in either direction, directly or through entities of other
    /// blueprints (Port's aggregation page: "related in any way … directly, indirectly,
    /// upstream or downstream"; which indirect paths count it does not spell out, so cairn does
    /// not pass through entities of the source or the target blueprint).
    fn related(&self, entity: usize, target: &str, paths: &[PathFilter]) -> BTreeSet<usize> {
        let blueprint_of = |at: usize| self.catalog.entities[at].blueprint.value.as_str();
        let follow = |from: Vec<usize>, relations: &[String]| {
            relations.iter().fold(from, |reached, relation| {
                reached.iter().flat_map(|&at| self.relations.targets(at, relation).iter().copied()).collect()
            })
        };
        if !paths.is_empty() {
            let mut related = BTreeSet::new();
            for path in paths {
                if path.backwards {
                    let candidates = (0..self.catalog.entities.len()).filter(|&at| blueprint_of(at) == target);
                    for candidate in candidates {
                        if follow(vec![candidate], &path.relations).contains(&entity) {
                            related.insert(candidate);
                        }
                    }
                } else {
                    related.extend(
                        follow(vec![entity], &path.relations).into_iter().filter(|&at| blueprint_of(at) == target),
                    );
                }
            }
            return related;
        }
        let source = blueprint_of(entity);
        let mut related = BTreeSet::new();
        let mut seen = BTreeSet::from([entity]);
        let mut queue = VecDeque::from([entity]);
        while let Some(at) = queue.pop_front() {
            let neighbours = self
                .relations
                .of(at)
                .flat_map(|(_, targets)| targets.iter().copied())
                .chain(self.incoming[at].iter().copied());
            for next in neighbours.collect::<Vec<_>>() {
                if !seen.insert(next) {
                    continue;
                }
                let blueprint = blueprint_of(next);
                if blueprint == target {
                    related.insert(next);
                } else if blueprint != source {
                    queue.push_back(next);
                }
            }
        }
        related
    }

    fn aggregate(&mut self, related: &BTreeSet<usize>, func: Func, property: Option<&str>) -> Option<Value> {
        let Some(property) = property else {
            return Some(Value::from(related.len()));
        };
        // "The property type must be a number": values that are not numbers are left out.
        let mut numbers: Vec<f64> = related.iter().filter_map(|&at| self.value(at, property)?.as_f64()).collect();
        let result = match func {
            Func::Count => return Some(Value::from(related.len())),
            Func::Sum => Some(numbers.iter().sum()),
            Func::Average => (!numbers.is_empty()).then(|| numbers.iter().sum::<f64>() / count_f64(numbers.len())),
            Func::Min => numbers.iter().copied().reduce(f64::min),
            Func::Max => numbers.iter().copied().reduce(f64::max),
            Func::Median => {
                numbers.sort_by(f64::total_cmp);
                let middle = numbers.len() / 2;
                match numbers.len() {
                    0 => None,
                    len if len % 2 == 1 => Some(numbers[middle]),
                    _ => Some(f64::midpoint(numbers[middle - 1], numbers[middle])),
                }
            }
        };
        result.map(number)
    }
}

#[expect(clippy::cast_precision_loss, reason = "a count of entities is far below 2^52")]
fn count_f64(count: usize) -> f64 {
    count as f64
}

/// A number as JSON: an integer when it is one, as Port's API writes counts and sums.
fn number(value: f64) -> Value {
    #[expect(clippy::cast_possible_truncation, reason = "only whole numbers within i64's range are converted")]
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Value::from(value as i64);
    }
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A meta-property of an entity (without its `$`), as Port's meta-properties page lists them.
fn meta_value(entity: &Entity, meta: &str) -> Option<Value> {
    match meta {
        "identifier" => Some(Value::from(entity.identifier.value.as_str())),
        "title" => entity.title.as_deref().map(Value::from),
        "icon" => entity.icon.as_deref().map(Value::from),
        "blueprint" => Some(Value::from(entity.blueprint.value.as_str())),
        "team" => Some(Value::from(entity.owners().collect::<Vec<_>>())),
        _ => None,
    }
}

/// An entity as Port's API returns it (`identifier`, `title`, `icon`, `blueprint`, `team`,
/// `properties`, `relations`), the input a calculation sees (Port's calculation page reads
/// `.identifier` and `.properties.x`).
#[must_use]
pub fn entity_json(entity: &Entity) -> Value {
    let mut value = serde_json::json!({
        "identifier": entity.identifier.value,
        "blueprint": entity.blueprint.value,
        "team": entity.owners().collect::<Vec<_>>(),
        "properties": entity.properties.as_ref().map_or_else(|| Value::Object(serde_json::Map::new()), Node::to_json),
        "relations": entity.relations.iter().map(|relation| (relation.name.clone(), relation.value.to_json())).collect::<serde_json::Map<_, _>>(),
    });
    if let Some(title) = &entity.title {
        value["title"] = Value::from(title.as_str());
    }
    if let Some(icon) = &entity.icon {
        value["icon"] = Value::from(icon.as_str());
    }
    value
}

#[cfg(test)]
mod tests {
    use cairn_diagnostics::{Code, Diagnostic};
    use serde_json::{Value, json};

    use super::{Computed, compute};
    use crate::Relations;
    use crate::testing::catalog;

    /// Computes over the catalog; returns a lookup of `blueprint:identifier` and property.
    fn check(blueprints: &str, entities: &str) -> (impl Fn(&str, &str, &str) -> Option<Value>, Vec<Diagnostic>) {
        let catalog = catalog(blueprints, entities);
        let (relations, _) = Relations::resolve(&catalog, cairn_model::Timestamp::UNIX_EPOCH);
        let (computed, diagnostics): (Computed, _) = compute(&catalog, &relations, cairn_model::Timestamp::UNIX_EPOCH);
        let lookup = move |blueprint: &str, identifier: &str, name: &str| {
            computed.get(catalog.position(blueprint, identifier).expect("declared"), name).cloned()
        };
        (lookup, diagnostics)
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(Code, String)> {
        diagnostics.iter().map(|d| (d.code, d.message.clone())).collect()
    }

    const MODEL: &str = "identifier: service\n\
        schema: {properties: {cpu: {type: number}, replicas: {type: number}}}\n\
        relations:\n  system: {target: system}\n  uses: {target: library, many: true}\n\
        mirrorProperties:\n  domain: {path: system.domain}\n  systemName: {path: system.$title}\n  libraryVersions: {path: uses.version}\n\
        calculationProperties:\n  cores: {title: Cores, type: number, calculation: '.properties.cpu * .properties.replicas'}\n\
        \x20 link: {type: string, calculation: \"'https://x/' + .properties.domain\"}\n\
        ---\nidentifier: system\nschema: {properties: {domain: {type: string}}}\n\
        aggregationProperties:\n\
        \x20 services: {title: Services, target: service, calculationSpec: {calculationBy: entities, func: count}}\n\
        \x20 totalCpu: {target: service, calculationSpec: {calculationBy: property, func: sum, property: cpu}}\n\
        \x20 maxCores: {target: service, calculationSpec: {calculationBy: property, func: max, property: cores}}\n\
        \x20 medianCpu: {target: service, calculationSpec: {calculationBy: property, func: median, property: cpu}}\n\
        ---\nidentifier: library\nschema: {properties: {version: {type: string}}}\n";

    const ENTITIES: &str = "identifier: cart\nblueprint: service\nproperties: {cpu: 2, replicas: 3}\nrelations: {system: shop, uses: [a, b]}\n---\n\
        identifier: pay\nblueprint: service\nproperties: {cpu: 0.5, replicas: 4}\nrelations: {system: shop}\n---\n\
        identifier: shop\nblueprint: system\ntitle: The shop\nproperties: {domain: retail}\n---\n\
        identifier: a\nblueprint: library\nproperties: {version: '1.0'}\n---\nidentifier: b\nblueprint: library\nproperties: {version: '2.0'}\n";

    #[test]
    fn mirror_calculation_and_aggregation_are_computed_in_dependency_order() {
        let (get, diagnostics) = check(MODEL, ENTITIES);
        assert_eq!(codes(&diagnostics), []);
        assert_eq!(get("service", "cart", "cores"), Some(json!(6)));
        assert_eq!(get("service", "pay", "cores"), Some(json!(2)));
        assert_eq!(get("service", "cart", "domain"), Some(json!("retail")));
        assert_eq!(get("service", "cart", "systemName"), Some(json!("The shop")));
        // Through a `many` relation: the list of values reached; none reached is unset.
        assert_eq!(get("service", "cart", "libraryVersions"), Some(json!(["1.0", "2.0"])));
        assert_eq!(get("service", "pay", "libraryVersions"), None);
        // A calculation reads a mirror value.
        assert_eq!(get("service", "cart", "link"), Some(json!("https://x/retail")));
        // Aggregations over the services pointing at the system, one of them over a calculation.
        assert_eq!(get("system", "shop", "services"), Some(json!(2)));
        assert_eq!(get("system", "shop", "totalCpu"), Some(json!(2.5)));
        assert_eq!(get("system", "shop", "maxCores"), Some(json!(6)));
        assert_eq!(get("system", "shop", "medianCpu"), Some(json!(1.25)));
    }

    #[test]
    fn a_failing_or_mistyped_calculation_is_a_finding_naming_the_entity() {
        let blueprints = "identifier: service\nschema: {properties: {cpu: {type: [number, string]}}}\n\
            calculationProperties:\n  double: {type: number, calculation: '.properties.cpu - 2'}\n  text: {type: string, calculation: '.properties.cpu'}\n  broken: {type: number, calculation: '.properties. +'}\n  clock: {type: number, calculation: 'now'}\n";
        let entities = "identifier: cart\nblueprint: service\nproperties: {cpu: 2}\n---\nidentifier: pay\nblueprint: service\nproperties: {cpu: two}\n";
        let (get, diagnostics) = check(blueprints, entities);
        assert_eq!(get("service", "cart", "double"), Some(json!(0)));
        assert_eq!(get("service", "pay", "double"), None);
        let found = codes(&diagnostics);
        assert!(found.iter().all(|(code, _)| *code == Code::CalculationFailed), "{found:?}");
        let messages: Vec<&str> = found.iter().map(|(_, message)| message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages[0].starts_with("the calculation property `broken` of `service`: the calculation is not valid jq"),
            "{messages:?}"
        );
        assert_eq!(
            messages[1],
            "the calculation property `clock` of `service`: the calculation uses `now`, which cairn does not run"
        );
        assert!(
            messages.iter().any(|m| m.starts_with(
                "the calculation property `double` of `service` for the entity `pay`: the calculation fails"
            )),
            "{messages:?}"
        );
        assert!(messages.contains(&"the calculation property `text` of `service` for the entity `cart`: gives `2` (a number), not a `string`"), "{messages:?}");
        // Located at the `calculation` in the blueprint file.
        let location = diagnostics[2].location.as_ref().expect("located");
        assert_eq!(location.file.as_str(), "blueprints.yaml");
    }

    #[test]
    fn a_calculation_that_runs_too_long_is_a_finding_and_is_not_run_again() {
        let blueprints = "identifier: service\nschema: {properties: {xs: {type: array}}}\n\
            calculationProperties:\n  slow: {type: number, calculation: '[.properties.xs[] as $a | .properties.xs[] as $b | .properties.xs[] as $c | $a] | length'}\n";
        let xs: Vec<usize> = (0..5_000).collect();
        let entities = format!(
            "identifier: a\nblueprint: service\nproperties: {{xs: {xs:?}}}\n---\nidentifier: b\nblueprint: service\nproperties: {{xs: {xs:?}}}\n"
        );
        let (get, diagnostics) = check(blueprints, &entities);
        assert_eq!(get("service", "a", "slow"), None);
        let found = codes(&diagnostics);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .iter()
                .all(|(code, message)| *code == Code::CalculationFailed
                    && message.ends_with("did not finish within 250 ms")),
            "{found:?}"
        );
    }

    #[test]
    fn a_mirror_path_that_leads_nowhere_is_a_finding_at_the_path() {
        let blueprints = "identifier: service\nrelations: {system: {target: system}}\n\
            mirrorProperties:\n  a: {path: nowhere.x}\n  b: {path: system.missing}\n  c: {path: system}\n  d: {path: system.$identifier}\n---\nidentifier: system\n";
        let (get, diagnostics) = check(
            blueprints,
            "identifier: cart\nblueprint: service\nrelations: {system: shop}\n---\nidentifier: shop\nblueprint: system\n",
        );
        assert_eq!(get("service", "cart", "d"), Some(json!("shop")));
        assert_eq!(
            codes(&diagnostics),
            [
                (Code::InvalidMirrorProperty, "the mirror property `a` of `service`: `nowhere` in `nowhere.x` is not a relation of `service`".to_owned()),
                (Code::InvalidMirrorProperty, "the mirror property `b` of `service`: `missing` in `system.missing` is not a property or meta-property of `system`".to_owned()),
                (Code::InvalidMirrorProperty, "the mirror property `c` of `service`: the path `system` names no relation".to_owned()),
            ]
        );
    }

    #[test]
    fn computed_properties_that_read_each_other_are_a_cycle() {
        let blueprints = "identifier: service\nrelations: {system: {target: system}}\n\
            mirrorProperties: {systemCount: {path: system.count}}\n---\n\
            identifier: system\naggregationProperties:\n  count: {target: service, calculationSpec: {calculationBy: property, func: sum, property: systemCount}}\n";
        let entities = "identifier: cart\nblueprint: service\nrelations: {system: shop}\n---\nidentifier: shop\nblueprint: system\n";
        let (_, diagnostics) = check(blueprints, entities);
        let found = codes(&diagnostics);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Code::ComputedPropertyCycle);
        assert!(found[0].1.ends_with("depends on its own value"), "{found:?}");
    }

    #[test]
    fn aggregations_by_path_filter_and_query_and_the_ones_cairn_does_not_compute() {
        let blueprints = "identifier: cluster\nrelations: {deployments: {target: deployment, many: true}}\n\
            aggregationProperties:\n\
            \x20 direct: {target: deployment, pathFilter: [{path: [deployments]}], calculationSpec: {calculationBy: entities, func: count}}\n\
            \x20 open: {target: deployment, query: {combinator: and, rules: [{property: status, operator: '=', value: open}]}, calculationSpec: {calculationBy: entities, func: count}}\n\
            \x20 bad: {target: deployment, query: {combinator: xor, rules: []}, calculationSpec: {calculationBy: entities, func: count}}\n\
            \x20 weekly: {target: deployment, calculationSpec: {calculationBy: entities, func: average, averageOf: week}}\n\
            \x20 odd: {target: deployment, calculationSpec: {calculationBy: entities, func: mode}}\n\
            \x20 lost: {target: nowhere, calculationSpec: {calculationBy: entities, func: count}}\n\
            ---\nidentifier: deployment\nschema: {properties: {status: {type: string}}}\naggregationProperties:\n\
            \x20 clusters: {target: cluster, pathFilter: [{path: [deployments], fromBlueprint: cluster}], calculationSpec: {calculationBy: entities, func: count}}\n";
        let entities = "identifier: c1\nblueprint: cluster\nrelations: {deployments: [d1, d2]}\n---\nidentifier: c2\nblueprint: cluster\nrelations: {deployments: [d2]}\n---\n\
            identifier: d1\nblueprint: deployment\nproperties: {status: open}\n---\nidentifier: d2\nblueprint: deployment\nproperties: {status: closed}\n";
        let (get, diagnostics) = check(blueprints, entities);
        assert_eq!(get("cluster", "c1", "direct"), Some(json!(2)));
        assert_eq!(get("cluster", "c2", "direct"), Some(json!(1)));
        assert_eq!(get("deployment", "d1", "clusters"), Some(json!(1)));
        assert_eq!(get("deployment", "d2", "clusters"), Some(json!(2)));
        // The `query` filter keeps the related deployments whose status is open.
        assert_eq!(get("cluster", "c1", "open"), Some(json!(1)));
        assert_eq!(get("cluster", "c2", "open"), Some(json!(0)));
        assert_eq!(get("cluster", "c1", "bad"), None);
        let found: Vec<(Code, String)> = codes(&diagnostics);
        let mut kinds: Vec<Code> = found.iter().map(|(code, _)| *code).collect();
        kinds.sort_by_key(ToString::to_string);
        assert_eq!(
            kinds,
            [Code::InvalidQuery, Code::InvalidAggregationProperty, Code::InvalidAggregationProperty, Code::NotComputed],
            "{found:?}"
        );
    }
}
