"""Small graphs written inline, for model tests that do not need a file."""

from cgeditor.model.graph import Edge, Graph, Node, NodeKind


def build(leaves, ops, output=None):
    """Variables {id: value}, then op nodes (id, op, [sources by port]); output: the last op."""
    g = Graph()
    for name, value in leaves.items():
        g.add_node(Node(name, NodeKind.VARIABLE, value=float(value)))
    for name, op, sources in ops:
        g.add_node(Node(name, NodeKind.OP, op=op))
        for port, source in enumerate(sources):
            g.add_edge(Edge(source, name, port))
    g.set_output(output or ops[-1][0])
    return g


def linear_example():
    """L = (x·w + b − y)² at x = 2, w = 3, b = 1, y = 5."""
    return build({"x": 2, "w": 3, "b": 1, "y": 5},
                 [("p", "mul", ["x", "w"]), ("s", "add", ["p", "b"]), ("d", "sub", ["s", "y"]),
                  ("L", "square", ["d"])])
