"""Runs every benchmark, one process per comparison, and writes benchmarks/RESULTS.md.

Usage: python benchmarks/run.py [--quick] [--readme]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_json(script: str, *args: str) -> list[dict]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True,
                          cwd=HERE, env=env, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return [{"case": f"{script} {' '.join(args)}", "who": "-", "skipped": f"failed: {tail[0]}"}]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def table(rows: list[dict]) -> list[str]:
    lines = ["| case | implementation | median ms | min ms | max ms | runs | ratio to cgeditor | note |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    ours: dict[str, float] = {}
    for r in rows:
        if r.get("who") == "cgeditor" and "median_ms" in r:
            ours[r["case"]] = r["median_ms"]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['case']} | {r['who']} | – | – | – | – | – | {r['skipped']} |")
            continue
        base = ours.get(r["case"])
        ratio = f"{r['median_ms'] / base:.1f}×" if base and not r["who"].startswith("cgeditor") else ""
        notes = []
        if "agrees" in r:
            notes.append("agrees to 1e-9" if r["agrees"] else "DISAGREES")
        if "note" in r:
            notes.append(r["note"])
        lines.append(f"| {r['case']} | {r['who']} | {r['median_ms']:.2f} | {r['min_ms']:.2f} | "
                     f"{r['max_ms']:.2f} | {r['runs']} | {ratio} | {'; '.join(notes)} |")
    return lines


def replace_readme_table(readme: Path, lines: list[str]) -> None:
    """Swap the first table under the README's "## Performance" heading for `lines`."""
    text = readme.read_text(encoding="utf-8").split("\n")
    start = text.index("## Performance")
    first = next(k for k in range(start, len(text)) if text[k].startswith("| case |"))
    last = next(k for k in range(first, len(text)) if not text[k].startswith("|"))
    readme.write_text("\n".join(text[:first] + lines + text[last:]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 100k graph")
    parser.add_argument("--readme", action="store_true", help="also put the table into README.md")
    args = parser.parse_args()
    repeats = "7" if args.quick else "21"
    rows: list[dict] = []
    for n in ("1000", "10000") if args.quick else ("1000", "10000", "100000"):
        rows += run_json("bench_evaluator.py", "--ops", n, "--repeats", repeats if n != "100000" else "7")
    rows += run_json("bench_files.py", "10000")
    if (HERE / "bench_editor.py").exists():
        rows += run_json("bench_editor.py")
    out = [
        "# Benchmark results",
        "",
        f"Command: `python benchmarks/run.py` · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; cgeditor {version('cgeditor')}, networkx {version('networkx')}, "
        f"PySide6 {version('PySide6-Essentials')}, micrograd {version('micrograd')}, torch {version('torch')}.",
        "",
        "Each comparison runs in its own process; peers replay the same seeded random DAG of add/mul/tanh.",
        "\"cgeditor\" evaluates forward values, every edge's local gradient and every node's gradient "
        "with a cached plan; \"cold\" includes validating and planning the structure.",
        "",
        *table(rows),
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(out), encoding="utf-8")
    if args.readme:
        replace_readme_table(HERE.parent / "README.md", table(rows))
    print("\n".join(out))


if __name__ == "__main__":
    main()
