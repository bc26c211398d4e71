#!/usr/bin/env python3
"""Benchmark `cairn audit` on a generated history, side by side with `git log --raw` over it.

    python3 benches/audit_bench.py --cairn target/release/cairn --entities 10000 --commits 10000 \\
        --runs 5 --out benches/results-audit.md

Generates the history once with history.py (cached under target/bench/history-<E>x<C>/, made
again when history.py, generate.py or the blueprints change), checks that `cairn check` finds no
error at its tip, then times in one run, run 1 of every command, then run 2 of every command and
so on (so that a machine growing busier weighs on all alike), each as its own process:

    floor, first parent   git log --raw --first-parent main
    floor, every commit   git log --raw main
    floor, one file       git log --raw --first-parent main -- FILE (the busiest entity's file at the tip)
    audit log, one entity cairn audit log PATH --entity BP:ID --format json
    audit log             cairn audit log PATH --format json
    audit report          cairn audit report PATH --format json
    audit stats           cairn audit stats PATH --format json

and writes a markdown report (machine, versions, exact commands, medians, minimum, maximum, peak
RSS, and each median as a multiple of its floor's). Exits non-zero if any command failed.
Measuring is bench.py's (`benchmark_in_turn`, `measure`: wall time around the process, peak RSS
from `wait4`). See README.md, "The audit benchmark".
"""

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402
from bench import Tool  # noqa: E402

BENCHES = Path(__file__).resolve().parent
ROOT = BENCHES.parent
HISTORY_SOURCES = [BENCHES / "history.py", BENCHES / "generate.py", *sorted((ROOT / "blueprints").glob("*.yaml"))]

FLOOR_FIRST_PARENT = "floor: git log --raw --first-parent"
FLOOR_ALL = "floor: git log --raw"
FLOOR_FILE = "floor: git log --raw --first-parent -- FILE"
LOG_ENTITY = "cairn audit log --entity"
LOG = "cairn audit log"
REPORT = "cairn audit report"
STATS = "cairn audit stats"
# The floor each command is compared with: the git walk that reads the same commits.
FLOOR_OF = {
    FLOOR_FIRST_PARENT: FLOOR_FIRST_PARENT,
    FLOOR_ALL: FLOOR_ALL,
    FLOOR_FILE: FLOOR_FIRST_PARENT,
    LOG_ENTITY: FLOOR_FIRST_PARENT,
    LOG: FLOOR_FIRST_PARENT,
    REPORT: FLOOR_FIRST_PARENT,
    STATS: FLOOR_ALL,
}


@dataclass
class History:
    repo: Path
    summary: dict


def main():
    args = parse_args()
    bench.LOGS.mkdir(parents=True, exist_ok=True)
    history = ensure_history(args.entities, args.commits)
    label = f"{args.entities}x{args.commits}"
    print(f"\n== {args.entities:,} entities, {args.commits:,} commits ({history.repo})", flush=True)
    if failure := check_tip(args.cairn, history.repo):
        sys.exit(f"audit_bench.py: the generated tip is not clean: {failure}")
    bench.warm_page_cache(history.repo / ".git")
    results = bench.benchmark_in_turn(label, tools(args, history))
    report = render(args, history, results, bench.least_rss_kib())
    args.out.write_text(report, encoding="utf-8")
    print(f"\n{report}\nwrote {args.out}")
    if failed := [result for result in results if result.failure]:
        sys.exit(f"audit_bench.py: {len(failed)} command(s) failed; see the report")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cairn", type=absolute, required=True, metavar="BIN", help="the cairn binary to measure")
    parser.add_argument("--entities", type=int, default=10000, metavar="E")
    parser.add_argument("--commits", type=int, default=10000, metavar="C")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument(
        "--slow-runs",
        type=int,
        metavar="N",
        help="runs of `audit report` and `audit stats`, when fewer than --runs (default: --runs)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="stop a cairn run after this long (coreutils' timeout); it then counts as failed, shown as over it",
    )
    parser.add_argument("--out", type=Path, default=BENCHES / "results-audit.md")
    args = parser.parse_args()
    if args.runs < 1 or (args.slow_runs is not None and args.slow_runs < 1):
        parser.error("--runs and --slow-runs must be at least 1")
    return args


def absolute(text):
    """A program given as a path, or found on PATH: the launcher runs it by absolute path."""
    found = shutil.which(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text} is not an executable")
    return Path(found).resolve()


# --- The history ---------------------------------------------------------------------------


def ensure_history(entities, commits):
    """target/bench/history-ExC/platform, made by history.py unless already made from the same sources."""
    root = bench.WORK / f"history-{entities}x{commits}"
    repo, summary_path = root / "platform", root / "summary.json"
    if bench.stale(root, HISTORY_SOURCES):
        command = [sys.executable, BENCHES / "history.py", "--entities", entities, "--commits", commits, repo]
        print("$", shlex.join(str(arg) for arg in command), flush=True)
        completed = subprocess.run([str(arg) for arg in command], capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            sys.exit(f"audit_bench.py: history.py failed: {completed.stderr.strip()}")
        summary_path.write_text(completed.stdout, encoding="utf-8")
        bench.mark_fresh(root, HISTORY_SOURCES)
    return History(repo, json.loads(summary_path.read_text(encoding="utf-8")))


def check_tip(cairn, repo):
    """Why `cairn check` of the tip is not clean (the generator fixes every error it makes), or None."""
    completed = subprocess.run(
        [str(cairn), "check", str(repo), "--format", "json"], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        return f"cairn check exited {completed.returncode}: {completed.stdout[-2000:]}{completed.stderr[-2000:]}"
    errors = json.loads(completed.stdout)["summary"]["errors"]
    return f"cairn check found {errors} error(s)" if errors else None


# --- The commands --------------------------------------------------------------------------


def tools(args, history):
    repo, summary = history.repo, history.summary
    git = [shutil.which("git"), "-C", str(repo)]
    slow = args.slow_runs or args.runs

    def cairn(*arguments):
        command = [str(args.cairn), *arguments]
        if args.timeout:  # timeout waits for cairn: wait4 gives cairn's peak RSS as timeout's
            return [shutil.which("timeout"), str(args.timeout), *command]
        return command

    found = [
        Tool(FLOOR_FIRST_PARENT, args.runs, [[*git, "log", "--raw", "--first-parent", "main"]], exited_zero),
        Tool(FLOOR_ALL, args.runs, [[*git, "log", "--raw", "main"]], exited_zero),
    ]
    if summary["busiestPath"]:
        file_log = [*git, "log", "--raw", "--first-parent", "main", "--", summary["busiestPath"]]
        found.append(Tool(FLOOR_FILE, args.runs, [file_log], exited_zero))
    found += [
        Tool(
            LOG_ENTITY,
            args.runs,
            [cairn("audit", "log", str(repo), "--entity", summary["busiest"], "--format", "json")],
            log_has(summary["busiestChanges"]),
        ),
        Tool(LOG, args.runs, [cairn("audit", "log", str(repo), "--format", "json")], log_has(summary["changes"])),
        Tool(REPORT, slow, [cairn("audit", "report", str(repo), "--format", "json")], report_as_expected(summary)),
        Tool(STATS, slow, [cairn("audit", "stats", str(repo), "--format", "json")], stats_as_expected),
    ]
    for tool in found:
        if args.timeout and not tool.name.startswith("floor"):
            tool.shown = shlex.join(tool.commands[0][2:])  # the command, without timeout
    return found


# What counts as success. Every cairn audit command exits 0 when it produced its answer: `audit
# report` too when it lists violations (the report is the answer, not a check). 1 means nothing
# matched (an empty log, period or window), which on this history is a bug, and 2 that the
# repository could not be read. So a run counts only if it exits 0 and its JSON says what the
# generator made.


TIMED_OUT = 124  # coreutils' timeout, when it stopped the command


def exited_zero(code, _stdout):
    if code == TIMED_OUT:
        return "timed out"
    return None if code == 0 else f"exit code {code}"


def log_has(expected):
    def check(code, stdout):
        if code != 0:
            return exited_zero(code, stdout)
        entries = len(json.loads(stdout)["entries"])
        return None if entries == expected else f"{entries} entries, expected {expected}"

    return check


def report_as_expected(summary):
    def check(code, stdout):
        if code != 0:
            return exited_zero(code, stdout)
        report = json.loads(stdout)
        changes, violations = len(report["changes"]), report["violations"]
        if changes != summary["firstParent"]:
            return f"{changes} changes, expected {summary['firstParent']} (the first-parent commits)"
        if still := [violation for violation in violations if violation["stillPresent"]]:
            return f"{len(still)} violation(s) still present at the tip, expected none"
        if len(violations) < summary["errors"]:
            return f"{len(violations)} violation(s), expected at least the {summary['errors']} the generator made"
        return None

    return check


def stats_as_expected(code, stdout):
    if code != 0:
        return exited_zero(code, stdout)
    json.loads(stdout)
    return None


# --- The report ----------------------------------------------------------------------------


def render(args, history, results, least_kib):
    summary = history.summary
    lines = [
        "# `cairn audit` benchmark",
        "",
        f"Measured on {datetime.now(timezone.utc):%Y-%m-%d} by `benches/audit_bench.py`",
        f"(`{shlex.join(sys.argv[1:])}`).",
        "",
        *textwrap.wrap(
            f"The history: `history.py --entities {args.entities} --commits {args.commits}`, "
            f"{summary['commits']:,} commits ({summary['firstParent']:,} on `main`'s first-parent history, "
            f"{summary['merges']:,} of them merges of a pull request's branch), {summary['changes']:,} changes "
            f"to entities (the first commit's {args.entities:,} creations included), {summary['errors']} errors "
            f"introduced and fixed later; tip `{summary['head']}`, {summary['entities']:,} entities. The entity "
            f"of `--entity` is `{summary['busiest']}`, the one changed most often "
            f"({summary['busiestChanges']} entries).",
            100,
            break_on_hyphens=False,
        ),
        "",
        "Each command runs as its own process, run 1 of each in turn, then run 2, and so on, after the",
        "repository's objects were read once (so all find them in the page cache); stdout goes to a file.",
        "Wall time is measured around the process, peak memory is its maximum resident set size",
        f"(`ru_maxrss` from `wait4`; a process started by the harness shows at least {least_kib / 1024:.1f} MiB).",
        "A cairn run counts only if it exits 0 and its JSON holds what the generator made: every change",
        "for `audit log`, one change per first-parent commit and no violation left at the tip for",
        "`audit report`.",
        "",
        "Each median is also given as a multiple of its floor's, the `git log` that walks the same",
        "commits: the first-parent history for `audit log` and `audit report` (and the one-file log),",
        "every commit for `audit stats` (which reads the history with every parent).",
        "",
        "## Machine",
        "",
        *[f"- {line}" for line in machine(args.cairn)],
        "",
        "## Results",
        "",
        *table(results, args.timeout),
    ]
    if failures := [result for result in results if result.failure]:
        lines += ["", "Failures:", ""]
        lines += [f"- {result.tool.name}: {result.failure}" for result in failures]
    lines += ["", "## Commands", "", "```sh"]
    lines += [result.tool.shown or shlex.join(result.tool.commands[0]) for result in results]
    lines += ["```", ""]
    return "\n".join(lines)


def table(results, timeout):
    medians = {result.tool.name: statistics.median(result.times) for result in results if result.times}
    lines = [
        "| command | runs | median s | min s | max s | peak RSS MiB | × floor | floor |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        name, floor = result.tool.name, FLOOR_OF[result.tool.name]
        if result.failure and result.failure.startswith("timed out"):
            runs = f"{len(result.times)}/{result.tool.runs}"
            lines.append(f"| {name} | {runs} | over {timeout} | | | | | stopped by `--timeout` |")
            continue
        if result.failure:
            lines.append(f"| {name} | {len(result.times)}/{result.tool.runs} | failed | | | | | |")
            continue
        median = medians[name]
        ratio = bench.format_ratio(median / medians[floor]) if medians.get(floor) else "–"
        seconds = " | ".join(bench.format_seconds(value) for value in (median, min(result.times), max(result.times)))
        floor_cell = "" if floor == name else floor.removeprefix("floor: ")
        memory = f"{result.peak_kib / 1024:.1f}"
        lines.append(f"| {name} | {len(result.times)} | {seconds} | {memory} | {ratio} | {floor_cell} |")
    return lines


def machine(cairn):
    cpu = bench.proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"
    memory_gib = int(bench.proc_field("/proc/meminfo", "MemTotal").split()[0]) / 1024**2
    return [
        f"CPU: {cpu}; nproc: {len(os.sched_getaffinity(0))}",
        f"Memory: {memory_gib:.1f} GiB; OS: {platform.system()} {platform.release()}",
        f"cairn: {bench.first_line([cairn, '--version'])} ({cairn})",
        f"{bench.first_line(['git', '--version'])}; Python {platform.python_version()}",
    ]


if __name__ == "__main__":
    main()
