#!/usr/bin/env python3
"""Generate a synthetic, valid platform repo of N entities to benchmark `cairn check` against.

    generate.py N OUT_DIR [--git] [--render]

Writes OUT_DIR, the platform repo cairn reads (blueprints/, catalog/, environments/), and next
to it the same entities in the peers' formats:

    OUT_DIR-jsonschema/  <Blueprint>.schema.json (one per blueprint, describing a whole entity
                         file) and <Blueprint>/*.yaml, hard links to the entity files, for
                         check-jsonschema
    OUT_DIR-backstage/   one Backstage descriptor per entity, for backstage-validate.mjs

The output depends only on N: the generator is seeded with N and writes the same bytes every
run. With --git, OUT_DIR is also made a git repository holding one commit with a fixed author
and date (so the commit id is reproducible too), and cloned bare to OUT_DIR.git.

With --render, OUT_DIR also gets the render benchmark's golden-path templates (copied from
benches/render/templates into OUT_DIR/templates): a Deployment and a Service for each service
component in each environment whose `components` relation lists it, a Namespace for each
environment, and a Markdown page for each component. render_bench.py links a copy of the platform
repo and adds them with write_templates instead, so that `cairn check` keeps its repo as it is.

Reading the bundled blueprints needs ruamel.yaml, which requirements.txt installs (history.py,
which imports this module for its entities, does not read them and needs no ruamel.yaml).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

BLUEPRINTS = Path(__file__).resolve().parent.parent / "blueprints"
TEMPLATES = Path(__file__).resolve().parent / "render" / "templates"
MIN_ENTITIES = 100

# Identifier prefix of each blueprint's entities.
PREFIX = {
    "_team": "team",
    "Domain": "dom",
    "System": "sys",
    "Component": "svc",
    "API": "api",
    "Resource": "res",
    "Environment": "env",
}

LIFECYCLES = (["production", "experimental", "deprecated"], [70, 20, 10])
COMPONENT_TYPES = (["service", "worker", "website", "job", "library"], [50, 15, 10, 10, 15])
API_TYPES = (["openapi", "grpc", "asyncapi", "graphql"], [60, 20, 15, 5])
RESOURCE_TYPES = (["postgres", "mysql", "redis", "kafka-topic", "queue", "s3-bucket"], [30, 10, 15, 20, 10, 15])
VERSIONED_RESOURCES = {"postgres": ["14", "15", "16"], "mysql": ["8.0", "8.4"], "redis": ["6.2", "7.2"]}
LANGUAGES = (["Go", "Java", "Kotlin", "Python", "TypeScript", "Rust", "Ruby"], [25, 20, 10, 20, 15, 5, 5])
TAGS = ["customer-facing", "internal", "pci", "gdpr", "batch", "realtime", "legacy", "edge"]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"]
RESOURCE_SIZES = ["small", "medium", "large"]

# The characters Port allows in entity identifiers.
IDENTIFIER_PATTERN = r"^[A-Za-z0-9@_.+:/=-]+$"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help=f"number of entities (at least {MIN_ENTITIES})")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--git", action="store_true", help="commit OUT_DIR and clone it bare to OUT_DIR.git")
    parser.add_argument("--render", action="store_true", help="add the render benchmark's templates to OUT_DIR")
    args = parser.parse_args()
    if args.n < MIN_ENTITIES:
        parser.error(f"N must be at least {MIN_ENTITIES}")

    out = args.out_dir
    jsonschema_dir = sibling(out, "-jsonschema")
    backstage_dir = sibling(out, "-backstage")
    outputs = [out, jsonschema_dir, backstage_dir] + ([sibling(out, ".git")] if args.git else [])
    if existing := [str(path) for path in outputs if path.exists()]:
        sys.exit(f"generate.py: refusing to overwrite {', '.join(existing)}")

    blueprints = load_blueprints()
    entities = generate_entities(args.n, random.Random(args.n))
    write_cairn_repo(out, entities)
    write_jsonschema_tree(jsonschema_dir, out, blueprints, entities)
    write_backstage_tree(backstage_dir, entities)
    if args.render:
        write_templates(out)
    if args.git:
        commit_and_clone(out, args.n)


def sibling(path, suffix):
    return path.with_name(path.name + suffix)


def load_blueprints():
    # Imported here, not at the top: history.py imports this module for its entities and runs on
    # a bare Python 3, without the bench's venv.
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    blueprints = {}
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        blueprint = yaml.load(path)
        blueprints[blueprint["identifier"]] = blueprint
    return blueprints


# --- The entities --------------------------------------------------------------------------


def entity_counts(n):
    """How many entities of each blueprint make up N, in realistic proportions."""
    counts = {
        "_team": max(3, n // 50),
        "Domain": max(3, n // 2000),
        "System": max(5, n // 100),
        "API": n * 20 // 100,
        "Resource": n * 15 // 100,
        "Environment": max(1, n // 100),
    }
    counts["Component"] = n - sum(counts.values())
    return counts


def identifiers(blueprint, count):
    width = max(3, len(str(count)))
    return [f"{PREFIX[blueprint]}-{i:0{width}d}" for i in range(1, count + 1)]


def number(identifier):
    return int(identifier.rsplit("-", 1)[1])


def pick(rng, values_and_weights):
    values, weights = values_and_weights
    return rng.choices(values, weights)[0]


def generate_entities(n, rng):
    """All N entities, as the documents of cairn's entity files, in blueprint order.

    Every relation points at an existing entity of the right blueprint, team and domain trees
    and component dependencies only point backwards (so they have no cycles), and an API's
    provider lists it in its `providesApis`.
    """
    ids = {blueprint: identifiers(blueprint, count) for blueprint, count in entity_counts(n).items()}
    teams, domains, systems = ids["_team"], ids["Domain"], ids["System"]
    components, apis, resources = ids["Component"], ids["API"], ids["Resource"]
    entities = []

    root_teams = max(1, len(teams) // 10)
    for i, team in enumerate(teams):
        properties = {
            "description": f"Owns and runs its part of the platform, on call as {team}-primary",
            "email": f"{team}@example.com",
            "slack": f"https://slack.example.com/channels/{team}",
            "onCall": f"{team}-primary",
        }
        relations = {"parent": teams[rng.randrange(i)]} if i >= root_teams else {}
        entities.append(entity(team, f"Team {number(team)}", "_team", None, properties, relations))

    for i, domain in enumerate(domains):
        properties = {"description": f"Business domain {number(domain)}"}
        relations = {"parent": domains[rng.randrange(i)]} if i >= 3 and rng.random() < 0.5 else {}
        entities.append(entity(domain, f"Domain {number(domain)}", "Domain", rng.choice(teams), properties, relations))

    for system in systems:
        properties = {"description": f"Capability {number(system)}", "lifecycle": pick(rng, LIFECYCLES)}
        relations = {"domain": rng.choice(domains)}
        entities.append(entity(system, f"System {number(system)}", "System", rng.choice(teams), properties, relations))

    # Each component provides at most two APIs; each API has exactly one provider.
    provider_slots = [component for component in components for _ in range(2)]
    rng.shuffle(provider_slots)
    provider = dict(zip(apis, provider_slots, strict=False))
    provided = defaultdict(list)
    for api in apis:
        provided[provider[api]].append(api)

    component_team, component_system = {}, {}
    for i, component in enumerate(components):
        team = component_team[component] = rng.choice(teams)
        system = component_system[component] = rng.choice(systems)
        kind = pick(rng, COMPONENT_TYPES)
        properties = {
            "type": kind,
            "lifecycle": pick(rng, LIFECYCLES),
            "tier": rng.choice(["tier-1", "tier-2", "tier-3"]),
            "language": pick(rng, LANGUAGES),
            "repository": f"https://git.example.com/{component}",
        }
        if kind != "library":
            properties["runbook"] = f"https://runbooks.example.com/{component}"
            properties["onCall"] = f"{team}-primary"
        if tags := sorted(rng.sample(TAGS, rng.randint(0, 2))):
            properties["tags"] = tags
        relations = {
            "system": system,
            "providesApis": provided[component],
            "consumesApis": sorted(set(rng.sample(apis, rng.randint(0, 4))) - set(provided[component])),
            "dependsOn": [components[j] for j in sorted(rng.sample(range(i), min(i, rng.randint(0, 3))))],
            "resources": sorted(rng.sample(resources, rng.randint(0, 2))),
        }
        title = f"{kind.capitalize()} {number(component)}"
        entities.append(entity(component, title, "Component", team, properties, relations))

    for api in apis:
        kind = pick(rng, API_TYPES)
        properties = {
            "type": kind,
            "lifecycle": pick(rng, LIFECYCLES),
            "definition": f"https://apis.example.com/{api}/{kind}.yaml",
        }
        relations = {"provider": provider[api], "system": component_system[provider[api]]}
        team = component_team[provider[api]]
        entities.append(entity(api, f"API {number(api)}", "API", team, properties, relations))

    for resource in resources:
        kind = pick(rng, RESOURCE_TYPES)
        properties = {"type": kind, "description": f"A {kind} resource"}
        relations = {"system": rng.choice(systems)}
        title = f"Resource {number(resource)}"
        entities.append(entity(resource, title, "Resource", rng.choice(teams), properties, relations))

    # A few long-lived environments, then short-lived previews with a time to live.
    for i, environment in enumerate(ids["Environment"]):
        kind = ["production", "staging", "development"][i] if i < 3 else "preview"
        properties = {"type": kind, "region": rng.choice(REGIONS)}
        if kind == "preview":
            properties["ttl"] = f"{rng.randint(1, 14)}{rng.choice('hdw')}"
        if requested := rng.sample(RESOURCE_TYPES[0], rng.randint(0, 3)):
            properties["resources"] = [requested_resource(rng, resource_type) for resource_type in requested]
        relations = {"components": sorted(rng.sample(components, min(len(components), rng.randint(3, 20))))}
        title = f"Environment {number(environment)}"
        entities.append(entity(environment, title, "Environment", rng.choice(teams), properties, relations))

    return entities


def requested_resource(rng, resource_type):
    request = {"name": f"{resource_type}-{rng.randint(1, 9)}", "type": resource_type}
    if resource_type in VERSIONED_RESOURCES:
        request["version"] = rng.choice(VERSIONED_RESOURCES[resource_type])
    request["size"] = rng.choice(RESOURCE_SIZES)
    return request


def entity(identifier, title, blueprint, team, properties, relations):
    """An entity file's document; empty relations are left out, as a person would."""
    document = {"identifier": identifier, "title": title, "blueprint": blueprint}
    if team:
        document["team"] = team
    document["properties"] = properties
    if relations := {name: target for name, target in relations.items() if target}:
        document["relations"] = relations
    return document


# --- cairn's platform repo -----------------------------------------------------------------


def entity_path(root, document):
    blueprint = document["blueprint"]
    folder = root / "environments" if blueprint == "Environment" else root / "catalog" / blueprint.lower()
    return folder / f"{document['identifier']}.yaml"


def write_cairn_repo(out, entities):
    (out / "blueprints").mkdir(parents=True)
    for path in sorted(BLUEPRINTS.glob("*.yaml")):
        shutil.copyfile(path, out / "blueprints" / path.name)
    for document in entities:
        write(entity_path(out, document), to_yaml(document))


def template_files():
    """The render benchmark's template files, as paths relative to benches/render/templates."""
    return sorted(path.relative_to(TEMPLATES) for path in TEMPLATES.rglob("*") if path.is_file())


def write_templates(out):
    """Copy the render benchmark's templates into OUT/templates, replacing any there."""
    shutil.rmtree(out / "templates", ignore_errors=True)
    for path in template_files():
        (out / "templates" / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATES / path, out / "templates" / path)


# --- check-jsonschema: one schema per blueprint ------------------------------------------


def entity_schema(blueprint):
    """JSON Schema of a whole entity file of `blueprint`."""
    relations = blueprint.get("relations", {})
    string = {"type": "string", "minLength": 1}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{blueprint['title']} entity",
        "type": "object",
        "required": ["identifier", "blueprint", "properties"],
        "additionalProperties": False,
        "properties": {
            "identifier": {"type": "string", "pattern": IDENTIFIER_PATTERN},
            "title": {"type": "string"},
            "blueprint": {"const": blueprint["identifier"]},
            "team": string,
            "properties": {"type": "object", **blueprint["schema"], "additionalProperties": False},
            "relations": {
                "type": "object",
                "properties": {
                    name: {"type": "array", "items": string, "uniqueItems": True} if relation["many"] else string
                    for name, relation in relations.items()
                },
                "required": [name for name, relation in relations.items() if relation["required"]],
                "additionalProperties": False,
            },
        },
    }
    if schema["properties"]["relations"]["required"]:
        schema["required"].append("relations")
    return schema


def write_jsonschema_tree(root, cairn_repo, blueprints, entities):
    root.mkdir()
    for identifier, blueprint in blueprints.items():
        write(root / f"{identifier}.schema.json", json.dumps(entity_schema(blueprint), indent=2) + "\n")
        (root / identifier).mkdir()
    for document in entities:
        os.link(entity_path(cairn_repo, document), root / document["blueprint"] / f"{document['identifier']}.yaml")


# --- Backstage descriptors -----------------------------------------------------------------


def write_backstage_tree(root, entities):
    children = defaultdict(list)
    for document in entities:
        if document["blueprint"] == "_team" and "relations" in document:
            children[document["relations"]["parent"]].append(f"group:{document['identifier']}")
    for document in entities:
        descriptor = backstage_descriptor(document, children[document["identifier"]])
        folder = "environment" if document["blueprint"] == "Environment" else descriptor["kind"].lower()
        write(root / folder / f"{document['identifier']}.yaml", to_yaml(descriptor))


def backstage_descriptor(document, child_teams):
    """The Backstage descriptor of the same entity: relations become entity refs."""
    properties = document["properties"]
    relations = document.get("relations", {})
    metadata = {"name": document["identifier"], "title": document["title"]}
    if "description" in properties:
        metadata["description"] = properties["description"]
    owner = f"group:{document['team']}" if "team" in document else None  # a team has no owner

    match document["blueprint"]:
        case "_team":
            kind = "Group"
            spec = {
                "type": "team",
                "profile": {"displayName": document["title"], "email": properties["email"]},
            }
            if "parent" in relations:
                spec["parent"] = f"group:{relations['parent']}"
            spec["children"] = child_teams
            metadata["links"] = [{"url": properties["slack"], "title": "Slack"}]
            metadata["annotations"] = {"example.com/on-call": properties["onCall"]}
        case "Domain":
            kind = "Domain"
            spec = {"owner": owner}
            if "parent" in relations:
                spec["subdomainOf"] = f"domain:{relations['parent']}"
        case "System":
            kind = "System"
            metadata["labels"] = {"lifecycle": properties["lifecycle"]}
            spec = {"owner": owner, "domain": f"domain:{relations['domain']}"}
        case "Component":
            kind = "Component"
            metadata["annotations"] = {"backstage.io/source-location": f"url:{properties['repository']}"}
            metadata["labels"] = {"tier": properties["tier"]}
            metadata["tags"] = [properties["language"].lower(), *properties.get("tags", [])]
            if "runbook" in properties:
                metadata["links"] = [{"url": properties["runbook"], "title": "Runbook"}]
                metadata["annotations"]["example.com/on-call"] = properties["onCall"]
            spec = {
                "type": properties["type"],
                "lifecycle": properties["lifecycle"],
                "owner": owner,
                "system": f"system:{relations['system']}",
                **non_empty(
                    providesApis=refs("api", relations.get("providesApis", [])),
                    consumesApis=refs("api", relations.get("consumesApis", [])),
                    dependsOn=refs("component", relations.get("dependsOn", []))
                    + refs("resource", relations.get("resources", [])),
                ),
            }
        case "API":
            kind = "API"
            spec = {
                "type": properties["type"],
                "lifecycle": properties["lifecycle"],
                "owner": owner,
                "system": f"system:{relations['system']}",
                "definition": f"{properties['type']} definition published at {properties['definition']}",
            }
        case "Resource":
            kind = "Resource"
            spec = {"type": properties["type"], "owner": owner, "system": f"system:{relations['system']}"}
        case "Environment":
            kind = "Resource"
            metadata["labels"] = {"environment-type": properties["type"], "region": properties["region"]}
            if "ttl" in properties:
                metadata["labels"]["ttl"] = properties["ttl"]
            spec = {
                "type": "environment",
                "owner": owner,
                "dependencyOf": refs("component", relations["components"]),
            }
            if "resources" in properties:
                spec["resources"] = properties["resources"]

    return {"apiVersion": "backstage.io/v1alpha1", "kind": kind, "metadata": metadata, "spec": spec}


def refs(kind, names):
    return [f"{kind}:{name}" for name in names]


def non_empty(**fields):
    return {name: value for name, value in fields.items() if value}


# --- Git -----------------------------------------------------------------------------------


def commit_and_clone(out, n):
    """Commit OUT_DIR reproducibly (no user config, fixed identity and date), then clone it bare."""
    identity = {"NAME": "cairn bench", "EMAIL": "bench@cairn.invalid", "DATE": "@1735689600 +0000"}
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **{f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in identity.items()},
    }

    def git(*args, cwd=out):
        # No automatic gc: it would pack the objects in the background, after this script exits.
        subprocess.run(["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args], cwd=cwd, env=env, check=True)

    git("init", "--quiet", "--initial-branch=main")
    git("add", "--all")
    git("commit", "--quiet", "--message", f"Synthetic platform repo with {n} entities")
    # --no-local packs the objects, as in any clone fetched from a server.
    git("clone", "--quiet", "--bare", "--no-local", out.name, sibling(out, ".git").name, cwd=out.parent)


# --- Output ------------------------------------------------------------------------------


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# Strings that need no quotes in YAML 1.1 or 1.2: letters first, no ": " or " #", and not a
# word some parsers read as a boolean or null.
PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9 ,._/@+=:-]*")
NOT_PLAIN = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def to_yaml(document):
    """Block-style YAML of a mapping of strings, lists and mappings, one key per line."""
    return "\n".join(block(document, 0)) + "\n"


def block(value, indent):
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{scalar(key)}:")
                lines += block(item, indent + 2)
            else:
                lines.append(f"{pad}{scalar(key)}: {scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):
                nested = block(item, indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines += nested[1:]
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def scalar(value):
    if value == []:
        return "[]"
    if (
        PLAIN.fullmatch(value)
        and ": " not in value
        and " #" not in value
        and not value.endswith((":", " "))
        and value.lower() not in NOT_PLAIN
    ):
        return value
    return json.dumps(value)  # a JSON string is a valid double-quoted YAML scalar


if __name__ == "__main__":
    main()
