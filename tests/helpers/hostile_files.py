"""The hostile corpus: the small cases kept as files in tests/hostile/corpus, and the ones too
big (or too odd) to keep, built at test time.

`built(folder)` writes the generated cases into `folder` and returns {name: path};
`built_heavy(folder)` the same classes at the sizes that found them (a cycle through 200,000
nodes, 2^15000 and 2^14400 paths, a port fed 3,000 times), for --run-slow.  The test session
writes each set once (the `hostile_corpus` fixtures in tests/conftest.py).  A FIFO, a device and a folder stand for inputs that are not files.  `run_jobs` runs command
lines over them under resource limits (cli_runner.py) and `check_clean` holds each result to
the rules: exit 0 or 2, one short line, no traceback, 10 s of CPU and 500 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parents[1] / "hostile" / "corpus"


def corpus_files() -> dict[str, str]:
    return {p.stem: str(p) for p in sorted(CORPUS.glob("*.cgraph"))}


def _write(folder: Path, name: str, nodes: list, edges: list, output: str | None = None) -> str:
    doc = {"format": "cgeditor-graph", "version": 1, "nodes": nodes, "edges": edges}
    if output is not None:
        doc["output"] = output
    path = folder / f"{name}.cgraph"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def _cycle(folder: Path, name: str, n: int, id_length: int) -> str:
    ids = [f"{i:0{id_length}d}" for i in range(n)]
    return _write(folder, name, [{"id": i, "kind": "op", "op": "neg"} for i in ids],
                  [{"source": ids[k], "target": ids[(k + 1) % n], "port": 0} for k in range(n)])


def _fanned_chain(folder: Path, name: str, n: int, fan: int) -> str:
    """x, then a1 = x + x (+ …, `fan` times), a2 = a1 + a1, …: fan^n paths from a_n down to x."""
    nodes = [{"id": "x", "kind": "variable", "value": 1e-300}]
    edges = []
    below = "x"
    for i in range(1, n + 1):
        nodes.append({"id": f"a{i}", "kind": "op", "op": "add"})
        edges += [{"source": below, "target": f"a{i}", "port": p} for p in range(fan)]
        below = f"a{i}"
    return _write(folder, name, nodes, edges, below)


def built(folder: Path) -> dict[str, str]:
    """The generated cases at sizes that stay hostile (a message of 200 ids of 195 characters,
    300 problems, a port fed 300 times) and cost each command milliseconds."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "cycle-200-long-ids": _cycle(folder, "cycle-200-long-ids", 200, 195),
        "many-problems": _many_problems(folder, "many-problems", 300),
        "port-connected-300-times": _port_fed(folder, "port-connected-300-times", 300),
        "not-a-file-folder": str(folder),
        "not-a-file-device": os.devnull,
        "not-a-file-zero": "/dev/zero",
        "missing": str(folder / "missing.cgraph"),
    }
    fifo = folder / "fifo.cgraph"
    if not fifo.exists():
        os.mkfifo(fifo)
    files["not-a-file-fifo"] = str(fifo)
    return files


def built_heavy(folder: Path) -> dict[str, str]:
    """The same classes at the sizes issue 14 found them (each command over them takes seconds)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "cycle-200k": _cycle(folder, "cycle-200k", 200_000, 6),
        "cycle-2000-long-ids": _cycle(folder, "cycle-2000-long-ids", 2000, 195),
        "many-problems-3000": _many_problems(folder, "many-problems-3000", 3000),
        "port-connected-3000-times": _port_fed(folder, "port-connected-3000-times", 3000),
        "paths-2-fan-15000": _fanned_chain(folder, "paths-2-fan-15000", 15_000, 2),  # 2^15000
        "paths-16-fan-3600": _fanned_chain(folder, "paths-16-fan-3600", 3600, 16),  # 2^14400
    }


def _many_problems(folder: Path, name: str, n: int) -> str:
    return _write(folder, name, [{"id": f"n{i}", "kind": "op", "op": "add"} for i in range(n)], [])


def _port_fed(folder: Path, name: str, n: int) -> str:
    return _write(folder, name, [{"id": f"x{i}", "kind": "variable", "value": 1.0} for i in range(n)]
                  + [{"id": "s", "kind": "op", "op": "neg"}],
                  [{"source": f"x{i}", "target": "s", "port": 0} for i in range(n)])


# -- running commands over the corpus ------------------------------------------------------------

RUNNER = Path(__file__).parent / "cli_runner.py"
CPU_LIMIT = 10.0  # seconds of CPU per command
MEMORY_LIMIT = 500.0  # MB of peak resident memory per command
MESSAGE_LIMIT = 1100  # characters in the one error line ("cgeditor: error: " and a capped message)


def run_jobs(jobs: dict[str, list[list[str]]], folder: Path, qt: bool = False) -> dict[str, list[dict]]:
    """Run every command line of `jobs` ({case: [argv, …]}) through cli_runner; the results
    in the same shape."""
    names = [name for name, argvs in jobs.items() for _ in argvs]
    flat = [argv for argvs in jobs.values() for argv in argvs]
    jobs_path, results_path = folder / "jobs.json", folder / "results.json"
    jobs_path.write_text(json.dumps(flat), encoding="utf-8")
    out = subprocess.run([sys.executable, str(RUNNER), str(jobs_path), str(results_path)] + (["--qt"] if qt else []),
                         capture_output=True, text=True, timeout=3600)
    assert out.returncode == 0, out.stderr[-3000:]
    results: dict[str, list[dict]] = {name: [] for name in jobs}
    for name, result in zip(names, json.loads(results_path.read_text(encoding="utf-8"))):
        results[name].append(result)
    return results


def check_clean(name: str, results: list[dict], lines: int = 1) -> None:
    """Exit 0 or 2; on 2 one short line (up to `lines` for a command that names each problem
    apart), on 0 nothing on stderr; no traceback; stdout UTF-8 with nothing a terminal would
    obey; within the CPU and memory limits."""
    for r in results:
        what = f"{name}: {' '.join(r['argv'][:1] + r['argv'][2:])}"
        assert not r["killed_after_wall_guard"], f"{what} hung"
        assert r["status"] in (0, 2), f"{what} ended with {r['status']}: {r['stderr'][-2000:]}"
        assert "Traceback" not in r["stderr"], f"{what}: {r['stderr'][-2000:]}"
        if r["status"] == 2:
            assert 1 <= r["stderr"].count("\n") <= lines and r["stderr"].endswith("\n"), \
                f"{what}: {r['stderr'][:500]!r}"
            longest = max(len(line) for line in r["stderr"].splitlines())
            assert longest <= MESSAGE_LIMIT, f"{what}: a {longest:,}-character message"
        else:
            assert r["stderr"] == "", f"{what}: {r['stderr'][:500]!r}"
        assert r["stdout_utf8"] and not r["stdout_raw_controls"], f"{what}: {r['stdout_raw_controls']}"
        assert r["cpu_seconds"] <= CPU_LIMIT, f"{what} took {r['cpu_seconds']:.1f} s of CPU"
        assert r["peak_rss_mb"] <= MEMORY_LIMIT, f"{what} peaked at {r['peak_rss_mb']:.0f} MB"
