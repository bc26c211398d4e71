//! `--select` and `--ignore`: which findings a run reports and judges by, chosen by code or code
//! prefix, before the verdict is reached.

use cairn_diagnostics::{Code, Diagnostic, did_you_mean};
use cairn_engine::{Outcome, Plan};

/// The flags, flattened into each command that takes them.
#[derive(Debug, Default, clap::Args)]
pub struct CodeFilter {
    /// Report and judge by only the findings whose code starts with one of these (`E0309`,
    /// `E03`, `W`, or a policy's own code such as `ACME001`); comma-separated or repeated.
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = parse_selector)]
    select: Vec<String>,
    /// Leave out the findings whose code starts with one of these; a more specific `--select`
    /// wins (`--ignore E03 --select E0309` keeps E0309).
    #[arg(long, value_name = "CODE", value_delimiter = ',', value_parser = parse_selector)]
    ignore: Vec<String>,
}

impl CodeFilter {
    fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// Whether a finding is kept.
    ///
    /// As in ruff (<https://docs.astral.sh/ruff/linter/#rule-selection>), a selector is a full
    /// code or any prefix of one, and the most specific selector that matches a code decides:
    /// the longer prefix wins, and `--ignore` wins over a `--select` of the same length. With no
    /// `--select`, every code is selected to begin with.
    ///
    /// A finding matches by its code as reported (a policy's `custom.code`, such as `ACME001`)
    /// and by cairn's code for it (`E0501`), so `--ignore E05` leaves out every policy finding.
    /// Findings that mean the rules could not be evaluated (`E0503`-`E0507`) are always kept:
    /// leaving them out would turn a broken policy set into a pass.
    pub fn keeps(&self, diagnostic: &Diagnostic) -> bool {
        if diagnostic.code.breaks_rules() {
            return true;
        }
        let names = [diagnostic.code_name(), diagnostic.code.as_str()];
        let longest = |selectors: &[String]| {
            selectors
                .iter()
                .filter(|selector| names.iter().any(|name| name.starts_with(selector.as_str())))
                .map(String::len)
                .max()
        };
        match (longest(&self.select), longest(&self.ignore)) {
            (Some(selected), Some(ignored)) => selected > ignored,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => self.select.is_empty(),
        }
    }

    /// Keeps only the findings the flags keep, and notes how many were left out.
    pub fn apply(&self, outcome: &mut Outcome) {
        if self.is_empty() {
            return;
        }
        let before = outcome.diagnostics.len();
        outcome.diagnostics.retain(|diagnostic| self.keeps(diagnostic));
        left_out(before - outcome.diagnostics.len());
    }

    /// Keeps only the plan's findings the flags keep (its introduced ones renumbered), and notes
    /// how many were left out.
    pub fn apply_to_plan(&self, plan: &mut Plan) {
        if self.is_empty() {
            return;
        }
        let before = plan.outcome.diagnostics.len();
        let diagnostics = std::mem::take(&mut plan.outcome.diagnostics);
        let introduced = std::mem::take(&mut plan.introduced);
        for (index, diagnostic) in diagnostics.into_iter().enumerate() {
            if self.keeps(&diagnostic) {
                if introduced.contains(&index) {
                    plan.introduced.insert(plan.outcome.diagnostics.len());
                }
                plan.outcome.diagnostics.push(diagnostic);
            }
        }
        left_out(before - plan.outcome.diagnostics.len());
    }
}

/// Says on stderr (unless `--quiet`) that findings were left out, so a filtered pass is never
/// mistaken for a clean one.
fn left_out(count: usize) {
    if count > 0 {
        let findings = if count == 1 { "1 finding".to_owned() } else { format!("{count} findings") };
        super::note(&format!("note: {findings} left out by `--select`/`--ignore`"));
    }
}

/// A selector as given: a prefix of a registered code, or a policy's own code.
///
/// A selector shaped like a cairn code (`E` or `W`, then digits) must be the prefix of a
/// registered code, so a typo is an error (exit 2) rather than a filter that silently matches
/// nothing. Any other word is taken as a policy's `custom.code`, which only the platform's
/// policies define.
fn parse_selector(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.contains(char::is_whitespace) {
        return Err("a code is one word, such as `E0309`, `E03` or `ACME001`".to_owned());
    }
    let mut chars = text.chars();
    let cairn_shaped = matches!(chars.next(), Some('E' | 'W' | 'e' | 'w'))
        && chars.next().is_none_or(|second| second.is_ascii_digit());
    if !cairn_shaped || Code::ALL.iter().any(|code| code.as_str().starts_with(text)) {
        return Ok(text.to_owned());
    }
    let upper = text.to_ascii_uppercase();
    if upper != text && Code::ALL.iter().any(|code| code.as_str().starts_with(&upper)) {
        return Err(format!("no code starts with `{text}`\n  help: codes are upper case: did you mean `{upper}`?"));
    }
    let names = Code::ALL.iter().map(|code| code.as_str());
    let help = match did_you_mean(&upper, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "docs/diagnostics.md lists every code".to_owned(),
    };
    Err(format!("no code starts with `{text}`\n  help: {help}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(select: &[&str], ignore: &[&str]) -> CodeFilter {
        let owned = |list: &[&str]| list.iter().map(|code| (*code).to_owned()).collect();
        CodeFilter { select: owned(select), ignore: owned(ignore) }
    }

    fn finding(code: Code) -> Diagnostic {
        Diagnostic::new(code, "a finding")
    }

    #[test]
    fn a_prefix_selects_a_family_and_the_more_specific_selector_wins() {
        let keeps = |filter: &CodeFilter, code| filter.keeps(&finding(code));
        let ignore = filter(&[], &["E03"]);
        assert!(!keeps(&ignore, Code::MissingRelationTarget));
        assert!(keeps(&ignore, Code::SyntaxYaml));
        let select = filter(&["E03"], &[]);
        assert!(keeps(&select, Code::MissingRelationTarget));
        assert!(!keeps(&select, Code::SyntaxYaml));
        let both = filter(&["E0309"], &["E03"]);
        assert!(keeps(&both, Code::MissingRelationTarget), "the longer `--select` wins");
        assert!(!keeps(&both, Code::UnknownTeam));
        let both = filter(&["E03"], &["E0309"]);
        assert!(!keeps(&both, Code::MissingRelationTarget), "the longer `--ignore` wins");
        assert!(keeps(&both, Code::UnknownTeam));
        assert!(!keeps(&filter(&["E0309"], &["E0309"]), Code::MissingRelationTarget), "a tie is ignored");
    }

    #[test]
    fn a_broken_policy_set_is_never_filtered_out() {
        assert!(filter(&[], &["E05"]).keeps(&finding(Code::PolicySyntax)));
        assert!(!filter(&[], &["E05"]).keeps(&finding(Code::PolicyDeny)));
    }

    #[test]
    fn unknown_cairn_codes_are_refused_with_a_suggestion() {
        assert_eq!(parse_selector("E03").as_deref(), Ok("E03"));
        assert_eq!(parse_selector("W").as_deref(), Ok("W"));
        assert_eq!(parse_selector("ACME001").as_deref(), Ok("ACME001"), "a policy's own code");
        let error = parse_selector("E0319").expect_err("no such code");
        assert!(error.starts_with("no code starts with `E0319`"), "{error}");
        assert!(error.contains("did you mean `E0309`?") || error.contains("did you mean `E0310`?"), "{error}");
        let error = parse_selector("e03").expect_err("lower case");
        assert!(error.contains("did you mean `E03`?"), "{error}");
        assert!(parse_selector("E07").expect_err("no E07 family").contains("docs/diagnostics.md"));
    }
}
