"""`cgeditor export FILE --format pytorch|python|dot [-o OUT]`: the graph as code or Graphviz.

Without -o the text goes to stdout; with -o the file is replaced atomically, so a killed
process never leaves half a script behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from cgeditor.model.evaluate import OutputError
from cgeditor.model.export import FORMATS, export
from cgeditor.model.validate import InvalidGraphError

from cgeditor.cli.common import CliError, add_set_argument, apply_sets, load_document


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
    graph = load_document(args.file)
    apply_sets(graph, args.set)
    try:
        text = export(graph, args.format, args.output)
    except (InvalidGraphError, OutputError) as e:
        raise CliError(f"{args.file}: cannot export: {e}") from None
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.out, text)
    return 0


def write_atomically(path: str, text: str) -> None:
    """A temporary file in the same folder, flushed to disk, then renamed over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as e:
        raise CliError(f"{path}: cannot write: {e.strerror or e}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
