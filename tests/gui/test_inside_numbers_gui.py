"""The numbers the editor shows inside an instance are the model's (`inside_at`) and the
flattened document's: in the expanded frame and in the block opened for editing."""

from __future__ import annotations

import pytest

from cgeditor.editor.document.document import Document
from cgeditor.model.block_edits import flatten
from cgeditor.model.evaluate import evaluate
from cgeditor.model.graph import Edge
from cgeditor.model.instance_values import inside_at, instance_inputs
from cgeditor.model.numbers import format_compact
from helpers.block_documents import network

# Instance h1 = neuron(x, a, b1): each inside node of neuron → the flattened node giving its value.
FLAT_IDS = {"x": "x", "w": "a", "b": "b1", "p": "h1/p", "s": "h1/s", "n2": "h1/n2/z"}
PARAMS = {"x", "w", "b"}


@pytest.fixture
def window(make_window):
    window = make_window(Document(network()))
    window.document.evaluate_now()
    return window


def at_h1(window, upstream=1.0):
    graph, evaluation = window.document.graph, window.document.evaluation
    return inside_at(graph.blocks, "neuron", instance_inputs(graph, evaluation, "h1"), upstream)


def flattened_at_h1(window):
    """The flattened document's numbers with h1's inside output as the output: the gradients
    are then d h1 / d node, what the block opened for editing shows."""
    return evaluate(flatten(window.document.graph), output=FLAT_IDS["n2"])


def test_the_expanded_frame_shows_the_numbers_of_the_model_and_of_the_flattened_document(window):
    """d L / d inner node, as on the canvas outside the frame and in the flattened document."""
    window.scene.insides.expand("h1")
    frame = window.scene.insides.frame("h1")
    model = at_h1(window, window.document.evaluation.grads["h1"])
    flat = evaluate(flatten(window.document.graph))
    assert model.grads["n2"] != 1.0  # d L / d h1, not the inside's own d h1 / d h1
    texts = frame.texts()
    assert set(texts) == set(FLAT_IDS)
    for inner, flat_id in FLAT_IDS.items():
        assert texts[inner] == (format_compact(model.values[inner]), format_compact(model.grads[inner]))
        assert texts[inner][0] == format_compact(flat.values[flat_id])
        if inner not in PARAMS:  # a param's d L counts only the paths through this instance
            assert texts[inner][1] == format_compact(flat.grads[flat_id])
    edges = frame.edge_texts()
    assert edges == {e: format_compact(g) for e, g in model.edge_grads.items()}
    # The edges written out as they are (s → n2 goes into an instance: its inside has no such edge).
    for edge in [Edge("x", "p", 0), Edge("w", "p", 1), Edge("p", "s", 0), Edge("b", "s", 1)]:
        flat_edge = Edge(FLAT_IDS[edge.source], FLAT_IDS[edge.target], edge.port)
        assert edges[edge] == format_compact(flat.edge_grads[flat_edge])


def test_a_block_opened_at_an_instance_evaluates_as_the_model_does(window):
    window.block_editing.open("neuron", "h1")
    shown = window.scene.document.evaluation
    model, flat = at_h1(window), flattened_at_h1(window)
    assert dict(shown.values) == dict(model.values)
    assert dict(shown.grads) == dict(model.grads)
    assert dict(shown.edge_grads) == dict(model.edge_grads)
    for inner, flat_id in FLAT_IDS.items():
        assert shown.values[inner] == pytest.approx(flat.values[flat_id], rel=1e-12)
        assert shown.grads[inner] == pytest.approx(flat.grads[flat_id], rel=1e-12)
    assert window.scene.value_label("s").number() == pytest.approx(model.values["s"], rel=1e-12)
