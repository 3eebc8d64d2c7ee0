"""The user library of blocks: Save Block to Library on an instance writes NAME.json in the
library folder (Qt's test location here, never the user's own), read back strictly; Insert from
Library defines the block and the blocks it uses where the document lacks them, in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.block_library_store import BlockStore, LibraryError, default_folder, missing_blocks
from cgeditor.editor.document.document import Document
from cgeditor.model.expression import parse_program
from cgeditor.model.formula_ops import block_from_formula
from helpers.block_graphs import grouped_sigmoid




@pytest.fixture
def window(make_window, tmp_path):
    window = make_window(Document(grouped_sigmoid()))
    window.user_blocks.store = BlockStore(tmp_path / "blocks")
    return window


def test_the_library_lives_in_the_app_data_folder_which_tests_keep_apart():
    assert QStandardPaths.isTestModeEnabled()
    folder = default_folder()
    assert folder.name == "blocks"
    assert folder.parent == Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))


def test_saving_needs_one_selected_instance(window):
    window.scene.select_only([])
    assert window.user_blocks.save_to_library() is None
    assert "select one instance" in window.statusBar().currentMessage()


def test_a_block_saved_from_an_instance_round_trips_and_inserts_into_another_document(qtbot, window, tmp_path):
    window.scene.select_only(["sig"])
    QApplication.processEvents()
    window.window_actions.save_to_library.trigger()
    path = tmp_path / "blocks" / "sig.json"
    assert path.is_file()
    store = window.user_blocks.store
    assert store.names() == ["sig"]
    (read,) = store.load("sig")
    assert read == window.document.graph.blocks["sig"]

    window.set_document(Document())
    menu = window.window_actions.library_menu
    window.user_blocks.fill_library_menu(menu)
    (entry,) = menu.actions()
    assert entry.text() == "sig"
    entry.trigger()
    doc = window.document
    (instance,) = [n.id for n in doc.graph if n.op == "sig"]
    assert doc.graph.blocks.names() == ["sig"]
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.graph.blocks.names() == [] and len(doc.graph) == 0


NESTED = """\
def softplus(t):
    return log(1 + exp(t))

def unused(t):
    return t

def neuron(x, w, b):
    return softplus(x*w + b)

L = neuron(x, w, b)
"""


def test_a_nested_block_brings_the_blocks_it_uses_and_only_those(qtbot, make_window, tmp_path):
    source = parse_program(NESTED, default_value=1.0)
    store = BlockStore(tmp_path)
    store.save(source.blocks, "neuron")
    assert [b.name for b in store.load("neuron")] == ["softplus", "neuron"]
    window = make_window(Document())
    window.user_blocks.store = store
    instance = window.user_blocks.insert_from_library("neuron")
    doc = window.document
    assert doc.graph.blocks.names() == ["softplus", "neuron"]
    assert doc.graph.node(instance).op == "neuron"
    for name in ("softplus", "neuron"):
        assert doc.graph.blocks[name] == source.blocks[name]
    doc.undo_stack.undo()
    assert doc.graph.blocks.names() == [] and len(doc.graph) == 0


def test_a_bad_library_file_is_one_line(tmp_path):
    store = BlockStore(tmp_path)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LibraryError) as e:
        store.load("bad")
    assert str(e.value).startswith(f"{tmp_path / 'bad.json'}: not JSON") and "\n" not in str(e.value)
    with pytest.raises(LibraryError) as e:
        store.load("gone")
    assert str(e.value).startswith(f"{tmp_path / 'gone.json'}: ") and "\n" not in str(e.value)


def test_inserting_a_block_the_document_has_differently_is_refused():
    doc = Document(grouped_sigmoid())
    other = block_from_formula("sig(t) = t")
    with pytest.raises(LibraryError, match="^the document already has a different block named sig"):
        missing_blocks(doc.graph.blocks, [other])
    assert missing_blocks(doc.graph.blocks, [doc.graph.blocks["sig"].copy()]) == []


def test_inserting_a_block_the_library_lacks_says_so(window):
    assert window.user_blocks.insert_from_library("nothing") is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Cannot insert nothing: ") and "nothing.json" in message
    assert [n.op for n in window.document.graph if n.op == "nothing"] == []


def test_the_library_menu_says_when_it_is_empty(window):
    menu = window.window_actions.library_menu
    window.user_blocks.fill_library_menu(menu)
    (entry,) = menu.actions()
    assert not entry.isEnabled() and entry.text().startswith("No saved blocks")
