"""Building a large graph's objects without the cyclic garbage collector running meanwhile.

Opening a 10,000-node file allocates some 200,000 Python objects, none of them garbage yet; the
collector would scan the growing heap again and again, about a fifth of the time to first paint.
Reference counting still frees everything as usual; the collector resumes afterwards.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
