"""What the canvas marks on the items after each evaluation: the output's tag, a node's problem
badge and unconnected inputs, and the message of an invalid edge.  Only items whose mark is or
was not the default are touched, so an evaluation of a large graph walks no other node."""

from __future__ import annotations

from cgeditor.model.graph import Edge
from cgeditor.model.validate import ProblemCode

Status = tuple[bool, tuple[str, ...], frozenset[int]]  # is the output, problem messages, bad ports
DEFAULT: Status = (False, (), frozenset())


class ProblemMarks:
    """Keeps each node's and edge's mark and sets them on the scene's items."""

    def __init__(self, scene):
        self.scene = scene
        self._status: dict[str, Status] = {}
        self._bad_edges: set[Edge] = set()  # edges marked invalid now

    def status(self, node_id: str) -> Status:
        return self._status.get(node_id, DEFAULT)

    def forget(self, node_id: str) -> None:
        """The node is gone: drop its mark."""
        self._status.pop(node_id, None)

    def mark_nodes(self, ev) -> list[str]:
        """Mark the nodes for evaluation `ev`; returns those whose tag or badge came or went
        (their shape changes, so the scene re-shapes them)."""
        status = _problem_status(ev)
        nodes = self.scene.items_by_node
        reshaped = []
        for node_id in {*status, *self._status, ev.output} & nodes.keys():
            old = self._status.get(node_id, DEFAULT)
            new = status.get(node_id, (node_id == ev.output, (), frozenset()))
            if new != old:
                if new == DEFAULT:
                    del self._status[node_id]
                else:
                    self._status[node_id] = new
                nodes[node_id].set_status(new[0], list(new[1]), new[2])
                self.scene.overview.touch(nodes[node_id])
                if (new[0], bool(new[1])) != (old[0], bool(old[1])):
                    reshaped.append(node_id)
        return reshaped

    def mark_edges(self, ev) -> None:
        """Give each edge a problem of evaluation `ev` names its message; clear the others."""
        bad: dict[Edge, str] = {}
        for p in ev.problems:
            for e in p.edges:
                bad[e] = p.message
        edges = self.scene.items_by_edge
        for edge in self._bad_edges - bad.keys():  # only edges that were or are marked
            if edge in edges:
                edges[edge].set_problem(None)
                self.scene.overview.touch(edges[edge])
        for edge, message in bad.items():
            if edge in edges:
                edges[edge].set_problem(message)
                if edge not in self._bad_edges:
                    self.scene.overview.touch(edges[edge])
        self._bad_edges = set(bad)


def _problem_status(ev) -> dict[str, Status]:
    messages: dict[str, list[str]] = {}
    ports: dict[str, set[int]] = {}
    for p in ev.problems:
        for n in p.owners:
            messages.setdefault(n, []).append(p.message)
        if p.code is ProblemCode.UNCONNECTED_PORT:
            ports.setdefault(p.owners[0], set()).add(p.port)
    return {n: (n == ev.output, tuple(messages.get(n, ())), frozenset(ports.get(n, ())))
            for n in set(messages) | set(ports)}
