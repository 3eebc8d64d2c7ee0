"""Save a large graph over and over until killed (driven by tests/test_save_kill.py).

    save_loop.py TARGET NODES

Builds a chain of NODES nodes whose variable `version` counts the saves, then saves it to
TARGET in a tight loop with `fileformat.save`, printing `begin N` before and `done N` after
each save (flushed), so the test knows which versions the file may hold when it kills us.
"""

import sys

from cgeditor.model import fileformat
from cgeditor.model.graph import Edge, Graph, Node, NodeKind


def chain(n: int) -> Graph:
    graph = Graph()
    graph.add_node(Node("version", NodeKind.VARIABLE, value=0.0, pos=(0, 0)))
    previous = "version"
    for i in range(1, n):
        node_id = f"n{i}"
        graph.add_node(Node(node_id, NodeKind.OP, label=f"step {i} of the chain", op="sin",
                            pos=(i * 170.0, (i % 7) * 110.0)))
        graph.add_edge(Edge(previous, node_id, 0))
        previous = node_id
    graph.set_output(previous)
    return graph


def main(target: str, nodes: str) -> int:
    graph = chain(int(nodes))
    version = 0
    while True:
        version += 1
        graph.set_value("version", float(version))
        print(f"begin {version}", flush=True)
        fileformat.save(graph, target)
        print(f"done {version}", flush=True)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
