"""Load hostile documents and parse hostile programs under an audit hook (tests/test_security.py).

    audit_load.py CASES.json

CASES.json holds {"files": [paths], "texts": [documents], "programs": [programs]}.  Everything
the loader and the parser need is imported and warmed up first; then an audit hook records
every event raised while the cases run, and the events are printed as JSON lines
{"event": name, "args": [reprs]}, followed by a summary line {"done": counts}.
"""

import json
import sys

from cgeditor.model import fileformat
from cgeditor.model.expression import ExpressionError, parse_program
from cgeditor.model.suggest import did_you_mean
from cgeditor.resources import example_path


def main(cases_path: str) -> int:
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    # warm up: lazy imports (the layout for unpositioned nodes, difflib for a misspelt op) happen
    # here, not under the hook
    did_you_mean("sqare", ["square"])
    fileformat.loads('{"format": "cgeditor-graph", "version": 1, "nodes": [{"id": "x", "kind": "variable"}]}')
    fileformat.load(example_path())
    fileformat.loads('{"format": "cgeditor-graph", "version": 2, "blocks": [{"name": "f", "params": ["t"], '
                     '"nodes": [{"id": "t", "kind": "variable"}], "edges": []}]}')  # the blocks section
    parse_program("y = (x + 1) ** 2", default_value=1.0)
    events = []
    recording = [True]

    def hook(event, args):
        if recording[0]:
            events.append((event, [repr(a)[:300] for a in args]))

    sys.addaudithook(hook)
    counts = {"loaded": 0, "refused": 0, "parsed": 0, "rejected": 0}
    for path in cases["files"]:
        try:
            fileformat.load(path)
            counts["loaded"] += 1
        except fileformat.DocumentError:
            counts["refused"] += 1
    for text in cases["texts"]:
        try:
            fileformat.loads(text)
            counts["loaded"] += 1
        except fileformat.DocumentError:
            counts["refused"] += 1
    for program in cases["programs"]:
        try:
            parse_program(program, default_value=1.0)
            counts["parsed"] += 1
        except ExpressionError:
            counts["rejected"] += 1
    recording[0] = False
    for event, args in events:
        print(json.dumps({"event": event, "args": args}))
    print(json.dumps({"done": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
