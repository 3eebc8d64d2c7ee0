"""`cgeditor new --expr PROGRAM -o FILE.cgraph`: a typed program as a laid-out document, and
`cgeditor new --mlp 2,3,1 -o FILE.cgraph`: a network built by `model.mlp`.

`graph_from_expr_args` is shared with `cgeditor eval --expr`, so both read programs, files and
`--set` values the same way and refuse the same things with the same one-line messages.
"""

from __future__ import annotations

import argparse
import os
import stat

from cgeditor.model.expression import (MAX_LENGTH, ExpressionError, MissingValueError,
                                        NotAVariableError, parse_program)
from cgeditor.model.fileformat import VERSION, not_regular, save
from cgeditor.model.graph import Graph

from cgeditor.cli.common import CliError, add_set_argument, apply_sets, output_path, parse_set

_NETWORK_OPTIONS = ("activation", "loss", "seed", "init")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "new", help="write a graph document from a typed program, or a network (--mlp)",
        description="Parse a program in Python syntax (numbers, variables, + - * / ** ^, the op "
                    "registry's functions by name, name = expression statements separated by "
                    "newlines or ';', the last one the output, and def blocks: assignments and "
                    "one final return) and write it laid out as a .cgraph document.  Nothing in "
                    "the program is ever run.  With --mlp, write a fully connected network "
                    "instead: inputs x1…, targets t1…, weights w{layer}_{unit}_{input}, biases "
                    "b{layer}_{unit}, one neuron block per unit and the loss L.",
        epilog="examples: cgeditor new --expr 'L = (x + x*y)**2' --set x=2 --set y=3 -o chain.cgraph; "
               "cgeditor new --mlp 2,3,1 --activation tanh --loss mse --seed 0 -o net.cgraph")
    group = add_program_arguments(p, required=True)
    group.add_argument("--mlp", metavar="SIZES",
                       help="layer sizes, inputs first, such as 2,3,1: a network instead of a program")
    p.add_argument("--activation", choices=("tanh", "sigmoid", "relu"),
                   help="with --mlp: the hidden units' activation (default tanh; the output "
                        "layer is linear for mse, a sigmoid for bce)")
    p.add_argument("--loss", choices=("mse", "bce"),
                   help="with --mlp: mean squared error or binary cross-entropy (default mse)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="with --mlp: the seed of the random initial weights (default 0)")
    p.add_argument("--init", choices=("random", "zero"),
                   help="with --mlp: random initial weights and biases (default) or all zero")
    add_set_argument(p)
    p.add_argument("-o", "--out", metavar="FILE", required=True,
                   help="the document to write (replaced atomically if it exists)")


def add_program_arguments(parser: argparse.ArgumentParser, required: bool) -> argparse._MutuallyExclusiveGroup:
    """--expr PROGRAM | --expr-file PATH (for `new`, and for `eval` as an alternative to FILE)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--expr", metavar="PROGRAM",
                       help="the program, e.g. 'L = (x + x*y)**2' or 'c = a + b; d = c * c'; "
                            "def name(params): blocks may come first")
    group.add_argument("--expr-file", metavar="PATH", help="read the program from a text file")
    return group


def run(args: argparse.Namespace) -> int:
    output_path(args.out)
    graph = network_from_args(args) if args.mlp is not None else graph_from_expr_args(args)
    if len(graph.blocks) and VERSION < 2:  # version 1 has no blocks: the file would not load
        raise CliError(f"{args.out}: the document has blocks ({', '.join(graph.blocks.names())}), "
                       "which this file format (version 1) cannot save yet")
    save(graph, args.out)
    return 0


def network_from_args(args: argparse.Namespace) -> Graph:
    """The network `--mlp SIZES` and its options describe, with `--set` values applied."""
    from cgeditor.model.mlp import NetworkError, build_mlp  # only --mlp needs it

    try:
        sizes = [int(part) for part in args.mlp.split(",")]
    except ValueError:
        raise CliError(f"--mlp {args.mlp}: expected layer sizes separated by commas, inputs "
                       "first, such as 2,3,1") from None
    try:
        graph = build_mlp(sizes, args.activation or "tanh", args.loss or "mse",
                          0 if args.seed is None else args.seed, args.init or "random")
    except NetworkError as e:
        raise CliError(f"--mlp {args.mlp}: {e}") from None
    apply_sets(graph, args.set)
    return graph


def graph_from_expr_args(args: argparse.Namespace) -> Graph:
    """The graph of `args.expr` (or the text of `args.expr_file`) with `args.set` values.

    Every variable needs a value, from `--set` or from the program itself (`a = 2.0`).
    """
    given = [f"--{name}" for name in _NETWORK_OPTIONS if getattr(args, name, None) is not None]
    if given:
        raise CliError(f"{', '.join(given)}: only with --mlp")
    if args.expr is not None:
        text, source = args.expr, "--expr"
    else:
        text, source = _read_program(args.expr_file), args.expr_file
    values = dict(parse_set(pair) for pair in args.set)
    try:
        return parse_program(text, values)
    except MissingValueError as e:
        example = e.names[0]
        raise CliError(f"{e} (give {'it' if len(e.names) == 1 else 'each'} a value with "
                       f"--set {example}=VALUE, or write {example} = 1.0 in the program)") from None
    except NotAVariableError as e:
        raise CliError(f"--set {', '.join(e.names)}: {e}") from None
    except ExpressionError as e:
        raise CliError(f"{source}: {e}") from None


def _read_program(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a folder fails below, as before
            raise CliError(f"{path}: {not_regular(mode)}")
        with open(path, encoding="utf-8") as f:
            text = f.read(MAX_LENGTH + 1)
    except OSError as e:
        raise CliError(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    return text
