"""The bundled examples: valid, labelled, and laid out tidily enough to read at a glance."""

import itertools
from pathlib import Path

import pytest

import cgeditor

from cgeditor.model.fileformat import load
from cgeditor.model.validate import validate
from cgeditor.resources import example_path, examples_dir, list_examples

EXAMPLES = list_examples()
NODE_WIDTH, NODE_HEIGHT = 150, 90  # nodes closer than this in both directions would overlap


def test_default_example_is_the_chain_rule():
    assert example_path() == examples_dir() / "chain_rule.cgraph"
    assert example_path("chain_rule") in EXAMPLES
    assert len(EXAMPLES) == 8


def test_examples_are_read_from_inside_the_package_and_match_the_edited_folder():
    """A wheel carries cgeditor/examples; in the source tree it links to resources/examples."""
    package = Path(cgeditor.__file__).parent
    assert examples_dir() == package / "examples"
    edited = Path(__file__).parents[2] / "resources" / "examples"
    if edited.is_dir():  # the source tree, not an installed copy
        assert sorted(p.name for p in EXAMPLES) == sorted(p.name for p in edited.glob("*.cgraph"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_is_valid_with_an_output(path):
    g = load(path)
    assert validate(g) == []
    assert g.output is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_nodes_do_not_overlap(path):
    g = load(path)
    for a, b in itertools.combinations(g, 2):
        dx, dy = abs(a.pos[0] - b.pos[0]), abs(a.pos[1] - b.pos[1])
        assert dx >= NODE_WIDTH or dy >= NODE_HEIGHT, (a.id, b.id)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_wires_run_left_to_right_without_crossing(path):
    g = load(path)
    segments = [(g.node(e.source).pos, g.node(e.target).pos, e) for e in g.edges]
    for p, q, e in segments:
        assert p[0] < q[0], e
    for (p1, q1, e1), (p2, q2, e2) in itertools.combinations(segments, 2):
        if {e1.source, e1.target} & {e2.source, e2.target}:
            continue  # wires that share a node meet there
        assert not _cross(p1, q1, p2, q2), (e1, e2)


def _cross(a, b, c, d):
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 0) - (v < 0)

    return orient(a, b, c) != orient(a, b, d) and orient(c, d, a) != orient(c, d, b)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_wires_do_not_run_through_other_nodes(path):
    g = load(path)
    for e in g.edges:
        (x1, y1), (x2, y2) = g.node(e.source).pos, g.node(e.target).pos
        for node in g:
            x, y = node.pos
            if node.id in (e.source, e.target) or not x1 < x < x2:
                continue
            y_at = y1 + (y2 - y1) * (x - x1) / (x2 - x1)
            assert abs(y_at - y) >= NODE_HEIGHT / 2, (e, node.id)
