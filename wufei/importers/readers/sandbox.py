"""LibreOffice's conversions run in a bubblewrap (`bwrap`) sandbox: LibreOffice follows the links of the
document it converts (an .rtf's INCLUDEPICTURE "file:///…", an .odt's or .doc's picture at http://…), so an
uploaded file could copy a file of the server's disk into the converted copy or send a request from the
server. Inside the sandbox there is no network (only a loopback of its own), the system is read-only and
holds only what soffice needs (/usr, the fonts' and LibreOffice's configuration under /etc), /tmp is empty,
and the conversion's work folder is the only place written or seen: not the upload's own folder, the
database, HOME or the environment (its secrets).

Work folders: a server killed mid-conversion (SIGKILL, the machine's OOM killer, a container stopped)
runs no cleanup, and its work folder (the upload's copy, LibreOffice's profile) would stay in /tmp for
good. So every conversion works inside one folder per process, under one root (`wufei-convert-<uid>` in
the temporary folder), which the process holds locked (flock) while it lives: the kernel drops the
lock when the process dies however it dies, and each conversion first removes the folders whose lock
nobody holds.

Without bwrap, or where it cannot make its namespaces (unprivileged user namespaces off, as in some
container defaults), a conversion is refused unless WUFEI_UNSANDBOXED_CONVERSION=1 allows converting
without the sandbox, which is logged as a warning on every conversion.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

UNSANDBOXED_SETTING = "WUFEI_UNSANDBOXED_CONVERSION"

# Only what LibreOffice needs, found by trying: Debian links LibreOffice's registry to /etc/libreoffice;
# the fontconfig cache saves scanning the fonts again in every conversion.
READ_ONLY = ("/usr", "/etc/fonts", "/etc/libreoffice", "/etc/ld.so.cache", "/var/cache/fontconfig")
MERGED_USR = ("bin", "sbin", "lib", "lib64", "lib32")
LOCALE = ("LANG", "LC_ALL", "LC_CTYPE")


_own: tuple[int, Path, int] | None = None  # this process's (pid, folder, lock's descriptor)
_own_lock = threading.Lock()


def work_root() -> Path:
    """The folder every process's work folder is in (private to this user)."""
    return Path(tempfile.gettempdir()) / f"wufei-convert-{os.getuid()}"


def work_folder() -> Path:
    """This process's folder for its conversions, made (and locked) at its first conversion; the folders
    of processes that died are removed first, on every call."""
    global _own
    root = work_root()
    root.mkdir(mode=0o700, exist_ok=True)
    with _own_lock, _sweeping(root):
        _sweep(root)
        # a forked child makes its own; so does a process whose temporary folder changed (tests)
        if _own is None or _own[0] != os.getpid() or _own[1].parent != root or not _own[1].is_dir():
            folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
            lock = os.open(f"{folder}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _own = (os.getpid(), folder, lock)
        return _own[1]


@contextmanager
def _sweeping(root: Path):
    """One process at a time makes its folder or removes others': a folder is never seen between its
    making and its lock."""
    guard = os.open(root / ".sweep", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX)
        yield
    finally:
        os.close(guard)  # releases the lock


def _sweep(root: Path) -> None:
    """Remove the folders (and their locks) whose process is gone: their lock is free."""
    for lock_path in root.glob("*.lock"):
        try:
            lock = os.open(lock_path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live process's (this one's too: flock locks a descriptor, not a process)
        else:
            shutil.rmtree(lock_path.with_suffix(""), ignore_errors=True)
            lock_path.unlink(missing_ok=True)
        finally:
            os.close(lock)


def bwrap() -> str | None:
    return shutil.which("bwrap")


def unsandboxed_allowed() -> bool:
    return os.environ.get(UNSANDBOXED_SETTING) == "1"


def sandboxed(bwrap: str, command: list[str], work: Path) -> list[str]:
    """`command` (its program an absolute path) run by `bwrap` with no network, the system read-only and
    `work` the only folder writable and seen; killed with its caller."""
    # --as-pid-1: bwrap waits for the program itself, so no init of bwrap's is left for the caller's parent
    # to reap (a zombie under a container's PID 1 that reaps nothing) and its CPU time counts as the caller's.
    arguments = [bwrap, "--unshare-all", "--as-pid-1", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    for folder in (*READ_ONLY, *program_folder(Path(command[0]))):
        if os.path.exists(folder):
            arguments += ["--ro-bind", folder, folder]
    for name in MERGED_USR:
        top = Path("/") / name
        if top.is_symlink():  # /bin -> usr/bin on a merged /usr: the same links inside
            arguments += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            arguments += ["--ro-bind", str(top), str(top)]
    arguments += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", str(work), str(work)]
    # Run as root (CI, most containers), the sandbox's uid 0 is the machine's, and procfs lets it write
    # the kernel's settings with every capability dropped (kernel/core_pattern: a program the kernel
    # would run as root outside); bwrap leaves /proc/sys writable when its folder is not.
    arguments += ["--ro-bind", "/proc/sys", "/proc/sys", "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger"]
    arguments += ["--chdir", str(work), "--clearenv", "--setenv", "HOME", str(work), "--setenv", "TMPDIR", "/tmp"]
    arguments += ["--setenv", "PATH", "/usr/bin:/bin"]
    for name in LOCALE:
        if name in os.environ:
            arguments += ["--setenv", name, os.environ[name]]
    return [*arguments, "--", *command]


def program_folder(program: Path) -> tuple[str, ...]:
    """LibreOffice's own folder when it is installed outside /usr (LibreOffice's own packages: /opt/…)."""
    real = program.resolve()
    if real.is_relative_to("/usr"):
        return ()
    return (str(real.parent.parent),)


def failed_to_start(returncode: int, stderr: bytes) -> bool:
    """bwrap itself failed (its errors begin `bwrap: `), not the program it runs."""
    return returncode != 0 and stderr.lstrip().startswith(b"bwrap:")


def no_namespaces(stderr: bytes) -> bool:
    """bwrap's failure is the kernel refusing it namespaces (the advice to allow them fits), not
    another (Docker's `Can't mount proc on /newroot/proc`: the advice would mislead)."""
    # bwrap's words: "setting up uid map: Permission denied", "No permissions to creating new namespace",
    # "Creating new namespace failed: No space left on device" (user.max_user_namespaces=0)
    return b"uid map" in stderr or b"new namespace" in stderr
