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
from itertools import chain, repeat
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
    _write_block(out, '  "nodes": {', "  },", len(ids),
                 lambda k: node_text(graph, ids[k], values[k], grads[k], _LINE_BREAK))
    _write_block(out, '  "edges": [', "  ]," if blocks else "  ]", len(edges),
                 lambda k: edge_text(edges[k], edge_grads[k], _LINE_BREAK))
    if blocks:
        instances = list(instance_items(graph, result))
        _write_block(out, '  "instances": {', "  }", len(instances), lambda k: _LINE_BREAK.join(instances[k]))
    out.write("}\n")


def _write_block(out: TextIO, opening: str, closing: str, n: int, text: Callable[[slice], str]) -> None:
    if not n:
        out.write(opening + closing.lstrip() + "\n")
        return
    out.write(opening + "\n    ")
    for start in range(0, n, _CHUNK):
        out.write((_LINE_BREAK if start else "") + text(slice(start, start + _CHUNK)))
    out.write("\n" + closing + "\n")


_CHUNK = 4096  # lines per write
_LINE_BREAK = ",\n    "

# The JSON is written with the encoder's own string escaping and float repr (exactly what
# json.dumps writes for them), a list at a time through `map`, and its pieces joined in one
# pass: one json.dumps call per node cost more than the evaluation itself at 100k nodes, and
# so did a Python-level call (or a str.format) per line.


def node_items(graph: Graph, result: Evaluation, ids: list[str], sep: str) -> str:
    """`"id": {"value": v, "grad": g}` for each of `ids` (an instance's with `"block": name`),
    `sep` between them."""
    return node_text(graph, ids, result.values.take(ids), result.grads.take(ids, 0.0), sep)


def edge_items(result: Evaluation, edges: list[Edge], sep: str) -> str:
    """`{"source", "target", "port", "local_grad"}` for each of `edges`, `sep` between them."""
    return edge_text(edges, result.edge_grads.take(edges), sep)


def node_text(graph: Graph, ids: Sequence[str], values: Sequence[float], grads: Sequence[float], sep: str) -> str:
    names: Iterable[str] = repeat("}" + sep)
    if len(graph.blocks):
        nodes, blocks = graph.nodes, graph.blocks
        names = [f', "block": {encode_basestring(node.op)}}}{sep}' if node.kind is NodeKind.OP and node.op in blocks
                 else "}" + sep for node in map(nodes.__getitem__, ids)]
    return _joined(zip(map(encode_basestring, ids), repeat(': {"value": '), number_texts(values),
                       repeat(', "grad": '), number_texts(grads), names), sep)


def edge_text(edges: Sequence[Edge], grads: Sequence[float], sep: str) -> str:
    return _joined(zip(repeat('{"source": '), map(encode_basestring, map(_SOURCE, edges)),
                       repeat(', "target": '), map(encode_basestring, map(_TARGET, edges)),
                       repeat(', "port": '), map(str, map(_PORT, edges)),
                       repeat(', "local_grad": '), number_texts(grads), repeat("}" + sep)), sep)


def _joined(pieces: Iterable[tuple[str, ...]], sep: str) -> str:
    """The pieces of every item, each item's last ending in `sep`, as one text without the last `sep`."""
    return "".join(chain.from_iterable(pieces))[:-len(sep)]


def instance_items(graph: Graph, result: Evaluation) -> Iterator[str]:
    """`"path": {"block": name, "nodes": {inner id: {"value", "grad"}}}` for every instance."""
    from cgeditor.model.instance_values import instance_values  # only documents with blocks need it

    for path, found in instance_values(graph, result).items():
        inner_ids = list(found.nodes)
        inner = _joined(zip(map(encode_basestring, inner_ids), repeat(': {"value": '),
                            number_texts([v for v, _ in found.nodes.values()]), repeat(', "grad": '),
                            number_texts([g for _, g in found.nodes.values()]), repeat("}, ")), ", ")
        yield f'{encode_basestring(path)}: {{"block": {encode_basestring(found.block)}, "nodes": {{{inner}}}}}'


_SOURCE, _TARGET, _PORT = attrgetter("source"), attrgetter("target"), attrgetter("port")


def number_texts(xs: Iterable[float]) -> list[str]:
    """Numbers as JSON text: finite values as json.dumps writes them (their repr), the rest as
    "nan", "inf" and "-inf" (strings, since JSON has no such numbers).

    A result repeats its numbers (1.0 into every add, a chain's values settling on a fixed
    point, a mul's local gradients being its inputs' values), and the repr of a float is the
    costly part of writing one, so each distinct number is written once."""
    xs = list(map(float, xs))
    distinct = dict.fromkeys(xs)
    text = dict(zip(distinct, map(float.__repr__, distinct)))
    if not all(map(isfinite, distinct)):
        text = {x: _NONFINITE.get(t, t) for x, t in text.items()}
    texts = list(map(text.__getitem__, xs))
    if 0.0 in text:  # 0.0 and -0.0 are one key: each zero is given its own sign's text
        k = -1
        try:
            while True:
                k = xs.index(0.0, k + 1)
                texts[k] = repr(xs[k])
        except ValueError:
            pass
    return texts


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
