"""`wufei cadence run|replay` and `wufei config check` on a real database (review23c 3-6): an
unknown year's warning, an office's cadence.yaml edited wrongly, a replay's dates the wrong way."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import copy_database
from wufei.cadence.config import CadenceConfig
from wufei.cadence.windows import reporting_window
from wufei.calendar.workdays import WorkCalendar
from wufei.cli import main
from wufei.db import make_engine, make_sessionmaker
from wufei.figures.models import PeriodFigures
from wufei.notices.models import NoticeIntent


@pytest.fixture
def env(tmp_path, hengshui_template):
    url = copy_database(hengshui_template, tmp_path)
    config = tmp_path / "config"
    config.mkdir()
    return {"WUFEI_DATABASE_URL": url, "WUFEI_CONFIG_DIR": str(config), "WUFEI_BULLETIN_DIR": str(tmp_path / "out")}


def run(env, *args: str):
    return CliRunner().invoke(main, list(args), env=env)


def test_new_years_day_2027_is_not_a_working_day_and_the_cli_says_to_import_the_notice(env):
    result = run(env, "cadence", "run", "daily-scan", "--as-of", "2027-01-01", "--json")
    assert result.exit_code == 0, result.output
    assert "注意：2027年的节假日安排尚未导入" in result.output and "wufei calendar import" in result.output
    scanned = json.loads(result.stdout)
    assert scanned["skipped"] == "非工作日"
    assert "wufei calendar import" in scanned["calendar"][0]  # in the scan's result: its flow's log line
    # 2026-W53's Friday is 元旦 2027: the window closes the working day before
    window = reporting_window(date(2026, 12, 28), WorkCalendar(), CadenceConfig.load())
    assert window is not None and window.due_on == date(2026, 12, 31)


BAD_FILES = {
    "workday_of_month: 20": (
        "monthly_dispatch:\n  workday_of_month: 20\n",
        "monthly_dispatch.workday_of_month 应为1到16之间的整数",
    ),
    "syntax": ("weekly_report:\n  opens: monday\n   due_weekday: friday\n", "第3行：YAML 格式错误"),
    "misspelt section": (
        "monthly_dispach:\n  workday_of_month: 4\n",
        "「monthly_dispach」不是任何督查督办环节的运行日设置",
    ),
    "months: []": ("quarterly_circular:\n  months: []\n", "quarterly_circular.months 为空"),
    "month: null": ("annual_assessment:\n  month: null\n", "annual_assessment.month 为空"),
    "never closes": (
        "weekly_report:\n  opens: wednesday\n  due_weekday: monday\n",
        "weekly_report.opens（wednesday）晚于 due_weekday（monday）",
    ),
    "02-29": ('annual_assessment:\n  province_due: "02-29"\n', "annual_assessment.province_due 应写成"),
}


RUNS = (
    ["cadence", "run", "monthly-dispatch", "--as-of", "2024-06-05"],
    ["cadence", "replay", "--from", "2024-06-03", "--to", "2024-06-04"],
)


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_wrong_cadence_file_is_refused_by_config_check_and_by_the_runs_in_one_chinese_line(env, tmp_path, name):
    text, message = BAD_FILES[name]
    (tmp_path / "config" / "cadence.yaml").write_text(text, "utf-8")
    checked = run(env, "config", "check")
    assert checked.exit_code != 0
    assert message in checked.output and "cadence.yaml" in checked.output
    for args in RUNS:
        ran = run(env, *args)
        assert ran.exit_code == 1, ran.output
        assert ran.output.startswith("错误：") and message in ran.output and "cadence.yaml" in ran.output
        assert len(ran.output.strip().splitlines()) == 1  # not a traceback


def test_an_unquoted_due_time_is_read_as_the_time_written(env, tmp_path, monkeypatch):
    (tmp_path / "config" / "cadence.yaml").write_text("weekly_report:\n  due_time: 16:30\n", "utf-8")
    assert run(env, "config", "check").exit_code == 0
    monkeypatch.setenv("WUFEI_CONFIG_DIR", env["WUFEI_CONFIG_DIR"])
    assert CadenceConfig.load().weekly.due_time == time(16, 30)  # YAML read 990


def test_a_replay_whose_end_is_before_its_start_is_refused(env):
    result = run(env, "cadence", "replay", "--from", "2025-03-10", "--to", "2025-03-01")
    assert result.exit_code == 1
    assert result.output.startswith("错误：--to（2025-03-01）早于 --from（2025-03-10）")
    assert "共运行 0 个环节" not in result.output


NEXT_WORKDAY = "weekly_report:\n  if_due_day_is_holiday: next_workday\n  remind_workdays_before_due: 0\n"


def test_with_next_workday_both_weeks_closing_on_7_october_2023_are_counted_and_reminded(env, tmp_path):
    (tmp_path / "config" / "cadence.yaml").write_text(NEXT_WORKDAY, "utf-8")
    # W39 (due Friday 29 September, 中秋) and W40 (due Friday 6 October) both close Saturday 7 October
    reminded = run(env, "cadence", "run", "weekly-report", "--as-of", "2023-10-07", "--json")
    assert reminded.exit_code == 0, reminded.output
    closed = run(env, "cadence", "run", "weekly-report", "--as-of", "2023-10-08", "--json")
    assert closed.exit_code == 0, closed.output
    engine = make_engine(env["WUFEI_DATABASE_URL"])
    try:
        with make_sessionmaker(engine)() as session:
            weeks = session.scalars(
                select(PeriodFigures.period).where(
                    PeriodFigures.kind == "weekly", PeriodFigures.as_of == date(2023, 10, 8)
                )
            ).all()
            reminders = session.scalars(
                select(NoticeIntent.period).where(NoticeIntent.kind == "report_due").distinct()
            ).all()
    finally:
        engine.dispose()
    assert sorted(weeks) == ["2023-W39", "2023-W40"]
    assert sorted(reminders) == ["2023-W39", "2023-W40"]  # W39's reminder falls in W40: made all the same
