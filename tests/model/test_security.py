"""Files and typed programs are data: loading or parsing one never runs code, never follows a
path it names, and sizes are capped with clear messages.

The proof of "never runs code" is an audit hook (PEP 578) in a subprocess
(tests/helpers/audit_load.py): while hostile documents load and hostile programs parse, the
only events allowed are opening the document being loaded (read-only) and the parser's own
`compile` to a syntax tree (`ast.parse`; an `exec` event would mean a code object ran).  No
`exec`, no `import`, no `os.system`, no `subprocess.Popen`, no other file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cgeditor.model import fileformat
from cgeditor.model.expression import MAX_LENGTH, ExpressionError, parse_program
from cgeditor.model.fileformat import DocumentError

HELPER = Path(__file__).parents[1] / "helpers" / "audit_load.py"
CORPUS = Path(__file__).parent / "fuzz_corpus"
SECRET = "TOP-SECRET-CONTENT-7f3a"

HOSTILE_PROGRAMS = [
    "__import__('os').system('touch pwned')",
    "exec('import os')",
    "eval('1+1')",
    "compile('1', 'f', 'eval')",
    "open('/etc/passwd')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__globals__",
    "globals()['__builtins__']",
    "getattr(x, 'y')",
    "breakpoint()",
    "import os",
    "from os import system",
    "lambda: 1",
    "(lambda: __import__('os'))()",
    "[c for c in ().__class__.__mro__]",
    "f'{__import__(\"os\").system(\"id\")}'",
    "x if __import__('os') else y",
    "@property\ndef f(): pass",
    "class A: pass",
    "with open('x') as f: pass",
    "del x",
    "x[0]",
    "sin(x, key=__import__('os'))",
    "sin(*args)",
    "x := 1",
    "async def f(): await x",
    "sin(x)\n__import__('subprocess').Popen(['id'])",
    "# coding: rot13\nvzcbeg bf",
    "\\\nimport os",
    "x = 1; import os",
    "sin.__call__(1)",
    "'\\x00'",
    "1" * 5000,
    "(" * 300 + "x" + ")" * 300,
    "-" * 50_000 + "x",
    "+".join(["x"] * 40_000),
    "x" * (MAX_LENGTH + 1),
    "(x + x*y)**2",  # and a harmless one, to show parsing itself is allowed
]


def _hostile_documents(folder: Path) -> list[Path]:
    """Documents that name other files, in every way a format might follow them."""
    (folder / "secret.cgraph").write_text(json.dumps({
        "format": "cgeditor-graph", "version": 1,
        "nodes": [{"id": "leak", "kind": "variable", "label": SECRET}]}))
    docs = {
        "refs.cgraph": {"format": "cgeditor-graph", "version": 1,
                        "$ref": "secret.cgraph", "include": ["secret.cgraph"],
                        "nodes": [{"id": "x", "kind": "variable", "$ref": "secret.cgraph#/nodes/0",
                                   "include": "secret.cgraph", "src": str(folder / "secret.cgraph"),
                                   "href": "file:///etc/passwd", "label": "../secret.cgraph"}]},
        "import.cgraph": {"format": "cgeditor-graph", "version": 1, "import": "secret.cgraph",
                          "nodes": [], "edges": []},
        "nodes-as-path.cgraph": {"format": "cgeditor-graph", "version": 1,
                                 "nodes": "secret.cgraph"},
        "python-object.cgraph": {"format": "cgeditor-graph", "version": 1, "nodes": [
            {"id": "x", "kind": "variable", "!!python/object/apply:os.system": ["id"],
             "__reduce__": "os.system", "__class__": "subprocess.Popen"}]},
    }
    paths = []
    for name, doc in docs.items():
        (folder / name).write_text(json.dumps(doc))
        paths.append(folder / name)
    (folder / "pickle.cgraph").write_bytes(b"cos\nsystem\n(S'touch pwned'\ntR.")
    (folder / "yaml.cgraph").write_text("!!python/object/apply:os.system ['touch pwned']\n")
    return paths + [folder / "pickle.cgraph", folder / "yaml.cgraph"]


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = _hostile_documents(folder) + sorted(CORPUS.glob("*.json"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    cases = folder / "cases.json"
    cases.write_text(json.dumps({"files": [str(p) for p in files], "texts": texts,
                                 "programs": HOSTILE_PROGRAMS}))
    out = subprocess.run([sys.executable, str(HELPER), str(cases)], capture_output=True,
                         text=True, timeout=300, cwd=folder)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    return {"events": [line for line in lines if "event" in line], "done": lines[-1]["done"],
            "files": files, "folder": folder}


def test_hostile_documents_and_programs_run_no_code(audit):
    names = {e["event"] for e in audit["events"]}
    assert names <= {"open", "compile"}, names - {"open", "compile"}
    assert not (audit["folder"] / "pwned").exists()


def test_loading_opens_only_the_document_itself_read_only(audit):
    opened = [e["args"] for e in audit["events"] if e["event"] == "open"]
    # CPython's parser, reporting a syntax error in a source with a coding cookie, tries to
    # read its fixed file name '<unknown>' for the error line: a name not taken from the input
    documents = [args for args in opened if args[0] != "'<unknown>'"]
    assert {args[0] for args in documents} <= {repr(str(p)) for p in audit["files"]}
    assert all(args[1] in ("'r'", "'rb'") for args in opened)
    assert len(documents) == len(audit["files"])  # each file once, nothing beside it


def test_compiling_is_only_the_parser_reading_a_syntax_tree(audit):
    compiles = [e["args"] for e in audit["events"] if e["event"] == "compile"]
    assert all(args[1] == "'<unknown>'" for args in compiles)  # ast.parse's own file name
    assert len(compiles) <= len(HOSTILE_PROGRAMS)


def test_every_hostile_case_ended_in_a_graph_or_a_clean_refusal(audit):
    done = audit["done"]
    assert done["loaded"] + done["refused"] == 2 * len(audit["files"])
    assert done["parsed"] + done["rejected"] == len(HOSTILE_PROGRAMS)
    assert done["parsed"] == 1  # only the harmless program


def test_paths_in_a_document_are_kept_as_plain_data(tmp_path):
    path = _hostile_documents(tmp_path)[0]
    graph = fileformat.load(path)
    node = graph.node("x")
    assert node.extra["$ref"] == "secret.cgraph#/nodes/0" and node.extra["include"] == "secret.cgraph"
    assert node.label == "../secret.cgraph"
    assert list(graph.nodes) == ["x"] and SECRET not in fileformat.dumps(graph)


@pytest.mark.parametrize("program, message", [
    ("x" * (MAX_LENGTH + 1), "too long"),
    ("-" * 50_000 + "x", "nested too deeply"),
    ("+".join(["x"] * 40_000), "nested too deeply"),
    ("(" * 300 + "x" + ")" * 300, "too many nested parentheses"),
    ("1" * 5000, "4300 digits"),
])
def test_oversized_programs_are_refused_with_a_clear_message(program, message):
    with pytest.raises(ExpressionError) as info:
        parse_program(program, default_value=1.0)
    text = str(info.value)
    assert message in text and "\n" not in text and len(text) < 300


@pytest.mark.parametrize("program", ["v" * 250 + " + 1", "n" * 250 + " = x + 1"],
                         ids=["long variable name", "long assigned name"])
def test_a_parsed_program_always_saves_to_a_file_that_reopens(program):
    try:
        graph = parse_program(program, default_value=1.0)
    except ExpressionError:
        return  # refusing it up front is fine too
    assert fileformat.loads(fileformat.dumps(graph)) == graph


def test_document_caps_are_enforced_with_messages_naming_the_limit():
    def doc(node):
        return json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": [node]})

    cases = [
        (" " * (fileformat.MAX_BYTES + 1), "larger than 50 MB"),
        (doc({"id": "i" * 201, "kind": "variable"}), "longer than 200 characters"),
        (doc({"id": "x", "kind": "variable", "label": "l" * 1001}), "at most 1000 characters"),
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
    ]
    for text, message in cases:
        with pytest.raises(DocumentError, match=message):
            fileformat.loads(text)
