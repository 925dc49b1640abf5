"""A stand-in for `prefect.engine` run through flows/forkserver.py (tests/flows/test_forkserver.py):
prints what it was given, then exits with the code its first argument names, or waits for a
signal (`wait`: SIGTERM makes it print and exit 3), or dies of SIGKILL (`die`)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from prefect.settings import get_current_settings


def on_term(_signum: int, _frame: object) -> None:
    print("terminated", flush=True)
    sys.exit(3)


signal.signal(signal.SIGTERM, on_term)
with open(f"/proc/{os.getpid()}/comm") as comm:
    name = comm.read().strip()
print(
    json.dumps(
        {
            "argv": sys.argv[1:],
            "cwd": os.getcwd(),
            "probe": os.environ.get("WUFEI_PROBE"),
            "api": get_current_settings().api.url,
            "stdin": sys.stdin.read(),
            "pid": os.getpid(),
            "parent": os.getppid(),
            "name": name,
        }
    ),
    flush=True,
)
print("to stderr", file=sys.stderr, flush=True)
if sys.argv[1] == "wait":
    time.sleep(600)
if sys.argv[1] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(int(sys.argv[1]))
