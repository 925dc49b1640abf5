"""The document builders: a snapshot's content → a `Document` (sections, tables, charts), one per
kind of figures. Each point (wufei.points) names its builder and gives it its title (`kind_cn`).

Every sentence and table here reads the snapshot only, never the database, so a document
regenerated from the same snapshot is the same document. The figures are read back into their
point's dataclasses and read by attribute. Numbers are printed as the figures give them (rates
as percentages with one decimal, scores as given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any, Protocol

from wufei.bulletins import charts
from wufei.bulletins.document import Chart, Document, Paragraph, Section, Table, chinese_number
from wufei.bulletins.snapshots import Content
from wufei.chinese import WeekError, chinese_date, chinese_week_of_label, parse_week
from wufei.figures.annual import AnnualFigures, AnnualUnit
from wufei.figures.cells import CellFigures
from wufei.figures.codec import from_json, to_json
from wufei.figures.common import COMPONENT_NAMES, IndicatorRef, ReportMiss, TaskRef, Totals, listed
from wufei.figures.half_year import HalfYearFigures
from wufei.figures.monthly import Cells, ExtensionGranted, Indicators, IndicatorTracking, MonthlyFigures
from wufei.figures.province import ProvinceFigures
from wufei.figures.quarterly import QuarterlyFigures, QuarterlyRules, QuarterUnit
from wufei.figures.self_assessment import SelfAssessmentFigures
from wufei.indicators import trajectory
from wufei.indicators.status import IndicatorStatus
from wufei.plans.work import any_zero_waste

RECIPIENTS = "领导小组各成员单位，各县（市、区）人民政府，各功能区管委会："
# a county's own bulletin goes down to its townships, not to 各县（市、区）
COUNTY_RECIPIENTS = "领导小组各成员单位，各乡镇人民政府、街道办事处："
TASK_COLUMNS = (
    "灯色",
    "方案",
    "清单",
    "编号",
    "任务名称",
    "牵头单位",
    "配合单位",
    "完成期限",
    "现行期限",
    "完成日期",
    "判定原因",
)
REPORT_COLUMNS = (
    "周次",
    "周起始日",
    "任务编号",
    "任务名称",
    "报送单位",
    "版本",
    "进度（%）",
    "报送时间",
    "是否迟报",
    "审核状态",
    "完成情况",
    "存在问题",
    "下步计划",
    "审核意见",
)


# --- small formatting helpers -------------------------------------------------------------------


class Named(Protocol):
    @property
    def number(self) -> str | None: ...

    @property
    def title(self) -> str | None: ...


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def names(items: list[str] | None) -> str:
    return "、".join(items) if items else "—"


def few(items: list[str] | None, limit: int = 3) -> str:
    """At most `limit` names, then 等N个单位: a supporting list can name every county."""
    if not items or len(items) <= limit + 1:
        return names(items)
    return f"{'、'.join(items[:limit])}等{len(items)}个单位"


def task_name(item: Named) -> str:
    number = f"{item.number} " if item.number else ""
    return f"{number}{item.title}"


def place(rank: int, ranks: Sequence[int]) -> str:
    """第3名, or 并列第3名 when another unit of the same ranking has the same place: a leader reading
    「第2名」 five times should be told the five tie."""
    return f"{'并列' if list(ranks).count(rank) > 1 else ''}第{rank}名"


TIES_NOTE = "注：得分相同的单位名次并列，排列不分先后。"


def cn_date(value: date | None) -> str:
    return chinese_date(value) if value else "—"


def due_text(due_date: date | None, deadline_raw: str | None) -> str:
    """The deadline in force as a Chinese date, else the plan's wording (长期坚持, 每年…)."""
    return cn_date(due_date) if due_date else deadline_raw or "—"


@dataclass(frozen=True)
class Work:
    """What a bulletin's plans are about, named from their titles in the snapshot. A 无废城市 plan is
    supervised by its “无废城市” leading group's office and its units are the group's 成员单位; any
    other 重点任务分工 (a county's 政府工作报告 分工, its 民生实事) by the government's 督查室, writing to
    the 责任单位 the plan named: 洋县's 十大民生实事 was titled “无废城市”建设 and issued by a
    领导小组办公室 it does not have."""

    subject: str  # 衡水市“无废城市”建设 | 洋县2024年十大民生实事项目 | 洋县重点工作 (several plans)
    issuer: str  # who issues the bulletin, at its head and under its text
    office: str  # who units report to: 领导小组办公室 | 洋县人民政府督查室
    approver: str  # who settles a provisional result: 领导小组 | 洋县人民政府
    units: str  # 成员单位 | 责任单位
    zero_waste: bool


def work(content: Content) -> Work:
    """A scope with no plan titles in its figures (the province roll-up) or with a 无废城市 plan among
    them is a 无废城市 scope, as it always was; otherwise the one plan's title, or 重点工作 for several."""
    prefix = _prefix(content)
    plans = content.figures.get("plans") or []
    titles = [p["title"] for p in plans if isinstance(p, dict) and p.get("title")]
    if not titles or any_zero_waste(titles):
        group = f"{prefix}“无废城市”建设工作领导小组"
        return Work(f"{prefix}“无废城市”建设", f"{group}办公室", "领导小组办公室", "领导小组", "成员单位", True)
    [first, *others] = sorted(set(titles))
    subject = f"{prefix}重点工作" if others else (first if first.startswith(prefix) else f"{prefix}{first}")
    government = f"{prefix}人民政府"
    return Work(subject, f"{government}督查室", f"{government}督查室", government, "责任单位", False)


def recipients(scope: str, units: str = "领导小组各成员单位") -> str:
    """主送 of a city's (or the whole system's) bulletin, or of a county's: 桃城区's office writes to
    its townships; a name that is not a known county (衡水市, a 功能区) keeps the city's. `units`: who
    is written to first (a government's 督查室 writes to 各责任单位)."""
    from wufei.places.divisions import COUNTY, divisions

    places = divisions().named(scope) if scope not in ("全部", "") else ()
    county = bool(places) and all(p.level == COUNTY for p in places)
    return (COUNTY_RECIPIENTS if county else RECIPIENTS).replace("领导小组各成员单位", units, 1)


def document(content: Content, snapshot_id: str, *, kind_cn: str, title: str, data_as_of: date) -> Document:
    w = work(content)
    return Document(
        kind=content.kind,
        kind_cn=kind_cn,
        title=title,
        issuer=w.issuer,
        scope=content.scope,
        period=to_json(content.period),
        date=content.as_of.isoformat(),
        snapshot_id=snapshot_id,
        data_as_of=data_as_of.isoformat(),
        recipients=recipients(content.scope, "领导小组各成员单位" if w.zero_waste else f"各{w.units}"),
        notes=[f"注：{content.calendar_note}。"] if content.calendar_note else [],
    )


def _prefix(content: Content) -> str:
    return "" if content.scope == "全部" else content.scope


def _weeks_text(weeks: list[str]) -> str:
    if not weeks:
        return "本期无已截止的报送周"
    first, last = chinese_week_of_label(weeks[0]), chinese_week_of_label(weeks[-1])
    if first[:5] == last[:5]:  # 2024年第19周至第22周: the year said once
        last = last[5:]
    return f"{first}至{last}共{len(weeks)}周" if len(weeks) > 1 else f"{chinese_week_of_label(weeks[0])}共1周"


def _light_counts(by: Any) -> str:
    """已完成13项、绿灯39项、红灯15项: the lights that hold tasks."""
    counts = (("已完成", by.done), ("绿灯", by.green), ("黄灯", by.yellow), ("红灯", by.red))
    return listed([(word, count, "项") for word, count in counts])


def _lights_paragraph(totals: Totals, lights_as_of: date, period_word: str) -> Paragraph:
    by = totals.by_light
    lights = _light_counts(by)
    in_period = listed([("到期", totals.due_in_period, "项"), ("完成", totals.done_in_period, "项")])
    return Paragraph(
        f"截至{cn_date(lights_as_of)}，纳入督办的任务{totals.supervised}项"
        + (f"（另有{totals.without_lead}项尚未明确牵头单位，待指定后计入）" if totals.without_lead else "")
        + (f"，其中{lights}" if lights else "")
        + (f"，逾期未完成{totals.overdue}项" if totals.overdue else "")
        + f"；{period_word}{in_period or '无到期或完成的任务'}。"
    )


def _lights_chart(content: Content) -> Chart | None:
    """None when no month has figures yet (nothing to draw)."""
    history = [to_json(point) for point in content.history.lights]
    title = "近12个月任务亮灯情况（月末）"
    return Chart("lights", title, partial(charts.lights_over_time, title, history)) if history else None


def _indicator_rows(items: list[IndicatorStatus]) -> list[list[str]]:
    rows = []
    for item in items:
        latest = item.latest
        rows.append(
            [
                item.number or "",
                f"{item.name}{item.marks or ''}",
                item.unit or "",
                item.baseline.raw or "—",
                item.target.raw or "—",
                f"{latest.value}（{latest.period_name}{'，待审核' if latest.pending else ''}）" if latest else "—",
                item.status_cn,
                "—" if item.on_track is None else ("是" if item.on_track else "否"),
                names(item.leads),
            ]
        )
    return rows


def _has_indicators(indicators: Indicators, tracking: IndicatorTracking | None) -> bool:
    """Whether the scope monitors any indicator: a plan that lists none (a 民生实事 list) has no
    indicator section, not 「纳入监测的指标0项，按各指标最新数值：。」."""
    return bool(indicators.summary.total or (tracking is not None and tracking.summary.total))


def _indicators_with_tracking(
    doc: Document, heading: str, indicators: Indicators, tracking: IndicatorTracking | None
) -> None:
    """The indicators' section with their filing and 序时进度 inside it; none at all for a plan that
    lists no indicator, and no tracking part when none is tracked (not 「0项指标中：」)."""
    if not _has_indicators(indicators, tracking):
        return
    section = doc.section(heading)
    _indicator_section(section, indicators)
    if tracking is not None and tracking.summary.total:
        part = Section("指标填报与序时进度")
        _tracking_section(part, tracking)
        section.add(part)


def _indicator_section(section: Section, indicators: Indicators) -> None:
    summary = indicators.summary
    if not summary.total:  # no 「指标0项，按各指标最新数值：。」 over an empty table
        section.add(Paragraph("方案未列纳入监测的指标。"))
        return
    section.add(
        Paragraph(
            f"纳入监测的指标{summary.total}项，按各指标最新数值："
            + listed(
                [
                    ("已达到目标值", summary.met, "项"),
                    ("向好", summary.improving, "项"),
                    ("保持", summary.holding, "项"),
                    ("持平", summary.flat, "项"),
                    ("变差", summary.worsening, "项"),
                    ("未达到目标值", summary.not_met, "项"),
                    ("暂无数据", summary.no_data, "项"),
                    ("无法判断", summary.unknown, "项"),
                ]
            )
            + (
                "；进展" + listed([("符合预期", summary.on_track, "项"), ("不符合预期", summary.off_track, "项")])
                if summary.on_track or summary.off_track
                else ""
            )
            + "。"
        )
    )
    section.add(
        Table(
            "指标进展情况",
            ["编号", "指标", "单位", "基线", "目标", "最新值", "进展", "符合预期", "牵头单位"],
            _indicator_rows(indicators.items),
            sheet="指标进展",
        )
    )
    shares = _indicator_shares(indicators.items)
    if shares:  # no chart of nothing: the table already says 暂无数据
        section.add(
            Chart(
                "indicators",
                "数值指标最新值与目标值",
                partial(charts.indicator_progress, "数值指标最新值与目标值", shares),
            )
        )


def _tracking_section(section: Section, tracking: IndicatorTracking) -> None:
    """From the values departments reported: each indicator's light with its reason, the forecast
    with its basis, and a chart of the values against their trajectories."""
    s = tracking.summary
    forecast = listed([("可以完成", s.can_complete, "项"), ("存在不确定性", s.total - s.can_complete, "项")])
    section.add(
        Paragraph(
            f"截至{chinese_date(tracking.as_of)}，按各部门填报的数值和序时进度，{s.total}项指标中："
            + listed(
                [
                    ("达标", s.met, "项"),
                    ("按序时进度", s.on_track, "项"),
                    ("落后序时进度", s.behind, "项"),
                    ("逾期未报", s.overdue, "项"),
                    ("无法判断", s.unknown, "项"),
                ]
            )
            + (f"；预计{forecast}" if forecast else "")
            + "。"
        )
    )
    shown = [t for t in tracking.items if t.standing != "unknown" or t.latest is not None]
    if not shown:  # the sentence says what there is: no heading over 「无。」
        return
    section.add(
        Table(
            "指标跟踪情况",
            ["编号", "指标", "报送频次", "最新值", "序时应达", "状态", "原因", "预计", "预测依据", "责任单位"],
            [
                [
                    t.number or "",
                    t.name,
                    t.frequency_cn,
                    f"{t.latest.period_cn} {trajectory.number(Decimal(str(t.latest.value)))}{t.unit or ''}"
                    + ("（待审核）" if t.latest.pending else "")
                    if t.latest
                    else "—",
                    f"{trajectory.number(Decimal(str(t.latest.expected)))}{t.unit or ''}"
                    if t.latest and t.latest.expected is not None
                    else "—",
                    t.standing_cn,
                    t.reason,
                    t.forecast,
                    t.forecast_reason,
                    names(t.owners),
                ]
                for t in shown
            ],
            sheet="指标跟踪",
        )
    )
    charted = [t for t in tracking.items if t.series and t.path][:6]
    if charted:
        section.add(
            Chart(
                "indicator_tracks",
                "指标数值与序时进度轨迹",
                partial(charts.indicator_trajectories, "指标数值与序时进度轨迹", [asdict(t) for t in charted]),
            )
        )


def _indicator_shares(items: list[IndicatorStatus]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        latest, target = item.latest, item.target
        if not latest or target.kind != "numeric" or not target.value or latest.value is None:
            continue
        value, goal = float(latest.value), float(target.value)
        if goal == 0 or value == 0:
            continue
        share = goal / value * 100 if item.direction == "down" else value / goal * 100
        rows.append(
            {
                "name": item.name,
                "share": round(share, 1),
                "on_track": item.on_track,
                "label": f"{latest.value}/{target.value}{item.unit or ''}",
            }
        )
    return rows


def _cells_section(section: Section, cells: Cells | None, *, registry_follows: bool = False) -> None:
    if not cells:
        if not registry_follows:  # else the registry's own figures follow: no 暂无 above them
            section.add(Paragraph("暂无无废细胞建设数据。"))
        return
    planned = cells.planned_total
    section.add(
        Paragraph(
            f"据{cells.source}，无废细胞累计建成{num(cells.built_total)}个"
            + (f"，方案计划{planned}个，完成率{pct(cells.completion_rate)}" if planned else "，方案未列总数")
            + "。"
            + "".join(f"{note}。" for note in cells.notes)
        )
    )
    section.add(
        Table(
            "无废细胞建设情况",
            ["类别", "数量", "单位", "目标", "状态", "牵头单位"],
            [
                [c.category, num(c.count), c.unit or "", num(c.target), c.status or "—", c.lead or "—"]
                for c in cells.categories
            ],
            sheet="无废细胞",
            numeric=(1, 3),
        )
    )


def _cell_registry_section(section: Section, cells: CellFigures) -> None:
    """The registered cells by category and by county (申报 → 创建中 → 评估 → 命名, 退回)."""
    t = cells.total
    section.add(
        Paragraph(
            f"截至{cn_date(cells.as_of)}，登记在册的无废细胞{t.applied + t.building + t.assessing + t.named}个"
            + (
                "：" + listed([("申报", t.applied, "个"), ("创建中", t.building, "个"), ("评估", t.assessing, "个")])
                if t.applied or t.building or t.assessing
                else ""
            )
            + ((f"、已命名{t.named}个" if t.in_progress else "，均已命名") if t.named else "")
            + (f"（本期命名{t.named_in_period}个）" if t.named_in_period else "")
            + (f"，另有退回{t.returned}个" if t.returned else "")
            + (
                f"；《{cells.planned_source}》计划建设{cells.planned_total}个，已命名的占{pct(t.completion_rate)}"
                if cells.planned_total
                else ""
            )
            + "。"
            + "".join(f"{note}。" for note in cells.notes)
        )
    )
    states = ["申报", "创建中", "评估", "命名", "本期命名", "退回"]

    def counts(row) -> list[str]:
        return [
            str(v) for v in (row.applied, row.building, row.assessing, row.named, row.named_in_period, row.returned)
        ]

    section.add(
        Table(
            "无废细胞创建进展（按类别）",
            ["类别", "牵头部门", "计划数", *states, "完成率"],
            [
                [c.name, c.lead or "—", num(c.planned), *counts(c), pct(c.completion_rate)]
                for c in [*cells.by_category, t]
            ],
            sheet="无废细胞按类别",
            numeric=(2, 3, 4, 5, 6, 7, 8),
        )
    )
    section.add(
        Table(
            "无废细胞创建进展（按县市区）",
            ["县（市、区）", *states],
            [[c.name, *counts(c)] for c in [*cells.by_county, t]],
            sheet="无废细胞按县市区",
            numeric=(1, 2, 3, 4, 5, 6),
        )
    )


def _extensions_table(items: list[ExtensionGranted]) -> Table:
    return Table(
        "延期审批情况",
        ["任务", "申请单位", "申请日期", "批准日期", "原期限", "延至", "理由"],
        [
            [
                task_name(e),
                e.department,
                cn_date(e.requested_on),
                cn_date(e.decided_on),
                cn_date(e.original_due_date),
                cn_date(e.new_due_date),
                e.reason,
            ]
            for e in items
        ],
        sheet="延期审批",
        dates=(2, 3, 4, 5),
    )


def _annex(content: Content) -> list[Table]:
    ledger = content.ledger
    tasks = [
        [
            t.light_cn,
            t.plan,
            t.list_kind,
            t.number,
            t.title,
            names(t.leads),
            names(t.supporting),
            t.deadline_raw or "—",
            cn_date(t.due_date),
            cn_date(t.completed_on),
            t.reason,
        ]
        for t in ledger.tasks
    ]
    reports = [
        [
            chinese_week_of_label(r.week),
            _week_monday(r.week),
            r.number,
            r.title,
            r.department,
            str(r.version),
            str(r.progress),
            _moment(r.submitted_at),
            "是" if r.late else "否",
            r.status,
            r.done_text or "",
            r.problems or "",
            r.next_steps or "",
            r.review_note or "",
        ]
        for r in ledger.reports
    ]
    return [
        Table("任务台账", list(TASK_COLUMNS), tasks, sheet="任务台账", dates=(8, 9)),
        Table("周报送记录", list(REPORT_COLUMNS), reports, sheet="周报送记录", numeric=(5, 6), dates=(1, 7)),
    ]


def _week_monday(label: str) -> str:
    """The week's Monday (2024年5月13日, a date in the workbook): the column a spreadsheet sorts and
    filters by, since 2024年第9周 sorts after 2024年第49周 as text."""
    try:
        return cn_date(parse_week(label))
    except WeekError:
        return ""


def _moment(local: str) -> str:
    """A snapshot's local time (2024-06-07 16:30) as 2024年6月7日 16:30 ("" stays "")."""
    if not local:
        return ""
    day, _, clock = local.partition(" ")
    return f"{cn_date(date.fromisoformat(day))} {clock}".strip()


# --- 月调度 --------------------------------------------------------------------------------------


def monthly(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(MonthlyFigures, content.figures)
    period = content.period
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{work(content).subject}{period.chinese}调度通报",
        data_as_of=f.lights_as_of,
    )
    reporting = f.reporting

    overall = doc.section("总体情况")
    overall.add(_lights_paragraph(f.totals, f.lights_as_of, "本月"))
    timely = listed([("按时", reporting.on_time, "次"), ("迟报", reporting.late, "次")])
    overall.add(
        Paragraph(
            f"本月报送周为{_weeks_text(reporting.weeks)}，应报送{reporting.expected}次，已报送{reporting.filed}次"
            + (f"，其中{timely}" if timely else "")
            + (f"，未报送{reporting.missing}次" if reporting.missing else "")
            + "。"
        )
    )
    overall.add(_lights_chart(content))

    w = work(content)
    units = doc.section(f"各{w.units}推进情况")
    units.add(Paragraph("各单位牵头任务及周报送情况如下（按牵头任务数排序）。"))
    rows = []
    for index, d in enumerate(f.departments, start=1):
        r = d.reports
        rows.append(
            [
                str(index),
                d.department,
                str(d.lead_tasks),
                str(d.done),
                str(d.done_on_time),
                str(d.done_in_period),
                str(d.overdue),
                str(d.red),
                str(d.yellow),
                str(d.green),
                str(r.expected),
                str(r.on_time),
                str(r.late),
                str(r.missing),
            ]
        )
    units.add(
        Table(
            f"各{w.units}任务推进及报送情况",
            [
                "序号",
                "单位",
                "牵头任务",
                "已完成",
                "按期完成",
                "本月完成",
                "逾期",
                "红灯",
                "黄灯",
                "绿灯",
                "应报",
                "按时",
                "迟报",
                "未报",
            ],
            rows,
            sheet="各单位情况",
            numeric=(0, *range(2, 14)),
        )
    )
    counted = sum(d.lead_tasks for d in f.departments)
    if counted > f.totals.supervised:  # a leader adding up the column should not find a mistake
        units.add(
            Paragraph(
                f"注：多个单位共同牵头的任务分别计入各牵头单位，表中牵头任务合计{counted}项，"
                f"多于纳入督办的任务数{f.totals.supervised}项。"
            )
        )
    units.add(
        Chart(
            "completion",
            "各单位牵头任务完成及亮灯情况",
            partial(
                charts.lights_by_unit,
                "各单位牵头任务完成及亮灯情况",
                [
                    {"name": d.department, "done": d.done, "green": d.green, "yellow": d.yellow, "red": d.red}
                    for d in f.departments
                ],
            ),
        )
    )

    changes = f.changes
    changed = doc.section("本月变化情况")
    changed_counts = listed(
        [
            ("新增逾期任务", changes.newly_overdue_count, "项"),
            ("完成", changes.closed_count, "项"),
            ("由红黄灯转为绿灯", changes.recovered_count, "项"),
            ("灯色变差", changes.worsened_count, "项"),
        ]
    )
    since = f"与{cn_date(changes.since)}相比，"
    changed.add(
        Paragraph(
            f"{since}{changed_counts}。" if changed_counts else f"{since}无新增逾期、完成、转为绿灯或灯色变差的任务。"
        )
    )
    for items, heading in (
        (changes.newly_overdue, "新增逾期任务"),
        (changes.closed, "本月完成任务"),
        (changes.recovered, "转为绿灯任务"),
        (changes.worsened, "灯色变差任务"),
    ):
        if not items:  # no heading over 「无。」: the sentence above already says none
            continue
        sub = Section(heading)
        sub.add(
            Table(
                heading,
                ["任务", "牵头单位", "上月", "本月", "原因"],
                [[task_name(i), names(i.leads), i.from_cn, i.to_cn, i.reason] for i in items],
                sheet=heading,
            )
        )
        changed.add(sub)

    attention = doc.section("红灯、黄灯任务")
    red = sum(1 for a in f.attention if a.light == "red")
    lit = listed([("红灯任务", red, "项"), ("黄灯任务", len(f.attention) - red, "项")])
    attention.add(
        Paragraph(f"截至{cn_date(f.lights_as_of)}，{lit}，清单及原因如下。" if lit else "本月无红灯、黄灯任务。")
    )
    attention.add(
        None
        if not f.attention
        else Table(
            "红灯、黄灯任务清单",
            ["灯色", "任务", "牵头单位", "配合单位", "现行期限", "原因"],
            [
                [
                    i.light_cn,
                    task_name(i),
                    names(i.leads),
                    few(i.supporting),
                    due_text(i.due_date, i.deadline_raw),
                    i.reason,
                ]
                for i in f.attention
            ],
            sheet="红黄灯任务",
            dates=(4,),
        )
    )

    _indicators_with_tracking(doc, "指标进展", f.indicators, f.tracking)
    if w.zero_waste or f.cells or f.cell_registry is not None:
        cells_section = doc.section("无废细胞建设")
        _cells_section(cells_section, f.cells, registry_follows=f.cell_registry is not None)
    if f.cell_registry is not None:
        registry = Section("无废细胞创建进展")
        _cell_registry_section(registry, f.cell_registry)
        cells_section.add(registry)

    upcoming = f.next_period
    following = doc.section(f"下月（{upcoming.period.chinese}）到期事项")
    due_next = listed([("到期任务", len(upcoming.tasks), "项"), ("阶段性节点", len(upcoming.milestones), "个")])
    following.add(
        Paragraph(
            f"{upcoming.period.chinese}{due_next}，清单如下。"
            if due_next
            else f"{upcoming.period.chinese}无到期任务和阶段性节点。"
        )
    )
    following.add(
        None
        if not upcoming.tasks
        else Table(
            "下月到期任务",
            ["到期日", "任务", "牵头单位", "当前灯色", "原因"],
            [[cn_date(t.due_date), task_name(t), names(t.leads), t.light_cn, t.reason] for t in upcoming.tasks],
            sheet="下月到期任务",
            dates=(0,),
        )
    )
    following.add(
        None
        if not upcoming.milestones
        else Table(
            "下月到期节点",
            ["到期日", "任务", "节点", "应达进度（%）", "牵头单位"],
            [
                [cn_date(m.due_date), task_name(m), m.milestone, str(m.expected_progress), names(m.leads)]
                for m in upcoming.milestones
            ],
            sheet="下月到期节点",
            numeric=(3,),
            dates=(0,),
        )
    )

    extensions = doc.section("延期审批情况")
    if f.extensions_granted:
        extensions.add(Paragraph(f"本月批准延期{len(f.extensions_granted)}项。"))
        extensions.add(_extensions_table(f.extensions_granted))
    else:
        extensions.add(Paragraph("本月未批准任务延期。"))
    requirements = _requirements(f, red)
    if requirements:
        closing = doc.section("下一步工作要求")
        for number, item in enumerate(requirements, start=1):
            closing.add(Paragraph(f"{chinese_number(number)}是{item}"))
    doc.annex = _annex(content)
    return doc.number()


@cache
def _requirement_templates() -> dict[str, str]:
    import yaml

    return yaml.safe_load((Path(__file__).parent / "templates" / "requirements.yaml").read_text(encoding="utf-8"))


def _requirements(f: MonthlyFigures, red: int) -> list[str]:
    """The closing 下一步工作要求 of a monthly, one item for each thing to do (templates/requirements.yaml)."""
    texts = _requirement_templates()
    items = []
    if f.totals.overdue:
        items.append(texts["overdue"].format(counts=f"{f.totals.overdue}项"))
    lit = listed([("红灯任务", red, "项"), ("黄灯任务", len(f.attention) - red, "项")])
    if lit:
        items.append(texts["attention"].format(counts=lit))
    r = f.reporting
    silent = [d.department for d in f.departments if d.reports.missing or d.reports.late]
    if r.missing or r.late:
        counts = listed([("未报送", r.missing, "次"), ("迟报", r.late, "次")])
        items.append(texts["reporting"].format(counts=counts, units=few(silent) if silent else "有关单位"))
    upcoming = f.next_period
    due_next = listed([("到期任务", len(upcoming.tasks), "项"), ("阶段性节点", len(upcoming.milestones), "个")])
    if due_next:
        items.append(texts["upcoming"].format(month=upcoming.period.chinese, counts=due_next))
    return items


# --- 季通报 --------------------------------------------------------------------------------------


def _group_named(reason: str, group_cn: str, units: str) -> str:
    """A praise reason as the figures wrote it (成员单位第1名，…) with the work's word for the
    departments (责任单位第1名): the figures say 成员单位 whatever the plan."""
    return units + reason.removeprefix(group_cn) if reason.startswith(group_cn) else reason


def _rules_paragraph(rules: QuarterlyRules) -> Paragraph:
    w, d = rules.weights, rules.deductions
    praise, lagging = rules.praise, rules.lagging
    red_rule = f"有红灯任务{num(lagging.red_tasks)}项及以上或" if lagging.red_tasks else ""
    return Paragraph(
        f"计分规则：任务完成率{num(w.completion)}分、按期完成率{num(w.on_time)}分、按时报送率{num(w.reporting)}分，"
        f"季末每项红灯任务扣{num(d.red)}分、黄灯任务扣{num(d.yellow)}分（无到期任务或无应报送周次的项目得满分）。"
        f"各组前{num(praise.top)}名、得分不低于{num(praise.min_score)}分且无红灯任务的单位予以表扬；"
        f"{red_rule}得分低于{num(lagging.below_score)}分的单位予以通报。"
    )


def _score_table(title: str, rows: list[QuarterUnit], sheet: str) -> Table:
    return Table(
        title,
        ["排名", "单位", "承担任务", "到期", "完成", "完成率", "按期率", "按时报送率", "红灯", "黄灯", "扣分", "得分"],
        [
            [
                str(r.rank),
                r.department,
                str(r.tasks),
                str(r.due),
                str(r.done),
                pct(r.rates.completion),
                pct(r.rates.on_time),
                pct(r.rates.reporting),
                str(r.red),
                str(r.yellow),
                num(-r.points.deduction if r.points.deduction else 0),
                num(r.score),
            ]
            for r in rows
        ],
        sheet=sheet,
        numeric=(0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
    )


def _score_chart(key: str, title: str, rows: Sequence[QuarterUnit | AnnualUnit]) -> Chart:
    return Chart(
        key,
        title,
        partial(
            charts.rates_by_unit, title, [{"name": r.department, "value": r.score} for r in rows], xlabel="得分（分）"
        ),
    )


def quarterly(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(QuarterlyFigures, content.figures)
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"关于{work(content).subject}{content.period.chinese}工作推进情况的通报",
        data_as_of=f.lights_as_of,
    )
    overall = doc.section("总体情况")
    overall.add(_lights_paragraph(f.totals, f.lights_as_of, "本季度"))
    overall.add(_rules_paragraph(f.rules))
    overall.add(_lights_chart(content))

    units = work(content).units
    for rows, key, heading, sheet in (
        (f.departments, "departments", f"{units}得分及排名", f"{units}排名"),
        (f.localities, "localities", "县（市、区）及功能区得分及排名", "县市区排名"),
    ):
        section = doc.section(heading)
        if not rows:
            section.add(Paragraph("本季度无参与排名的单位。"))
            continue
        section.add(_score_table(heading, rows, sheet))
        if len({r.rank for r in rows}) < len(rows):
            section.add(Paragraph(TIES_NOTE))
        section.add(_score_chart(f"scores-{key}", f"{heading.removesuffix('及排名')}", rows))

    praised = doc.section("表扬单位")
    if not f.praised:
        praised.add(Paragraph("本季度无符合表扬条件的单位。"))
    for unit in f.praised:
        reasons = [_group_named(r, unit.group_cn, units) if unit.group == "department" else r for r in unit.reasons]
        praised.add(Paragraph("；".join(reasons + unit.facts) + "。", emphasis=f"{unit.department}："))
    lagging = doc.section("通报单位")
    if not f.lagging:
        lagging.add(Paragraph("本季度无被通报的单位。"))
    ranks = {"department": [r.rank for r in f.departments], "locality": [r.rank for r in f.localities]}
    for named in f.lagging:
        text = "；".join(named.reasons + named.facts) + "。"
        if named.red_tasks:
            text += "红灯任务：" + "；".join(f"{task_name(t)}（{t.reason}）" for t in named.red_tasks) + "。"
        group = units if named.group == "department" else named.group_cn
        where = f"{group}{place(named.rank, ranks.get(named.group, []))}"
        lagging.add(Paragraph(text, emphasis=f"{named.department}（{where}）："))
    if f.lagging:
        lagging.add(Paragraph(f"请被通报单位于通报印发后10个工作日内向{work(content).office}书面报告整改措施。"))
    if f.tracking is not None and f.tracking.summary.total:  # none tracked: left out, not 「0项指标中：」
        _tracking_section(doc.section("指标填报与序时进度"), f.tracking)
    doc.annex = _annex(content)
    return doc.number()


# --- 半年观摩 ------------------------------------------------------------------------------------


def half_year(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(HalfYearFigures, content.figures)
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{work(content).subject}{content.period.chinese}观摩项目清单",
        data_as_of=f.lights_as_of,
    )
    totals = f.totals
    by = totals.by_light
    overall = doc.section("总体情况")
    if not totals.projects:  # no 「工程项目共0个……拟观摩……0个」 over empty tables
        overall.add(Paragraph(f"截至{cn_date(f.lights_as_of)}，方案未列工程项目，本期无观摩项目。"))
        doc.annex = _annex(content)
        return doc.number()
    lights = listed(
        [("已完成", by.done, "个"), ("绿灯", by.green, "个"), ("黄灯", by.yellow, "个"), ("红灯", by.red, "个")]
    )
    overall.add(
        Paragraph(
            f"截至{cn_date(f.lights_as_of)}，工程项目共{totals.projects}个，纳入督办{totals.supervised}个"
            + (f"（另有{totals.without_lead}个尚未明确牵头单位）" if totals.without_lead else "")
            + (f"，其中{lights}" if lights else "")
            + "。"
            + (
                f"拟观摩在建及存在风险的项目{totals.to_visit}个，红灯、黄灯项目列前。"
                if totals.to_visit
                else "无在建或存在风险的项目需观摩。"
            )
        )
    )
    overall.add(_lights_chart(content))
    sites = doc.section("观摩项目清单")
    rows = []
    for index, s in enumerate(f.sites, start=1):
        report = s.last_report
        last = (
            (
                f"{chinese_week_of_label(report.week)}，进度{report.progress}%：{report.done_text or '—'}"
                + (f"；存在问题：{report.problems}" if report.problems else "")
            )
            if report
            else "未报送"
        )
        rows.append(
            [
                str(index),
                task_name(s),
                names(s.leads),
                s.company or "—",
                s.place or "—",
                due_text(s.due_date, s.deadline_raw),
                s.light_cn,
                s.reason,
                last,
            ]
        )
    sites.add(
        Table(
            "观摩项目清单",
            ["序号", "项目", "牵头单位", "责任主体", "所在地", "现行期限", "状态", "判定原因", "最近一次报送"],
            rows,
            sheet="观摩项目",
            dates=(5,),
        )
    )
    waiting = doc.section("尚未明确牵头单位的项目")
    waiting.add(
        Table(
            "尚未明确牵头单位的项目",
            ["项目", "责任主体", "完成期限"],
            [[task_name(t), t.company or "—", t.deadline_raw or "—"] for t in f.without_lead],
            sheet="待明确牵头单位",
        )
    )
    if f.cell_registry is not None:
        _cell_registry_section(doc.section("无废细胞创建情况"), f.cell_registry)
    doc.annex = _annex(content)
    return doc.number()


# --- 年终考核 ------------------------------------------------------------------------------------


def _annual_table(title: str, rows: list[AnnualUnit], weights: dict[str, float], sheet: str) -> Table:
    keys = list(weights)
    columns = (
        ["排名", "单位", "应完成", "完成"]
        + [f"{COMPONENT_NAMES.get(k, k)}（{num(weights[k])}分）" for k in keys]
        + ["黄色督办单", "红色督办单", "扣分", "得分"]
    )
    body = []
    for r in rows:
        points = {c.key: c.points for c in r.components}
        deduction = r.points.deduction or 0
        body.append(
            [str(r.rank), r.department, str(r.due), str(r.completed)]
            + [num(points.get(k)) for k in keys]
            + [str(r.slips.yellow_slip), str(r.slips.red_slip), num(abs(deduction)), num(r.score)]
        )
    return Table(title, columns, body, sheet=sheet, numeric=tuple(i for i in range(len(columns)) if i != 1))


def _ref_text(ref: TaskRef | ReportMiss | IndicatorRef) -> str:
    if isinstance(ref, ReportMiss):  # a weekly report missed or late
        return f"{chinese_week_of_label(ref.week)} {task_name(ref) if ref.title else ''}".strip()
    if isinstance(ref, IndicatorRef):
        return ref.name
    return task_name(ref)


def _ref_note(ref: TaskRef | ReportMiss | IndicatorRef, *, missed: bool) -> str:
    """Why the item counts: a task's note; for what was missed, a report's or indicator's status."""
    if missed and isinstance(ref, ReportMiss | IndicatorRef):
        return ref.status_cn
    return (ref.note if not isinstance(ref, ReportMiss) else None) or ""


def _breakdown(section: Section, rows: list[AnnualUnit], annex: list[Table]) -> None:
    """Each unit's facts and the points of each item; the tasks, reports, indicators and slips
    that earned or lost them go to the annex (`annex`): listed in the document, every report week
    of every unit, they made the year-end assessment a hundred printed pages."""
    ranks = [r.rank for r in rows]
    for row in rows:
        sub = Section(f"{row.department}（{place(row.rank, ranks)}，{num(row.score)}分）")
        sub.add(Paragraph("；".join(row.facts) + "。"))
        components = row.components
        sub.add(
            Table(
                f"{row.department}得分构成",
                ["评分项", "规则", "计入/应计", "比率", "得分", "失分"],
                [
                    [
                        c.name,
                        c.rule or "—",
                        f"{c.numerator}/{c.denominator}",
                        pct(c.rate),
                        num(c.points),
                        num(c.lost),
                    ]
                    for c in components
                ],
                sheet="各单位得分构成",
                numeric=(4, 5),
                merge=True,
            )
        )
        items = []
        for c in components:
            for ref in c.counted:
                items.append([c.name, "得分", _ref_text(ref), _ref_note(ref, missed=False)])
            for ref in c.missed:
                items.append([c.name, "失分", _ref_text(ref), _ref_note(ref, missed=True)])
            for ref in c.excluded:
                items.append([c.name, "不计入", _ref_text(ref), _ref_note(ref, missed=False)])
        for d in row.deductions:
            items.append(["扣分", d.kind_cn, task_name(d), d.note or ""])
        if components and items:
            annex.append(
                Table(
                    f"{row.department}得分与失分事项",
                    ["评分项", "计分", "任务、报送或指标", "说明"],
                    items,
                    sheet="各单位得分失分事项",
                    merge=True,
                )
            )
        section.add(sub)


def annual(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(AnnualFigures, content.figures)
    provisional = "（暂定）" if f.provisional else ""
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{work(content).subject}{content.period.chinese}度考核结果{provisional}",
        data_as_of=f.lights_as_of,
    )
    rules = f.rules
    weights = to_json(rules.weights)
    d = rules.deductions
    overall = doc.section("总体情况")
    overall.add(_lights_paragraph(f.totals, f.lights_as_of, "年内"))
    uses = "原定期限（批准延期不改变考核期限）" if rules.assessment_uses == "original" else "批准延期后的期限"
    parts = "、".join(f"{COMPONENT_NAMES.get(k, k)}{num(v)}分" for k, v in weights.items())
    overall.add(
        Paragraph(
            f"考核规则：{parts}；每张黄色督办单扣{num(d.yellow_slip)}分、红色督办单扣{num(d.red_slip)}分；"
            f"有期限任务按{uses}考核"
            + (
                f"；{f.rules.indicator_values}"
                if f.rules.indicator_values and _has_indicators(f.indicators, f.tracking)
                else ""
            )
            + "。"
            + (f"本结果为暂定结果，以{work(content).approver}审定为准。" if f.provisional else "")
        )
    )
    overall.add(_lights_chart(content))
    items: list[Table] = []  # each unit's scoring items, for the annex
    w = work(content)
    for rows, key, heading, sheet in (
        (f.departments, "departments", f"{w.units}考核得分及排名", f"{w.units}得分"),
        (f.localities, "localities", "县（市、区）及功能区考核得分及排名", "县市区得分"),
    ):
        section = doc.section(heading)
        if not rows:
            section.add(Paragraph("无参与考核的单位。"))
            continue
        section.add(_annual_table(heading, rows, weights, sheet))
        if len({r.rank for r in rows}) < len(rows):
            section.add(Paragraph(TIES_NOTE))
        section.add(_score_chart(f"scores-{key}", heading.removesuffix("及排名"), rows))
        listed_before = len(items)
        _breakdown(section, rows, items)
        if len(items) > listed_before:
            section.blocks.insert(
                len(section.blocks) - len(rows),
                Paragraph("各单位得分、失分所涉任务、周报送和指标的逐项明细见附件“各单位得分失分事项”表。"),
            )
    _indicators_with_tracking(doc, "指标完成情况", f.indicators, f.tracking)
    if w.zero_waste or f.cells:
        _cells_section(doc.section("无废细胞建设"), f.cells)
    doc.annex = items + _annex(content)
    return doc.number()


# --- 年度自评估（报省） ------------------------------------------------------------------------


def self_assessment(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(SelfAssessmentFigures, content.figures)
    year = content.period.label
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{_prefix(content)}“无废城市”建设{year}年度自评估报告",
        data_as_of=f.lights_as_of,
    )
    doc.recipients = f"{f.submit_to}“无废城市”建设工作领导小组办公室：" if f.submit_to else ""
    summary, tasks = f.indicators.summary, f.tasks.summary
    forecast = listed([("可以完成", summary.can_complete, "项"), ("存在不确定性", summary.uncertain, "项")])
    overall = doc.section("总体情况")
    overall.add(
        Paragraph(
            f"现将{year}年度“无废城市”建设自评估情况报告如下。"
            + (
                f"纳入自评估的指标{summary.total}项"
                + (
                    "，其中"
                    + listed([("约束性", summary.binding, "项"), ("预期性", summary.expected, "项")])
                    + (f"、未标注{summary.unmarked}项" if summary.unmarked else "")
                    if summary.binding or summary.expected
                    else "（方案未标注约束性、预期性）"
                )
                + (f"；预计{forecast}" if forecast else "")
                + "。"
                if summary.total
                else "方案未列纳入自评估的指标。"
            )
            + f"方案任务{tasks.tasks}项，纳入督办{tasks.supervised}项"
            + (f"，已完成{tasks.done}项" if tasks.done else "，均未完成")
            + (f"，{tasks.reported}项有本年度进展报送。" if tasks.reported else "，均无本年度进展报送。")
        )
    )
    reference = f.reference
    overall.add(
        Paragraph(
            f"本报告应于{f.due_on_cn}前报送"
            + ("（已超过报送期限）" if f.late else "")
            + "。"
            + (
                f"指标表对照{reference.doc_number or reference.title}的格式，"
                + (f"{summary.matched}项已对应" if summary.matched else "尚无指标对应")
                + (
                    f"，参照表中另有{len(f.indicators.reference_unmatched)}项尚未对应，列于后表，请补充"
                    if f.indicators.reference_unmatched
                    else ""
                )
                + "。"
                if reference
                else ""
            )
        )
    )
    indicators = doc.section("指标完成情况")
    if not f.indicators.rows:  # no table heading over 「无。」
        indicators.add(Paragraph("方案未列纳入自评估的指标。"))
    else:
        indicators.add(
            Table(
                "指标完成情况及预计",
                ["序号", "类别", "指标", "单位", "目标值", "现状值", "预计完成情况", "指标属性", "牵头单位"],
                [
                    [
                        str(r.seq),
                        r.category or "—",
                        f"{r.name}{r.marks or ''}",
                        r.unit or "",
                        r.target or "—",
                        f"{r.current_text}（{r.current.year}年）" if r.current and r.current_text else "暂无",
                        r.forecast,
                        r.attribute_cn,
                        names(r.leads),
                    ]
                    for r in f.indicators.rows
                ],
                sheet="指标自评估",
                numeric=(0,),
            )
        )
    uncertain = [r for r in f.indicators.rows if r.forecast != "可以完成"]
    if uncertain:
        sub = Section("存在不确定性的指标")
        for r in uncertain:
            sub.add(Paragraph(r.forecast_reason or r.status_cn, emphasis=f"{r.name}："))
        indicators.add(sub)
    unmatched = f.indicators.reference_unmatched
    if unmatched:
        indicators.add(
            Table(
                "参照表中尚未对应的指标（请补充）",
                ["编号", "类别", "指标", "指标属性"],
                [[u.number or "", u.category or "—", u.name, u.attribute_cn] for u in unmatched],
                sheet="待补充指标",
            )
        )
    progress = doc.section("任务推进情况")
    for area in f.tasks.areas:
        sub = Section(f"{area.area}（{area.plan}）")
        sub.add(Paragraph(area.summary + "。"))
        sub.add(
            Table(
                f"{area.area}任务进展",
                ["编号", "任务", "牵头单位", "状态", "灯色", "最新进展"],
                [
                    [
                        i.number or "",
                        i.title,
                        names(i.leads),
                        i.state_cn,
                        i.light_cn,
                        (
                            f"{chinese_week_of_label(i.latest_report.week)}，进度{i.latest_report.progress}%："
                            f"{i.latest_report.done_text or '—'}"
                        )
                        if i.latest_report
                        else "—",
                    ]
                    for i in area.items
                ],
                sheet=f"{area.area}"[:28],
            )
        )
        progress.add(sub)
    doc.annex = _annex(content)
    return doc.number()


# --- 省级汇总 ----------------------------------------------------------------------------------


def province(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(ProvinceFigures, content.figures)
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{content.scope}“无废城市”建设{content.period.chinese}各市推进情况汇总（{f.kind_cn}）",
        data_as_of=f.lights_as_of,
    )
    doc.recipients = "各设区市“无废城市”建设工作领导小组办公室："
    totals = f.totals
    overall = doc.section("总体情况")
    if totals is not None and totals.rates is not None:
        by, rates = totals.by_light, totals.rates
        overall.add(
            Paragraph(
                f"截至{cn_date(f.lights_as_of)}，全省纳入督办的任务{totals.supervised}项，其中{_light_counts(by)}"
                + (f"，逾期未完成{totals.overdue}项" if totals.overdue else "")
                + "；已到期"
                f"{totals.due}项、完成{totals.done}项（完成率{pct(rates.completion)}，按期率{pct(rates.on_time)}），"
                f"按时报送率{pct(rates.reporting)}，指标达标率{pct(rates.indicators)}。"
            )
        )
    else:
        overall.add(Paragraph("本期无汇总数据。"))
    cities = doc.section("各市推进情况及排名")
    rows = f.cities
    cities.add(
        Table(
            "各市推进情况及排名",
            [
                "排名",
                "城市",
                "纳入督办",
                "已完成",
                "绿灯",
                "黄灯",
                "红灯",
                "逾期",
                "完成率",
                "按期率",
                "按时报送率",
                "指标达标率",
                "得分",
            ],
            [
                [
                    str(r.rank),
                    r.scope,
                    str(r.supervised),
                    str(r.by_light.done),
                    str(r.by_light.green),
                    str(r.by_light.yellow),
                    str(r.by_light.red),
                    str(r.overdue),
                    pct(r.rates.completion if r.rates else None),
                    pct(r.rates.on_time if r.rates else None),
                    pct(r.rates.reporting if r.rates else None),
                    pct(r.rates.indicators if r.rates else None),
                    num(r.score),
                ]
                for r in rows
            ],
            sheet="各市排名",
            numeric=tuple(i for i in range(13) if i != 1),
        )
    )
    if rows:
        cities.add(
            Chart(
                "scores-cities",
                "各市得分",
                partial(
                    charts.rates_by_unit,
                    "各市得分",
                    [{"name": r.scope, "value": r.score} for r in rows],
                    xlabel="得分（分）",
                ),
            )
        )
    own = f.province_plan
    if own and own.plans:  # a province without a plan of its own: nothing to say of one
        section = doc.section("省级方案落实情况")
        lights = _light_counts(own.by_light)
        section.add(
            Paragraph(
                f"省级方案（{names(own.plans)}）纳入督办的任务{own.supervised}项"
                + (f"，{lights}。" if lights else "。")
                if own.supervised
                else f"省级方案（{names(own.plans)}）暂无纳入督办的任务。"
            )
        )
    if own and own.plans and any(r.province_tasks.tasks for r in rows):
        section.add(
            Table(
                "各市承担的省级方案任务",
                ["城市", "任务", "已完成", "绿灯", "黄灯", "红灯"],
                [
                    [r.scope, str(r.province_tasks.tasks)]
                    + [str(getattr(r.province_tasks.by_light, k)) for k in ("done", "green", "yellow", "red")]
                    for r in rows
                ],
                sheet="省级方案任务",
                numeric=(1, 2, 3, 4, 5),
            )
        )
    # how the figures were added up: after the results, as a leader reads the results first
    method = doc.section("汇总方法")
    for sentence in f.method:
        method.add(Paragraph(sentence))
    weights = "、".join(f"{COMPONENT_NAMES.get(k, k)}{num(v)}分" for k, v in f.weights.items())
    if weights:
        method.add(Paragraph(f"本期权重：{weights}。"))
    doc.annex = _annex(content)
    return doc.number()
