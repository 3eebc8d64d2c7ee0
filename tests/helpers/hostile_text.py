"""Hostile document text: what a label or an id might hold to break out of where it is written.

Shared by the escaping tests, the export-execution tests and the hostile corpus, so that every
target is tried with the same strings.  `MARKER` is the file a payload tries to create; a test
runs the exported code in a folder and checks that it is still absent.
"""

from cgeditor.model.graph import Edge, Graph, Node, NodeKind

MARKER = "label-ran.txt"

# Every line break Python's str.splitlines honours, and the two-character one.
LINE_BREAKS = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]

CODE = f"open({MARKER!r}, 'w').write('ran')"

# Labels: may hold anything but a line break once loaded; exporters must hold even if they do.
LABEL_BREAKOUTS = [f"a{b}{CODE}{b}#" for b in LINE_BREAKS] + [
    f'"""; {CODE}; """', f"'''; {CODE}; '''", f"\\\n{CODE}", "*/ x /*", "--> x <!--",
    "]]> x <![CDATA[", "</text><script>alert(1)</script>", "x\\", "\\", '"', "'", "`", "``a``",
    "| a | b |", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "*bold* _it_ #h",
    "&amp; &lt;", "\\N{BULLET}", "\\x41",
]

# Terminal and bidi controls, zero-width characters, a lone surrogate, wide characters.
TERMINAL = {
    "esc-clear": "a\x1b[2Jb", "osc-title": "\x1b]0;pwned\x07x", "csi-c1": "a\x9b31mred",
    "nul": "a\x00b", "bel": "a\x07b", "del": "a\x7fb", "backspace": "abc\x08\x08\x08xyz",
    "bidi-rlo": "\u202eevil\u202c", "bidi-isolates": "\u2066a\u2067b\u2068c\u2069",
    "bidi-embed": "\u202a\u202b\u202d x", "zero-width": "a\u200bb\u200c\u200d\ufeff",
    "surrogate": "a\ud800", "surrogate-low": "\udfffz", "cjk": "計算グラフ", "emoji": "🧮📈",
    "combining": "e\u0301\u0301", "fullwidth": "ＡＢＣ",
}

# Ids are printable (the file format refuses anything else), so these are what ids can try.
ID_BREAKOUTS = [f'a"""+{CODE}+"""', f"b'''+{CODE}+'''", "c\\", 'd"', "e'", "*/", "-->", "}{",
                "#", "g h", "__import__", "grad_x", "1x", "計算", "\\N{BULLET}"]


def hostile_graph(labels: list[str], ids: list[str], output_id: str) -> Graph:
    """Variables with the given ids and labels (set behind the model's back, so exporters are
    tested on labels the loader would refuse), all summed into one output node `output_id`."""
    g = Graph()
    names = [ids[i] if i < len(ids) else f"v{i}" for i in range(max(len(labels), len(ids)))]
    for i, name in enumerate(names):
        node = Node(name, NodeKind.VARIABLE, value=float(i + 1))
        g.add_node(node)
        node.label = labels[i % len(labels)] if labels else name
    out = Node(output_id, NodeKind.OP, op="add")
    g.add_node(out)
    out.label = labels[-1] if labels else output_id
    for port, name in enumerate(names):
        g.add_edge(Edge(name, output_id, port))
    g.set_output(output_id)
    return g
