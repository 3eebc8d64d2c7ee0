"""Keeping Python's cyclic garbage collector off while a large graph is built.

Loading a 100,000-node file, or planning it, makes about a million objects, none of them
garbage; the collector would walk the growing heap again and again (a third of loading).  So
those builds run with it paused; reference counting frees as usual, only cycles wait.  When
it resumes, its next pass walks every object made meanwhile that is still alive, so a caller
that is done with what it built (`cgeditor eval` once its JSON is out) lets go of it first.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
