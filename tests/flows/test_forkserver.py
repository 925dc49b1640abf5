"""The pool's command, flows/forkserver.py: each flow run forked from its worker's warm server.

Run for real: this test process stands for the worker (the client's parent), a module that prints
what it was given (tests/flows/forkserver_probe.py) for `prefect.engine`. A run gets its client's
arguments, environment (Prefect's settings rebuilt from it), working directory and streams, and
its exit status goes back through the client; the client's signals reach the run; a run dies with
its killed client (what tests/flows/test_crashed_runs.py relies on, with Prefect's engine); a
request the server cannot fork for is refused (the client then runs the engine itself) and the
server carries on; the server ends with its worker.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from flows.forkserver import LENGTH, REFUSED, STATUS, socket_path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ["-m", "flows.forkserver", "-m", "tests.flows.forkserver_probe"]


def _client(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *PROBE, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not Path(f"/proc/{pid}").exists()


def test_a_run_gets_its_client_s_arguments_environment_directory_and_streams_and_its_exit_code(tmp_path):
    first = _client("7", "x y", cwd=tmp_path, WUFEI_PROBE="一", PREFECT_API_URL="http://127.0.0.1:9/first/api")
    out, err = first.communicate("hello", timeout=180)
    assert first.returncode == 7, err
    seen = json.loads(out)
    assert seen["argv"] == ["7", "x y"] and seen["cwd"] == str(tmp_path) and seen["stdin"] == "hello"
    assert seen["probe"] == "一" and seen["api"] == "http://127.0.0.1:9/first/api"
    assert err.strip() == "to stderr"
    # forked by the server (its child), named for its client; not the client itself
    assert seen["pid"] != first.pid and seen["name"] == f"run-{first.pid}"
    server = seen["parent"]
    assert Path(f"/proc/{server}/comm").read_text().strip() == "wufei-forksrv"

    second = _client("0", WUFEI_PROBE="二", PREFECT_API_URL="http://127.0.0.1:9/second/api")
    out, err = second.communicate("", timeout=60)
    assert second.returncode == 0, err
    again = json.loads(out)
    assert again["parent"] == server  # the same warm server: one per worker
    assert again["probe"] == "二" and again["api"] == "http://127.0.0.1:9/second/api"  # settings from this run's env
    assert again["cwd"] == str(ROOT)


def test_a_signal_to_the_client_reaches_the_run_and_a_run_killed_by_a_signal_kills_its_client():
    waiting = _client("wait")
    waiting.stdin.close()  # type: ignore[union-attr]
    seen = json.loads(waiting.stdout.readline())  # type: ignore[union-attr]
    waiting.send_signal(signal.SIGTERM)  # as the worker cancels a run
    assert waiting.stdout.readline().strip() == "terminated"  # type: ignore[union-attr]
    assert waiting.wait(60) == 3
    assert _gone(seen["pid"])

    dying = _client("die")
    dying.communicate("", timeout=60)
    assert dying.returncode == -signal.SIGKILL


def test_a_killed_client_takes_its_run_with_it():
    waiting = _client("wait")
    waiting.stdin.close()  # type: ignore[union-attr]
    seen = json.loads(waiting.stdout.readline())  # type: ignore[union-attr]
    waiting.kill()  # kill -9: the client reports nothing
    waiting.wait(10)
    assert _gone(seen["pid"]), "the run outlived its killed client"
    assert not _gone(seen["parent"], timeout=0)  # the server stays for the worker's next runs


def test_the_server_ends_with_its_worker():
    """A worker of its own (a shell running one client): once it exits, its server does, and its socket goes."""
    worker = subprocess.run(
        ["sh", "-c", f"{sys.executable} {' '.join(PROBE)} 0 </dev/null; echo $$"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    printed, shell = worker.stdout.strip().splitlines()
    server = json.loads(printed)["parent"]
    assert _gone(server), "the fork server outlived its worker"
    assert not socket_path(int(shell)).exists()


def test_a_request_the_server_cannot_run_is_refused_and_the_server_serves_the_next():
    """A refused client runs the engine itself (`_run_cold`, the pool's command as it was before)."""
    first = _client("0")
    first.communicate("", timeout=180)  # the server of this process (the worker) is up
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
        raw.connect(str(socket_path(os.getpid())))
        raw.sendall(LENGTH.pack(5) + b"not j")
        assert STATUS.unpack(raw.recv(STATUS.size)) == (REFUSED,)
    again = _client("5")
    again.communicate("", timeout=60)
    assert again.returncode == 5
