"""`cgeditor eval F1 F2 ...`: grading a folder of files in one process (or N, with --jobs).

Each file is evaluated on its own graph, with the same `--set` and `--output`; a bad file
becomes its own error and stops nothing.  With `--json` the output is JSON Lines, one object
per file in the order of the arguments: {"file", "output", "nodes", "edges"} (the single-file
shape plus the file, and "instances" for a document with blocks) or {"file", "error"}.  Without it, a block per file headed by its name.
The exit status is 2 if any file failed, and stderr says how many did.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import partial
from json.encoder import encode_basestring, encode_basestring_ascii
from multiprocessing import get_context
from typing import Sequence

from cgeditor.model.collector import collector_paused
from cgeditor.model.escape import one_line, terminal
from cgeditor.model.fileformat import load

from cgeditor.cli.common import BAD_INPUT, EXIT_BAD_INPUT, apply_sets, print_error
from cgeditor.cli.eval_cmd import edge_items, evaluate_or_explain, instance_items, node_items, to_table


def run_batch(files: Sequence[str], sets: Sequence[str], output: str | None, as_json: bool, jobs: int) -> int:
    grade = partial(grade_file, sets=tuple(sets), output=output, as_json=as_json)
    jobs = min(jobs, len(files))
    failed = 0
    if jobs == 1:
        results = map(grade, files)
        failed = _print_all(results, as_json)
    else:
        # spawn: a fresh interpreter per worker on every platform, never a fork of this one
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            failed = _print_all(pool.map(grade, files, chunksize=max(1, len(files) // (8 * jobs))), as_json)
    if failed:
        print_error(f"{failed} of {len(files)} files failed")
        return EXIT_BAD_INPUT
    return 0


def _print_all(results, as_json: bool) -> int:
    failed = 0
    for k, (text, ok) in enumerate(results):
        failed += not ok
        if not as_json and k:
            print()
        print(text, flush=True)
    return failed


def grade_file(path: str, sets: tuple[str, ...], output: str | None, as_json: bool) -> tuple[str, bool]:
    """One file's JSON line or text block, and whether it evaluated.  A module-level function,
    so the spawned workers of `--jobs` can import it."""
    with collector_paused():  # see `collector`; the file's graph is freed before it resumes
        return _graded(path, sets, output, as_json)


def _graded(path: str, sets: tuple[str, ...], output: str | None, as_json: bool) -> tuple[str, bool]:
    try:
        graph = load(path, lay_out=False)  # nothing is drawn
        apply_sets(graph, sets)
        result = evaluate_or_explain(graph, path, output)
    except BAD_INPUT as e:
        message = one_line(str(e)) or "bad input"
        if as_json:
            return f'{{"file": {_json_string(path)}, "error": {_json_string(message)}}}', False
        return f"== {terminal(path)} ==\nerror: {terminal(message)}", False
    if as_json:
        instances = f', "instances": {{{", ".join(instance_items(graph, result))}}}' if len(graph.blocks) else ""
        return (f'{{"file": {_json_string(path)}, "output": {encode_basestring(result.output)}, '
                f'"nodes": {{{node_items(graph, result, list(graph.nodes), ", ")}}}, '
                f'"edges": [{edge_items(result, graph.edges, ", ")}]{instances}}}'), True
    return f"== {terminal(path)} ==\n{to_table(graph, result)}", True


def _json_string(text: str) -> str:
    """A JSON string that stdout can always encode: a file name with bytes that are not UTF-8
    reaches Python as lone surrogates, which only \\u escapes can carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return encode_basestring_ascii(text)
    return encode_basestring(text)
