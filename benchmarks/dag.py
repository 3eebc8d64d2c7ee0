"""Seeded random DAGs of add/mul/tanh for the benchmarks, as a cgeditor graph and as a recipe
the peers (micrograd, PyTorch) can replay node by node."""

from __future__ import annotations

import random
from dataclasses import dataclass

from cgeditor.model.graph import Edge, Graph, Node, NodeKind


@dataclass(frozen=True)
class Recipe:
    leaves: list[tuple[str, float]]
    ops: list[tuple[str, str, tuple[str, ...]]]  # (id, op name, input ids) in topological order
    output: str


def random_recipe(n_ops: int, seed: int = 1) -> Recipe:
    """`n_ops` op nodes over n_ops/10 leaves; inputs are drawn from recent nodes so the graph is
    deep as well as wide, and no op reads the same input twice (micrograd would merge it)."""
    rng = random.Random(seed)
    leaves = [(f"x{i}", rng.uniform(-1.0, 1.0)) for i in range(max(2, n_ops // 10))]
    ids = [leaf for leaf, _ in leaves]
    ops = []
    for i in range(n_ops):
        name = rng.choice(("add", "mul", "tanh"))
        window = ids[-200:]
        inputs = (rng.choice(window),) if name == "tanh" else tuple(rng.sample(window, 2))
        node_id = f"n{i}"
        ops.append((node_id, name, inputs))
        ids.append(node_id)
    # One sink: sum the last op with every other sink through a final chain of adds.
    used = {src for _, _, inputs in ops for src in inputs}
    sinks = [node_id for node_id, _, _ in ops if node_id not in used]
    acc = sinks[0]
    for k, sink in enumerate(sinks[1:]):
        node_id = f"s{k}"
        ops.append((node_id, "add", (acc, sink)))
        acc = node_id
    return Recipe(leaves, ops, acc)


def build_graph(recipe: Recipe) -> Graph:
    g = Graph()
    for leaf, value in recipe.leaves:
        g.add_node(Node(leaf, NodeKind.VARIABLE, value=value))
    for node_id, name, inputs in recipe.ops:
        g.add_node(Node(node_id, NodeKind.OP, op=name))
        for port, src in enumerate(inputs):
            g.add_edge(Edge(src, node_id, port))
    g.set_output(recipe.output)
    return g
