"""`wufei indicators report|import|review|values|track|owner|milestone` and `wufei template indicators`."""

from __future__ import annotations

from pathlib import Path

import click

from wufei.audit.service import jsonable
from wufei.calendar.commands import CommandError, actor
from wufei.clitools import (
    cadence_config,
    echo_json,
    engine,
    parse_day,
    parse_moment,
    require_decision,
    review_options,
)
from wufei.clitools import department as department_named
from wufei.db import make_sessionmaker, transaction


def _rules():
    from wufei.indicators.trajectory import TrackingRules

    return TrackingRules.load()


def _indicator(session, indicator_id: int):
    from wufei.indicators.models import Indicator

    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise CommandError(f"找不到指标 {indicator_id}")
    return indicator


def _describe(report) -> str:
    from wufei.cadence.periods import parse
    from wufei.indicators.models import IndicatorReportStatus
    from wufei.indicators.reporting import STATUS_NAMES

    return (
        f"[{report.id}] 指标[{report.indicator_id}]「{report.indicator.name}」{parse(report.period).chinese} "
        f"{jsonable(report.value)}{report.indicator.unit or ''} {report.department.name} 第{report.version}版 "
        f"{STATUS_NAMES[IndicatorReportStatus(report.status)]}{' 迟报' if report.late else ''}"
    )


@click.command("report")
@click.option("--indicator", "indicator_id", type=int, required=True, help="指标编号（wufei indicators 列出）")
@click.option("--dept", required=True, help="责任单位：衡水市/市生态环境局、别名，或唯一的部门名称")
@click.option("--period", required=True, help="报送期：2024（年）、2024-Q2（季度）、2024-05（月）")
@click.option("--value", required=True, help="数值，如 56.3 或 56.3%")
@click.option("--source", help="数据来源")
@click.option("--caliber", help="统计口径")
@click.option("--note", help="说明")
@click.option("--evidence", multiple=True, type=click.Path(path_type=Path), help="佐证材料文件，可重复")
@click.option("--at", "at_value", help="报送时间（默认现在，北京时间）")
@click.option("--json", "as_json", is_flag=True)
def report_command(indicator_id, dept, period, value, source, caliber, note, evidence, at_value, as_json) -> None:
    """报送一项指标某报送期的数值（数据来源、统计口径、佐证材料）"""
    from wufei.indicators.reporting import IndicatorReportError, owners, submit_value, value_as_dict

    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            indicator = _indicator(session, indicator_id)
            department = department_named(session, dept, prefer=set(owners(indicator)))
            report = submit_value(
                session,
                indicator_id=indicator_id,
                department_id=department.id,
                period=period,
                value=value,
                source=source,
                caliber=caliber,
                note=note,
                evidence=list(evidence),
                at=parse_moment(at_value, cadence),
                actor=actor(),
                rules=_rules(),
                cadence=cadence,
            )
            row, text = value_as_dict(report), _describe(report)
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        echo_json(row)
    else:
        click.echo(f"已报送：{text}")


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--at", "at_value", help="报送时间（默认现在，北京时间）")
def import_command(path: Path, at_value: str | None) -> None:
    """导入填好的指标填报表（.xlsx）：有错误则全部不写入"""
    from wufei.indicators.form import import_indicator_form
    from wufei.indicators.reporting import IndicatorReportError

    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            imported = import_indicator_form(
                session, path, at=parse_moment(at_value, cadence), actor=actor(), rules=_rules(), cadence=cadence
            )
            lines = [_describe(r) for r in imported.filed]
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    for line in lines:
        click.echo(f"✓ {line}")
    for note in imported.skipped:
        click.echo(f"- {note}")
    click.echo(f"已导入 {len(lines)} 项指标数值（未填本期数值的行不计为报送）")


@click.command("review")
@click.argument("report_id", type=int)
@review_options
def review_command(report_id: int, decision: str | None, reason: str | None, at_value: str | None) -> None:
    """审核指标数值：采纳（--accept）或退回（--return --reason 理由）"""
    from wufei.indicators.reporting import IndicatorReportError, review_value

    accept = require_decision(decision)
    cadence = cadence_config()
    try:
        with transaction(engine()) as session:
            report = review_value(
                session,
                report_id=report_id,
                accept=accept,
                reason=reason,
                actor=actor(),
                at=parse_moment(at_value, cadence),
                cadence=cadence,
            )
            text = _describe(report)
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已采纳：{text}" if decision == "accept" else f"已退回：{text}；已通知责任单位联络员重新填报")


@click.command("values")
@click.option("--indicator", "indicator_id", type=int, help="指标编号")
@click.option("--pending", is_flag=True, help="只列出待审核的")
@click.option("--json", "as_json", is_flag=True)
def values_command(indicator_id: int | None, pending: bool, as_json: bool) -> None:
    """列出报送的指标数值（含各版本）"""
    from wufei.indicators.models import IndicatorReportStatus
    from wufei.indicators.reporting import list_values, value_as_dict

    with make_sessionmaker(engine())() as session:
        reports = list_values(
            session,
            indicator_ids=[indicator_id] if indicator_id else None,
            status=IndicatorReportStatus.SUBMITTED if pending else None,
        )
        rows, lines = [value_as_dict(r) for r in reports], [_describe(r) for r in reports]
    if as_json:
        echo_json(rows)
        return
    for line in lines:
        click.echo(line)
    click.echo(f"共 {len(lines)} 条")


@click.command("track")
@click.option("--plan", "plan_ref", help="方案文号或编号")
@click.option("--as-of", "as_of", help="判定日期，如 2024-07-20（默认今天）")
@click.option("--behind", is_flag=True, help="只列出落后序时进度或逾期未报的")
@click.option("--json", "as_json", is_flag=True)
def track_command(plan_ref: str | None, as_of: str | None, behind: bool, as_json: bool) -> None:
    """各指标的亮灯、原因与完成预测（按序时进度、趋势）"""
    from dataclasses import asdict

    from wufei.clitools import plan_ids
    from wufei.indicators.reporting import TrackSummary, tracks
    from wufei.indicators.service import list_indicators

    cadence = cadence_config()
    day = parse_day(as_of) or cadence.today()
    with make_sessionmaker(engine())() as session:
        indicators = list_indicators(session, plan_ids=plan_ids(session, plan_ref))
        rows = tracks(session, indicators, as_of=day, rules=_rules(), reporting_since=cadence.weekly.reporting_since)
    if behind:
        rows = [r for r in rows if r.standing in ("behind", "overdue")]
    if as_json:
        echo_json([asdict(r) for r in rows])
        return
    for row in rows:
        click.echo(
            f"[{row.indicator_id}] {row.name}（{row.frequency_cn}）{row.reason}；"
            f"预计{row.forecast}：{row.forecast_reason}"
        )
    s = TrackSummary.of(rows)
    click.echo(
        f"共 {s.total} 项：达标 {s.met}，按序时进度 {s.on_track}，落后序时进度 {s.behind}，"
        f"逾期未报 {s.overdue}，无法判断 {s.unknown}；预计可以完成 {s.can_complete}"
    )


@click.command("owner")
@click.argument("indicator_id", type=int)
@click.option("--dept", required=True, help="责任单位")
def owner_command(indicator_id: int, dept: str) -> None:
    """指定指标的责任单位（牵头单位）"""
    from wufei.indicators.reporting import IndicatorReportError, set_owner

    try:
        with transaction(engine()) as session:
            department = department_named(session, dept)
            indicator = set_owner(session, indicator_id=indicator_id, department_id=department.id, actor=actor())
            text = f"指标[{indicator.id}]「{indicator.name}」的责任单位：{department.name}"
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已指定{text}")


@click.command("milestone")
@click.argument("indicator_id", type=int)
@click.option("--year", type=int, required=True, help="年份（该年末应达到的值）")
@click.option("--value", required=True, help="节点值")
def milestone_command(indicator_id: int, year: int, value: str) -> None:
    """设定指标某年末的节点值（改变序时进度轨迹）"""
    from wufei.indicators.reporting import IndicatorReportError, set_milestone

    try:
        with transaction(engine()) as session:
            set_milestone(session, indicator_id=indicator_id, year=year, value=value, actor=actor())
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已设定指标[{indicator_id}] {year}年末节点值：{value}")


@click.command("indicators")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dept", required=True, help="责任单位")
@click.option("--as-of", "as_of", help="生成日期（决定报送期，默认今天）")
def indicator_form_command(path: Path, dept: str, as_of: str | None) -> None:
    """指标填报表（某部门负责的指标，预填上期数值、数据来源和统计口径）"""
    from wufei.indicators.form import write_indicator_form
    from wufei.indicators.reporting import IndicatorReportError

    cadence = cadence_config()
    day = parse_day(as_of) or cadence.today()
    try:
        with make_sessionmaker(engine())() as session:
            department = department_named(session, dept)
            count = write_indicator_form(session, path, department_id=department.id, as_of=day, rules=_rules())
    except IndicatorReportError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"已生成指标填报表：{path}（{count} 项指标）")
