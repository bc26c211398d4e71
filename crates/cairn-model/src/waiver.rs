//! Waivers, "exceptions as files": a document under `exceptions/` accepts the findings of one
//! rule on some entities, says who answers for that and why, and until which day. A YAML file
//! may hold several waivers, one per document.
//!
//! A waiver with any problem waives nothing: reading it yields `None`, so that a mistake never
//! widens, or silently narrows, what it waives.

use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, EntityRef, SourceFile, did_you_mean};
use cairn_syntax::{Entry, Node, Value};

use crate::blueprint::backticked;
use crate::entity::Spanned;
use crate::identifier::{check_blueprint_identifier, check_identifier};
use crate::time::{Date, parse_date};

const KEYS: [&str; 5] = ["rule", "entities", "owner", "reason", "expires"];
const SELECTOR_KEYS: [&str; 3] = ["blueprint", "identifier", "team"];
// The text form splits at its first `:` (`EntityRef::split`): an identifier holding a `:` (such as
// `arn:aws:s3:::b`) is written after its blueprint, and a blueprint holding a `:` (Port allows it)
// is named only by the mapping form.
const SELECTOR_HELP: &str = "an item of `entities` is `Blueprint:identifier`, an identifier, a glob on the \
    identifier such as `Component:legacy-*`, or a mapping of `blueprint`, `identifier` and `team`";

/// The help for a key that is missing, empty or mistyped.
fn help(key: &str) -> &'static str {
    match key {
        "rule" => {
            "write the code of the findings to waive, such as `E0303` or `P002`, or a policy package such as \
             `acme.reliability`"
        }
        "entities" => "list the entities the waiver is for, such as `entities: [Component:legacy-billing]`",
        "owner" => "name the team or person who answers for the waiver",
        "reason" => "say why the findings are accepted, and what will end the waiver",
        "expires" => "write the last day the waiver holds as `YYYY-MM-DD`, such as `2026-12-31`",
        _ => SELECTOR_HELP,
    }
}

/// One waiver of the platform repository.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// A finding code (`E0303`, `ACME001`) or a policy package (`acme.reliability`, optionally
    /// written `data.acme.reliability`).
    pub rule: Spanned<String>,
    /// The entities waived; never empty.
    pub entities: Vec<Spanned<Selector>>,
    pub owner: String,
    pub reason: String,
    /// The last day the waiver holds, in UTC.
    pub expires: Spanned<Date>,
    pub file: Arc<SourceFile>,
    /// The span of the whole document, for findings about the waiver as a whole.
    pub span: ByteSpan,
}

/// Which entities an item of `entities` names: those that match every part it gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    /// The entity's blueprint, exactly.
    pub blueprint: Option<String>,
    /// A glob on the entity's identifier: `*` matches any run of characters, `?` any one.
    pub identifier: Option<String>,
    /// A team the entity has.
    pub team: Option<String>,
}

/// What a waiver is matched against: one finding and the entity it is about.
#[derive(Clone, Copy, Debug)]
pub struct FindingRef<'a> {
    pub code: &'a str,
    /// The policy package that raised the finding, without `data.` (`acme.reliability`).
    pub package: Option<&'a str>,
    pub blueprint: Option<&'a str>,
    /// `None` for a finding about no entity, which no waiver covers.
    pub identifier: Option<&'a str>,
    pub teams: &'a [String],
}

impl Waiver {
    /// Whether the waiver accepts `finding`, expired or not.
    #[must_use]
    pub fn covers(&self, finding: &FindingRef<'_>) -> bool {
        let Some(identifier) = finding.identifier else {
            return false;
        };
        rule_matches(&self.rule.value, finding.code, finding.package)
            && self.entities.iter().any(|selector| selector.value.matches(finding.blueprint, identifier, finding.teams))
    }

    /// Whether `today` is past the expiry day; the waiver still holds on that day itself.
    #[must_use]
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.expires.value
    }
}

impl Selector {
    /// Whether the entity `blueprint:identifier` owned by `teams` is selected.
    #[must_use]
    pub fn matches(&self, blueprint: Option<&str>, identifier: &str, teams: &[String]) -> bool {
        self.blueprint.as_deref().is_none_or(|wanted| blueprint == Some(wanted))
            && self.identifier.as_deref().is_none_or(|pattern| glob_matches(pattern, identifier))
            && self.team.as_deref().is_none_or(|wanted| teams.iter().any(|team| team == wanted))
    }
}

/// A rule is a code, equal to the finding's, or a package that is the finding's package or
/// encloses it (`acme` covers `acme.reliability`, not `acmecorp`).
fn rule_matches(rule: &str, code: &str, package: Option<&str>) -> bool {
    let rule_package = rule.strip_prefix("data.").unwrap_or(rule);
    rule == code
        || package.is_some_and(|package| {
            package.strip_prefix(rule_package).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
}

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` any one.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and where in `text` it was tried; on a mismatch it takes one more
    // character. Trying only the last star is enough, and keeps matching linear in practice.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&ch) if ch == '?' || ch == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&ch| ch == '*')
}

/// Reads one waiver document. Never fails: a waiver with problems yields `None` and the
/// findings (`E0601`) that say what they are.
#[must_use]
pub fn read_waiver(file: &Arc<SourceFile>, node: Node) -> (Option<Waiver>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let span = node.span;
    let Value::Mapping(entries) = node.value else {
        return (None, diagnostics);
    };
    let mut reader = Reader { file, diagnostics: &mut diagnostics };
    let mut fields: [Option<Node>; KEYS.len()] = Default::default();
    for entry in entries {
        match KEYS.iter().position(|key| *key == entry.key) {
            Some(index) => fields[index] = Some(entry.value),
            None => reader.unknown_key(&entry, &KEYS, "waiver", format!("a waiver has the keys {}", backticked(&KEYS))),
        }
    }
    let [rule, entities, owner, reason, expires] = fields;
    let rule = reader.required("rule", rule, span).and_then(|node| reader.text("rule", node));
    let rule = rule.filter(|rule| reader.check_rule(rule));
    let entities = reader.required("entities", entities, span).and_then(|node| reader.entities(node));
    let owner = reader.required("owner", owner, span).and_then(|node| reader.text("owner", node));
    let reason = reader.required("reason", reason, span).and_then(|node| reader.text("reason", node));
    let expires = reader.required("expires", expires, span).and_then(|node| reader.text("expires", node));
    let expires = expires.and_then(|text| reader.date(&text));
    match (rule, entities, owner, reason, expires) {
        (Some(rule), Some(entities), Some(owner), Some(reason), Some(expires)) if diagnostics.is_empty() => {
            let waiver = Waiver {
                rule,
                entities,
                owner: owner.value,
                reason: reason.value,
                expires,
                file: Arc::clone(file),
                span,
            };
            (Some(waiver), diagnostics)
        }
        _ => (None, diagnostics),
    }
}

struct Reader<'a> {
    file: &'a SourceFile,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn invalid(&mut self, span: ByteSpan, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(Code::InvalidWaiver, message).at_span(self.file, span).with_help(help));
    }

    fn unknown_key(&mut self, entry: &Entry, known: &[&str], what: &str, otherwise: String) {
        let help = match did_you_mean(&entry.key, known.iter().copied()) {
            Some(known) => format!("did you mean `{known}`?"),
            None => otherwise,
        };
        self.invalid(entry.key_span, format!("unknown {what} key `{}`", entry.key), help);
    }

    /// The value of a required key, or a finding at the start of the waiver.
    fn required(&mut self, key: &str, value: Option<Node>, waiver: ByteSpan) -> Option<Node> {
        if value.is_none() {
            self.invalid(ByteSpan::at(waiver.start), format!("the waiver has no `{key}`"), help(key));
        }
        value
    }

    /// A non-empty string; `null` (a key with nothing after it) counts as empty.
    fn text(&mut self, key: &str, value: Node) -> Option<Spanned<String>> {
        match value.value {
            Value::String(text) if !text.trim().is_empty() => Some(Spanned { value: text, span: value.span }),
            Value::String(_) | Value::Null => {
                self.invalid(value.span, format!("`{key}` is empty"), help(key));
                None
            }
            _ => {
                self.invalid(value.span, format!("`{key}` is {}, not text", value.type_name()), help(key));
                None
            }
        }
    }

    fn date(&mut self, text: &Spanned<String>) -> Option<Spanned<Date>> {
        let Some(date) = parse_date(&text.value) else {
            self.invalid(text.span, format!("`{}` is not a valid date", text.value), help("expires"));
            return None;
        };
        Some(Spanned { value: date, span: text.span })
    }

    /// Codes shaped like cairn's own (`E` or `W` and four digits) must be in the registry, so
    /// that a mistyped code is caught here; any other code may be a policy's own.
    fn check_rule(&mut self, rule: &Spanned<String>) -> bool {
        let text = rule.value.as_str();
        let plain = text.split('.').all(|part| {
            !part.is_empty() && part.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-'))
        });
        let cairn_shaped =
            text.len() == 5 && text.starts_with(['E', 'W']) && text[1..].bytes().all(|byte| byte.is_ascii_digit());
        let (message, help) = if !plain {
            (format!("`{text}` is not a finding code or a policy package"), help("rule"))
        } else if cairn_shaped && Code::from_name(text).is_none() {
            (format!("`{text}` is not one of cairn's codes"), "see docs/diagnostics.md for every code")
        } else {
            return true;
        };
        self.invalid(rule.span, message, help);
        false
    }

    /// The list of selectors, or `None` when it is not a non-empty list of valid ones.
    fn entities(&mut self, value: Node) -> Option<Vec<Spanned<Selector>>> {
        let items = match value.value {
            Value::Sequence(items) if !items.is_empty() => items,
            Value::Sequence(_) | Value::Null => {
                self.invalid(value.span, "`entities` is empty", help("entities"));
                return None;
            }
            _ => {
                self.invalid(value.span, format!("`entities` is {}, not a list", value.type_name()), help("entities"));
                return None;
            }
        };
        let count = items.len();
        let selectors: Vec<_> = items.into_iter().filter_map(|item| self.selector(item)).collect();
        (selectors.len() == count).then_some(selectors)
    }

    fn selector(&mut self, item: Node) -> Option<Spanned<Selector>> {
        let span = item.span;
        let selector = match item.value {
            Value::String(text) => {
                let (blueprint, identifier) = EntityRef::split(&text);
                let problem = blueprint
                    .and_then(|blueprint| {
                        check_blueprint_identifier(blueprint).map(|problem| format!("its blueprint {problem}"))
                    })
                    .or_else(|| check_glob(identifier).map(|problem| format!("its identifier {problem}")));
                if let Some(problem) = problem {
                    self.invalid(span, format!("`{text}` is not a valid entity selector: {problem}"), SELECTOR_HELP);
                    return None;
                }
                Selector {
                    blueprint: blueprint.map(str::to_owned),
                    identifier: Some(identifier.to_owned()),
                    team: None,
                }
            }
            Value::Mapping(entries) => self.selector_mapping(entries, span)?,
            _ => {
                let message = format!("an item of `entities` is {}, not an entity selector", item.type_name());
                self.invalid(span, message, SELECTOR_HELP);
                return None;
            }
        };
        Some(Spanned { value: selector, span })
    }

    fn selector_mapping(&mut self, entries: Vec<Entry>, span: ByteSpan) -> Option<Selector> {
        let errors = self.diagnostics.len();
        if entries.is_empty() {
            self.invalid(span, "the entity selector is empty", SELECTOR_HELP);
        }
        let mut selector = Selector::default();
        for entry in entries {
            let slot = match entry.key.as_str() {
                "blueprint" => &mut selector.blueprint,
                "identifier" => &mut selector.identifier,
                "team" => &mut selector.team,
                _ => {
                    // `- Component: legacy-billing` is a mapping in YAML, not the string it looks like.
                    let otherwise = format!(
                        "a selector mapping has the keys {}; to name an entity, write `{}:…` without a space \
                         after the colon",
                        backticked(&SELECTOR_KEYS),
                        entry.key
                    );
                    self.unknown_key(&entry, &SELECTOR_KEYS, "selector", otherwise);
                    continue;
                }
            };
            let Some(text) = self.text(&entry.key, entry.value) else { continue };
            let check = match entry.key.as_str() {
                "identifier" => check_glob,
                "blueprint" => check_blueprint_identifier,
                _ => check_identifier,
            };
            match check(&text.value) {
                Some(problem) => self.invalid(text.span, format!("`{}` {problem}", entry.key), SELECTOR_HELP),
                None => *slot = Some(text.value),
            }
        }
        (self.diagnostics.len() == errors).then_some(selector)
    }
}

/// What is wrong with a glob on identifiers: Port's rule, with `*` and `?` allowed.
fn check_glob(pattern: &str) -> Option<String> {
    check_identifier(&pattern.replace(['*', '?'], "x"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, parse_file};

    const EXAMPLE: &str = "\
# exceptions/legacy-billing.yaml
rule: P002
entities:
  - Component:legacy-billing
  - legacy-payments
  - Component:legacy-*
  - {blueprint: Component, team: payments}
owner: payments
reason: Runbooks move to the new wiki in PLAT-123
expires: 2026-12-31
";

    fn read(text: &str) -> (Option<Waiver>, Vec<Diagnostic>) {
        let mut parsed = parse_file("exceptions/legacy-billing.yaml", text.as_bytes(), &Limits::default());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        read_waiver(&parsed.file, parsed.documents.remove(0))
    }

    fn waiver(text: &str) -> Waiver {
        let (waiver, diagnostics) = read(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        waiver.expect("a valid waiver")
    }

    /// The one finding of an invalid waiver: its message, line and column.
    fn error(text: &str) -> (String, u32, u32) {
        let (waiver, diagnostics) = read(text);
        assert!(waiver.is_none());
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        let diagnostic = &diagnostics[0];
        assert_eq!(diagnostic.code, Code::InvalidWaiver);
        assert!(diagnostic.help.is_some());
        let location = diagnostic.location.as_ref().expect("located");
        let position = waiver_file(text).position(location.span.expect("a span").start);
        (diagnostic.message.clone(), position.line, position.column)
    }

    fn waiver_file(text: &str) -> SourceFile {
        SourceFile::new("exceptions/legacy-billing.yaml", text)
    }

    fn finding<'a>(code: &'a str, blueprint: &'a str, identifier: &'a str, teams: &'a [String]) -> FindingRef<'a> {
        FindingRef { code, package: None, blueprint: Some(blueprint), identifier: Some(identifier), teams }
    }

    #[test]
    fn reads_the_documented_example() {
        let waiver = waiver(EXAMPLE);
        assert_eq!(waiver.rule.value, "P002");
        assert_eq!((waiver.owner.as_str(), waiver.expires.value.to_string().as_str()), ("payments", "2026-12-31"));
        assert_eq!(waiver.reason, "Runbooks move to the new wiki in PLAT-123");
        let selectors: Vec<&Selector> = waiver.entities.iter().map(|selector| &selector.value).collect();
        let some = |text: &str| Some(text.to_owned());
        assert_eq!(
            selectors[0],
            &Selector { blueprint: some("Component"), identifier: some("legacy-billing"), team: None }
        );
        assert_eq!(selectors[1], &Selector { identifier: some("legacy-payments"), ..Selector::default() });
        assert_eq!(selectors[3], &Selector { blueprint: some("Component"), team: some("payments"), identifier: None });
        let position = waiver.file.position(waiver.entities[2].span.start);
        assert_eq!((position.line, position.column), (6, 5));
    }

    #[test]
    fn reads_json_and_several_documents() {
        let json = r#"{"rule": "E0303", "entities": ["x"], "owner": "a", "reason": "b", "expires": "2026-01-01"}"#;
        let mut parsed = parse_file("exceptions/w.json", json.as_bytes(), &Limits::default());
        assert!(read_waiver(&parsed.file, parsed.documents.remove(0)).0.is_some());
        let twice = format!("{EXAMPLE}---\n{}", EXAMPLE.replace("P002", "acme"));
        let parsed = parse_file("exceptions/w.yaml", twice.as_bytes(), &Limits::default());
        let rules: Vec<String> = parsed
            .documents
            .into_iter()
            .filter_map(|node| read_waiver(&parsed.file, node).0)
            .map(|w| w.rule.value)
            .collect();
        assert_eq!(rules, ["P002", "acme"]);
    }

    #[test]
    fn each_problem_is_located_with_help() {
        const LIST: &str = "\n  - Component:legacy-billing\n  - legacy-payments\n  - Component:legacy-*\n  \
                            - {blueprint: Component, team: payments}";
        // Each case edits the example, from one text to another, and gives the one finding expected.
        let cases = [
            ("owner: payments\n", "", "2:1 the waiver has no `owner`"),
            ("owner: payments", "owner:", "8:6 `owner` is empty"),
            ("owner: payments", "owner: 42", "8:8 `owner` is a number, not text"),
            ("reason: Runbooks move to the new wiki in PLAT-123", "reason: ' '", "9:9 `reason` is empty"),
            ("owner: payments\n", "owner: payments\nownr: x\n", "9:1 unknown waiver key `ownr`"),
            ("2026-12-31", "2026-02-30", "10:10 `2026-02-30` is not a valid date"),
            ("2026-12-31", "31/12/2026", "10:10 `31/12/2026` is not a valid date"),
            ("P002", "E0999", "2:7 `E0999` is not one of cairn's codes"),
            ("P002", "acme..reliability", "2:7 `acme..reliability` is not a finding code or a policy package"),
            (LIST, " []", "3:11 `entities` is empty"),
            (LIST, " legacy-billing", "3:11 `entities` is a string, not a list"),
            (
                "- legacy-payments",
                "- legacy payments",
                "5:5 `legacy payments` is not a valid entity selector: its identifier contains the character ` `",
            ),
            (
                "- Component:legacy-*",
                "- :legacy-*",
                "6:5 `:legacy-*` is not a valid entity selector: its blueprint is empty",
            ),
            ("- legacy-payments", "- 42", "5:5 an item of `entities` is a number, not an entity selector"),
            ("- legacy-payments", "- {}", "5:5 the entity selector is empty"),
            ("- legacy-payments", "- {identifier: legacy#payments}", "5:18 `identifier` contains the character `#`"),
            ("- legacy-payments", "- {blueprint: a=b}", "5:17 `blueprint` contains the character `=`"),
            ("- legacy-payments", "- Component: legacy-payments", "5:5 unknown selector key `Component`"),
            ("team: payments}", "tema: payments}", "7:28 unknown selector key `tema`"),
        ];
        let mismatches: Vec<String> = cases
            .into_iter()
            .filter_map(|(from, to, expected)| {
                let text = EXAMPLE.replacen(from, to, 1);
                assert_ne!(text, EXAMPLE, "{from}");
                let (message, line, column) = error(&text);
                let found = format!("{line}:{column} {message}");
                (found != expected).then(|| format!("{to:?} gave {found:?}"))
            })
            .collect();
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }

    #[test]
    fn suggestions_name_the_close_key_or_the_string_form() {
        let (_, diagnostics) = read(&EXAMPLE.replace("owner: payments\n", "owner: payments\nownr: x\n"));
        assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `owner`?"));
        let (_, diagnostics) = read(&EXAMPLE.replace("  - legacy-payments", "  - Component: legacy-payments"));
        assert!(diagnostics[0].help.as_deref().unwrap_or_default().contains("write `Component:…` without a space"));
    }

    #[test]
    fn globs_match_whole_identifiers() {
        for (pattern, text) in
            [("legacy-*", "legacy-billing"), ("*", ""), ("a?c", "abc"), ("*-db-*", "cart-db-1"), ("**x", "x")]
        {
            assert!(glob_matches(pattern, text), "{pattern} {text}");
        }
        for (pattern, text) in
            [("legacy-*", "new-legacy-billing"), ("a?c", "ac"), ("cart", "cart-db"), ("*-db", "cart-db-1")]
        {
            assert!(!glob_matches(pattern, text), "{pattern} {text}");
        }
    }

    #[test]
    fn covers_findings_by_code_and_entity() {
        let waiver = waiver(EXAMPLE);
        let payments = ["payments".to_owned()];
        assert!(waiver.covers(&finding("P002", "Component", "legacy-billing", &[])));
        assert!(waiver.covers(&finding("P002", "API", "legacy-payments", &[])));
        assert!(waiver.covers(&finding("P002", "Component", "legacy-search", &[])));
        assert!(waiver.covers(&finding("P002", "Component", "cart", &payments)));
        assert!(!waiver.covers(&finding("P002", "API", "cart", &payments)));
        assert!(!waiver.covers(&finding("P003", "Component", "legacy-billing", &[])));
        let no_entity = FindingRef { identifier: None, ..finding("P002", "Component", "legacy-billing", &[]) };
        assert!(!waiver.covers(&no_entity));
    }

    #[test]
    fn a_package_covers_itself_and_the_packages_it_encloses() {
        let cases = [
            ("acme.reliability", "acme.reliability", true),
            ("data.acme.reliability", "acme.reliability", true),
            ("acme", "acme.reliability", true),
            ("data.acme", "acme.reliability.runbooks", true),
            ("acme", "acmecorp.reliability", false),
            ("acme.reliability.runbooks", "acme.reliability", false),
        ];
        for (rule, package, covered) in cases {
            let mut waiver = waiver(EXAMPLE);
            waiver.rule.value = rule.to_owned();
            let finding =
                FindingRef { package: Some(package), ..finding("ACME001", "Component", "legacy-billing", &[]) };
            assert_eq!(waiver.covers(&finding), covered, "{rule} {package}");
        }
    }

    #[test]
    fn holds_through_its_expiry_day() {
        let waiver = waiver(EXAMPLE);
        let date = |text| parse_date(text).expect("a valid date");
        assert!(!waiver.is_expired(date("2026-01-01")));
        assert!(!waiver.is_expired(date("2026-12-31")));
        assert!(waiver.is_expired(date("2027-01-01")));
    }
}
