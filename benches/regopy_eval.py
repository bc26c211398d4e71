#!/usr/bin/env python3
"""Evaluate a platform repo's per-entity Rego policies with regopy (rego-cpp), as cairn would.

    regopy_eval.py REPO_DIR POLICY_DIR [--jobs N]

The peer of `cairn check` in the policy benchmark (see README.md). It reads every entity file
of REPO_DIR, gives each policy the input and data of cairn's contract (docs/policies.md):
`input` is the entity ({identifier, blueprint, title, team, properties, relations, source}),
`data.cairn.catalog[blueprint][identifier]` every entity in that shape, and
`data.cairn.blueprints[identifier]` every blueprint of the repo. It evaluates every `deny`,
`deny_*`, `warn`, `warn_*`, `violation` and `violation_*` rule of every package under
POLICY_DIR (except `*_test.rego`) for every entity, and prints one JSON object:

    {"entities": N, "results": deny + warn members, "by_code": {...}, "by_rule": {...},
     "load_seconds": ..., "eval_seconds": ..., ...}

How regopy is driven, the fastest way found that gives correct results (regopy 1.5.2):

- The policies and the data go into one `Interpreter`, which compiles them once into a bundle
  (`Interpreter.build`) for one query that returns every rule's set:
  `x := [data.p1.deny, data.p1.warn, data.p2.deny, ...]`.
- Each entity's input is converted to a rego-cpp `Input` before the clock starts; evaluating an
  entity is `set_input(input)` then `query_bundle(bundle)`, and reading the sets' sizes.
- With `--jobs N` (default: every CPU this process may use), the prepared interpreter is forked
  into N processes, each evaluating every N-th entity; they report their counts through pipes.

Slower ways, measured on the same machine: `Interpreter.query` per entity recompiles the policies
and data at every call (hundreds of milliseconds per entity); `set_input_term(json)` parses a
Rego term and costs more per entity than converting an `Input` in advance; one bundle entrypoint
per rule is a little slower than one query for all rules; and a single query over all entities
with `with input as` crashes regopy 1.5.2 (segmentation fault).

`load_seconds` is everything before the evaluation (reading and parsing the YAML files, building
the inputs and data, loading the modules and data, compiling the bundle); `eval_seconds` is the
evaluation alone, wall time, from the first entity to the last child's report. Results are counted
per package and rule, and per code: the package's `custom.code` in its `# METADATA` block, or
cairn's default codes (E0501 for deny and violation, W0502 for warn).
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULE = re.compile(r"^((?:deny|warn|violation)(?:_\w+)?)\s+contains\b", re.MULTILINE)
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, metavar="REPO_DIR")
    parser.add_argument("policies", type=Path, metavar="POLICY_DIR")
    parser.add_argument(
        "--jobs", type=int, default=len(os.sched_getaffinity(0)), help="processes that evaluate (default: CPUs)"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    import regopy  # here: loading rego-cpp is part of the load time

    entities, blueprints = read_repo(args.repo)
    read_seconds = time.perf_counter() - start

    modules, rules, codes = read_policies(args.policies)
    if not rules:
        sys.exit(f"regopy_eval.py: no deny, warn or violation rules under {args.policies}")
    catalog = {}
    for entity in entities:
        catalog.setdefault(entity["blueprint"], {})[entity["identifier"]] = entity
    interpreter = regopy.Interpreter()
    for name, source in modules:
        interpreter.add_module(name, source)
    interpreter.add_data_json(json.dumps({"cairn": {"catalog": catalog, "blueprints": blueprints}}))
    query = "x := [" + ", ".join(f"data.{package}.{rule}" for package, rule in rules) + "]"
    bundle = interpreter.build(query)
    if not bundle.ok():
        sys.exit(f"regopy_eval.py: the policies do not compile: {bundle.node()}")
    inputs = [regopy.Input(entity) for entity in entities]
    load_seconds = time.perf_counter() - start

    eval_start = time.perf_counter()
    counts = evaluate(interpreter, bundle, inputs, len(rules), max(1, args.jobs))
    eval_seconds = time.perf_counter() - eval_start

    by_rule = {f"{package}.{rule}": count for (package, rule), count in zip(rules, counts, strict=True)}
    by_code = {}
    for (package, rule), count in zip(rules, counts, strict=True):
        code = codes.get(package) or ("W0502" if rule.startswith("warn") else "E0501")
        by_code[code] = by_code.get(code, 0) + count
    print(
        json.dumps(
            {
                "engine": f"regopy {regopy.__version__}",
                "api": "Interpreter.build(query) once; per entity set_input(Input) + query_bundle",
                "jobs": max(1, args.jobs),
                "entities": len(entities),
                "rules": len(rules),
                "results": sum(counts),
                "by_code": dict(sorted(by_code.items())),
                "by_rule": by_rule,
                "read_seconds": round(read_seconds, 4),
                "load_seconds": round(load_seconds, 4),
                "eval_seconds": round(eval_seconds, 4),
            },
            indent=2,
        )
    )
    sys.stdout.flush()
    os._exit(0)  # freeing 100k inputs and the interpreter one by one only costs time


# --- Input and data, as cairn's contract gives them ---------------------------------------


def read_repo(repo):
    """Every entity of the repo in the shape of cairn's `input`, and the blueprints by identifier."""
    settings = load_yaml(repo / "cairn.yaml") if (repo / "cairn.yaml").is_file() else {}
    paths = {"blueprints": "blueprints", "catalog": "catalog", "environments": "environments"}
    paths.update((settings or {}).get("paths") or {})

    blueprints = {}
    for path in data_files(repo / paths["blueprints"]):
        for document in load_documents(path):
            blueprints[document["identifier"]] = document

    entities = []
    for folder, implied_blueprint in ((paths["catalog"], None), (paths["environments"], "Environment")):
        for path in data_files(repo / folder):
            relative = path.relative_to(repo).as_posix()
            text = path.read_text(encoding="utf-8")
            lines = first_key_lines(text)
            for index, document in enumerate(yaml.load_all(text, Loader=LOADER)):
                if isinstance(document, dict):
                    line = lines[index] if index < len(lines) else 1
                    entities.append(as_input(document, implied_blueprint, relative, line))
    return entities, blueprints


def data_files(folder):
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.suffix in (".yaml", ".yml", ".json") and path.is_file())


def load_yaml(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)


def load_documents(path):
    return [document for document in yaml.load_all(path.read_text(encoding="utf-8"), Loader=LOADER) if document]


def first_key_lines(text):
    """The 1-based line of the first key of each document (block-style YAML)."""
    lines, seen_key = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("---"):
            seen_key = False
        elif not seen_key and line.strip() and not line.lstrip().startswith("#"):
            lines.append(number)
            seen_key = True
    return lines


def as_input(document, implied_blueprint, file, line):
    team = document.get("team")
    return {
        "identifier": document.get("identifier"),
        "blueprint": document.get("blueprint") or implied_blueprint,
        "title": document.get("title"),
        "team": [] if team is None else [team] if isinstance(team, str) else list(team),
        "properties": document.get("properties") or {},
        "relations": document.get("relations") or {},
        "source": {"file": file, "line": line, "revision": None},
    }


# --- The policies --------------------------------------------------------------------------


def read_policies(folder):
    """(modules, [(package, rule)], {package: custom.code}) of every policy file under folder."""
    modules, rules, codes = [], [], {}
    for path in sorted(folder.rglob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        source = path.read_text(encoding="utf-8")
        modules.append((path.relative_to(folder).as_posix(), source))
        found = PACKAGE.search(source)
        if not found:
            sys.exit(f"regopy_eval.py: {path} has no package")
        package = found.group(1)
        for rule in RULE.findall(source):
            if (package, rule) not in rules:
                rules.append((package, rule))
        if code := package_code(source[: found.start()]):
            codes[package] = code
    return modules, rules, codes


def package_code(before_package):
    """`custom.code` of the `# METADATA` comment block right before the package line, if any."""
    block = []
    for line in reversed(before_package.splitlines()):
        if not line.startswith("#"):
            break
        block.append(line)
    block.reverse()
    if not block or block[0].strip() != "# METADATA":
        return None
    metadata = yaml.safe_load("\n".join(line[2:] if line.startswith("# ") else line[1:] for line in block[1:]))
    return ((metadata or {}).get("custom") or {}).get("code")


# --- Evaluating ----------------------------------------------------------------------------


def evaluate(interpreter, bundle, inputs, rules, jobs):
    """Result counts per rule over all inputs; in `jobs` forked processes when more than one."""
    if jobs == 1:
        return evaluate_slice(interpreter, bundle, inputs, rules)
    children = []
    for job in range(jobs):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            status = 0
            try:
                payload = json.dumps(evaluate_slice(interpreter, bundle, inputs[job::jobs], rules))
            except BaseException as error:  # noqa: BLE001 - reported by the parent
                payload, status = json.dumps({"error": repr(error)}), 1
            with os.fdopen(write_end, "w") as pipe:
                pipe.write(payload)
            os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    totals = [0] * rules
    failures = []
    for pid, read_end in children:
        with os.fdopen(read_end) as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        reply = json.loads(payload) if payload else {"error": f"exit status {status}"}
        if isinstance(reply, dict) or status != 0:
            failures.append(reply.get("error") if isinstance(reply, dict) else f"exit status {status}")
            continue
        totals = [total + count for total, count in zip(totals, reply, strict=True)]
    if failures:
        sys.exit(f"regopy_eval.py: an evaluating process failed: {failures}")
    return totals


def evaluate_slice(interpreter, bundle, inputs, rules):
    counts = [0] * rules
    for entity_input in inputs:
        interpreter.set_input(entity_input)
        output = interpreter.query_bundle(bundle)
        if not output.ok() or len(output) != 1:
            raise RuntimeError(f"regopy returned no result: {output}")
        sets = output[0]["x"]
        if len(sets) != rules:
            raise RuntimeError(f"regopy returned {len(sets)} rule results, expected {rules}")
        for index, members in enumerate(sets):
            counts[index] += len(members)
    return counts


if __name__ == "__main__":
    main()
