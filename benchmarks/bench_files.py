"""Open (parse + validate + build the model) and save a 10k-node graph.  Prints JSON rows."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench_evaluator import row, timed
from dag import build_graph, random_recipe

from cgeditor.model import fileformat
from cgeditor.model.validate import validate


def main() -> None:
    n_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    graph = build_graph(random_recipe(n_ops, seed=7))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.cgraph"
        for k, node in enumerate(graph):  # real files carry positions; give these a grid
            node.pos = (float(k // 100) * 170.0, float(k % 100) * 110.0)
        fileformat.save(graph, path)
        size_kb = path.stat().st_size / 1024

        def open_file() -> None:
            validate(fileformat.load(path))

        rows = [
            row(f"open {len(graph):,}-node file ({size_kb:,.0f} KiB): parse + validate + model", "cgeditor",
                timed(open_file, 7)),
            row(f"save {len(graph):,}-node file (atomic)", "cgeditor", timed(lambda: fileformat.save(graph, path), 7)),
        ]
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
