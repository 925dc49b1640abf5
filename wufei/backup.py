"""A copy of the database the office can keep (`wufei db backup`) and put back (`wufei db restore`).

SQLite: the library's online backup (`sqlite3.Connection.backup`), a consistent copy while the
portal, the flows and delivery go on writing (a copy of the file itself could catch a write half
done, and leaves the WAL behind). PostgreSQL: `pg_dump` in its custom format, one consistent
snapshot, restored with `pg_restore`. A backup is written beside the target under a temporary
name, checked (SQLite's `integrity_check`; `pg_restore --list` reads the archive whole), and only
then given the target's name: a failed backup leaves no file that looks like one, and an existing
file is never overwritten.

A restore goes through the database too, never by replacing the file: a WAL left beside an SQLite
file by a process that died would be replayed onto a file put in its place, bringing back the
newer data over the backup. It first backs the current database up beside the backup it restores,
so a restore can itself be undone.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

PG_TIMEOUT_SECONDS = 3600
# What `backup_into_folder` names its files: the time sorts them, and only these are ever pruned.
DATED_BACKUP = re.compile(r"^wufei-\d{8}-\d{6}\.(?:db|dump)$")


class BackupError(RuntimeError):
    """A backup or restore that could not be made, in Chinese (nothing was changed)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    kind: str  # "sqlite" or "postgresql"
    tables: int  # tables copied with their rows
    plans: int | None = None  # SQLite: read back from the copy
    tasks: int | None = None


@dataclass(frozen=True)
class Restored:
    source: Path
    before: Backup  # the database as it was, backed up first


def backup_database(engine: Engine, target: Path) -> Backup:
    """The database behind `engine` copied to `target` (a new file)."""
    target = target.expanduser().resolve()
    if target.exists():
        raise BackupError(_exists(target))
    if not target.parent.is_dir():
        raise BackupError(f"文件夹 {target.parent} 不存在")
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return _sqlite_backup(_sqlite_path(engine), target)
    if dialect == "postgresql":
        return _pg_backup(engine, target)
    raise BackupError(f"不支持备份 {dialect} 数据库")


def backup_into_folder(
    engine: Engine, folder: Path, now: datetime, keep: int | None = None
) -> tuple[Backup, list[Path]]:
    """A new backup in `folder` named by `now` (wufei-20240603-023000.db, .dump on PostgreSQL), as a
    scheduled backup makes them; with `keep`, then the oldest of those dated backups beyond the newest
    `keep` are removed. Other files in the folder are never touched, and nothing is removed when the
    backup failed."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        raise BackupError(f"文件夹 {folder} 不存在")
    suffix = "db" if engine.dialect.name == "sqlite" else "dump"
    made = backup_database(engine, folder / f"wufei-{now:%Y%m%d-%H%M%S}.{suffix}")
    if keep is None:
        return made, []
    dated = sorted(path for path in folder.iterdir() if DATED_BACKUP.match(path.name) and path.is_file())
    removed = dated[: max(len(dated) - keep, 0)]
    for path in removed:
        path.unlink()
    return made, removed


def restore_database(engine: Engine, source: Path) -> Restored:
    """The database behind `engine` made what the backup `source` holds, after backing it up beside
    `source` (wufei-before-restore-<time>.<suffix>). Nothing else may write meanwhile."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise BackupError(f"备份文件 {source} 不存在")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    before = source.with_name(f"wufei-before-restore-{stamp}{source.suffix or '.backup'}")
    number = 1
    while before.exists():  # a second restore within the same second
        number += 1
        before = source.with_name(f"wufei-before-restore-{stamp}-{number}{source.suffix or '.backup'}")
    dialect = engine.dialect.name
    if dialect == "sqlite":
        database = _sqlite_path(engine)
        _check_sqlite(source)
        kept = _sqlite_backup(database, before)
        _sqlite_copy(source, database, read_only=True)
        return Restored(source, kept)
    if dialect == "postgresql":
        restore, environment, libpq = _pg_tools(engine, "pg_restore")
        listed = _run([restore, "--list", str(source)], environment)
        if listed.returncode != 0:
            raise BackupError(f"{source} 不是可读的 PostgreSQL 备份：{_last_line(listed.stderr)}")
        kept = _pg_backup(engine, before)
        command = [restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", f"--dbname={libpq}"]
        restored = _run([*command, str(source)], environment)
        if restored.returncode != 0:  # one transaction: the database is as it was
            raise BackupError(f"pg_restore 未能完成，数据库未改变：{_last_line(restored.stderr)}")
        return Restored(source, kept)
    raise BackupError(f"不支持恢复 {dialect} 数据库")


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("内存数据库无法备份或恢复")
    path = Path(database)
    if not path.exists():
        raise BackupError(f"数据库文件 {path} 不存在")
    return path


def _sqlite_backup(database: Path, target: Path) -> Backup:
    with _partial(target) as partial:
        _sqlite_copy(database, partial, read_only=True)
        copy = sqlite3.connect(partial)
        try:
            names = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            plans = copy.execute("SELECT count(*) FROM plans").fetchone()[0] if "plans" in names else None
            tasks = copy.execute("SELECT count(*) FROM tasks").fetchone()[0] if "tasks" in names else None
        finally:
            copy.close()
        _publish(partial, target)
    return Backup(target, target.stat().st_size, "sqlite", len(names), plans, tasks)


def _sqlite_copy(source: Path, target: Path, *, read_only: bool = False) -> None:
    """`source`'s pages into `target` through SQLite (its WAL and locks respected), checked."""
    uri = f"{source.resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    origin = sqlite3.connect(uri, uri=True, timeout=30)
    copy = sqlite3.connect(target, timeout=30)
    try:
        origin.backup(copy)
        [verdict] = copy.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"{target} 完整性检查未通过：{verdict}")
    finally:
        copy.close()
        origin.close()


def _check_sqlite(source: Path) -> None:
    try:
        copy = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            [verdict] = copy.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            copy.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} 不是 SQLite 数据库：{exc}") from exc
    if verdict != "ok":
        raise BackupError(f"{source} 完整性检查未通过：{verdict}")
    if "alembic_version" not in tables:
        raise BackupError(f"{source} 不是 wufei 的数据库备份（没有 alembic_version 表）")


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_tools(engine: Engine, tool: str) -> tuple[str, dict[str, str], str]:
    """The tool's path, an environment with the password, the URL libpq reads (without it)."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"备份和恢复 PostgreSQL 数据库需要 {tool}（Debian：apt install postgresql-client）")
    url = make_url(engine.url.render_as_string(hide_password=False))
    environment = dict(os.environ)
    if url.password:  # never on the command line, where other users of the machine could read it
        environment["PGPASSWORD"] = str(url.password)
    return program, environment, url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _pg_backup(engine: Engine, target: Path) -> Backup:
    dump, environment, libpq = _pg_tools(engine, "pg_dump")
    restore, _, _ = _pg_tools(engine, "pg_restore")
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
            command, capture_output=True, text=True, env=environment, timeout=PG_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{Path(command[0]).name} 超过 {PG_TIMEOUT_SECONDS} 秒未完成") from exc


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "（无输出）"


# --- files --------------------------------------------------------------------------------------


def _exists(target: Path) -> str:
    return f"{target} 已存在，为免覆盖已有备份，请换一个文件名"


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
    """A hard link, not a rename: it fails rather than replace a file made at the target meanwhile.
    Where the file system has no hard links (FAT and exFAT drives, some network shares), a copy
    into a file created only if absent (O_EXCL) does the same."""
    try:
        os.link(partial, target)
        return
    except FileExistsError as exc:
        raise BackupError(_exists(target)) from exc
    except OSError:
        pass
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError as exc:
        raise BackupError(_exists(target)) from exc
    except OSError as exc:
        raise BackupError(f"无法在 {target.parent} 写入备份：{exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as written, partial.open("rb") as copy:
            shutil.copyfileobj(copy, written)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"写入 {target} 未完成：{exc.strerror}") from exc
