"""The atomic-write policy, one check per point, for any writer (see cgeditor/model/atomic_write).

A writer under test is `write(path, replace_read_only=False)`: it writes its own content to
`path` and raises `Refused(one line)` when it declines, which each test module's adapter makes
from that writer's own error (DocumentError, RenderError, exit status 2, ...).  `read(path)`
returns what the writer's content looks like on disk, to tell a replaced file from an old one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

import pytest

OLD = b"old content\n"


class Refused(Exception):
    """The writer declined to write; the message is what it said."""


Writer = Callable[..., None]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _only(folder: Path, *names: str) -> None:
    """No temporary file left behind: the folder holds exactly `names`."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def new_file_gets_the_umask_default(write: Writer, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"new{suffix}"
    old_mask = os.umask(0o027)
    try:
        write(target)
    finally:
        os.umask(old_mask)
    assert mode_of(target) == 0o640
    _only(tmp_path, target.name)


def private_file_stays_private(write: Writer, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"private{suffix}"
    target.write_bytes(OLD)
    os.chmod(target, 0o600)
    write(target)
    assert mode_of(target) == 0o600 and target.read_bytes() != OLD
    _only(tmp_path, target.name)


def link_is_written_through(write: Writer, tmp_path: Path, suffix: str) -> None:
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / f"real{suffix}"
    real.write_bytes(OLD)
    os.chmod(real, 0o640)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    write(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() != OLD and mode_of(real) == 0o640
    _only(real_folder, real.name)  # the temporary file went beside the target, not the link


def symlink_loop_is_refused_clearly(write: Writer, tmp_path: Path, suffix: str) -> None:
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(Refused, match="symbolic link loop"):
        write(a)
    assert a.is_symlink() and b.is_symlink()
    _only(tmp_path, a.name, b.name)


def folder_is_refused(write: Writer, tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    with pytest.raises(Refused, match=r"not a regular file \(a folder\)"):
        write(folder)
    assert folder.is_dir() and not any(folder.iterdir())


def fifo_is_refused(write: Writer, tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    with pytest.raises(Refused, match=r"not a regular file \(a FIFO\)"):
        write(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    _only(tmp_path, fifo.name)


def a_device(tmp_path: Path, suffix: str) -> Path:
    """A character device to write to: a private copy of /dev/full where we may make one (so a
    writer that wrongly replaced it would not replace the system's), else /dev/full itself when
    we could not replace it anyway (not root)."""
    node = tmp_path / f"full{suffix}"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        return node
    except (OSError, AttributeError):
        pass
    if os.path.exists("/dev/full") and os.geteuid() != 0:
        return Path("/dev/full")
    pytest.skip("cannot make a device node here")


def device_is_refused(write: Writer, tmp_path: Path, suffix: str) -> None:
    device = a_device(tmp_path, suffix)
    before = os.stat(device)
    with pytest.raises(Refused, match=r"not a regular file \(a character device\)"):
        write(device)
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def read_only_file_is_refused(write: Writer, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"locked{suffix}"
    target.write_bytes(OLD)
    os.chmod(target, 0o444)
    with pytest.raises(Refused, match="read-only"):
        write(target)
    assert target.read_bytes() == OLD and mode_of(target) == 0o444
    _only(tmp_path, target.name)


def read_only_file_is_replaced_when_allowed(write: Writer, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"locked{suffix}"
    target.write_bytes(OLD)
    os.chmod(target, 0o444)
    write(target, replace_read_only=True)
    assert target.read_bytes() != OLD and mode_of(target) == 0o444
    _only(tmp_path, target.name)


def file_and_folder_reach_the_disk(write: Writer, tmp_path: Path, suffix: str, monkeypatch) -> None:
    """fsync on the written file, then on its folder (after the rename)."""
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    write(tmp_path / f"synced{suffix}")
    assert "file" in synced and synced[-1] == "folder"
