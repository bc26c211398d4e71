use super::*;

fn read(path: &str, text: &str) -> (Vec<Definition>, Vec<Diagnostic>) {
    read_definitions(path, text.as_bytes(), &Limits::default())
}

/// Each finding as `CODE line:column message`.
fn located(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let location = d.location.as_ref().expect("located");
            format!("{} {}:{} {}", d.code, location.start.line, location.start.column, d.message)
        })
        .collect()
}

#[test]
fn reads_the_documented_shape() {
    let (definitions, diagnostics) = read(
        "resources/postgres/container.yaml",
        "id: postgres-container\ntype: postgres\ndescription: A container\ncriteria:\n  - environment-type: development\n  - {environment: staging, class: large}\noutputs:\n  host: \"{{ resource.id }}.svc\"\n  port: 5432\nfiles:\n  \"{{ environment.identifier }}/db.yaml\": container.yaml.j2\n  \"x.yaml\": ../shared/./base.j2\n",
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let definition = &definitions[0];
    assert_eq!((definition.id.as_str(), definition.r#type.as_str()), ("postgres-container", "postgres"));
    assert_eq!(definition.description.as_deref(), Some("A container"));
    assert_eq!(definition.criteria.len(), 2);
    assert_eq!(definition.criteria[0].environment_type.as_deref(), Some("development"));
    assert_eq!(definition.criteria[0].class(), "default");
    assert_eq!(definition.criteria[1].describe(), "environment: staging, class: large");
    assert_eq!(definition.outputs["host"], "{{ resource.id }}.svc");
    assert_eq!(definition.outputs["port"], "5432");
    assert_eq!(
        definition.files,
        [
            ("{{ environment.identifier }}/db.yaml".to_owned(), "resources/postgres/container.yaml.j2".to_owned()),
            ("x.yaml".to_owned(), "resources/shared/base.j2".to_owned()),
        ]
    );
    assert_eq!(definition.place(), "resources/postgres/container.yaml:1");
    assert_eq!(definition.provenance(), "resources/postgres/container.yaml#postgres-container");
}

#[test]
fn a_file_holds_documents_or_a_list_and_no_criteria_match_everything_of_the_default_class() {
    let (definitions, diagnostics) =
        read("resources/a.yaml", "id: a\ntype: redis\n---\n- id: b\n  type: redis\n  criteria: []\n");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let ids: Vec<&str> = definitions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    for definition in &definitions {
        assert_eq!(definition.criteria.len(), 1);
        assert_eq!(definition.criteria[0].describe(), "class: default");
    }
    let (definitions, diagnostics) = read("resources/c.json", r#"{"id": "c", "type": "dns"}"#);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(definitions[0].id, "c");
}

#[test]
fn bad_shapes_are_located_findings() {
    let (definitions, diagnostics) = read(
        "resources/bad.yaml",
        "id: pg\ntyp: postgres\ncriteria:\n  - environment_type: development\n  - environment: 3\n  - nope\noutputs: [a]\nfiles:\n  a: ../../../etc/passwd\n  b: /abs\n  c: {x: 1}\n",
    );
    assert!(definitions.is_empty());
    assert_eq!(
        located(&diagnostics),
        [
            "E0921 2:1 unknown key `typ` in a resource definition",
            "E0920 1:1 the resource definition has no `type`",
            "E0921 4:5 unknown key `environment_type` in a set of matching criteria",
            "E0920 5:18 `environment` is a number, not a text",
            "E0920 6:5 an item of `criteria` is a string, not a mapping",
            "E0920 7:10 `outputs` is a list, not a mapping of names to template texts",
            "E0920 9:6 the template file `../../../etc/passwd` leads out of the platform",
            "E0920 10:6 the template file `/abs` is not a relative path with `/` between its folders",
            "E0920 11:6 the template file of `c` is a mapping, not a path",
        ]
    );
    assert!(diagnostics[0].help.as_deref().unwrap_or_default().starts_with("did you mean `type`?"));
    assert!(diagnostics[2].help.as_deref().unwrap_or_default().starts_with("did you mean `environment-type`?"));
}

#[test]
fn a_document_without_id_and_type_hints_at_template_files() {
    let (definitions, diagnostics) = read("resources/pg/container.yaml", "apiVersion: v1\nkind: Service\n");
    assert!(definitions.is_empty());
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::UnknownResourceDefinitionKey,
            Code::UnknownResourceDefinitionKey,
            Code::InvalidResourceDefinition,
            Code::InvalidResourceDefinition
        ]
    );
    assert!(diagnostics[3].help.as_deref().unwrap_or_default().contains("name it `.j2`"));
}

#[test]
fn duplicate_ids_name_both_places_and_missing_templates_are_found() {
    let (mut definitions, _) = read("resources/a.yaml", "id: pg\ntype: postgres\nfiles:\n  out.yaml: here.j2\n");
    let (second, _) = read("resources/b.yaml", "\n\nid: pg\ntype: postgres\n");
    definitions.extend(second);
    let diagnostics = check_definitions(&definitions, |path| path == "resources/b.j2");
    assert_eq!(
        located(&diagnostics),
        [
            "E0923 4:13 the template file `resources/here.j2` of the resource definition `pg` does not exist",
            "E0922 3:5 the resource definition `pg` is declared twice (first at resources/a.yaml:1)",
        ]
    );
    assert_eq!(diagnostics[1].related[0].location.file, "resources/a.yaml");
    assert!(check_definitions(&definitions[..1], |path| path == "resources/here.j2").is_empty());
}
