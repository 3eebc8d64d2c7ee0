"""What to offer when a node is renamed: its made-up id (x2, add3) along with the label.

The inspector's label field and the canvas's inline editor both show this offer, worded the
same; whether the id may follow is `Document.id_can_follow`, and the rename itself is
`Document.rename(..., with_id=True)`, one undo step either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from cgeditor.model.graph import is_generated_id


@dataclass(frozen=True)
class IdOffer:
    shown: bool  # the id was made up by the editor, so there is something to offer
    enabled: bool  # the typed name is a free id a command line can name
    text: str


def id_offer(document, node_id: str, typed: str) -> IdOffer:
    name = typed.strip()
    can = document.id_can_follow(node_id, name)
    return IdOffer(is_generated_id(document.graph.node(node_id)), can,
                   f"Rename the id {node_id} to {name} too" if can else f"Id stays {node_id}")
