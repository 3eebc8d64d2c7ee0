"""File format (`.cgraph`, versions 1 and 2): JSON in, `Graph` out, and back, with every bad
input named.  Version 2 adds the blocks (blocks_section.py); a document without any is written
as version 1, byte for byte.

Reading is strict about what the document *says* (types, ids, ops, references) and refuses it
with a one-line `DocumentError`.  It is not strict about what the graph *means*: a cycle or an
unconnected port loads fine, because the editor must be able to open a half-built graph and
`validate` already reports those with the nodes to mark.

Writing is stable and diff-friendly: fixed key order, one node or edge per line, non-finite
values as the strings "nan"/"inf"/"-inf", unknown node keys kept; `save` replaces the file
atomically so a crash never leaves half a document behind.
"""

from cgeditor.model.fileformat.reading import graph_from_dict, load, loads, not_regular
from cgeditor.model.fileformat.schema import (BLOCKS_VERSION, FORMAT, MAX_ANNOTATIONS, MAX_BLOCKS,
                                              MAX_BYTES, MAX_COORDINATE, MAX_DEPTH, MAX_EXTRA_LENGTH, MAX_ID_LENGTH,
                                              MAX_LABEL_LENGTH, MAX_NODES, MAX_NOTE_LENGTH, MAX_PORT, SUFFIX, VERSION,
                                              DocumentError)

_WRITING = ("GraphSnapshot", "ReadOnlyDocumentError", "annotation_dict", "dumps", "encode_number", "graph_to_dict",
            "save")


def __getattr__(name: str):
    """The writing half is imported on first use: `cgeditor eval` reads and never writes."""
    if name in _WRITING:
        from cgeditor.model.fileformat import writing

        return getattr(writing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["BLOCKS_VERSION", "FORMAT", "MAX_ANNOTATIONS", "MAX_BLOCKS", "MAX_BYTES", "MAX_COORDINATE",
           "MAX_DEPTH", "MAX_EXTRA_LENGTH", "MAX_ID_LENGTH", "MAX_LABEL_LENGTH", "MAX_NODES", "MAX_NOTE_LENGTH",
           "MAX_PORT", "SUFFIX", "VERSION", "DocumentError", "GraphSnapshot", "ReadOnlyDocumentError",
           "annotation_dict", "dumps", "encode_number", "graph_from_dict", "graph_to_dict", "load", "loads",
           "not_regular", "save"]
