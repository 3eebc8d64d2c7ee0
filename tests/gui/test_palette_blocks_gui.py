"""The palette's block sections: the user library listed beside the document's blocks, a library
block inserted from it (its definition first, one undo step), and long block names read whole
in the narrow dock of a 1024×700 window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cgeditor.editor.document.block_library_store import BlockStore
from cgeditor.editor.document.document import Document
from cgeditor.editor.panels.palette import LIBRARY_KEY, MIN_FONT_SCALE
from cgeditor.model.mlp import build_mlp
from helpers.block_graphs import grouped_sigmoid


@pytest.fixture
def window(make_window, tmp_path):
    window = make_window(Document(grouped_sigmoid()))
    window.user_blocks.store = BlockStore(tmp_path / "blocks")
    return window


def save_sig(window) -> None:
    window.scene.select_only(["sig"])
    QApplication.processEvents()
    window.window_actions.save_to_library.trigger()


def test_a_block_saved_to_the_library_is_listed_in_the_palettes_library_section(window):
    palette = window.palette
    assert LIBRARY_KEY + "sig" not in palette.visible_keys()
    save_sig(window)
    item = palette.item(LIBRARY_KEY + "sig")
    assert item.parent().text(0) == "Library" and item.text(0) == "sig"
    assert palette.item("sig").parent().text(0) == "Blocks"  # the document's own, apart from it
    groups = [palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())]
    assert groups[-2:] == ["Blocks", "Library"]
    assert "library" in item.toolTip(0) and "sig" in item.toolTip(0)
    palette.filter_edit.setText("sig")
    assert LIBRARY_KEY + "sig" in palette.visible_keys()
    assert palette.mime_data(LIBRARY_KEY + "sig").formats() == []  # inserted, not dropped: it needs defining


def test_choosing_a_library_block_defines_it_in_the_document_then_adds_an_instance_as_one_step(window):
    save_sig(window)
    window.set_document(Document())
    palette = window.palette
    assert LIBRARY_KEY + "sig" in palette.visible_keys() and "sig" not in palette.visible_keys()
    palette.tree.itemActivated.emit(palette.item(LIBRARY_KEY + "sig"), 0)  # double-click or Enter
    doc = window.document
    (instance,) = [n.id for n in doc.graph if n.op == "sig"]
    assert doc.graph.blocks.names() == ["sig"] and doc.undo_stack.count() == 1
    assert "sig" in palette.visible_keys()  # now the document's too
    palette.tree.itemActivated.emit(palette.item(LIBRARY_KEY + "sig"), 0)
    assert len([n for n in doc.graph if n.op == "sig"]) == 2 and doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.graph.blocks.names() == [] and len(doc.graph) == 0


def test_at_1024x700_long_block_names_read_whole_in_smaller_type_with_the_full_name_in_the_tooltip(
        make_window, qtbot, tmp_path):
    window = make_window(Document(build_mlp([2, 3, 1])))
    window.user_blocks.store = BlockStore(tmp_path / "blocks")
    window.user_blocks.save_to_library("h1_1")  # nothing selected: the docks keep their given widths
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024 and window.palette_dock.width() < 200)
    tree, palette = window.palette.tree, window.palette
    base = tree.font().pointSizeF()
    smaller = []
    for key in ("tanh_neuron2", "linear_neuron3", "squared_error", LIBRARY_KEY + "tanh_neuron2"):
        item = palette.item(key)
        index = tree.indexFromItem(item)
        qtbot.waitUntil(lambda: tree.sizeHintForIndex(index).width() <= tree.visualRect(index).width())
        size = item.font(0).pointSizeF()
        assert base * MIN_FONT_SCALE <= size <= base
        smaller.append(size < base)
        assert key.removeprefix(LIBRARY_KEY) in item.toolTip(0)
    assert any(smaller)
    window.resize(1600, 900)  # room again: the names go back to the list's own type
    qtbot.waitUntil(lambda: palette.item("tanh_neuron2").font(0).pointSizeF() == base)
