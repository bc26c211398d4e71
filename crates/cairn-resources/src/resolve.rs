//! Matching requests to definitions: each instance (environment, type, class, id) resolved once,
//! to the most specific definition whose criteria match it.

use std::collections::{BTreeMap, HashMap};

use cairn_diagnostics::{Code, Diagnostic, did_you_mean};

use crate::definition::{Criteria, Definition};
use crate::request::Request;

/// How specific a matching set of criteria is: which of the ranked keys it names, most specific
/// first. Compared field by field in this order (`true` above `false`), so a set naming
/// `resource-id` beats any set that does not, whatever else either names; on a tie there,
/// `environment` decides, then `component`, then `environment-type`.
///
/// This is Humanitec's rule: "Matching criteria are made up in order of specificity with least
/// specific first: Environment Type (`env_type`), Application (`app_id`), Environment
/// (`env_id`), Resource (`res_id`) … the Matching Criteria Rule with the most specific element
/// filled is chosen. If there is a tie, the next most specific elements are compared and so on
/// until one is chosen." (the Matching Criteria section of Humanitec's API reference; also
/// <https://developer.humanitec.com/platform-orchestrator/resources/resource-definitions>,
/// "Matching criteria"). cairn's keys map onto Humanitec's: `resource-id` is `res_id`,
/// `environment` is `env_id`, `component` (the workload, cairn's nearest thing to an
/// application) takes `app_id`'s place, `environment-type` is `env_type`. `class` is no rank:
/// every request has one (`default` when it names none) and only sets for that class match it.
// Four flags, compared in field order by the derived `Ord`, are the rule itself: a bit set or an
// enum would hide the order that the comparison depends on.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Specificity {
    pub resource_id: bool,
    pub environment: bool,
    pub component: bool,
    pub environment_type: bool,
}

impl Specificity {
    /// The keys named, for messages: "environment-type", "no criteria".
    #[must_use]
    pub fn describe(self) -> String {
        let named: Vec<&str> = [
            (self.resource_id, "resource-id"),
            (self.environment, "environment"),
            (self.component, "component"),
            (self.environment_type, "environment-type"),
        ]
        .into_iter()
        .filter_map(|(named, key)| named.then_some(key))
        .collect();
        if named.is_empty() { "no criteria but the class".to_owned() } else { named.join(" and ") }
    }
}

/// What an instance is matched on: the context of its requests.
struct Context<'a> {
    environment: &'a str,
    environment_type: Option<&'a str>,
    component: Option<&'a str>,
    id: &'a str,
    class: &'a str,
}

impl Criteria {
    /// How specific this set is for `context`, or `None` when it does not match.
    fn specificity(&self, context: &Context<'_>) -> Option<Specificity> {
        fn named(wanted: Option<&String>, actual: Option<&str>) -> Option<bool> {
            match wanted {
                None => Some(false),
                Some(wanted) => (actual == Some(wanted.as_str())).then_some(true),
            }
        }
        if self.class() != context.class {
            return None;
        }
        Some(Specificity {
            resource_id: named(self.resource_id.as_ref(), Some(context.id))?,
            environment: named(self.environment.as_ref(), Some(context.environment))?,
            component: named(self.component.as_ref(), context.component)?,
            environment_type: named(self.environment_type.as_ref(), context.environment_type)?,
        })
    }
}

/// One resource instance: requests with the same environment, type, class and id, resolved once.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub environment: String,
    pub r#type: String,
    pub class: String,
    pub id: String,
    /// The definition chosen: an index into the definitions given to `resolve`.
    pub definition: usize,
    /// The requests it serves: indices into the requests given to `resolve`, in their order.
    pub requests: Vec<usize>,
    /// The params of its requests (`Null` when none gives any).
    pub params: serde_json::Value,
}

/// Every instance resolved, sorted by environment, type, class and id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    pub instances: Vec<Instance>,
    /// For each request given to `resolve`, its instance (an index into `instances`), or `None`
    /// when it matched no definition or two.
    pub by_request: Vec<Option<usize>>,
}

impl Resolution {
    /// The instance that serves request `request`.
    #[must_use]
    pub fn instance_of(&self, request: usize) -> Option<&Instance> {
        self.instances.get((*self.by_request.get(request)?)?)
    }
}

/// How many definitions a no-match finding lists before it says "and N more".
const LISTED: usize = 5;

/// Resolves `requests` against `definitions`: requests with the same (environment, type, class,
/// id) are one instance, matched once to the definition of its type whose best matching set of
/// criteria is the most specific (`Specificity`). No match, two equally specific matches, and
/// requests of one instance that give different `params` are findings on each request concerned.
#[must_use]
pub fn resolve(definitions: &[Definition], requests: &[Request]) -> (Resolution, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut by_type: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, definition) in definitions.iter().enumerate() {
        by_type.entry(definition.r#type.as_str()).or_default().push(index);
    }
    let mut types: Vec<&str> = by_type.keys().copied().collect();
    types.sort_unstable();

    let mut groups: BTreeMap<(&str, &str, &str, &str), Vec<usize>> = BTreeMap::new();
    for (index, request) in requests.iter().enumerate() {
        let key = (request.environment.as_str(), request.r#type.as_str(), request.class.as_str(), request.id.as_str());
        groups.entry(key).or_default().push(index);
    }

    let mut resolution = Resolution { instances: Vec::new(), by_request: vec![None; requests.len()] };
    for ((environment, r#type, class, id), members) in groups {
        let first = &requests[members[0]];
        let params = shared_params(requests, &members, &mut diagnostics);
        // Requests of one instance from one component are matched with it; from several (a
        // shared resource), with none, as an environment's own requests are.
        let component = first.component.as_deref().filter(|component| {
            members.iter().all(|&member| requests[member].component.as_deref() == Some(*component))
        });
        let context =
            Context { environment, environment_type: first.environment_type.as_deref(), component, id, class };
        let candidates = by_type.get(r#type).map(Vec::as_slice).unwrap_or_default();
        let mut matches: Vec<(Specificity, usize)> = candidates
            .iter()
            .filter_map(|&index| {
                let best = definitions[index].criteria.iter().filter_map(|set| set.specificity(&context)).max()?;
                Some((best, index))
            })
            .collect();
        matches.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| place_order(&definitions[a.1], &definitions[b.1])));
        let Some(&(best, chosen)) = matches.first() else {
            for &member in &members {
                diagnostics.push(no_match(&requests[member], definitions, candidates, &types));
            }
            continue;
        };
        let tied: Vec<&Definition> = matches
            .iter()
            .take_while(|(specificity, _)| *specificity == best)
            .map(|&(_, index)| &definitions[index])
            .collect();
        if tied.len() > 1 {
            for &member in &members {
                diagnostics.push(ambiguous(&requests[member], &tied, best));
            }
            continue;
        }
        for &member in &members {
            resolution.by_request[member] = Some(resolution.instances.len());
        }
        resolution.instances.push(Instance {
            environment: environment.to_owned(),
            r#type: r#type.to_owned(),
            class: class.to_owned(),
            id: id.to_owned(),
            definition: chosen,
            requests: members,
            params,
        });
    }
    (resolution, diagnostics)
}

fn place_order(a: &Definition, b: &Definition) -> std::cmp::Ordering {
    (&a.file, a.span.start).cmp(&(&b.file, b.span.start))
}

/// The params of an instance: the first request's that gives any. A request that gives other
/// params is a finding: one instance cannot be made two ways. A request that gives none (it
/// names the shared resource by its id) agrees with any.
fn shared_params(requests: &[Request], members: &[usize], diagnostics: &mut Vec<Diagnostic>) -> serde_json::Value {
    let given = |member: &&usize| !is_empty(&requests[**member].params);
    let Some(&first) = members.iter().find(given) else {
        return serde_json::Value::Null;
    };
    let params = &requests[first].params;
    for &member in members.iter().filter(given) {
        let request = &requests[member];
        if request.params != *params {
            let mut diagnostic = request.error(
                Code::ResourceParamsConflict,
                format!(
                    "{} gives other `params` than {} of the same resource",
                    request.describe(),
                    requests[first].describe()
                ),
                format!(
                    "requests with the same environment, type, class and id (`{}`) are one resource, made once: give the same `params` in both, give them in one only, or give the requests different ids",
                    request.id
                ),
            );
            if let Some(location) = &requests[first].location {
                diagnostic = diagnostic.with_related("the first request with params", location.clone());
            }
            diagnostics.push(diagnostic);
        }
    }
    params.clone()
}

fn is_empty(params: &serde_json::Value) -> bool {
    match params {
        serde_json::Value::Null => true,
        serde_json::Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

fn no_match(request: &Request, definitions: &[Definition], candidates: &[usize], types: &[&str]) -> Diagnostic {
    let listed = |names: Vec<String>| -> String {
        let more = names.len().saturating_sub(LISTED);
        let mut shown: Vec<String> = names.into_iter().take(LISTED).collect();
        if more > 0 {
            shown.push(format!("and {more} more"));
        }
        shown.join(", ")
    };
    if candidates.is_empty() {
        let known = if types.is_empty() {
            "no type is defined yet".to_owned()
        } else {
            format!("the types defined are {}", listed(types.iter().map(|name| format!("`{name}`")).collect()))
        };
        let help = match did_you_mean(&request.r#type, types.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? {known}"),
            None => format!("{known}; the platform team adds a definition of `{}` under `resources/`", request.r#type),
        };
        return request.error(
            Code::ResourceNoMatch,
            format!(
                "no resource definition provides the type `{}`, which {} requests",
                request.r#type,
                request.describe()
            ),
            help,
        );
    }
    let mut ordered: Vec<&Definition> = candidates.iter().map(|&index| &definitions[index]).collect();
    ordered.sort_by(|a, b| place_order(a, b));
    let described: Vec<String> = ordered
        .iter()
        .map(|definition| {
            let sets: Vec<String> = definition.criteria.iter().map(|set| format!("{{{}}}", set.describe())).collect();
            let sets = if sets.is_empty() { "no readable criteria".to_owned() } else { sets.join(" or ") };
            format!("`{}` ({}) for {sets}", definition.id, definition.place())
        })
        .collect();
    let context = match &request.environment_type {
        Some(kind) => format!("environment-type `{kind}`, class `{}`", request.class),
        None => format!("no environment-type, class `{}`", request.class),
    };
    request.error(
        Code::ResourceNoMatch,
        format!("no resource definition of the type `{}` matches {} ({context})", request.r#type, request.describe()),
        format!(
            "the definitions of `{}`: {}; add a set of criteria that matches, or a definition",
            request.r#type,
            listed(described)
        ),
    )
}

fn ambiguous(request: &Request, tied: &[&Definition], best: Specificity) -> Diagnostic {
    let names: Vec<String> =
        tied.iter().map(|definition| format!("`{}` ({})", definition.id, definition.place())).collect();
    let names = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let mut diagnostic = request.error(
        Code::ResourceAmbiguous,
        format!("{} matches the resource definitions {names} equally specifically", request.describe()),
        format!(
            "each matches by {}; the most specific match wins (resource-id, then environment, component, environment-type): make one definition's criteria more specific, or narrow the other's",
            best.describe()
        ),
    );
    for definition in tied {
        diagnostic = diagnostic.with_related(format!("`{}` matches here", definition.id), definition.location());
    }
    diagnostic
}

#[cfg(test)]
mod tests;
