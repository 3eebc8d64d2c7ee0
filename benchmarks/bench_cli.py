"""The command line end to end, as whole processes: wall time and peak RSS of one run each.

`cgeditor eval FILE --json > OUT` against micrograd doing the same job from the same file
(micrograd_eval.py: read the JSON, build, backward, write JSON) in the same run, on seeded
random DAGs without positions (as the evaluator benchmark builds them) and on a long chain;
and `cgeditor render` of such DAGs to PNG and SVG; and grading a folder of student-sized files
with one `cgeditor eval F1 F2 ... --json` against one process per file.  cgeditor's JSON also
holds every edge's local gradient, micrograd's only the nodes.  Prints JSON rows.

Every command runs with its modules' bytecode compiled, as an installed package has it (pip
compiles micrograd's at install): the runs share a bytecode cache in a temporary folder
(PYTHONPYCACHEPREFIX, filled by one untimed run of each command first), so a
PYTHONDONTWRITEBYTECODE in the environment does not make cgeditor alone compile its source
on every run (that was 40 ms of a 50-op eval).

Usage: python bench_cli.py [--ops 50,1000,...] [--chain 200000] [--render 1000,10000]
       [--grade 500] [--repeats 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from dag import build_graph, random_recipe

from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, Graph, Node, NodeKind

HERE = Path(__file__).resolve().parent
MICROGRAD = "micrograd 0.1.0 (whole process)"
GRADE_OPS = 40  # ops in a student's file (the examples hold 5 to 60 nodes)


def chain_graph(n_nodes: int) -> Graph:
    """x0 → tanh → add x1 → tanh → … : `n_nodes` nodes in one line, as deep as a graph gets."""
    g = Graph()
    g.add_node(Node("x0", NodeKind.VARIABLE, value=0.5))
    g.add_node(Node("x1", NodeKind.VARIABLE, value=0.1))
    prev = "x0"
    for i in range(n_nodes - 2):
        node_id = f"n{i}"
        if i % 2:
            g.add_node(Node(node_id, NodeKind.OP, op="add"))
            g.add_edge(Edge(prev, node_id, 0))
            g.add_edge(Edge("x1", node_id, 1))
        else:
            g.add_node(Node(node_id, NodeKind.OP, op="tanh"))
            g.add_edge(Edge(prev, node_id, 0))
        prev = node_id
    g.set_output(prev)
    return g


def measure(argv: list[str], out: Path, env: dict | None = None, timeout: float = 900.0,
            refusal: str | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MB and stderr of one run of `argv`
    writing its stdout to `out`, launched by spawn.py so that the peak is the command's own.
    A run that fails raises, unless its stderr holds `refusal`: how fast a refusal comes is
    what such a row measures."""
    try:
        proc = subprocess.run([sys.executable, str(HERE / "spawn.py"), str(out), "--", *argv], capture_output=True,
                              text=True, cwd=HERE, env=env or os.environ, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"over {timeout:.0f} s (stopped)") from None
    result = json.loads(proc.stdout)
    message = result["stderr"].strip()
    if result["exit"] != 0 and not (refusal and refusal in message):
        raise RuntimeError(message.splitlines()[-1] if message else f"exit {result['exit']}")
    return result["wall"], result["cpu"], result["peak_mb"], message


def timed_row(case: str, who: str, argv: list[str], out: Path, repeats: int, env: dict | None = None,
              note: str = "", refusal: str | None = None) -> tuple[dict, str]:
    """A row of `repeats` whole-process runs (median, min, max in ms; the median CPU time, which
    a machine shared with other work disturbs less than wall time, and peak RSS in the note);
    `refusal` as for `measure`, and a refused run says so in the note."""
    walls, cpus, peaks, message = [], [], [], ""
    try:
        for _ in range(repeats):
            wall, cpu, peak, message = measure(argv, out, env, refusal=refusal)
            walls.append(wall * 1000.0)
            cpus.append(cpu * 1000.0)
            peaks.append(peak)
    except (RuntimeError, TimeoutError) as e:
        return {"case": case, "who": who, "skipped": f"failed: {e}"}, ""
    notes = [f"CPU {statistics.median(cpus):.0f} ms", f"peak RSS {max(peaks):.0f} MB"] + ([note] if note else [])
    if refusal and refusal in message:
        notes.append("refused: " + message.splitlines()[-1].removeprefix("cgeditor: error: "))
    return {"case": case, "who": who, "median_ms": statistics.median(walls), "min_ms": min(walls),
            "max_ms": max(walls), "runs": len(walls), "cpu_ms": statistics.median(cpus),
            "note": "; ".join(notes)}, message


def agree(ours: Path, theirs: Path) -> bool:
    """Every node's value and gradient equal to 1e-9 (relative above 1)."""
    a, b = json.loads(ours.read_text()), json.loads(theirs.read_text())

    def close(x, y) -> bool:
        x, y = float(x), float(y)
        return (math.isnan(x) and math.isnan(y)) or abs(x - y) <= 1e-9 * max(1.0, abs(x))

    return a["output"] == b["output"] and all(
        close(a["nodes"][k]["value"], v["value"]) and close(a["nodes"][k]["grad"], v["grad"])
        for k, v in b["nodes"].items())


def compiled_env(tmp: Path) -> dict:
    """The environment every measured command runs in: bytecode written to and read from a
    cache under `tmp`, whatever PYTHONDONTWRITEBYTECODE says (see the module's docstring)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(tmp: Path, env: dict) -> None:
    """One untimed run of each command on a small file, which compiles what they import."""
    path = tmp / "warm.cgraph"
    fileformat.save(build_graph(random_recipe(20, seed=1)), path)
    commands = [["-m", "cgeditor", "eval", str(path), "--json"], ["-m", "cgeditor", "eval", str(path), str(path), "--jobs", "2"],
                ["-m", "cgeditor", "render", str(path), "-o", str(tmp / "warm.svg")],
                ["-m", "cgeditor", "render", str(path), "-o", str(tmp / "warm.png")]]
    if importlib.util.find_spec("micrograd") is not None:
        commands.append([str(HERE / "micrograd_eval.py"), str(path)])
    for command in commands:
        subprocess.run([sys.executable, *command], capture_output=True, cwd=HERE, env=env, timeout=300, check=False)


def micrograd_env(env: dict) -> dict | None:
    """The environment the micrograd peer runs in, or None when micrograd is not importable."""
    if importlib.util.find_spec("micrograd") is None:
        return None
    return env


def eval_rows(graph: Graph, tag: str, tmp: Path, repeats: int, env: dict) -> list[dict]:
    path = tmp / "g.cgraph"
    fileformat.save(graph, path)
    size_kb = path.stat().st_size / 1024
    case = f"eval --json, whole process: {tag} ({size_kb:,.0f} KiB, no positions)"
    ours, theirs = tmp / "ours.json", tmp / "theirs.json"
    rows = [timed_row(case, "cgeditor", [sys.executable, "-m", "cgeditor", "eval", str(path), "--json"],
                      ours, repeats, env)[0]]
    env = micrograd_env(env)
    if env is None:
        rows.append({"case": case, "who": MICROGRAD, "skipped": "micrograd not installed"})
        return rows
    row, _ = timed_row(case, MICROGRAD, [sys.executable, str(HERE / "micrograd_eval.py"), str(path)],
                       theirs, repeats, env)
    if "skipped" not in row and "skipped" not in rows[0]:
        row["agrees"] = agree(ours, theirs)
    rows.append(row)
    return rows


def render_rows(n_ops: int, tmp: Path, repeats: int, env: dict) -> list[dict]:
    graph = build_graph(random_recipe(n_ops, seed=1))
    path = tmp / "r.cgraph"
    fileformat.save(graph, path)
    rows = []
    for fmt in ("svg", "png"):
        out = tmp / f"r.{fmt}"
        row, message = timed_row(f"render, whole process: {len(graph):,}-node DAG without positions → {fmt.upper()}",
                                 "cgeditor", [sys.executable, "-m", "cgeditor", "render", str(path), "-o", str(out)],
                                 tmp / "stdout.txt", repeats, env, refusal=REFUSAL if fmt == "png" else None)
        if "note:" in message:
            row["note"] += "; " + message.split("note: ", 1)[1].split(";")[1].strip()
        rows.append(row)
    return rows


REFUSAL = "error: the image would be"  # how `cgeditor render` refuses a PNG too large to read (its note on
# scaling one down to fit also says "the image would be")


def grade_rows(n_files: int, tmp: Path, repeats: int, env: dict) -> list[dict]:
    """Grading a folder: `n_files` different student-sized files, evaluated by one command in
    one process, and by one process per file (a shell loop), each a whole run."""
    folder = tmp / "grading"
    folder.mkdir(exist_ok=True)
    files = []
    for k in range(n_files):
        files.append(str(folder / f"student{k:03d}.cgraph"))
        fileformat.save(build_graph(random_recipe(GRADE_OPS, seed=1000 + k)), files[-1])
    case = f"grading {n_files} files ({GRADE_OPS}-op DAGs), eval --json, whole run"
    one = [sys.executable, "-m", "cgeditor", "eval", *files, "--json"]
    rows = [timed_row(case, "cgeditor", one, tmp / "graded.jsonl", repeats, env,
                      note=f"one process: eval F1 … F{n_files} --json")[0],
            timed_row(case, "cgeditor --jobs 2", [*one, "--jobs", "2"], tmp / "graded.jsonl", repeats, env,
                      note="two worker processes")[0]]
    loop = 'for f in "$@"; do "$0" -m cgeditor eval "$f" --json || exit 1; done'
    rows.append(timed_row(case, f"{n_files} processes, one eval --json per file", ["sh", "-c", loop, sys.executable,
                                                                                   *files], tmp / "each.jsonl", 1,
                          env, note="a shell loop, as grading was done before")[0])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", default="50,1000,2000,4000,10000,100000")
    parser.add_argument("--chain", type=int, default=200_000)
    parser.add_argument("--render", default="1000,10000")
    parser.add_argument("--grade", type=int, default=500, help="student files to grade (0: none)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = compiled_env(Path(tmp))
        warm_up(Path(tmp), env)
        for n in (int(s) for s in args.ops.split(",") if s):
            graph = build_graph(random_recipe(n, seed=1))
            rows += eval_rows(graph, f"{n:,}-op DAG ({len(graph):,} nodes)", Path(tmp),
                              args.repeats if n < 100_000 else max(1, args.repeats // 2), env)
        if args.chain:
            rows += eval_rows(chain_graph(args.chain), f"{args.chain:,}-node chain", Path(tmp),
                              max(1, args.repeats // 2), env)
        if args.grade:
            rows += grade_rows(args.grade, Path(tmp), max(1, args.repeats // 2), env)
        for n in (int(s) for s in args.render.split(",") if s):
            rows += render_rows(n, Path(tmp), 1 if n >= 10_000 else max(1, args.repeats // 2), env)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
