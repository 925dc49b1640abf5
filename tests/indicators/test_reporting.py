"""Reporting indicator values: owners, periods, versions and review, and each indicator's track."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei.audit.models import AuditEntry
from wufei.indicators.models import IndicatorReport
from wufei.indicators.reporting import (
    IndicatorReportError,
    review_value,
    set_milestone,
    set_owner,
    submit_value,
    track,
    tracks,
)
from wufei.notices.models import NoticeIntent
from wufei.tasks.models import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI)


def report(session, rules, indicator, department, period, value, day, **extra):
    return submit_value(
        session,
        indicator_id=indicator.id,
        department_id=department.id,
        period=period,
        value=value,
        at=at(day),
        actor="eco",
        rules=rules,
        cadence=CADENCE,
        **extra,
    )


def test_a_lead_reports_a_value_with_source_caliber_and_evidence(session, rules, hengshui_indicators, tmp_path):
    h = hengshui_indicators
    photo = tmp_path / "统计表.pdf"
    photo.write_bytes(b"%PDF-1.4 numbers")
    filed = report(
        session,
        rules,
        h.reuse,
        h.ecology,
        "2024-Q2",
        "56.3%",
        date(2024, 7, 5),
        source="市统计局",
        caliber="全市规模以上工业企业",
        evidence=[photo],
    )
    assert (filed.period, filed.value, filed.value_raw, filed.late) == ("2024-Q2", Decimal("56.3"), "56.3%", False)
    assert filed.period_end == date(2024, 6, 30)
    assert [e.file_name for e in filed.evidence] == ["统计表.pdf"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "indicator_reports"))
    assert entry.changes["value"] == [None, "56.3%"]
    late = report(session, rules, h.reuse, h.ecology, "2024-Q1", "55", date(2024, 7, 5))
    assert late.late  # Q1 was due by 15 April


def test_refusals_say_why(session, rules, hengshui_indicators):
    h = hengshui_indicators
    with pytest.raises(IndicatorReportError, match="不是指标.*的责任单位"):
        report(session, rules, h.reuse, h.other, "2024-Q2", "56", date(2024, 7, 5))
    with pytest.raises(IndicatorReportError, match="每季度报送一次"):
        report(session, rules, h.reuse, h.ecology, "2024", "56", date(2024, 7, 5))
    with pytest.raises(IndicatorReportError, match="尚未开始"):
        report(session, rules, h.reuse, h.ecology, "2024-Q4", "56", date(2024, 7, 5))
    with pytest.raises(IndicatorReportError, match="应为数字：「五十」"):
        report(session, rules, h.reuse, h.ecology, "2024-Q2", "五十", date(2024, 7, 5))
    report(session, rules, h.reuse, h.ecology, "2024-Q2", "56", date(2024, 7, 5))
    with pytest.raises(IndicatorReportError, match="已报送（第1版，待审核）"):
        report(session, rules, h.reuse, h.ecology, "2024-Q2", "57", date(2024, 7, 6))


def test_returned_value_is_refiled_as_a_new_version_and_the_liaison_is_told(session, rules, hengshui_indicators):
    h = hengshui_indicators
    first = report(session, rules, h.reuse, h.ecology, "2024-Q2", "70", date(2024, 7, 5))
    with pytest.raises(IndicatorReportError, match="须说明理由"):
        review_value(
            session, report_id=first.id, accept=False, actor="office", at=at(date(2024, 7, 8)), cadence=CADENCE
        )
    review_value(
        session,
        report_id=first.id,
        accept=False,
        reason="口径与上期不一致",
        actor="office",
        at=at(date(2024, 7, 8)),
        cadence=CADENCE,
    )
    notice = session.scalar(
        select(NoticeIntent).where(NoticeIntent.key == f"indicator_returned|indicator_report:{first.id}")
    )
    assert notice.department_id == h.ecology.id and notice.payload["reason"] == "口径与上期不一致"
    second = report(session, rules, h.reuse, h.ecology, "2024-Q2", "56", date(2024, 7, 9))
    assert second.version == 2
    review_value(session, report_id=second.id, accept=True, actor="office", at=at(date(2024, 7, 10)), cadence=CADENCE)
    history = session.scalars(select(IndicatorReport).where(IndicatorReport.indicator_id == h.reuse.id)).all()
    assert sorted((r.version, r.status, str(r.value_raw)) for r in history) == [
        (1, "returned", "70"),
        (2, "accepted", "56"),
    ]
    with pytest.raises(IndicatorReportError, match="已审核（已采纳）"):
        review_value(
            session, report_id=second.id, accept=True, actor="office", at=at(date(2024, 7, 10)), cadence=CADENCE
        )


def test_the_light_and_forecast_change_with_reported_values(session, rules, hengshui_indicators):
    h = hengshui_indicators
    # 49% (2020) → 60% (2025): at the end of June 2024 the trajectory stands at 56.69%
    before = tracks(session, [h.reuse], as_of=date(2024, 7, 20), rules=rules)[0]
    assert before.standing == "overdue" and before.colour == "red"
    assert before.reason == "逾期未报：2024年第2季度数值应于2024年7月15日前报送，尚无数值"
    assert before.frequency_cn == "每季度" and before.owners == ["市生态环境局"]

    filed = report(session, rules, h.reuse, h.ecology, "2024-Q2", "56", date(2024, 7, 16))
    behind = tracks(session, [h.reuse], as_of=date(2024, 7, 20), rules=rules)[0]
    assert behind.standing == "behind" and behind.colour == "yellow"
    assert behind.reason.startswith("落后序时进度0.69个百分点：2024年第2季度56%（待审核），序时应达56.69%（目标60%）")
    assert behind.forecast == "存在不确定性"

    # a returned value no longer counts: overdue again
    review_value(
        session, report_id=filed.id, accept=False, reason="核实", actor="o", at=at(date(2024, 7, 17)), cadence=CADENCE
    )
    assert tracks(session, [h.reuse], as_of=date(2024, 7, 20), rules=rules)[0].standing == "overdue"

    refiled = report(session, rules, h.reuse, h.ecology, "2024-Q2", "58", date(2024, 7, 18))
    review_value(session, report_id=refiled.id, accept=True, actor="o", at=at(date(2024, 7, 19)), cadence=CADENCE)
    on_track = tracks(session, [h.reuse], as_of=date(2024, 7, 20), rules=rules)[0]
    assert on_track.standing == "on_track"
    assert on_track.reason.startswith("按序时进度：2024年第2季度58%，序时应达56.69%")
    assert [p.period for p in on_track.series] == ["2024-Q2"]
    assert [(p.end, p.value) for p in on_track.path] == [("2020-12-31", 49.0), ("2025-12-31", 60.0)]
    assert on_track.forecast == "可以完成"


def test_the_office_sees_a_filed_value_awaiting_review_the_public_page_only_once_accepted(
    session, rules, hengshui_indicators
):
    """The dashboard's indicator status counts a value awaiting review, marked; the public page
    publishes only what the office accepted (wufei.web.pages.indicators)."""
    from wufei.web.pages import indicators

    h = hengshui_indicators

    def latest(accepted_only: bool):
        page = indicators(session, year=2024, plan_ids=[h.reuse.plan_id], accepted_only=accepted_only)
        [row] = [r for r in page["items"] if r.indicator_id == h.reuse.id]
        return (row.latest.period_cn, row.latest.value, row.latest.pending) if row.latest else None, row.status_cn

    filed = report(session, rules, h.reuse, h.ecology, "2024-Q2", "56", date(2024, 7, 16))
    assert latest(False) == (("2024年第2季度", "56", True), "较基线（2020年）向好")
    assert latest(True) == (None, "暂无数据")
    review_value(session, report_id=filed.id, accept=True, actor="o", at=at(date(2024, 7, 17)), cadence=CADENCE)
    assert latest(False) == latest(True) == (("2024年第2季度", "56", None), "较基线（2020年）向好")


def test_trend_of_reported_values_decides_the_forecast(session, rules, hengshui_indicators):
    h = hengshui_indicators
    for period, value, day in (
        ("2023-Q4", "55", date(2024, 1, 10)),
        ("2024-Q1", "55.2", date(2024, 4, 10)),
        ("2024-Q2", "55.4", date(2024, 7, 10)),
    ):
        report(session, rules, h.reuse, h.ecology, period, value, day)
    row = tracks(session, [h.reuse], as_of=date(2024, 7, 20), rules=rules)[0]
    assert row.forecast == "存在不确定性"
    assert row.forecast_reason.startswith("按最近3期数值趋势（每年+0.8个百分点），2025年末约为56.61%，达不到目标值")


def test_milestones_bend_the_trajectory_and_the_office_sets_the_owner(session, rules, hengshui_indicators):
    h = hengshui_indicators
    report(session, rules, h.intensity, h.ecology, "2023", "0.46", date(2024, 1, 20))
    # 0.5 → 0.4 falling: at the end of 2023 the line stands at 0.44, so 0.46 is behind
    plain = tracks(session, [h.intensity], as_of=date(2024, 1, 25), rules=rules)[0]
    assert plain.standing == "behind" and "落后序时进度0.02吨/万元" in plain.reason
    set_milestone(session, indicator_id=h.intensity.id, year=2023, value="0.47", actor="office")
    bent = tracks(session, [h.intensity], as_of=date(2024, 1, 25), rules=rules)[0]
    assert bent.standing == "on_track" and "序时应达0.47吨/万元" in bent.reason

    set_owner(session, indicator_id=h.intensity.id, department_id=h.other.id, actor="office")
    roles = {a.department.name: a.role for a in h.intensity.assignments}
    assert roles["市教育局"] == Role.LEAD and roles["市生态环境局"] == Role.SUPPORTING
    with pytest.raises(IndicatorReportError, match="不是指标"):
        report(session, rules, h.intensity, h.ecology, "2024", "0.45", date(2025, 1, 5))
    assert track(h.intensity, as_of=date(2024, 1, 25), rules=rules).owners == ["市教育局"]


def test_cli_reports_reviews_and_tracks(tmp_path, monkeypatch):
    """`wufei indicators report / review / track / values` and `wufei template indicators` end to end."""
    import json

    from click.testing import CliRunner

    from tests.seed_files import HENGSHUI_PLAN
    from wufei.cli import main

    monkeypatch.setenv("WUFEI_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def wufei(*args):
        result = runner.invoke(main, list(args), catch_exceptions=False)
        return result

    assert wufei("db", "upgrade").exit_code == 0
    assert wufei("import", str(HENGSHUI_PLAN)).exit_code == 0
    listed = json.loads(wufei("indicators", "--json").output)
    reuse = next(i for i in listed if i["name"] == "一般工业固体废物综合利用率")["id"]
    filed = wufei(
        "indicators",
        "report",
        "--indicator",
        str(reuse),
        "--dept",
        "衡水市/市生态环境局",
        "--period",
        "2024-Q2",
        "--value",
        "58",
        "--at",
        "2024-07-10T09:00",
    )
    assert filed.output.startswith(f"已报送：[1] 指标[{reuse}]「一般工业固体废物综合利用率」2024年第2季度 58% ")
    assert "已采纳" in wufei("indicators", "review", "1", "--accept").output
    track = json.loads(wufei("indicators", "track", "--as-of", "2024-07-20", "--json").output)
    row = next(r for r in track if r["indicator_id"] == reuse)
    assert row["standing"] == "on_track" and row["forecast"] == "可以完成"
    refused = runner.invoke(
        main,
        [
            "indicators",
            "report",
            "--indicator",
            str(reuse),
            "--dept",
            "衡水市/市教育局",
            "--period",
            "2024-Q2",
            "--value",
            "1",
        ],
    )
    assert refused.exit_code != 0 and "不是指标" in refused.output
    made = wufei(
        "template", "indicators", str(tmp_path / "表.xlsx"), "--dept", "衡水市/市生态环境局", "--as-of", "2024-07-20"
    )
    assert made.output.startswith("已生成指标填报表")
