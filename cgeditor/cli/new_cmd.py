"""`cgeditor new --expr PROGRAM -o FILE.cgraph`: a typed program as a laid-out document.

`graph_from_expr_args` is shared with `cgeditor eval --expr`, so both read programs, files and
`--set` values the same way and refuse the same things with the same one-line messages.
"""

from __future__ import annotations

import argparse
import os
import stat

from cgeditor.model.expression import (MAX_LENGTH, ExpressionError, MissingValueError,
                                        NotAVariableError, parse_program)
from cgeditor.model.fileformat import not_regular, save
from cgeditor.model.graph import Graph

from cgeditor.cli.common import CliError, add_set_argument, output_path, parse_set


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "new", help="write a graph document from a typed expression or program",
        description="Parse a program in Python syntax (numbers, variables, + - * / ** ^, the op "
                    "registry's functions by name, name = expression statements separated by "
                    "newlines or ';', the last one the output) and write it laid out as a "
                    ".cgraph document.  Nothing in the program is ever run.",
        epilog="example: cgeditor new --expr 'L = (x + x*y)**2' --set x=2 --set y=3 -o chain.cgraph")
    add_program_arguments(p, required=True)
    add_set_argument(p)
    p.add_argument("-o", "--out", metavar="FILE", required=True,
                   help="the document to write (replaced atomically if it exists)")


def add_program_arguments(parser: argparse.ArgumentParser, required: bool) -> None:
    """--expr PROGRAM | --expr-file PATH (for `new`, and for `eval` as an alternative to FILE)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--expr", metavar="PROGRAM",
                       help="the program, e.g. 'L = (x + x*y)**2' or 'c = a + b; d = c * c'")
    group.add_argument("--expr-file", metavar="PATH", help="read the program from a text file")


def run(args: argparse.Namespace) -> int:
    output_path(args.out)
    graph = graph_from_expr_args(args)
    save(graph, args.out)
    return 0


def graph_from_expr_args(args: argparse.Namespace) -> Graph:
    """The graph of `args.expr` (or the text of `args.expr_file`) with `args.set` values.

    Every variable needs a value, from `--set` or from the program itself (`a = 2.0`).
    """
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
