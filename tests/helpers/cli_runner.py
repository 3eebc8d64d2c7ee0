"""Run many `cgeditor` command lines, each in a forked child under resource limits.

    cli_runner.py JOBS.json RESULTS.json [--qt]

JOBS.json is a list of argument lists.  The CLI is imported once; every job then runs in a
child forked from this process, with stdout and stderr going to files, stdin from /dev/null,
a CPU-time limit (`CPU_GUARD` seconds) and an address-space limit (`MEMORY_GUARD` bytes) as
guards against a hang or a runaway allocation, and a wall-clock guard that kills it.  For
each job RESULTS.json gets its exit status (or the signal that ended it), stderr, the size and
a digest of stdout, the CPU seconds it used and its peak resident memory, measured by wait4,
so the caller can hold each command to its own limits.  With --qt the Qt modules `render`
needs are imported before the first fork (no QApplication: each child makes its own), so a
render child does not pay for loading Qt; without it Qt is never imported here.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time

CPU_GUARD = 30  # seconds of CPU a child may use before SIGXCPU ends it
MEMORY_GUARD = 2 * 1024 ** 3  # bytes of address space (not set for render: Qt maps a lot)
WALL_GUARD = 120  # seconds before a child that is not using CPU (blocked) is killed


def _child(argv: list[str], out_path: str, err_path: str) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_GUARD, CPU_GUARD + 5))
        if argv[0] != "render":
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_GUARD, MEMORY_GUARD))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
        from cgeditor.cli import main

        status = main(argv)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status if isinstance(status, int) else 1)
    except BaseException:  # noqa: BLE001 (an escaped exception is what the caller looks for)
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


def run(argv: list[str], folder: str) -> dict:
    out_path, err_path = os.path.join(folder, "out"), os.path.join(folder, "err")
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(argv, out_path, err_path)
    killed = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > WALL_GUARD:
            os.kill(pid, signal.SIGKILL)
            killed = True
        time.sleep(0.005)
    with open(out_path, "rb") as f:
        stdout = f.read()
    with open(err_path, "rb") as f:
        stderr = f.read()
    return {
        "argv": argv,
        "status": os.waitstatus_to_exitcode(status),
        "killed_after_wall_guard": killed,
        "stderr": stderr.decode("utf-8", errors="backslashreplace"),
        "stdout_bytes": len(stdout),
        "stdout_utf8": _is_utf8(stdout),
        "stdout_raw_controls": _raw_controls(stdout),
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "wall_seconds": time.monotonic() - start,
    }


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _raw_controls(data: bytes) -> list[str]:
    """Characters in stdout that a terminal would obey: C0 but tab/newline, DEL, C1, bidi, zero-width."""
    text = data.decode("utf-8", errors="replace")
    bad = {ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F
           or 0x200B <= ord(ch) <= 0x200F or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069
           or ch == "\ufeff"}
    return sorted(f"U+{ord(ch):04X}" for ch in bad)


def main(jobs_path: str, results_path: str, preload_qt: bool) -> int:
    with open(jobs_path, encoding="utf-8") as f:
        jobs = json.load(f)
    if preload_qt:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import cgeditor.editor.canvas.render  # noqa: F401  (PySide6 and the canvas, no QApplication)
    import cgeditor.cli  # noqa: F401  (imported once, before the first fork)
    from cgeditor.cli import SUBCOMMANDS, _module

    for name in SUBCOMMANDS:  # every subcommand's module, before the first fork
        _module(name)
    with tempfile.TemporaryDirectory() as folder:
        results = [run(argv, folder) for argv in jobs]
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], "--qt" in sys.argv[3:]))
