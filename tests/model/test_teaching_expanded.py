"""Stepping into expanded instances: the walk plays an expanded instance's inside step by step,
names its nodes by path, and each state splits back into the canvas and the frames."""

import math

import pytest

from cgeditor.model.evaluate import evaluate
from cgeditor.model.expression import parse_program
from cgeditor.model.graph import Edge
from cgeditor.model.teaching.expanded import ExpandedView, carried_position, expandable
from cgeditor.model.teaching.walk import Walk

from helpers.block_programs import NESTED, NESTED_VALUES, NEURON, NEURON_VALUES

def neuron_graph():
    g = parse_program(NEURON, NEURON_VALUES)
    return g, evaluate(g, g.output)


def callouts(walk):
    return [walk.state(i).callout[0] for i in range(len(walk))]


def test_a_collapsed_instance_is_one_step_and_the_view_is_the_document_itself():
    g, ev = neuron_graph()
    view = ExpandedView(g, ev)
    assert view.graph is g and view.evaluation is ev
    lines = callouts(Walk(view.graph, view.evaluation))
    assert "h1 = neuron(x1, x2, a, c, b1) = neuron(0.5, -1, 0.3, 0.8, 0.1) = -0.5005" in lines
    assert not any("(h1/" in line for line in lines)


def test_an_expanded_instance_plays_its_inside_forward_and_backward_naming_inner_nodes_by_path():
    g, ev = neuron_graph()
    view = ExpandedView(g, ev, ["h1"])
    walk = Walk(view.graph, view.evaluation)
    lines = callouts(walk)
    assert "(h1/z) = (h1/mul) + (h1/mul2) + b1 = 0.15 + (-0.8) + 0.1 = -0.55" in lines
    assert "(h1/tanh2) = tanh((h1/z)) = tanh(-0.55) = -0.5005" in lines
    assert "∂L/∂(h1/z) += ∂L/∂(h1/tanh2) · ∂(h1/tanh2)/∂(h1/z) = 0.537474 · 0.74948 = 0.402826" in lines
    assert "∂L/∂x1 += ∂L/∂(h1/mul) · ∂(h1/mul)/∂x1 = 0.4028 · 0.3 = 0.1208" in lines
    collapsed = Walk(g, ev)
    # forward: 4 inner ops instead of h1's one; backward: 8 inner edges instead of the 5 into h1
    assert len(walk) == len(collapsed) + 3 + 3
    for node in ("x1", "x2", "a", "c", "b1", "v", "L"):
        assert math.isclose(view.evaluation.grads[node], ev.grads[node], rel_tol=1e-12)


def test_a_state_splits_into_the_canvas_and_the_frame_with_the_step_where_it_happens():
    g, ev = neuron_graph()
    view = ExpandedView(g, ev, ["h1"])
    walk = Walk(view.graph, view.evaluation)
    lines = callouts(walk)
    inner = view.split(walk.state(lines.index("∂L/∂(h1/z) += ∂L/∂(h1/tanh2) · ∂(h1/tanh2)/∂(h1/z) = "
                                                  "0.537474 · 0.74948 = 0.402826")))
    frame = inner.frames["h1"]
    assert frame.current_node == "z" and frame.current_edge == Edge("z", "tanh2", 0)
    assert inner.top.current_node is None and inner.top.current_edge is None
    assert "h1" in inner.top.grads and "tanh2" in frame.grads and "z" in frame.grads
    assert "h1" in inner.top.values and {"mul", "mul2", "z", "tanh2"} <= frame.values
    # a step along an edge leaving a param is the edge into the instance's port on the canvas too
    param = view.split(walk.state(lines.index("∂L/∂x1 += ∂L/∂(h1/mul) · ∂(h1/mul)/∂x1 = 0.4028 · 0.3 = 0.1208")))
    assert param.top.current_edge == Edge("x1", "h1", 0) and param.top.current_node == "x1"
    assert param.frames["h1"].current_edge == Edge("x1", "mul", 0)
    assert param.frames["h1"].current_node is None  # the param is x1 there, but the step is not its own


def test_nested_expanded_instances_are_written_out_to_paths_and_split_into_nested_frames():
    g = parse_program(NESTED, NESTED_VALUES)
    ev = evaluate(g, g.output)
    inner_id = next(n.id for n in g.blocks["unit"].body if n.op == "lin")
    path = f"h/{inner_id}"
    view = ExpandedView(g, ev, ["h", path])
    assert view.expanded == ("h", path)
    walk = Walk(view.graph, view.evaluation)
    lines = callouts(walk)
    assert any(line.startswith(f"({path}/") for line in lines)
    state = walk.state(len(walk) - 1)
    split = view.split(state)
    assert set(split.frames) == {"h", path}
    assert inner_id in split.frames["h"].grads and split.frames[path].edges
    assert math.isclose(view.evaluation.grads["w"], ev.grads["w"], rel_tol=1e-12)


def test_only_instances_whose_outer_instances_are_expanded_can_be_expanded():
    g = parse_program(NESTED, NESTED_VALUES)
    inner_id = next(n.id for n in g.blocks["unit"].body if n.op == "lin")
    assert expandable(g, [f"h/{inner_id}"]) == ()
    assert expandable(g, ["x", "nope", "h"]) == ("h",)
    assert expandable(g, [f"h/{inner_id}", "h"]) == ("h", f"h/{inner_id}")


@pytest.mark.parametrize("expanding", [True, False])
def test_expanding_or_collapsing_mid_walk_goes_on_where_the_canvas_showed_as_much(expanding):
    g, ev = neuron_graph()
    collapsed, expanded = ExpandedView(g, ev), ExpandedView(g, ev, ["h1"])
    walks = {False: Walk(g, ev), True: Walk(expanded.graph, expanded.evaluation)}
    old_view, new_view = (collapsed, expanded) if expanding else (expanded, collapsed)
    old, new = walks[not expanding], walks[expanding]
    at = callouts(old).index("∂L/∂v += ∂L/∂mul · ∂mul/∂v = 0.2687 · (-0.5005) = -0.1345")
    position = carried_position(old_view, old, at, new_view, new)
    assert new.state(position).callout[0] == "∂L/∂v += ∂L/∂mul · ∂mul/∂v = 0.2687 · (-0.5005) = -0.1345"
    if not expanding:  # from inside the frame: the step before the instance's own, none skipped
        inside = callouts(old).index("∂L/∂(h1/mul) += ∂L/∂(h1/z) · ∂(h1/z)/∂(h1/mul) = 0.4028 · 1 = 0.4028")
        assert carried_position(old_view, old, inside, new_view, new) == position
        assert new.state(position + 1).current_edge.target == "h1"


def test_a_quiz_hiding_an_expanded_instance_hides_its_insides_output_in_the_walk():
    g, ev = neuron_graph()
    view = ExpandedView(g, ev, ["h1"])
    assert view.hidden(frozenset({"h1", "x1", "gone"})) == {"h1/tanh2", "x1"}
    walk = Walk(view.graph, view.evaluation)
    state = view.split(walk.state(len(walk) - 1, view.hidden(frozenset({"h1"}))))
    assert state.top.grads["h1"].hidden and state.frames["h1"].grads["tanh2"].hidden
