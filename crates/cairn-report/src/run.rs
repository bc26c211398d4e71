//! Renderings of a prepared `cairn run`: for people (what the run changes, as a diff, then its
//! plan), for programs (JSON), and the pull request's body (Markdown: who ran which action with
//! which inputs, then the plan as `cairn ci` comments it).

use std::fmt::Write as _;

use cairn_engine::{FileWrite, PreparedRun, diff_writes};
use serde_json::{Value, json};

use crate::human::HumanOptions;
use crate::plan::{Links, PlanOptions, plan_human, plan_json, plan_markdown};

/// What became of a run: where it went, once it went anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunResult {
    /// Shown only (`--dry-run`, or refused by the checks).
    Previewed,
    /// Written into the working tree.
    Written,
    /// A pull request opened now.
    Opened { number: u64, url: String },
    /// The pull request of this same run, already open.
    AlreadyOpen { number: u64, url: String },
    /// The pull request of this same run, closed by a person without merging: not reopened.
    ClosedUnmerged { number: u64, url: String },
    /// The pull request of this same run, merged.
    Merged { number: u64, url: String },
}

impl RunResult {
    fn describe(&self) -> String {
        match self {
            RunResult::Previewed => "previewed; nothing written".to_owned(),
            RunResult::Written => "written to the working tree".to_owned(),
            RunResult::Opened { number, url } => format!("opened pull request #{number}: {url}"),
            RunResult::AlreadyOpen { number, url } => {
                format!("pull request #{number} for this same run is already open: {url}")
            }
            RunResult::ClosedUnmerged { number, url } => format!(
                "pull request #{number} for this same run was closed without merging: not reopened ({url}); \
                 change an input or the entity to run it again"
            ),
            RunResult::Merged { number, url } => format!("pull request #{number} for this same run was merged: {url}"),
        }
    }

    fn json(&self) -> Value {
        let (state, pull) = match self {
            RunResult::Previewed => ("previewed", None),
            RunResult::Written => ("written", None),
            RunResult::Opened { number, url } => ("opened", Some((number, url))),
            RunResult::AlreadyOpen { number, url } => ("already-open", Some((number, url))),
            RunResult::ClosedUnmerged { number, url } => ("closed-unmerged", Some((number, url))),
            RunResult::Merged { number, url } => ("merged", Some((number, url))),
        };
        match pull {
            Some((number, url)) => json!({"state": state, "pull_request": {"number": number, "url": url}}),
            None => json!({"state": state}),
        }
    }
}

/// The inputs as `name=value` pairs, values as JSON (strings unquoted).
fn inputs_line(run: &PreparedRun) -> String {
    let pairs: Vec<String> = run
        .inputs
        .values
        .iter()
        .map(|(name, value)| match value {
            Value::String(text) => format!("{name}={text}"),
            other => format!("{name}={other}"),
        })
        .collect();
    if pairs.is_empty() { "none".to_owned() } else { pairs.join(", ") }
}

fn change_kind(write: &FileWrite) -> &'static str {
    match (&write.before, &write.after) {
        (None, _) => "created",
        (Some(_), None) => "deleted",
        (Some(_), Some(_)) => "modified",
    }
}

/// The run for people: the action, its inputs, the diff of the files, then the plan.
#[must_use]
pub fn run_human(run: &PreparedRun, result: &RunResult, options: PlanOptions, human: HumanOptions) -> String {
    let mut out = String::new();
    let _ = write!(out, "run: `{}`", run.action.identifier.value);
    if let Some(target) = &run.target {
        let _ = write!(out, " on `{target}`");
    }
    let _ = writeln!(out, " ({})", inputs_line(run));
    let _ = writeln!(out, "title: {}", run.title);
    let _ = writeln!(out, "branch: {}", run.branch);
    if run.writes.is_empty() {
        let _ = writeln!(out, "\nThe run changes no file: the platform is already as the action would leave it.");
    } else {
        let _ = writeln!(out);
        out.push_str(&diff_writes(&run.writes));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    let _ = writeln!(out);
    out.push_str(&plan_human(&run.plan, options, human));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "\n{}", result.describe());
    out
}

/// The run for programs: the action, entity, inputs, branch, title, each file written, the plan
/// (as `cairn plan --format json` prints it) and what became of the run.
#[must_use]
pub fn run_json(run: &PreparedRun, result: &RunResult, options: PlanOptions) -> String {
    let files: Vec<Value> =
        run.writes.iter().map(|write| json!({"path": write.path, "change": change_kind(write)})).collect();
    let plan: Value = serde_json::from_str(&plan_json(&run.plan, options)).unwrap_or(Value::Null);
    let value = json!({
        "action": run.action.identifier.value,
        "entity": run.target.as_ref().map(ToString::to_string),
        "inputs": run.inputs.values,
        "title": run.title,
        "branch": run.branch,
        "files": files,
        "result": result.json(),
        "plan": plan,
    });
    crate::json::pretty(&value)
}

/// The pull request's body: who ran which action, on what, with which inputs; the action's own
/// text; a warning at the top when the checks fail (`--allow-failing`); then the plan.
#[must_use]
pub fn run_markdown(run: &PreparedRun, actor: &str, options: PlanOptions, links: &Links) -> String {
    let mut out = String::new();
    if run.plan.verdict(options.strict) != cairn_engine::Verdict::Pass {
        let _ = writeln!(
            out,
            "> [!WARNING]\n> This run fails cairn's checks and was opened with `--allow-failing`: the plan below says why.\n"
        );
    }
    let _ = write!(out, "Opened by `cairn run {}`", run.action.identifier.value);
    if let Some(target) = &run.target {
        let _ = write!(out, " on `{target}`");
    }
    let _ = writeln!(out, ", run by **{}**.\n", actor.replace(['*', '`', '\n'], " "));
    let _ = writeln!(out, "| input | value |\n| --- | --- |");
    for (name, value) in &run.inputs.values {
        let shown = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let _ = writeln!(out, "| `{name}` | `{}` |", shown.replace(['|', '`', '\n'], " "));
    }
    if run.inputs.values.is_empty() {
        let _ = writeln!(out, "| (none) | |");
    }
    if !run.body.is_empty() {
        let _ = writeln!(out, "\n{}", run.body);
    }
    let _ = writeln!(out);
    out.push_str(&plan_markdown(&run.plan, options, links));
    out
}
