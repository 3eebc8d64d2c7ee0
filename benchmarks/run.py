"""Runs every benchmark, one process per comparison, and writes benchmarks/RESULTS.md.

Usage: python benchmarks/run.py [--quick] [--readme] [--only GROUP,...]

The editor's whole-graph actions run in a real window: under the display in DISPLAY, or else
under an Xvfb this script starts (and stops) when Xvfb is installed; offscreen otherwise, and
the rows say which.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OURS = ("cgeditor", "cgeditor (warm: cached plan)")  # the row a case's ratios divide by
COLD = "cgeditor (cold: plan + forward + backward)"
XVFB_DISPLAY = ":99"


def run_json(script: str, *args: str, env: dict | None = None) -> list[dict]:
    env = env or dict(os.environ, QT_QPA_PLATFORM="offscreen")
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


def ratio(r: dict, base: dict | None) -> str:
    if base is None or "median_ms" not in base or r is base:
        return ""
    return f"{r['median_ms'] / base['median_ms']:.2g}×" if r["median_ms"] / base["median_ms"] < 10 \
        else f"{r['median_ms'] / base['median_ms']:.0f}×"


def table(rows: list[dict]) -> list[str]:
    """Every row; a peer's ratios are its median over cgeditor's in the same case (above 1:
    cgeditor is faster), against the warm row and, where there is one, the cold row."""
    lines = ["| case | implementation | median ms | min ms | max ms | runs | peer ÷ cgeditor | "
             "peer ÷ cgeditor cold | note |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    ours = {r["case"]: r for r in rows if r.get("who") in OURS and "median_ms" in r}
    cold = {r["case"]: r for r in rows if r.get("who") == COLD and "median_ms" in r}
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['case']} | {r['who']} | – | – | – | – | – | – | {r['skipped']} |")
            continue
        peer = not r["who"].startswith("cgeditor")
        notes = []
        if "agrees" in r:
            notes.append("agrees to 1e-9" if r["agrees"] else "DISAGREES")
        if "note" in r:
            notes.append(r["note"])
        lines.append(f"| {r['case']} | {r['who']} | {r['median_ms']:.2f} | {r['min_ms']:.2f} | "
                     f"{r['max_ms']:.2f} | {r['runs']} | {ratio(r, ours.get(r['case'])) if peer else ''} | "
                     f"{ratio(r, cold.get(r['case'])) if peer else ''} | {'; '.join(notes)} |")
    return lines


def summary(rows: list[dict]) -> list[str]:
    """The README's short table: one line per question, each ratio saying what it compares."""
    by = {(r["case"], r["who"]): r for r in rows}

    def ms(case: str, who: str) -> str:
        r = by.get((case, who))
        if r is None:
            return "not run"
        if "skipped" in r:
            return r["skipped"]
        t = r["median_ms"]
        text = f"{t / 1000:.2f} s" if t >= 1000 else f"{t:.1f} ms"
        rss = [n for n in r.get("note", "").split("; ") if n.startswith("peak RSS")]
        return text + (f" ({rss[0][9:]})" if rss else "")

    def times(case: str, who: str, peer: str) -> str:
        a, b = by.get((case, who)), by.get((case, peer))
        if not a or not b or "median_ms" not in a or "median_ms" not in b:
            return "–"
        x = b["median_ms"] / a["median_ms"]
        text = f"{x:.1f}× faster" if x >= 1 else f"{1 / x:.1f}× slower"
        if "cpu_ms" in a and "cpu_ms" in b:  # whole processes: CPU time, steadier on a shared machine
            text += f" (CPU time: cgeditor {a['cpu_ms'] / b['cpu_ms']:.2f}× micrograd's)"
        return text

    lines = ["| what is measured | cgeditor | micrograd 0.1.0 | cgeditor vs micrograd |", "|---|---|---|---|"]
    micro = "micrograd 0.1.0"
    for n in ("10,000", "100,000"):
        case = f"evaluate {n} ops"
        if (case, OURS[1]) in by:
            lines.append(f"| {case}, in process: cgeditor warm (cached plan) vs micrograd building its graph "
                         f"| {ms(case, OURS[1])} | {ms(case, micro)} | {times(case, OURS[1], micro)} |")
            lines.append(f"| {case}, in process: cold vs cold (cgeditor plans first) "
                         f"| {ms(case, COLD)} | {ms(case, micro)} | {times(case, COLD, micro)} |")
    for r in rows:
        if r["case"].startswith("eval --json") and r["who"] == "cgeditor":
            peer = "micrograd 0.1.0 (whole process)"
            lines.append(f"| `{r['case']}`: read, evaluate, write JSON | {ms(r['case'], 'cgeditor')} "
                         f"| {ms(r['case'], peer)} | {times(r['case'], 'cgeditor', peer)} |")
    for r in rows:
        if r["case"].startswith("grading ") and r["who"] == "cgeditor":
            each = next((p for p in rows if p["case"] == r["case"] and p["who"].endswith("per file")), None)
            faster = (f"{each['median_ms'] / r['median_ms']:.0f}× faster than one process per file "
                      f"({ms(r['case'], each['who'])})" if each and "median_ms" in each and "median_ms" in r else "")
            lines.append(f"| {r['case']}: one `cgeditor eval F1 F2 … --json` | {ms(r['case'], 'cgeditor')} | "
                         f"| {faster} |")
    for r in rows:
        if r["case"].startswith("render, whole process") or (
                r["case"].startswith("editor: ") and r["who"].startswith("cgeditor, ")
                and not r["case"].startswith("editor: open to first paint")):
            lines.append(f"| {r['case']} ({r['who']}) | {ms(r['case'], r['who'])} | | |")
    return lines


def replace_readme_table(readme: Path, lines: list[str]) -> None:
    """Swap the table under the README's "## Performance" heading that starts like `lines` for it."""
    text = readme.read_text(encoding="utf-8").split("\n")
    start = text.index("## Performance")
    header = lines[0].split("|")[1]
    first = next(k for k in range(start, len(text)) if text[k].startswith(f"|{header}|"))
    last = next(k for k in range(first, len(text)) if not text[k].startswith("|"))
    readme.write_text("\n".join(text[:first] + lines + text[last:]), encoding="utf-8")


def real_display() -> tuple[dict, subprocess.Popen | None]:
    """An environment for a real (xcb) window, and the Xvfb started for it, if any."""
    env = dict(os.environ)
    if env.get("DISPLAY"):
        return dict(env, QT_QPA_PLATFORM="xcb"), None
    if shutil.which("Xvfb") is None:
        return dict(env, QT_QPA_PLATFORM="offscreen"), None
    xvfb = subprocess.Popen(["Xvfb", XVFB_DISPLAY, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # the server opens its socket
    return dict(env, DISPLAY=XVFB_DISPLAY, QT_QPA_PLATFORM="xcb"), xvfb


def evaluator_rows(quick: bool) -> list[dict]:
    repeats = "7" if quick else "21"
    rows: list[dict] = []
    for n in ("1000", "10000") if quick else ("1000", "10000", "100000"):
        rows += run_json("bench_evaluator.py", "--ops", n, "--repeats", repeats if n != "100000" else "7")
    return rows


def cli_rows(quick: bool) -> list[dict]:
    if quick:
        return run_json("bench_cli.py", "--ops", "50,1000,10000", "--chain", "20000", "--render", "1000",
                        "--grade", "100", "--repeats", "3")
    return run_json("bench_cli.py")


def actions_rows(quick: bool) -> list[dict]:
    env, xvfb = real_display()
    try:
        sizes = ("--sizes", "1000,2000", "--add-sizes", "10000", "--limit", "60") if quick else ()
        return run_json("bench_actions.py", *sizes, env=env)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()


GROUPS = {
    "evaluator": evaluator_rows,
    "files": lambda quick: run_json("bench_files.py", "10000"),
    "cli": cli_rows,
    "actions": actions_rows,
    "editor": lambda quick: [] if quick else run_json("bench_editor.py"),
}
STORE = HERE / "results.json"  # every group's rows as last run, for --only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes, no 100k graph")
    parser.add_argument("--readme", action="store_true", help="also put the summary table into README.md")
    parser.add_argument("--only", metavar="GROUPS",
                        help=f"run only these of {','.join(GROUPS)}; the other groups' rows are kept from "
                             f"the last run ({STORE.name})")
    args = parser.parse_args()
    groups = args.only.split(",") if args.only else list(GROUPS)
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group {unknown[0]!r}; choose from {','.join(GROUPS)}")
    kept = json.loads(STORE.read_text(encoding="utf-8")) if args.only and STORE.exists() else {}
    ran: dict[str, dict] = {}
    for group in GROUPS:
        if group in groups:
            ran[group] = {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
                          "rows": GROUPS[group](args.quick)}
        elif group in kept:
            ran[group] = kept[group]
    STORE.write_text(json.dumps(ran, indent=1), encoding="utf-8")
    rows = [r for group in GROUPS if group in ran for r in ran[group]["rows"]]
    when = "; ".join(f"{g} {ran[g]['when']}" for g in GROUPS if g in ran)
    out = [
        "# Benchmark results",
        "",
        f"Command: `python benchmarks/run.py{' --quick' if args.quick else ''}` · groups run: {when}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; cgeditor {version('cgeditor')}, networkx {version('networkx')}, "
        f"PySide6 {version('PySide6-Essentials')}, micrograd {version('micrograd')}, torch {version('torch')}.",
        "",
        "Each comparison runs in its own process; peers replay the same seeded random DAG of add/mul/tanh.",
        "What each row compares:",
        "- \"evaluate N ops\" is in process. \"cgeditor (warm: cached plan)\" re-evaluates forward values, "
        "every edge's local gradient and every node's gradient over a plan cached from an earlier run; "
        "\"cold\" includes validating and planning the structure. micrograd and PyTorch build their graph "
        "on every run, so they are always cold: **compare them with the cold row for like with like** "
        "(column \"peer ÷ cgeditor cold\"); the warm ratio is what an edit in the editor costs.",
        "- \"eval --json, whole process\" and \"render, whole process\" time a fresh process from start to exit "
        "(Python start-up and imports included), as a user or a grading script runs it, with the child's "
        "peak RSS; micrograd's peer (micrograd_eval.py) reads the same file, builds, runs backward and writes "
        "every node's value and gradient as JSON (cgeditor's JSON also holds every edge's local gradient).",
        "- \"editor:\" rows of whole-graph actions time each step once in each of 3 fresh processes (the "
        "median, min and max of the 3; \"runs\" counts them), in the main window (which platform: see the "
        "implementation column), from triggering the action until the event loop is idle and the frame is painted.",
        "- Ratios are the peer's median over cgeditor's in the same case: above 1, cgeditor is faster.",
        "",
        *table(rows),
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(out), encoding="utf-8")
    if args.readme:
        replace_readme_table(HERE.parent / "README.md", summary(rows))
    print("\n".join(out))


if __name__ == "__main__":
    main()
