//! Renderings of `cairn env list`: a table for people, JSON for programs, a Markdown table.

use std::fmt::Write as _;

use cairn_engine::{EnvironmentStatus, ExpiryRule, Timestamp};
use serde_json::{Value, json};

/// How long is left, in days and hours (`3d 4h`, `-1d 2h` once past), or `never`.
fn left(status: &EnvironmentStatus, now: Timestamp) -> String {
    let Some(left) = status.left(now) else { return "never".to_owned() };
    let seconds = left.as_secs();
    let sign = if seconds < 0 { "-" } else { "" };
    let hours = seconds.unsigned_abs() / 3600;
    format!("{sign}{}d {}h", hours / 24, hours % 24)
}

fn rule(rule: &ExpiryRule) -> String {
    match rule {
        ExpiryRule::Timer(name) => format!("timer `{name}`"),
        ExpiryRule::ExpiresAt => "expiresAt".to_owned(),
        ExpiryRule::TtlSinceCommit => "ttl from the commit that set it".to_owned(),
        ExpiryRule::TtlSinceCreatedAt => "ttl from createdAt".to_owned(),
    }
}

/// The resources as `name: type → definition` (`?` where none provides it), comma-separated.
fn resources(status: &EnvironmentStatus) -> String {
    if status.resources.is_empty() {
        return "-".to_owned();
    }
    let shown: Vec<String> = status
        .resources
        .iter()
        .map(|resource| {
            let name = match &resource.component {
                Some(component) => format!("{component}.{}", resource.name),
                None => resource.name.clone(),
            };
            format!("{name}: {} → {}", resource.r#type, resource.definition.as_deref().unwrap_or("?"))
        })
        .collect();
    shown.join(", ")
}

fn short(commit: &str) -> &str {
    commit.get(..8).unwrap_or(commit)
}

/// One row per environment: identifier, type, owners, created (commit, author), expires, time
/// left as of `now`, and the rule the expiry came from.
#[must_use]
pub fn environments_human(statuses: &[EnvironmentStatus], now: Timestamp) -> String {
    if statuses.is_empty() {
        return "no environments\n".to_owned();
    }
    let rows: Vec<[String; 8]> = statuses
        .iter()
        .map(|status| {
            [
                status.entity.name().to_owned(),
                status.kind.clone().unwrap_or_else(|| "-".to_owned()),
                if status.owners.is_empty() { "-".to_owned() } else { status.owners.join(",") },
                status
                    .created
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |c| format!("{} {}", short(&c.commit), c.author)),
                status.expiry.as_ref().map_or_else(|| "never".to_owned(), |expiry| expiry.at.to_string()),
                left(status, now),
                status.expiry.as_ref().map_or_else(|| "-".to_owned(), |expiry| rule(&expiry.rule)),
                resources(status),
            ]
        })
        .collect();
    let header = ["ENVIRONMENT", "TYPE", "OWNERS", "CREATED", "EXPIRES", "LEFT", "BY", "RESOURCES"];
    crate::table::table(header, &rows)
}

fn commit_json(commit: Option<&cairn_engine::CommitRef>) -> Value {
    commit.map_or(Value::Null, |c| json!({"commit": c.commit, "time": c.time.to_string(), "author": c.author}))
}

/// The environments as a JSON array, with `seconds_left` as of `now`.
#[must_use]
pub fn environments_json(statuses: &[EnvironmentStatus], now: Timestamp) -> String {
    let items: Vec<Value> = statuses
        .iter()
        .map(|status| {
            json!({
                "environment": status.entity.name(),
                "file": status.file,
                "line": status.line,
                "type": status.kind,
                "owners": status.owners,
                "ttl": status.ttl,
                "created": commit_json(status.created.as_ref()),
                "ttl_set": commit_json(status.extended.as_ref()),
                "expires": status.expiry.as_ref().map(|expiry| expiry.at.to_string()),
                "expiry_rule": status.expiry.as_ref().map(|expiry| match &expiry.rule {
                    ExpiryRule::Timer(name) => format!("timer:{name}"),
                    ExpiryRule::ExpiresAt => "expiresAt".to_owned(),
                    ExpiryRule::TtlSinceCommit => "ttl-since-commit".to_owned(),
                    ExpiryRule::TtlSinceCreatedAt => "ttl-since-createdAt".to_owned(),
                }),
                "seconds_left": status.left(now).map(|left| left.as_secs()),
                "resources": status.resources.iter().map(|resource| json!({
                    "name": resource.name,
                    "type": resource.r#type,
                    "component": resource.component,
                    "definition": resource.definition,
                })).collect::<Vec<Value>>(),
            })
        })
        .collect();
    crate::json::pretty(&items)
}

/// The environments as a Markdown table.
#[must_use]
pub fn environments_markdown(statuses: &[EnvironmentStatus], now: Timestamp) -> String {
    let mut out = String::from(
        "| environment | type | owners | created | expires | left |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for status in statuses {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} |",
            status.entity.name(),
            status.kind.as_deref().unwrap_or("-"),
            if status.owners.is_empty() {
                "-".to_owned()
            } else {
                status.owners.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
            },
            status.created.as_ref().map_or_else(
                || "-".to_owned(),
                |c| format!("`{}` by {}", short(&c.commit), c.author.replace('|', " "))
            ),
            status.expiry.as_ref().map_or_else(|| "never".to_owned(), |expiry| expiry.at.to_string()),
            left(status, now),
            resources(status).replace('|', " "),
        );
    }
    out
}
