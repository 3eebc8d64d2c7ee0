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
import sys
from math import isfinite
from operator import attrgetter
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from cgeditor.model.collector import collector_paused
from cgeditor.model.escape import terminal
from cgeditor.model.evaluate import Evaluation, Evaluator, OutputError
from cgeditor.model.fileformat import load
from cgeditor.model.graph import Edge, Graph, NodeKind
from cgeditor.model.numbers import format_compact

from cgeditor.cli.common import (CliError, add_program_arguments, add_set_argument, apply_sets, shown_problems,
                                 text_table)


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
    with collector_paused():  # see `collector`; what `_run_one` built is freed before it resumes
        return _run_one(args, typed)


def _run_one(args: argparse.Namespace, typed: bool) -> int:
    if typed:
        from cgeditor.cli.new_cmd import graph_from_expr_args  # only programs need the parser

        graph = graph_from_expr_args(args)  # applies --set itself
        source = "--expr" if args.expr is not None else args.expr_file
    else:
        source = args.files[0]
        graph = load(source, lay_out=False)  # nothing is drawn
        apply_sets(graph, args.set)
    result = evaluate_or_explain(graph, source, args.output)
    if args.json:
        write_json(graph, result, sys.stdout)
    else:
        print(to_table(graph, result))
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


def write_json(graph: Graph, result: Evaluation, out: TextIO) -> None:
    """The documented shape, one node, edge and instance per line so it also reads well, written
    a few thousand lines at a time: a 200k-node result is never one string in memory."""
    ids, edges, blocks = list(graph.nodes), graph.edges, len(graph.blocks) > 0
    values, grads = result.values.take(ids), result.grads.take(ids, 0.0)
    edge_grads = result.edge_grads.take(edges)
    out.write(f'{{\n  "output": {encode_basestring(result.output)},\n')
    _write_block(out, '  "nodes": {', "  },", len(ids), lambda k: node_lines(graph, ids[k], values[k], grads[k]))
    _write_block(out, '  "edges": [', "  ]," if blocks else "  ]", len(edges),
                 lambda k: edge_lines(edges[k], edge_grads[k]))
    if blocks:
        instances = list(instance_items(graph, result))
        _write_block(out, '  "instances": {', "  }", len(instances), lambda k: instances[k])
    out.write("}\n")


def _write_block(out: TextIO, opening: str, closing: str, n: int, lines: Callable[[slice], Iterable[str]]) -> None:
    if not n:
        out.write(opening + closing.lstrip() + "\n")
        return
    out.write(opening + "\n    ")
    for start in range(0, n, _CHUNK):
        out.write((",\n    " if start else "") + ",\n    ".join(lines(slice(start, start + _CHUNK))))
    out.write("\n" + closing + "\n")


_CHUNK = 4096  # lines per write

# The JSON is written with the encoder's own string escaping and float repr (exactly what
# json.dumps writes for them), a list at a time through `map`: one json.dumps call per node
# cost more than the evaluation itself at 100k nodes, and so did a Python-level call per line.


def node_items(graph: Graph, result: Evaluation, ids: list[str]) -> Iterable[str]:
    """`"id": {"value": v, "grad": g}` for each of `ids` (an instance's with `"block": name`)."""
    return node_lines(graph, ids, result.values.take(ids), result.grads.take(ids, 0.0))


def edge_items(result: Evaluation, edges: list[Edge]) -> Iterable[str]:
    """`{"source", "target", "port", "local_grad"}` for each of `edges`."""
    return edge_lines(edges, result.edge_grads.take(edges))


def node_lines(graph: Graph, ids: Sequence[str], values: Sequence[float], grads: Sequence[float]) -> Iterable[str]:
    texts = (map(encode_basestring, ids), number_texts(values), number_texts(grads))
    if not len(graph.blocks):
        return map(_NODE_LINE, *texts)
    nodes, blocks = graph.nodes, graph.blocks
    names = [f', "block": {encode_basestring(node.op)}' if node.kind is NodeKind.OP and node.op in blocks else ""
             for node in map(nodes.__getitem__, ids)]
    return map(_INSTANCE_LINE, *texts, names)


def edge_lines(edges: Sequence[Edge], grads: Sequence[float]) -> Iterable[str]:
    return map(_EDGE_LINE, map(encode_basestring, map(_SOURCE, edges)), map(encode_basestring, map(_TARGET, edges)),
               map(_PORT, edges), number_texts(grads))


def instance_items(graph: Graph, result: Evaluation) -> Iterator[str]:
    """`"path": {"block": name, "nodes": {inner id: {"value", "grad"}}}` for every instance."""
    from cgeditor.model.instance_values import instance_values  # only documents with blocks need it

    for path, found in instance_values(graph, result).items():
        inner_ids = list(found.nodes)
        inner = ", ".join(map(_NODE_LINE, map(encode_basestring, inner_ids),
                              number_texts([v for v, _ in found.nodes.values()]),
                              number_texts([g for _, g in found.nodes.values()])))
        yield f'{encode_basestring(path)}: {{"block": {encode_basestring(found.block)}, "nodes": {{{inner}}}}}'


_NODE_LINE = '{}: {{"value": {}, "grad": {}}}'.format
_INSTANCE_LINE = '{}: {{"value": {}, "grad": {}{}}}'.format
_EDGE_LINE = '{{"source": {}, "target": {}, "port": {}, "local_grad": {}}}'.format
_SOURCE, _TARGET, _PORT = attrgetter("source"), attrgetter("target"), attrgetter("port")


def number_texts(xs: Iterable[float]) -> list[str]:
    """Numbers as JSON text: finite values as json.dumps writes them (their repr), the rest as
    "nan", "inf" and "-inf" (strings, since JSON has no such numbers)."""
    xs = list(map(float, xs))
    texts = list(map(float.__repr__, xs))
    if all(map(isfinite, xs)):
        return texts
    return [_NONFINITE.get(text, text) for text in texts]


_NONFINITE = {"nan": '"nan"', "inf": '"inf"', "-inf": '"-inf"'}


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
