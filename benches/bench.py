#!/usr/bin/env python3
"""Benchmark `cairn check` against its peers on synthetic platform repos of several sizes.

    python3 benches/bench.py --cairn target/release/cairn --floor "target/release/cairn-floor {dir}" \\
        --sizes 1000,10000,100000 --runs 5 --peer-runs 1 --out benches/results.md

For each size it generates a repo (once; see generate.py), then times, each as its own process:
cairn on the directory and on a git revision of a bare clone, the optional floor command, and
the peers check-jsonschema and Backstage's catalog-model validators. It reports the median wall
time and the peak resident memory of each as a markdown table. The peers are installed on first
use under target/bench/peers. See README.md.

With --policy-sizes, it also times the ten policies of benches/policies over repos of those sizes:
`cairn check` with them against regopy (rego-cpp) evaluating the same policies over the same
input and data (regopy_eval.py), and checks that both find as many results.

With --change-sizes, it also times checking a change, at those sizes: in a git repository with a
branch `change` one commit ahead of `main` (one entity's title changed), `cairn check --base main
--head change` and `cairn plan --base main --head change` against `cairn check --rev change`,
run by run in turn, and reports each one's time and memory as a multiple of the latter's.

With --scorecard-sizes, it also times the scorecards at those sizes: `cairn check` without and
with scorecards (the bundled production-readiness on Component and benches/scorecards), and
`cairn scorecard` listing every score, run by run in turn, and checks that every entity the
scorecards admit is scored, at the level an independent reading of their rules gives.
"""

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCHES = Path(__file__).resolve().parent
ROOT = BENCHES.parent
WORK = ROOT / "target" / "bench"
VENV = WORK / "peers" / "venv"
NODE_DIR = WORK / "peers" / "node"
REPOS = WORK / "repos"
LOGS = WORK / "logs"
BASELINE = "cairn check (dir)"
POLICIES = BENCHES / "policies"
# The policy repos run only the bench policies, not the bundled library.
POLICY_SETTINGS = "version: 1\nlibrary:\n  policies: false\n"
CAIRN_POLICIES = "cairn check, 10 policies"
CAIRN_NO_POLICIES = "cairn check, no policies"
REGOPY = "regopy, evaluation only"
REGOPY_LOAD = "regopy, load + prepare"
# The codes a policy result may have: the bench policies' own, or cairn's defaults.
POLICY_CODE = re.compile(r"BENCH\d+|E0501|W0502")
# The change benchmark: its repo, the entity files it changes one of, and what it compares.
CHANGE_REPO = "platform-change.git"
CHANGED_FOLDER = "catalog/component"
CHANGE_BASELINE = "check --rev change"
CHANGE_TARGET = 1.3  # the most `check --base/--head` and `plan` should cost, as a multiple of the baseline
# The change commit is reproducible: no user or system config, a fixed identity and date (a day
# after generate.py's commit).
CHANGE_IDENTITY = {"NAME": "cairn bench", "EMAIL": "bench@cairn.invalid", "DATE": "@1735776000 +0000"}
# The scorecard benchmark: the same repo without and with scorecards, and what it compares.
SCORECARDS = BENCHES / "scorecards"
SCORECARD_SETTINGS = {
    "platform-no-scorecards": "version: 1\nlibrary:\n  scorecards: false\n",
    "platform-scorecards": "version: 1\nlibrary:\n  scorecards: true\n",
}
CAIRN_NO_SCORECARDS = "cairn check, no scorecards"
CAIRN_SCORECARDS = "cairn check, scorecards"
CAIRN_SCORECARD = "cairn scorecard --format csv"
SCORECARD_TARGET = 1.2  # the most scorecards should cost `cairn check`, as a multiple of it without
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    **{f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in CHANGE_IDENTITY.items()},
}


@dataclass
class Tool:
    name: str
    runs: int
    commands: list[list[str]]  # run one after another; together they make one run
    check: Callable[[int, str], str | None]  # (exit code, stdout) -> why the run failed, or None
    cwd: Path | None = None
    shown: str | None = None  # how the report shows the commands, when listing them all is too long
    # stdout of a run -> {"results": N, "by_code": {...}} and, for a tool that times itself,
    # "eval_seconds" (then the run's time) and "load_seconds"
    details: Callable[[str], dict] | None = None


@dataclass
class Result:
    size: int
    tool: Tool
    times: list[float]
    peak_kib: int
    failure: str | None
    details: list[dict] = field(default_factory=list)  # per run, from tool.details


def main():
    args = parse_args()
    ensure_peers(node=bool(args.sizes))
    LOGS.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        root = ensure_repos(size)
        print(f"\n== {size:,} entities ({root})", flush=True)
        warm_page_cache(root)
        results += [benchmark(size, tool) for tool in tools(size, root, args)]
    policy_results, mismatches = [], []
    for size in args.policy_sizes:
        root = ensure_repos(size)
        ensure_policy_repos(root)
        print(f"\n== {size:,} entities, {len(policy_files())} policies ({root})", flush=True)
        warm_page_cache(root / "platform")  # the policy repos hard-link the same files
        measured = [benchmark(size, tool) for tool in policy_tools(root, args)]
        mismatches += compare_counts(size, measured)
        policy_results += measured
    change_results = []
    for size in args.change_sizes:
        repo, changed_path = ensure_change_repo(ensure_repos(size))
        print(f"\n== {size:,} entities, one file changed ({repo}: {changed_path})", flush=True)
        warm_page_cache(repo)
        change_results += benchmark_in_turn(size, change_tools(repo, changed_path, args))
    scorecard_results = []
    for size in args.scorecard_sizes:
        root = ensure_repos(size)
        ensure_scorecard_repos(root)
        print(f"\n== {size:,} entities, without and with scorecards ({root})", flush=True)
        warm_page_cache(root / "platform")  # the scorecard repos hard-link the same files
        scorecard_results += benchmark_in_turn(size, scorecard_tools(root, args))
    report = render(
        args, results, policy_results, mismatches, change_results, scorecard_results, least_rss_kib()
    )
    args.out.write_text(report, encoding="utf-8")
    print(f"\n{report}\nwrote {args.out}")
    for mismatch in mismatches:
        print(f"bench.py: RESULT COUNT MISMATCH: {mismatch}", file=sys.stderr)
    failed = [
        result for result in results + policy_results + change_results + scorecard_results if result.failure
    ]
    if failed or mismatches:
        sys.exit(f"bench.py: {len(failed)} tool(s) failed, {len(mismatches)} count mismatch(es); see the report")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cairn = parser.add_mutually_exclusive_group(required=True)
    cairn.add_argument("--cairn", metavar="PATH", help="the cairn binary to benchmark")
    cairn.add_argument("--no-cairn", action="store_true", help="benchmark only the floor and the peers")
    parser.add_argument(
        "--floor",
        metavar="CMD",
        help="a command that reads and parses the repo without validating it; {dir} is the repo",
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        type=sizes,
        help="entity counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--policy-sizes",
        default="",
        type=sizes,
        help="entity counts at which to time the policies of benches/policies in cairn and regopy (default: none)",
    )
    parser.add_argument(
        "--change-sizes",
        default="",
        type=sizes,
        help="entity counts at which to time checking and planning a one-file change against checking"
        " one revision (default: none)",
    )
    parser.add_argument(
        "--scorecard-sizes",
        default="",
        type=sizes,
        help="entity counts at which to time `cairn check` without and with scorecards, and `cairn scorecard`"
        " (default: none)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of cairn and the floor (default: %(default)s)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of each peer (default: %(default)s)")
    parser.add_argument(
        "--regopy-jobs",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="processes regopy evaluates the policies in (default: every CPU, %(default)s)",
    )
    parser.add_argument(
        "--out", type=Path, default=BENCHES / "results.md", help="the report (default: benches/results.md)"
    )
    args = parser.parse_args()
    if args.cairn:
        # Absolute, as the change benchmark runs it from inside its repo.
        found = shutil.which(args.cairn) or parser.error(f"--cairn: {args.cairn} is not an executable")
        args.cairn = os.path.abspath(found)
    if args.floor:
        program, *floor_args = shlex.split(args.floor)
        args.floor = [
            shutil.which(program) or parser.error(f"--floor: {program} is not an executable"),
            *floor_args,
        ]
    if not (args.sizes or args.policy_sizes or args.change_sizes or args.scorecard_sizes):
        parser.error("nothing to measure: --sizes, --policy-sizes, --change-sizes and --scorecard-sizes are all empty")
    if (args.change_sizes or args.scorecard_sizes) and not args.cairn:
        parser.error("--change-sizes and --scorecard-sizes measure only cairn: give --cairn")
    for program in ("git", "node", "npm") if args.sizes else ("git",):
        if not shutil.which(program):
            parser.error(f"{program} is needed and not on PATH")
    return args


def sizes(text):
    return [int(size) for size in text.split(",") if size.strip()]


# --- Setup ---------------------------------------------------------------------------------


def ensure_peers(node=True):
    """Install check-jsonschema and regopy in a venv and Backstage's catalog-model with npm ci, unless done."""
    requirements = BENCHES / "requirements.txt"
    if stale(VENV, [requirements]):
        run([sys.executable, "-m", "venv", VENV])
        run([VENV / "bin" / "pip", "install", "--quiet", "--requirement", requirements])
        mark_fresh(VENV, [requirements])

    if not node:
        return
    manifests = [BENCHES / "package.json", BENCHES / "package-lock.json"]
    if stale(NODE_DIR, manifests):
        for manifest in manifests:
            shutil.copy(manifest, NODE_DIR)
        run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR)
        mark_fresh(NODE_DIR, manifests)
    # Node resolves packages next to the script, so the validator runs from the install.
    shutil.copy(BENCHES / "backstage-validate.mjs", NODE_DIR)


def ensure_repos(size):
    """Generate the repos for `size` under target/bench/repos/SIZE, unless already generated."""
    root = REPOS / str(size)
    sources = [BENCHES / "generate.py", *sorted((ROOT / "blueprints").glob("*.yaml"))]
    if stale(root, sources):
        print(f"generating {size:,} entities into {root}", flush=True)
        run([VENV / "bin" / "python", BENCHES / "generate.py", str(size), root / "platform", "--git"])
        mark_fresh(root, sources)
    return root


def ensure_policy_repos(root):
    """Make root/platform-policies and root/platform-no-policies: the repo with a cairn.yaml that
    turns the bundled policies off, with and without the bench policies in its policies/ folder.

    The entity files are hard links to those of root/platform, made once (the whole of root is
    emptied when the repo is regenerated); the settings and the policies are rewritten every run.
    """
    platform_repo = root / "platform"
    for name, with_policies in (("platform-policies", True), ("platform-no-policies", False)):
        target = root / name
        if stale(target, []):
            print(f"linking {platform_repo} into {target}", flush=True)
            shutil.copytree(
                platform_repo, target, copy_function=os.link, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True
            )
            mark_fresh(target, [])
        (target / "cairn.yaml").write_text(POLICY_SETTINGS, encoding="utf-8")
        shutil.rmtree(target / "policies", ignore_errors=True)
        if with_policies:
            (target / "policies").mkdir()
            for policy in policy_files():
                shutil.copyfile(policy, target / "policies" / policy.name)


def ensure_scorecard_repos(root):
    """Make root/platform-scorecards and root/platform-no-scorecards: the repo with a cairn.yaml
    that turns the bundled scorecards on (and benches/scorecards in its scorecards/ folder), and
    the same repo with them off and no scorecards/ folder, so that the two differ in the
    scorecards alone.

    The entity files are hard links to those of root/platform, made once; the settings and the
    scorecards are rewritten every run.
    """
    platform_repo = root / "platform"
    for name, settings in SCORECARD_SETTINGS.items():
        target = root / name
        if stale(target, []):
            print(f"linking {platform_repo} into {target}", flush=True)
            shutil.copytree(
                platform_repo, target, copy_function=os.link, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True
            )
            mark_fresh(target, [])
        (target / "cairn.yaml").write_text(settings, encoding="utf-8")
        shutil.rmtree(target / "scorecards", ignore_errors=True)
        if "library:\n  scorecards: true" in settings:
            (target / "scorecards").mkdir()
            for scorecard in scorecard_files():
                shutil.copyfile(scorecard, target / "scorecards" / scorecard.name)


def scorecard_files():
    return sorted(SCORECARDS.glob("*.yaml"))


def policy_files():
    return sorted(POLICIES.glob("*.rego"))


def ensure_change_repo(root):
    """Make root/platform-change.git, unless made: a bare clone of root/platform.git (its pack
    hard-linked) with a branch `change`, one commit on top of `main` that changes the title of the
    component in the middle of catalog/component. Returns the repo and the changed file's path.

    The commit is written with git's plumbing, so no work tree of N files is checked out; its few
    objects stay loose, as after a small fetch. Every run checks that `change` changes one file.
    """
    repo = root / CHANGE_REPO
    if stale(repo, []):
        print(f"making {repo}: branch `change` changes one entity's title", flush=True)
        git("clone", "--quiet", "--bare", root / "platform.git", repo, cwd=root)
        files = git("ls-tree", "--name-only", "main", f"{CHANGED_FOLDER}/", cwd=repo).splitlines()
        path = files[len(files) // 2]
        # generate.py writes a component's title plain, "Service 42": adding words keeps it valid.
        text, count = re.subn(
            r"^(title: [A-Za-z][A-Za-z0-9 ]*)$", r"\1 (renamed)", git("show", f"main:{path}", cwd=repo), flags=re.M
        )
        if count != 1:
            sys.exit(f"bench.py: {path} at main has no plain `title:` line to change")
        blob = git("hash-object", "-w", "--stdin", cwd=repo, stdin=text).strip()
        index = {"GIT_INDEX_FILE": str(repo / "change.index")}
        git("read-tree", "main", cwd=repo, env=index)
        git("update-index", "--cacheinfo", f"100644,{blob},{path}", cwd=repo, env=index)
        tree = git("write-tree", cwd=repo, env=index).strip()
        (repo / "change.index").unlink()
        commit = git("commit-tree", tree, "-p", "main", "-m", f"Rename the entity of {path}", cwd=repo).strip()
        git("update-ref", "refs/heads/change", commit, cwd=repo)
        mark_fresh(repo, [])
    changed = git("diff", "--name-only", "main", "change", cwd=repo).splitlines()
    if len(changed) != 1:
        sys.exit(f"bench.py: {repo}: `change` should change one file from `main`, it changes {len(changed)}")
    return repo, changed[0]


def git(*args, cwd, stdin=None, env=None):
    """git's stdout; with GIT_ENV and no automatic gc (it would repack in the background)."""
    command = ["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *(str(arg) for arg in args)]
    completed = subprocess.run(
        command, cwd=cwd, env={**GIT_ENV, **(env or {})}, input=stdin, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"bench.py: {shlex.join(command)} failed in {cwd}: {completed.stderr.strip()}")
    return completed.stdout


def stale(target, sources):
    """Whether `target` was not made from `sources` as they are now; if so, empty it."""
    stamp = target / ".made-from"
    if stamp.is_file() and stamp.read_text() == fingerprint(sources):
        return False
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return True


def mark_fresh(target, sources):
    (target / ".made-from").write_text(fingerprint(sources))


def fingerprint(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run(command, cwd=None):
    command = [str(arg) for arg in command]
    print("$", shlex.join(command), flush=True)
    if subprocess.run(command, cwd=cwd, check=False).returncode != 0:
        sys.exit(f"bench.py: {shlex.join(command)} failed")


def warm_page_cache(root):
    """Read every file once, so that no tool pays for reading from disk and all start alike."""
    for path in root.rglob("*"):
        if path.is_file():
            path.read_bytes()


# --- The tools -----------------------------------------------------------------------------


def tools(size, root, args):
    platform_repo = root / "platform"
    found = []
    if args.cairn:
        found += [
            Tool(
                BASELINE,
                args.runs,
                [[args.cairn, "check", str(platform_repo), "--format", "json"]],
                cairn_found_no_errors,
            ),
            Tool(
                "cairn check (git rev)",
                args.runs,
                [[args.cairn, "check", "--rev", "HEAD", str(root / "platform.git"), "--format", "json"]],
                cairn_found_no_errors,
            ),
        ]
    if args.floor:
        floor = [arg.format(dir=platform_repo) for arg in args.floor]
        found.append(Tool("floor (read + parse)", args.runs, [floor], exited_zero))
    found += [
        check_jsonschema(size, root / "platform-jsonschema", args.peer_runs),
        Tool(
            "backstage catalog-model",
            args.peer_runs,
            [
                [
                    shutil.which("node"),
                    str(NODE_DIR / "backstage-validate.mjs"),
                    str(root / "platform-backstage"),
                ]
            ],
            backstage_found_no_errors(size),
        ),
    ]
    return found


def policy_tools(root, args):
    """cairn check with and without the bench policies, and regopy evaluating them."""
    with_policies = root / "platform-policies"
    found = []
    if args.cairn:
        found += [
            Tool(
                CAIRN_NO_POLICIES,
                args.runs,
                [[args.cairn, "check", str(root / "platform-no-policies"), "--format", "json"]],
                cairn_found_no_errors,
            ),
            Tool(
                CAIRN_POLICIES,
                args.runs,
                [[args.cairn, "check", str(with_policies), "--format", "json"]],
                cairn_found_only_policy_results,
                details=cairn_policy_results,
            ),
        ]
    regopy = [
        str(VENV / "bin" / "python"),
        str(BENCHES / "regopy_eval.py"),
        str(with_policies),
        str(with_policies / "policies"),
        "--jobs",
        str(args.regopy_jobs),
    ]
    found.append(Tool(REGOPY, args.peer_runs, [regopy], exited_zero, details=regopy_results))
    return found


def change_tools(repo, changed_path, args):
    """The baseline, checking the change's head alone, then checking and planning the change; each
    run in the repo, as in CI."""

    def tool(command, revisions, check):
        argv = [args.cairn, command, ".", *revisions, "--format", "json"]
        shown = f"cd {shlex.quote(str(repo))} && {shlex.join(argv)}"
        return Tool(shlex.join([command, *revisions]), args.runs, [argv], check, cwd=repo, shown=shown)

    change = ["--base", "main", "--head", "change"]
    return [
        tool("check", ["--rev", "change"], cairn_found_no_errors),  # CHANGE_BASELINE
        tool("check", change, cairn_found_no_errors),
        tool("plan", change, plan_found_the_change(changed_path)),
    ]


def scorecard_tools(root, args):
    """`cairn check` without and with scorecards, then `cairn scorecard` listing every score;
    run in turn. The last must list, per scorecard and level, as many entities as
    expected_levels finds, so that what is timed is really scoring."""
    with_scorecards = root / "platform-scorecards"
    expected = expected_levels(root / "platform")
    print(
        "  expected scores: "
        + "; ".join(f"{card} {sum(levels.values()):,} ({levels_text(levels)})" for card, levels in expected.items()),
        flush=True,
    )

    def check(argv_path):
        return [args.cairn, "check", str(argv_path), "--format", "json"]

    return [
        Tool(CAIRN_NO_SCORECARDS, args.runs, [check(root / "platform-no-scorecards")], cairn_check_scored({})),
        Tool(CAIRN_SCORECARDS, args.runs, [check(with_scorecards)], cairn_check_scored(expected)),
        Tool(
            CAIRN_SCORECARD,
            args.runs,
            [[args.cairn, "scorecard", str(with_scorecards), "--format", "csv"]],
            scorecard_rows_as_expected(expected),
            details=scorecard_levels,
        ),
    ]


# The levels of the two scorecards the scorecard benchmark runs, from lowest to highest.
SCORECARD_LEVELS = ["Basic", "Bronze", "Silver", "Gold"]


def expected_levels(platform_repo):
    """{scorecard: {level: entities}} for the bundled production-readiness and
    benches/scorecards/api-maturity, by reading the entity files of the generated repo with this
    function's own reading of those scorecards' rules (not cairn's). Change it with them.

    Port's semantics (https://docs.port.io/promote-scorecards/concepts-and-structure): an entity
    reaches a level when it passes that level's rules and every lower level's.
    """

    def level(passed_by_level):
        reached = SCORECARD_LEVELS[0]
        for title in SCORECARD_LEVELS[1:]:
            if not all(passed_by_level[title]):
                break
            reached = title
        return reached

    found = {"production-readiness": {}, "api-maturity": {}}
    for path in sorted((platform_repo / "catalog" / "component").glob("*.yaml")):
        top, properties, _ = read_entity(path)
        if properties.get("type") not in ("service", "website", "worker", "job"):  # the filter
            continue
        replicas = properties.get("replicas")
        reached = level(
            {
                "Bronze": ["team" in top, "repository" in properties],
                "Silver": ["runbook" in properties, "onCall" in properties],
                "Gold": ["tier" in properties, replicas is not None and float(replicas) >= 2],
            }
        )
        found["production-readiness"][reached] = found["production-readiness"].get(reached, 0) + 1
    for path in sorted((platform_repo / "catalog" / "api").glob("*.yaml")):
        top, properties, relations = read_entity(path)
        if properties.get("lifecycle") == "deprecated":  # the filter
            continue
        reached = level(
            {
                "Bronze": ["provider" in relations, "team" in top],
                "Silver": [properties.get("definition", "").startswith("https://"), "system" in relations],
                "Gold": [
                    properties.get("type") in ("openapi", "grpc", "asyncapi") or "contract" in top.get("title", ""),
                    properties.get("lifecycle") == "production",
                ],
            }
        )
        found["api-maturity"][reached] = found["api-maturity"].get(reached, 0) + 1
    return found


def read_entity(path):
    """(top-level scalars, properties, relations) of an entity file as generate.py writes it:
    block style, one key per line, two spaces per level; a list's items are not read."""
    sections = {"": {}, "properties": {}, "relations": {}}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            key, _, value = line.partition(":")
            section = key if key in sections and not value.strip() else ""
            if not section:
                sections[""][key] = value.strip().strip('"')
        elif line.startswith("  ") and not line.startswith("   ") and not line.lstrip().startswith("-") and section:
            key, _, value = line.strip().partition(":")
            sections[section][key] = value.strip().strip('"')
    return sections[""], sections["properties"], sections["relations"]


def levels_text(levels):
    return ", ".join(f"{title} {levels.get(title, 0):,}" for title in SCORECARD_LEVELS)


def scorecard_levels(stdout):
    """{"results": rows, "by_scorecard": {scorecard: {level: rows}}} of `cairn scorecard --format csv`."""
    rows = list(csv.DictReader(io.StringIO(stdout)))
    by_scorecard = {}
    for row in rows:
        levels = by_scorecard.setdefault(row["scorecard"], {})
        levels[row["level"]] = levels.get(row["level"], 0) + 1
    return {"results": len(rows), "by_scorecard": by_scorecard}


def cairn_check_scored(expected):
    """A check run counts if it found no error and its JSON report's `scorecards` (how many
    entities each scorecard has at each level) are `expected`: none without scorecards."""

    def check(code, stdout):
        if failure := cairn_found_no_errors(code, stdout):
            return failure
        try:
            found = {
                scorecard["identifier"]: {
                    level["title"]: level["entities"] for level in scorecard["levels"] if level["entities"]
                }
                for scorecard in json.loads(stdout).get("scorecards", [])
            }
        except (ValueError, KeyError, TypeError) as error:
            return f"the report's `scorecards` are not as cairn writes them: {error!r}"
        if found != expected:
            return f"the check scored per scorecard and level {found}, expected {expected}"
        return None

    return check


def scorecard_rows_as_expected(expected):
    def check(code, stdout):
        if code != 0:
            return f"exit code {code}"
        try:
            found = scorecard_levels(stdout)["by_scorecard"]
        except (csv.Error, KeyError) as error:
            return f"stdout is not cairn scorecard's CSV: {error!r}"
        if found != expected:
            return f"scores per scorecard and level {found}, expected {expected}"
        return None

    return check


def check_jsonschema(size, root, runs):
    """check-jsonschema once per blueprint schema, with as many files per process as exec allows."""
    executable = str(VENV / "bin" / "check-jsonschema")
    commands, files = [], 0
    for schema in sorted(root.glob("*.schema.json")):
        blueprint = schema.name.removesuffix(".schema.json")
        instances = sorted(f"{blueprint}/{path.name}" for path in (root / blueprint).iterdir())
        files += len(instances)
        prefix = [executable, "--schemafile", schema.name]
        commands += [prefix + batch for batch in argument_batches(prefix, instances)]
    if files != size:
        sys.exit(f"bench.py: {root} holds {files} entity files, expected {size}")
    shown = (
        f"cd {root} && {executable} --schemafile BLUEPRINT.schema.json BLUEPRINT/*.yaml"
        f"  # for each blueprint: {len(commands)} processes in all"
    )
    return Tool("check-jsonschema", runs, commands, exited_zero, cwd=root, shown=shown)


def argument_batches(prefix, arguments):
    """Split arguments into lists that, after prefix, stay well under the kernel's ARG_MAX."""
    environment = sum(len(key) + len(value) + 10 for key, value in os.environ.items())
    budget = (os.sysconf("SC_ARG_MAX") - environment) // 2 - sum(len(arg) + 9 for arg in prefix)
    batch, used = [], 0
    for argument in arguments:
        cost = len(argument) + 9  # its bytes, the terminating NUL and the pointer to it
        if batch and used + cost > budget:
            yield batch
            batch, used = [], 0
        batch.append(argument)
        used += cost
    if batch:
        yield batch


def exited_zero(code, _stdout):
    return None if code == 0 else f"exit code {code}"


def cairn_found_no_errors(code, stdout):
    if code != 0:
        return f"exit code {code}"
    try:
        errors = json.loads(stdout)["summary"]["errors"]
    except (ValueError, KeyError, TypeError):
        return 'stdout is not a JSON report with "summary": {"errors": N}'
    return None if errors == 0 else f"cairn reported {errors} errors, expected 0"


def cairn_found_only_policy_results(code, stdout):
    """A run with the bench policies: it may fail the check, but only with the policies' results."""
    if code not in (0, 1):
        return f"exit code {code}"
    try:
        report = json.loads(stdout)
        errors, diagnostics = report["summary"]["errors"], report["diagnostics"]
        codes = [diagnostic["code"] for diagnostic in diagnostics]
    except (ValueError, KeyError, TypeError):
        return 'stdout is not a JSON report with "summary": {"errors": N} and "diagnostics"'
    if others := sorted({code for code in codes if not POLICY_CODE.fullmatch(code)}):
        example = next(d for d in diagnostics if d["code"] == others[0])
        return f"findings other than the policies' results: {', '.join(others)} (first: {example.get('message')!r})"
    if (code == 1) != (errors > 0):
        return f"exit code {code} with {errors} errors"
    if (ran := report["summary"].get("policies")) is not None and ran != len(policy_files()):
        return f"cairn ran {ran} policies, expected the {len(policy_files())} of {POLICIES}"
    return None


def cairn_policy_results(stdout):
    codes = [diagnostic["code"] for diagnostic in json.loads(stdout)["diagnostics"]]
    by_code = {}
    for code in sorted(codes):
        by_code[code] = by_code.get(code, 0) + 1
    return {"results": len(codes), "by_code": by_code}


def regopy_results(stdout):
    report = json.loads(stdout)
    keys = ("results", "by_code", "eval_seconds", "load_seconds", "read_seconds", "jobs", "engine", "api")
    return {key: report[key] for key in keys}


def compare_counts(size, results):
    """Whether cairn and regopy found as many results, in total and per code: the mismatches.

    Printed loudly as soon as they are known; render() puts them in the report too.
    """
    by_name = {result.tool.name: result for result in results}
    cairn, regopy = by_name.get(CAIRN_POLICIES), by_name.get(REGOPY)
    if not cairn or not regopy or not cairn.details or not regopy.details:
        return []

    def found(details):  # codes with results (regopy also lists those with none)
        return {code: count for code, count in details["by_code"].items() if count}

    mismatches = []
    for result in (cairn, regopy):
        if any(found(details) != found(result.details[0]) for details in result.details):
            mismatches.append(f"{size:,} entities: {result.tool.name} found different results from run to run")
    ours, theirs = cairn.details[-1], regopy.details[-1]
    if ours["results"] != theirs["results"] or found(ours) != found(theirs):
        codes = sorted(set(found(ours)) | set(found(theirs)))
        differing = [
            f"{code} {ours['by_code'].get(code, 0)} vs {theirs['by_code'].get(code, 0)}"
            for code in codes
            if ours["by_code"].get(code, 0) != theirs["by_code"].get(code, 0)
        ]
        mismatches.append(
            f"{size:,} entities: cairn found {ours['results']} policy results, regopy {theirs['results']}"
            f" (cairn vs regopy: {'; '.join(differing) or 'same per code'})"
        )
    for mismatch in mismatches:
        banner = "!" * 100
        print(f"{banner}\n!!! RESULT COUNT MISMATCH, {mismatch}\n{banner}", flush=True)
    return mismatches


def plan_found_the_change(path):
    """A plan run counts if it exits 0, lists the entity of `path` as modified in its title alone,
    and introduces no finding."""

    def check(code, stdout):
        if code != 0:
            return f"exit code {code}"
        try:
            report = json.loads(stdout)
            changes = [(e["kind"], e["file"], [f["field"] for f in e["fields"]]) for e in report["entities"]]
            introduced = len(report["introduced"])
        except (ValueError, KeyError, TypeError):
            return 'stdout is not a JSON plan with "entities" (kind, file, fields) and "introduced"'
        if changes != [("modified", path, ["title"])]:
            return f"expected {path} modified in its title alone, the plan has {changes}"
        return None if introduced == 0 else f"the plan introduces {introduced} finding(s), expected none"

    return check


def backstage_found_no_errors(size):
    expected = f"{size} entities, 0 errors"

    def check(code, stdout):
        if code != 0:
            return f"exit code {code}"
        return None if expected in stdout else f"expected {expected!r}, got {stdout.strip()!r}"

    return check


# --- Measuring -----------------------------------------------------------------------------


def benchmark(size, tool):
    times, peak_kib, all_details = [], 0, []
    log_name = tool_log_name(size, tool)
    for run_number in range(1, tool.runs + 1):
        seconds, kib, failure, stdout = measure(tool, log_name)
        peak_kib = max(peak_kib, kib)
        label = f"{tool.name:<26} run {run_number}/{tool.runs}"
        if failure:
            print(f"  {label}  FAILED: {failure}", flush=True)
            return Result(size, tool, times, peak_kib, failure, all_details)
        note = ""
        if tool.details:
            try:
                details = tool.details(stdout)
            except (ValueError, KeyError, TypeError) as error:
                failure = f"cannot read its report: {error!r} (output: {LOGS / log_name}.*)"
                print(f"  {label}  FAILED: {failure}", flush=True)
                return Result(size, tool, times, peak_kib, failure, all_details)
            all_details.append(details)
            note = f"  {details['results']:7,} results"
            if "eval_seconds" in details:  # a peer that times its evaluation itself
                note += f"  (load {details['load_seconds']:.2f} s, whole process {seconds:.2f} s)"
                seconds = details["eval_seconds"]
        times.append(seconds)
        print(f"  {label}  {seconds:9.3f} s  {kib / 1024:8.1f} MiB{note}", flush=True)
    return Result(size, tool, times, peak_kib, None, all_details)


def benchmark_in_turn(size, tools):
    """Run run 1 of every tool, then run 2 of every tool, and so on, so that a machine growing
    busier or quieter meanwhile weighs on all of them alike. A tool that fails stops; the others go on."""
    results = [Result(size, tool, [], 0, None) for tool in tools]
    width = max(len(tool.name) for tool in tools)
    for run_number in range(1, max(tool.runs for tool in tools) + 1):
        for result in results:
            tool = result.tool
            if result.failure or run_number > tool.runs:
                continue
            seconds, kib, result.failure, stdout = measure(tool, tool_log_name(size, tool))
            result.peak_kib = max(result.peak_kib, kib)
            label = f"{tool.name:<{width}} run {run_number}/{tool.runs}"
            if result.failure:
                print(f"  {label}  FAILED: {result.failure}", flush=True)
                continue
            note = ""
            if tool.details:
                result.details.append(tool.details(stdout))
                note = f"  {result.details[-1]['results']:7,} results"
            result.times.append(seconds)
            print(f"  {label}  {seconds:9.3f} s  {kib / 1024:8.1f} MiB{note}", flush=True)
    return results


def tool_log_name(size, tool):
    return f"{size}-{re.sub('[^a-z0-9]+', '-', tool.name).strip('-')}"


def measure(tool, log_name):
    """One run of tool: (wall seconds summed over its processes, their peak RSS in KiB, failure,
    the last process's stdout)."""
    seconds, peak_kib, stdout = 0.0, 0, ""
    for index, argv in enumerate(tool.commands):
        stdout_path = LOGS / f"{log_name}.{index}.stdout"
        stderr_path = LOGS / f"{log_name}.{index}.stderr"
        code, elapsed, kib = launch(argv, tool.cwd, stdout_path, stderr_path)
        seconds += elapsed
        peak_kib = max(peak_kib, kib)
        stdout = stdout_path.read_text(errors="replace")
        if failure := tool.check(code, stdout):
            return seconds, peak_kib, f"{failure} (output: {stdout_path}, {stderr_path})", stdout
    return seconds, peak_kib, None, stdout


# Runs one command and writes its exit code, wall time and peak RSS (KiB) to the file argv[1].
# bench.py does not fork the commands itself: a forked child's peak RSS starts at the resident
# size of its parent, tens of MiB for bench.py but a few MiB for this bare interpreter.
LAUNCHER = """
import posix, sys, time
result_path, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = posix.fork()
if pid == 0:
    try:
        posix.execv(argv[0], argv)
    except OSError as error:
        sys.stderr.write(f"cannot run {argv[0]}: {error}\\n")
    posix._exit(127)
_, status, usage = posix.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result_path, "w") as result:
    result.write(f"{posix.waitstatus_to_exitcode(status)} {seconds} {usage.ru_maxrss}")
"""


def launch(argv, cwd, stdout_path, stderr_path):
    """Run argv (its program an absolute path) through LAUNCHER: (exit code, seconds, peak KiB)."""
    result_path = LOGS / "launch.result"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        subprocess.run(
            [sys.executable, "-S", "-I", "-c", LAUNCHER, str(result_path), *argv],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            check=True,
        )
    code, seconds, kib = result_path.read_text().split()
    return int(code), float(seconds), int(kib)


def least_rss_kib():
    """The peak RSS the launcher reports for `true`: no reading can be lower."""
    log = LOGS / "true"
    return launch([shutil.which("true")], None, log.with_suffix(".stdout"), log.with_suffix(".stderr"))[2]


# --- The report ----------------------------------------------------------------------------


def render(args, results, policy_results, mismatches, change_results, scorecard_results, least_kib):
    lines = [
        "# `cairn check` benchmark",
        "",
        f"Measured on {datetime.now(timezone.utc):%Y-%m-%d} by `benches/bench.py` (`{shlex.join(sys.argv[1:])}`).",
        "",
        "Every run is a separate process, started after every file of the repo was read once (so",
        "all tools find it in the page cache). Wall time is measured around the process, peak memory",
        "is its maximum resident set size (`ru_maxrss` from `wait4`); a process started by the",
        f"harness shows at least {least_kib / 1024:.1f} MiB (the reading for `true`). check-jsonschema",
        "runs once per blueprint, in batches that fit the kernel's argument limit: its time is the sum",
        "over those processes and its memory the largest of them. Every run must succeed and, for",
        "cairn, report no errors: the generated repos are valid.",
        "",
        "## Machine",
        "",
        *[f"- {line}" for line in machine(args.cairn)],
    ]
    if results:
        lines += ["", "## Results", "", *results_table(results, BASELINE, "vs cairn (dir)")]
        if failures := [result for result in results if result.failure]:
            lines += ["", "Failures:", ""]
            lines += [f"- {result.size:,}, {result.tool.name}: {result.failure}" for result in failures]
    if policy_results:
        lines += ["", *render_policies(args, policy_results, mismatches)]
    if change_results:
        lines += ["", *render_change(change_results)]
    if scorecard_results:
        lines += ["", *render_scorecards(scorecard_results)]
    lines += ["", "## Commands", ""]
    for title, sizes_run, measured in (
        ("", args.sizes, results),
        (", policies", args.policy_sizes, policy_results),
        (", one file changed", args.change_sizes, change_results),
        (", scorecards", args.scorecard_sizes, scorecard_results),
    ):
        for size in sizes_run:
            lines += [f"{size:,} entities{title}:", "", "```sh"]
            for result in measured:
                if result.size == size:
                    tool = result.tool
                    lines += [tool.shown] if tool.shown else [shlex.join(argv) for argv in tool.commands]
            lines += ["```", ""]
    return "\n".join(lines)


def results_table(results, baseline_name, ratio_title, extra=None):
    """The markdown table of results, each median also as a multiple of baseline_name's.

    extra, when given, is (column title, result -> cell) for one more column before the ratio."""
    baseline = {
        result.size: statistics.median(result.times)
        for result in results
        if result.tool.name == baseline_name and not result.failure
    }
    head = "| entities | tool | runs | median s | min s | max s | peak RSS MiB |"
    rule = "|---:|---|---:|---:|---:|---:|---:|"
    if extra:
        head, rule = head + f" {extra[0]} |", rule + "---:|"
    lines = [f"{head} {ratio_title} |", f"{rule}---:|"]
    for result in results:
        name, size = result.tool.name, f"{result.size:,}"
        cell = f" {extra[1](result)} |" if extra else ""
        if result.failure:
            lines.append(f"| {size} | {name} | {len(result.times)}/{result.tool.runs} | failed | | | |{cell} |")
            continue
        median = statistics.median(result.times)
        ratio = format_ratio(median / baseline[result.size]) if result.size in baseline else "–"
        seconds = " | ".join(format_seconds(value) for value in (median, min(result.times), max(result.times)))
        memory = f"{result.peak_kib / 1024:.1f}" if result.peak_kib else "–"
        lines.append(f"| {size} | {name} | {len(result.times)} | {seconds} | {memory} |{cell} {ratio} |")
    return lines


def render_policies(args, policy_results, mismatches):
    """The policy section: cairn with and without the bench policies, regopy's evaluation and
    load as rows of their own, and whether both found as many results per code."""
    rows = []
    for result in policy_results:
        rows.append(result)
        if result.tool.name == REGOPY and result.details:
            load = Tool(REGOPY_LOAD, result.tool.runs, [], exited_zero)
            rows.append(Result(result.size, load, [d["load_seconds"] for d in result.details], 0, None))
    regopy = next((r.details[-1] for r in policy_results if r.tool.name == REGOPY and r.details), None)
    engine = f"{regopy['engine']} in {regopy['jobs']} process(es)" if regopy else "regopy"
    lines = [
        f"## Policies: {len(policy_files())} per-entity policies, cairn against regopy",
        "",
        "The policies of `benches/policies` (one package each, codes BENCH01 to BENCH10) are in the",
        "`policies/` folder of a copy of the repo whose `cairn.yaml` turns the bundled library off.",
        f"`{CAIRN_POLICIES}` is the whole `cairn check` process (reading, parsing, schema and",
        f"relation checks, then the policies); `{CAIRN_NO_POLICIES}` is the same copy without them.",
        f"The peer is {engine} (`regopy_eval.py`), evaluating every rule of the same policies for",
        "every entity with the same `input` and `data.cairn.catalog`: the policies and data compiled",
        "once into a bundle, then `set_input` and `query_bundle` per entity. It is timed inside its",
        "process: its evaluation alone, and as a row of its own everything before it (reading the",
        "YAML, building inputs and data, loading them, compiling the bundle), so that the comparison",
        "favours regopy. Its peak memory is that of the whole process. `results` counts the deny and",
        "warn results each found; they must agree.",
        "",
    ]
    if mismatches:
        lines += ["**RESULT COUNTS DISAGREE:**", ""]
        lines += [f"- **{mismatch}**" for mismatch in mismatches]
        lines.append("")

    def results_cell(result):
        counts = {d["results"] for d in result.details}
        return ", ".join(f"{count:,}" for count in sorted(counts)) if counts else ""

    lines += results_table(rows, CAIRN_POLICIES, "vs cairn (10 policies)", ("results", results_cell))
    if failures := [result for result in policy_results if result.failure]:
        lines += ["", "Failures:", ""]
        lines += [f"- {result.size:,}, {result.tool.name}: {result.failure}" for result in failures]

    lines += ["", "Results per code (last run of each):", ""]
    lines += ["| entities | code | cairn | regopy | |", "|---:|---|---:|---:|---|"]
    for size in args.policy_sizes:
        found = {r.tool.name: r.details[-1]["by_code"] for r in policy_results if r.size == size and r.details}
        ours, theirs = found.get(CAIRN_POLICIES), found.get(REGOPY)
        for code in sorted(set(ours or {}) | set(theirs or {})):
            a = ours.get(code, 0) if ours is not None else None
            b = theirs.get(code, 0) if theirs is not None else None
            verdict = "" if a is None or b is None else "agree" if a == b else "**MISMATCH**"
            shown = ["–" if value is None else f"{value:,}" for value in (a, b)]
            lines.append(f"| {size:,} | {code} | {shown[0]} | {shown[1]} | {verdict} |")
    return lines


def render_change(change_results):
    """The change section: each command's time and memory, and both as multiples of the baseline's."""
    lines = [
        "## Change: checking and planning a one-file change, against checking one revision",
        "",
        f"`{CHANGE_REPO}` is a bare clone of the repo with a branch `change`, one commit on top of",
        "`main` that changes one component's title (a valid change). Each command runs in that repo,",
        f"with `--format json`; the runs go in turn (run 1 of each, then run 2, …). `{CHANGE_BASELINE}`",
        "reads one revision; `check --base main --head change` and `plan` read both. Every run must exit",
        "0, the checks with no error, and the plan must list exactly that entity as modified and",
        "introduce no finding. The ratios are the median time and the peak memory as multiples of",
        f"`{CHANGE_BASELINE}`'s; the target is at most {CHANGE_TARGET}× for both (above it: in bold).",
        "",
        "| entities | command | runs | median s | min–max s | peak RSS MiB | time vs check --rev"
        " | memory vs check --rev |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    baseline = {
        result.size: result for result in change_results if result.tool.name == CHANGE_BASELINE and not result.failure
    }

    def ratio(value, base):
        if not base:
            return "–"
        shown = format_ratio(value / base)
        return f"**{shown}**" if value / base > CHANGE_TARGET else shown

    for result in change_results:
        name, size = f"`{result.tool.name}`", f"{result.size:,}"
        if result.failure:
            lines.append(f"| {size} | {name} | {len(result.times)}/{result.tool.runs} | failed | | | | |")
            continue
        median, base = statistics.median(result.times), baseline.get(result.size)
        span = f"{format_seconds(min(result.times))}–{format_seconds(max(result.times))}"
        time_ratio = ratio(median, statistics.median(base.times)) if base else "–"
        memory_ratio = ratio(result.peak_kib, base.peak_kib) if base else "–"
        lines.append(
            f"| {size} | {name} | {len(result.times)} | {format_seconds(median)} | {span}"
            f" | {result.peak_kib / 1024:.1f} | {time_ratio} | {memory_ratio} |"
        )
    if failures := [result for result in change_results if result.failure]:
        lines += ["", "Failures:", ""]
        lines += [f"- {result.size:,}, {result.tool.name}: {result.failure}" for result in failures]
    return lines


def render_scorecards(scorecard_results):
    """The scorecard section: `cairn check` with scorecards and `cairn scorecard`, each as a
    multiple of `cairn check` without them, and the scores cairn found."""
    lines = [
        "## Scorecards: `cairn check` without and with scorecards, and `cairn scorecard`",
        "",
        "`platform-no-scorecards` and `platform-scorecards` are copies of the repo (hard links) that",
        "differ in their `cairn.yaml` alone, `library: {scorecards: false}` or `true` (the bundled",
        "`production-readiness` on Component), and in the second's `scorecards/` folder, which holds",
        f"`{SCORECARDS.relative_to(ROOT)}` (`api-maturity` on API, with relation conditions). Each",
        "command runs with its report on stdout; the runs go in turn (run 1 of each, then run 2, …).",
        f"`{CAIRN_SCORECARDS}` (in its report's `scorecards`) and `{CAIRN_SCORECARD}` must both",
        "find, per scorecard and level, as many entities as the harness's own reading of the two",
        "scorecards' rules over the entity files finds. The ratios are the",
        f"median time and the peak memory as multiples of `{CAIRN_NO_SCORECARDS}`'s; the target for",
        f"`{CAIRN_SCORECARDS}` is under {SCORECARD_TARGET}× in time (above it: in bold).",
        "",
        "| entities | command | runs | median s | min–max s | peak RSS MiB | time vs no scorecards"
        " | memory vs no scorecards |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    baseline = {
        result.size: result
        for result in scorecard_results
        if result.tool.name == CAIRN_NO_SCORECARDS and not result.failure
    }
    for result in scorecard_results:
        name, size = f"`{result.tool.name}`", f"{result.size:,}"
        if result.failure:
            lines.append(f"| {size} | {name} | {len(result.times)}/{result.tool.runs} | failed | | | | |")
            continue
        median, base = statistics.median(result.times), baseline.get(result.size)
        span = f"{format_seconds(min(result.times))}–{format_seconds(max(result.times))}"
        time_ratio = memory_ratio = "–"
        if base:
            ratio = median / statistics.median(base.times)
            time_ratio = format_ratio(ratio)
            if result.tool.name == CAIRN_SCORECARDS and ratio >= SCORECARD_TARGET:
                time_ratio = f"**{time_ratio}**"
            memory_ratio = format_ratio(result.peak_kib / base.peak_kib)
        lines.append(
            f"| {size} | {name} | {len(result.times)} | {format_seconds(median)} | {span}"
            f" | {result.peak_kib / 1024:.1f} | {time_ratio} | {memory_ratio} |"
        )
    if failures := [result for result in scorecard_results if result.failure]:
        lines += ["", "Failures:", ""]
        lines += [f"- {result.size:,}, {result.tool.name}: {result.failure}" for result in failures]
    scored = [result for result in scorecard_results if result.tool.name == CAIRN_SCORECARD and result.details]
    if scored:
        lines += ["", "Entities scored (the last run of `cairn scorecard`), per level:", ""]
        lines += [
            f"| entities | scorecard | scored | {' | '.join(SCORECARD_LEVELS)} |",
            "|---:|---|---:|" + "---:|" * len(SCORECARD_LEVELS),
        ]
        for result in scored:
            for card, levels in sorted(result.details[-1]["by_scorecard"].items()):
                counts = " | ".join(f"{levels.get(title, 0):,}" for title in SCORECARD_LEVELS)
                lines.append(f"| {result.size:,} | `{card}` | {sum(levels.values()):,} | {counts} |")
    return lines


def format_seconds(seconds):
    return f"{seconds:.4f}" if seconds < 1 else f"{seconds:.2f}"


def format_ratio(ratio):
    if ratio < 10:
        return f"{ratio:.2f}×"
    return f"{ratio:.1f}×" if ratio < 100 else f"{ratio:,.0f}×"


def machine(cairn):
    cpu = proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    memory_gib = int(proc_field("/proc/meminfo", "MemTotal").split()[0]) / 1024**2
    python_packages = first_line(
        [
            VENV / "bin" / "python",
            "-c",
            "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
            "('check-jsonschema', 'jsonschema', 'ruamel.yaml', 'regopy', 'PyYAML')))",
        ]
    )
    try:
        node_packages = ", ".join(
            f"{name} {json.loads((NODE_DIR / 'node_modules' / name / 'package.json').read_text())['version']}"
            for name in ("@backstage/catalog-model", "yaml")
        )
    except OSError:
        node_packages = "not installed (no --sizes)"
    return [
        f"CPU: {cpu}; nproc: {len(os.sched_getaffinity(0))}",
        f"Memory: {memory_gib:.1f} GiB; OS: {platform.system()} {platform.release()}",
        f"cairn: {first_line([cairn, '--version']) if cairn else 'not run (--no-cairn)'}",
        f"Python {platform.python_version()}: {python_packages}",
        f"Node {first_line(['node', '--version'])}: {node_packages}",
    ]


def proc_field(path, key):
    with open(path, encoding="utf-8") as lines:
        return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), None)


def first_line(command):
    try:
        completed = subprocess.run([str(arg) for arg in command], capture_output=True, text=True, check=False)
    except OSError:  # not installed: node, with no --sizes
        return "unknown"
    lines = completed.stdout.strip().splitlines()
    return lines[0] if completed.returncode == 0 and lines else "unknown"


if __name__ == "__main__":
    main()
