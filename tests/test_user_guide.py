"""The Chinese user guide (docs/user-guide.md) names only commands and options wufei has: each
`wufei …` line of its ```sh blocks (some indented under a list item), asked for its help, exits 0
and lists every option the line names. What the commands do is the README's examples' test
(tests/test_readme.py runs them)."""

from __future__ import annotations

import re
import textwrap

import pytest

from tests.test_readme import ROOT, _run, _split_comment, _unknown_options

GUIDE = ROOT / "docs" / "user-guide.md"
BLOCK = re.compile(r"^( *)```sh\n(.*?)^\1```", re.S | re.M)


def guide_commands(text: str) -> list[tuple[int, str]]:
    commands = []
    for block in BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start(2)) + 1
        for offset, raw in enumerate(textwrap.dedent(block.group(2)).splitlines()):
            command, _ = _split_comment(raw)
            if command:
                commands.append((first_line + offset, command))
    return commands


@pytest.mark.nodb
def test_every_command_in_the_user_guide_exists_with_the_options_it_names():
    commands = [(line, c) for line, c in guide_commands(GUIDE.read_text(encoding="utf-8")) if c.startswith("wufei ")]
    failures = []
    for line, command in commands:
        failure, output = _run(command + " --help")
        failure = failure or _unknown_options(command, output)
        if failure:
            failures.append(f"docs/user-guide.md:{line}: {command}\n  {failure}")
    assert not failures, "guide commands wufei does not have:\n" + "\n".join(failures)
    assert len(commands) >= 35  # the indented blocks are read too
