"""`wufei notices`, run in-process against its own database."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from tests.conftest import fresh_database_url
from tests.seed_files import HENGSHUI_PLAN
from wufei import migrate
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_engine, transaction
from wufei.departments.registry import Registry
from wufei.escalation.ladder import Ladder
from wufei.escalation.service import scan
from wufei.importers.service import load_source, read_source
from wufei.notices.commands import notices

NO_REPORTING = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2099-01-01"}})
REPORTING = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2023-12-18"}})
FIELDS = {
    "id",
    "key",
    "kind",
    "step",
    "audience",
    "department",
    "task_id",
    "period",
    "created_on",
    "payload",
    "resolved_on",
    "resolution",
}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Hengshui, scanned on 21 December 2023 (a reminder week) and on 2 January 2024 (slips, and
    reports missing since weekly reporting began on 18 December)."""
    url = fresh_database_url(tmp_path_factory.mktemp("notices"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        load_source(
            session, read_source(HENGSHUI_PLAN), registry=Registry.load(), actor="test", path=str(HENGSHUI_PLAN)
        )
    for day, cadence in ((date(2023, 12, 21), NO_REPORTING), (date(2024, 1, 2), REPORTING)):
        with transaction(engine) as session:
            scan(session, as_of=day, calendar=WorkCalendar(), cadence=cadence, ladder=Ladder.load())
    engine.dispose()
    return url


@pytest.fixture
def wufei(database):
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(notices, list(args), env={"WUFEI_DATABASE_URL": database}, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def test_json_lists_every_field_and_filters_by_day_kind_and_department(wufei):
    everything = json.loads(wufei("--json").output)
    assert everything and set(everything[0]) >= FIELDS
    assert {r["created_on"] for r in everything} == {"2023-12-21", "2024-01-02"}

    january = json.loads(wufei("--since", "2024-01-01", "--json").output)
    assert january and {r["created_on"] for r in january} == {"2024-01-02"}
    december = json.loads(wufei("--until", "2023-12-31", "--json").output)
    assert len(december) + len(january) == len(everything)

    red = json.loads(wufei("--kind", "red_slip", "--json").output)
    assert red and {r["step"] for r in red} == {"after_due_7"} and {r["audience"] for r in red} == {"leader", "office"}

    # An alias finds the canonical department; office and group notices have none.
    ecology = json.loads(wufei("--dept", "市环保局", "--json").output)
    assert ecology and {r["department"] for r in ecology} == {"市生态环境局"}


def test_the_table_is_chinese_with_dates_kinds_audiences_and_periods(wufei):
    output = wufei("--kind", "yellow_slip", "--dept", "市城管综合行政执法局").output
    lines = output.splitlines()
    assert lines[0].split() == ["日期", "类型", "对象", "部门", "任务", "期间", "状态"]
    assert "黄色督办单" in output and "专班联系人" in output and "市城市管理综合行政执法局" in output
    assert "衡水市污泥集中处置项目工程一期项目" in output and "期限2022年12月31日" in output
    assert "2023年12月21日" in output and "待发送" in output
    assert lines[-1].startswith("共 ") and lines[-1].endswith("条）")

    missing = wufei("--kind", "report_missing").output
    assert "未报送提醒" in missing and "2023年第52周" in missing and "2024年1月2日" in missing


def test_an_empty_listing_and_bad_input_say_so_in_chinese(wufei):
    assert "没有符合条件的通知" in wufei("--since", "2030-01-01").output
    assert "日期应写成 2024-05-31" in wufei("--since", "2024/05/31", ok=False).output
    assert "找不到部门「市不存在局」" in wufei("--dept", "市不存在局", ok=False).output


def test_a_bulletins_and_an_indicators_period_are_chinese_in_the_table(tmp_path):
    """通报已生成 for March 2023 read 2023-03 in the table; its other periods were Chinese."""
    from wufei.notices.service import create_intents

    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        create_intents(
            session,
            [
                {
                    "key": f"bulletin_ready|{period}|office",
                    "kind": "bulletin_ready",
                    "step": "bulletin_ready",
                    "audience": "office",
                    "department_id": None,
                    "task_id": None,
                    "period": period,
                    "created_on": date(2023, 4, 6),
                    "payload": {},
                }
                for period in ("2023-03", "2023-Q1", "2023-H1", "2023")
            ],
        )
    engine.dispose()
    output = CliRunner().invoke(notices, [], env={"WUFEI_DATABASE_URL": url}, catch_exceptions=False).output
    for chinese in ("2023年3月", "2023年第1季度", "2023年上半年", "2023年"):
        assert f" {chinese} " in output
    assert "2023-03" not in output and "2023-Q1" not in output
