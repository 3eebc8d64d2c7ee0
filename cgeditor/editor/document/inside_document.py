"""A block's inside opened for editing: a Document over the block's body that shares its
document's undo stack, and shows the numbers at one instance's inputs.

A param has no value of its own (each instance feeds it), so the inside is evaluated with its
params bound to the inputs of the instance it was opened from: the canvas then shows what that
instance computes inside, while the edits still go to the body, for every instance.
"""

from __future__ import annotations

from cgeditor.model.blocks import Block
from cgeditor.model.evaluate import Evaluation, Evaluator
from cgeditor.model.graph import Graph

from cgeditor.editor.document.document import Document


def instance_inputs(graph: Graph, evaluation: Evaluation, instance_id: str) -> dict[str, float]:
    """Param → the value flowing into instance `instance_id`'s port, for the ports fed by
    something computable."""
    params = graph.blocks[graph.node(instance_id).op].params
    values = evaluation.values
    return {params[e.port]: values[e.source] for e in graph.in_edges(instance_id)
            if e.port < len(params) and e.source in values}


def bound_body(block: Block, inputs: dict[str, float]) -> Graph:
    """A copy of the block's body with its params set to `inputs` (sharing the library)."""
    bound = block.body.copy_contents()
    bound.blocks = block.body.blocks
    for param, value in inputs.items():
        bound.set_value(param, value)
    return bound


class InsideDocument(Document):
    def __init__(self, top: Document, name: str, instance_id: str | None = None):
        self.top, self.instance_id = top, instance_id
        super().__init__(top.graph.blocks[name].body, parent=top, undo_stack=top.undo_stack, inside_of=name)
        # The instance's inputs can change with an edit inside (when another instance feeds it).
        top.evaluated.connect(self._timer.start)

    def detach(self) -> None:
        super().detach()
        self.top.evaluated.disconnect(self._timer.start)

    def evaluate_now(self) -> None:
        self._timer.stop()
        top, name = self.top, self.inside_of
        inputs = {}
        if self.instance_id in top.graph and name in top.graph.blocks and top.graph.node(self.instance_id).op == name:
            inputs = instance_inputs(top.graph, top.evaluation, self.instance_id)
        self.evaluation = Evaluator(bound_body(top.graph.blocks[name], inputs)).evaluate(strict=False)
        self.evaluated.emit()
