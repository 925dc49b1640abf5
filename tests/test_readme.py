"""Every command in README.md, run as written, in order, in a fresh folder: the README cannot drift.

Each line of each ```sh block is one command (a trailing `# …` is its comment). The commands run
one after another in one folder with a fresh database (the README's SQLite file; a fresh
PostgreSQL database in make test's PostgreSQL pass), as a reader following the README would:
`wufei import examples/seeds/*.txt` loads the seeds the later examples use, `wufei template
weekly-report 周报.xlsx` writes the form `wufei report import 周报.xlsx` reads back, and so on.
`export NAME=value` lines set the variable for the lines after them. A command passes when it
exits 0 without a traceback. `wufei` commands run in this process through click's runner, after
the shell's word splitting and glob expansion (an interpreter start-up per line would cost more
than the commands); every other line (prefect, or one that sets variables) runs in bash.

A comment may end with a note for this test (say why in the README prose if it is not obvious):
- `(test: --help)`: the command starts a server or needs one (`prefect server start`, `prefect
  worker start`, `wufei serve`, `wufei web`, `wufei work-pool`, `prefect deploy`): it is
  run with `--help` appended, and every option the line names must appear in that help (a test
  of its own, run once: no database is reached).
- `(test: not run)`: `make demo` and `make test`, which .ci/run runs itself on a clean clone.

Files a command reads that no earlier command writes are made here (`FILES`). Adding an example to
the README adds it to this test; an example needing a file gets it in `FILES`.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import fresh_database_url
from wufei.cli import main as wufei

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
NOTE = re.compile(r"\(test: (--help|not run)\)\s*$")
PASSWORD = "readme-example-42\n"


@dataclass(frozen=True)
class Example:
    line: int  # in README.md
    command: str
    note: str | None  # "--help", "not run" or None

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.command}"


def readme_examples(text: str) -> list[Example]:
    examples = []
    for block in BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start(1)) + 1
        for offset, raw in enumerate(block.group(1).splitlines()):
            command, comment = _split_comment(raw)
            if not command:
                continue
            match = NOTE.search(comment)
            examples.append(Example(first_line + offset, command, match.group(1) if match else None))
    return examples


def _split_comment(line: str) -> tuple[str, str]:
    """The command and its trailing comment: the first ` #` outside quotes."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].strip(), line[index + 1 :].strip()
    return line.strip(), ""


def _files(folder: Path) -> None:
    """What the README's commands read that none of them writes."""
    from PIL import Image

    Image.new("RGB", (64, 48), "green").save(folder / "照片.jpg")
    # A published Word plan of a city outside Hebei (from the corpus), and a plan that names no place.
    shutil.copy(ROOT / "tests" / "corpus" / "zj_jiaxing_2022.docx", folder / "方案.docx")
    (folder / "区方案.txt").write_text(
        "“无废城市”建设工作方案\n\n二、主要任务\n1.推进生活垃圾分类。（区城市管理委员会牵头，各街道配合）\n三、保障措施\n",
        encoding="utf-8",
    )


FILES = _files

EXPORT = re.compile(r"^export (\w+)=(\S+)$")
WUFEI = ("wufei", ".venv/bin/wufei")


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return readme_examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_examples_and_every_note_is_known(examples):
    assert len(examples) > 40
    assert {e.note for e in examples} <= {None, "--help", "not run"}
    servers = [e for e in examples if re.search(r"prefect (server|worker) start|wufei (serve|web)\b", e.command)]
    assert servers and all(e.note == "--help" for e in servers), "commands that run forever are checked with --help"


def test_every_readme_command_runs_as_written(examples, tmp_path, monkeypatch):
    """On the suite's database: the README's own SQLite file, or a fresh PostgreSQL database in
    the PostgreSQL pass (the README's `export WUFEI_DATABASE_URL=…` line says either works). The
    lines checked with `--help` are the next test's."""
    _reader_folder(tmp_path, monkeypatch)
    postgres = os.environ.get("WUFEI_TEST_DATABASE_URL")
    ran, failures = 0, []
    for example in examples:
        if example.note is not None:
            continue  # not run, or checked with --help
        exported = EXPORT.match(example.command)
        if exported:
            name, value = exported.groups()
            monkeypatch.setenv(
                name, fresh_database_url(tmp_path) if postgres and name == "WUFEI_DATABASE_URL" else value
            )
            continue
        failure, _ = _run(example.command)
        ran += 1
        if failure:
            failures.append(f"{example}\n  {failure}")
    assert not failures, "README examples that fail as written:\n" + "\n".join(failures)
    assert ran > 35


@pytest.mark.backend_independent
def test_every_readme_command_checked_with_help_names_only_options_it_has(examples, tmp_path, monkeypatch):
    """The lines marked `(test: --help)`, in the same kind of folder: each with `--help` appended
    exits 0 and lists every option the line names. Backend-independent (run once, in the SQLite
    pass): a command asked for its help reaches no database (Prefect's and click's help are printed
    before any command runs)."""
    _reader_folder(tmp_path, monkeypatch)
    checked = [example for example in examples if example.note == "--help"]
    failures = []
    for example in checked:
        failure, output = _run(example.command + " --help")
        failure = failure or _unknown_options(example.command, output)
        if failure:
            failures.append(f"{example}\n  {failure}")
    assert not failures, "README examples that fail as written:\n" + "\n".join(failures)
    assert len(checked) >= 8


def _reader_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder as a reader's: the virtualenv and examples linked, the files no command
    writes made, the working directory, and the settings of this process (WUFEI_* only these)."""
    folder = tmp_path / "readme"
    folder.mkdir()
    (folder / ".venv").symlink_to(sys.prefix)
    (folder / "examples").symlink_to(ROOT / "examples")
    FILES(folder)
    for key in [key for key in os.environ if key.startswith("WUFEI_")]:
        monkeypatch.delenv(key)
    settings = {
        "WUFEI_HOME": str(ROOT),
        "WUFEI_OUTBOX_DIR": str(folder / "outbox"),
        "WUFEI_EVIDENCE_DIR": str(folder / "evidence"),
        "WUFEI_BULLETIN_DIR": str(folder / "bulletins"),
        "PREFECT_HOME": str(folder / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(folder)
    return folder


def _run(command: str) -> tuple[str | None, str]:
    """(what went wrong or None, the output): `wufei` in this process, anything else in bash."""
    words = shlex.split(command)
    return _run_in_process(words[1:]) if words[0] in WUFEI else _run_in_bash(command)


def _run_in_process(args: list[str]) -> tuple[str | None, str]:
    """(what went wrong or None, the output)."""
    expanded = [match for arg in args for match in (sorted(glob.glob(arg)) if glob.has_magic(arg) else [arg]) or [arg]]
    result = CliRunner().invoke(wufei, expanded, input=PASSWORD * 2, catch_exceptions=True)
    if result.exit_code == 0 and result.exception is None:
        return None, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "".join(traceback.format_exception(result.exception))[-1500:], result.output
    return f"exit {result.exit_code}: {result.output[-1500:]}", result.output


def _unknown_options(command: str, help_text: str) -> str | None:
    """A command checked with --help names only options its help lists (click refuses an unknown
    option even with --help; prefect's CLI does not)."""
    named = {word.split("=")[0] for word in shlex.split(command) if word.startswith("--")}
    missing = sorted(option for option in named if option not in help_text)
    return f"options not in its --help: {', '.join(missing)}" if missing else None


def _run_in_bash(command: str) -> tuple[str | None, str]:
    env = {**os.environ, "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", "-c", command], env=env, input=PASSWORD * 2, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode == 0 and "Traceback" not in done.stderr:
        return None, done.stdout
    return f"exit {done.returncode}: {(done.stderr or done.stdout)[-1500:]}", done.stdout
