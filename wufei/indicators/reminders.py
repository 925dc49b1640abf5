"""Reminders and escalations about indicator values, through the escalation ladder (its
`indicator_due` and `indicator_behind` steps, `wufei/escalation/ladder.yaml`). The daily scan
runs this beside the task ladder (`wufei.points.runs.daily_scan`). Services take a Session and
never commit.

- Which indicators: those of supervised plans (kind `plan`), each told to its lead department
  (`lead_liaison`, `lead_leader`), its supporting ones, the office or the group as a step says.
- Report dates (`indicator_due`): the last period whose value was due before `as_of` (the steps
  after its report date: 逾期未报) and the periods after it that have begun (the steps before
  theirs: 报送提醒), each while no value is in for it. A value awaiting review counts as
  reported, as does a value of a later period (the light reads values the same way); a period
  ending before reporting started (`reporting_from`) is never owed.
- Behind (`indicator_behind`): the indicator's light is 落后序时进度 (yellow or red) by its latest
  value; each step once per such value's period.
- Keys: `<step>|indicator:<id>|period:<label>|<audience>|dept:<id>`, inserted ON CONFLICT DO
  NOTHING: every step once per indicator, period and recipient, however often the scan runs.
- Recovery: an unresolved report-date intent whose period has since been reported is resolved
  已报送; a behind intent whose indicator is no longer behind by that period's value, 已不落后 (or
  已报送新一期数值 when a later value replaced it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.cadence import periods
from wufei.cadence.config import CadenceConfig
from wufei.cadence.periods import Period
from wufei.calendar.workdays import WorkCalendar
from wufei.chinese import chinese_date
from wufei.departments.models import Department
from wufei.escalation.ladder import (
    RECIPIENT_NAMES,
    Anchor,
    Ladder,
    Recipient,
    Step,
    behind_steps,
    indicator_steps_due,
)
from wufei.indicators import trajectory as rules_
from wufei.indicators.models import Indicator, IndicatorDepartment
from wufei.indicators.reporting import IndicatorTrack, reporting_from, tracks
from wufei.indicators.trajectory import TrackingRules
from wufei.notices.models import Audience, NoticeIntent
from wufei.notices.service import create_intents_returning, resolve_intents
from wufei.plans.models import Plan, PlanKind
from wufei.plans.queries import office_name
from wufei.tasks.models import Role

RESOLVED_REPORTED = "已报送"
RESOLVED_NOT_BEHIND = "已不落后"
RESOLVED_NEWER = "已报送新一期数值"

_AUDIENCE = {
    Recipient.LEAD_LIAISON: (Audience.LIAISON, Role.LEAD),
    Recipient.SUPPORTING_LIAISON: (Audience.LIAISON, Role.SUPPORTING),
    Recipient.LEAD_LEADER: (Audience.LEADER, Role.LEAD),
    Recipient.OFFICE: (Audience.OFFICE, None),
    Recipient.GROUP: (Audience.GROUP, None),
}


@dataclass
class IndicatorReminders:
    as_of: date
    indicators: int = 0  # indicators looked at
    created_by_step: dict[str, int] = field(default_factory=dict)
    created: int = 0
    resolutions: dict[str, int] = field(default_factory=dict)  # 已报送 / 已不落后 … → count
    created_ids: list[int] = field(default_factory=list)

    @property
    def resolved(self) -> int:
        return sum(self.resolutions.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicators": self.indicators,
            "created_by_step": dict(self.created_by_step),
            "created": self.created,
            "resolved": self.resolved,
            "resolutions": dict(self.resolutions),
        }


def intent_key(step: str, *, indicator_id: int, period: str, audience: str, department_id: int | None) -> str:
    """`indicator_overdue_1|indicator:14|period:2024-Q2|liaison|dept:45`."""
    dept = "-" if department_id is None else department_id
    return f"{step}|indicator:{indicator_id}|period:{period}|{audience}|dept:{dept}"


def _indicator_of(key: str) -> int | None:
    """The indicator an `intent_key` names (its payload says so too, but the key needs no JSON
    decoded: the scan reads every unresolved indicator intent each day)."""
    part = key.split("|", 2)[1] if key.count("|") >= 2 else ""
    number = part.removeprefix("indicator:")
    return int(number) if part.startswith("indicator:") and number.isdigit() else None


def supervised_indicators(session: Session, *, plan_ids: Collection[int] | None = None) -> list[Indicator]:
    """The indicators of supervised plans (of these plans), with their plans and values; their
    departments are read apart (`owners_of`)."""
    query = select(Indicator).join(Plan, Plan.id == Indicator.plan_id).where(Plan.kind == PlanKind.PLAN)
    if plan_ids is not None:
        query = query.where(Plan.id.in_(sorted(plan_ids)))
    return list(
        session.scalars(
            query.options(selectinload(Indicator.plan), selectinload(Indicator.values)).order_by(
                Indicator.plan_id, Indicator.id
            )
        )
    )


class Owner(NamedTuple):  # a tuple: the scan makes some 640 a day, and a frozen dataclass costs twice as much
    role: Role
    department_id: int
    name: str


def owners_of(session: Session, indicator_ids: Collection[int]) -> dict[int, list[Owner]]:
    """Indicator id → its departments in their order, read as plain rows: the scan runs daily, and
    building a mapped object for each of an indicator's many departments cost most of its time."""
    owners: dict[int, list[Owner]] = {indicator_id: [] for indicator_id in indicator_ids}
    for indicator_id, role, department_id, name in session.execute(
        select(
            IndicatorDepartment.indicator_id,
            IndicatorDepartment.role,
            IndicatorDepartment.department_id,
            Department.name,
        )
        .join(Department, Department.id == IndicatorDepartment.department_id)
        .where(IndicatorDepartment.indicator_id.in_(sorted(owners)))
        .order_by(IndicatorDepartment.indicator_id, IndicatorDepartment.position, IndicatorDepartment.id)
    ):
        owners[indicator_id].append(Owner(role, department_id, name))
    return owners


def remind_indicators(
    session: Session,
    *,
    as_of: date,
    calendar: WorkCalendar,
    ladder: Ladder,
    tracking: TrackingRules,
    cadence: CadenceConfig,
    plan_ids: Collection[int] | None = None,
) -> IndicatorReminders:
    """Create today's indicator intents and resolve those that no longer hold (see the module)."""
    result = IndicatorReminders(as_of=as_of)
    steps = ladder.indicator_due_steps + ladder.indicator_behind_steps
    if not steps:
        return result
    indicators = supervised_indicators(session, plan_ids=plan_ids)
    result.indicators = len(indicators)
    if not indicators:
        return result
    since = cadence.weekly.reporting_since
    owners = owners_of(session, [indicator.id for indicator in indicators])
    leads = {i: [owner.name for owner in found if owner.role == Role.LEAD] for i, found in owners.items()}
    rows = tracks(session, indicators, as_of=as_of, rules=tracking, reporting_since=since, leads=leads)
    tracked = {indicator.id: (indicator, row) for indicator, row in zip(indicators, rows, strict=True)}

    intents: list[dict[str, Any]] = []
    office = office_name(session)
    due_steps: dict[date, list[Step]] = {}  # report date → its steps owed today (if not reported)
    for indicator, row in tracked.values():
        frequency = tracking.frequency_of(indicator.name)
        start = reporting_from(indicator, since)
        for period in _periods_owed(frequency, as_of, tracking):
            if start is not None and period.end < start:
                continue
            due = rules_.due_on(period, tracking)
            if _reported(row, period):
                continue
            if due not in due_steps:
                due_steps[due] = indicator_steps_due(
                    due=due, reported=False, as_of=as_of, calendar=calendar, ladder=ladder
                )
            owed = due_steps[due]
            if not owed:
                continue
            counted = calendar.workdays_between(due, as_of)
            values = {
                "indicator": indicator.name,
                "period": period.chinese,
                "due": chinese_date(due),
                "workdays_left": max(-counted, 0),
                "days_overdue": max(counted, 0),
                "office": office,
            }
            for step in owed:
                extra = {
                    "due_date": due.isoformat(),
                    "due_date_cn": chinese_date(due),
                    "workdays_left": values["workdays_left"],
                    "days_overdue": values["days_overdue"],
                }
                intents.extend(_intents(step, indicator, owners[indicator.id], row, period, as_of, values, extra))
        if row.standing == str(rules_.Standing.BEHIND) and row.latest is not None:
            period = periods.parse(row.latest.period)
            values = {"indicator": indicator.name, "period": period.chinese, "reason": row.reason, "office": office}
            for step in behind_steps(row.colour, ladder):
                intents.extend(
                    _intents(step, indicator, owners[indicator.id], row, period, as_of, values, {"gap": row.gap})
                )

    result.resolutions, stored = _recover(session, tracked=tracked, as_of=as_of, steps=steps)
    # Keys stored already are not offered again (the insert would skip them too): most days
    # owe nothing new, and then nothing is inserted at all.
    created = create_intents_returning(session, [intent for intent in intents if intent["key"] not in stored])
    result.created_ids = sorted(i for i, _ in created)
    result.created_by_step = dict(Counter(step for _, step in created))
    result.created = len(created)
    return result


def _periods_owed(frequency: rules_.Frequency, as_of: date, rules: TrackingRules) -> list[Period]:
    """The last period due before `as_of` and the periods after it that have begun by `as_of`."""
    current = rules_.containing(frequency, as_of)
    period = rules_.last_due_period(frequency, as_of, rules) or periods.previous(current)
    found = [period]
    while period.end < current.end:
        period = periods.next_period(period)
        found.append(period)
    return found


def _reported(row: IndicatorTrack, period: Period) -> bool:
    """A value is in for this period (or a later one), reviewed or awaiting review."""
    return any(date.fromisoformat(point.end) >= period.end for point in row.series)


def _intents(
    step: Step,
    indicator: Indicator,
    owners: list[Owner],
    row: IndicatorTrack,
    period: Period,
    as_of: date,
    values: dict[str, Any],
    extra: dict[str, Any],
) -> list[dict[str, Any]]:
    payload = {
        "indicator_id": indicator.id,
        "indicator_name": indicator.name,
        "number": indicator.number,
        "plan": indicator.plan.doc_number or indicator.plan.title,
        "unit": indicator.unit,
        "period": period.label,
        "period_cn": period.chinese,
        "reason": row.reason,
        "forecast": row.forecast,
        "step": step.id,
        "kind": step.kind,
        "step_title": step.title,
        "action": step.render_action(**values),
        **extra,
    }
    made = []
    for recipient in step.audience:
        audience, role = _AUDIENCE[recipient]
        departments = [o.department_id for o in owners if o.role == role] if role is not None else [None]
        for department_id in departments:
            made.append(
                {
                    "key": intent_key(
                        step.id,
                        indicator_id=indicator.id,
                        period=period.label,
                        audience=str(audience),
                        department_id=department_id,
                    ),
                    "kind": step.kind,
                    "step": step.id,
                    "audience": str(audience),
                    "department_id": department_id,
                    "task_id": None,
                    "period": period.label,
                    "created_on": as_of,
                    "payload": payload | {"recipient": str(recipient), "recipient_name": RECIPIENT_NAMES[recipient]},
                }
            )
    return made


def _recover(
    session: Session,
    *,
    tracked: dict[int, tuple[Indicator, IndicatorTrack]],
    as_of: date,
    steps: tuple[Step, ...],
) -> tuple[dict[str, int], set[str]]:
    """Resolve the unresolved intents of these indicators that no longer hold (see the module);
    also returns the keys of every unresolved intent read (resolved now or not)."""
    anchors = {step.id: step.anchor for step in steps}
    stale: dict[str, list[int]] = {}
    unresolved = session.execute(
        select(NoticeIntent.id, NoticeIntent.step, NoticeIntent.period, NoticeIntent.key).where(
            NoticeIntent.resolved_on.is_(None),
            NoticeIntent.task_id.is_(None),
            NoticeIntent.step.in_(sorted(anchors)),
        )
    ).all()
    for intent_id, step, label, key in unresolved:
        indicator_id = _indicator_of(key)
        found = tracked.get(indicator_id) if indicator_id is not None else None
        if found is None:
            continue  # another scope's indicator, or one gone: left as it is
        _, row = found
        period = periods.parse(label)
        if anchors[step] is Anchor.INDICATOR_DUE:
            if _reported(row, period):
                stale.setdefault(RESOLVED_REPORTED, []).append(intent_id)
        elif row.latest is not None and row.latest.period != label:
            stale.setdefault(RESOLVED_NEWER, []).append(intent_id)
        elif row.standing != str(rules_.Standing.BEHIND):
            stale.setdefault(RESOLVED_NOT_BEHIND, []).append(intent_id)
    resolutions = {}
    for resolution, ids in sorted(stale.items()):
        resolved = resolve_intents(session, intent_ids=ids, on=as_of, resolution=resolution)
        if resolved:
            resolutions[resolution] = resolved
    return resolutions, {key for _, _, _, key in unresolved}
