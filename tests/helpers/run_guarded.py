"""Run a generated script under an audit hook that stops anything a label could smuggle in.

    run_guarded.py SCRIPT MODULE...

Imports the MODULEs the script needs first (json, math, torch), then installs a PEP 578 audit
hook and runs SCRIPT as `__main__`.  Any event that starts a process, writes, renames or
deletes a file, opens a socket, loads a C library, or compiles or runs code from anywhere but
SCRIPT itself (`exec`, `eval`, `compile`, an import still to come) ends the run with exit
status 3 and the event on stderr: a worked solution only computes and prints.
"""

import importlib
import os
import sys

FORBIDDEN = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.kill",
             "subprocess.Popen", "socket.", "os.remove", "os.rename", "os.rmdir", "os.mkdir",
             "os.chmod", "os.truncate", "shutil.", "ctypes.", "webbrowser.", "import")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def main(script: str, modules: list[str]) -> int:
    script = os.path.abspath(script)
    for name in modules:
        importlib.import_module(name)

    def refuse(event: str, args: tuple) -> None:
        os.write(2, f"forbidden: {event} {args!r}"[:500].encode(errors="replace") + b"\n")
        os._exit(3)

    def hook(event: str, args: tuple) -> None:
        if event.startswith(FORBIDDEN):
            refuse(event, args)
        if event == "open":
            mode, flags = (list(args) + [None, None])[1:3]
            if (isinstance(mode, str) and any(m in mode for m in "wax+")) or \
                    (isinstance(flags, int) and flags & WRITE_FLAGS):
                refuse(event, args)
        if event == "compile" and (len(args) < 2 or args[1] != script):
            refuse(event, args)
        if event == "exec" and getattr(args[0], "co_filename", None) != script:
            refuse(event, args)

    with open(script, encoding="utf-8") as f:
        source = f.read()
    sys.addaudithook(hook)
    sys.argv = [script]
    exec(compile(source, script, "exec"), {"__name__": "__main__", "__file__": script})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
