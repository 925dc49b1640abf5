"""`wufei db backup` and `wufei db restore` on the backend the run tests (SQLite's online backup,
PostgreSQL's pg_dump and pg_restore): a backup made while another connection writes holds what was
committed and nothing uncommitted; a restore brings the backup's rows back, even over a WAL a live
connection still holds, after keeping the current database beside the backup; an existing file is
never overwritten, a failed backup leaves nothing at the target, a file system without hard links
still gets its backup."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text, update

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei import backup as backups
from wufei.backup import BackupError, backup_database
from wufei.cli import main
from wufei.db import make_engine
from wufei.plans.models import Plan
from wufei.tasks.models import Task


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        plans = connection.scalar(select(func.count()).select_from(Plan))
        return plans, connection.scalar(select(func.count()).select_from(Task))


def _marked(engine, mark: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(Task.title.like(f"%{mark}")))


def _mark_all(engine, mark: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(Task).values(title=Task.title + mark))


@pytest.fixture
def imported(tmp_path):
    url = fresh_database_url(tmp_path)
    runner = CliRunner()
    env = {"WUFEI_DATABASE_URL": url}
    assert runner.invoke(main, ["import", str(HENGSHUI_PLAN)], env=env, catch_exceptions=False).exit_code == 0
    engine = make_engine(url)
    yield url, engine, lambda *args: runner.invoke(main, list(args), env=env)
    engine.dispose()


def test_a_backup_holds_what_was_committed_and_restores_it_keeping_the_database_it_replaces(imported, tmp_path):
    url, engine, wufei = imported
    before = _counts(engine)
    assert before[1] > 100
    _mark_all(engine, "（已提交）")  # committed: the backup must hold it
    if url.startswith("sqlite"):  # and on SQLite still in the WAL only, as a busy portal leaves it
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        raw.execute("PRAGMA wal_autocheckpoint=0")
        raw.execute("UPDATE tasks SET title = title || '（WAL）'")
        raw.commit()

    backup = tmp_path / "备份" / "wufei-20240603.backup"
    backup.parent.mkdir()
    with engine.connect() as writer:  # a write in progress, not committed: the copy must not hold it
        writer.execute(text("UPDATE tasks SET title = title || '（未提交）'"))
        made = wufei("db", "backup", str(backup))
        writer.rollback()
    assert made.exit_code == 0, made.output
    assert (
        made.output.startswith(f"已备份到 {backup.resolve()}（")
        and f"wufei db restore {backup.resolve()}" in made.output
    )
    if url.startswith("sqlite"):
        assert f"方案 {before[0]} 个、任务 {before[1]} 项，完整性检查通过" in made.output

    _mark_all(engine, "（备份后）")  # the work a restore undoes
    refused = wufei("db", "restore", str(backup))  # no --yes and nobody to answer: nothing happens
    assert refused.exit_code != 0 and _marked(engine, "（备份后）") == before[1]

    restored = wufei("db", "restore", "--yes", str(backup))
    assert restored.exit_code == 0, restored.output
    assert _counts(engine) == before and _marked(engine, "（备份后）") == 0 and _marked(engine, "（未提交）") == 0
    assert _marked(engine, "（WAL）" if url.startswith("sqlite") else "（已提交）") == before[1]
    [kept] = [p for p in backup.parent.iterdir() if p.name.startswith("wufei-before-restore-")]
    assert f"恢复前的数据库另存为 {kept}" in restored.output
    undo = wufei("db", "restore", "--yes", str(kept))  # the restore itself can be undone
    assert undo.exit_code == 0 and _marked(engine, "（备份后）") == before[1]
    if url.startswith("sqlite"):
        raw.close()


def test_an_existing_backup_is_never_overwritten_and_a_failed_one_leaves_nothing(imported, tmp_path):
    url, engine, wufei = imported
    backup = tmp_path / "wufei.backup"
    assert wufei("db", "backup", str(backup)).exit_code == 0
    first = backup.read_bytes()
    again = wufei("db", "backup", str(backup))
    assert again.exit_code != 0 and "已存在，为免覆盖已有备份" in again.output
    assert backup.read_bytes() == first
    with pytest.raises(BackupError, match="不存在"):
        backup_database(engine, tmp_path / "没有的文件夹" / "wufei.backup")
    if not url.startswith("sqlite"):  # pg_dump fails: a database that is not there
        missing = make_engine(url.rsplit("/", 1)[0] + "/wufei_no_such_database")
        with pytest.raises(BackupError, match="pg_dump 未能完成"):
            backup_database(missing, tmp_path / "missing.backup")
        assert not (tmp_path / "missing.backup").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    not_a_backup = tmp_path / "说明.txt"
    not_a_backup.write_text("这不是备份", encoding="utf-8")
    wrong = wufei("db", "restore", "--yes", str(not_a_backup))
    assert wrong.exit_code != 0 and "恢复失败" in wrong.output


def test_a_file_system_without_hard_links_still_gets_the_backup_never_over_a_file(imported, tmp_path, monkeypatch):
    """FAT and exFAT drives and some network shares refuse a hard link (EPERM): the copy goes into a
    file created only if absent."""
    _url, engine, _wufei = imported

    def no_links(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(backups.os, "link", no_links)
    target = tmp_path / "U盘" / "wufei.backup"
    target.parent.mkdir()
    made = backup_database(engine, target)
    assert made.path == target.resolve() and target.stat().st_size == made.size > 0
    assert not [p.name for p in target.parent.iterdir() if p.name.endswith(".partial")]
    with pytest.raises(BackupError, match="已存在"):
        backups._publish(target, target)  # the O_EXCL creation refuses an existing file too
    assert os.path.getsize(target) == made.size


def test_a_scheduled_backup_into_a_folder_is_named_by_its_time_and_keeps_only_the_newest(imported, tmp_path):
    """`wufei db backup FOLDER --keep N`, as the deploy/ timer runs it each night: a dated file in the
    folder, the oldest dated backups beyond N removed, the office's other files there never touched."""
    _url, engine, wufei = imported
    folder = tmp_path / "备份"
    folder.mkdir()
    suffix = "db" if engine.dialect.name == "sqlite" else "dump"
    older = [folder / f"wufei-2024060{day}-023000.{suffix}" for day in (1, 2, 3)]
    for path in older:
        path.write_bytes(b"an older night's backup")
    kept_by_hand = folder / "wufei-升级前.db"
    kept_by_hand.write_bytes(b"the office's own copy")
    other = folder / "说明.txt"
    other.write_text("备份说明", encoding="utf-8")

    result = wufei("db", "backup", str(folder), "--keep", "2")
    assert result.exit_code == 0, result.output
    dated = sorted(p.name for p in folder.iterdir() if backups.DATED_BACKUP.match(p.name))
    assert len(dated) == 2 and dated[0] == older[2].name  # the newest older one and tonight's
    tonight = folder / dated[1]
    assert dated[1] > older[2].name and tonight.stat().st_size > 1000
    assert kept_by_hand.exists() and other.exists()
    assert "删除了较早的备份 2 个" in result.output and older[0].name in result.output
    # Tonight's file is a real backup: it restores.
    assert wufei("db", "restore", str(tonight), "--yes").exit_code == 0


def test_a_failed_scheduled_backup_removes_nothing_and_keep_needs_a_folder(imported, tmp_path):
    _url, engine, wufei = imported
    folder = tmp_path / "备份"
    folder.mkdir()
    old = folder / "wufei-20240601-023000.db"
    old.write_bytes(b"the only backup")
    now = datetime(2024, 6, 3, 2, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    made, removed = backups.backup_into_folder(engine, folder, now)  # no --keep: nothing removed
    assert made.path.name.startswith("wufei-20240603-023000.") and removed == [] and old.exists()
    with pytest.raises(BackupError, match="已存在"):  # the same second again: refused before any pruning
        backups.backup_into_folder(engine, folder, now, keep=1)
    assert old.exists() and made.path.exists()
    result = wufei("db", "backup", str(tmp_path / "wufei.backup"), "--keep", "3")
    assert result.exit_code != 0 and "--keep 只用于备份到文件夹" in result.output
    assert not (tmp_path / "wufei.backup").exists()
