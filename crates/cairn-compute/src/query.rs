//! Port's search query (`{combinator, rules}`), parsed once into typed values and evaluated
//! against an entity: the one rule evaluator that relations given as queries and scorecards share.
//!
//! The shape and the operators are Port's, as
//! <https://docs.port.io/search-and-query/structure-and-syntax> and
//! <https://docs.port.io/search-and-query/operators/comparison-operators> give them; where Port's
//! pages leave a case open (an operator applied to a value of another type), the comment beside
//! the rule says how cairn reads it. Evaluation never reads the clock: date presets take `now`.

use std::cmp::Ordering;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile, did_you_mean};
use cairn_model::{Entity, Node, SignedDuration, Timestamp, Value, parse_now, parse_timestamp, utc_date};
use serde_json::Value as Json;

/// A parsed search query: rules joined by a combinator.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub combinator: Combinator,
    pub rules: Vec<Rule>,
    pub span: ByteSpan,
}

/// How a query joins its rules. Port: "`and` … requiring all of them to satisfy", "`or` …
/// requiring at least one of them" (structure-and-syntax#combinator).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combinator {
    And,
    Or,
}

/// One rule of a query: a comparison of a property, whether a relation is set (scorecards
/// only), or a nested query.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    Property(PropertyRule),
    Relation(RelationRule),
    Query(Query),
}

/// `{relation, operator: isEmpty | isNotEmpty}`: a scorecard condition on whether the entity
/// points at anything through `relation` (Port's "Ensure relation existence" example,
/// <https://docs.port.io/promote-scorecards/examples>).
#[derive(Clone, Debug, PartialEq)]
pub struct RelationRule {
    pub relation: String,
    /// `true` for `isEmpty`, `false` for `isNotEmpty`.
    pub empty: bool,
    pub span: ByteSpan,
    pub relation_span: ByteSpan,
}

/// `{property, operator, value}`.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyRule {
    /// A property of the blueprint, or a meta-property such as `$identifier`.
    pub property: String,
    pub operator: Operator,
    /// `None` for `isEmpty` and `isNotEmpty`, which take no value.
    pub value: Operand,
    pub span: ByteSpan,
    /// The span of the property's name, where a finding about the property itself (such as one
    /// the blueprint does not declare) belongs.
    pub property_span: ByteSpan,
    pub operator_span: ByteSpan,
}

/// What a rule compares with.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    None,
    Json(Json),
    Range(DateRange),
}

/// The value of `between` and `notBetween`: a range, or one of Port's presets.
#[derive(Clone, Debug, PartialEq)]
pub enum DateRange {
    Between { from: Timestamp, to: Timestamp },
    Preset(Preset),
}

macro_rules! spelled {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// The spelling Port uses.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            #[must_use]
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|item| item.as_str() == text)
            }
        }
    };
}

spelled! {
    /// Port's comparison operators, spelled as Port spells them
    /// (<https://docs.port.io/search-and-query/operators/comparison-operators>).
    Operator {
        Equals = "=",
        NotEquals = "!=",
        Greater = ">",
        Less = "<",
        GreaterOrEqual = ">=",
        LessOrEqual = "<=",
        Contains = "contains",
        ContainsAny = "containsAny",
        DoesNotContain = "doesNotContains",
        BeginsWith = "beginsWith",
        DoesNotBeginWith = "doesNotBeginsWith",
        EndsWith = "endsWith",
        DoesNotEndWith = "doesNotEndsWith",
        IsEmpty = "isEmpty",
        IsNotEmpty = "isNotEmpty",
        In = "in",
        NotIn = "notIn",
        Between = "between",
        NotBetween = "notBetween",
    }
}

spelled! {
    /// The presets of `between` (comparison-operators#between).
    Preset {
        Last3Years = "last3Years",
        Last2Years = "last2Years",
        Last12Months = "last12Months",
        Last6Months = "last6Months",
        Last3Months = "last3Months",
        LastMonth = "lastMonth",
        Last2Weeks = "last2Weeks",
        LastWeek = "lastWeek",
        LastDay = "lastDay",
        Today = "today",
        Tomorrow = "tomorrow",
        Yesterday = "yesterday",
        NextDay = "nextDay",
        NextWeek = "nextWeek",
        Next2Weeks = "next2Weeks",
        NextMonth = "nextMonth",
        Next3Months = "next3Months",
        Next6Months = "next6Months",
        Next12Months = "next12Months",
    }
}

/// Operators Port documents that cairn reads but does not evaluate yet: a rule using one is a
/// finding rather than a silent `false`. `relatedTo` is on
/// <https://docs.port.io/search-and-query/operators/relation-operators>; `matchAny`,
/// `isExpired` and `isNotExpired` are in the query schema of Port's API reference
/// (static/apispec.yaml, `/schemas/entitiesQuery`).
const NOT_EVALUATED: &[&str] = &["relatedTo", "matchAny", "isExpired", "isNotExpired"];

impl Operator {
    fn takes_value(self) -> bool {
        !matches!(self, Operator::IsEmpty | Operator::IsNotEmpty)
    }
}

impl Preset {
    /// The instants the preset spans as of `now`, both included. Port gives "In the past 365
    /// days" and the like; the years are read as 365 days each, and `today`, `yesterday` and
    /// `tomorrow` as UTC days (Port's page names no time zone).
    fn range(self, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
        let days = |count: i64| SignedDuration::from_hours(24 * count);
        let past = |count: i64| Some((now.checked_sub(days(count)).ok()?, now));
        let next = |count: i64| Some((now, now.checked_add(days(count)).ok()?));
        let day = |offset: i64| {
            let midnight = parse_now(&utc_date(now).to_string())?;
            let start = midnight.checked_add(days(offset)).ok()?;
            Some((start, start.checked_add(days(1)).ok()?.checked_sub(SignedDuration::from_nanos(1)).ok()?))
        };
        match self {
            Preset::Last3Years => past(3 * 365),
            Preset::Last2Years => past(2 * 365),
            Preset::Last12Months => past(365),
            Preset::Last6Months => past(180),
            Preset::Last3Months => past(90),
            Preset::LastMonth => past(30),
            Preset::Last2Weeks => past(14),
            Preset::LastWeek => past(7),
            Preset::LastDay => past(1),
            Preset::Today => day(0),
            Preset::Tomorrow => day(1),
            Preset::Yesterday => day(-1),
            Preset::NextDay => next(1),
            Preset::NextWeek => next(7),
            Preset::Next2Weeks => next(14),
            Preset::NextMonth => next(30),
            Preset::Next3Months => next(90),
            Preset::Next6Months => next(180),
            Preset::Next12Months => next(365),
        }
    }
}

/// What a query is evaluated against: an entity's values by property name, meta-properties
/// (`$identifier`, `$title`, …) included. Computed properties join by implementing this over
/// an entity and what was computed for it.
pub trait Subject {
    /// The value of `property`, or `None` when it is not set.
    fn value(&self, property: &str) -> Option<Json>;

    /// Whether the subject points at at least one entity through `relation`.
    fn is_related(&self, relation: &str) -> bool;
}

/// An entity's own values: its properties as written and the meta-properties of
/// <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/meta-properties/>.
/// `$createdAt`, `$createdBy`, `$updatedAt` and `$updatedBy` are set by Port when it stores the
/// entity; cairn does not keep them, so they read as unset.
impl Subject for Entity {
    fn value(&self, property: &str) -> Option<Json> {
        match property {
            "$identifier" => Some(Json::from(self.identifier.value.as_str())),
            "$blueprint" => Some(Json::from(self.blueprint.value.as_str())),
            "$title" => self.title.as_deref().map(Json::from),
            "$icon" => self.icon.as_deref().map(Json::from),
            // Port stores an entity's teams as a list, also when one team is written. No team
            // reads as unset: Port's "Has a team?" scorecard rule tests `$team` with `isNotEmpty`
            // (<https://docs.port.io/promote-scorecards/examples>, the ownership example).
            "$team" if self.owners().next().is_none() => None,
            "$team" => Some(self.owners().map(Json::from).collect()),
            meta if meta.starts_with('$') => None,
            name => self.properties.as_ref()?.get(name).map(Node::to_json),
        }
    }

    /// As written: an identifier or a non-empty list of them. A relation given as a search
    /// query is resolved by `cairn_compute::derive`; a subject that has its targets answers
    /// for it instead.
    fn is_related(&self, relation: &str) -> bool {
        self.relations.iter().any(|value| value.name == relation && value.targets().next().is_some())
    }
}

impl Query {
    /// Parses the query written at `node` of `file`. A malformed query is `None` with a located
    /// finding (code `E0322`) for each thing wrong.
    #[must_use]
    pub fn parse(file: &SourceFile, node: &Node) -> (Option<Query>, Vec<Diagnostic>) {
        Query::parse_with_list_key(file, node, "rules")
    }

    /// Parses a query whose list of rules sits under `list_key`: Port's scorecard rules write
    /// `{combinator, conditions}` where search queries write `{combinator, rules}`
    /// (<https://docs.port.io/promote-scorecards/manage-scorecards>, its JSON example). Operators, findings and evaluation are
    /// the search query's, so scorecards and relations share one evaluator.
    #[must_use]
    pub fn parse_with_list_key(
        file: &SourceFile,
        node: &Node,
        list_key: &'static str,
    ) -> (Option<Query>, Vec<Diagnostic>) {
        let mut parser = Parser { file, list_key, findings: Vec::new() };
        let query = parser.query(node);
        let findings = parser.findings;
        (query.filter(|_| findings.is_empty()), findings)
    }

    /// Whether `subject` satisfies the query as of `now` (for the presets of `between`).
    #[must_use]
    pub fn matches(&self, subject: &dyn Subject, now: Timestamp) -> bool {
        let mut rules = self.rules.iter().map(|rule| match rule {
            Rule::Property(rule) => rule.matches(subject, now),
            Rule::Relation(rule) => subject.is_related(&rule.relation) != rule.empty,
            Rule::Query(query) => query.matches(subject, now),
        });
        match self.combinator {
            Combinator::And => rules.all(|matched| matched),
            Combinator::Or => rules.any(|matched| matched),
        }
    }

    /// Every property rule of the query, nested queries included.
    #[must_use]
    pub fn property_rules(&self) -> Box<dyn Iterator<Item = &PropertyRule> + '_> {
        Box::new(self.rules.iter().flat_map(|rule| match rule {
            Rule::Property(rule) => Box::new(std::iter::once(rule)) as Box<dyn Iterator<Item = _>>,
            Rule::Relation(_) => Box::new(std::iter::empty()),
            Rule::Query(query) => query.property_rules(),
        }))
    }

    /// Every relation rule of the query, nested queries included.
    #[must_use]
    pub fn relation_rules(&self) -> Box<dyn Iterator<Item = &RelationRule> + '_> {
        Box::new(self.rules.iter().flat_map(|rule| match rule {
            Rule::Property(_) => Box::new(std::iter::empty()) as Box<dyn Iterator<Item = _>>,
            Rule::Relation(rule) => Box::new(std::iter::once(rule)),
            Rule::Query(query) => query.relation_rules(),
        }))
    }
}

impl PropertyRule {
    /// Whether `subject` satisfies the rule. Each negative operator (`!=`, `doesNotContains`,
    /// `notIn`, …) is the negation of its positive one, so an unset property satisfies it.
    #[must_use]
    pub fn matches(&self, subject: &dyn Subject, now: Timestamp) -> bool {
        let actual = subject.value(&self.property).filter(|value| !value.is_null());
        let value = match &self.value {
            Operand::Json(value) => Some(value),
            Operand::None | Operand::Range(_) => None,
        };
        let text = || value.and_then(Json::as_str);
        match self.operator {
            Operator::Equals => actual.as_ref().is_some_and(|actual| value.is_some_and(|v| equals(actual, v))),
            Operator::NotEquals => !actual.as_ref().is_some_and(|actual| value.is_some_and(|v| equals(actual, v))),
            Operator::Greater => compare(actual.as_ref(), value).is_some_and(Ordering::is_gt),
            Operator::Less => compare(actual.as_ref(), value).is_some_and(Ordering::is_lt),
            Operator::GreaterOrEqual => compare(actual.as_ref(), value).is_some_and(Ordering::is_ge),
            Operator::LessOrEqual => compare(actual.as_ref(), value).is_some_and(Ordering::is_le),
            // "checks if the value of the specified property is `null`" (comparison-operators#isempty);
            // an unset property is `null` in Port.
            Operator::IsEmpty => actual.is_none(),
            Operator::IsNotEmpty => actual.is_some(),
            Operator::Contains => contains(actual.as_ref(), value),
            Operator::DoesNotContain => !contains(actual.as_ref(), value),
            Operator::ContainsAny => contains_any(actual.as_ref(), value),
            Operator::BeginsWith => {
                text().is_some_and(|text| as_text(actual.as_ref()).is_some_and(|a| a.starts_with(text)))
            }
            Operator::DoesNotBeginWith => {
                !text().is_some_and(|text| as_text(actual.as_ref()).is_some_and(|a| a.starts_with(text)))
            }
            Operator::EndsWith => {
                text().is_some_and(|text| as_text(actual.as_ref()).is_some_and(|a| a.ends_with(text)))
            }
            Operator::DoesNotEndWith => {
                !text().is_some_and(|text| as_text(actual.as_ref()).is_some_and(|a| a.ends_with(text)))
            }
            Operator::In => is_in(actual.as_ref(), value),
            Operator::NotIn => !is_in(actual.as_ref(), value),
            Operator::Between => self.between(actual.as_ref(), now),
            Operator::NotBetween => !self.between(actual.as_ref(), now),
        }
    }

    fn between(&self, actual: Option<&Json>, now: Timestamp) -> bool {
        let Operand::Range(range) = &self.value else { return false };
        let Some(instant) = actual.and_then(Json::as_str).and_then(parse_timestamp) else { return false };
        let bounds = match range {
            DateRange::Between { from, to } => Some((*from, *to)),
            DateRange::Preset(preset) => preset.range(now),
        };
        bounds.is_some_and(|(from, to)| from <= instant && instant <= to)
    }
}

/// `=`: numbers by value (`1` is `1.0`), date-times by instant (Port: "For datetime properties,
/// the `=` operator only supports ISO8601 format strings"), anything else as JSON data.
fn equals(actual: &Json, value: &Json) -> bool {
    match (actual, value) {
        (Json::Number(a), Json::Number(b)) => a.as_f64() == b.as_f64(),
        (Json::String(a), Json::String(b)) if a != b => {
            matches!((parse_timestamp(a), parse_timestamp(b)), (Some(a), Some(b)) if a == b)
        }
        _ => actual == value,
    }
}

/// `>`, `<`, `>=`, `<=`: Port's API takes a number or a date-time as their value
/// (static/apispec.yaml, "Number Rule"); a property of another type satisfies none of them.
fn compare(actual: Option<&Json>, value: Option<&Json>) -> Option<Ordering> {
    match (actual?, value?) {
        (Json::Number(a), Json::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Json::String(a), Json::String(b)) => Some(parse_timestamp(a)?.cmp(&parse_timestamp(b)?)),
        _ => None,
    }
}

fn as_text(value: Option<&Json>) -> Option<&str> {
    value.and_then(Json::as_str)
}

/// `contains`: Port's page has it check "if the specified value exists within a string
/// property"; over an array property (no Port page says) cairn reads it as holding an item equal
/// to the value. Port's relation schema also takes a list as the value: then any one of them.
fn contains(actual: Option<&Json>, value: Option<&Json>) -> bool {
    let (Some(actual), Some(value)) = (actual, value) else { return false };
    let one = |needle: &Json| match (actual, needle) {
        (Json::String(text), Json::String(part)) => text.contains(part.as_str()),
        (Json::Array(items), needle) => items.iter().any(|item| equals(item, needle)),
        _ => false,
    };
    match value {
        Json::Array(needles) => needles.iter().any(one),
        needle => one(needle),
    }
}

/// `containsAny`: "checks if **any** of the specified strings exist in the target **array**";
/// a single value (such as a string property) reads as an array of one.
fn contains_any(actual: Option<&Json>, value: Option<&Json>) -> bool {
    let (Some(actual), Some(Json::Array(wanted))) = (actual, value) else { return false };
    items(actual).any(|item| wanted.iter().any(|wanted| equals(item, wanted)))
}

/// `in`: "checks if a `string` property is equal to one or more specified `string` values"; an
/// array property (`$team in [...]`, which Port's page shows) is in when one of its items is.
fn is_in(actual: Option<&Json>, value: Option<&Json>) -> bool {
    contains_any(actual, value)
}

fn items(value: &Json) -> Box<dyn Iterator<Item = &Json> + '_> {
    match value {
        Json::Array(items) => Box::new(items.iter()),
        other => Box::new(std::iter::once(other)),
    }
}

struct Parser<'a> {
    file: &'a SourceFile,
    /// The key of a query's list of rules: `rules`, or `conditions` in a scorecard.
    list_key: &'static str,
    findings: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn report(&mut self, span: ByteSpan, message: String, help: String) {
        self.findings
            .push(Diagnostic::new(Code::InvalidQuery, message).at(Location::new(self.file, span)).with_help(help));
    }

    fn query(&mut self, node: &Node) -> Option<Query> {
        let list = self.list_key;
        let Some(entries) = node.as_mapping() else {
            let help = format!("write `{{combinator: and, {list}: [...]}}`");
            self.report(node.span, format!("a search query is {}, not a mapping", node.type_name()), help);
            return None;
        };
        for entry in entries {
            if !["combinator", list].contains(&entry.key.as_str()) {
                let help = format!("a search query has `combinator` and `{list}` only");
                self.report(entry.key_span, format!("a search query has no key `{}`", entry.key), help);
            }
        }
        let combinator = match node.get("combinator") {
            None => {
                let help = "add `combinator: and` (every rule) or `combinator: or` (any rule)".to_owned();
                self.report(node.span, "the search query has no `combinator`".to_owned(), help);
                None
            }
            Some(value) => match value.as_str() {
                Some("and") => Some(Combinator::And),
                Some("or") => Some(Combinator::Or),
                _ => {
                    let help = "the combinator is `and` or `or`".to_owned();
                    self.report(value.span, format!("`{}` is not a combinator", written(value)), help);
                    None
                }
            },
        };
        let rules = match node.get(list) {
            None => {
                let help = format!("add `{list}: [{{property: ..., operator: \"=\", value: ...}}]`");
                self.report(node.span, format!("the search query has no `{list}`"), help);
                None
            }
            Some(Node { value: Value::Sequence(items), .. }) => {
                let rules: Vec<Option<Rule>> = items.iter().map(|item| self.rule(item)).collect();
                rules.into_iter().collect::<Option<Vec<Rule>>>()
            }
            Some(other) => {
                let help = format!("`{list}` is a list of rules");
                self.report(other.span, format!("`{list}` is {}, not a list", other.type_name()), help);
                None
            }
        };
        Some(Query { combinator: combinator?, rules: rules?, span: node.span })
    }

    fn rule(&mut self, node: &Node) -> Option<Rule> {
        if node.as_mapping().is_none() {
            let help = "a rule is `{property, operator, value}` or a nested `{combinator, rules}`".to_owned();
            self.report(node.span, format!("a rule is {}, not a mapping", node.type_name()), help);
            return None;
        }
        if node.get("combinator").is_some() || node.get(self.list_key).is_some() {
            return self.query(node).map(Rule::Query);
        }
        if self.list_key == "conditions" && node.get("relation").is_some() {
            return self.relation_rule(node).map(Rule::Relation);
        }
        // Port's rules of other shapes (propertySchema-structure, relation and scorecard filters)
        // are read but not evaluated: a finding, not a silent `false`.
        for key in ["propertySchema", "relation", "scorecard", "blueprint"] {
            if let Some(entry) = node.entry(key) {
                let message = format!("cairn does not evaluate rules with `{key}` yet");
                let help = "write the rule as `{property, operator, value}`".to_owned();
                self.report(entry.key_span, message, help);
                return None;
            }
        }
        let property = self.property(node);
        let operator = self.operator(node);
        for entry in node.as_mapping().unwrap_or_default() {
            if !["property", "operator", "value"].contains(&entry.key.as_str()) {
                let help = "a rule has `property`, `operator` and `value`".to_owned();
                self.report(entry.key_span, format!("a rule has no key `{}`", entry.key), help);
            }
        }
        let (operator, operator_span) = operator?;
        let value = self.value(node, operator)?;
        let property_span = node.get("property").map_or(node.span, |property| property.span);
        Some(Rule::Property(PropertyRule {
            property: property?,
            operator,
            value,
            span: node.span,
            property_span,
            operator_span,
        }))
    }

    /// A scorecard's relation condition: `{relation, operator}` with `isEmpty` or `isNotEmpty`,
    /// the operators Port's scorecards test relations with.
    fn relation_rule(&mut self, node: &Node) -> Option<RelationRule> {
        let relation = node.get("relation")?;
        let name = relation.as_str().map(str::to_owned);
        if name.is_none() {
            let help = "name a relation of the blueprint".to_owned();
            self.report(relation.span, format!("`relation` is {}, not a name", relation.type_name()), help);
        }
        for entry in node.as_mapping().unwrap_or_default() {
            if !["relation", "operator"].contains(&entry.key.as_str()) {
                let help = "a relation condition has `relation` and `operator`".to_owned();
                self.report(entry.key_span, format!("a relation condition has no key `{}`", entry.key), help);
            }
        }
        let (operator, operator_span) = self.operator(node)?;
        let empty = match operator {
            Operator::IsEmpty => true,
            Operator::IsNotEmpty => false,
            other => {
                let message = format!("a relation condition cannot use `{}`", other.as_str());
                self.report(operator_span, message, "test a relation with `isEmpty` or `isNotEmpty`".to_owned());
                return None;
            }
        };
        Some(RelationRule { relation: name?, empty, span: node.span, relation_span: relation.span })
    }

    fn property(&mut self, node: &Node) -> Option<String> {
        match node.get("property") {
            None => {
                let help = "name the property the rule tests, such as `property: $identifier`".to_owned();
                self.report(node.span, "the rule has no `property`".to_owned(), help);
                None
            }
            Some(property) => match &property.value {
                Value::String(name) => Some(name.clone()),
                // Contextual rules (`{context: user, property}`) name the user who runs a
                // search (structure-and-syntax#contextual-query-rules); no user runs a check.
                Value::Mapping(_) if property.get("context").is_some() => {
                    let help = "name a property of the entity; a check has no user to take the context of".to_owned();
                    self.report(property.span, "cairn does not evaluate contextual rules".to_owned(), help);
                    None
                }
                _ => {
                    let help = "name a property of the blueprint, or a meta-property such as `$identifier`".to_owned();
                    self.report(property.span, format!("`property` is {}, not a name", property.type_name()), help);
                    None
                }
            },
        }
    }

    fn operator(&mut self, node: &Node) -> Option<(Operator, ByteSpan)> {
        let Some(operator) = node.get("operator") else {
            let help = "add an operator, such as `operator: \"=\"`".to_owned();
            self.report(node.span, "the rule has no `operator`".to_owned(), help);
            return None;
        };
        let text = operator.as_str().unwrap_or_default();
        if let Some(parsed) = Operator::parse(text) {
            return Some((parsed, operator.span));
        }
        if NOT_EVALUATED.contains(&text) {
            let help = "write the rule with one of Port's comparison operators".to_owned();
            self.report(operator.span, format!("cairn does not evaluate the operator `{text}` yet"), help);
            return None;
        }
        let spellings = Operator::ALL.iter().map(|operator| operator.as_str());
        let help = match did_you_mean(text, spellings.clone()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => {
                format!("Port's operators are {}", spellings.map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "))
            }
        };
        self.report(operator.span, format!("`{}` is not an operator of Port's", written(operator)), help);
        None
    }

    /// The value, of the type the operator takes (Port's API reference, static/apispec.yaml,
    /// `/schemas/entitiesQuery`: "String Rule", "Number Rule", "Date Rule", "Empty Rule").
    fn value(&mut self, node: &Node, operator: Operator) -> Option<Operand> {
        let value = node.get("value");
        let Some(value) = value else {
            if !operator.takes_value() {
                return Some(Operand::None);
            }
            let help = format!("add the `value` that `{}` compares with", operator.as_str());
            self.report(node.span, format!("the rule with `{}` has no `value`", operator.as_str()), help);
            return None;
        };
        let json = value.to_json();
        let problem = match operator {
            Operator::IsEmpty | Operator::IsNotEmpty => Some("no value"),
            Operator::Equals | Operator::NotEquals => json.is_object().then_some("a string, number, boolean or null"),
            Operator::Greater | Operator::Less | Operator::GreaterOrEqual | Operator::LessOrEqual => {
                let fine = json.is_number() || json.as_str().is_some_and(|text| parse_timestamp(text).is_some());
                (!fine).then_some("a number or a date-time")
            }
            Operator::Contains | Operator::DoesNotContain => {
                let fine = !json.is_object()
                    && json
                        .as_array()
                        .is_none_or(|items| items.iter().all(|item| !item.is_object() && !item.is_array()));
                (!fine).then_some("a string or a list of strings")
            }
            Operator::BeginsWith | Operator::DoesNotBeginWith | Operator::EndsWith | Operator::DoesNotEndWith => {
                (!json.is_string()).then_some("a string")
            }
            Operator::ContainsAny | Operator::In | Operator::NotIn => {
                let fine =
                    json.as_array().is_some_and(|items| items.iter().all(|item| !item.is_object() && !item.is_array()));
                (!fine).then_some("a list of values")
            }
            Operator::Between | Operator::NotBetween => return self.range(value, operator),
        };
        if let Some(wanted) = problem {
            let help = if operator.takes_value() {
                format!("give `{}` {wanted}", operator.as_str())
            } else {
                format!("`{}` takes no `value`: remove it", operator.as_str())
            };
            let message = format!("the value of `{}` is {}, not {wanted}", operator.as_str(), value.type_name());
            self.report(value.span, message, help);
            return None;
        }
        Some(Operand::Json(json))
    }

    fn range(&mut self, value: &Node, operator: Operator) -> Option<Operand> {
        let name = operator.as_str();
        if let Some(preset) = value.get("preset") {
            let text = preset.as_str().unwrap_or_default();
            if let Some(preset) = Preset::parse(text) {
                return Some(Operand::Range(DateRange::Preset(preset)));
            }
            let spellings = Preset::ALL.iter().map(|preset| preset.as_str());
            let help = match did_you_mean(text, spellings) {
                Some(close) => format!("did you mean `{close}`?"),
                None => "Port's presets are `lastDay`, `lastWeek`, `lastMonth`, `today`, … (see docs/platform-repo.md)"
                    .to_owned(),
            };
            self.report(preset.span, format!("`{}` is not a date preset of Port's", written(preset)), help);
            return None;
        }
        let instant = |key: &str| value.get(key).and_then(Node::as_str).and_then(parse_timestamp);
        if let (Some(from), Some(to)) = (instant("from"), instant("to")) {
            return Some(Operand::Range(DateRange::Between { from, to }));
        }
        let help = format!(
            "write `value: {{preset: lastWeek}}` or `value: {{from: <date-time>, to: <date-time>}}` for `{name}`"
        );
        self.report(value.span, format!("the value of `{name}` is not a date range or a preset"), help);
        None
    }
}

/// A scalar as written, for messages.
fn written(node: &Node) -> String {
    match &node.value {
        Value::String(text) => text.clone(),
        _ => node.type_name().to_owned(),
    }
}

#[cfg(test)]
mod tests;
