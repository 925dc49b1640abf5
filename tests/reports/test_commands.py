"""`wufei report …`, `wufei calendar …` and `wufei template weekly-report`, in-process against their own database."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import fresh_database_url
from tests.seed_files import BAODING_PLAN, HENGSHUI_PLAN
from wufei.calendar.commands import calendar_group
from wufei.cli import main
from wufei.reports.commands import report_group, weekly_form_command

ENV_TASK_TITLE = "严把环境准入关"


def _cli() -> click.Group:
    """The commands as `wufei` registers them (main.add_command …)."""
    group = click.Group(
        "wufei",
        commands={
            "import": main.commands["import"],
            "tasks": main.commands["tasks"],
            "report": report_group,
            "calendar": calendar_group,
        },
    )
    group.add_command(click.Group("template", commands={"weekly-report": weekly_form_command}))
    return group


@pytest.fixture
def wufei(tmp_path):
    env = {
        "WUFEI_DATABASE_URL": fresh_database_url(tmp_path),
        "WUFEI_EVIDENCE_DIR": str(tmp_path / "evidence"),
        "WUFEI_ACTOR": "测试员",
    }
    runner = CliRunner()
    cli = _cli()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


@pytest.fixture
def task_id(wufei) -> int:
    wufei("import", str(HENGSHUI_PLAN))
    tasks = json.loads(wufei("tasks", "--dept", "市生态环境局", "--role", "lead", "--json").output)
    return next(t["id"] for t in tasks if t["title"].startswith(ENV_TASK_TITLE))


def test_submit_list_and_review_a_report(wufei, task_id, tmp_path):
    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n photo")
    output = wufei(
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市环保局",
        "--week",
        "2024-W23",
        "--progress",
        "60",
        "--done",
        "审批3项",
        "--evidence",
        str(photo),
        "--at",
        "2024-06-07T16:59",
    ).output
    assert "已报送" in output and "2024年第23周" in output and "按时" in output and "佐证材料 1 个" in output

    [row] = json.loads(wufei("report", "list", "--week", "2024-W23", "--json").output)
    assert (row["task_id"], row["progress"], row["late"], row["department"]) == (task_id, 60, False, "市生态环境局")
    assert row["submitted_at"] == "2024-06-07T16:59:00+08:00" and row["submitted_by"] == "测试员"
    assert row["evidence"][0]["file_name"] == "现场.png"

    returned = wufei(
        "report", "review", str(row["id"]), "--return", "--reason", "照片不清晰", "--at", "2024-06-08T09:00"
    ).output
    assert "已退回" in returned
    refiled = wufei(
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市生态环境局",
        "--week",
        "2024-06-05",
        "--progress",
        "100",
        "--at",
        "2024-06-11T10:00",
    ).output
    assert "第2版" in refiled and "迟报" in refiled
    new_id = max(r["id"] for r in json.loads(wufei("report", "list", "--task", str(task_id), "--json").output))
    accepted = wufei("report", "review", str(new_id), "--accept", "--at", "2024-06-12T09:00").output
    assert "已采纳" in accepted and "任务已于 2024-06-11 完成" in accepted
    assert "共 2 份" in wufei("report", "list", "--dept", "市生态环境局").output


def test_refiling_is_refused_in_chinese_with_a_non_zero_exit(wufei, task_id):
    args = [
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市生态环境局",
        "--week",
        "2024-W23",
        "--progress",
        "10",
        "--at",
        "2024-06-04T10:00",
    ]
    wufei(*args)
    result = wufei(*args, ok=False)
    assert "错误：" in result.output and "本周（2024年第23周）已报送" in result.output


def test_a_review_needs_a_decision_and_returning_needs_a_reason(wufei, task_id):
    wufei(
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市生态环境局",
        "--week",
        "2024-W23",
        "--progress",
        "10",
        "--at",
        "2024-06-04T10:00",
    )
    assert "--accept" in wufei("report", "review", "1", ok=False).output
    assert "退回报告须说明理由" in wufei("report", "review", "1", "--return", ok=False).output


def test_a_bad_week_is_a_chinese_usage_error(wufei, task_id):
    result = wufei(
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市生态环境局",
        "--week",
        "第23周",
        "--progress",
        "10",
        ok=False,
    )
    assert "应写成 2024-W23" in result.output


def test_compliance_prints_a_chinese_table_and_json(wufei, task_id):
    wufei(
        "report",
        "submit",
        "--task",
        str(task_id),
        "--dept",
        "市生态环境局",
        "--week",
        "2024-W23",
        "--progress",
        "10",
        "--at",
        "2024-06-08T10:00",
    )
    table = wufei("report", "compliance", "--week", "2024-W23", "--as-of", "2024-06-10").output
    assert "2024年第23周报送情况（截止 2024年6月7日（星期五）17:00，统计至 2024年6月10日）" in table
    assert "部门" in table and "应报" in table and "未报" in table
    line = next(row for row in table.splitlines() if row.startswith("衡水市/市生态环境局"))  # the qualified name
    rows = json.loads(wufei("report", "compliance", "--week", "2024-W23", "--as-of", "2024-06-10", "--json").output)
    ecology = next(r for r in rows if r["department"] == "市生态环境局")
    assert line.split()[1:] == [str(ecology[k]) for k in ("expected", "filed", "on_time", "late", "missing")]
    assert (ecology["filed"], ecology["late"]) == (1, 1)
    only = wufei("report", "compliance", "--week", "2024-W23", "--as-of", "2024-06-10", "--dept", "衡水市/市生态环境局")
    assert [row.split() for row in only.output.splitlines() if "/" in row] == [line.split()]
    assert "节假日" in wufei("report", "compliance", "--week", "2024-W07", "--as-of", "2024-02-28").output


def test_a_supporting_department_files_its_input(wufei, task_id):
    output = wufei(
        "report",
        "input",
        "--task",
        str(task_id),
        "--dept",
        "市行政审批局",
        "--week",
        "2024-W23",
        "--text",
        "办理审批5件",
        "--at",
        "2024-06-05T10:00",
    ).output
    assert "已报送配合情况：市行政审批局 2024年第23周" in output


def test_the_weekly_form_round_trips_through_the_command_line(wufei, task_id, tmp_path):
    path = tmp_path / "周报.xlsx"
    output = wufei(
        "template", "weekly-report", str(path), "--dept", "市生态环境局", "--week", "2024-W23", "--as-of", "2024-06-03"
    ).output
    assert "已生成周报表" in output and "市生态环境局 2024年第23周" in output
    book = load_workbook(path)
    sheet = book["周报送"]
    row = next(r for r in range(5, sheet.max_row + 1) if sheet[f"A{r}"].value == task_id)
    sheet[f"F{row}"] = 80
    book.save(path)
    imported = wufei("report", "import", str(path), "--at", "2024-06-06T09:00").output
    assert "已导入 1 项报送" in imported and ENV_TASK_TITLE in imported
    sheet[f"F{row}"] = 120
    book.save(path)
    failed = wufei("report", "import", str(path), "--at", "2024-06-06T09:00", ok=False).output
    assert f"第{row}行 F列" in failed and "未写入任何内容" in failed


def test_a_name_shared_by_two_cities_must_name_the_city(wufei, tmp_path):
    wufei("import", str(HENGSHUI_PLAN), str(BAODING_PLAN))
    path = tmp_path / "周报.xlsx"
    result = wufei("template", "weekly-report", str(path), "--dept", "市生态环境局", "--week", "2024-W23", ok=False)
    assert "对应多个部门" in result.output and "衡水市/市生态环境局" in result.output
    wufei(
        "template",
        "weekly-report",
        str(path),
        "--dept",
        "保定市/市生态环境局",
        "--week",
        "2024-W23",
        "--as-of",
        "2024-06-03",
    )
    assert "保定市" not in load_workbook(path)["周报送"]["A1"].value  # the name, not the city
    assert load_workbook(path)["周报送"]["A1"].value.startswith("市生态环境局")


def test_calendar_set_show_and_unset(wufei):
    assert (
        "已设置：2027-02-06（星期六）为工作日，春节调休"
        in wufei("calendar", "set", "2027-02-06", "workday", "--note", "春节调休").output
    )
    days = {d["day"]: d for d in json.loads(wufei("calendar", "show", "2027-02", "--json").output)}
    assert (days["2027-02-06"]["workday"], days["2027-02-06"]["source_name"]) == (True, "办公室设置")
    assert days["2027-02-07"]["source_name"] == "按周一至周五扣除法定节假日推定"
    october = wufei("calendar", "show", "2024-10").output
    assert "2024-10-01 星期二  休息日  国家安排  国庆节" in october
    assert "2024-10-12 星期六  工作日  国家安排  国庆节调休上班" in october
    assert "已取消" in wufei("calendar", "unset", "2027-02-06").output
    assert "没有办公室设置" in wufei("calendar", "unset", "2027-02-06", ok=False).output
    assert "应写成 2024-10" in wufei("calendar", "show", "2024/10", ok=False).output
