"""`cgeditor flatten FILE -o OUT`: the document with every block instance written out, as version 1.

For tools that read only version 1: each instance is replaced by its inside, recursively, the
inner nodes named by their instance path (`h1/z`, `h1/n2/z`), so values and gradients are the
same (see `block_edits.flatten`).  A document without blocks is written as it is.
"""

from __future__ import annotations

import argparse

from cgeditor.model.block_edits import flatten
from cgeditor.model.fileformat import load, save
from cgeditor.model.graph import GraphError

from cgeditor.cli.common import CliError, output_path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "flatten", help="write the document with every block expanded, as a version-1 file",
        description="Replace every instance of a block in FILE by the block's inside, recursively, "
                    "and write the result as a version-1 .cgraph document (no blocks): inner nodes "
                    "are named by their instance path, such as h1/z or h1/n2/z, and keep their "
                    "labels; values and gradients stay the same.",
        epilog="example: cgeditor flatten net.cgraph -o net-flat.cgraph")
    p.add_argument("file", metavar="FILE", help="a .cgraph document")
    p.add_argument("-o", "--out", metavar="OUT", required=True,
                   help="the version-1 document to write (replaced atomically if it exists)")


def run(args: argparse.Namespace) -> int:
    output_path(args.out)
    graph = load(args.file)
    try:
        flat = flatten(graph)
    except GraphError as e:
        raise CliError(f"{args.file}: cannot flatten: {e}") from None
    save(flat, args.out)
    return 0
