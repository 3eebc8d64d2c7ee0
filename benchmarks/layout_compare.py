"""Our layered layout against grandalf's Sugiyama layout, a networkx layering and Graphviz `dot`.

Every layout is brought to the same scale before measuring (layers 170 px apart, the closest
two nodes of a column 110 px apart), so total edge length compares shapes, not spacing
settings.  Crossings count straight wires from a node's centre to its target's input port, as
`cgeditor.model.layout.count_crossings` does.  Writes benchmarks/LAYOUT.md.

Usage: python benchmarks/layout_compare.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dag import build_graph, random_recipe  # noqa: E402

from cgeditor.model.expression import parse_program  # noqa: E402
from cgeditor.model.fileformat import load  # noqa: E402
from cgeditor.model.graph import Graph  # noqa: E402
from cgeditor.model.layout import LAYER_GAP, ROW_GAP, layered_layout  # noqa: E402
from cgeditor.model.layout_metrics import count_crossings, total_edge_length  # noqa: E402

Positions = dict[str, tuple[float, float]]

EXPRESSIONS = {
    "micrograd README": (
        "a = -4.0; b = 2.0; c = a + b; d = a * b + b**3; c = c + c + 1; c = c + 1 + c + (-a);"
        "d = d + d * 2 + relu(b + a); d = d + 3 * d + relu(b - a); e = c - d; f = e**2;"
        "g = f / 2.0; g = g + 10.0 / f"),
    "two-neuron layer": (
        "h1 = tanh(w11*x1 + w12*x2 + b1); h2 = tanh(w21*x1 + w22*x2 + b2);"
        "y = sigmoid(v1*h1 + v2*h2 + c); L = (y - t)**2"),
    "softplus and friends": "log(1 + exp(x)) * sin(x) / (1 + x^2) + max(x, y) * min(x, y)",
}


def workloads() -> list[tuple[str, Graph]]:
    examples = sorted((HERE.parent / "resources" / "examples").glob("*.cgraph"))
    cases = [(f"example {p.stem}", load(p)) for p in examples]
    cases += [(f"expr {name}", parse_program(text, default_value=1.0)) for name, text in EXPRESSIONS.items()]
    cases += [(f"random DAG {n} ops (seed {seed})", build_graph(random_recipe(n, seed)))
              for n, seed in ((20, 1), (40, 2), (80, 3))]
    return cases


# -- the contenders ---------------------------------------------------------------------------


def ours(graph: Graph) -> Positions:
    return layered_layout(graph)


def networkx_layers(graph: Graph) -> Positions:
    """Longest-path layers from networkx, nodes in file order within a layer, layers centred."""
    positions = {}
    dag = nx.DiGraph((e.source, e.target) for e in graph.edges)
    dag.add_nodes_from(graph.nodes)
    order = {n: i for i, n in enumerate(graph.nodes)}
    for x, generation in enumerate(nx.topological_generations(dag)):
        column = sorted(generation, key=order.__getitem__)
        for row, n in enumerate(column):
            positions[n] = (x * LAYER_GAP, (row - (len(column) - 1) / 2) * ROW_GAP)
    return positions


def grandalf_sugiyama(graph: Graph) -> Positions:
    """grandalf lays out top to bottom; its layers become our columns."""
    from grandalf.graphs import Edge as GEdge, Graph as GGraph, Vertex
    from grandalf.layouts import SugiyamaLayout

    class View:
        w, h = ROW_GAP - 20, 50

    vertices = {n: Vertex(n) for n in graph.nodes}
    for v in vertices.values():
        v.view = View()
    edges = [GEdge(vertices[e.source], vertices[e.target]) for e in graph.edges]
    g = GGraph(list(vertices.values()), edges)
    positions: Positions = {}
    offset = 0.0
    for component in g.C:
        layout = SugiyamaLayout(component)
        layout.xspace, layout.yspace = 20, LAYER_GAP - 50
        layout.init_all()
        layout.draw()
        ys = [v.view.xy[0] for v in component.sV]
        for v in component.sV:
            x, y = v.view.xy
            positions[v.data] = (y, x - min(ys) + offset)
        offset += max(ys) - min(ys) + ROW_GAP
    return positions


def graphviz_dot(graph: Graph) -> Positions:
    lines = ["digraph g { rankdir=LR;"]
    ids = {n: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines += [f"{ids[n]};" for n in graph.nodes]
    lines += [f"{ids[e.source]} -> {ids[e.target]};" for e in graph.edges]
    lines.append("}")
    out = subprocess.run(["dot", "-Tplain"], input="\n".join(lines), capture_output=True, text=True,
                         check=True).stdout
    back = {v: k for k, v in ids.items()}
    return {back[f[1]]: (float(f[2]), -float(f[3])) for f in (line.split() for line in out.splitlines())
            if f and f[0] == "node"}


def normalised(positions: Positions) -> Positions:
    """Columns 170 apart in order, and y scaled so the closest pair within a column is 110 apart."""
    columns = sorted({round(x, 3) for x, _ in positions.values()})
    rank = {x: i for i, x in enumerate(columns)}
    gaps = []
    for x in columns:
        ys = sorted(y for (px, y) in positions.values() if round(px, 3) == x)
        gaps += [b - a for a, b in zip(ys, ys[1:]) if b - a > 1e-9]
    scale = ROW_GAP / min(gaps) if gaps else 1.0
    return {n: (rank[round(x, 3)] * LAYER_GAP, y * scale) for n, (x, y) in positions.items()}


def mirrored(positions: Positions) -> Positions:
    return {n: (x, -y) for n, (x, y) in positions.items()}


def score(graph: Graph, positions: Positions) -> tuple[int, float]:
    return count_crossings(graph, positions), total_edge_length(graph, positions)


def main() -> int:
    contenders = [("ours", ours), ("grandalf", grandalf_sugiyama), ("networkx", networkx_layers)]
    if shutil.which("dot"):
        contenders.append(("dot", graphviz_dot))
    names = [name for name, _ in contenders]
    rows = []
    totals = {name: [0, 0.0, 0.0] for name in names}
    example_crossings = {name: 0 for name in names}
    for case, graph in workloads():
        cells = []
        for name, layout in contenders:
            start = time.perf_counter()
            positions = normalised(layout(graph))
            elapsed = time.perf_counter() - start
            if name != "ours":  # the libraries know nothing of input ports: give them the better
                positions = min(positions, mirrored(positions), key=lambda p: score(graph, p))
            crossings, length = score(graph, positions)
            totals[name][0] += crossings
            if case.startswith("example"):
                example_crossings[name] += crossings
            totals[name][1] += length
            totals[name][2] += elapsed
            cells.append(f"{crossings} / {length:,.0f}")
        rows.append(f"| {case} | {len(graph)} / {len(graph.edges)} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    total_cells = " | ".join(f"**{c} / {length:,.0f}**" for c, length, _ in totals.values())
    times = ", ".join(f"{name} {t * 1000:.0f} ms" for name, (_, _, t) in totals.items())
    best = min(names, key=lambda n: (totals[n][0], totals[n][1]))
    verdict = (f"Fewest crossings in total: **{best}**.  Crossings on the bundled examples: "
               + ", ".join(f"{n} {example_crossings[n]}" for n in names) + ".")
    text = "\n".join([
        "# Layout comparison",
        "",
        "Generated by `python benchmarks/layout_compare.py`.  Each cell: edge crossings / total",
        "edge length in px (lower is better), after scaling every layout to layers 170 px apart and",
        "a minimum of 110 px between nodes of a column.  Crossings count straight wires from a",
        "node's centre to its target's input port, so feeding input 1 from above input 0 counts;",
        "grandalf and networkx know nothing of ports, so each is scored on the better of its layout",
        "and that layout's mirror image.",
        "" if shutil.which("dot") else "Graphviz `dot` was not installed, so it is not compared.",
        "",
        "| graph | nodes / edges | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
        *rows,
        f"| **total** | | {total_cells} |",
        "",
        verdict,
        "",
        f"Total layout time: {times}.",
        "",
    ])
    (HERE / "LAYOUT.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
