"""What a `.cgraph` document is: its name and versions, the keys it knows, the limits that keep
a hostile file from exhausting time or memory, and the error that names a breach.

Version 2 adds the "blocks" section (see blocks_section.py); a document without blocks is still
written as version 1, byte for byte, so files that never use blocks stay readable by older tools."""

import math

from cgeditor.model.graph import MAX_ID_LENGTH  # noqa: F401  (an id's limit is the graph's rule)

FORMAT = "cgeditor-graph"
VERSION = 1  # a document without blocks
BLOCKS_VERSION = 2  # a document with blocks
VERSIONS = (VERSION, BLOCKS_VERSION)
SUFFIX = ".cgraph"
MAX_BYTES = 50 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_PORT = MAX_NODES  # a port far beyond any real op would make validation list every gap
MAX_LABEL_LENGTH = 1000
MAX_EXTRA_LENGTH = 10_000  # strings kept from unknown node keys
MAX_COORDINATE = 1e9  # far beyond any canvas; keeps layout and rendering arithmetic finite
MAX_ANNOTATIONS = 10_000
MAX_NOTE_LENGTH = 10_000
MAX_BLOCKS = 1000  # their nodes count towards MAX_NODES, and so do their instances written out
# (how deep blocks nest, and how large one is written out, are BlockLibrary's rules)
MAX_FORMULA_LENGTH = MAX_LABEL_LENGTH

NODE_KEYS = ("id", "kind", "label", "value", "op", "pos", "trainable")
EDGE_KEYS = ("source", "target", "port")
BLOCK_KEYS = ("name", "params", "nodes", "edges", "output", "formula", "derivatives")
NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class DocumentError(ValueError):
    """A document that cannot be read as a graph; the message is one line naming the problem."""
