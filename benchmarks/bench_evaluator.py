"""One comparison in one process: cgeditor's evaluator against micrograd and PyTorch on one
random DAG size, plus cgeditor's incremental cases.  Prints a JSON list of result rows."""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import threading
import time
from typing import Callable

from dag import build_graph, random_recipe

from cgeditor.model.evaluate import Evaluator
from cgeditor.model.graph import Edge, Node, NodeKind


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000.0)
    return samples


def row(case: str, who: str, samples: list[float], **extra) -> dict:
    return {"case": case, "who": who, "median_ms": statistics.median(samples), "min_ms": min(samples),
            "max_ms": max(samples), "runs": len(samples), **extra}


def agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))


def compare(n_ops: int, repeats: int, peers: bool) -> list[dict]:
    recipe = random_recipe(n_ops, seed=n_ops)
    graph = build_graph(recipe)
    leaf_ids = [leaf for leaf, _ in recipe.leaves]
    value_sets = [{leaf: v for leaf, v in recipe.leaves}, {leaf: v * 0.5 for leaf, v in recipe.leaves}]
    rows = []
    case = f"evaluate {n_ops:,} ops"

    cold = timed(lambda: Evaluator(graph).evaluate(), max(3, repeats // 3))
    rows.append(row(case, "cgeditor (cold: plan + forward + backward)", cold))

    ev = Evaluator(graph)
    ev.evaluate()
    flip = [0]

    def full_run() -> None:
        # Every leaf changes, so the forward pass recomputes every op: a full evaluation.
        flip[0] ^= 1
        for leaf in leaf_ids:
            graph.nodes[leaf].value = value_sets[flip[0]][leaf]
        graph.value_log.restart()  # set behind the graph's back: every value may be new
        ev.evaluate()

    rows.append(row(case, "cgeditor (warm: cached plan)", timed(full_run, repeats)))
    values = value_sets[flip[0]]
    result = ev.evaluate()
    ours = (result.values[recipe.output], {leaf: result.grads[leaf] for leaf in leaf_ids})

    if peers:
        from peers import micrograd_run, torch_run

        for who, fn in (("micrograd 0.1.0", micrograd_run), ("PyTorch scalar autograd", torch_run)):
            try:
                theirs = fn(recipe, values)
            except ImportError as exc:
                rows.append({"case": case, "who": who, "skipped": str(exc)})
                continue
            ok = agree(ours[0], theirs[0]) and all(agree(ours[1][k], theirs[1][k]) for k in leaf_ids)
            rows.append(row(case, who, timed(lambda: fn(recipe, values), max(3, repeats // 2)), agrees=ok))

    # Incremental: one leaf changes; only its downstream is recomputed.
    leaf = next(x for x in leaf_ids if graph.out_edges(x))  # one that feeds something
    toggle = [values[leaf], values[leaf] + 0.25]
    recomputed = []

    def one_value() -> None:
        toggle.reverse()
        graph.set_value(leaf, toggle[0])
        recomputed.append(ev.evaluate().recomputed)

    rows.append(row(f"change one leaf, re-evaluate ({n_ops:,} ops)", "cgeditor", timed(one_value, repeats),
                    note=f"{recomputed[-1]:,} of {len(recipe.ops):,} ops recomputed"))

    # Structural: add one edge (a new op reading two existing nodes), re-validate and re-evaluate.
    def add_edge() -> None:
        node_id = graph.fresh_id("extra")
        graph.add_node(Node(node_id, NodeKind.OP, op="add"))
        graph.add_edge(Edge(leaf_ids[0], node_id, 0))
        graph.add_edge(Edge(recipe.output, node_id, 1))
        ev.evaluate(output=recipe.output)

    rows.append(row(f"add a node + edges, re-validate, re-evaluate ({n_ops:,} ops)", "cgeditor",
                    timed(add_edge, max(3, repeats // 3))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    sys.setrecursionlimit(1_000_000)  # micrograd's topological sort recurses
    threading.stack_size(512 * 1024 * 1024)
    out: list[dict] = []
    worker = threading.Thread(target=lambda: out.extend(compare(args.ops, args.repeats, not args.no_peers)))
    worker.start()
    worker.join()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
