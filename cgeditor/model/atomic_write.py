"""Replacing a file all at once: the one writer every document, export, image and autosave uses.

One policy for all of them.  The content goes into a temporary file in the target's own folder,
is flushed and fsynced, renamed over the target (atomic within one folder) and the folder is
fsynced, so a crash, a kill or a full disk leaves the old file or the new one, never half of
one.  The target keeps its permissions (a new file gets the umask's default).  A symbolic link
is written through: the file it points to is replaced and the link stays.  Anything that is not
a regular file (a folder, a device such as /dev/full, a FIFO) is refused rather than replaced
by a regular file, and a read-only file is replaced only when the caller says so: the CLI
refuses, the editor asks.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable


class ReadOnlyFileError(PermissionError):
    """The target exists but is read-only; pass `replace_read_only=True` to replace it anyway."""


def write_atomically(path: Path | str, write: Callable[[str], None], *,
                     replace_read_only: bool = False) -> Path:
    """Call `write(tmp_name)` to fill a temporary file, then put it in place of `path`.

    Returns the file actually replaced (a link's target).  Raises OSError, with a readable
    `strerror`, when the target is refused or anything fails; the temporary file is removed.
    """
    target, mode = _writable_target(Path(path), replace_read_only)
    tmp = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
    # A new file is created as open(2) would create it (umask applies); an existing one's mode
    # is copied exactly once the content is in, which the umask would loosen or tighten.
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else 0o600))
    try:
        write(str(tmp))
        _fsync_file(tmp)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
    return target


def write_bytes_atomically(path: Path | str, data: bytes, *, replace_read_only: bool = False) -> Path:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)
    return write_atomically(path, write, replace_read_only=replace_read_only)


def write_text_atomically(path: Path | str, text: str, *, replace_read_only: bool = False) -> Path:
    """UTF-8 with "\\n" line ends on every platform."""
    return write_bytes_atomically(path, text.encode("utf-8"), replace_read_only=replace_read_only)


def _writable_target(path: Path, replace_read_only: bool) -> tuple[Path, int | None]:
    """The file to replace (through any links) and its permission bits (None if it is new)."""
    try:
        st = os.stat(path)  # follows links; ELOOP for a loop
    except FileNotFoundError:
        st = None  # a new file, or a link to one that does not exist yet: it is created
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "a symbolic link loop: it leads to no file", str(path)) from None
        raise
    target = Path(os.path.realpath(path))
    if not target.name:
        raise OSError(errno.EISDIR, "not a file name", str(path))
    if st is None:
        return target, None
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, f"not a regular file ({_kind(st.st_mode)}): refusing to replace it",
                      str(path))
    mode = stat.S_IMODE(st.st_mode)
    if not replace_read_only and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise ReadOnlyFileError(errno.EACCES, "the file is read-only", str(path))
    return target, mode


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def _fsync_file(path: Path) -> None:
    """The writer may have written by name (Qt image writers do): reopen to flush it to disk."""
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
