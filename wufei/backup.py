"""A copy of the database the office can keep and restore (`wufei db backup`).

SQLite: the library's online backup (`sqlite3.Connection.backup`), a consistent copy while the
portal, the flows and delivery go on writing (a copy of the file itself could catch a write half
done, and leaves the WAL behind). PostgreSQL: `pg_dump` in its custom format, one consistent
snapshot, restored with `pg_restore`. Either way the copy is written beside the target under a
temporary name, checked (SQLite's `integrity_check`; `pg_restore --list` reads the archive whole),
and only then given the target's name (a hard link): a failed backup leaves no file that looks like one, and an
existing file is never overwritten.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

PG_DUMP_TIMEOUT_SECONDS = 3600


class BackupError(RuntimeError):
    """A backup that could not be made, in Chinese (nothing is left at the target)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    kind: str  # "sqlite" or "postgresql"
    tables: int  # tables copied with their rows
    plans: int | None = None  # SQLite: read back from the copy
    tasks: int | None = None


def backup_database(engine: Engine, target: Path) -> Backup:
    """The database behind `engine` copied to `target` (a new file)."""
    target = target.expanduser().resolve()
    if target.exists():
        raise BackupError(f"{target} 已存在，为免覆盖已有备份，请换一个文件名")
    if not target.parent.is_dir():
        raise BackupError(f"文件夹 {target.parent} 不存在")
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return _sqlite(engine, target)
    if dialect == "postgresql":
        return _postgresql(engine, target)
    raise BackupError(f"不支持备份 {dialect} 数据库")


def _sqlite(engine: Engine, target: Path) -> Backup:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("内存数据库无法备份")
    source_path = Path(database)
    if not source_path.exists():
        raise BackupError(f"数据库文件 {source_path} 不存在")
    with _partial(target) as partial:
        source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            [verdict] = copy.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"备份副本完整性检查未通过：{verdict}")
            names = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            plans = copy.execute("SELECT count(*) FROM plans").fetchone()[0] if "plans" in names else None
            tasks = copy.execute("SELECT count(*) FROM tasks").fetchone()[0] if "tasks" in names else None
        finally:
            copy.close()
            source.close()
        _publish(partial, target)
    return Backup(target, target.stat().st_size, "sqlite", len(names), plans, tasks)


def _postgresql(engine: Engine, target: Path) -> Backup:
    dump, restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if dump is None or restore is None:
        raise BackupError("备份 PostgreSQL 数据库需要 pg_dump 和 pg_restore（Debian：apt install postgresql-client）")
    url = make_url(engine.url.render_as_string(hide_password=False))
    environment = dict(os.environ)
    if url.password:  # never on the command line, where other users of the machine could read it
        environment["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    with _partial(target) as partial:
        dumped = _run([dump, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={libpq}"], environment)
        if dumped.returncode != 0:
            raise BackupError(f"pg_dump 未能完成：{_last_line(dumped.stderr)}")
        listed = _run([restore, "--list", str(partial)], environment)
        if listed.returncode != 0:
            raise BackupError(f"备份文件无法读取：{_last_line(listed.stderr)}")
        tables = sum(1 for line in listed.stdout.splitlines() if " TABLE DATA " in line)
        _publish(partial, target)
    return Backup(target, target.stat().st_size, "postgresql", tables)


def _run(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command, capture_output=True, text=True, env=environment, timeout=PG_DUMP_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{Path(command[0]).name} 超过 {PG_DUMP_TIMEOUT_SECONDS} 秒未完成") from exc


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "（无输出）"


@contextmanager
def _partial(target: Path) -> Iterator[Path]:
    """A temporary file beside `target` (the same file system), removed at the end: `_publish`
    gives it the target's name first when the copy is good."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _publish(partial: Path, target: Path) -> None:
    """A hard link, not a rename: it fails rather than replace a file made at the target meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError as exc:
        raise BackupError(f"{target} 已存在，为免覆盖已有备份，请换一个文件名") from exc
