"""Each cadence flow runs through the Prefect engine against a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from wufei.bulletins.models import Snapshot
from wufei.db import make_sessionmaker
from wufei.figures.models import PeriodFigures
from wufei.lights.models import LightRecord
from wufei.notices.models import NoticeIntent


def _count(engine, model) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_daily_scan_records_lights_and_intents_and_a_repeated_run_adds_nothing(prefect_server, flow_database):
    from flows import cadence

    first = cadence.daily_scan(as_of="2024-01-02")
    assert first["as_of"] == "2024-01-02"
    assert sum(first["lights"].values()) > 0
    lights, intents = _count(flow_database, LightRecord), _count(flow_database, NoticeIntent)
    assert lights > 0 and intents > 0  # 2023 deadlines have passed with no reports at all

    again = cadence.daily_scan(as_of="2024-01-02")
    assert again["lights_changed"] == 0
    assert _count(flow_database, LightRecord) == lights
    assert _count(flow_database, NoticeIntent) == intents


def test_daily_scan_skips_a_holiday(prefect_server, flow_database):
    from flows import cadence

    assert cadence.daily_scan(as_of="2024-02-12")["skipped"] == "非工作日"  # Spring Festival


def test_a_late_scheduled_run_works_on_the_day_it_was_scheduled_for_in_china_time(prefect_server, flow_database):
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow
    from prefect.states import Scheduled

    from flows import cadence

    # 17:00 UTC on 29 June is already 30 June in Shanghai.
    scheduled = datetime(2023, 6, 29, 17, 0, tzinfo=UTC)
    with get_client(sync_client=True) as client:
        flow_run = client.create_flow_run(
            cadence.weekly_report, parameters={}, state=Scheduled(scheduled_time=scheduled)
        )
    result = run_flow(cadence.weekly_report, flow_run=flow_run, parameters={})
    assert result["as_of"] == "2023-06-30"
    assert result["week"] == "2023-W26"


def test_weekly_report_counts_the_closed_week(prefect_server, flow_database):
    from flows import cadence

    result = cadence.weekly_report(as_of="2024-01-08")  # Monday: last week's window has closed
    assert result["closed"]["week"] == "2024-W01"
    assert result["closed"]["missing"] > 0
    assert _count(flow_database, PeriodFigures) == 1


def test_period_flows_run_on_their_working_day_and_store_figures_once(prefect_server, flow_database):
    from flows import points

    # 2024-06-05 is the 3rd working day of June (the 3rd is a Monday): May's dispatch.
    assert points.monthly_dispatch(as_of="2024-06-04")["skipped"]
    monthly = points.monthly_dispatch(as_of="2024-06-05")
    assert monthly["period"] == "2024-05" and monthly["scopes"] == ["衡水市"]
    # …and issues the bulletin in every form, from a locked snapshot (the run again rewrites it)
    written = {Path(path).name for path in monthly["bulletins"]}
    assert {
        "monthly-2024-05.md",
        "monthly-2024-05.html",
        "monthly-2024-05.docx",
        "monthly-2024-05-annex.xlsx",
    } <= written
    again = points.monthly_dispatch(as_of="2024-06-05")
    assert _count(flow_database, PeriodFigures) == 1
    assert {Path(path).name for path in again["bulletins"]} == written
    with make_sessionmaker(flow_database)() as session:
        snapshots = session.scalars(select(Snapshot)).all()  # the city's, and the province roll-up's
        assert {(s.kind, s.scope) for s in snapshots} == {("monthly", "衡水市"), ("province_monthly", "河北省")}
        assert all(s.locked_at is not None and s.period == "2024-05" for s in snapshots)

    assert points.quarterly_circular(as_of="2024-07-01", force=True)["period"] == "2024-Q2"
    assert points.half_year_review(as_of="2024-07-01", force=True)["period"] == "2024-H1"
    assert points.annual_assessment(as_of="2024-01-22", force=True)["period"] == "2023"
    assert _count(flow_database, PeriodFigures) == 4


def test_the_window_notices_name_the_week_and_deadline_the_chinese_way(flow_database):
    from datetime import date

    from tests.rules import RULESET
    from wufei.notify.digest import build_digests
    from wufei.points import runs

    assert runs.weekly_report(flow_database, date(2024, 6, 3), rules=RULESET)["opened"] > 0  # Monday: the window opens
    with make_sessionmaker(flow_database)() as session:
        intents = session.scalars(select(NoticeIntent).where(NoticeIntent.kind == "report_window_open")).all()
        digest = build_digests(intents[:1], day=date(2024, 6, 3), department_names={})[0]
    assert "2024年第23周进展报送已开始，截止时间2024年6月7日" in digest.body
    assert "2024-W23" not in digest.body and "T17:00" not in digest.body
    assert digest.subject.startswith("【报送开始】") and digest.subject.endswith("：2024年第23周进展报送")


def test_no_window_notice_for_a_week_before_reporting_began(flow_database):
    """A week before cadence.yaml's reporting_since (the office went live) is never counted as
    missed, so its window is neither opened nor reminded of: 应城市's office, live from Monday
    6 March 2023, was told on Thursday 2 March that week 9's report was due the next day."""
    import dataclasses
    from datetime import date

    from tests.rules import RULESET
    from wufei.cadence.config import CadenceConfig
    from wufei.points import runs

    rules = dataclasses.replace(
        RULESET, cadence=CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-06-10"}})
    )
    assert runs.weekly_report(flow_database, date(2024, 6, 3), rules=rules).get("opened") == 0  # W23: before
    assert runs.weekly_report(flow_database, date(2024, 6, 6), rules=rules).get("reminded") == 0
    with make_sessionmaker(flow_database)() as session:
        assert not session.scalars(select(NoticeIntent)).all()
    assert runs.weekly_report(flow_database, date(2024, 6, 11), rules=rules)["opened"] > 0  # W24 (Tuesday: 端午)
