"""One atomic-write policy for every Qt-free writer: the helper itself and the document save.

The checks live in tests/helpers/write_policy.py; the CLI's export and the editor's writers
(render, save, export, autosave) run the same checks in tests/cli and tests/gui.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cgeditor.model import fileformat
from cgeditor.model.atomic_write import (ReadOnlyFileError, write_atomically,
                                         write_text_atomically)
from cgeditor.model.fileformat import DocumentError, ReadOnlyDocumentError
from cgeditor.resources import example_path
from helpers import write_policy as policy
from helpers.write_policy import Refused


def _text(path: Path, replace_read_only: bool = False) -> None:
    try:
        write_text_atomically(path, "new text\n", replace_read_only=replace_read_only)
    except OSError as e:
        raise Refused(e.strerror) from None


def _by_name(path: Path, replace_read_only: bool = False) -> None:
    """As Qt's image writers do: the callback opens the temporary file by its name."""
    def fill(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("drawn\n")
    try:
        write_atomically(path, fill, replace_read_only=replace_read_only)
    except OSError as e:
        raise Refused(e.strerror) from None


def _document(path: Path, replace_read_only: bool = False) -> None:
    try:
        fileformat.save(fileformat.load(example_path()), path, replace_read_only=replace_read_only)
    except DocumentError as e:
        raise Refused(str(e)) from None


WRITERS = pytest.mark.parametrize("write", [_text, _by_name, _document],
                                  ids=["text", "by-name", "document-save"])
SUFFIX = ".cgraph"


@WRITERS
def test_a_new_file_gets_the_umask_default_mode(write, tmp_path):
    policy.new_file_gets_the_umask_default(write, tmp_path, SUFFIX)


@WRITERS
def test_a_0600_file_stays_0600(write, tmp_path):
    policy.private_file_stays_private(write, tmp_path, SUFFIX)


@WRITERS
def test_a_link_is_written_through_to_its_target(write, tmp_path):
    policy.link_is_written_through(write, tmp_path, SUFFIX)


@WRITERS
def test_a_symlink_loop_is_refused_with_a_clear_reason(write, tmp_path):
    policy.symlink_loop_is_refused_clearly(write, tmp_path, SUFFIX)


@WRITERS
def test_a_folder_is_refused(write, tmp_path):
    policy.folder_is_refused(write, tmp_path, SUFFIX)


@WRITERS
def test_a_fifo_is_refused_without_blocking(write, tmp_path):
    policy.fifo_is_refused(write, tmp_path, SUFFIX)


@WRITERS
def test_a_device_is_refused_and_stays_a_device(write, tmp_path):
    policy.device_is_refused(write, tmp_path, SUFFIX)


@WRITERS
def test_a_read_only_file_is_refused_and_kept(write, tmp_path):
    policy.read_only_file_is_refused(write, tmp_path, SUFFIX)


@WRITERS
def test_a_read_only_file_is_replaced_when_the_caller_allows_it(write, tmp_path):
    policy.read_only_file_is_replaced_when_allowed(write, tmp_path, SUFFIX)


@WRITERS
def test_the_file_and_then_its_folder_are_fsynced(write, tmp_path, monkeypatch):
    policy.file_and_folder_reach_the_disk(write, tmp_path, SUFFIX, monkeypatch)


def test_read_only_is_a_typed_error_for_callers_that_ask(tmp_path):
    target = tmp_path / "locked.txt"
    target.write_text("old")
    os.chmod(target, 0o444)
    with pytest.raises(ReadOnlyFileError):
        write_text_atomically(target, "new")
    with pytest.raises(ReadOnlyDocumentError, match="locked.txt: cannot save: the file is read-only"):
        fileformat.save(fileformat.load(example_path()), target)


def test_a_dangling_link_creates_the_file_it_names(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    write_text_atomically(link, "new")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "new"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("old")

    def fail(tmp: str) -> None:
        Path(tmp).write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
