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


def doubling_chain(n: int, fan: int = 2) -> Graph:
    """x feeding a1 = x + x, a2 = a1 + a1, … (each fed `fan` times): fan^n paths from a_n to x."""
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1e-300))
    below = "x"
    for i in range(1, n + 1):
        g.add_node(Node(f"a{i}", NodeKind.OP, op="add"))
        for port in range(fan):
            g.add_edge(Edge(below, f"a{i}", port))
        below = f"a{i}"
    g.set_output(below)
    return g


PAIR_COLUMNS = 40


def pairs(n: int) -> Graph:
    """n variables, each feeding its own tanh, in rows of 40 pairs: a large canvas of many
    small pieces, for the editor's whole-graph actions and lazy placement."""
    graph = Graph()
    for i in range(n):
        x, y = 340.0 * (i % PAIR_COLUMNS), 110.0 * (i // PAIR_COLUMNS)
        graph.add_node(Node(f"v{i}", NodeKind.VARIABLE, value=0.01 * i, pos=(x, y)))
        graph.add_node(Node(f"t{i}", NodeKind.OP, op="tanh", pos=(x + 170.0, y)))
        graph.add_edge(Edge(f"v{i}", f"t{i}", 0))
    return graph
