"""Paths from the output down to a node: a gradient taken apart into chain-rule products.

d output / d node is the sum, over every path from the output down to the node, of the product
of the local gradients along it.  Paths multiply at every fork (a ladder doubles them at every
rung), so `count_paths` counts them by dynamic programming without listing any, and
`list_paths` lists only the first few.  Everything here is iterative: a graph as deep as the
evaluator accepts does not overflow the Python stack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

from cgeditor.model.evaluate import Evaluation, OutputError
from cgeditor.model.graph import Edge, Graph, GraphError

LIMIT = 50  # how many paths a listing shows; the rest are only counted


@dataclass(frozen=True)
class Path:
    nodes: list[str]  # output → … → node
    edges: list[Edge]  # edges[i] feeds nodes[i + 1] (its source) into nodes[i] (its target)
    product: float  # the local gradients along the edges, multiplied from the output down


@dataclass(frozen=True)
class PathDecomposition:
    node: str
    count: int  # every path, listed or not (an exact int, however large)
    listed: list[Path]
    sum: float  # d output / d node

    @property
    def unlisted(self) -> int:
        """How many paths exist beyond the listed ones ("and N more")."""
        return self.count - len(self.listed)


def count_paths(graph: Graph, output: str, node: str) -> int:
    """How many distinct edge paths lead from `node` up to `output` (parallel edges count apart)."""
    return _paths_from(graph, output, node).get(output, 0)


def list_paths(graph: Graph, evaluation: Evaluation, node: str, limit: int = LIMIT) -> PathDecomposition:
    """The first `limit` paths from the evaluation's output down to `node`, depth first in port
    order, each with its product of local gradients, plus the count of all of them.

    `sum` adds the listed products when every path is listed (so a reader can check it), and is
    the evaluator's gradient otherwise (the listed products alone would fall short).
    """
    output = evaluation.output
    if output is None:
        raise OutputError("no output is chosen, so there are no paths from it")
    counts = _paths_from(graph, output, node)
    count = counts.get(output, 0)
    listed = list(_walk_down(graph, evaluation.edge_grads, output, node, counts, limit)) if count else []
    if count > len(listed):
        total = evaluation.grads.get(node, math.nan)
    else:
        total = sum((p.product for p in listed), 0.0)
    return PathDecomposition(node, count, listed, total)


def _paths_from(graph: Graph, output: str, node: str) -> dict[str, int]:
    """For each node lying on a path from `node` up to `output`: how many paths reach it from `node`."""
    graph.node(output)  # unknown ids fail here, with the id named
    graph.node(node)
    above = set(graph.reachable(node))
    if output not in above:
        return {}
    region = above.intersection(graph.reachable(output, upstream=True))
    order = graph.topological_order(region)
    if len(order) < len(region):
        ordered = set(order)
        stuck = ", ".join(n for n in graph.nodes if n in region and n not in ordered)
        raise GraphError(f"cycle among {stuck}: they have no order")
    counts = dict.fromkeys(region, 0)
    counts[node] = 1
    for n in order:
        for e in graph.out_edges(n):
            if e.target in region:
                counts[e.target] += counts[n]
    return counts


def _walk_down(graph: Graph, edge_grads: dict[Edge, float], output: str, node: str,
               counts: dict[str, int], limit: int) -> Iterator[Path]:
    """Depth first from the output, entering only nodes in `counts` (each of which leads on to
    `node`), so every branch taken ends in a path and no time is spent in dead ends."""
    if limit <= 0:
        return
    if node == output:
        yield Path([output], [], 1.0)
        return
    nodes, edges, products = [output], [], [1.0]
    frames = [iter(_edges_down(graph, output, counts))]  # frames[i] walks the inputs of nodes[i]
    found = 0
    while frames and found < limit:
        edge = next(frames[-1], None)
        if edge is None:
            frames.pop()
            nodes.pop()
            products.pop()
            if edges:
                edges.pop()
            continue
        product = products[-1] * edge_grads.get(edge, math.nan)
        if edge.source == node:
            found += 1
            yield Path(nodes + [node], edges + [edge], product)
            continue
        nodes.append(edge.source)
        edges.append(edge)
        products.append(product)
        frames.append(iter(_edges_down(graph, edge.source, counts)))


def _edges_down(graph: Graph, node_id: str, counts: dict[str, int]) -> list[Edge]:
    return [e for e in graph.in_edges(node_id) if e.source in counts]
