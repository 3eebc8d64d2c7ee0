"""Documents in the main window: title, save and reopen, the unsaved-changes prompt, errors,
recent files, examples, and the clipboard between windows."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from cgeditor.editor.window.app import run
from cgeditor.editor.document.document import Document
from cgeditor.editor.window.main_window import MainWindow
from cgeditor.model import fileformat
from cgeditor.model.graph import NodeKind
from cgeditor.resources import example_path, list_examples


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "chain.cgraph"
    shutil.copy(example_path(), path)
    return path


@pytest.fixture
def window(make_window, graph_file):
    return make_window(Document.open(graph_file))


def when_modal(qtbot, handle):
    """Run `handle(dialog)` once a modal dialog is up (the code under test is blocked in exec)."""
    seen = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(5, poll)
            return
        seen.append(dialog)
        handle(dialog)

    QTimer.singleShot(0, poll)
    return seen


def press(button):
    def handle(box: QMessageBox):
        box.button(button).click()
    return handle


def edit(window: MainWindow) -> None:
    window.document.set_value("x", 5.0)


# -- title -------------------------------------------------------------------------------------


def test_title_names_the_document_and_marks_unsaved_changes(window):
    assert window.windowTitle() == "chain.cgraph[*] — cgeditor"
    assert not window.isWindowModified()
    edit(window)
    assert window.isWindowModified()
    window.document.undo_stack.undo()
    assert not window.isWindowModified()


def test_window_opens_at_a_sensible_size(window):
    assert (window.width(), window.height()) == (1280, 800)


# -- saving and reopening ------------------------------------------------------------------------


def test_save_through_the_menu_then_reopen_gives_the_same_graph(make_window, window, graph_file):
    edit(window)
    window.document.rename("y", "weight")
    window.window_actions.save.trigger()
    assert not window.isWindowModified()
    saved = window.document.graph.copy()
    assert fileformat.load(graph_file) == saved
    other = make_window()
    assert other.open_file(graph_file)
    assert other.document.graph == saved and other.document.path == graph_file


def _change_behind_the_editors_back(path) -> str:
    text = path.read_text(encoding="utf-8").replace('"value": 3.0', '"value": 7.0')
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # coarse clocks too
    return text


def test_saving_over_a_file_changed_on_disk_asks_and_cancel_keeps_the_other_version(qtbot, window,
                                                                                    graph_file):
    other_version = _change_behind_the_editors_back(graph_file)
    edit(window)
    asked = []
    window.ask_overwrite_changed = lambda parent, name: asked.append(name) or False
    window.window_actions.save.trigger()
    assert asked == ["chain.cgraph"]
    assert graph_file.read_text(encoding="utf-8") == other_version
    assert window.isWindowModified()


def test_saving_over_a_file_changed_on_disk_overwrites_when_told_to(qtbot, window, graph_file):
    _change_behind_the_editors_back(graph_file)
    edit(window)
    window.ask_overwrite_changed = lambda parent, name: True
    window.window_actions.save.trigger()
    assert fileformat.load(graph_file) == window.document.graph
    assert not window.isWindowModified()


def _same_size_and_time(path, replace_in_place: bool) -> str:
    """Another version with the original's size and modification time, as `cp -p` (rewrites the
    file in place) or `rsync -t` (renames a new file over it) leaves it."""
    st = path.stat()
    text = path.read_text(encoding="utf-8").replace('"value": 3.0', '"value": 7.0')
    assert len(text.encode("utf-8")) == st.st_size
    written = path if replace_in_place else path.with_name(".rsync-tmp")
    written.write_text(text, encoding="utf-8")
    os.utime(written, ns=(st.st_atime_ns, st.st_mtime_ns))
    if not replace_in_place:
        os.replace(written, path)
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size) == (st.st_mtime_ns, st.st_size)
    return text


@pytest.mark.parametrize("replace_in_place", [True, False], ids=["cp -p", "rsync -t"])
def test_a_copy_with_the_same_size_and_time_still_counts_as_changed_on_disk(qtbot, window, graph_file,
                                                                            replace_in_place):
    other_version = _same_size_and_time(graph_file, replace_in_place)
    edit(window)
    asked = []
    window.ask_overwrite_changed = lambda parent, name: asked.append(name) or False
    window.window_actions.save.trigger()
    assert asked == ["chain.cgraph"]
    assert graph_file.read_text(encoding="utf-8") == other_version


def test_saving_twice_does_not_ask_about_changes_on_disk(qtbot, window, graph_file):
    window.ask_overwrite_changed = lambda parent, name: pytest.fail("asked without cause")
    edit(window)
    window.window_actions.save.trigger()
    window.document.set_value("x", 6.0)
    window.window_actions.save.trigger()
    assert fileformat.load(graph_file).nodes["x"].value == 6.0


def test_save_as_asks_for_a_file_name_and_adds_the_suffix(qtbot, make_window, tmp_path):
    window = make_window()
    window.document.add_node(NodeKind.VARIABLE, pos=(0, 0))

    def name_it(dialog: QFileDialog):
        dialog.selectFile(str(tmp_path / "fresh"))
        dialog.accept()

    when_modal(qtbot, name_it)
    window.window_actions.save_as.trigger()
    assert window.document.path == tmp_path / "fresh.cgraph"
    assert fileformat.load(tmp_path / "fresh.cgraph") == window.document.graph
    assert window.windowTitle() == "fresh.cgraph[*] — cgeditor" and not window.isWindowModified()


def test_saving_an_example_asks_for_a_new_name_instead_of_overwriting_it(qtbot, make_window):
    window = make_window(Document.open(example_path()))
    before = example_path().read_text()
    edit(window)
    dialogs = when_modal(qtbot, lambda dialog: dialog.reject())
    assert not window.save()
    assert isinstance(dialogs[0], QFileDialog)
    assert example_path().read_text() == before


# -- the unsaved-changes prompt ---------------------------------------------------------------


def test_prompt_save_writes_the_changes_then_replaces_the_document(qtbot, window, graph_file):
    edit(window)
    dialogs = when_modal(qtbot, press(QMessageBox.Save))
    assert window.new_document()
    assert "chain.cgraph" in dialogs[0].text()
    assert fileformat.load(graph_file).node("x").value == 5.0
    assert len(window.document.graph) == 0 and window.document.path is None


def test_prompt_discard_drops_the_changes_and_replaces_the_document(qtbot, window, graph_file):
    before = graph_file.read_text()
    edit(window)
    when_modal(qtbot, press(QMessageBox.Discard))
    assert window.new_document()
    assert graph_file.read_text() == before
    assert len(window.document.graph) == 0


def test_prompt_cancel_keeps_the_document_and_its_changes(qtbot, window, graph_file):
    before = graph_file.read_text()
    document = window.document
    edit(window)
    when_modal(qtbot, press(QMessageBox.Cancel))
    assert not window.new_document()
    assert window.document is document and document.graph.node("x").value == 5.0
    assert window.isWindowModified() and graph_file.read_text() == before


def test_opening_over_unsaved_changes_asks_first(qtbot, window, tmp_path):
    other = tmp_path / "other.cgraph"
    shutil.copy(list_examples()[0], other)
    edit(window)
    dialogs = when_modal(qtbot, press(QMessageBox.Cancel))
    assert not window.open_file(other)
    assert dialogs and window.document.graph.node("x").value == 5.0


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window):
    edit(window)
    when_modal(qtbot, press(QMessageBox.Cancel))
    assert not window.close()
    assert window.isVisible()


def test_closing_without_changes_does_not_ask(qtbot, window):
    window.ask_save_changes = lambda *args: pytest.fail("asked although nothing changed")
    assert window.close()


# -- errors --------------------------------------------------------------------------------------


def test_opening_a_broken_file_shows_the_reason_and_keeps_the_document(qtbot, window, tmp_path):
    broken = tmp_path / "broken.cgraph"
    broken.write_text('{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": 3}]}')
    with pytest.raises(fileformat.DocumentError) as reason:
        fileformat.load(broken)
    document, before = window.document, window.document.graph.copy()
    texts = []
    when_modal(qtbot, lambda box: (texts.append(box.text()), box.button(QMessageBox.Ok).click()))
    assert not window.open_file(broken)
    assert texts == [str(reason.value)]
    assert window.document is document and document.graph == before
    assert window.scene.document is document and not window.isWindowModified()


def test_opening_a_missing_file_says_so(qtbot, window, tmp_path):
    texts = []
    when_modal(qtbot, lambda box: (texts.append(box.text()), box.accept()))
    assert not window.open_file(tmp_path / "nowhere.cgraph")
    assert texts == [f"{tmp_path / 'nowhere.cgraph'}: no such file"]


# -- recent files and examples ----------------------------------------------------------------------


def test_recent_files_are_newest_first_and_vanished_ones_drop_out(qtbot, window, tmp_path):
    a, b = tmp_path / "a.cgraph", tmp_path / "b.cgraph"
    for path in (a, b):
        shutil.copy(example_path(), path)
        assert window.open_file(path)
    assert window.recent.paths() == [b, a]
    b.unlink()
    window.recent_menu.aboutToShow.emit()
    assert [act.text() for act in window.recent_menu.actions() if act.text()] == ["a.cgraph", "Clear Recent"]


def test_recent_files_keep_at_most_ten(qtbot, window, tmp_path):
    for i in range(12):
        path = tmp_path / f"g{i}.cgraph"
        shutil.copy(example_path(), path)
        window.recent.add(path)
    assert len(window.recent.paths()) == 10 and window.recent.paths()[0].name == "g11.cgraph"


def test_examples_menu_opens_every_bundled_example(qtbot, window):
    actions = window.examples_menu.actions()
    assert [Path(a.data()) for a in actions] == list_examples()
    actions[-1].trigger()
    assert window.document.path == list_examples()[-1]
    assert window.document.graph == fileformat.load(list_examples()[-1])


def test_opening_replaces_document_scene_and_view(qtbot, window, tmp_path):
    old_scene, old_view = window.scene, window.view
    assert window.open_file(example_path())
    assert window.scene is not old_scene and window.view is not old_view
    layout = window.canvas_area.layout()
    assert layout.count() == 1 and layout.itemAt(0).widget() is window.view
    assert window.view.scene() is window.scene
    assert window.undo_group.activeStack() is window.document.undo_stack


# -- clipboard and status ------------------------------------------------------------------------------


def test_copy_in_one_window_pastes_in_another(make_window, window):
    for node_id in ("x", "y", "z1"):
        window.scene.node_item(node_id).setSelected(True)
    window.window_actions.copy.trigger()
    assert fileformat.loads(QApplication.clipboard().text()).nodes.keys() == {"x", "y", "z1"}
    other = make_window()
    other.window_actions.paste.trigger()
    assert sorted(other.document.graph.nodes) == ["x", "y", "z1"]
    assert len(other.document.graph.edges) == 2
    assert sorted(other.scene.selected_node_ids()) == ["x", "y", "z1"]


def test_pasting_text_that_is_not_a_graph_says_why_and_changes_nothing(qtbot, window):
    QApplication.clipboard().setText("just some words")
    before = fileformat.dumps(window.document.graph)
    window.window_actions.paste.trigger()
    assert window.statusBar().currentMessage().startswith("Cannot paste: not JSON")
    assert fileformat.dumps(window.document.graph) == before
    assert window.document.undo_stack.count() == 0


def test_status_bar_shows_the_output_value_or_the_first_problem(qtbot, window):
    assert window.evaluation_label.text() == "L = z2² = 64 · 5 nodes"
    window.document.remove_nodes(["z1"])
    qtbot.waitUntil(lambda: window.evaluation_label.text().startswith("⚠ node z2: input 1"))


def test_opening_deletes_the_old_document_with_its_scene(qtbot, window):
    old_document, old_scene = window.document, window.scene
    assert window.open_file(example_path())
    qtbot.waitUntil(lambda: not shiboken6.isValid(old_document) and not shiboken6.isValid(old_scene))


def test_overlay_toggles_apply_to_the_scene_and_survive_opening_another_graph(qtbot, window):
    window.window_actions.overlays["grads"].trigger()
    assert not window.scene.overlay_visible("grads") and window.scene.overlay_visible("values")
    assert window.open_file(example_path())
    assert not window.scene.overlay_visible("grads")
    assert not window.scene.grad_label("x").isVisible()


# -- starting -------------------------------------------------------------------------------------


def test_run_on_an_unreadable_file_opens_an_empty_window_with_a_dialog_naming_the_problem(qapp, tmp_path):
    broken = tmp_path / "broken.cgraph"
    broken.write_text('{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": 3}]}')
    with pytest.raises(fileformat.DocumentError) as reason:
        fileformat.load(broken)
    seen = []

    def answer_then_close():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(5, answer_then_close)
            return
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.append((box.windowTitle(), box.text(), window.document.path, len(window.document.graph.nodes)))
        box.button(QMessageBox.Ok).click()
        window.close()
        qapp.quit()

    QTimer.singleShot(0, answer_then_close)
    assert run(str(broken)) == 0
    assert seen == [("Cannot open graph", str(reason.value), None, 0)]
    assert str(broken) in str(reason.value)


def test_run_opens_the_chain_rule_example_by_default(qapp):
    shown = []

    def close_it():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        shown.append((window.document.path, window.windowTitle()))
        window.close()
        qapp.quit()

    QTimer.singleShot(0, close_it)
    assert run(None) == 0
    assert shown == [(example_path(), "chain_rule.cgraph[*] — cgeditor")]


def test_window_layout_is_restored_on_the_next_start(qtbot, make_window):
    first = make_window()
    first.resize(700, 500)  # within the offscreen screen (800 × 600)
    first.history_dock.hide()
    first.close()
    second = make_window()
    assert (second.width(), second.height()) == (700, 500)
    assert not second.history_dock.isVisible()


def test_run_offers_work_left_by_a_killed_session_and_keeps_it_on_disk(qapp, tmp_path, monkeypatch):
    import datetime

    from cgeditor.editor.window import app as app_module
    from cgeditor.editor.document.recovery import RecoveryInfo

    left = fileformat.load(example_path())
    left.set_value("x", 9.0)
    recovery = tmp_path / "autosave-1-1.cgraph"
    fileformat.save(left, recovery)
    sidecar = tmp_path / "autosave-1-1.json"
    sidecar.write_text("{}", encoding="utf-8")
    info = RecoveryInfo(recovery, sidecar, tmp_path / "mine.cgraph", datetime.datetime.now())
    asked = []
    monkeypatch.setattr(app_module, "find_recovery", lambda: info)
    monkeypatch.setattr(app_module, "ask_restore", lambda parent, found: asked.append(found) or True)
    seen = []

    def close_it():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        window.autosaver.wait()  # the restored work's autosave runs on a worker thread
        seen.append((window.document.graph == left, window.isWindowModified(),
                     window.document.path, window.autosaver.path.exists()))
        window.ask_save_changes = lambda *args: QMessageBox.Discard
        window.close()
        qapp.quit()

    QTimer.singleShot(0, close_it)
    assert run(None) == 0
    assert asked == [info]
    assert seen == [(True, True, tmp_path / "mine.cgraph", True)]
    assert not recovery.exists()  # taken over by the new session's own autosave


def test_a_copy_pasted_beside_a_node_at_the_coordinate_limit_stays_within_it_and_saves_a_file_that_opens(
        make_window, tmp_path):
    """Paste lands a copy 40 units beside its original: beside a node at 1e9 - 10 that was once
    1e9 + 30, and the saved file no longer opened."""
    edge = fileformat.MAX_COORDINATE - 10
    path = tmp_path / "far.cgraph"
    path.write_text(json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": [
        {"id": "x", "kind": "variable", "value": 1.0, "pos": [edge, edge]},
        {"id": "y", "kind": "variable", "value": 2.0, "pos": [-edge, -edge]}], "edges": []}), encoding="utf-8")
    window = make_window(Document.open(path))
    for node_id in ("x", "y"):
        window.scene.node_item(node_id).setSelected(True)
        window.window_actions.copy.trigger()
        window.window_actions.paste.trigger()
        window.scene.clearSelection()
    graph = window.document.graph
    assert len(graph) == 4
    assert all(abs(c) <= fileformat.MAX_COORDINATE for n in graph for c in n.pos)
    window.window_actions.save.trigger()
    assert window.statusBar().currentMessage() == f"Saved {path}"
    assert [n.pos for n in fileformat.load(path)] == [n.pos for n in graph]
    assert window.open_file(path) and len(window.document.graph) == 4
