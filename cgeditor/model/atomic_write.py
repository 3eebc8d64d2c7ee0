"""Replacing a file all at once: exported images and scripts are never left half written.

The content goes into a temporary file beside the target, which is then renamed over it (a
rename within one folder is atomic), so a crash or a full disk leaves the old file or none.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomically(path: Path | str, write: Callable[[str], None]) -> None:
    """Call `write(tmp_name)` to fill a temporary file, then rename it over `path`.

    Raises OSError (the temporary file removed) when anything fails.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # as a plain new file would be, not mkstemp's 0600
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text_atomically(path: Path | str, text: str) -> None:
    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    write_atomically(path, write)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
