//! Renderings of `cairn reconcile`: the plan of what is due, or what was done of it, as a table
//! for people and JSON for programs; and the reminder a reconcile posts to an environment's
//! owners.

use std::fmt::Write as _;

use cairn_engine::Timestamp;
use serde_json::{Value, json};

/// What one item of a reconcile is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// An automation's run, as a pull request.
    Run,
    /// A reminder to an environment's owners.
    Reminder,
    /// The rendered output committed to the rendered branch.
    Render,
}

impl ItemKind {
    fn as_str(self) -> &'static str {
        match self {
            ItemKind::Run => "run",
            ItemKind::Reminder => "reminder",
            ItemKind::Render => "render",
        }
    }
}

/// Where one item stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemStatus {
    /// Due, and not carried out (a dry run).
    Due,
    /// Carried out by this run; what was done (`opened #12`).
    Done(String),
    /// Found done by an earlier run; what was found (`#12 is open`).
    AlreadyDone(String),
    /// Not carried out, on purpose (a pull request a person closed unmerged; an older revision).
    Skipped(String),
    /// Could not be carried out; why. The next run tries again.
    Failed(String),
}

impl ItemStatus {
    fn word(&self) -> &'static str {
        match self {
            ItemStatus::Due => "due",
            ItemStatus::Done(_) => "done",
            ItemStatus::AlreadyDone(_) => "already done",
            ItemStatus::Skipped(_) => "skipped",
            ItemStatus::Failed(_) => "failed",
        }
    }

    fn detail(&self) -> &str {
        match self {
            ItemStatus::Due => "",
            ItemStatus::Done(detail)
            | ItemStatus::AlreadyDone(detail)
            | ItemStatus::Skipped(detail)
            | ItemStatus::Failed(detail) => detail,
        }
    }
}

/// One thing a reconcile does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcileItem {
    pub kind: ItemKind,
    /// What it is about: an entity (`Environment:dev-alice`) or a branch.
    pub subject: String,
    /// What it does: `teardown-environment (expire-environments)`, `expires 2026-12-05T10:00:00Z`.
    pub what: String,
    pub status: ItemStatus,
}

/// A reconcile: the revision, the instant it was judged at, and its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciled {
    pub source: String,
    pub now: Timestamp,
    /// `--apply` (else a dry run).
    pub applied: bool,
    pub items: Vec<ReconcileItem>,
}

impl Reconciled {
    /// How many items failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.items.iter().filter(|item| matches!(item.status, ItemStatus::Failed(_))).count()
    }
}

/// The items as a table, then one line that says what happened.
#[must_use]
pub fn reconcile_human(reconciled: &Reconciled) -> String {
    let mut out = format!("reconcile of {} as of {:.0}\n", reconciled.source, reconciled.now);
    if reconciled.items.is_empty() {
        out.push_str("nothing is due\n");
        return out;
    }
    let rows: Vec<[String; 4]> = reconciled
        .items
        .iter()
        .map(|item| {
            let status = match item.status.detail() {
                "" => item.status.word().to_owned(),
                detail => format!("{}: {detail}", item.status.word()),
            };
            [item.kind.as_str().to_owned(), item.subject.clone(), item.what.clone(), status]
        })
        .collect();
    out.push('\n');
    out.push_str(&crate::table::table(["KIND", "SUBJECT", "WHAT", "STATUS"], &rows));
    out.push('\n');
    let count = |wanted: fn(&ItemStatus) -> bool| reconciled.items.iter().filter(|item| wanted(&item.status)).count();
    if reconciled.applied {
        let done = count(|status| matches!(status, ItemStatus::Done(_)));
        let already = count(|status| matches!(status, ItemStatus::AlreadyDone(_)));
        let skipped = count(|status| matches!(status, ItemStatus::Skipped(_)));
        let failed = reconciled.failed();
        let _ = write!(out, "{done} done, {already} already done, {skipped} skipped, {failed} failed");
        if failed > 0 {
            out.push_str(": the next run completes the rest, and repeats nothing done");
        }
        out.push('\n');
    } else {
        let failed = reconciled.failed();
        let due = reconciled.items.len() - failed;
        let _ = writeln!(out, "{due} due, {failed} cannot be carried out; `--apply` carries them out");
    }
    out
}

/// The reconcile as JSON: `source`, `now`, `applied`, `items` (`kind`, `subject`, `what`,
/// `status`, `detail`), and the counts by status.
#[must_use]
pub fn reconcile_json(reconciled: &Reconciled) -> String {
    let items: Vec<Value> = reconciled
        .items
        .iter()
        .map(|item| {
            json!({
                "kind": item.kind.as_str(),
                "subject": item.subject,
                "what": item.what,
                "status": item.status.word(),
                "detail": match item.status.detail() { "" => Value::Null, detail => json!(detail) },
            })
        })
        .collect();
    let mut counts = serde_json::Map::new();
    for item in &reconciled.items {
        let entry = counts.entry(item.status.word()).or_insert(json!(0));
        *entry = json!(entry.as_u64().unwrap_or(0) + 1);
    }
    let value = json!({
        "source": reconciled.source,
        "now": format!("{:.0}", reconciled.now),
        "applied": reconciled.applied,
        "items": items,
        "counts": counts,
    });
    crate::json::pretty(&value)
}

/// What a reminder says to an environment's owners.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder<'a> {
    /// `Environment:dev-alice`.
    pub entity: &'a str,
    pub expires: Timestamp,
    pub now: Timestamp,
    /// The GitHub organisation whose teams the owners are, to mention them (`@acme/payments`).
    pub organisation: &'a str,
    pub owners: &'a [String],
    /// The action that extends a lifetime, when the platform has one (`extend-ttl`).
    pub extend: Option<&'a str>,
}

/// The marker that makes a reminder one per entity and expiry: a later run finds it, and an
/// extended lifetime (a new expiry) is a new reminder.
#[must_use]
pub fn reminder_marker(entity: &str, expires: Timestamp) -> String {
    format!("<!-- cairn-reminder {entity} {expires} -->")
}

/// The reminder's title, when it is an issue.
#[must_use]
pub fn reminder_title(reminder: &Reminder<'_>) -> String {
    format!("{} expires on {}", reminder.entity, reminder.expires)
}

/// The reminder's Markdown, ending with its marker.
#[must_use]
pub fn reminder_markdown(reminder: &Reminder<'_>) -> String {
    let left = reminder.expires.duration_since(reminder.now).as_secs().max(0).unsigned_abs();
    let hours = left / 3600;
    let plural = |count: u64, unit: &str| format!("{count} {unit}{}", if count == 1 { "" } else { "s" });
    let mut out = format!(
        "⏳ **`{}` expires on {}**, in {} and {}.\n\n",
        reminder.entity,
        reminder.expires,
        plural(hours / 24, "day"),
        plural(hours % 24, "hour")
    );
    if !reminder.owners.is_empty() {
        let mentions: Vec<String> =
            reminder.owners.iter().map(|team| format!("@{}/{team}", reminder.organisation)).collect();
        let _ = writeln!(out, "Owners: {}.\n", mentions.join(", "));
    }
    match reminder.extend {
        Some(action) => {
            let _ = writeln!(
                out,
                "To keep it longer, run the `{action}` action on it (`cairn run {action} --entity {} --pr`, or its \
                 workflow in the Actions tab). Otherwise cairn opens a pull request to tear it down once it expires.",
                reminder.entity
            );
        }
        None => out.push_str(
            "To keep it longer, raise its `ttl` in a pull request. Otherwise cairn opens a pull request to tear it \
             down once it expires.\n",
        ),
    }
    out.push('\n');
    out.push_str(&reminder_marker(reminder.entity, reminder.expires));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> Timestamp {
        text.parse().expect("an instant")
    }

    fn reconciled(applied: bool, statuses: [ItemStatus; 3]) -> Reconciled {
        let [run, reminder, render] = statuses;
        Reconciled {
            source: "main (1a2b3c4d)".to_owned(),
            now: instant("2026-12-04T12:00:00Z"),
            applied,
            items: vec![
                ReconcileItem {
                    kind: ItemKind::Run,
                    subject: "Environment:dev-old".to_owned(),
                    what: "teardown-environment (expire-environments)".to_owned(),
                    status: run,
                },
                ReconcileItem {
                    kind: ItemKind::Reminder,
                    subject: "Environment:dev-soon".to_owned(),
                    what: "expires 2026-12-05T10:00:00Z, on #4".to_owned(),
                    status: reminder,
                },
                ReconcileItem {
                    kind: ItemKind::Render,
                    subject: "rendered/main".to_owned(),
                    what: "the output of 1a2b3c4d".to_owned(),
                    status: render,
                },
            ],
        }
    }

    #[test]
    fn a_dry_run_lists_what_is_due() {
        let text = reconcile_human(&reconciled(false, [ItemStatus::Due, ItemStatus::Due, ItemStatus::Due]));
        insta::assert_snapshot!(text);
        assert_eq!(
            reconcile_human(&Reconciled {
                items: Vec::new(),
                ..reconciled(false, [ItemStatus::Due, ItemStatus::Due, ItemStatus::Due])
            }),
            "reconcile of main (1a2b3c4d) as of 2026-12-04T12:00:00Z\nnothing is due\n"
        );
    }

    #[test]
    fn an_applied_run_says_what_was_done_and_what_failed() {
        let reconciled = reconciled(
            true,
            [
                ItemStatus::Done("opened #7".to_owned()),
                ItemStatus::Failed("GitHub answered 500".to_owned()),
                ItemStatus::AlreadyDone("9f8e7d6c is on rendered/main".to_owned()),
            ],
        );
        assert_eq!(reconciled.failed(), 1);
        insta::assert_snapshot!(reconcile_human(&reconciled));
        let json: Value = serde_json::from_str(&reconcile_json(&reconciled)).expect("JSON");
        assert_eq!(json["items"][0]["status"], "done");
        assert_eq!(json["items"][0]["detail"], "opened #7");
        assert_eq!(json["items"][1]["status"], "failed");
        assert_eq!(json["counts"], json!({"done": 1, "failed": 1, "already done": 1}));
        assert_eq!(json["applied"], true);
    }

    #[test]
    fn a_reminder_mentions_the_owners_and_ends_with_its_marker() {
        let owners = ["payments".to_owned()];
        let reminder = Reminder {
            entity: "Environment:dev-soon",
            expires: instant("2026-12-05T10:00:00Z"),
            now: instant("2026-12-04T06:00:00Z"),
            organisation: "acme",
            owners: &owners,
            extend: Some("extend-ttl"),
        };
        let text = reminder_markdown(&reminder);
        insta::assert_snapshot!(text);
        assert!(text.ends_with(&format!("{}\n", reminder_marker("Environment:dev-soon", reminder.expires))));
        assert_eq!(reminder_title(&reminder), "Environment:dev-soon expires on 2026-12-05T10:00:00Z");
    }
}
