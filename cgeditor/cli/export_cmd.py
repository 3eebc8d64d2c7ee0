"""`cgeditor export FILE --format pytorch|python|dot [-o OUT]`: the graph as code or Graphviz.

Without -o the text goes to stdout; with -o the file is replaced atomically (see
`model.atomic_write`), so a killed process never leaves half a script behind.
"""

from __future__ import annotations

import argparse
import sys

from cgeditor.model.atomic_write import write_text_atomically
from cgeditor.model.evaluate import OutputError
from cgeditor.model.export import FORMATS, export
from cgeditor.model.fileformat import load
from cgeditor.model.validate import InvalidGraphError

from cgeditor.cli.common import CliError, add_set_argument, apply_sets, output_path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export", help="write the graph as a PyTorch script, plain Python or Graphviz",
        description="pytorch: a standalone script with float64 tensors that runs backward() and "
                    "prints {\"output\": value, \"grads\": {variable: gradient}} as its last line; "
                    "python: the same with math only, forward and a hand-written reverse pass; "
                    "dot: Graphviz source labelled with values and gradients.")
    p.add_argument("file", metavar="FILE", help="a .cgraph document")
    p.add_argument("--format", required=True, choices=list(FORMATS), help="what to write")
    p.add_argument("-o", "--out", metavar="OUT", help="write here instead of to stdout")
    p.add_argument("--output", metavar="NODE",
                   help="differentiate this node (default: the document's output, else its only sink)")
    add_set_argument(p)


def run(args: argparse.Namespace) -> int:
    if args.out is not None:
        output_path(args.out)
    graph = load(args.file, lay_out=False)  # nothing is drawn
    apply_sets(graph, args.set)
    try:
        text = export(graph, args.format, args.output)
    except (InvalidGraphError, OutputError) as e:
        raise CliError(f"{args.file}: cannot export: {e}") from None
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            write_text_atomically(args.out, text)
        except OSError as e:  # a read-only file is refused: only the editor asks before replacing one
            raise CliError(f"{args.out}: cannot write: {e.strerror or e}") from None
    return 0
