"""model/rings: the cycles among the nodes a topological order left out."""

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cgeditor.model.rings import rings


def _of(edges: dict[str, list[str]]):
    return lambda n: edges.get(n, [])


def test_two_rings_and_a_self_loop_each_in_document_order():
    edges = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["e"], "e": ["c"], "s": ["s"]}
    assert rings(["s", "e", "a", "d", "b", "c"], _of(edges)) == [["s"], ["e", "d", "c"], ["a", "b"]]


def test_nodes_downstream_of_a_ring_are_not_on_it():
    edges = {"a": ["b"], "b": ["a", "x"], "x": ["y"]}
    assert rings(["a", "b", "x", "y"], _of(edges)) == [["a", "b"]]


def test_successors_outside_the_members_are_ignored():
    edges = {"a": ["b", "outside"], "b": ["a"], "outside": ["a"]}
    assert rings(["a", "b"], _of(edges)) == [["a", "b"]]


def test_a_ring_far_deeper_than_the_recursion_limit():
    n = 50_000
    ids = [str(i) for i in range(n)]
    assert len(rings(ids, lambda k: [str((int(k) + 1) % n)])[0]) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_rings_are_the_strongly_connected_components_networkx_finds_that_close_a_loop(graph):
    n, pairs = graph
    members = [f"n{k}" for k in range(n)]
    edges: dict[str, list[str]] = {}
    for a, b in pairs:
        edges.setdefault(f"n{a}", []).append(f"n{b}")
    reference = nx.DiGraph()
    reference.add_nodes_from(members)
    reference.add_edges_from((a, b) for a, targets in edges.items() for b in targets)
    looped = [c for c in nx.strongly_connected_components(reference)
              if len(c) > 1 or any(reference.has_edge(m, m) for m in c)]
    found = rings(members, _of(edges))
    assert sorted(map(frozenset, found), key=sorted) == sorted(map(frozenset, looped), key=sorted)
    for ring in found:
        assert ring == sorted(ring, key=members.index)
