"""A block's inside opened for editing: a Document over the block's body that shares its
document's undo stack, and shows the numbers at one instance's inputs.

A param has no value of its own (each instance feeds it), so the inside is evaluated with its
params bound to the inputs of the instance it was opened from: the canvas then shows what that
instance computes inside, while the edits still go to the body, for every instance.
"""

from __future__ import annotations

from cgeditor.model.instance_values import inside_at, instance_inputs

from cgeditor.editor.document.document import Document


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
        self.evaluation = inside_at(top.graph.blocks, name, inputs).evaluation
        self.evaluated.emit()
