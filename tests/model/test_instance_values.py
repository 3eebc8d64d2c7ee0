"""An instance's inside at its inputs (`inside_at`, read by eval --json, the DOT export and the
editor): the numbers of the flattened document, and what is left out for an unfed port."""

from __future__ import annotations

import pytest

from cgeditor.model.block_edits import flatten
from cgeditor.model.evaluate import evaluate
from cgeditor.model.instance_values import inside_at, instance_values
from cgeditor.model.validate import ProblemCode
from helpers.block_documents import network


def test_every_inner_node_has_the_value_and_gradient_of_its_node_in_the_flattened_document():
    g = network()
    flat = evaluate(flatten(g))
    found = instance_values(g, evaluate(g))
    assert list(found) == ["h1", "h1/n2", "h2", "h2/n2", "s"]
    compared = 0
    for path, inside in found.items():
        block = g.blocks[inside.block]
        for inner, (value, grad) in inside.nodes.items():
            node = block.body.nodes[inner]
            if inner in block.params or node.op in g.blocks:  # written out as the outer source / the inside
                continue
            assert value == pytest.approx(flat.values[f"{path}/{inner}"], rel=1e-12)
            assert grad == pytest.approx(flat.grads[f"{path}/{inner}"], rel=1e-12)
            compared += 1
    assert compared == 2 * 2 + 2 * 4 + 4  # p, s in each neuron; one, e, d, z in each sig


def test_the_upstream_gradient_scales_every_inner_gradient_and_no_value_or_local_gradient():
    g = network()
    inputs = {"x": 0.5, "w": -1.2, "b": 0.3}
    alone, scaled = inside_at(g.blocks, "neuron", inputs), inside_at(g.blocks, "neuron", inputs, upstream=-2.5)
    assert dict(scaled.values) == dict(alone.values)
    assert dict(scaled.edge_grads) == dict(alone.edge_grads)
    assert alone.grads["n2"] == 1.0
    assert dict(scaled.grads) == {n: -2.5 * grad for n, grad in alone.grads.items()}


def test_an_unfed_port_leaves_what_it_feeds_uncomputed_and_computes_the_rest():
    g = network()
    found = inside_at(g.blocks, "neuron", {"x": 0.5, "w": -1.2})  # b unfed: no value in the body
    assert found.values["p"] == pytest.approx(-0.6)
    assert "s" not in found.values and "n2" not in found.values
    assert len(found.grads) == 0  # no output to take gradients of
    assert [(p.code, p.owners) for p in found.evaluation.problems] == [(ProblemCode.MISSING_VALUE, ("b",))]
