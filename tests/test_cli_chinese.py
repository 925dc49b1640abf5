"""The real `wufei` executable speaks Chinese where click writes its own text (usage, help sections,
the help option, its errors), and `wufei audit` names the changed fields in Chinese."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei.audit.labels import ENTITY_NAMES, FIELD_NAMES, field_name

WUFEI = str(Path(sys.executable).with_name("wufei"))  # the console script pip installed
ENGLISH = ("Usage:", "Options:", "Commands:", "Error:", "Show this message", "Missing argument", "No such")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WUFEI, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300, check=False
    )


def _no_english(text: str) -> None:
    assert not [word for word in ENGLISH if word in text], text


@pytest.mark.nodb
@pytest.mark.parametrize("args", [["--help"], ["audit", "--help"], ["cadence", "--help"], ["cadence", "run", "--help"]])
def test_help_is_chinese(args):
    shown = _run(*args)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("用法：wufei") and "选项：" in shown.stdout and "--help" in shown.stdout
    assert re.search(r"--help +显示本帮助并退出。", shown.stdout)
    _no_english(shown.stdout)


@pytest.mark.nodb
def test_the_audits_help_aligns_and_names_its_values_in_chinese():
    shown = _run("audit", "--help").stdout
    assert "  --limit 整数  [默认：50]\n" in shown and "  --help        显示本帮助并退出。\n" in shown


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--nope"], "错误：没有选项 --nope"),
        (["import"], "错误：缺少参数 PATHS..."),
        (["nosuch"], "错误：没有命令「nosuch」"),
        (["audit", "--limit", "abc"], "错误：--limit 的值无效：「abc」不是有效的整数。"),
        (["tasks", "--as-of"], "错误：选项 --as-of 需要一个值。"),
        (["audit", "extra"], "错误：多余的参数：extra"),
    ],
)
def test_click_errors_are_chinese_with_clicks_exit_code(args, said):
    refused = _run(*args)
    assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    _no_english(refused.stderr)
    if args != ["tasks", "--as-of"]:  # click knows no command yet for an option missing its value
        assert refused.stderr.startswith("用法：wufei") and "请用「wufei" in refused.stderr


@pytest.mark.nodb
def test_every_column_of_the_audited_tables_has_a_chinese_name():
    from wufei.db import Base, load_all_models

    load_all_models()
    unnamed = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        if table.name in ENTITY_NAMES
        for column in table.columns
        if column.name != "id" and column.name not in FIELD_NAMES
    ]
    assert unnamed == []
    assert field_name("value_2025") == "2025年数值" and field_name("value_2025_note") == "2025年说明"


def test_the_audit_trail_names_actions_entities_and_fields_in_chinese(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    assert _run("db", "upgrade", env=env).returncode == 0
    imported = _run("import", str(HENGSHUI_PLAN), env=env)
    assert imported.returncode == 0, imported.stderr
    trail = _run("audit", "--limit", "100000", env=env)
    assert trail.returncode == 0, trail.stderr
    lines = trail.stdout.splitlines()
    assert len(lines) > 100 and any(" 新建 任务 " in line for line in lines)
    for line in lines:
        _at, _actor, action, entity, rest = line.split(" ", 4)
        fields = rest.split("：", 1)[1]
        assert not re.search(r"[A-Za-z]", action + entity + fields), line
    assert any("牵头单位" in line and "完成期限" in line for line in lines)
