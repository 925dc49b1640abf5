"""Run Alembic migrations from code (CLI `wufei db upgrade`, tests, the demo), and tell whether a
database is behind without loading Alembic (every command asks; few need to migrate)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ROOT / "migrations" / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::\s*[^=]+)?=\s*['\"]?([\w]+)['\"]?", re.M)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if engine is not None:
        # the option is read through configparser's interpolation: a password's %40 would be an error
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with migrating(engine) as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with migrating(engine) as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


class ForeignKeyViolation(RuntimeError):
    """A migration left rows whose parent is gone (SQLite, checked after the run)."""


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for a migration run (committed at the end, rolled back on error).

    SQLite: with foreign keys off for the run. Alembic's batch mode changes a table by copying it
    and dropping the old one; with foreign keys on, the drop runs every ON DELETE CASCADE of its
    children (a rebuild of `tasks` emptied `task_departments`). The pragma is a no-op inside a
    transaction, so it is set before the run begins and set back before the connection returns to
    the pool; `PRAGMA foreign_key_check` after the run refuses a migration that orphaned rows."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if orphans:
                        tables = sorted({f"{row[0]}→{row[2]}" for row in orphans})
                        raise ForeignKeyViolation(
                            f"迁移后有 {len(orphans)} 行引用了不存在的记录（{'、'.join(tables)}），已回滚"
                        )
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


@cache
def head_revision() -> str:
    """The newest revision of migrations/versions, read from the files' `revision` and
    `down_revision` lines (the one no other revision builds on); a test checks it is Alembic's."""
    revisions, parents = set(), set()
    for path in VERSIONS.glob("*.py"):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        revisions.add(found["revision"])
        if found.get("down_revision") not in (None, "None"):
            parents.add(found["down_revision"])
    [head] = revisions - parents
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database without Alembic's table (new)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
