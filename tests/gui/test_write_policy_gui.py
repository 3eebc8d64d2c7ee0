"""The editor's writers follow the one atomic-write policy: Save, Export ▸ code, Export Image,
`render_graph` (also behind `cgeditor render`) and autosave; a read-only file is a question.

The checks live in tests/helpers/write_policy.py, shared with tests/model and tests/cli.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from cgeditor.cli import main
from cgeditor.editor.canvas.render import RenderError, render_graph
from cgeditor.editor.document.autosave import Autosaver
from cgeditor.editor.document.document import Document
from cgeditor.editor.window import file_dialogs
from cgeditor.model import fileformat
from cgeditor.model.atomic_write import ReadOnlyFileError
from cgeditor.resources import example_path
from helpers import write_policy as policy
from helpers.windows import answer_message_box
from helpers.write_policy import Refused


@pytest.fixture
def window(make_window, monkeypatch):
    """A window whose error boxes become `Refused` and whose read-only question is answered by
    the writer's `replace_read_only`."""
    errors: list[str] = []
    monkeypatch.setattr(file_dialogs, "show_error", lambda parent, title, message: errors.append(message))
    win = make_window(Document.open(example_path()))
    win.errors = errors
    return win


def _through_window(window, path: Path, replace_read_only: bool, act) -> None:
    asked = []
    window.ask_replace_read_only = lambda parent, name: asked.append(name) or replace_read_only
    window.errors.clear()
    done = act(path)
    if window.errors:
        raise Refused(window.errors[-1])
    if asked and not replace_read_only:
        raise Refused(f"{asked[0]} is read-only")
    assert done


def _editor_save(window, monkeypatch):
    def act(path):
        monkeypatch.setattr(file_dialogs, "choose_save_path", lambda parent, suggested: path)
        window.document.set_value("x", 5.0)
        return window.save_as()
    return lambda path, replace_read_only=False: _through_window(window, path, replace_read_only, act)


def _editor_export_code(window):
    def act(path):
        window.choose_export_path = lambda *args: path
        action = window.window_actions.export_code["python"]
        action.trigger()
        return not window.errors
    return lambda path, replace_read_only=False: _through_window(window, path, replace_read_only, act)


def _editor_export_image(window):
    def act(path):
        window.choose_export_path = lambda *args: path
        window.ask_image_scale = lambda parent, default: 1.0
        window.window_actions.export_image.trigger()
        return not window.errors
    return lambda path, replace_read_only=False: _through_window(window, path, replace_read_only, act)


def _render(path: Path, replace_read_only: bool = False) -> None:
    try:
        render_graph(fileformat.load(example_path()), path, replace_read_only=replace_read_only)
    except (RenderError, ReadOnlyFileError) as e:
        raise Refused(str(e)) from None


@pytest.fixture(params=["save", "export-code", "export-image", "render"])
def writer(request, window, monkeypatch):
    """(write, suffix) for each of the editor's writers."""
    return {"save": lambda: (_editor_save(window, monkeypatch), ".cgraph"),
            "export-code": lambda: (_editor_export_code(window), ".py"),
            "export-image": lambda: (_editor_export_image(window), ".png"),
            "render": lambda: (_render, ".svg")}[request.param]()


@pytest.fixture
def folder(tmp_path):
    """Where the writers write: apart from the window's settings file."""
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_a_new_file_gets_the_umask_default_mode(writer, folder):
    policy.new_file_gets_the_umask_default(writer[0], folder, writer[1])


def test_a_0600_file_stays_0600(writer, folder):
    policy.private_file_stays_private(writer[0], folder, writer[1])


def test_a_link_is_written_through_to_its_target(writer, folder):
    policy.link_is_written_through(writer[0], folder, writer[1])


def test_a_symlink_loop_is_refused_with_a_clear_reason(writer, folder):
    policy.symlink_loop_is_refused_clearly(writer[0], folder, writer[1])


def test_a_folder_is_refused(writer, folder):
    policy.folder_is_refused(writer[0], folder, writer[1])


def test_a_fifo_is_refused_without_blocking(writer, folder):
    policy.fifo_is_refused(writer[0], folder, writer[1])


def test_a_device_is_refused_and_stays_a_device(writer, folder):
    policy.device_is_refused(writer[0], folder, writer[1])


def test_a_read_only_file_is_refused_when_the_user_says_no(writer, folder):
    policy.read_only_file_is_refused(writer[0], folder, writer[1])


def test_a_read_only_file_is_replaced_when_the_user_says_yes(writer, folder):
    policy.read_only_file_is_replaced_when_allowed(writer[0], folder, writer[1])


def test_the_file_and_then_its_folder_are_fsynced(writer, folder, monkeypatch):
    policy.file_and_folder_reach_the_disk(writer[0], folder, writer[1], monkeypatch)


def test_cli_render_refuses_a_read_only_image_in_one_line(qapp, tmp_path, capsys):
    out = tmp_path / "locked.png"
    out.write_bytes(policy.OLD)
    os.chmod(out, 0o444)
    assert main(["render", str(example_path()), "-o", str(out)]) == 2
    _, err = capsys.readouterr()
    assert err == f"cgeditor: error: {out}: cannot write: the file is read-only\n"
    assert out.read_bytes() == policy.OLD


# -- the question, in the real dialog ------------------------------------------------------


@pytest.fixture
def locked_document(make_window, tmp_path):
    path = tmp_path / "locked.cgraph"
    path.write_bytes(example_path().read_bytes())
    os.chmod(path, 0o444)
    window = make_window(Document.open(path))
    window.document.set_value("x", 5.0)
    return window, path


def test_saving_over_a_read_only_file_asks_and_no_keeps_it(qtbot, locked_document):
    window, path = locked_document
    before = path.read_bytes()
    seen = answer_message_box(QMessageBox.No)
    assert window.save() is False
    assert seen == ["locked.cgraph is read-only. Save anyway?"]
    assert path.read_bytes() == before and window.isWindowModified()


def test_saving_over_a_read_only_file_asks_and_yes_replaces_it_still_read_only(qtbot, locked_document):
    window, path = locked_document
    seen = answer_message_box(QMessageBox.Yes)
    assert window.save() is True
    assert seen == ["locked.cgraph is read-only. Save anyway?"]
    assert fileformat.load(path).node("x").value == 5.0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444 and not window.isWindowModified()


# -- autosave ----------------------------------------------------------------------------------


def test_autosave_fsyncs_its_files_and_their_folder(qtbot, window, tmp_path, monkeypatch):
    autosaver = Autosaver(window.document, tmp_path / "rec")
    window.document.set_value("x", 4.0)
    policy.file_and_folder_reach_the_disk(lambda path: autosaver.save_now() and autosaver.wait(), tmp_path, "", monkeypatch)
    assert fileformat.load(autosaver.path).node("x").value == 4.0


def test_autosave_files_get_the_umask_default_mode(qtbot, window, tmp_path):
    autosaver = Autosaver(window.document, tmp_path / "rec")
    window.document.set_value("x", 4.0)
    old_mask = os.umask(0o077)
    try:
        assert autosaver.save_now()
        autosaver.wait()  # the worker thread creates the files under this umask
    finally:
        os.umask(old_mask)
    assert policy.mode_of(autosaver.path) == policy.mode_of(autosaver.sidecar) == 0o600
