"""Block instances in the Graphviz export: each one a cluster holding its inside.

An instance has no node of its own: its cluster is labelled with the block's name, the
instance's id, value and gradient, and holds the body's nodes (params included, where the
wires from outside arrive), nested instances as clusters within.  Inner nodes are named by
their instance path joined with line feeds, which no id holds (ids are printable), so no inner
name can clash with a document node's.  Numbers come from `instance_values`, the same as
`eval --json` reports and the flattened document computes.
"""

from __future__ import annotations

from cgeditor.model.block_edits import block_output
from cgeditor.model.escape import dot_string
from cgeditor.model.evaluation import Evaluation
from cgeditor.model.export.dot import edge_line, node_line
from cgeditor.model.graph import Edge, Graph
from cgeditor.model.instance_values import InstanceValues, instance_tree
from cgeditor.model.numbers import format_compact


class Clusters:
    def __init__(self, graph: Graph, result: Evaluation):
        self.graph, self.result = graph, result
        self.tree = instance_tree(graph, result)

    def cluster(self, instance_id: str, bold: bool) -> list[str]:
        value, grad = self.result.values[instance_id], self.result.grads.get(instance_id)
        return self._cluster((instance_id,), self.tree[instance_id], value, grad, bold, "  ")

    def _cluster(self, path: tuple[str, ...], found: InstanceValues, value: float, grad: float | None,
                 bold: bool, indent: str) -> list[str]:
        block = self.graph.blocks[found.block]
        text = f"{found.block}  {path[-1]}\nvalue {format_compact(value)}"
        if grad is not None:
            text += f"\ngrad {format_compact(grad)}"
        lines = [f"{indent}subgraph {dot_string('cluster' + chr(10).join(path))} {{",
                 f"{indent}  label={dot_string(text)}; style=rounded{'; penwidth=2' if bold else ''};"]
        body = block.body
        for node in body:
            inner_value, inner_grad = found.nodes[node.id]
            if node.id in found.inner:
                lines += self._cluster((*path, node.id), found.inner[node.id], inner_value, inner_grad,
                                       False, indent + "  ")
            else:
                lines.append(node_line(self.graph, node, _name((*path, node.id)), inner_value, inner_grad,
                                       False, indent + "  "))
        for e in body.edges:
            target = body.nodes[e.target]
            lines.append(edge_line(self.graph, e, self._source(path, e.source, found),
                                   self._target(path, e, found), _local(self.graph, body, found, e),
                                   indent + "  ", target.op))
        lines.append(f"{indent}}}")
        return lines

    def ends(self, e: Edge) -> tuple[str, str]:
        """The DOT names a document edge runs between: from an instance's returned node, into
        an instance's param."""
        return self._source((), e.source, None), self._target((), e, None)

    def _source(self, path: tuple[str, ...], node_id: str, found: InstanceValues | None) -> str:
        inner = self.tree if found is None else found.inner
        while node_id in inner:  # an instance gives the value of its returned node
            found = inner[node_id]
            path, node_id = (*path, node_id), block_output(self.graph.blocks[found.block])
            inner = found.inner
        return _name((*path, node_id))

    def _target(self, path: tuple[str, ...], e: Edge, found: InstanceValues | None) -> str:
        inner = self.tree if found is None else found.inner
        if e.target in inner:
            params = self.graph.blocks[inner[e.target].block].params
            if e.port < len(params):
                return _name((*path, e.target, params[e.port]))
        return _name((*path, e.target))


def _name(path: tuple[str, ...]) -> str:
    return dot_string("\n".join(path))


def _local(graph: Graph, body: Graph, found: InstanceValues, e: Edge) -> float:
    """d target / d source for an edge inside a block, at this instance's values."""
    target = body.nodes[e.target]
    edges = body.sorted_in_edges(e.target)
    xs = [found.nodes[edge.source][0] for edge in edges]
    partials = graph.op(target.op).partials(xs, found.nodes[e.target][0])
    return partials[edges.index(e)]
