use super::*;
use crate::workload::tests::{FULL, findings, read_text};

fn workload(text: &str) -> Workload {
    read_text(text).0.expect("a workload")
}

fn expand_all(text: &str) -> (String, Vec<Code>) {
    let (out, problems) = expand(text, &mut |reference| Ok(format!("<{reference}>")));
    (out, problems.iter().map(|problem| problem.code).collect())
}

#[test]
fn escapes_and_unterminated_placeholders_follow_score_go() {
    assert_eq!(expand_all("a ${x} b"), ("a <x> b".to_owned(), vec![]));
    assert_eq!(expand_all("$${x}"), ("${x}".to_owned(), vec![]));
    assert_eq!(expand_all("$$"), ("$".to_owned(), vec![]));
    assert_eq!(expand_all("$$$"), ("$$".to_owned(), vec![]));
    assert_eq!(expand_all("cost $5"), ("cost $5".to_owned(), vec![]));
    // What an escape covers is not read again, up to its first `}`.
    assert_eq!(expand_all("$${a${b}}"), ("${a${b}}".to_owned(), vec![]));
    assert_eq!(expand_all("${a${b}}"), ("<a${b>}".to_owned(), vec![]));
    assert_eq!(expand_all("${}"), ("<>".to_owned(), vec![]));
    assert_eq!(expand_all("x ${open"), ("x ${open".to_owned(), vec![Code::PlaceholderUnterminated]));
    assert_eq!(expand_all("${open $${x}"), ("<open $${x>".to_owned(), vec![]));
    assert_eq!(expand_all("${open $$ x"), ("${open $ x".to_owned(), vec![Code::PlaceholderUnterminated]));
    assert_eq!(expand_all("é${x}ü"), ("é<x>ü".to_owned(), vec![]));
    assert_eq!(split(r"metadata.annotations.example\.com/team"), ["metadata", "annotations", "example.com/team"]);
}

#[test]
fn substitution_replaces_the_fields_score_substitutes() {
    let workload = workload(FULL);
    let outputs = serde_json::json!({"db": {"host": "db.internal", "port": 5432}, "storage": {}});
    let (document, diagnostics) = substitute(&workload, &outputs);
    assert_eq!(findings(&diagnostics), Vec::<String>::new());
    let api = &document["containers"]["api"];
    assert_eq!(api["variables"]["DB_HOST"], "db.internal");
    assert_eq!(api["variables"]["NAME"], "payments");
    assert_eq!(api["variables"]["LITERAL"], "${not.a.placeholder}");
    assert_eq!(api["files"]["/etc/app/config.yaml"]["content"], "host: db.internal\n");
    assert_eq!(api["files"]["/etc/app/raw.txt"]["content"], "${untouched}", "noExpand");
    assert_eq!(api["volumes"]["/data"]["source"], "storage", "a volume's source names the resource");
    assert_eq!(document["resources"]["db"]["params"]["database"], "payments");
    // `image`, `command` and `args` are not substituted, and the metadata keeps its text.
    assert_eq!(document["metadata"], workload.document["metadata"]);
}

#[test]
fn a_value_that_is_not_text_is_written_as_json_and_annotations_are_read_with_escaped_dots() {
    let text = r"apiVersion: score.dev/v1b1
metadata:
  name: web
  annotations:
    example.com/team: payments
containers:
  main:
    image: x
    variables:
      PORT: ${resources.db.port}
      ALL: ${resources.db.nested}
      DEEP: ${resources.db.nested.a}
      TEAM: ${metadata.annotations.example\.com/team}
resources:
  db: {type: postgres}
";
    let outputs = serde_json::json!({"db": {"port": 5432, "nested": {"a": [1, 2]}}});
    let (document, diagnostics) = substitute(&workload(text), &outputs);
    assert!(diagnostics.is_empty(), "{:?}", findings(&diagnostics));
    let variables = &document["containers"]["main"]["variables"];
    assert_eq!(variables["PORT"], "5432");
    assert_eq!(variables["ALL"], r#"{"a":[1,2]}"#);
    assert_eq!(variables["DEEP"], "[1,2]");
    assert_eq!(variables["TEAM"], "payments");
}

const WRONG: &str = r#"apiVersion: score.dev/v1b1
metadata:
  name: web
containers:
  main:
    image: x
    variables:
      A: ${resources.bd.host}
      B: ${resources.db.hots}
      C: ${metadata.nmae}
      D: ${resource.db.host}
      E: ${resources.db}
      F: "${open"
      G: ${resources.db.host.deeper}
resources:
  db: {type: postgres}
"#;

#[test]
fn unknown_resources_outputs_and_metadata_are_located_findings() {
    let outputs = serde_json::json!({"db": {"host": "h", "port": 1}});
    let (document, diagnostics) = substitute(&workload(WRONG), &outputs);
    assert_eq!(
        findings(&diagnostics),
        [
            "E0905 8:10 `containers.main.variables.A` uses `${resources.bd.host}`, but the workload declares no resource `bd`",
            "E0906 9:10 `containers.main.variables.B` uses `${resources.db.hots}`, but resource `db` has no output `hots`",
            "E0907 10:10 `containers.main.variables.C` uses `${metadata.nmae}`, but the workload's metadata has no `nmae`",
            "E0908 11:10 `containers.main.variables.D` uses `${resource.db.host}`, which reads neither `metadata` nor `resources`",
            "E0908 12:10 `containers.main.variables.E` uses `${resources.db}`, which names resource `db` but none of its outputs",
            "W0909 13:10 `containers.main.variables.F` has a `${` with no closing `}`, which Score keeps as written",
            "E0906 14:10 `containers.main.variables.G` uses `${resources.db.host.deeper}`, but resource `db` has no output `host.deeper`",
        ]
    );
    let helps: Vec<&str> = diagnostics.iter().filter_map(|d| d.help.as_deref()).collect();
    assert!(helps[0].starts_with("did you mean `db`?"), "{}", helps[0]);
    assert_eq!(helps[1], "did you mean `host`?");
    assert!(helps[2].starts_with("did you mean `name`?"), "{}", helps[2]);
    // A placeholder that does not resolve is left as written.
    assert_eq!(document["containers"]["main"]["variables"]["A"], "${resources.bd.host}");
}

#[test]
fn reading_checks_what_needs_no_outputs() {
    let (_, diagnostics) = read_text(WRONG);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    // Outputs are unknown when reading: `hots` and `host.deeper` are left to substitution.
    assert_eq!(codes, ["E0905", "E0907", "E0908", "E0908", "W0909"]);
}
