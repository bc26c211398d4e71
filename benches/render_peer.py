#!/usr/bin/env python3
"""The peer of `cairn render` in the render benchmark: a Python script with Jinja2, as a platform
team would write one instead of cairn, rendering the same templates over the same catalog.

    render_peer.py PLATFORM_DIR OUT_DIR

It reads the same files cairn reads (blueprints/, the entity files under catalog/ and
environments/, templates/*/template.yaml and the template files beside them), builds the template
context of docs/golden-paths.md (the subset the benchmark's templates use: `entity`, `environment`,
`components`), renders every output and writes the same bytes to the same paths under OUT_DIR:
into a temporary folder beside it, then moved into place, as `cairn render` does. OUT_DIR must not
exist. No help from cairn: YAML is read by PyYAML (with libyaml), one process, one thread.

What it supports is what benches/render/templates needs: `each` of entity, deployment (an entity in
each environment whose `components` relation lists it) and environment; a `where` of `=` rules on
properties; cairn's `slug` and `quote` filters. The Jinja2 environment mirrors minijinja's defaults,
which cairn-render keeps (strict undefined, no auto-escaping, no trimming of blocks, and the one
newline that ends a template file dropped); if cairn-render ever changes one of them, change it
here too, or the bytes will differ and render_bench.py will say so.
"""

import json
import os
import re
import sys
from pathlib import Path

import jinja2
import yaml

try:
    LOADER = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml: slower, same values
    LOADER = yaml.SafeLoader

# minijinja's default; Jinja2's too.
KEEP_TRAILING_NEWLINE = True


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    platform, out = Path(sys.argv[1]), Path(sys.argv[2])
    if out.exists():
        sys.exit(f"render_peer.py: {out} exists: it writes a new folder, as `cairn render` does")
    blueprints = read_blueprints(platform)
    entities = read_entities(platform)
    files = render_all(platform, blueprints, entities)
    write_all(out, files)
    print(f"rendered {len(files)} files ({sum(len(data) for data in files.values())} bytes)")


def load(path):
    with open(path, "rb") as file:
        return yaml.load(file, Loader=LOADER)


def read_blueprints(platform):
    """Blueprint identifier -> {relation name: (target blueprint, many)}."""
    blueprints = {}
    for path in sorted((platform / "blueprints").glob("*.yaml")):
        blueprint = load(path)
        relations = blueprint.get("relations") or {}
        blueprints[blueprint["identifier"]] = {
            name: (relation["target"], bool(relation.get("many"))) for name, relation in relations.items()
        }
    return blueprints


def read_entities(platform):
    """(blueprint, identifier) -> the entity's document, from catalog/ and environments/."""
    entities = {}
    for folder in ("catalog", "environments"):
        for directory, _, names in os.walk(platform / folder):
            for name in names:
                if name.endswith((".yaml", ".yml")):
                    document = load(Path(directory) / name)
                    for entity in document if isinstance(document, list) else [document]:
                        entities[(entity["blueprint"], entity["identifier"])] = entity
    return entities


def teams_of(entity):
    team = entity.get("team")
    if team is None:
        return []
    return team if isinstance(team, list) else [team]


def view(entity):
    return {
        "identifier": entity["identifier"],
        "title": entity.get("title", entity["identifier"]),
        "blueprint": entity["blueprint"],
        "team": teams_of(entity),
        "properties": entity.get("properties") or {},
    }


class Catalog:
    def __init__(self, blueprints, entities):
        self.blueprints = blueprints
        self.entities = entities

    def target(self, blueprint, identifier):
        found = self.entities.get((blueprint, identifier))
        return view(found) if found is not None else None

    def full(self, entity):
        """A view with `teams` and its relations resolved to views (a relation that names no
        entity is left out of a list, and none for a single one)."""
        result = view(entity)
        teams = (self.target("_team", team) for team in result["team"])
        result["teams"] = [team for team in teams if team is not None]
        relations = {}
        written = entity.get("relations") or {}
        for name, (blueprint, many) in self.blueprints.get(entity["blueprint"], {}).items():
            value = written.get(name)
            if many:
                names = value if isinstance(value, list) else ([value] if value else [])
                targets = (self.target(blueprint, target) for target in names)
                relations[name] = [target for target in targets if target is not None]
            else:
                relations[name] = self.target(blueprint, value) if isinstance(value, str) else None
        result["relations"] = relations
        return result


def slug(value):
    """A DNS-1123 label: lowercase a-z, 0-9 and `-`, at most 63 characters, no `-` at either end."""
    text = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")
    return text[:63].rstrip("-")


def quote(value):
    """A double-quoted string valid in YAML and in JSON."""
    return json.dumps(str(value), ensure_ascii=False)


def environment():
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=KEEP_TRAILING_NEWLINE,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["slug"] = slug
    env.filters["quote"] = quote
    return env


def matches(entity, where):
    if not where:
        return True
    properties = entity.get("properties") or {}
    results = []
    for rule in where.get("rules", []):
        if rule.get("operator") != "=" or "property" not in rule:
            sys.exit(f"render_peer.py: only `=` rules on properties are supported, not {rule}")
        results.append(properties.get(rule["property"]) == rule["value"])
    return all(results) if where.get("combinator", "and") == "and" else any(results)


def render_all(platform, blueprints, entities):
    """Output path -> bytes, for every template under templates/."""
    env = environment()
    catalog = Catalog(blueprints, entities)
    environments = sorted(
        (entity for (blueprint, _), entity in entities.items() if blueprint == "Environment"),
        key=lambda entity: entity["identifier"],
    )
    files = {}
    for definition_path in sorted((platform / "templates").glob("*/template.yaml")):
        folder = definition_path.parent
        definition = load(definition_path)
        outputs = [
            (env.from_string(output["path"]), env.from_string((folder / output["template"]).read_text(encoding="utf-8")))
            for output in definition["outputs"]
        ]
        base = {"template": {"name": folder.name}}
        for context in contexts(definition, catalog, entities, environments):
            context = {**base, **context}
            for path, template in outputs:
                target = path.render(context)
                if target in files:
                    sys.exit(f"render_peer.py: two outputs write {target}")
                files[target] = template.render(context).encode("utf-8")
    return files


def contexts(definition, catalog, entities, environments):
    each, blueprint, where = definition["each"], definition.get("blueprint"), definition.get("where")
    if each == "entity":
        for (kind, _), entity in sorted(entities.items()):
            if kind == blueprint and matches(entity, where):
                yield {"entity": catalog.full(entity)}
    elif each == "environment":
        for env in environments:
            deployed = ((env.get("relations") or {}).get("components")) or []
            components = [catalog.target("Component", name) for name in deployed]
            yield {"environment": catalog.full(env), "components": [c for c in components if c is not None]}
    elif each == "deployment":
        for env in environments:
            environment_view = catalog.full(env)
            for name in ((env.get("relations") or {}).get("components")) or []:
                entity = entities.get((blueprint, name))
                if entity is not None and matches(entity, where):
                    yield {"entity": catalog.full(entity), "environment": environment_view}
    else:
        sys.exit(f"render_peer.py: `each: {each}` is not supported")


def write_all(out, files):
    temporary = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    folders = sorted({os.path.dirname(path) for path in files})
    for folder in folders:
        (temporary / folder).mkdir(parents=True, exist_ok=True)
    temporary.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        (temporary / path).write_bytes(data)
    temporary.rename(out)


if __name__ == "__main__":
    main()
