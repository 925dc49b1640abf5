"""Whole commands as a person runs them: `wufei --help`, and `wufei import` of the five seed
documents (a new process each time: interpreter start, imports, the database check, the work).

- `wufei --help`: median of 7 runs. The floor: under 0.3 s.
- `wufei import examples/seeds/*.txt`: into a database already at the newest schema (a copy of
  one migrated beforehand, fresh for each run: nothing to migrate), median of 5. The floor:
  under 1 s. Also into a new empty database (the command creates the schema first), median of 3.
- the package is byte-compiled first, as pip does for an installed package.
- reference: `python -c pass` (the interpreter alone) and `python -c "import sqlalchemy"`.

Each line says whether the floor was met on this run (a loaded machine makes every figure
larger; read them with the reference), and the commands' CPU time (user + system), which a
shared machine inflates far less than the wall time.
"""

from __future__ import annotations

import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WUFEI = Path(sys.executable).parent / "wufei"
SEEDS = sorted(str(p) for p in (ROOT / "examples" / "seeds").glob("*.txt"))
HELP_FLOOR, IMPORT_FLOOR = 0.3, 1.0


CPU: list[float] = []  # the CPU time (user + system) of each command `timed` ran, in order


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, capture_output=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def median(command: list[str], runs: int, env: dict[str, str] | None = None, before=None) -> float:
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        samples.append(timed(command, env))
    return statistics.median(samples)


def median_cpu(runs: int) -> float:
    """The median CPU time of the last `runs` commands."""
    return statistics.median(CPU[-runs:])


def verdict(value: float, floor: float) -> str:
    return f"floor {floor:g} s: {'met' if value < floor else 'NOT met'}"


def main() -> None:
    # The package's bytecode as an installed package has it (pip compiles on install; an editable
    # install under PYTHONDONTWRITEBYTECODE never writes it, and each command would compile ~500 modules).
    compileall.compile_dir(ROOT / "wufei", quiet=1)
    python = [sys.executable, "-c"]
    bare = median([*python, "pass"], 7)
    alchemy = median([*python, "import sqlalchemy"], 5)
    help_time = median([str(WUFEI), "--help"], 7)
    help_cpu = median_cpu(7)
    print(
        f"wufei --help: {help_time:.3f} s median of 7 ({verdict(help_time, HELP_FLOOR)}; CPU {help_cpu:.3f} s); "
        f"reference: python alone {bare:.3f} s, python importing SQLAlchemy {alchemy:.3f} s",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        base, database = Path(folder) / "base.db", Path(folder) / "wufei.db"
        env = {**os.environ, "WUFEI_DATABASE_URL": f"sqlite:///{database}"}
        timed([str(WUFEI), "db", "upgrade"], env)
        shutil.move(database, base)

        def fresh_copy() -> None:
            for leftover in Path(folder).glob("wufei.db*"):
                leftover.unlink()
            shutil.copy(base, database)

        def empty() -> None:
            for leftover in Path(folder).glob("wufei.db*"):
                leftover.unlink()

        at_head = median([str(WUFEI), "import", *SEEDS], 5, env, before=fresh_copy)
        at_head_cpu = median_cpu(5)
        created = median([str(WUFEI), "import", *SEEDS], 3, env, before=empty)
    print(
        f"wufei import of the five seeds (SQLite): {at_head:.3f} s median of 5 into a database at the newest schema "
        f"({verdict(at_head, IMPORT_FLOOR)}; CPU {at_head_cpu:.3f} s); "
        f"{created:.3f} s median of 3 into a new database (the schema created "
        f"first)",
        flush=True,
    )


if __name__ == "__main__":
    main()
