"""model/rings: the cycles among the nodes a topological order left out."""

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
