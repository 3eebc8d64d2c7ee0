"""A block's inside opened for editing: a Document over the block's body that shares its
document's undo stack, and shows the numbers at one instance's inputs.

A param has no value of its own (each instance feeds it), so the inside is evaluated with its
params bound to the inputs of the instance it was opened from: the canvas then shows what that
instance computes inside, while the edits still go to the body, for every instance.
"""

from __future__ import annotations

from cgeditor.model.evaluate import Evaluator

from cgeditor.editor.document.document import Document


class InsideDocument(Document):
    def __init__(self, top: Document, name: str, instance_id: str | None = None):
        self.top, self.instance_id = top, instance_id
        super().__init__(top.graph.blocks[name].body, parent=top, undo_stack=top.undo_stack, inside_of=name)

    def inputs(self) -> dict[str, float]:
        """Param → the value flowing into the instance's port (the ports fed by something computable)."""
        top = self.top
        if self.instance_id not in top.graph or self.inside_of not in top.graph.blocks:
            return {}
        params = top.graph.blocks[self.inside_of].params
        values = top.evaluation.values
        return {params[e.port]: values[e.source] for e in top.graph.in_edges(self.instance_id)
                if e.port < len(params) and e.source in values}

    def evaluate_now(self) -> None:
        self._timer.stop()
        bound = self.graph.copy_contents()
        bound.blocks = self.graph.blocks
        for param, value in self.inputs().items():
            bound.set_value(param, value)
        self.evaluation = Evaluator(bound).evaluate(strict=False)
        self.evaluated.emit()
