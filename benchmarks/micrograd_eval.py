"""micrograd doing what `cgeditor eval FILE --json` does, as one process: read the .cgraph JSON,
build Values, backward from the output, write every node's value and gradient as JSON.

Only what the benchmark files hold: variables, constants and add (any number of inputs), mul,
tanh.  micrograd 0.1.0 sorts the graph recursively, so the recursion limit and the thread's
stack are raised for deep chains (without that it cannot do a 200k-node chain at all).
Usage: python micrograd_eval.py FILE > OUT.json
"""

from __future__ import annotations

import json
import math
import sys
import threading

from micrograd.engine import Value


def tanh(v: Value) -> Value:
    t = math.tanh(v.data)
    out = Value(t, (v,), "tanh")

    def _backward() -> None:
        v.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def run(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    inputs: dict[str, list[tuple[int, str]]] = {}
    for e in doc["edges"]:
        inputs.setdefault(e["target"], []).append((e["port"], e["source"]))
    kinds = {n["id"]: n for n in doc["nodes"]}
    values: dict[str, Value] = {}

    def build(node_id: str) -> Value:  # iterative post-order: files need not be sorted
        stack = [node_id]
        while stack:
            top = stack[-1]
            if top in values:
                stack.pop()
                continue
            node = kinds[top]
            args = [src for _, src in sorted(inputs.get(top, []))]
            missing = [a for a in args if a not in values]
            if missing:
                stack += missing
                continue
            stack.pop()
            if node["kind"] != "op":
                values[top] = Value(float(node["value"]))
            elif node["op"] == "add":
                acc = values[args[0]]
                for a in args[1:]:
                    acc = acc + values[a]
                values[top] = acc
            elif node["op"] == "mul":
                values[top] = values[args[0]] * values[args[1]]
            else:
                values[top] = tanh(values[args[0]])
        return values[node_id]

    for node in doc["nodes"]:
        build(node["id"])
    out = values[doc["output"]]
    out.backward()
    json.dump({"output": doc["output"],
               "nodes": {n["id"]: {"value": values[n["id"]].data, "grad": values[n["id"]].grad}
                         for n in doc["nodes"]}}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    sys.setrecursionlimit(2_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=run, args=(sys.argv[1],))
    worker.start()
    worker.join()
