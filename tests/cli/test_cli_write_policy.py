"""`export -o` and `new -o` follow the one atomic-write policy, and the CLI refuses where the
editor would ask: a read-only file, a device, a FIFO, a folder, a link loop (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgeditor.cli import main
from cgeditor.resources import example_path
from helpers import write_policy as policy
from helpers.write_policy import Refused


def _cli(capsys, *args: str) -> None:
    status = main(list(args))
    out, err = capsys.readouterr()
    if status == 2:
        assert out == "" and err.count("\n") == 1 and "Traceback" not in err
        raise Refused(err.strip())
    assert (status, err) == (0, ""), err


@pytest.fixture(params=["export", "new"])
def write(request, capsys):
    def export(path: Path) -> None:
        _cli(capsys, "export", str(example_path()), "--format", "python", "-o", str(path))

    def new(path: Path) -> None:
        _cli(capsys, "new", "--expr", "L = x * y", "--set", "x=2", "--set", "y=3", "-o", str(path))

    return {"export": export, "new": new}[request.param]


SUFFIX = ".out"


def test_a_new_file_gets_the_umask_default_mode(write, tmp_path):
    policy.new_file_gets_the_umask_default(write, tmp_path, SUFFIX)


def test_a_0600_file_stays_0600(write, tmp_path):
    policy.private_file_stays_private(write, tmp_path, SUFFIX)


def test_a_link_is_written_through_to_its_target(write, tmp_path):
    policy.link_is_written_through(write, tmp_path, SUFFIX)


def test_a_symlink_loop_is_refused_with_a_clear_reason(write, tmp_path):
    policy.symlink_loop_is_refused_clearly(write, tmp_path, SUFFIX)


def test_a_folder_is_refused(write, tmp_path):
    policy.folder_is_refused(write, tmp_path, SUFFIX)


def test_a_fifo_is_refused_without_blocking(write, tmp_path):
    policy.fifo_is_refused(write, tmp_path, SUFFIX)


def test_a_device_is_refused_and_stays_a_device(write, tmp_path):
    policy.device_is_refused(write, tmp_path, SUFFIX)


def test_a_read_only_file_is_refused_and_kept(write, tmp_path):
    policy.read_only_file_is_refused(write, tmp_path, SUFFIX)


def test_the_file_and_then_its_folder_are_fsynced(write, tmp_path, monkeypatch):
    policy.file_and_folder_reach_the_disk(write, tmp_path, SUFFIX, monkeypatch)


@pytest.mark.parametrize("out", ["", "."])
def test_an_empty_or_dot_output_name_is_refused_in_one_line(capsys, out):
    with pytest.raises(Refused, match="not a regular file"):
        _cli(capsys, "export", str(example_path()), "--format", "dot", "-o", out)
