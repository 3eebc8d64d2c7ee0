"""`cgeditor eval FILE`: every node's value and its gradient d output / d node.

A readable table by default; with `--json`, a fixed shape for scripts and tests:
{"output": id, "nodes": {id: {"value", "grad"}}, "edges": [{"source", "target", "port",
"local_grad"}]}, nodes and edges in file order, non-finite numbers as "nan"/"inf"/"-inf".
In a document with blocks, an instance's node also has "block": name, and "instances":
{path: {"block", "nodes": {inner id: {"value", "grad"}}}} follows the edges, nested instances
under paths such as "h1/n2", gradients d output / d inner node (as in `cgeditor flatten`'s).
With two or more FILEs, every file is evaluated in one process (see `cgeditor.cli.batch`).
"""

from __future__ import annotations

import argparse
from json.encoder import encode_basestring
from typing import Iterator

from cgeditor.model.escape import terminal
from cgeditor.model.evaluate import Evaluation, Evaluator, OutputError
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Graph, NodeKind
from cgeditor.model.numbers import format_compact

from cgeditor.cli.common import CliError, add_set_argument, apply_sets, shown_problems, text_table
from cgeditor.cli.new_cmd import add_program_arguments, graph_from_expr_args

def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval", help="evaluate a graph: values and gradients of every node",
        description="Run the forward pass and reverse-mode backpropagation on FILE and print "
                    "every node's value and its gradient d output / d node.  With several "
                    "FILEs, evaluate each (--set and --output apply to every file): a block "
                    "per file, or with --json one JSON object per line; the exit status is 2 "
                    "if any file failed.")
    p.add_argument("files", metavar="FILE", nargs="*", help="a .cgraph document (or --expr/--expr-file)")
    add_program_arguments(p, required=False)
    p.add_argument("--output", metavar="NODE",
                   help="differentiate this node (default: the file's output, else its only sink)")
    add_set_argument(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--jobs", metavar="N", type=_positive, default=1,
                   help="with several FILEs, spread them over N processes (default 1)")


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return n


def run(args: argparse.Namespace) -> int:
    typed = args.expr is not None or args.expr_file is not None
    if typed == bool(args.files):
        raise CliError("give either FILE or --expr/--expr-file")
    if len(args.files) > 1:
        from cgeditor.cli.batch import run_batch  # only batches need the worker pool

        return run_batch(args.files, args.set, args.output, args.json, args.jobs)
    if typed:
        graph = graph_from_expr_args(args)  # applies --set itself
        source = "--expr" if args.expr is not None else args.expr_file
    else:
        source = args.files[0]
        graph = load(source, lay_out=False)  # nothing is drawn
        apply_sets(graph, args.set)
    result = evaluate_or_explain(graph, source, args.output)
    print(to_json(graph, result) if args.json else to_table(graph, result))
    return 0


def evaluate_or_explain(graph: Graph, source: str, output: str | None) -> Evaluation:
    """Evaluate, validating once (the plan's validation is the one reported), or raise a
    CliError that names `source` and the problems."""
    evaluator = Evaluator(graph)
    problems = evaluator.problems
    if problems:
        raise CliError(f"{source}: " + "; ".join(shown_problems(problems)))
    try:
        return evaluator.evaluate(output)
    except OutputError as e:
        hint = "" if output is not None else " (choose one with --output)"
        raise CliError(f"{source}: {e}{hint}") from None


def to_json(graph: Graph, result: Evaluation) -> str:
    """The documented shape, one node, edge and instance per line so it also reads well."""
    blocks = len(graph.blocks) > 0
    lines = [
        "{",
        f'  "output": {encode_basestring(result.output)},',
        _block('  "nodes": {', ",\n".join(f"    {item}" for item in node_items(graph, result)), "  },"),
        _block('  "edges": [', ",\n".join(f"    {item}" for item in edge_items(graph, result)),
               "  ]," if blocks else "  ]"),
    ]
    if blocks:
        lines.append(_block('  "instances": {', ",\n".join(f"    {item}" for item in instance_items(graph, result)),
                            "  }"))
    return "\n".join(lines + ["}"])


def _block(opening: str, items: str, closing: str) -> str:
    if not items:
        return opening + closing.lstrip()
    return "\n".join([opening, items, closing])


# The JSON is written item by item with the encoder's own string escaping and float repr
# (exactly what json.dumps writes for them): one json.dumps call per node cost more than the
# evaluation itself at 100k nodes.


def node_items(graph: Graph, result: Evaluation) -> Iterator[str]:
    """`"id": {"value": v, "grad": g}` for every node, in file order (an instance's with
    `"block": name` after them)."""
    values, grads = result.values, result.grads
    if len(graph.blocks):
        yield from _node_items_with_blocks(graph, result)
        return
    for node_id in graph.nodes:
        grad = grads[node_id] if node_id in grads else 0.0
        yield (f'{encode_basestring(node_id)}: '
               f'{{"value": {number_text(values[node_id])}, "grad": {number_text(grad)}}}')


def _node_items_with_blocks(graph: Graph, result: Evaluation) -> Iterator[str]:
    values, grads, blocks = result.values, result.grads, graph.blocks
    for node in graph:
        grad = grads[node.id] if node.id in grads else 0.0
        block = f', "block": {encode_basestring(node.op)}' if node.kind is NodeKind.OP and node.op in blocks else ""
        yield (f'{encode_basestring(node.id)}: '
               f'{{"value": {number_text(values[node.id])}, "grad": {number_text(grad)}{block}}}')


def instance_items(graph: Graph, result: Evaluation) -> Iterator[str]:
    """`"path": {"block": name, "nodes": {inner id: {"value", "grad"}}}` for every instance."""
    from cgeditor.model.instance_values import instance_values  # only documents with blocks need it

    for path, found in instance_values(graph, result).items():
        inner = ", ".join(f'{encode_basestring(i)}: {{"value": {number_text(v)}, "grad": {number_text(g)}}}'
                          for i, (v, g) in found.nodes.items())
        yield f'{encode_basestring(path)}: {{"block": {encode_basestring(found.block)}, "nodes": {{{inner}}}}}'


def edge_items(graph: Graph, result: Evaluation) -> Iterator[str]:
    """`{"source", "target", "port", "local_grad"}` for every edge, in file order."""
    edge_grads = result.edge_grads
    for e in graph.edges:
        yield (f'{{"source": {encode_basestring(e.source)}, "target": {encode_basestring(e.target)}, '
               f'"port": {e.port}, "local_grad": {number_text(edge_grads[e])}}}')


def number_text(x: float) -> str:
    """A number as JSON text: finite values as json.dumps writes them, the rest as "nan",
    "inf" and "-inf" (strings, since JSON has no such numbers)."""
    x = float(x)
    if x != x:
        return '"nan"'
    if x in _INFINITIES:
        return _INFINITIES[x]
    return float.__repr__(x)


_INFINITIES = {float("inf"): '"inf"', float("-inf"): '"-inf"'}


def to_table(graph: Graph, result: Evaluation) -> str:
    """Columns id, label, kind, value, gradient; numbers right-aligned to 4 significant digits."""
    rows = []
    blocks = graph.blocks
    for node in graph:
        kind = node.kind.value
        if node.kind is NodeKind.OP:
            kind = f"block {node.op}" if node.op in blocks else f"op {node.op}"
        rows.append((node.id, node.label, kind, format_compact(result.values[node.id]),
                     format_compact(result.grads.get(node.id, 0.0))))
    table = text_table(("id", "label", "kind", "value", "gradient"), rows, right_aligned=(3, 4))
    value = format_compact(result.values[result.output])
    title = terminal(f"output {result.output} = {value}; gradient = d{result.output}/d(node)")
    return title + "\n\n" + table
