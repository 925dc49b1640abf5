"""The command line, run in-process against its own database."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from tests.conftest import fresh_database_url
from tests.seed_files import ALL_SEEDS, BAODING_PLAN, HENGSHUI_PLAN
from wufei.cli import main

TASK_KEYS = {
    "id",
    "plan",
    "list_kind",
    "category",
    "number",
    "title",
    "leads",
    "supporting",
    "responsible_entity",
    "deadline_raw",
    "due_date",
    "deadline_kind",
}


@pytest.fixture
def wufei(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def test_import_json_reports_counts_and_warnings_per_file(wufei):
    result = wufei("import", *map(str, ALL_SEEDS), "--json")
    files = json.loads(result.output)
    assert [f["ok"] for f in files] == [True] * 5
    by_name = {f["file"].rsplit("/", 1)[-1]: f["plans"][0] for f in files}
    hengshui = by_name[HENGSHUI_PLAN.name]["counts"]
    assert (hengshui["indicators"], hengshui["tasks_project"], hengshui["tasks_main"]) == (59, 27, 31)
    assert by_name[BAODING_PLAN.name]["counts"]["indicators"] == 65
    assert all(isinstance(f["plans"][0]["warnings"], list) for f in files)


def test_tasks_json_carries_the_fields_and_filters_by_department_and_role(wufei):
    wufei("import", str(HENGSHUI_PLAN))
    everything = json.loads(wufei("tasks", "--json").output)
    assert len(everything) == 31 + 54 + 27
    assert set(everything[0]) >= TASK_KEYS

    # An alias finds the canonical department.
    led = json.loads(wufei("tasks", "--dept", "市发展改革委", "--role", "lead", "--json").output)
    assert led and all("市发展和改革委员会" in t["leads"] for t in led)
    supported = json.loads(wufei("tasks", "--dept", "市发展改革委", "--role", "supporting", "--json").output)
    assert supported and all("市发展和改革委员会" in t["supporting"] for t in supported)
    assert not {t["id"] for t in led} & {t["id"] for t in supported}

    projects = json.loads(wufei("tasks", "--plan", "衡政办字〔2022〕57号", "--list-kind", "project", "--json").output)
    assert len(projects) == 27


def test_tasks_awaiting_an_owner_are_listed_in_chinese(wufei):
    wufei("import", str(HENGSHUI_PLAN))
    output = wufei("tasks", "--awaiting").output
    assert "（待指定）" in output and "完善固体废物管理制度" in output
    assert output.strip().endswith("项")


def test_indicators_and_departments_list_what_is_stored(wufei):
    wufei("import", str(HENGSHUI_PLAN), str(BAODING_PLAN))
    indicators = json.loads(wufei("indicators", "--plan", "保政办函〔2022〕50号", "--json").output)
    assert len(indicators) == 65
    first = indicators[0]
    assert first["name"] == "一般工业固体废物产生强度" and first["marks"] == "★"
    assert first["target"]["value"] == "0.51" and first["direction"] == "down"

    departments = json.loads(wufei("depts", "--jurisdiction", "衡水市", "--json").output)
    ecology = next(d for d in departments if d["name"] == "市生态环境局")
    assert ecology["lead_tasks"] > 10
    assert "市环保局" in ecology["aliases"]
    assert json.loads(wufei("depts", "--unknown", "--json").output) == []


def test_a_failed_import_exits_non_zero_and_says_nothing_was_written(wufei, tmp_path):
    bad = tmp_path / "坏文件.txt"
    bad.write_text("衡水市人民政府办公室\n\n这里没有任何任务。\n", encoding="utf-8")
    result = wufei("import", str(bad), ok=False)
    assert "未写入任何内容" in result.output and str(bad) in result.output
    assert json.loads(wufei("tasks", "--json").output) == []


def test_template_and_export_write_workbooks(wufei, tmp_path):
    wufei("import", str(HENGSHUI_PLAN))
    assert "已生成导入模板" in wufei("template", "plan", str(tmp_path / "模板.xlsx")).output
    output = wufei("export", str(tmp_path / "台账.xlsx"), "--plan", "衡政办字〔2022〕57号").output
    assert "任务 85 项" in output and "项目 27 项" in output and "指标 59 项" in output
    assert (tmp_path / "台账.xlsx").stat().st_size > 10_000


def test_the_import_help_names_every_format_the_importer_takes(wufei):
    """The help is written out (the command line does not load the importers for --help): it must
    not fall behind the formats the importer reads."""
    from wufei.importers.service import IMPORTABLE_SUFFIXES

    shown = set(re.findall(r"\.[a-z]+\b", wufei("import", "--help").output))
    assert shown >= IMPORTABLE_SUFFIXES, sorted(IMPORTABLE_SUFFIXES - shown)


def test_the_top_level_help_lists_each_lazy_commands_own_summary():
    """`wufei --help` lists the subcommands without importing them: each listed summary must be the
    first line of the command's own help, or the list drifts when a command grows (`users` listed no
    停用 after `users disable` came)."""
    import importlib

    from wufei.cli import main

    for name, (target, listed) in main.lazy.items():
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert listed == (command.help or "").strip().splitlines()[0], name
