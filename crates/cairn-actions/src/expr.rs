//! Expressions: the strings of an action's `cairn` key (edit values, file paths, titles) and its
//! template files, rendered by minijinja in cairn-render's sandbox (strict undefined, fuel, a
//! recursion limit, no file system) with two filters for lifetimes and dates. A string that is
//! exactly one `{{ expression }}` yields the expression's typed value (a number stays a number,
//! a list a list); any other string renders to text.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};
use cairn_model::{Node, SignedDuration, Timestamp, Value, parse_ttl, utc_date};
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind};
use serde_json::Value as Json;

/// The help of every expression finding.
const HELP: &str = "expressions read `inputs`, `entity`, `action` and `run`, with cairn's template filters and \
    `ttl_add`, `add_days` (docs/actions.md)";

/// The sandbox with the actions' filters.
pub(crate) fn environment() -> Environment<'static> {
    let mut environment = cairn_render::sandbox();
    // A file a run writes into the repository ends as its template ends: a template file's
    // final newline is kept (minijinja, as Jinja2, drops it by default).
    environment.set_keep_trailing_newline(true);
    environment.add_filter("ttl_add", ttl_add);
    environment.add_filter("add_days", add_days);
    environment.add_function("add_days", add_days);
    environment
}

/// `ttl | ttl_add(days=N)` (or `hours=`, `weeks=`, `minutes=`, several adding up): the lifetime
/// plus that much, in cairn-model's `ttl` syntax (`12h`, `5d`, `2w`), written in the largest unit
/// that is exact.
#[allow(clippy::needless_pass_by_value)] // minijinja passes keyword arguments by value.
fn ttl_add(value: &minijinja::Value, kwargs: Kwargs) -> Result<String, Error> {
    // A missing property is the likely mistake (an environment that lives by `expiresAt`, or
    // forever, has no `ttl`): say so rather than minijinja's "value is not a string".
    if value.is_undefined() || value.is_none() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "there is no lifetime to extend: the value is not set (an entity without a `ttl`?)".to_owned(),
        ));
    }
    let Some(ttl) = value.as_str() else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("`{value}` is not a lifetime such as `12h`, `5d` or `2w`"),
        ));
    };
    let base = parse_ttl(ttl).ok_or_else(|| {
        Error::new(ErrorKind::InvalidOperation, format!("`{ttl}` is not a lifetime such as `12h`, `5d` or `2w`"))
    })?;
    let mut minutes = base.as_secs() / 60;
    for (unit, size) in [("minutes", 1), ("hours", 60), ("days", 24 * 60), ("weeks", 7 * 24 * 60)] {
        if let Some(count) = kwargs.get::<Option<i64>>(unit)? {
            minutes = count
                .checked_mul(size)
                .and_then(|added| minutes.checked_add(added))
                .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "the lifetime is too long".to_owned()))?;
        }
    }
    kwargs.assert_all_used()?;
    if minutes < 0 {
        return Err(Error::new(ErrorKind::InvalidOperation, format!("`{ttl}` would become negative")));
    }
    let text = [(7 * 24 * 60, 'w'), (24 * 60, 'd'), (60, 'h'), (1, 'm')]
        .into_iter()
        .find(|(size, _)| minutes % size == 0)
        .map_or_else(|| format!("{minutes}m"), |(size, unit)| format!("{}{unit}", minutes / size));
    // The result must read back as a lifetime (in jiff's range), as every `ttl` must.
    if parse_ttl(&text).is_none() {
        return Err(Error::new(ErrorKind::InvalidOperation, "the lifetime is too long".to_owned()));
    }
    Ok(text)
}

/// `add_days(date, N)` (or `date | add_days(N)`): a day (`YYYY-MM-DD`) plus N calendar days, or
/// an instant (RFC 3339) plus N days of 24 hours, written back in the same form (instants in UTC).
fn add_days(value: &str, days: i64) -> Result<String, Error> {
    if let Some(date) = cairn_model::parse_date(value) {
        let shifted = date
            .checked_add(jiff::Span::new().try_days(days).map_err(|error| invalid(&error.to_string()))?)
            .map_err(|error| invalid(&error.to_string()))?;
        return Ok(shifted.to_string());
    }
    if let Some(instant) = cairn_model::parse_timestamp(value) {
        let seconds = days.checked_mul(86_400).ok_or_else(|| invalid("too many days"))?;
        let shifted =
            instant.checked_add(SignedDuration::from_secs(seconds)).map_err(|error| invalid(&error.to_string()))?;
        return Ok(shifted.to_string());
    }
    Err(invalid(&format!("`{value}` is neither a day (`YYYY-MM-DD`) nor an RFC 3339 date-time")))
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::InvalidOperation, message.to_owned())
}

/// `run` in expressions: who runs the action and when, from the caller (never the clock).
pub(crate) fn run_view(actor: &str, now: Timestamp) -> Json {
    serde_json::json!({"actor": actor, "date": utc_date(now).to_string(), "now": now.to_string()})
}

/// Renders expressions of one action file (or template) with one context.
pub(crate) struct Renderer<'a> {
    pub(crate) environment: &'a Environment<'static>,
    pub(crate) context: minijinja::Value,
}

impl Renderer<'_> {
    /// `node`'s value with every string rendered; findings land on the string in `file`.
    pub(crate) fn value(&self, file: &SourceFile, node: &Node) -> Result<Json, Box<Diagnostic>> {
        Ok(match &node.value {
            Value::String(text) => self.string(text).map_err(|error| finding(&error, file, node.span))?,
            Value::Sequence(items) => {
                Json::Array(items.iter().map(|item| self.value(file, item)).collect::<Result<_, _>>()?)
            }
            Value::Mapping(entries) => Json::Object(
                entries.iter().map(|entry| Ok((entry.key.clone(), self.value(file, &entry.value)?))).collect::<Result<
                    _,
                    Box<Diagnostic>,
                >>(
                )?,
            ),
            _ => node.to_json(),
        })
    }

    /// A string's typed value: one whole `{{ expression }}`'s value, or the rendered text.
    fn string(&self, text: &str) -> Result<Json, Error> {
        if let Some(expression) = single_expression(text) {
            let value = self.environment.compile_expression(expression)?.eval(&self.context)?;
            if value.is_undefined() {
                return Err(Error::new(ErrorKind::UndefinedError, format!("`{}` is undefined", expression.trim())));
            }
            return serde_json::to_value(&value).map_err(|error| invalid(&error.to_string()));
        }
        Ok(Json::String(self.environment.render_str(text, &self.context)?))
    }

    /// A template string rendered to text; findings land on `span` of `file`.
    pub(crate) fn text(&self, file: &SourceFile, span: ByteSpan, text: &str) -> Result<String, Box<Diagnostic>> {
        self.environment.render_str(text, &self.context).map_err(|error| finding(&error, file, span))
    }

    /// A template file rendered; findings land on the line minijinja names.
    pub(crate) fn file(&self, file: &SourceFile) -> Result<String, Box<Diagnostic>> {
        self.environment.render_named_str(file.path(), file.text(), &self.context).map_err(|error| {
            let location = match error.line().and_then(|line| u32::try_from(line).ok()) {
                Some(line) => {
                    let start = file.line_offset(line);
                    let end = file.text()[start as usize..]
                        .find('\n')
                        .map_or(file.text().len() as u32, |end| start + end as u32);
                    Location::new(file, ByteSpan::new(start, end))
                }
                None => Location::file(file.path()),
            };
            Box::new(Diagnostic::new(Code::ActionExpression, detail(&error)).at(location).with_help(HELP))
        })
    }
}

/// The expression of a string that is exactly one `{{ … }}`.
fn single_expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    if inner.contains("{{") || inner.contains("}}") || inner.contains("{%") || inner.contains("{#") {
        return None;
    }
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    Some(inner.strip_suffix('-').unwrap_or(inner))
}

fn detail(error: &Error) -> String {
    match error.detail() {
        Some(detail) => detail.to_owned(),
        None if error.kind() == ErrorKind::UndefinedError => {
            "an expression reads a variable or attribute that is not defined".to_owned()
        }
        None => error.kind().to_string(),
    }
}

pub(crate) fn finding(error: &Error, file: &SourceFile, span: ByteSpan) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(Code::ActionExpression, detail(error)).at_span(file, span).with_help(HELP))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Result<Json, String> {
        let environment = environment();
        let context = minijinja::Value::from_serialize(serde_json::json!({
            "inputs": {"days": 3, "names": ["a", "b"], "name": "gift-cards"},
            "entity": {"properties": {"ttl": "5d", "createdAt": "2026-11-24T09:15:00Z"}},
            "run": run_view("alice", "2026-12-03T21:00:00Z".parse().expect("an instant")),
        }));
        let renderer = Renderer { environment: &environment, context };
        renderer.string(text).map_err(|error| detail(&error))
    }

    #[test]
    fn a_single_expression_keeps_its_type() {
        assert_eq!(eval("{{ inputs.days }}"), Ok(Json::from(3)));
        assert_eq!(eval(" {{- inputs.names -}} "), Ok(serde_json::json!(["a", "b"])));
        assert_eq!(eval("{{ inputs.days }} days"), Ok(Json::from("3 days")));
        assert_eq!(eval("svc-{{ inputs.name | upper }}"), Ok(Json::from("svc-GIFT-CARDS")));
        assert_eq!(eval("{{ run.date }}"), Ok(Json::from("2026-12-03")));
    }

    #[test]
    fn lifetimes_add_up_in_the_largest_exact_unit() {
        assert_eq!(eval("{{ entity.properties.ttl | ttl_add(days=inputs.days) }}"), Ok(Json::from("8d")));
        assert_eq!(eval("{{ '5d' | ttl_add(days=2) }}"), Ok(Json::from("1w")));
        assert_eq!(eval("{{ '12h' | ttl_add(hours=1) }}"), Ok(Json::from("13h")));
        assert_eq!(eval("{{ '1d' | ttl_add(weeks=1, hours=-24) }}"), Ok(Json::from("1w")));
        assert!(eval("{{ '5x' | ttl_add(days=1) }}").expect_err("refused").contains("not a lifetime"));
        assert!(eval("{{ 5 | ttl_add(days=1) }}").expect_err("refused").contains("not a lifetime"));
        let missing = eval("{{ entity.properties.expiry | ttl_add(days=1) }}").expect_err("refused");
        assert!(missing.contains("no lifetime to extend"), "{missing}");
        assert!(eval("{{ '1d' | ttl_add(days=-2) }}").expect_err("refused").contains("negative"));
        assert!(eval("{{ '1d' | ttl_add(years=1) }}").is_err());
    }

    #[test]
    fn days_add_to_days_and_instants() {
        assert_eq!(eval("{{ run.date | add_days(30) }}"), Ok(Json::from("2027-01-02")));
        assert_eq!(eval("{{ add_days(entity.properties.createdAt, 1) }}"), Ok(Json::from("2026-11-25T09:15:00Z")));
        assert!(eval("{{ 'soon' | add_days(1) }}").is_err());
    }

    #[test]
    fn undefined_names_are_errors() {
        assert!(eval("{{ inputs.missing }}").is_err());
        assert!(eval("x-{{ nothing }}").is_err());
    }
}
