use super::*;

/// Reads `text` as `score.yaml`.
pub(crate) fn read_text(text: &str) -> (Option<Workload>, Vec<Diagnostic>) {
    let (_, workload, diagnostics) = read("catalog/web/score.yaml", text.as_bytes(), &Limits::default());
    (workload, diagnostics)
}

/// Each finding as `CODE line:column message`.
pub(crate) fn findings(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let at = diagnostic.location.as_ref().map_or(cairn_diagnostics::Position::START, |location| location.start);
            format!("{} {}:{} {}", diagnostic.code, at.line, at.column, diagnostic.message)
        })
        .collect()
}

fn schema_findings(text: &str) -> Vec<String> {
    findings(&read_text(text).1)
}

/// Score's own sample of every field, score-spec/spec `samples/score-full.yaml`, in cairn's words.
pub(crate) const FULL: &str = r#"apiVersion: score.dev/v1b1
metadata:
  name: payments
  annotations:
    example.com/team: payments
  extra: value
service:
  ports:
    www:
      port: 80
      targetPort: 8080
    admin:
      port: 9000
      protocol: UDP
containers:
  api:
    image: registry.example.com/payments:1.2
    command: ["/bin/server"]
    args: ["--port", "8080"]
    variables:
      DB_HOST: ${resources.db.host}
      NAME: ${metadata.name}
      LITERAL: $${not.a.placeholder}
    files:
      /etc/app/config.yaml:
        mode: "0644"
        content: |
          host: ${resources.db.host}
      /etc/app/raw.txt:
        content: ${untouched}
        noExpand: true
    volumes:
      /data:
        source: ${resources.storage}
        readOnly: true
    resources:
      limits:
        memory: 512Mi
        cpu: 500m
      requests:
        memory: 1.5Gi
        cpu: "0.25"
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
    readinessProbe:
      exec:
        command: ["/bin/ready"]
  sidecar:
    image: busybox
    before:
      api:
        ready: started
resources:
  db:
    type: postgres
    class: large
    id: main-db
    params:
      database: ${metadata.name}
  storage:
    type: volume
"#;

#[test]
fn a_full_workload_is_read_without_findings() {
    let (workload, diagnostics) = read_text(FULL);
    assert_eq!(findings(&diagnostics), Vec::<String>::new());
    let workload = workload.expect("a workload");
    assert!(workload.valid);
    assert_eq!(workload.name, "payments");
    assert_eq!(workload.file.position(workload.name_span.start), cairn_diagnostics::Position { line: 3, column: 9 });
    assert_eq!(workload.containers.keys().collect::<Vec<_>>(), ["api", "sidecar"]);
    let api = &workload.containers["api"];
    assert_eq!(api.image.as_deref(), Some("registry.example.com/payments:1.2"));
    assert_eq!(api.args, ["--port", "8080"]);
    assert_eq!(api.command, ["/bin/server"]);
    assert_eq!(api.variables["NAME"], "${metadata.name}");
    assert_eq!(
        workload.ports["www"],
        Port { span: workload.ports["www"].span, port: 80, target_port: 8080, protocol: "TCP".into() }
    );
    assert_eq!(workload.ports["admin"].target_port, 9000);
    assert_eq!(workload.ports["admin"].protocol, "UDP");
    let db = &workload.resources["db"];
    assert_eq!(
        (db.r#type.as_str(), db.class.as_deref(), db.id.as_deref()),
        ("postgres", Some("large"), Some("main-db"))
    );
    assert_eq!(db.params, serde_json::json!({"database": "${metadata.name}"}));
    assert_eq!(workload.file.position(db.span.start), cairn_diagnostics::Position { line: 57, column: 11 });
    assert_eq!(workload.resources["storage"].params, serde_json::json!({}));
    assert_eq!(workload.document["metadata"]["extra"], "value");
}

#[test]
fn the_deprecated_list_forms_of_files_and_volumes_are_accepted() {
    let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: nginx\n    files:\n      - target: /etc/x\n        content: x\n    volumes:\n      - source: data\n        target: /data\n";
    assert_eq!(schema_findings(text), Vec::<String>::new());
}

#[test]
fn each_schema_violation_is_placed_on_its_key_or_value() {
    let text = r"apiVersion: score.dev/v1b2
metadata:
  name: Web_App
containers:
  main:
    imag: nginx
    variables:
      PORT: 8080
    resources:
      limits:
        memory: lots
  Bad_Name:
    image: x
service:
  ports:
    www:
      port: 70000
      protocol: tcp
resources:
  db:
    class: x
extra: 1
";
    assert_eq!(
        schema_findings(text),
        [
            "E0901 1:13 `apiVersion` is `score.dev/v1b2`, which does not match `^score\\.dev/v1b1$`",
            "E0901 3:9 `metadata.name` is `Web_App`, which does not match `^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$`",
            "E0901 5:3 `containers.main` has no `image`, which Score requires",
            "E0901 6:5 `containers.main` has `imag`, which Score does not allow",
            "E0901 8:13 `containers.main.variables.PORT` is the number `8080`, not a string",
            "E0901 11:17 `containers.main.resources.limits.memory` is `lots`, which does not match `^(0\\.\\d+|[1-9]\\d*(\\.\\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$`",
            "E0901 12:3 `containers` has the key `Bad_Name`, which does not match `^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$`",
            "E0901 17:13 `service.ports.www.port` is `70000`, above the maximum of 65535",
            "E0901 18:17 `service.ports.www.protocol` is `tcp`, which is not one of `TCP`, `UDP`",
            "E0901 20:3 `resources.db` has no `type`, which Score requires",
            "E0901 21:12 `resources.db.class` is `x`, shorter than the minimum of 2 characters",
            "E0901 21:12 `resources.db.class` is `x`, which does not match `^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$`",
            "E0901 22:1 the workload has `extra`, which Score does not allow",
        ]
    );
}

#[test]
fn a_missing_required_key_and_an_empty_containers_are_findings() {
    assert_eq!(
        schema_findings("metadata:\n  name: web\ncontainers: {}\n"),
        [
            "E0901 1:1 the workload has no `apiVersion`, which Score requires",
            "E0901 3:13 `containers` has fewer than 1 entries",
        ]
    );
    let (workload, diagnostics) = read_text("apiVersion: score.dev/v1b1\nmetadata: {}\ncontainers: {a1: {image: x}}\n");
    assert!(workload.is_none(), "no name, no workload");
    assert_eq!(findings(&diagnostics), ["E0901 2:1 `metadata` has no `name`, which Score requires"]);
}

#[test]
fn files_take_exactly_one_source_of_content_and_no_target_in_the_mapping_form() {
    let text = r#"apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx
    files:
      /etc/a:
        mode: "0644"
      /etc/b:
        content: x
        source: ./b
      /etc/c:
        target: /etc/c
        content: x
      /etc/d:
        content: 7
    livenessProbe: {}
"#;
    assert_eq!(
        schema_findings(text),
        [
            "E0901 7:7 `containers.main.files./etc/a` has none of `content`, `binaryContent`, `source`, and Score requires one",
            "E0901 9:7 `containers.main.files./etc/b` sets `content` and `source`, but Score takes exactly one of them",
            "E0901 13:9 `containers.main.files./etc/c` has `target`, which only the deprecated list form takes",
            "E0901 16:18 `containers.main.files./etc/d.content` is the number `7`, not a string",
            "E0901 17:5 `containers.main.livenessProbe` has none of `httpGet`, `exec`, and Score requires at least one",
        ]
    );
}

#[test]
fn an_unknown_key_gets_a_did_you_mean() {
    let (_, diagnostics) = read_text(
        "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers:\n  main:\n    image: x\n    varaibles: {}\n",
    );
    assert_eq!(diagnostics.len(), 1);
    let help = diagnostics[0].help.as_deref().unwrap_or_default();
    assert!(help.starts_with("did you mean `variables`?"), "{help}");
}

#[test]
fn a_second_document_is_a_finding_and_not_read() {
    let text = "apiVersion: score.dev/v1b1\nmetadata: {name: web}\ncontainers: {main: {image: x}}\n---\nmetadata: {name: other}\n";
    let (workload, diagnostics) = read_text(text);
    assert_eq!(workload.map(|workload| workload.name).as_deref(), Some("web"));
    assert_eq!(findings(&diagnostics), ["E0902 5:1 the Score file holds a second document, which is not read"]);
}

#[test]
fn a_document_that_is_not_a_mapping_is_not_a_workload() {
    let (workload, diagnostics) = read_text("- 1\n");
    assert!(workload.is_none());
    assert_eq!(diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["E0111"]);
}
