#!/usr/bin/env python3
"""Benchmark `cairn render` against the floor of writing the same bytes and against a Python
Jinja2 script rendering the same templates (issue 11, item 8; docs/benchmarks.md).

    python3 benches/render_bench.py --cairn target/release/cairn --floor target/release/cairn-floor \\
        --sizes 10000,100000 --runs 5 --peer-runs 3 --out benches/results-render.md

For each size it takes bench.py's generated repo (target/bench/repos/N/platform, generated once),
links a copy of it with the templates of benches/render/templates added (repos/N/platform-render),
and times, run by run in turn, each as its own process writing a new output folder (the previous
run's output is removed before each run, untimed):

- cairn render: `cairn render REPO --out OUT`;
- Jinja2 peer: `python render_peer.py REPO OUT` (render_peer.py: the same templates over the same
  files, PyYAML and Jinja2, the same bytes);
- floor (write only): `cairn-floor --write REFERENCE OUT`, writing the same bytes to the same paths
  (its own measure of the writing, without loading the files it copies: `write_seconds=`).

The reference output is the peer's first output. Every cairn output must equal it byte for byte
(`.cairn/`, cairn's manifest, left out): the run fails and names the first differing files when not.
`--no-cairn` times the peer and the floor only (before `cairn render` exists).
"""

import argparse
import filecmp
import os
import re
import shlex
import shutil
import statistics
import sys
from datetime import datetime, timezone
from pathlib import Path

import bench

OUTPUTS = bench.WORK / "render-out"
# The templates, also what `generate.py --render` copies.
TEMPLATES = bench.BENCHES / "render" / "templates"
CAIRN = "cairn render"
PEER = "Jinja2 script (Python)"
FLOOR = "floor (write only)"


def main():
    args = parse_args()
    bench.ensure_peers(node=False)
    bench.LOGS.mkdir(parents=True, exist_ok=True)
    results, mismatches = [], []
    for size in args.sizes:
        repo = ensure_render_repo(bench.ensure_repos(size))
        out = OUTPUTS / str(size)
        print(f"\n== {size:,} entities, rendered ({repo})", flush=True)
        bench.warm_page_cache(repo)
        reference = out / "reference"
        if not reference.is_dir():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            bench.run([bench.VENV / "bin" / "python", bench.BENCHES / "render_peer.py", repo, reference])
        files, size_bytes = tree_size(reference)
        print(f"  reference output: {files:,} files, {size_bytes / 1e6:.1f} MB", flush=True)
        tools = []
        if args.cairn:
            tools.append((CAIRN, args.runs, lambda target: [args.cairn, "render", str(repo), "--out", str(target)]))
        tools.append(
            (PEER, args.peer_runs, lambda target: [str(bench.VENV / "bin" / "python"), str(bench.BENCHES / "render_peer.py"), str(repo), str(target)])
        )
        if args.floor:
            tools.append((FLOOR, args.runs, lambda target: [args.floor, "--write", str(reference), str(target)]))
        measured = run_in_turn(size, tools, out)
        results += measured
        if args.cairn and not any(result.failure for result in measured if result.tool.name == CAIRN):
            mismatches += [f"{size:,}: {difference}" for difference in differences(reference, out / slug(CAIRN))[:10]]
    report = render_report(args, results, mismatches)
    args.out.write_text(report, encoding="utf-8")
    print(f"\n{report}\nwrote {args.out}")
    failed = [result for result in results if result.failure]
    if failed or mismatches:
        sys.exit(f"render_bench.py: {len(failed)} tool(s) failed, {len(mismatches)} output difference(s); see the report")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cairn", help="the cairn binary (absolute or relative path)")
    parser.add_argument("--no-cairn", action="store_true", help="time only the peer and the floor")
    parser.add_argument("--floor", help="the cairn-floor binary")
    parser.add_argument("--sizes", type=bench.sizes, default=[10000])
    parser.add_argument("--runs", type=int, default=5, help="runs of cairn and of the floor")
    parser.add_argument("--peer-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=bench.BENCHES / "results-render.md")
    args = parser.parse_args()
    if not args.cairn and not args.no_cairn:
        parser.error("give --cairn PATH, or --no-cairn")
    args.cairn = str(Path(args.cairn).resolve()) if args.cairn else None
    args.floor = str(Path(args.floor).resolve()) if args.floor else None
    return args


def ensure_render_repo(root):
    """root/platform-render: root/platform's files hard-linked, plus the templates (rewritten every
    run, so that an edit of benches/render/templates is measured at once)."""
    source, target = root / "platform", root / "platform-render"
    if bench.stale(target, []):
        print(f"linking {source} into {target}", flush=True)
        shutil.copytree(source, target, copy_function=os.link, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True)
        bench.mark_fresh(target, [])
    shutil.rmtree(target / "templates", ignore_errors=True)
    shutil.copytree(TEMPLATES, target / "templates")
    return target


def slug(name):
    return re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")


def run_in_turn(size, tools, out):
    """Run 1 of every tool, then run 2 of every tool, and so on; each run writes out/<tool>, removed
    before the run. The floor's time is its own measure of the writing."""
    results = {name: bench.Result(size, bench.Tool(name, runs, [], bench.exited_zero), [], 0, None) for name, runs, _ in tools}
    for run_number in range(1, max(runs for _, runs, _ in tools) + 1):
        for name, runs, command in tools:
            result = results[name]
            if result.failure or run_number > runs:
                continue
            target = out / slug(name)
            shutil.rmtree(target, ignore_errors=True)
            log = bench.LOGS / f"render-{size}-{slug(name)}"
            stdout_path, stderr_path = log.with_suffix(".stdout"), log.with_suffix(".stderr")
            code, seconds, kib = bench.launch(command(target), None, stdout_path, stderr_path)
            result.peak_kib = max(result.peak_kib, kib)
            label = f"{name:<24} run {run_number}/{runs}"
            if code != 0:
                result.failure = f"exit code {code} (output: {stdout_path}, {stderr_path})"
                print(f"  {label}  FAILED: {result.failure}", flush=True)
                continue
            if name == FLOOR:
                written = re.search(r"write_seconds=([0-9.]+)", stdout_path.read_text())
                if not written:
                    result.failure = f"no write_seconds= in its output ({stdout_path})"
                    continue
                seconds = float(written.group(1))
            result.times.append(seconds)
            print(f"  {label}  {seconds:9.3f} s  {kib / 1024:8.1f} MiB", flush=True)
    return list(results.values())


def tree_size(root):
    files = size = 0
    for directory, _, names in os.walk(root):
        for name in names:
            files += 1
            size += (Path(directory) / name).stat().st_size
    return files, size


def differences(reference, output):
    """How `output` (less its .cairn/) differs from `reference`: paths only on one side, and paths
    whose bytes differ."""
    found = []

    def walk(comparison, prefix):
        found.extend(f"only in the reference: {prefix}{name}" for name in sorted(comparison.left_only))
        found.extend(f"only in cairn's output: {prefix}{name}" for name in sorted(comparison.right_only) if f"{prefix}{name}" != ".cairn")
        found.extend(f"different bytes: {prefix}{name}" for name in sorted(comparison.diff_files))
        for name, sub in sorted(comparison.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    # filecmp's shallow comparison trusts equal sizes and times; compare contents instead.
    class Deep(filecmp.dircmp):
        def phase3(self):
            self.same_files, self.diff_files, self.funny_files = filecmp.cmpfiles(
                self.left, self.right, self.common_files, shallow=False
            )

    walk(Deep(reference, output), "")
    return found


def render_report(args, results, mismatches):
    python = bench.first_line([bench.VENV / "bin" / "python", "--version"])
    lines = [
        "# `cairn render` benchmark",
        "",
        f"Measured on {datetime.now(timezone.utc):%Y-%m-%d} by `benches/render_bench.py` (`{shlex.join(sys.argv[1:])}`).",
        "",
        "Each run writes a new output folder (the previous one removed first, untimed). The floor's",
        "time is its own measure of writing the same bytes to the same paths (a temporary folder,",
        "then moved into place). The peer is benches/render_peer.py with Jinja2 on "
        f"{python}, one process.",
        "",
    ]
    jinja = bench.first_line([bench.VENV / "bin" / "python", "-c", "import jinja2, yaml; print(jinja2.__version__, yaml.__version__)"])
    lines += [f"- {line}" for line in bench.machine(args.cairn)] + [f"- Jinja2, PyYAML: {jinja}", ""]
    lines += bench.results_table(results, CAIRN if args.cairn else PEER, f"vs {CAIRN if args.cairn else PEER}")
    lines += ["", "## Output", ""]
    if not args.cairn:
        lines.append("cairn was not run (`--no-cairn`).")
    elif mismatches:
        lines += ["cairn's output differs from the peer's:", ""] + [f"- {mismatch}" for mismatch in mismatches]
    else:
        lines.append("cairn's output equals the peer's, byte for byte, at every size (`.cairn/` left out).")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
