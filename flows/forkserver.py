"""The pool's command: each flow run's engine forked from a warm process instead of started cold.

A flow run's process used to spend most of its CPU importing Prefect and wufei's flow modules
(about 1.5 s of a daily scan's 2.5 s), some 900 times a day for a nation. Here the command a
worker runs for each flow run (`<python> -m flows.forkserver`, flows/pool.py) is a small client
(the standard library only). It connects to its worker's fork server: a process, started by the
worker's first run, that imported Prefect's engine and every flow module once; the server forks a
child per run, which takes the client's stdin/stdout/stderr (passed over the socket), environment,
working directory and arguments, rebuilds Prefect's settings and logging from that environment
(Prefect reads them at import) and runs `prefect.engine` as `python -m prefect.engine` would. The
server relays the client's signals to the child (a cancelled run's SIGTERM) and the child's exit
status back; the client exits with it, or dies of the child's signal.

Lifetimes, so that killing a worker and its runs still leaves them Crashed
(tests/flows/test_crashed_runs.py): the server kills a child with SIGKILL as soon as its client's
connection closes (the client was killed), and a child dies with its server (PR_SET_PDEATHSIG).
One server per worker (the client's parent) and interpreter: it stops accepting runs when its worker
exits and ends when its last child has. It forks only while it has a single thread.

If the server cannot be reached or started, the client runs the engine itself (`exec`), as before.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# What the server imports once for all its runs: the engine's and every entrypoint's modules.
WARM_MODULES = (
    "prefect.flow_engine",
    "prefect._internal.metrics",
    "prefect.deployments.steps",
    "flows.cadence",
    "flows.points",
    "flows.notify",
    "flows.fanout",
    # what a period point's bulletin loads when it first draws and writes (wufei.bulletins.charts,
    # .render import them lazily, since a command may never need them)
    "matplotlib.figure",
    "wufei.bulletins.fonts",
    "docx",
    "openpyxl",
)
RELAYED_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)
START_TIMEOUT = 120.0  # seconds for a new server to import everything and listen
PER_RUN_ENV_PREFIX = "PREFECT__"  # the worker's per-run variables (flow run id, control channel): not the server's
ENGINE = "prefect.engine"
SERVER_NAME = "wufei-forksrv"  # its process name (ps, bench/nation.py); a child's is `run-<client pid>`
STATUS = struct.Struct("!i")  # server to client: the run's exit code, or minus its signal, or:
REFUSED = -(2**31)  # not forked: the client runs the engine itself
LENGTH = struct.Struct("!I")
PEER = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid


def socket_path(worker_pid: int) -> Path:
    """Where the fork server of the worker `worker_pid` listens: one per worker and interpreter (not
    per working directory: the process worker makes a temporary one for each run), in a directory
    only this user can use."""
    key = hashlib.sha1(sys.executable.encode()).hexdigest()[:12]
    return _directory() / f"{worker_pid}-{key}.sock"


def _directory() -> Path:
    directory = Path(tempfile.gettempdir()) / f"wufei-forkserver-{os.getuid()}"
    directory.mkdir(mode=0o700, exist_ok=True)
    info = directory.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise PermissionError(f"{directory} is not this user's own")
    return directory


# The client: what the worker starts for each flow run.


def client(argv: list[str]) -> int:
    """Run `python -m prefect.engine *argv` in a child of this worker's fork server (`-m MODULE`
    first in `argv`: that module instead); its exit status."""
    module, argv = (argv[1], argv[2:]) if argv[:1] == ["-m"] else (ENGINE, argv)
    try:
        connection = _connect_or_start(socket_path(os.getppid()))
        _send_request(connection, module, argv)
    except OSError as error:
        _run_cold(module, argv, f"no fork server ({error})")

    def relay(signum: int, _frame: Any) -> None:
        with contextlib.suppress(OSError):
            connection.sendall(STATUS.pack(signum))

    for signum in RELAYED_SIGNALS:
        signal.signal(signum, relay)
    status = _receive_exactly(connection, STATUS.size)
    if status is None:
        print("flows.forkserver: the fork server went away before the run ended", file=sys.stderr)
        return 1
    (code,) = STATUS.unpack(status)
    if code == REFUSED:
        _run_cold(module, argv, "the fork server could not fork this run (its log says why)")
    if code < 0:  # the child died of a signal: so does this process, for the worker to see
        with contextlib.suppress(OSError, ValueError):  # SIGKILL and SIGSTOP have no handler to reset
            signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def _run_cold(module: str, argv: list[str], why: str) -> None:
    """What the pool's command did before: the engine in this process, imported afresh."""
    print(f"flows.forkserver: {why}; running {module} in this process", file=sys.stderr)
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", module, *argv])


def _connect_or_start(path: Path) -> socket.socket:
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one client starts the server; the others wait for it
        with contextlib.suppress(FileNotFoundError, ConnectionRefusedError):
            return _connect(path)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # a dead server's
        log = path.with_suffix(".log")
        server = subprocess.Popen(
            [sys.executable, "-m", "flows.forkserver", "--serve", str(path), str(os.getppid())],
            env={key: value for key, value in os.environ.items() if not key.startswith(PER_RUN_ENV_PREFIX)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log.open("ab"),
            start_new_session=True,
        )
        try:
            launched = server.wait(START_TIMEOUT)  # the launcher: 0 once the server listens
        except subprocess.TimeoutExpired:
            server.kill()
            raise OSError(f"the fork server did not listen within {START_TIMEOUT:.0f} s: {log}") from None
        if launched != 0:
            raise OSError(f"the fork server did not start ({launched}): {log}")
        return _connect(path)


def _connect(path: Path) -> socket.socket:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        raise
    return connection


def _send_request(connection: socket.socket, module: str, argv: list[str]) -> None:
    fds = [fd for fd in (0, 1, 2) if _is_open(fd)]
    request = json.dumps(
        {"module": module, "argv": argv, "env": dict(os.environ), "cwd": os.getcwd(), "fds": fds}
    ).encode()
    ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    connection.sendmsg([LENGTH.pack(len(request))], ancillary)
    connection.sendall(request)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _receive_exactly(connection: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


# The server: one per worker, forking a child per run.


def launch(path: Path, worker_pid: int) -> None:
    """Start the server in a process of its own (no client's child, whose CPU and tree it is not)
    and exit once it listens: 0, or 1 if it died first."""
    ready, ready_writer = os.pipe()
    if os.fork():
        os.close(ready_writer)
        os._exit(0 if os.read(ready, 1) == b"1" else 1)
    os.close(ready)
    os.chdir("/")  # not the first run's working directory, which goes with it; a child takes its run's
    serve(path, worker_pid, ready_writer)


def serve(path: Path, worker_pid: int, ready: int) -> None:
    """Import the engine's and the flows' modules, listen at `path` (then write to `ready`), fork
    a child per client until the worker `worker_pid` exits, and end when the last child has."""
    import ctypes
    import importlib
    import selectors
    import threading
    import traceback

    pr_set_name = 15
    ctypes.CDLL(None).prctl(pr_set_name, SERVER_NAME.encode())
    for name in WARM_MODULES:
        importlib.import_module(name)
    worker = os.pidfd_open(worker_pid)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staging = path.with_suffix(f".{os.getpid()}.new")
    listener.bind(str(staging))
    listener.listen(64)
    os.rename(staging, path)  # clients connect only once it listens
    os.write(ready, b"1")
    os.close(ready)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(worker, selectors.EVENT_READ, "worker")
    children: dict[int, tuple[socket.socket, int]] = {}  # pidfd -> (client connection, child pid)
    listening = True
    while listening or children:
        for key, _ in selector.select():
            if key.data == "accept":
                connection, _ = listener.accept()
                try:
                    if threading.active_count() != 1:
                        raise RuntimeError("more than one thread: a fork would copy another thread's held locks")
                    child = _fork(connection, listener, selector, children)
                except Exception:  # this run's client runs it cold; the server carries on
                    traceback.print_exc()
                    with contextlib.suppress(OSError):
                        connection.sendall(STATUS.pack(REFUSED))
                    connection.close()
                    continue
                child_fd = os.pidfd_open(child)
                children[child_fd] = (connection, child)
                selector.register(child_fd, selectors.EVENT_READ, "child")
                selector.register(connection, selectors.EVENT_READ, ("client", child))
            elif key.data == "child":
                connection, child = children.pop(key.fd)
                selector.unregister(key.fd)
                with contextlib.suppress(KeyError):  # unless its client was gone already
                    selector.unregister(connection)
                _, status = os.waitpid(child, 0)
                with contextlib.suppress(OSError):
                    connection.sendall(STATUS.pack(os.waitstatus_to_exitcode(status)))
                connection.close()
                os.close(key.fd)
            elif key.data == "worker":  # its worker is gone: no more runs; those under way finish
                selector.unregister(worker)
                selector.unregister(listener)
                listener.close()
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                listening = False
            else:
                _, child = key.data
                message = _receive_exactly(key.fileobj, STATUS.size)  # type: ignore[arg-type]
                signum = signal.SIGKILL if message is None else STATUS.unpack(message)[0]
                if message is None:
                    selector.unregister(key.fileobj)  # the client was killed: so is its run
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signum)
    for leftover in (path.with_suffix(".log"), path.with_suffix(".lock")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _fork(connection: socket.socket, listener: socket.socket, selector: Any, children: dict[int, Any]) -> int:
    """Fork a child that runs the request read from `connection`; its pid."""
    received: list[int] = []
    connection.settimeout(30)  # a client sends its request at once
    (length,) = LENGTH.unpack(_receive_with_fds(connection, received))
    request = json.loads(_receive_exactly(connection, length) or b"")
    connection.settimeout(None)
    client, _, _ = PEER.unpack(connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, PEER.size))
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        for fd in received:
            os.close(fd)
        return child
    try:  # the child: never returns
        _become_run(client)
        selector.close()
        listener.close()
        for pidfd, (other, _) in children.items():
            os.close(pidfd)
            other.close()
        for target, fd in zip(request["fds"], received):
            os.dup2(fd, target)
            os.close(fd)
        connection.close()
        code = _run(request["module"], request["argv"], request["env"], request["cwd"])
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _receive_with_fds(connection: socket.socket, fds: list[int]) -> bytes:
    data, ancillary, _, _ = connection.recvmsg(LENGTH.size, socket.CMSG_SPACE(3 * array.array("i").itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds += array.array("i", payload[: len(payload) - len(payload) % 4])
    return data + (_receive_exactly(connection, LENGTH.size - len(data)) or b"")


def _become_run(client: int) -> None:
    """This child dies with its server, and is named `run-<its client's pid>` (ps, bench/nation.py)."""
    import ctypes

    pr_set_name, pr_set_pdeathsig = 15, 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # the server died before prctl took effect
        os._exit(1)
    libc.prctl(pr_set_name, f"run-{client}".encode()[:15])


def _run(module: str, argv: list[str], env: dict[str, str], cwd: str) -> int:
    """`python -m module *argv` in `cwd` with `env`, in this (forked) process: Prefect's settings
    and logging rebuilt from `env`; the exit code, after the exit handlers ran."""
    import atexit
    import runpy
    import threading

    from prefect.context import refresh_global_settings_context
    from prefect.logging.configuration import setup_logging

    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.path[0] = cwd  # as `python -m` puts it
    for signum in RELAYED_SIGNALS:
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    refresh_global_settings_context()
    setup_logging(incremental=False)
    sys.modules.pop(module, None)  # run afresh as __main__, as `-m` does
    sys.argv = ["-m", *argv]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exit:
        code = _exit_code(exit.code)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    threading._shutdown()  # type: ignore[attr-defined]  # what interpreter exit does: wait for threads,
    atexit._run_exitfuncs()  # then the exit handlers (Prefect's log and event workers flush there)
    return code


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        launch(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(client(sys.argv[1:]))
