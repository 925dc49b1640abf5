"""`wufei db backup`: a copy the office can restore, on the backend the run tests (SQLite's online
backup, PostgreSQL's pg_dump restored by pg_restore into a new database), made while another
connection holds a write open; an existing file is never overwritten and a failed backup leaves
nothing at the target."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei.backup import BackupError, backup_database
from wufei.cli import main
from wufei.db import make_engine
from wufei.plans.models import Plan
from wufei.tasks.models import Task


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Plan)), connection.scalar(
            select(func.count()).select_from(Task)
        )


def _restored(url: str, backup, tmp_path) -> str:
    """A new database holding the backup, restored as the CLI's summary tells the office to."""
    if url.startswith("sqlite"):  # the file put where the database was (here a new place)
        restored = tmp_path / f"restored-{len(list(tmp_path.glob('restored-*')))}.db"
        shutil.copyfile(backup, restored)
        return f"sqlite:///{restored}"
    fresh = fresh_database_url(tmp_path)
    target = fresh.replace("postgresql+psycopg://", "postgresql://", 1)
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", target, str(backup)], check=True)
    return fresh


def test_a_backup_restores_to_the_same_plans_and_tasks_while_a_write_is_open(tmp_path):
    url = fresh_database_url(tmp_path)
    env = {"WUFEI_DATABASE_URL": url}
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(HENGSHUI_PLAN)], env=env, catch_exceptions=False).exit_code == 0
    engine = make_engine(url)
    before = _counts(engine)
    assert before[1] > 100

    backup = tmp_path / "备份" / "wufei-20240603.backup"
    backup.parent.mkdir()
    with engine.connect() as writer:  # a write in progress, not committed: the copy must not hold it
        writer.execute(text("UPDATE tasks SET title = title || '（未提交）'"))
        result = runner.invoke(main, ["db", "backup", str(backup)], env=env, catch_exceptions=False)
        writer.rollback()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已备份到 {backup.resolve()}（") and "恢复：" in result.output
    if url.startswith("sqlite"):
        assert f"方案 {before[0]} 个、任务 {before[1]} 项，完整性检查通过" in result.output

    restored = make_engine(_restored(url, backup, tmp_path))
    assert _counts(restored) == before
    with restored.connect() as connection:
        assert connection.scalar(select(func.count()).where(Task.title.like("%（未提交）"))) == 0
    restored.dispose()

    again = runner.invoke(main, ["db", "backup", str(backup)], env=env)
    assert again.exit_code != 0 and "已存在，为免覆盖已有备份" in again.output
    assert _counts(make_engine(_restored(url, backup, tmp_path))) == before  # the first copy untouched
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no temporary file left
    engine.dispose()


def test_a_failed_backup_leaves_nothing_at_the_target(tmp_path, monkeypatch):
    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    target = tmp_path / "wufei.backup"
    with pytest.raises(BackupError, match="不存在"):
        backup_database(engine, tmp_path / "没有的文件夹" / "wufei.backup")
    if url.startswith("sqlite"):  # nothing was ever written: the database file is missing
        with pytest.raises(BackupError, match="数据库文件 .* 不存在"):
            backup_database(engine, target)
    else:  # pg_dump fails: a database that is not there
        missing = make_engine(url.rsplit("/", 1)[0] + "/wufei_no_such_database")
        with pytest.raises(BackupError, match="pg_dump 未能完成"):
            backup_database(missing, target)
    assert not [p.name for p in tmp_path.iterdir() if "wufei.backup" in p.name]  # not the target, no partial file
    engine.dispose()
