#!/usr/bin/env python3
"""Benchmark `cairn check` against its peers on synthetic platform repos of several sizes.

    python3 benches/bench.py --cairn target/release/cairn --floor "target/release/cairn-floor {dir}" \\
        --sizes 1000,10000,100000 --runs 5 --peer-runs 1 --out benches/results.md

For each size it generates a repo (once; see generate.py), then times, each as its own process:
cairn on the directory and on a git revision of a bare clone, the optional floor command, and
the peers check-jsonschema and Backstage's catalog-model validators. It reports the median wall
time and the peak resident memory of each as a markdown table. The peers are installed on first
use under target/bench/peers. See README.md.
"""

import argparse
import hashlib
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
from dataclasses import dataclass
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


@dataclass
class Tool:
    name: str
    runs: int
    commands: list[list[str]]  # run one after another; together they make one run
    check: Callable[[int, str], str | None]  # (exit code, stdout) -> why the run failed, or None
    cwd: Path | None = None
    shown: str | None = None  # how the report shows the commands, when listing them all is too long


@dataclass
class Result:
    size: int
    tool: Tool
    times: list[float]
    peak_kib: int
    failure: str | None


def main():
    args = parse_args()
    ensure_peers()
    LOGS.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        root = ensure_repos(size)
        print(f"\n== {size:,} entities ({root})", flush=True)
        warm_page_cache(root)
        results += [benchmark(size, tool) for tool in tools(size, root, args)]
    report = render(args, results, least_rss_kib())
    args.out.write_text(report, encoding="utf-8")
    print(f"\n{report}\nwrote {args.out}")
    if failed := [result for result in results if result.failure]:
        sys.exit(f"bench.py: {len(failed)} tool(s) failed, see the report")


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
    parser.add_argument("--runs", type=int, default=5, help="runs of cairn and the floor (default: %(default)s)")
    parser.add_argument("--peer-runs", type=int, default=1, help="runs of each peer (default: %(default)s)")
    parser.add_argument(
        "--out", type=Path, default=BENCHES / "results.md", help="the report (default: benches/results.md)"
    )
    args = parser.parse_args()
    if args.cairn:
        args.cairn = shutil.which(args.cairn) or parser.error(f"--cairn: {args.cairn} is not an executable")
    if args.floor:
        program, *floor_args = shlex.split(args.floor)
        args.floor = [
            shutil.which(program) or parser.error(f"--floor: {program} is not an executable"),
            *floor_args,
        ]
    for program in ("git", "node", "npm"):
        if not shutil.which(program):
            parser.error(f"{program} is needed and not on PATH")
    return args


def sizes(text):
    return [int(size) for size in text.split(",")]


# --- Setup ---------------------------------------------------------------------------------


def ensure_peers():
    """Install check-jsonschema in a venv and Backstage's catalog-model with npm ci, unless done."""
    requirements = BENCHES / "requirements.txt"
    if stale(VENV, [requirements]):
        run([sys.executable, "-m", "venv", VENV])
        run([VENV / "bin" / "pip", "install", "--quiet", "--requirement", requirements])
        mark_fresh(VENV, [requirements])

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


def backstage_found_no_errors(size):
    expected = f"{size} entities, 0 errors"

    def check(code, stdout):
        if code != 0:
            return f"exit code {code}"
        return None if expected in stdout else f"expected {expected!r}, got {stdout.strip()!r}"

    return check


# --- Measuring -----------------------------------------------------------------------------


def benchmark(size, tool):
    times, peak_kib = [], 0
    for run_number in range(1, tool.runs + 1):
        seconds, kib, failure = measure(tool, f"{size}-{re.sub('[^a-z]+', '-', tool.name).strip('-')}")
        peak_kib = max(peak_kib, kib)
        label = f"{tool.name:<24} run {run_number}/{tool.runs}"
        if failure:
            print(f"  {label}  FAILED: {failure}", flush=True)
            return Result(size, tool, times, peak_kib, failure)
        times.append(seconds)
        print(f"  {label}  {seconds:9.3f} s  {kib / 1024:8.1f} MiB", flush=True)
    return Result(size, tool, times, peak_kib, None)


def measure(tool, log_name):
    """One run of tool: (wall seconds summed over its processes, their peak RSS in KiB, failure)."""
    seconds, peak_kib = 0.0, 0
    for index, argv in enumerate(tool.commands):
        stdout_path = LOGS / f"{log_name}.{index}.stdout"
        stderr_path = LOGS / f"{log_name}.{index}.stderr"
        code, elapsed, kib = launch(argv, tool.cwd, stdout_path, stderr_path)
        seconds += elapsed
        peak_kib = max(peak_kib, kib)
        if failure := tool.check(code, stdout_path.read_text(errors="replace")):
            return seconds, peak_kib, f"{failure} (output: {stdout_path}, {stderr_path})"
    return seconds, peak_kib, None


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


def render(args, results, least_kib):
    baseline = {
        result.size: statistics.median(result.times)
        for result in results
        if result.tool.name == BASELINE and not result.failure
    }
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
        "",
        "## Results",
        "",
        "| entities | tool | runs | median s | min s | max s | peak RSS MiB | vs cairn (dir) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        name, size = result.tool.name, f"{result.size:,}"
        if result.failure:
            lines.append(f"| {size} | {name} | {len(result.times)}/{result.tool.runs} | failed | | | | |")
            continue
        median = statistics.median(result.times)
        ratio = format_ratio(median / baseline[result.size]) if result.size in baseline else "–"
        seconds = " | ".join(format_seconds(value) for value in (median, min(result.times), max(result.times)))
        lines.append(f"| {size} | {name} | {len(result.times)} | {seconds} | {result.peak_kib / 1024:.1f} | {ratio} |")
    if failures := [result for result in results if result.failure]:
        lines += ["", "Failures:", ""]
        lines += [f"- {result.size:,}, {result.tool.name}: {result.failure}" for result in failures]
    lines += ["", "## Commands", ""]
    for size in args.sizes:
        lines += [f"{size:,} entities:", "", "```sh"]
        for result in results:
            if result.size == size:
                tool = result.tool
                lines += [tool.shown] if tool.shown else [shlex.join(argv) for argv in tool.commands]
        lines += ["```", ""]
    return "\n".join(lines)


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
            "('check-jsonschema', 'jsonschema', 'ruamel.yaml')))",
        ]
    )
    node_packages = ", ".join(
        f"{name} {json.loads((NODE_DIR / 'node_modules' / name / 'package.json').read_text())['version']}"
        for name in ("@backstage/catalog-model", "yaml")
    )
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
    completed = subprocess.run([str(arg) for arg in command], capture_output=True, text=True, check=False)
    lines = completed.stdout.strip().splitlines()
    return lines[0] if completed.returncode == 0 and lines else "unknown"


if __name__ == "__main__":
    main()
