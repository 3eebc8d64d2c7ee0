"""Fuzzing the file loader: whatever the bytes, `loads` ends in a Graph or a clean DocumentError.

Five hypothesis strategies feed `fileformat.loads` (over 10,000 documents in the default run,
the costly mutations 800 of them; the `slow` variants run twenty times as many, mutations
80,000, with --run-slow):

* mutations of the bundled examples: every field's type flipped, keys dropped or added, nodes
  and edges duplicated or swapped, huge numbers, NaN/Infinity literals, deep nesting, enormous
  strings, the graph replicated to thousands of nodes;
* the examples' text truncated or corrupted byte-wise, and number literals swapped for nasty ones;
* random JSON, bare and inside a well-formed document shell;
* documents built field by field from plausible and implausible values;
* random text over JSON's alphabet.

A graph that loads must also save and load back equal (a file the editor accepts must be one it
can write).  Every refusal is one line.  tests/fuzz_corpus/ keeps nasty documents found or
crafted along the way: `ok-*` files must load, `error-*` files must be refused.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cgeditor.model import fileformat
from cgeditor.model.fileformat import DocumentError
from cgeditor.model.graph import Graph
from cgeditor.model.ops import OPS
from cgeditor.resources import list_examples

CORPUS = Path(__file__).parent / "fuzz_corpus"
EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in list_examples()]
EXAMPLES = [json.loads(t) for t in EXAMPLE_TEXTS]
SLOW_FACTOR = 20
MAX_MESSAGE = 400
FUZZED: dict[str, int] = {}  # documents per strategy, this session

# -- the property ------------------------------------------------------------------------------


def check_loads(text: str, strategy: str) -> Graph | None:
    """The one property: a Graph that round-trips, or a one-line DocumentError; nothing else."""
    FUZZED[strategy] = FUZZED.get(strategy, 0) + 1
    try:
        graph = fileformat.loads(text)
    except DocumentError as e:
        message = str(e)
        assert message and "\n" not in message, repr(message[:MAX_MESSAGE])
        assert len(message) <= MAX_MESSAGE, repr(message[:MAX_MESSAGE])
        return None
    assert isinstance(graph, Graph)
    # a plain bool: pytest's diff of two huge graphs' reprs would take gigabytes
    round_trips = fileformat.loads(fileformat.dumps(graph)) == graph
    assert round_trips, f"a loaded graph of {len(graph)} nodes does not save and load back equal"
    return graph


def fuzz(strategy: st.SearchStrategy, examples: int, name: str) -> None:
    """Run `check_loads` over `examples` texts drawn from `strategy`."""
    # no shrinking: the documents come from a seeded Random, so the failing one is reported as is
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(text):
        check_loads(text, name)

    run()


def sizes(default: int, full: int | None = None):
    """The default run and a `slow` run twenty times `full` (which is `default` unless the
    default is cut short to keep an expensive strategy under ten seconds)."""
    return pytest.mark.parametrize("examples", [
        pytest.param(default, id="default"),
        pytest.param((full or default) * SLOW_FACTOR, id="long", marks=pytest.mark.slow),
    ])


# -- nasty values ------------------------------------------------------------------------------
# Documents are built with a `random.Random` that hypothesis seeds (st.randoms): far cheaper per
# document than composing hypothesis strategies, so the default run covers 10,000 in seconds.

RANDOMS = st.randoms(use_true_random=True)
WORDS = ["", " ", "x", "y", "L", "add", "mul", "variable", "op", "constant", "nan", "inf", "-inf",
         "NaN", "Infinity", "../../etc/passwd", "$ref", "include", "\x00", "\u202e", "\ud800",
         "a\nb", "cgeditor-graph", "format", "version", "nodes", "edges", "output", *OPS]
SPECIAL_NUMBERS = [0, -1, 1, 2, 2**31, 2**63, -2**63, 10**300, 10**1000, 1e308, -1e308, 5e-324,
                   -0.0, 1e16, math.nan, math.inf, -math.inf]  # NaN/inf become bare literals
HUGE_LENGTHS = [5_000, 100_000, 1_000_000]


def random_number(rnd):
    r = rnd.random()
    if r < 0.4:
        return rnd.choice(SPECIAL_NUMBERS)
    if r < 0.7:
        return rnd.randint(-2**70, 2**70) if rnd.random() < 0.5 else rnd.randint(-3, 300)
    return rnd.uniform(-1e6, 1e6) if rnd.random() < 0.5 else rnd.uniform(-1, 1) * 10 ** rnd.randint(-320, 308)


def random_text(rnd):
    if rnd.random() < 0.6:
        return rnd.choice(WORDS)
    return "".join(chr(rnd.choice([rnd.randint(32, 126), rnd.randint(0, 0x2FFF), rnd.randint(0, 0x10FFFF)]))
                   for _ in range(rnd.randint(0, 12)))


def random_json_value(rnd, budget=12):
    """Any JSON value, at most about `budget` leaves."""
    r = rnd.random()
    if budget <= 1 or r < 0.55:
        return rnd.choice([None, True, False, random_number(rnd), random_number(rnd),
                           random_text(rnd), random_text(rnd)])
    n = rnd.randint(0, 4)
    if r < 0.78:
        return [random_json_value(rnd, budget // max(n, 1)) for _ in range(n)]
    return {random_text(rnd): random_json_value(rnd, budget // max(n, 1)) for _ in range(n)}


def deep_nesting(depth: int, kind: str):
    value: object = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"k": value}
    return value


def nasty_value(rnd):
    r = rnd.random()
    if r < 0.03:
        return "é" * rnd.choice(HUGE_LENGTHS)
    if r < 0.06:
        depth = rnd.choice([fileformat.MAX_DEPTH - 3, fileformat.MAX_DEPTH, fileformat.MAX_DEPTH + 1, 500])
        return deep_nesting(depth, rnd.choice(["list", "dict"]))
    return random_json_value(rnd)


# -- mutating the examples ---------------------------------------------------------------------


def random_path(rnd, doc) -> tuple:
    """A random place in a JSON tree (keys and indices from the root), found by a random walk
    down it: enumerating every place of a deeply nested document would take gigabytes."""
    path, item = (), doc
    while isinstance(item, (dict, list)) and item and (not path or rnd.random() < 0.75):
        key = rnd.choice(list(item)) if isinstance(item, dict) else rnd.randrange(len(item))
        path, item = path + (key,), item[key]
    return path


def _parent(doc, path):
    for key in path[:-1]:
        doc = doc[key]
    return doc


def mutated_document(rnd) -> str:
    """An example with one to four fields replaced, dropped, added, duplicated or swapped."""
    doc = json.loads(rnd.choice(EXAMPLE_TEXTS))
    if rnd.random() < 0.02:  # now and then, thousands of nodes
        doc = replicated(doc, rnd.randint(200, 1000))
    for _ in range(rnd.randint(1, 4)):
        path = random_path(rnd, doc)
        if not path:
            break
        parent, key = _parent(doc, path), path[-1]
        action = rnd.choice(["replace", "replace", "replace", "delete", "add_key", "duplicate", "swap"])
        if action == "replace":
            parent[key] = nasty_value(rnd)
        elif action == "delete":
            del parent[key]
        elif action == "add_key" and isinstance(parent, dict):
            parent[random_text(rnd)] = nasty_value(rnd)
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(parent[key], allow_nan=True)))
        elif action == "swap":
            other = random_path(rnd, doc)
            if other and other[:len(path)] != path and path[:len(other)] != other:  # disjoint
                other_parent = _parent(doc, other)
                parent[key], other_parent[other[-1]] = other_parent[other[-1]], parent[key]
    return json.dumps(doc, ensure_ascii=rnd.random() < 0.5)


def replicated(doc: dict, copies: int) -> dict:
    """The example's nodes and edges `copies` times over, under fresh ids."""
    nodes, edges = [], []
    for i in range(copies):
        ids = {n["id"]: f"{n['id']}_{i}" for n in doc["nodes"]}
        nodes += [dict(n, id=ids[n["id"]]) for n in doc["nodes"]]
        edges += [dict(e, source=ids.get(e["source"], e["source"]),
                       target=ids.get(e["target"], e["target"])) for e in doc["edges"]]
    # Copied through JSON: copies sharing a nested list could be swapped into themselves.
    return json.loads(json.dumps(dict(doc, nodes=nodes, edges=edges, output=nodes[-1]["id"])))


NUMBER_LITERAL = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
NASTY_LITERALS = ["1e999", "-1e999", "1" * 5000, "1" + "0" * 400, "NaN", "Infinity", "-Infinity",
                  "0x10", "01", "1.", ".5", "1e", "--1", "+1", "1_000", "∞", "null", "true",
                  "9" * 310 + ".0", "4.9e-325", "-0"]
JUNK = '{}[]",:\\0123456789eE-+.ntfrulasNI \n\x00é\ud800'


def corrupted_text(rnd) -> str:
    """An example's text truncated, with a bit flipped, junk inserted, a span cut out, or a
    number literal swapped for a nasty one."""
    text = rnd.choice(EXAMPLE_TEXTS)
    action = rnd.choice(["truncate", "truncate", "flip", "insert", "delete", "literal", "literal"])
    i = rnd.randrange(len(text))
    if action == "truncate":
        return text[:i]
    if action == "literal":
        start, end = rnd.choice([m.span() for m in NUMBER_LITERAL.finditer(text)])
        return text[:start] + rnd.choice(NASTY_LITERALS) + text[end:]
    if action == "flip":
        return text[:i] + chr(ord(text[i]) ^ (1 << rnd.randint(0, 7))) + text[i + 1:]
    if action == "insert":
        return text[:i] + "".join(rnd.choice(JUNK) for _ in range(rnd.randint(1, 8))) + text[i:]
    return text[:i] + text[rnd.randint(i, min(len(text), i + 40)):]


# -- random documents --------------------------------------------------------------------------


def random_json(rnd) -> str:
    value = random_json_value(rnd, budget=30)
    if rnd.random() < 0.5:  # inside a shell that passes the format check
        value = {"format": "cgeditor-graph", "version": 1,
                 rnd.choice(["nodes", "edges", "output"]): value}
    return json.dumps(value)


IDS = ["a", "b", "c", "x", "y", "L"]
GOOD_FIELDS = {
    "id": lambda rnd: rnd.choice(IDS),
    "kind": lambda rnd: rnd.choice(["variable", "constant", "op"]),
    "label": random_text,
    "op": lambda rnd: rnd.choice(list(OPS)),
    "value": lambda rnd: rnd.choice([rnd.uniform(-10, 10), "nan", "inf", "-inf"]),
    "pos": lambda rnd: [rnd.randint(-500, 500), rnd.randint(-500, 500)],
    "source": lambda rnd: rnd.choice(IDS),
    "target": lambda rnd: rnd.choice(IDS),
    "port": lambda rnd: rnd.randint(0, 3),
}


def field_by_field(rnd) -> str:
    """A document whose every field is mostly plausible and sometimes anything at all."""
    def field(name):
        return GOOD_FIELDS[name](rnd) if rnd.random() < 0.8 else random_json_value(rnd, 4)

    nodes = [{k: field(k) for k in ("id", "kind", "label", "op", "value", "pos") if rnd.random() < 0.7}
             for _ in range(rnd.randint(0, 8))]
    edges = [{k: field(k) for k in ("source", "target", "port")} for _ in range(rnd.randint(0, 10))]
    doc = {"format": "cgeditor-graph",
           "version": 1 if rnd.random() < 0.9 else random_json_value(rnd, 2),
           "nodes": nodes, "edges": edges}
    if rnd.random() < 0.5:
        doc["output"] = rnd.choice(IDS) if rnd.random() < 0.8 else random_json_value(rnd, 2)
    return json.dumps(doc)


JSONISH = st.text(alphabet='{}[]",:0123456789.eE-+ \tnulltruefalsNaIiy\\u"formatversionodesedg',
                  max_size=80)


# -- the fuzz tests ----------------------------------------------------------------------------


@sizes(800, full=4000)  # the costliest strategy (documents of thousands of nodes round-trip)
def test_mutated_examples_load_or_fail_cleanly(examples):
    fuzz(RANDOMS.map(mutated_document), examples, "mutated examples")


@sizes(4700)
def test_truncated_and_corrupted_text_loads_or_fails_cleanly(examples):
    fuzz(RANDOMS.map(corrupted_text), examples, "corrupted text")


@sizes(1500)
def test_random_json_loads_or_fails_cleanly(examples):
    fuzz(RANDOMS.map(random_json), examples, "random JSON")


@sizes(1500)
def test_documents_built_field_by_field_load_or_fail_cleanly(examples):
    fuzz(RANDOMS.map(field_by_field), examples, "field by field")


@sizes(2000)
def test_random_jsonish_text_loads_or_fails_cleanly(examples):
    fuzz(JSONISH, examples, "JSON-ish text")


def test_fuzz_run_covered_ten_thousand_documents(request):
    """Runs last in the file: the default fuzz tests above fed at least 10,000 documents."""
    if len(FUZZED) < 5:
        pytest.skip("run together with the fuzz tests above")
    total = sum(FUZZED.values())
    print(f"\nfuzzed {total:,} documents: " + ", ".join(f"{k} {v:,}" for k, v in FUZZED.items()))
    assert total >= 10_000


# -- the seed corpus ---------------------------------------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*.json"))


def test_corpus_has_a_few_dozen_documents():
    assert len(CORPUS_FILES) >= 24
    assert {p.name.split("-")[0] for p in CORPUS_FILES} == {"ok", "error"}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus_document(path):
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    graph = check_loads(text, "corpus")
    if path.name.startswith("ok-"):
        assert graph is not None, f"{path.name} should load"
        assert fileformat.load(path) == graph
    else:
        assert graph is None, f"{path.name} should be refused"
        with pytest.raises(DocumentError):
            fileformat.load(path)


# -- caps: sizes are refused with a message naming the limit -----------------------------------


def _doc(nodes, edges=()):
    return json.dumps({"format": "cgeditor-graph", "version": 1, "nodes": nodes,
                       "edges": list(edges)})


def test_document_over_the_byte_cap_is_refused_before_parsing():
    text = " " * fileformat.MAX_BYTES + "{}"
    with pytest.raises(DocumentError, match="larger than 50 MB"):
        fileformat.loads(text)


def test_file_over_the_byte_cap_is_refused_by_size(tmp_path):
    path = tmp_path / "big.cgraph"
    with open(path, "wb") as f:
        f.truncate(fileformat.MAX_BYTES + 1)  # sparse: nothing is read to refuse it
    with pytest.raises(DocumentError, match="larger than 50 MB"):
        fileformat.load(path)


def test_too_many_nodes_are_refused_naming_the_cap(monkeypatch):
    monkeypatch.setattr(fileformat.reading, "MAX_NODES", 1000)  # the check, not 200,000 dicts
    nodes = [{"id": f"v{i}", "kind": "variable"} for i in range(1001)]
    with pytest.raises(DocumentError, match="too many nodes: 1,001 \\(at most 1,000\\)"):
        fileformat.loads(_doc(nodes))


def test_node_count_cap_holds_at_its_real_value():
    nodes = [{"id": str(i), "kind": "variable"} for i in range(fileformat.MAX_NODES + 1)]
    with pytest.raises(DocumentError, match="too many nodes"):
        fileformat.loads(_doc(nodes))


@pytest.mark.parametrize("field, length, message", [
    ("id", fileformat.MAX_ID_LENGTH + 1, "longer than 200 characters"),
    ("label", fileformat.MAX_LABEL_LENGTH + 1, "at most 1000 characters"),
])
def test_long_strings_are_refused_naming_the_cap(field, length, message):
    node = {"id": "x", "kind": "variable", field: "x" * length}
    with pytest.raises(DocumentError, match=message):
        fileformat.loads(_doc([node]))


def test_deep_nesting_is_refused_without_exhausting_the_stack():
    for depth in (fileformat.MAX_DEPTH + 1, 10_000, 200_000):
        with pytest.raises(DocumentError, match="nested too deep"):
            fileformat.loads("[" * depth + "]" * depth)


def test_long_string_in_an_unknown_node_key_is_refused_naming_the_cap():
    node = {"id": "x", "kind": "variable", "note": "x" * 1_000_000}
    with pytest.raises(DocumentError, match="note"):
        fileformat.loads(_doc([node]))


def test_overflowing_number_in_an_unknown_key_round_trips_or_is_refused():
    text = '{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": "x", "kind": "variable", "note": 1e400}]}'
    try:
        graph = fileformat.loads(text)
    except DocumentError:
        return
    assert fileformat.loads(fileformat.dumps(graph)) == graph


@pytest.mark.parametrize("node, output, version, port", [
    ({"id": "x", "kind": "variable"}, "o" * 100_000, 1, 0),
    ({"id": "x", "kind": "op", "op": "o" * 100_000}, None, 1, 0),
    ({"id": "x", "kind": "variable"}, None, 10 ** 4000, 0),
    ({"id": "x", "kind": "op", "op": "sin"}, None, 1, 10 ** 4000),
], ids=["output", "op", "version", "port"])
def test_refusal_message_stays_short_whatever_the_value(node, output, version, port):
    doc = {"format": "cgeditor-graph", "version": version, "nodes": [node],
           "edges": [{"source": "x", "target": "x", "port": port}]}
    if output is not None:
        doc["output"] = output
    with pytest.raises(DocumentError) as info:
        fileformat.loads(json.dumps(doc))
    assert len(str(info.value)) <= MAX_MESSAGE


@pytest.mark.slow
def test_largest_documents_load_within_a_memory_limit(tmp_path):
    """At the caps, in a subprocess whose address space is limited to 2 GB."""
    import subprocess
    import sys

    script = f"""
import json, resource
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
from cgeditor.model import fileformat
n = fileformat.MAX_NODES
nodes = [{{"id": "v", "kind": "variable", "value": 1}}] + [
    {{"id": f"n{{i}}", "kind": "op", "op": "sin"}} for i in range(n - 1)]
edges = [{{"source": "v" if i == 0 else f"n{{i-1}}", "target": f"n{{i}}", "port": 0}}
         for i in range(n - 1)]
g = fileformat.loads(json.dumps({{"format": "cgeditor-graph", "version": 1, "nodes": nodes, "edges": edges}}))
assert len(g) == n
big = json.dumps({{"format": "cgeditor-graph", "version": 1, "nodes": [
    {{"id": "x", "kind": "variable", "note": "x" * (fileformat.MAX_BYTES - 200)}}]}})
fileformat.loads(big)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
