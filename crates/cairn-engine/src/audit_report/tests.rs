use cairn_model::Settings;

use super::*;

#[test]
fn rule_files_are_classified_by_the_layout() {
    let layout = Layout::new(&Settings::default());
    let kinds: Vec<Option<RuleKind>> = [
        "cairn.yaml",
        "blueprints/service.yaml",
        "policies/tiers.rego",
        "policies/tiers_test.rego",
        "exceptions/ledger.yaml",
        "templates/service/template.yaml",
        "resources/postgres.yaml",
        "scorecards/readiness.yaml",
        "actions/extend-ttl.yaml",
        "catalog/cart.yaml",
        "README.md",
    ]
    .iter()
    .map(|path| RuleKind::of(&layout, path))
    .collect();
    assert_eq!(
        kinds,
        [
            Some(RuleKind::Settings),
            Some(RuleKind::Blueprint),
            Some(RuleKind::Policy),
            Some(RuleKind::Policy),
            Some(RuleKind::Waiver),
            Some(RuleKind::Template),
            Some(RuleKind::Resource),
            Some(RuleKind::Scorecard),
            Some(RuleKind::Action),
            None,
            None,
        ]
    );
}

#[test]
fn findings_compare_by_code_entity_or_file_and_message_not_position() {
    let at = |file: &str, line| ReportFinding {
        code: "E0303".into(),
        entity: None,
        file: Some(file.into()),
        line: Some(line),
        column: Some(1),
        message: "bad".into(),
    };
    assert_eq!(at("a.yaml", 1).key(), at("a.yaml", 9).key());
    assert_ne!(at("a.yaml", 1).key(), at("b.yaml", 1).key());
    let entity = EntityRef::parse("service:cart").expect("a reference");
    let (mut here, mut there) = (at("a.yaml", 1), at("b.yaml", 4));
    here.entity = Some(entity.clone());
    there.entity = Some(entity);
    assert_eq!(here.key(), there.key(), "an entity moved to another file keeps its finding");
}

/// The report as the module's note defines it, computed the plain way: every change's platform
/// read whole and judged from scratch, by its own rules, by its parent's (`check_by_rules_of`),
/// and its parent by its own rules at its own time and at the change's.
fn reference(source: &Source) -> AuditReport {
    let log = source.log(false).expect("git").expect("a log");
    let open = |commit| source.at_commit(commit).expect("git").expect("a commit");
    let date = |commit: &cairn_source::LogCommit| AuditCommit::of(commit, 0).date;
    let mut report = AuditReport {
        head: source.commit(),
        prefix: String::new(),
        since: None,
        until: None,
        changes: Vec::new(),
        violations: Vec::new(),
    };
    let (mut open_violations, mut inherited) = (BTreeMap::new(), None);
    for (position, commit) in log.iter().enumerate().rev() {
        let Some(after) = open(commit.id) else { continue };
        let now = date(commit);
        let parent = commit.parents.first().map(|parent| (open(*parent), &log[position + 1]));
        let own = crate::check(&after, now).expect("a check");
        let change = if let Some((Some(before), parent)) = parent {
            if before.tree() == after.tree() {
                continue;
            }
            let then = crate::check(&before, date(parent)).expect("a check");
            let was = crate::check(&before, now).expect("a check");
            inherited.get_or_insert_with(|| keys(&then));
            let judged = crate::check_by_rules_of(&before, &after, now).expect("a check");
            let mut seen: BTreeSet<FindingKey> = keys(&then).union(&keys(&was)).cloned().collect();
            let introduced = errors(&judged).filter(|finding| seen.insert(finding.key())).collect();
            let loaded = crate::load(&before).expect("a load");
            let rules = Judged {
                commit: parent.id,
                source: before.clone(),
                loaded,
                outcome: then,
                entity_findings: Vec::new(),
            };
            let (errors, rules_broken) = tally(&judged);
            let entities = entity_counts(&rules.outcome.catalog, &own.catalog);
            let rule_files = rule_files(&rules, &after).expect("a diff");
            Assessed { entities, rule_files, errors, rules_broken, introduced }
        } else {
            inherited.get_or_insert_with(BTreeSet::new);
            let loaded = crate::load(&after).expect("a load");
            let outcome = crate::check(&after, now).expect("a check");
            judge_first(&Judged {
                commit: commit.id,
                source: after.clone(),
                loaded,
                outcome,
                entity_findings: Vec::new(),
            })
        };
        let index = report.changes.len();
        report.changes.push(change.into_change(AuditCommit::of(commit, position), commit.signed));
        track(&mut report, &mut open_violations, inherited.get_or_insert_with(BTreeSet::new), &own, index);
    }
    report
}

/// What the report says, a line per change and per violation.
fn shown(report: &AuditReport) -> Vec<String> {
    let changes = report.changes.iter().map(|change| {
        let files: Vec<String> = change
            .rule_files
            .iter()
            .map(|file| format!("{} {} {}", file.edit.as_str(), file.kind.as_str(), file.path))
            .collect();
        let introduced: Vec<String> =
            change.introduced.iter().map(|finding| format!("{} {}", finding.code, finding.key().1)).collect();
        format!(
            "{}: {:?} rules {files:?} errors {} broken {} introduced {introduced:?}",
            change.commit.subject, change.entities, change.errors, change.rules_broken
        )
    });
    let violations = report.violations.iter().map(|violation| {
        format!(
            "{} {} from {} to {:?}, {} commits, {:?} s",
            violation.finding.code,
            violation.finding.key().1,
            report.changes[violation.introduced].commit.subject,
            violation.removed.map(|removed| &report.changes[removed].commit.subject),
            violation.commits,
            violation.seconds
        )
    });
    changes.chain(violations).collect()
}

/// A history with everything the walk shortcuts around: a waiver that expires between two
/// changes (the error it held back is not the later change's doing), a catalog policy (it sees
/// the change, so every change is judged twice), a blueprint change that breaks an entity the
/// change did not touch, a commit that changes nothing of the platform, an entity broken and
/// fixed, a merge, and `cairn.yaml` changed. The walk agrees with the plain computation.
#[test]
fn the_walk_agrees_with_judging_every_change_from_scratch() {
    let repo = crate::testing::Repo::with(crate::testing::CLEAN);
    let cart_without_lifecycle = "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\nrelations:\n  system: checkout\n";
    repo.write("catalog/cart.yaml", cart_without_lifecycle).write(
        "exceptions/cart.yaml",
        "rule: E0303\nentities: [Component:cart]\nowner: payments\nreason: deciding\nexpires: 2023-11-14\n",
    );
    repo.commit("Start, cart waived until the 14th");
    repo.write("catalog/web.yaml", "identifier: web\nblueprint: Component\nteam: payments\nproperties:\n  type: website\n  lifecycle: production\nrelations:\n  system: checkout\n");
    repo.commit("Add web");
    repo.later(120);
    repo.commit("Nothing, after the waiver ended");
    repo.write("catalog/web.yaml", "identifier: web\nblueprint: Component\nteam: payments\nproperties:\n  type: nonsense\n  lifecycle: production\nrelations:\n  system: checkout\n");
    repo.commit("Break web (#3)");
    repo.write(
        "policies/count.rego",
        "# METADATA\n# title: Few components\n# custom:\n#   code: COUNT001\npackage count\n\n\
         deny contains {\"msg\": \"too many components\"} if {\n\
         \tinput.blueprint == \"Component\"\n\
         \tcount(data.cairn.catalog.Component) > 2\n}\n",
    );
    repo.commit("A policy: at most two components");
    repo.git(&["checkout", "-q", "-b", "topic"]);
    repo.write("catalog/api.yaml", "identifier: api\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: checkout\n");
    repo.commit("Add api");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("catalog/web.yaml", "identifier: web\nblueprint: Component\nteam: payments\nproperties:\n  type: website\n  lifecycle: production\nrelations:\n  system: checkout\n");
    repo.commit("Fix web (#5)");
    repo.merge("topic", "Merge pull request #6 from acme/topic");
    repo.write("cairn.yaml", "version: 1\nlibrary:\n  policies: false\n");
    repo.commit("Settings");
    let checkout = std::fs::read_to_string(repo.path().join("catalog/checkout.yaml")).expect("the system");
    repo.remove("catalog/checkout.yaml");
    repo.commit("Drop the checkout system");
    repo.write("catalog/checkout.yaml", &checkout);
    repo.commit("Bring checkout back");
    repo.remove("catalog/api.yaml");
    repo.commit("Drop api");

    let head = repo.at("HEAD");
    let walked = audit_report(&head, &ReportOptions::default()).expect("a report");
    let plain = reference(&head);
    assert_eq!(shown(&walked), shown(&plain));
    // The history shows what it was made to show: the empty commit is not a change, the
    // waiver's end is no change's doing, and the policy counts the merged component.
    let shown = shown(&walked);
    let line = |subject: &str| shown.iter().find(|line| line.starts_with(subject)).cloned().unwrap_or_default();
    assert_eq!(line("Nothing"), "", "{shown:#?}");
    assert!(line("Break web").ends_with(r#"introduced ["E0303 Component:web"]"#), "{shown:#?}");
    assert!(line("Merge pull request #6").contains(r#"introduced ["COUNT001 Component:api""#), "{shown:#?}");
    // The components did not change, but what they relate to did: they are judged again.
    assert!(line("Drop the checkout system").contains("Component:cart"), "{shown:#?}");
    assert!(line("Bring checkout back").contains("introduced []"), "{shown:#?}");
}
