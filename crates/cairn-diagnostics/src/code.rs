//! The registry of diagnostic codes: each code has a stable name, a default severity and a
//! one-line summary. Codes are never renumbered; a retired code stays reserved.

use std::fmt;

/// How serious a finding is. Errors fail `cairn check` (exit 1); warnings are reported only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $summary:literal;)*) => {
        /// A stable diagnostic code. The name (`E0101`) is part of cairn's interface: scripts,
        /// severity overrides and waivers refer to it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, such as `E0101`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a finding with this code has unless configured otherwise.
            #[must_use]
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying what the code means.
            #[must_use]
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The code with this stable name, if there is one.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    // E01xx: reading and parsing files.
    SyntaxYaml = "E0101", Error, "the file is not valid YAML";
    SyntaxJson = "E0102", Error, "the file is not valid JSON";
    DuplicateKey = "E0103", Error, "a mapping has the same key twice";
    AliasLimit = "E0104", Error, "YAML aliases expand beyond the configured limit";
    NestingLimit = "E0105", Error, "values nest deeper than the configured limit";
    NotUtf8 = "E0106", Error, "the file is not UTF-8 text";
    FileTooLarge = "E0107", Error, "the file is larger than the configured limit";
    Symlink = "E0108", Error, "a symbolic link in a folder cairn reads is never followed";
    UnreadableFile = "E0109", Error, "the file could not be read";
    EmptyFile = "W0110", Warning, "the file holds no document";
    NotAMapping = "E0111", Error, "a document is not a mapping (an entity or a blueprint)";
    UnsupportedYaml = "E0112", Error, "the file uses a YAML feature that cairn does not accept";
    TypographicQuotes = "W0113", Warning, "a value is wrapped in typographic quotes";
    // E02xx: blueprints.
    InvalidBlueprint = "E0201", Error, "a blueprint does not have Port's blueprint shape";
    DuplicateBlueprint = "E0202", Error, "two blueprints have the same identifier";
    InvalidSchema = "E0203", Error, "a blueprint's schema is not a valid JSON Schema";
    UnknownRelationTarget = "E0204", Error, "a blueprint relation targets a blueprint that does not exist";
    InvalidBlueprintIdentifier = "E0205", Error, "a blueprint identifier breaks Port's identifier rule";
    UnknownBlueprintKey = "W0206", Warning, "a blueprint has a key that cairn and Port do not know";
    // E03xx: entities.
    InvalidEntity = "E0301", Error, "an entity does not have Port's entity shape";
    UnknownBlueprint = "E0302", Error, "an entity names a blueprint that does not exist";
    SchemaViolation = "E0303", Error, "an entity's properties break its blueprint's schema";
    DuplicateIdentifier = "E0304", Error, "two entities of one blueprint have the same identifier";
    InvalidIdentifier = "E0305", Error, "an entity identifier breaks Port's identifier rule";
    UnknownEntityKey = "W0306", Warning, "an entity has a top-level key that Port does not know";
    UnknownProperty = "E0307", Error, "an entity sets a property its blueprint does not declare";
    UnknownRelation = "E0308", Error, "an entity sets a relation its blueprint does not declare";
    MissingRelationTarget = "E0309", Error, "a relation names an entity that does not exist";
    WrongRelationTarget = "E0310", Error, "a relation names an entity of another blueprint";
    MissingRequiredRelation = "E0311", Error, "a required relation is not set";
    RelationCardinality = "E0312", Error, "a relation's value does not match its `many` setting";
    UnknownTeam = "E0313", Error, "an entity's team is not a `_team` entity of the catalog";
    WrongFolder = "E0314", Error, "an entity is in a folder reserved for another blueprint";
    LooseDateTime = "W0315", Warning, "a date-time is in a looser spelling than RFC 3339, which Port accepts";
    InvalidOwnershipPath = "E0316", Error, "a blueprint's inherited ownership path does not lead through its relations to a blueprint";
    TeamOfInheritedOwnership = "W0317", Warning, "an entity writes `team` although its blueprint inherits ownership through a relation";
    RelationQueryNoMatch = "E0320", Error, "a relation given as a search query matches no entity";
    RelationQueryManyMatches = "E0321", Error, "a `many: false` relation given as a search query matches more than one entity";
    InvalidQuery = "E0322", Error, "a search query does not have Port's shape (combinator, rules, operators and values)";
    RelationQueryOperator = "E0323", Error, "a relation's search query uses an operator Port does not accept in a relation";
    InvalidMirrorProperty = "E0325", Error, "a mirror property's path does not lead through declared relations to a property";
    CalculationFailed = "E0326", Error, "a calculation property's jq fails, times out, or gives a value of another type";
    InvalidAggregationProperty = "E0327", Error, "an aggregation property names a blueprint, property or function that does not exist";
    ComputedPropertyCycle = "E0328", Error, "computed properties depend on each other in a cycle";
    ComputedPropertySet = "E0329", Error, "an entity sets a property that Port computes";
    NotComputed = "W0325", Warning, "a computed property uses something cairn does not compute yet, so it is left unset";
    ListOfOtherKind = "E0330", Error, "a list file holds blueprints where entities are read, or entities where blueprints are";
    UnreadListKey = "W0330", Warning, "a list file has a key besides its `blueprints` or `entities` list, which is not read";
    // E04xx: settings.
    InvalidSettings = "E0401", Error, "`cairn.yaml` is not valid";
    // E05xx: policies. E0503-E0507 mean the rules could not be evaluated (exit 2).
    PolicyDeny = "E0501", Error, "a policy's `deny` or `violation` rule fails an entity";
    PolicyWarn = "W0502", Warning, "a policy's `warn` rule flags an entity";
    PolicySyntax = "E0503", Error, "a policy file is not valid Rego, or imports what no policy defines";
    PolicyRuntime = "E0504", Error, "a policy failed while it was evaluated";
    PolicyResult = "E0505", Error, "a policy rule's value is not a set of messages or of objects with `msg`";
    PolicyMetadata = "E0506", Error, "a policy's METADATA block is not valid";
    PolicyLimit = "E0507", Error, "a policy ran longer than the configured limit";
    RulesChanged = "W0510", Warning, "the change edits the rules that judge it: review needed";
    MergeConflict = "W0511", Warning, "the change and its base both changed a file since their merge base: the merged result is not judged";
    // E06xx: waivers.
    InvalidWaiver = "E0601", Error, "a waiver in `exceptions/` is not valid";
    ExpiredWaiver = "E0602", Error, "a waiver has expired";
    UnusedWaiver = "W0603", Warning, "a waiver matches no finding";
    // W07xx: what the platform holds, as a whole.
    NoEntities = "W0701", Warning, "the check read no entity (and `cairn ci` fails)";
    UnreadData = "W0702", Warning, "YAML or JSON at the top of the platform is outside the folders cairn reads";
    // E08xx: `cairn import`: what an export holds that the import cannot carry.
    ExportUnreadable = "E0801", Error, "a Port export cannot be read, or is an error response";
    ExportItemUnknown = "E0802", Error, "an item of a Port export is not a blueprint, entity, scorecard or action";
    ImportUnknownBlueprint = "E0803", Error, "an exported entity's blueprint is neither in the export nor bundled with cairn";
    ImportFileClash = "E0804", Error, "two exported items map to one file of the imported repository";
    ImportDuplicate = "E0805", Error, "an item is exported twice with different contents";
    ImportNoIdentifier = "E0806", Error, "an exported item lacks the text `identifier` (or `blueprint`) it is filed under";
    ExportKeyNotRead = "W0801", Warning, "a key of a Port export response is not imported";
    // E0901-E0919: Score workloads (score.dev/v1b1) under the catalog folder.
    ScoreSchema = "E0901", Error, "a Score workload breaks Score's schema (`score.dev/v1b1`)";
    ScoreDocuments = "E0902", Error, "a Score file holds more than one document";
    WorkloadUnknownComponent = "E0903", Error, "a Score workload's `metadata.name` names no `Component` entity";
    DuplicateWorkload = "E0904", Error, "two Score workloads name one component";
    PlaceholderUnknownResource = "E0905", Error, "a placeholder names a resource the workload does not declare";
    PlaceholderUnknownOutput = "E0906", Error, "a placeholder names an output its resource does not have";
    PlaceholderUnknownMetadata = "E0907", Error, "a placeholder names a `metadata` key the workload does not set";
    PlaceholderInvalid = "E0908", Error, "a placeholder is neither `${metadata.KEY}` nor `${resources.NAME.OUTPUT}`";
    PlaceholderUnterminated = "W0909", Warning, "a `${` has no closing `}`, so Score keeps it as written";
    // E094x-E097x: golden-path templates, `cairn render` and its output folder.
    InvalidTemplate = "E0940", Error, "a template's `template.yaml` does not have the template shape";
    TemplateFileMissing = "E0941", Error, "a template's output names a template file that is not in its folder";
    TemplateSyntax = "E0942", Error, "a template file is not valid minijinja (Jinja2) syntax";
    TemplateUndefined = "E0943", Error, "a template reads a variable or attribute that is not defined";
    TemplateFailed = "E0944", Error, "a template failed while it rendered (an unknown filter or function, a bad argument, a failing lookup)";
    TemplateLimit = "E0945", Error, "a template ran out of fuel or recursed deeper than the limit";
    OutputTooLarge = "E0946", Error, "a rendered file is larger than the limit";
    UnsafeOutputPath = "E0947", Error, "a rendered output path leaves the output folder or is not a plain relative path";
    OutputCaseCollision = "E0948", Error, "two rendered output paths differ only in case";
    OutputConflict = "E0949", Error, "two sources render the same output path";
    TemplateWithoutSpec = "W0950", Warning, "a folder under `templates/` has no `template.yaml`, so nothing renders it";
    MissingWorkload = "W0951", Warning, "a template requires a workload the entity does not have, so it is not rendered for it";
    // E0920-E0939: resource definitions (`resources/`) and the requests matched to them (cairn-resources).
    InvalidResourceDefinition = "E0920", Error, "a resource definition in `resources/` does not have cairn's shape";
    UnknownResourceDefinitionKey = "E0921", Error, "a resource definition or one of its criteria has a key cairn does not know";
    DuplicateResourceDefinition = "E0922", Error, "two resource definitions have the same id";
    MissingResourceTemplate = "E0923", Error, "a resource definition's `files` names a template file that is not in the platform";
    InvalidResourceRequest = "E0924", Error, "an item of an environment's `resources` cannot be read as a request";
    DuplicateResourceRequest = "E0925", Error, "an environment requests two resources with the same name";
    ResourceNoMatch = "E0926", Error, "no resource definition matches a resource request";
    ResourceAmbiguous = "E0927", Error, "two resource definitions match a resource request equally specifically";
    ResourceParamsConflict = "E0928", Error, "requests for one shared resource give it different `params`";
    // E1001-E1039: self-service actions (`actions/`), their inputs and runs, and the workflows generated from them.
    InvalidAction = "E1001", Error, "an action does not have Port's action shape";
    InvalidActionIdentifier = "E1002", Error, "an action has no identifier, or one that breaks Port's identifier rule";
    InvalidTrigger = "E1003", Error, "an action's trigger type or operation is not one Port defines";
    ActionUnknownBlueprint = "E1004", Error, "an action or one of its inputs names a blueprint that does not exist";
    DuplicateAction = "E1005", Error, "two actions have the same identifier";
    InvalidUserInputs = "E1006", Error, "an action's `userInputs` cannot be read as Port's user inputs";
    InvalidCairnKey = "E1007", Error, "an action's `cairn` key does not have the shape its operation needs";
    EditUnknownField = "E1008", Error, "an edit's path names no field of the action's blueprint";
    ActionTemplateMissing = "E1009", Error, "an action names a template file that is not beside it";
    UnknownInput = "E1010", Error, "a run gives a value for an input the action does not declare";
    InvalidInput = "E1011", Error, "a run's input value breaks the action's `userInputs`";
    MissingInput = "E1012", Error, "a run gives no value for a required input";
    InputUnknownEntity = "E1013", Error, "an entity, team or user input names one that does not exist";
    ActionExpression = "E1014", Error, "an action's expression or template failed";
    UnsafeActionPath = "E1015", Error, "a path an action renders leaves the platform or is not a plain relative path";
    InvalidNewEntity = "E1016", Error, "the first file a CREATE action renders is not exactly one entity of the action's blueprint";
    EntityExists = "E1017", Error, "a CREATE action would declare an entity that already exists";
    InvalidRunTarget = "E1018", Error, "a run names no entity, or one the action cannot act on";
    ActionNotRunnable = "E1019", Error, "an action is not a self-service action that `cairn run` can run";
    UnknownAction = "E1020", Error, "a run names an action the platform does not declare";
    TooManyWorkflowInputs = "W1030", Warning, "an action has more inputs than a `workflow_dispatch` workflow can take";
    StaleWorkflow = "W1031", Warning, "a committed action workflow differs from the one `cairn actions workflows` generates";
    OrphanWorkflow = "W1032", Warning, "a committed action workflow names no action";
    // E1040-E1049: edits an action makes to YAML and JSON files (cairn-edit).
    EditUnreadable = "E1040", Error, "a file an action edits does not parse, so it is not edited";
    EditNoDocument = "E1041", Error, "no document of the edited file is at the place the edit names";
    EditPathConflict = "E1042", Error, "an edit's path goes through a value that is not a mapping or a list";
    EditNotVerified = "E1043", Error, "an edited file would not read back as the edited value, so the edit is refused";
    EditAnchored = "E1044", Error, "an edit would change a value shared through a YAML anchor and its aliases";
    // E1050-E1059: an action's change applied to the platform's files (`cairn run`, cairn-engine).
    ChangeCreatesExisting = "E1050", Error, "a change creates a file the platform already has";
    ChangeFileMissing = "E1051", Error, "a change edits or removes a document of a file the platform does not have";
    UnsafeChangePath = "E1052", Error, "a change names a path that is not a plain relative path inside the platform";
    ChangePathConflict = "E1053", Error, "a change creates a file where the platform has a folder, under a file, or differing only in case from a path it has";
    ChangeDocumentRemoved = "E1054", Error, "a change edits a document an earlier change of the same run removed";
    // E1060-E1069, W1070-W1079: automations (`trigger.type: automation` under `actions/`) and the runs they make.
    UnknownEvent = "E1060", Error, "an automation's `trigger.event.type` is not an event Port defines";
    InvalidAutomation = "E1061", Error, "an automation's event, condition or `cairn` key does not have Port's or cairn's shape";
    AutomationTimerProperty = "E1062", Error, "a timer automation names a property that is not a `format: timer` property of its blueprint";
    AutomationCondition = "E1063", Error, "an automation's condition is not of type JQ, or one of its expressions does not compile";
    AutomationUnknownAction = "E1064", Error, "an automation's `cairn.run` names an action the platform does not declare";
    AutomationActionNotRunnable = "E1065", Error, "an automation's `cairn.run` names a CREATE action or an automation, which cannot act on the event's entity";
    AutomationOtherBlueprint = "E1066", Error, "an automation's `cairn.run` names an action on another blueprint than its event's";
    AutomationUnknownInput = "E1067", Error, "an automation's `cairn.inputs` names an input the action it runs does not declare";
    AutomationNotRun = "W1070", Warning, "an automation has no `cairn.run`, so it is read and listed but never run";
    RunEventNotFired = "W1071", Warning, "an automation waits for an action run event, which cairn never fires";
    // W1080: lifetimes (docs/lifetimes.md).
    ExpiredEnvironment = "W1080", Warning, "an environment has expired and is still declared: its teardown is due";
    // E1100-E1119: scorecards (`scorecards/`, docs/scorecards.md).
    InvalidScorecard = "E1100", Error, "a scorecard does not have Port's scorecard shape";
    ScorecardUnknownBlueprint = "E1101", Error, "a scorecard names a blueprint the catalog does not declare";
    ScorecardUnknownProperty = "E1102", Error, "a scorecard's rule or filter tests a property its blueprint does not declare";
    ScorecardUnknownRelation = "E1103", Error, "a scorecard's rule or filter tests a relation its blueprint does not declare";
    ScorecardUnknownLevel = "E1104", Error, "a scorecard's rule names a level the scorecard does not declare";
    ScorecardRuleOnBaseLevel = "E1105", Error, "a scorecard's rule is on the base (first) level, which holds no rules";
    DuplicateScorecardRule = "E1106", Error, "two rules of one scorecard have the same identifier";
    DuplicateScorecard = "E1107", Error, "two scorecards of one blueprint have the same identifier";
    DuplicateScorecardLevel = "E1108", Error, "two levels of one scorecard have the same title";
    ScorecardNoLevels = "E1109", Error, "a scorecard declares no levels, so it has no base level";
    ScorecardRegoRule = "E1110", Error, "a scorecard's Rego rule could not be evaluated, so it counts as failed";
}

impl Code {
    /// Whether a finding with this code means the platform's rules could not be evaluated (a
    /// broken policy set), which is exit code 2 rather than 1.
    #[must_use]
    pub fn breaks_rules(self) -> bool {
        matches!(
            self,
            Code::PolicySyntax | Code::PolicyRuntime | Code::PolicyResult | Code::PolicyMetadata | Code::PolicyLimit
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Snapshots the whole registry, so that a renamed or renumbered code is a visible change.
    #[test]
    fn registry_is_stable() {
        let table: Vec<String> =
            Code::ALL.iter().map(|code| format!("{code} {:<7} {}", code.default_severity(), code.summary())).collect();
        let table = table.join("\n");
        insta::assert_snapshot!(table);
    }

    /// The table of docs/diagnostics.md is the registry's, so the docs never go stale.
    #[test]
    fn docs_list_every_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md");
        let docs = std::fs::read_to_string(&path).expect("docs/diagnostics.md exists");
        let rows: Vec<String> = Code::ALL
            .iter()
            .map(|code| format!("| `{code}` | {} | {} |", code.default_severity(), code.summary()))
            .collect();
        let table = format!("| code | severity | meaning |\n| --- | --- | --- |\n{}\n", rows.join("\n"));
        let start = docs.find("<!-- codes:start -->\n").expect("start marker") + "<!-- codes:start -->\n".len();
        let end = docs.find("<!-- codes:end -->").expect("end marker");
        if docs[start..end] != table {
            if std::env::var_os("CAIRN_UPDATE_DOCS").is_some() {
                std::fs::write(&path, format!("{}{table}{}", &docs[..start], &docs[end..])).expect("write the docs");
            } else {
                panic!("docs/diagnostics.md is stale: run `CAIRN_UPDATE_DOCS=1 cargo test -p cairn-diagnostics`");
            }
        }
    }

    #[test]
    fn names_are_unique_and_prefixed_by_severity() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} is declared twice");
            let prefix = match code.default_severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.as_str().starts_with(prefix), "{code} has the wrong prefix");
            assert_eq!(Code::from_name(code.as_str()), Some(*code));
        }
    }
}
