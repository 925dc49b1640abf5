"""A migrated Prefect database of its own for each Prefect server a test starts on SQLite.

`prefect server start` on an empty SQLite database spends about 9 s of CPU before it answers,
over half of it migrating the schema and registering Prefect's block types; on a copy of a
database where that was done, about 3.5 s. The template is made once, by Prefect's own code, under
a file lock in a folder keyed by the Prefect version (the one thing its content depends on), so
both passes of `make test`, all their workers and later runs share it. Every server still gets
its own file: tests never share Prefect state.

Run as a module, it makes the database PREFECT_SERVER_DATABASE_CONNECTION_URL names (in a process
of its own: Prefect's server modules keep their database engines in module state)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(tempfile.gettempdir()) / f"wufei-prefect-{version('prefect')}" / "prefect.db"

# For a server started on a copy: its block types are in the copy already. (Its migrations still
# run, finding nothing to do: a server checks its own schema.)
ON_A_COPY = {"PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false"}


def _template() -> Path:
    TEMPLATE.parent.mkdir(exist_ok=True)
    with (TEMPLATE.parent / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or its process dies
        if not TEMPLATE.exists():
            partial = TEMPLATE.with_name(f"partial-{os.getpid()}.db")  # a killed maker leaves no template
            partial.unlink(missing_ok=True)
            environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
                "PREFECT_HOME": str(TEMPLATE.parent / "prefect-home"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{partial}",
            }
            made = subprocess.run(
                [sys.executable, "-m", "tests.flows.prefect_database"],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert made.returncode == 0, made.stdout + made.stderr
            partial.rename(TEMPLATE)
    return TEMPLATE


def copy_prefect_database(path: Path) -> str:
    """A copy of the template at `path` (sqlite3's backup); its URL for PREFECT_SERVER_DATABASE_CONNECTION_URL."""
    source = sqlite3.connect(_template())
    target = sqlite3.connect(path)
    with source, target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite+aiosqlite:///{path}"


async def _make() -> None:
    """What a server's first start writes: the migrated schema and the block types."""
    from prefect.server.database import provide_database_interface
    from prefect.server.models.block_registration import run_block_auto_registration

    database = provide_database_interface()
    await database.create_db()
    async with await database.session() as session:
        await run_block_auto_registration(session=session)
        await session.commit()


if __name__ == "__main__":
    import asyncio

    asyncio.run(_make())
