"""Every escaping function against every line break, quotes, backslashes, controls and its
target's own closing sequences: the output is one printable line that means exactly the text."""

from __future__ import annotations

import ast
import json
import re

import pytest

from cgeditor.model import fileformat
from cgeditor.model.escape import (display_width, dot_string, markdown_code, markdown_text, python_comment,
                                   python_docstring, python_string, terminal, visible, visible_lines)
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Graph, GraphError, Node, NodeKind, label_problem

from helpers.hostile_text import ID_BREAKOUTS, LABEL_BREAKOUTS, LINE_BREAKS, TERMINAL

TEXTS = LABEL_BREAKOUTS + list(TERMINAL.values()) + ID_BREAKOUTS + LINE_BREAKS + ["", "plain x·y²"]
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def one_safe_line(text: str) -> bool:
    text.encode("utf-8")  # no lone surrogate
    return UNSAFE.search(text) is None


@pytest.mark.parametrize("text", TEXTS)
def test_visible_and_terminal_text_show_every_control_as_an_escape(text):
    for shown in (visible(text), terminal(text)):
        assert one_safe_line(shown)
        assert shown == text or "\\" in shown


def test_visible_escapes_read_like_python():
    assert visible("a\x1b[2J\x9b\u202e\u200b\ud800\U000e0001\n\t") == \
        "a\\x1b[2J\\x9b\\u202e\\u200b\\ud800\\U000e0001\\n\\t"
    assert visible("計算 🧮 e\u0301 a\u00a0b") == "計算 🧮 e\u0301 a\u00a0b"  # printable stays


@pytest.mark.parametrize("text", TEXTS)
def test_python_string_is_a_literal_of_exactly_the_text(text):
    literal = python_string(text)
    assert one_safe_line(literal)
    assert ast.literal_eval(literal) == text


def test_python_string_of_a_plain_id_is_what_json_gives():
    assert python_string('x "y" \\ é') == json.dumps('x "y" \\ é', ensure_ascii=False)


@pytest.mark.parametrize("text", TEXTS)
def test_python_comment_cannot_end_its_comment(text):
    comment = python_comment(text)
    assert one_safe_line(comment)
    tree = ast.parse(f"x = 1  # {comment}\ny = 2\n")
    assert [type(s) for s in tree.body] == [ast.Assign, ast.Assign]


@pytest.mark.parametrize("text", TEXTS)
def test_python_docstring_cannot_close_its_docstring(text):
    body = python_docstring(text)
    assert one_safe_line(body)
    tree = ast.parse(f'"""d {body} / d x"""\ny = 2\n')
    assert [type(s) for s in tree.body] == [ast.Expr, ast.Assign]
    assert tree.body[0].value.value == f"d {visible(text)} / d x"


def _dot_decoded(quoted: str) -> str:
    """What Graphviz shows for a quoted string (its escapes \\\\, \\" and \\n)."""
    assert re.fullmatch(r'"(?:[^"\\\n]|\\.)*"', quoted), quoted
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], quoted[1:-1])


@pytest.mark.parametrize("text", TEXTS)
def test_dot_string_cannot_close_its_string_and_shows_the_text(text):
    quoted = dot_string(text)
    assert one_safe_line(quoted)
    lines = re.split(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]", text)
    assert _dot_decoded(quoted) == "\n".join(visible(line) for line in lines)


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_dot_string_makes_every_line_break_a_dot_line_break(brk):
    assert dot_string(f"a{brk}b") == '"a\\nb"'


@pytest.mark.parametrize("text", TEXTS)
def test_markdown_text_has_no_live_markup(text):
    shown = markdown_text(text)
    assert one_safe_line(shown) and "<" not in shown
    unescaped = re.sub(r"\\.", "", shown)
    assert not re.search(r"[`*_\[\]#|~\\]", unescaped), shown
    assert re.sub(r"&(amp|lt);", "", unescaped).count("&") == 0


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("in_table", [False, True])
def test_markdown_code_span_cannot_be_closed_from_inside(text, in_table):
    span = markdown_code(text, in_table=in_table)
    assert one_safe_line(span)
    fence = re.match(r"`+", span)[0]
    inner = span[len(fence):-len(fence)]
    assert span.endswith(fence) and all(len(run) < len(fence) for run in re.findall(r"`+", inner))
    if in_table:
        assert not re.search(r"(?<!\\)\|", inner)


def test_display_width_counts_wide_characters_twice_and_marks_none():
    assert display_width("abc") == 3
    assert display_width("計算グラフ") == 10
    assert display_width("ＡＢＣ") == 6
    assert display_width("🧮") == 2
    assert display_width("e\u0301\u0301") == 1


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_a_label_with_a_line_break_is_refused_everywhere(brk):
    assert label_problem(f"a{brk}b") == "a label cannot contain a line break"
    doc = {"format": "cgeditor-graph", "version": 1,
           "nodes": [{"id": "x", "kind": "variable", "label": f"a{brk}b"}]}
    with pytest.raises(DocumentError, match="cannot contain a line break") as info:
        fileformat.loads(json.dumps(doc))
    assert "\n" not in str(info.value)
    g = Graph()
    g.add_node(Node("x", NodeKind.VARIABLE, value=1.0))
    with pytest.raises(GraphError, match="line break"):
        g.set_label("x", f"a{brk}b")
    with pytest.raises(GraphError, match="line break"):
        g.add_node(Node("y", NodeKind.VARIABLE, f"a{brk}b", value=1.0))
    assert g.node("x").label == "x" and "y" not in g


@pytest.mark.parametrize("label", list(TERMINAL.values()) + ["a\tb"])
def test_other_odd_labels_still_load(label):
    doc = {"format": "cgeditor-graph", "version": 1,
           "nodes": [{"id": "x", "kind": "variable", "label": label}]}
    assert fileformat.loads(json.dumps(doc)).node("x").label == label


def test_visible_lines_keeps_line_feeds_and_tabs_of_a_note():
    assert visible_lines("a\tb\nc\x1b[2J\u202e\ud800") == "a\tb\nc\\x1b[2J\\u202e\\ud800"
