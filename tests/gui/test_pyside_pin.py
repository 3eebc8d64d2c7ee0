"""Guard against the PySide6 release that aborts CPython 3.11.

PySide6 6.12.0 on Python 3.11 dies ("Fatal Python error: none_dealloc") after a few thousand
calls of any Qt method that returns nothing; pyproject.toml keeps it out.  The calls run in a
child process because the failure is an abort, not an exception.
"""

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QPointF
p = QPointF()
for i in range(100_000):
    p.setX(float(i))
assert p.x() == 99_999.0
print("ok")
"""


def test_hundred_thousand_void_qt_calls_do_not_abort_the_interpreter():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
