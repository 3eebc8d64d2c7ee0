"""`cgeditor eval FILE`: every node's value and its gradient d output / d node.

A readable table by default; with `--json`, a fixed shape for scripts and tests:
{"output": id, "nodes": {id: {"value", "grad"}}, "edges": [{"source", "target", "port",
"local_grad"}]}, nodes and edges in file order, non-finite numbers as "nan"/"inf"/"-inf".
"""

from __future__ import annotations

import argparse
import json

from cgeditor.model.escape import one_line, terminal
from cgeditor.model.evaluate import Evaluation, OutputError, evaluate
from cgeditor.model.fileformat import encode_number, load
from cgeditor.model.graph import Graph, NodeKind
from cgeditor.model.numbers import format_compact
from cgeditor.model.validate import validate

from cgeditor.cli.common import CliError, add_set_argument, apply_sets, text_table
from cgeditor.cli.new_cmd import add_program_arguments, graph_from_expr_args

MAX_PROBLEMS_SHOWN = 10  # all on one line, so a badly broken file still gives a readable message


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval", help="evaluate a graph: values and gradients of every node",
        description="Run the forward pass and reverse-mode backpropagation on FILE and print "
                    "every node's value and its gradient d output / d node.")
    p.add_argument("file", metavar="FILE", nargs="?", help="a .cgraph document (or --expr/--expr-file)")
    add_program_arguments(p, required=False)
    p.add_argument("--output", metavar="NODE",
                   help="differentiate this node (default: the file's output, else its only sink)")
    add_set_argument(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    typed = args.expr is not None or args.expr_file is not None
    if typed == (args.file is not None):
        raise CliError("give either FILE or --expr/--expr-file")
    if typed:
        graph = graph_from_expr_args(args)  # applies --set itself
        source = "--expr" if args.expr is not None else args.expr_file
    else:
        graph = load(args.file, lay_out=False)  # nothing is drawn
        apply_sets(graph, args.set)
        source = args.file
    problems = validate(graph)
    if problems:
        shown = [one_line(p.message, 200) for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
        raise CliError(f"{source}: " + "; ".join(shown))
    try:
        result = evaluate(graph, output=args.output)
    except OutputError as e:
        hint = "" if args.output is not None else " (choose one with --output)"
        raise CliError(f"{source}: {e}{hint}") from None
    print(to_json(graph, result) if args.json else to_table(graph, result))
    return 0


def to_json(graph: Graph, result: Evaluation) -> str:
    """The documented shape, one node and one edge per line so it also reads well."""
    def enc(x: object) -> str:
        return json.dumps(x, ensure_ascii=False)

    nodes = [
        f"    {enc(node_id)}: " + enc({"value": encode_number(result.values[node_id]),
                                      "grad": encode_number(result.grads.get(node_id, 0.0))})
        for node_id in graph.nodes
    ]
    edges = [
        "    " + enc({"source": e.source, "target": e.target, "port": e.port,
                      "local_grad": encode_number(result.edge_grads[e])})
        for e in graph.edges
    ]
    return "\n".join([
        "{",
        f'  "output": {enc(result.output)},',
        _block('  "nodes": {', nodes, "  },"),
        _block('  "edges": [', edges, "  ]"),
        "}",
    ])


def _block(opening: str, items: list[str], closing: str) -> str:
    if not items:
        return opening + closing.lstrip()
    return "\n".join([opening, ",\n".join(items), closing])


def to_table(graph: Graph, result: Evaluation) -> str:
    """Columns id, label, kind, value, gradient; numbers right-aligned to 4 significant digits."""
    rows = []
    for node in graph:
        kind = f"op {node.op}" if node.kind is NodeKind.OP else node.kind.value
        rows.append((node.id, node.label, kind, format_compact(result.values[node.id]),
                     format_compact(result.grads.get(node.id, 0.0))))
    table = text_table(("id", "label", "kind", "value", "gradient"), rows, right_aligned=(3, 4))
    value = format_compact(result.values[result.output])
    title = terminal(f"output {result.output} = {value}; gradient = d{result.output}/d(node)")
    return title + "\n\n" + table
