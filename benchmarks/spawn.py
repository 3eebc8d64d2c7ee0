"""Runs one command and prints its wall time, CPU time and its own peak RSS as JSON, for bench_cli.py.

A child's peak RSS (ru_maxrss) keeps the high-water mark of the process it was forked from, so
a benchmark that holds large graphs would see its own size in every child; this small launcher
(standard library only) is what forks the measured command.
Usage: python spawn.py OUT -- COMMAND...   (COMMAND's stdout goes to OUT)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    out, argv = sys.argv[1], sys.argv[3:]
    with open(out, "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024.0,
                      "exit": os.waitstatus_to_exitcode(status), "stderr": err.decode(errors="replace")}))


if __name__ == "__main__":
    main()
