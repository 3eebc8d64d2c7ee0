"""Graph.fresh_id's counters give exactly the ids a search from 2 gives, whatever came and went."""

from hypothesis import given, settings, strategies as st

from cgeditor.model.graph import Graph, Node, NodeKind


def searched_from_two(graph: Graph, stem: str, reserved=()) -> str:
    """The rule as it was first written: stem if free, else the first free stem2, stem3, …"""
    def taken(node_id: str) -> bool:
        return node_id in graph or node_id in reserved

    if not taken(stem):
        return stem
    i = 2
    while taken(f"{stem}{i}"):
        i += 1
    return f"{stem}{i}"


STEMS = st.sampled_from(["x", "x1", "add", "c", "k9"])
STEP = st.one_of(
    st.tuples(st.just("add"), STEMS),  # add the fresh id, as Document.add_node does
    st.tuples(st.just("ask"), STEMS),  # ask and never add (a refused wire)
    st.tuples(st.just("remove"), st.integers(0, 10_000)),
    st.tuples(st.just("paste"), st.lists(STEMS, max_size=8)),  # reserve as a paste does, then add all
)


@settings(max_examples=300, deadline=None)
@given(st.lists(STEP, max_size=60))
def test_fresh_ids_match_the_search_from_two_after_any_adds_removals_and_pastes(steps):
    g = Graph()
    for kind, arg in steps:
        if kind in ("add", "ask"):
            expected = searched_from_two(g, arg)
            assert g.fresh_id(arg) == expected
            if kind == "add":
                g.add_node(Node(expected, NodeKind.VARIABLE, value=1.0))
        elif kind == "remove" and len(g):
            g.remove_node(list(g.nodes)[arg % len(g)])
        elif kind == "paste":
            given_out: set[str] = set()
            for stem in arg:
                expected = searched_from_two(g, stem, given_out)
                assert g.fresh_id(stem, given_out) == expected
                given_out.add(expected)
            for node_id in given_out:
                g.add_node(Node(node_id, NodeKind.VARIABLE, value=1.0))


def test_ten_thousand_fresh_ids_in_a_row_are_stem2_to_stem10001():
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    reserved: set[str] = set()
    for _ in range(10_000):
        reserved.add(g.fresh_id("x", reserved))
    assert reserved == {f"x{i}" for i in range(2, 10_002)}
