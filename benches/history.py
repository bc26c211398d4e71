#!/usr/bin/env python3
"""Generate a platform repository with a history of C commits over E entities, for `cairn audit`.

    history.py --entities E --commits C OUT_DIR

OUT_DIR becomes a git repository (branch `main`, its work tree checked out at the tip) whose
first commit holds the check benchmark's blueprints and E entities (generate.py's, the same
shapes and the same bytes as `generate.py E`), followed by changes until `main` has C commits in
all (`git rev-list --count main`). The history is written as one `git fast-import` stream (no
`git commit` per commit); 10,000 commits over 10,000 entities take about a minute, most of it
git writing a new 6,000-entry tree of `catalog/component` per commit. It depends only on E and
C: the same identities, the same dates and the same commit ids every run.

After the first commit, most changes are one commit on `main` changing one property of one
entity; a few create an entity (a preview environment, a component, a resource), delete one
(only entities nothing relates to), move a component's file into a team's folder, or change a
blueprint. About one change in ten is a pull request merged with a merge commit (`Merge pull
request #N from acme/BRANCH`, one or two branch commits behind it, authored up to two days
earlier) and about one in twenty-five a squash merge (`Title (#N)`). Self-service runs
(preview environments created, torn down, their `ttl` extended; a component's tier set) carry
the trailers `cairn run` writes (`Cairn-Action`, `Cairn-Inputs`, `Cairn-Entity`, `Cairn-Run-By`).
A handful of changes introduce an error (a value the blueprint's schema rejects, a relation to
an entity that does not exist, a `ttl` that does not parse) that a later commit fixes, so that
`cairn audit report` has violations with lifetimes; the tip has none. Five authors take turns;
committer dates are ten minutes apart, from 2026-01-01T00:00:00Z.

It prints a one-line JSON summary: the tip's commit id, the commits (all, on the first-parent
history, merges) and the changes to entities `cairn audit log` should list (first-parent, and
with `--all-parents`). Needs only Python 3.11 and git.
"""

import argparse
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import BLUEPRINTS, MIN_ENTITIES, entity_path, generate_entities, to_yaml  # noqa: E402

START = 1767225600  # 2026-01-01T00:00:00Z
STEP = 600  # ten minutes between commits
ORG = "acme"
AUTHORS = [
    ("Alice Adams", "alice@example.com", "alice"),
    ("Bilal Chaudhry", "bilal@example.com", "bilal"),
    ("Chen Wei", "chen@example.com", "chenwei"),
    ("Dana Okafor", "dana@example.com", "dana-o"),
    ("Erik Lindqvist", "erik@example.com", "eriklq"),
]
GITHUB = ("GitHub", "noreply@github.com")
GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}

# Of the changes after the first commit (each draw of a change, not each commit).
MERGED_PR = 0.10
SQUASHED_PR = 0.04
CREATE, DELETE, MOVE = 0.02, 0.01, 0.01

# Edits to the bundled blueprints that keep every entity valid: (file, anchor, replacement,
# subject). Each anchor occurs in its file; the first occurrence is replaced.
BLUEPRINT_EDITS = [
    (
        "component.yaml",
        "schema:\n  properties:\n",
        "schema:\n  properties:\n    costCenter:\n      type: string\n      title: Cost center\n",
        "Component: add a cost center property",
    ),
    (
        "environment.yaml",
        "    region:\n      type: string\n      title: Region\n",
        "    region:\n      type: string\n      title: Region\n      description: The cloud region it runs in\n",
        "Environment: describe the region",
    ),
    (
        "resource.yaml",
        "schema:\n  properties:\n",
        "schema:\n  properties:\n    backup:\n      type: boolean\n      title: Backed up\n",
        "Resource: record whether it is backed up",
    ),
    (
        "api.yaml",
        "      enum: [openapi, asyncapi, graphql, grpc]\n",
        "      enum: [openapi, asyncapi, graphql, grpc, soap]\n",
        "API: allow SOAP definitions",
    ),
    (
        "system.yaml",
        "description: A set of components",
        "description: A named set of components",
        "System: reword the description",
    ),
    (
        "component.yaml",
        "      title: On-call rotation\n",
        "      title: On-call rotation\n      description: The rotation paged when it breaks\n",
        "Component: describe the on-call rotation",
    ),
    (
        "domain.yaml",
        "description: ",
        "description: A business domain. ",
        "Domain: reword the description",
    ),
    (
        "team.yaml",
        "description: A group of people",
        "description: A group of engineers",
        "Team: reword the description",
    ),
]

LIFECYCLES = ["experimental", "production", "deprecated"]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"]

# Property edits per blueprint: (field, identifier -> values); a change picks a value other than
# the current one. Every value is a string or a list of strings, as generate.py's to_yaml writes.
EDITS = {
    "Component": [
        ("tier", lambda _: ["tier-1", "tier-2", "tier-3"]),
        ("lifecycle", lambda _: LIFECYCLES),
        ("language", lambda _: ["Go", "Java", "Kotlin", "Python", "TypeScript", "Rust", "Ruby"]),
        ("tags", lambda _: [["internal"], ["customer-facing"], ["pci", "realtime"], ["legacy"], ["batch", "gdpr"]]),
        ("runbook", lambda id: [f"https://runbooks.example.com/{id}", f"https://wiki.example.com/runbooks/{id}"]),
    ],
    "API": [("lifecycle", lambda _: LIFECYCLES)],
    "Resource": [("description", lambda _: ["A managed resource", "A shared resource", "A resource kept for audits"])],
    "System": [("lifecycle", lambda _: LIFECYCLES)],
    "Domain": [("description", lambda _: ["The domain's owners review it each quarter", "A business domain"])],
    "_team": [("onCall", lambda id: [f"{id}-primary", f"{id}-secondary", f"{id}-follow-the-sun"])],
    "Environment": [("region", lambda _: REGIONS)],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, required=True, metavar="E", help=f"at least {MIN_ENTITIES}")
    parser.add_argument("--commits", type=int, required=True, metavar="C", help="commits in all, at least 20")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    args = parser.parse_args()
    if args.entities < MIN_ENTITIES:
        parser.error(f"--entities must be at least {MIN_ENTITIES}")
    if args.commits < 20:
        parser.error("--commits must be at least 20")
    if args.out_dir.exists():
        sys.exit(f"history.py: refusing to overwrite {args.out_dir}")

    args.out_dir.mkdir(parents=True)
    git("init", "--quiet", "--initial-branch=main", cwd=args.out_dir)
    # The stream goes to fast-import as it is made, so that both work at once.
    command = ["git", "-c", "gc.auto=0", "fast-import", "--quiet", "--done"]
    with subprocess.Popen(command, cwd=args.out_dir, stdin=subprocess.PIPE, env={**os.environ, **GIT_ENV}) as importer:
        history = History(args.entities, args.commits, importer.stdin)
        history.write()
        importer.stdin.close()
    if importer.returncode != 0:
        sys.exit(f"history.py: git fast-import exited {importer.returncode}")
    git("update-ref", "-d", "refs/bench/pr", cwd=args.out_dir)
    git("reset", "--quiet", "--hard", "main", cwd=args.out_dir)
    head = git("rev-parse", "main", cwd=args.out_dir).strip()
    print(json.dumps({"head": head, **history.summary()}))


def git(*args, cwd, stdin=None):
    """git's stdout, with no user or system config and no automatic gc."""
    command = ["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args]
    completed = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, env={**os.environ, **GIT_ENV}, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"history.py: {' '.join(command)} failed: {completed.stderr.decode(errors='replace').strip()}")
    return completed.stdout.decode()


class History:
    """The repository's history, written to `sink` as a fast-import stream.

    `files` is the tree of `main`'s tip (path to text), `entities` every entity by
    (blueprint, identifier) with its document and path. Relations only ever point at entities
    of the first commit, and those are never deleted, so a deletion never breaks a relation.
    """

    def __init__(self, entities, commits, sink):
        self.total = commits
        self.rng = random.Random(f"cairn history {entities} {commits}")
        self.sink = sink
        self.stream = bytearray(b"feature done\n")  # what is not yet written to sink
        self.commits = 0  # made so far; the next one's mark is commits + 1
        self.main = None  # mark of main's tip
        self.first_parent = self.merges = 0
        self.changes_first_parent = self.changes_all_parents = 0
        self.pull_requests = 0
        self.pr_base = 0  # the last pull request's number
        self.files = {}
        self.entities = {}
        self.keys = []  # self.entities' keys, for a uniform pick
        self.first = set()  # the first commit's entities
        self.locked = set()  # entities with an error waiting for its fix
        self.pending = []  # (due commit, key, fix changes, subject)
        self.created = 0
        self.versions = Counter()  # how many versions of each entity main's history writes
        self.errors = 0
        self.blueprint_edits = 0
        documents = generate_entities(entities, random.Random(entities))
        self.ids = {}  # first-commit identifiers by blueprint: what relations may point at
        for document in documents:
            self.ids.setdefault(document["blueprint"], []).append(document["identifier"])
        self.initial = documents
        # A handful of blueprint edits and errors, spread over the first four fifths.
        handful = max(2, min(len(BLUEPRINT_EDITS), commits // 1000))
        span = range(5, max(6, commits * 4 // 5))
        self.blueprint_at = sorted(self.rng.sample(span, handful))
        self.error_at = sorted(self.rng.sample(span, handful))

    # --- The stream ---------------------------------------------------------------------

    def write(self):
        author = AUTHORS[0]
        for path in sorted(BLUEPRINTS.glob("*.yaml")):
            self.files[f"blueprints/{path.name}"] = path.read_text(encoding="utf-8")
        changes = sorted(self.files.items())
        for document in self.initial:
            key = (document["blueprint"], document["identifier"])
            path = entity_path(Path(), document).as_posix()
            self.add(key, document, path)
            self.first.add(key)
            changes.append(self.write_entity(key))
        message = f"Platform: blueprints and {len(self.initial)} entities\n"
        self.commit_main(author, message, changes, entity_changes=len(self.initial))
        while self.commits < self.total:
            self.step()
        self.stream += b"done\n"
        self.sink.write(self.stream)

    def summary(self):
        busiest = max(self.versions, key=lambda key: (self.versions[key], key))
        return {
            "commits": self.commits,
            "firstParent": self.first_parent,
            "merges": self.merges,
            "pullRequests": self.pull_requests,
            "changes": self.changes_first_parent,
            "changesAllParents": self.changes_all_parents,
            "entities": len(self.entities),
            "errors": self.errors,
            # The entity changed most often, and how many entries its log has (its creation too).
            "busiest": ":".join(busiest),
            "busiestChanges": self.versions[busiest],
            "busiestPath": self.entities[busiest]["path"] if busiest in self.entities else None,
        }

    def emit(self, ref, author, committer, message, parents, changes, author_time=None):
        """One commit: `changes` are (path, text) to write or (path, None) to delete."""
        self.flush()
        self.commits += 1
        mark = self.commits
        time = START + STEP * (mark - 1)
        self.line(f"commit {ref}")
        self.line(f"mark :{mark}")
        self.line(f"author {author[0]} <{author[1]}> {author_time or time} +0000")
        self.line(f"committer {committer[0]} <{committer[1]}> {time} +0000")
        self.data(message)
        for index, parent in enumerate(parents):
            self.line(f"{'from' if index == 0 else 'merge'} :{parent}")
        for path, text in changes:
            if text is None:
                self.line(f"D {path}")
            else:
                self.line(f"M 100644 inline {path}")
                self.data(text)
        return mark

    def flush(self):
        if len(self.stream) > 1 << 20:
            self.sink.write(self.stream)
            self.stream.clear()

    def line(self, text):
        self.stream += text.encode() + b"\n"

    def data(self, text):
        raw = text.encode()
        self.stream += f"data {len(raw)}\n".encode() + raw + b"\n"

    def commit_main(self, author, message, changes, entity_changes, committer=None, merged=None):
        """A commit on main; `merged`, a branch's tip, makes it a merge whose tree is that tip's."""
        parents = [self.main] if self.main else []
        parents += [merged] if merged else []
        self.main = self.emit("refs/heads/main", author, committer or author, message, parents, changes)
        self.first_parent += 1
        self.changes_first_parent += entity_changes
        if not merged:  # a merge that decides nothing itself lists nothing with --all-parents
            self.changes_all_parents += entity_changes

    # --- The catalog --------------------------------------------------------------------

    def add(self, key, document, path):
        self.entities[key] = {"doc": document, "path": path, "at": len(self.keys)}
        self.keys.append(key)

    def remove(self, key):
        at = self.entities.pop(key)["at"]
        last = self.keys.pop()
        if last != key:
            self.keys[at] = last
            self.entities[last]["at"] = at

    def pick(self, wanted=lambda key: True):
        """A random entity that no error holds and `wanted` accepts."""
        while True:
            key = self.keys[self.rng.randrange(len(self.keys))]
            if key not in self.locked and wanted(key):
                return key

    def write_entity(self, key):
        entry = self.entities[key]
        text = to_yaml(entry["doc"])
        if self.files.get(entry["path"]) == text:  # every change changes the entity
            sys.exit(f"history.py: a change to {key} left its file as it was")
        self.files[entry["path"]] = text
        self.versions[key] += 1
        return entry["path"], text

    # --- One step of history --------------------------------------------------------------

    def step(self):
        left = self.total - self.commits
        due = [fix for fix in self.pending if fix[0] <= self.commits]
        if due or left <= len(self.pending):
            fix = due[0] if due else self.pending[0]
            self.pending.remove(fix)
            self.fix(fix)
            return
        spare = left - len(self.pending)  # commits this step may use
        if self.blueprint_at and self.commits >= self.blueprint_at[0]:
            self.blueprint_at.pop(0)
            self.edit_blueprint()
            return
        if self.error_at and self.commits >= self.error_at[0] and spare >= 2:
            self.error_at.pop(0)
            self.introduce_error()
            return
        draw = self.rng.random()
        if draw < MERGED_PR and spare >= 2:
            self.merged_pull_request(branch_commits=2 if self.rng.random() < 0.4 and spare >= 3 else 1)
        elif draw < MERGED_PR + SQUASHED_PR:
            author = self.rng.choice(AUTHORS)
            _, subject, changes, trailers = self.change(author)
            message = f"{subject} (#{self.pr_number()})\n{trailers}"
            self.commit_main(author, message, changes, 1, committer=GITHUB)
        else:
            author = self.rng.choice(AUTHORS)
            _, subject, changes, trailers = self.change(author)
            self.commit_main(author, f"{subject}\n{trailers}", changes, 1)

    def pr_number(self):
        """The next pull request's number; issues share the numbering, so there are gaps."""
        self.pull_requests += 1
        self.pr_base += 1 + (self.rng.random() < 0.3)
        return self.pr_base

    def change(self, author):
        """One change to one entity, applied to the tip: (the entity, subject, file changes,
        trailers). A change made through self-service carries a run's trailers."""
        draw = self.rng.random()
        if draw < CREATE:
            return self.create(author)
        if draw < CREATE + DELETE and (found := self.deletable()):
            return self.delete(found, author)
        if draw < CREATE + DELETE + MOVE:
            return self.move()
        return self.modify(author)

    def modify(self, author):
        key = self.pick()
        document = self.entities[key]["doc"]
        blueprint, identifier = key
        properties = document["properties"]
        trailers = ""
        if blueprint == "Environment" and "ttl" in properties and self.rng.random() < 0.7:
            days = self.rng.randint(1, 7)
            properties["ttl"] = extended(properties["ttl"], days)
            subject = f"Extend {identifier} by {days} days"
            trailers = run_trailers("extend-ttl", {"days": days}, key, author)
        elif blueprint == "Component" and self.rng.random() < 0.1:
            document["team"] = self.rng.choice([team for team in self.ids["_team"] if team != document.get("team")])
            subject = f"Hand {identifier} over to {document['team']}"
        elif blueprint == "Component" and self.rng.random() < 0.1:
            consumed = document.setdefault("relations", {}).setdefault("consumesApis", [])
            api = self.rng.choice(self.ids["API"])
            if api in consumed:
                consumed.remove(api)
                subject = f"{identifier} no longer consumes {api}"
            else:
                consumed.append(api)
                consumed.sort()
                subject = f"{identifier} consumes {api}"
            if not consumed:
                del document["relations"]["consumesApis"]
        else:
            field, values = self.rng.choice(EDITS[blueprint])
            values = values(identifier)
            current = properties.get(field)
            value = self.rng.choice([value for value in values if value != current])
            properties[field] = value
            subject = f"{identifier}: set {field} to {value if not isinstance(value, list) else ', '.join(value)}"
            if field == "tier" and self.rng.random() < 0.5:
                trailers = run_trailers("set-tier", {"tier": value}, key, author)
                subject = f"Set the tier of {identifier} to {value}"
        return key, subject, [self.write_entity(key)], trailers

    def create(self, author):
        self.created += 1
        draw = self.rng.random()
        team = self.rng.choice(self.ids["_team"])
        components = self.ids["Component"]
        if draw < 0.6:
            identifier = f"env-preview-{self.created:05d}"
            properties = {"type": "preview", "region": self.rng.choice(REGIONS)}
            if self.rng.random() < 0.8:
                properties["ttl"] = f"{self.rng.randint(1, 14)}d"
            else:
                expires = START + STEP * self.commits + 86400 * self.rng.randint(2, 30)
                properties["expiresAt"] = iso(expires)
            relations = {"components": sorted(self.rng.sample(components, min(len(components), 3)))}
            document = {"identifier": identifier, "title": f"Preview {self.created}", "blueprint": "Environment"}
            document |= {"team": team, "properties": properties, "relations": relations}
            key = ("Environment", identifier)
            inputs = {"name": identifier, "team": team}
            trailers = run_trailers("create-environment", inputs, None, author)
            subject = f"Create the preview environment {identifier}"
        elif draw < 0.85:
            identifier = f"svc-new-{self.created:05d}"
            properties = {"type": "service", "lifecycle": "experimental", "tier": "tier-3", "language": "Go"}
            properties["repository"] = f"https://git.example.com/{identifier}"
            relations = {"system": self.rng.choice(self.ids["System"])}
            document = {"identifier": identifier, "title": f"New service {self.created}", "blueprint": "Component"}
            document |= {"team": team, "properties": properties, "relations": relations}
            key = ("Component", identifier)
            trailers = run_trailers("create-service", {"name": identifier, "team": team}, None, author)
            subject = f"Create the service {identifier}"
        else:
            identifier = f"res-new-{self.created:05d}"
            kind = self.rng.choice(["postgres", "redis", "queue"])
            properties = {"type": kind, "description": f"A {kind} resource"}
            document = {"identifier": identifier, "title": f"New resource {self.created}", "blueprint": "Resource"}
            relations = {"system": self.rng.choice(self.ids["System"])}
            document |= {"team": team, "properties": properties, "relations": relations}
            key = ("Resource", identifier)
            trailers = ""
            subject = f"Add the {kind} resource {identifier}"
        self.add(key, document, entity_path(Path(), document).as_posix())
        return key, subject, [self.write_entity(key)], trailers

    def deletable(self):
        """An entity nothing relates to: one created after the first commit, or a preview environment."""
        def free(key):
            if key in self.locked:
                return False
            return key not in self.first or key[0] == "Environment" and "ttl" in self.entities[key]["doc"]["properties"]

        found = [key for key in self.keys if free(key)]
        return self.rng.choice(found) if found else None

    def delete(self, key, author):
        entry = self.entities[key]
        self.remove(key)
        del self.files[entry["path"]]
        trailers = ""
        if key[0] == "Environment":
            trailers = run_trailers("teardown", {}, key, author)
            subject = f"Tear down {key[1]}"
        else:
            subject = f"Remove {key[1]}"
        return key, subject, [(entry["path"], None)], trailers

    def move(self):
        key = self.pick(lambda key: key[0] == "Component")
        entry = self.entities[key]
        document = entry["doc"]
        old = entry["path"]
        new = f"catalog/component/{document.get('team', 'shared')}/{key[1]}.yaml"
        if new == old:
            new = f"catalog/component/{key[1]}.yaml"
        del self.files[old]
        entry["path"] = new
        return key, f"Move {key[1]} into {new.rsplit('/', 1)[0]}/", [(old, None), self.write_entity(key)], ""

    # --- Pull requests, errors, rules -------------------------------------------------------

    def merged_pull_request(self, branch_commits):
        """A branch of one or two commits off the tip, merged with a merge commit (`--no-ff`)."""
        author = self.rng.choice(AUTHORS)
        number = self.pr_number()
        parent = self.main
        started = START + STEP * self.commits - self.rng.randint(600, 2 * 86400)
        merged, changed, subjects = {}, [], []
        for index in range(branch_commits):
            # Each branch commit changes another entity: the merge lists each entity once.
            key, subject, changes, trailers = self.change(author)
            self.locked.add(key)
            changed.append(key)
            parent = self.emit(
                "refs/bench/pr",
                author,
                author,
                f"{subject}\n{trailers}",
                [parent],
                changes,
                author_time=min(started + 3600 * index, START + STEP * self.commits),
            )
            merged |= dict(changes)
            subjects.append(subject)
            self.changes_all_parents += 1
        self.locked.difference_update(changed)
        branch = f"{author[2]}/{slug(subjects[0])}"
        message = f"Merge pull request #{number} from {ORG}/{branch}\n\n{subjects[0]}\n"
        self.commit_main(author, message, sorted(merged.items()), len(subjects), committer=GITHUB, merged=parent)
        self.merges += 1

    def introduce_error(self):
        """A change the rules reject, and the later commit that fixes it."""
        author = self.rng.choice(AUTHORS)
        kind = self.rng.randrange(3)
        if kind == 0:
            key = self.pick(lambda key: key[0] == "Component")
            field, bad = "lifecycle", "retired"
            subject = f"Mark {key[1]} as retired"
        elif kind == 1:
            key = self.pick(lambda key: key[0] == "Component" and key in self.first)
            field, bad = "system", "sys-payments-legacy"
            subject = f"Move {key[1]} to sys-payments-legacy"
        else:
            key = self.pick(lambda key: key[0] == "Environment")
            field, bad = "ttl", "two-weeks"
            subject = f"Keep {key[1]} for two weeks"
        document = self.entities[key]["doc"]
        where = document["relations"] if field == "system" else document["properties"]
        good = where.get(field)
        where[field] = bad
        self.locked.add(key)
        self.errors += 1
        self.commit_main(author, f"{subject}\n", [self.write_entity(key)], 1)
        due = self.commits + self.rng.randint(3, max(4, self.total // 50))
        self.pending.append((due, key, field, good))

    def fix(self, pending):
        _, key, field, good = pending
        author = self.rng.choice(AUTHORS)
        document = self.entities[key]["doc"]
        where = document["relations"] if field == "system" else document["properties"]
        if good is None:
            del where[field]
        else:
            where[field] = good
        self.locked.discard(key)
        message = f"Fix the {field} of {key[1]} (#{self.pr_number()})\n"
        self.commit_main(author, message, [self.write_entity(key)], 1, committer=GITHUB)

    def edit_blueprint(self):
        file, anchor, replacement, subject = BLUEPRINT_EDITS[self.blueprint_edits % len(BLUEPRINT_EDITS)]
        self.blueprint_edits += 1
        path = f"blueprints/{file}"
        text = self.files[path]
        if anchor not in text or replacement in text:
            sys.exit(f"history.py: cannot edit {path}: its text is not the one BLUEPRINT_EDITS expects")
        text = text.replace(anchor, replacement, 1)
        self.files[path] = text
        author = self.rng.choice(AUTHORS)
        self.commit_main(author, f"{subject}\n", [(path, text)], 0)


def run_trailers(action, inputs, key, author):
    """The trailers of a self-service run's commit, as cairn-actions' `commit_message` writes
    them (after a blank line, so that they are the message's last paragraph)."""
    lines = [f"Cairn-Action: {action}", f"Cairn-Inputs: {json.dumps(inputs, sort_keys=True, separators=(',', ':'))}"]
    if key:
        lines.append(f"Cairn-Entity: {key[0]}:{key[1]}")
    lines.append(f"Cairn-Run-By: {author[2]}")
    return "\n" + "\n".join(lines) + "\n"


def extended(ttl, days):
    """A `ttl` (`12h`, `5d`, `2w`) `days` longer, in days (hours round down): never the same text."""
    number, unit = int(ttl[:-1]), ttl[-1]
    return f"{days + {'h': number // 24, 'd': number, 'w': number * 7}[unit]}d"


def slug(subject):
    words = "".join(ch if ch.isalnum() else "-" for ch in subject.lower()).split("-")
    return "-".join(word for word in words if word)[:40].strip("-")


def iso(seconds):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


if __name__ == "__main__":
    main()
