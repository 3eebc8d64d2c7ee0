"""The plain reference loop gives the numbers a derivation by hand gives."""

import pytest

from cgeditor.model.graph import Edge, Graph, Node, NodeKind
from cgeditor.model.reference_loop import reference_evaluate
from cgeditor.model.validate import InvalidGraphError


def fork() -> Graph:
    """e = (a + b)(b + 1): de/da = b + 1 = 2, de/db = (b + 1) + (a + b) = 5 at a = 2, b = 1."""
    g = Graph()
    for node in [Node("a", NodeKind.VARIABLE, value=2.0), Node("b", NodeKind.VARIABLE, value=1.0),
                 Node("one", NodeKind.CONSTANT, value=1.0), Node("c", NodeKind.OP, op="add"),
                 Node("d", NodeKind.OP, op="add"), Node("e", NodeKind.OP, op="mul")]:
        g.add_node(node)
    for edge in [("a", "c", 0), ("b", "c", 1), ("b", "d", 0), ("one", "d", 1), ("c", "e", 0), ("d", "e", 1)]:
        g.add_edge(Edge(*edge))
    return g


def test_forward_local_gradients_and_backward_match_the_hand_derivation():
    result = reference_evaluate(fork(), "e")
    assert result.values["e"] == 6.0
    assert result.local["e"] == (2.0, 3.0)  # d(c·d)/dc = d, d(c·d)/dd = c
    assert (result.grads["a"], result.grads["b"], result.grads["e"]) == (2.0, 5.0, 1.0)


def test_a_node_off_the_path_to_the_output_gets_no_gradient():
    result = reference_evaluate(fork(), "c")
    assert result.grads["one"] == 0.0 and result.grads["d"] == 0.0 and result.grads["b"] == 1.0


def test_an_invalid_graph_is_refused_with_its_problems():
    g = fork()
    g.remove_edge(Edge("one", "d", 1))
    with pytest.raises(InvalidGraphError, match="not connected"):
        reference_evaluate(g, "e")
