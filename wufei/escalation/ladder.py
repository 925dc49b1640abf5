"""The escalation ladder (督办阶梯): which notice each task is owed on a given day. Pure.

The ladder is data (`ladder.yaml`): steps anchored on the deadline (reminders before it, slips
of rising colour after it) and steps anchored on consecutive missed weekly reports. This module
validates that data and answers two questions:

- `steps_due`: which deadline steps apply to a task on `as_of`. A before-due step applies from
  its trigger day up to the due date itself (a task first seen after its deadline is not told it
  is "due in 7 days"); an after-due step applies from its trigger day on, for good, so a scan
  that missed days still issues every slip once. All applicable steps are listed: sending each
  only once is the notice store's job (unique keys), not this module's.
- `missing_steps`: which missing-report steps a streak of missed weeks has reached.
- `indicator_steps_due`: which steps apply on `as_of` to an indicator's period whose value is due
  (报送期限) on `due` and not yet reported: the same rule as `steps_due`, on the indicator's
  report date; `behind_steps`: which steps an indicator behind its trajectory (落后序时进度) has
  reached, by its light (a `red` step only when it is red).

Trigger days count working days on the WorkCalendar (调休 included): 7 working days before a
deadline is `calendar.add_workdays(due, -7)`, the working day after it `add_workdays(due, 1)`.
No database, no clock here; the YAML is read only by `Ladder.load`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from wufei.calendar.workdays import WorkCalendar


class Anchor(StrEnum):
    DUE = "due"  # the task's (effective) deadline
    MISSING = "missing"  # consecutive reporting weeks closed without the task's report
    INDICATOR_DUE = "indicator_due"  # an indicator period's report date (tracking.yaml's due_days)
    INDICATOR_BEHIND = "indicator_behind"  # an indicator's latest value behind its trajectory


class Recipient(StrEnum):
    """Who a step goes to; the scan turns each into one notice per department (or one in all)."""

    LEAD_LIAISON = "lead_liaison"
    SUPPORTING_LIAISON = "supporting_liaison"
    LEAD_LEADER = "lead_leader"
    OFFICE = "office"
    GROUP = "group"


RECIPIENT_NAMES = {
    Recipient.LEAD_LIAISON: "牵头单位专班联系人",
    Recipient.SUPPORTING_LIAISON: "配合单位专班联系人",
    Recipient.LEAD_LEADER: "牵头单位负责同志",
    Recipient.OFFICE: "领导小组办公室",
    Recipient.GROUP: "领导小组",
}

# The values of wufei.notices.models.NoticeKind (kept here so this module imports no SQLAlchemy;
# a test checks the two agree).
KINDS = (
    "due_soon",
    "overdue",
    "yellow_slip",
    "red_slip",
    "group_escalation",
    "report_window_open",
    "report_due",
    "report_missing",
    "report_returned",
    "extension_decided",
    "bulletin_ready",
    "indicator_due",
    "indicator_overdue",
    "indicator_behind",
    "cell_stalled",
)

# Who a unit reports to, in any `action` sentence: {office} is 领导小组办公室 for an office supervising
# a 无废城市 plan, 督查室 otherwise (wufei.plans.queries.office_name): 洋县's bureaus were told to report
# to a leading group's office their county does not have.
OFFICE = "office"
ZERO_WASTE_OFFICE = "领导小组办公室"
# Placeholders an `action` sentence may use, per anchor (and OFFICE in all).
PLACEHOLDERS = {
    Anchor.DUE: frozenset({"due", "workdays_left", "days_overdue"}),
    Anchor.MISSING: frozenset({"week", "streak"}),
    Anchor.INDICATOR_DUE: frozenset({"indicator", "period", "due", "workdays_left", "days_overdue"}),
    Anchor.INDICATOR_BEHIND: frozenset({"indicator", "period", "reason"}),
}
DATED = (Anchor.DUE, Anchor.INDICATOR_DUE)  # anchors counted in working days from a date
LIGHTS = ("yellow", "red")  # INDICATOR_BEHIND steps: from a yellow light (any lag) or a red one only

_ID = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
_FIELDS = {"id", "anchor", "offset_workdays", "streak", "repeat", "light", "audience", "kind", "title", "action"}
REPEATS = ("weekly", "once")


class LadderError(ValueError):
    """An invalid ladder configuration; the message is Chinese and names the step."""


@dataclass(frozen=True)
class Step:
    id: str
    anchor: Anchor
    audience: tuple[Recipient, ...]
    kind: str
    title: str
    action: str = ""
    offset_workdays: int | None = None  # DUE steps: negative = before the deadline
    streak: int | None = None  # MISSING steps: consecutive missed weeks
    # MISSING steps: "weekly" reminds for every missed week from the threshold on; "once"
    # escalates once per streak (its notice is keyed by the streak's first week).
    repeat: str = "weekly"
    light: str | None = None  # INDICATOR_BEHIND steps: yellow (any lag) or red

    @property
    def before_due(self) -> bool:
        return self.anchor in DATED and self.offset_workdays is not None and self.offset_workdays <= 0

    @property
    def reminds_of_the_week(self) -> bool:
        """A MISSING step repeated for every missed week from the first: a reminder about that one
        week, answered by its report however late (a step from a longer streak is about the streak)."""
        return self.anchor is Anchor.MISSING and self.repeat == "weekly" and self.streak == 1

    def trigger(self, due: date, calendar: WorkCalendar) -> date:
        """The first day this (deadline or report-date) step applies to something due on `due`."""
        if self.anchor not in DATED or self.offset_workdays is None:
            raise LadderError(f"步骤 {self.id} 不以完成期限或报送期限为基准，没有触发日")
        return calendar.add_workdays(due, self.offset_workdays)

    def render_action(self, **values: Any) -> str:
        """The `action` sentence with its placeholders filled (missing values become empty)."""
        allowed = PLACEHOLDERS[self.anchor]
        filled = {name: values.get(name, "") for name in allowed}
        return self.action.format(**filled, office=values.get(OFFICE) or ZERO_WASTE_OFFICE)


@dataclass(frozen=True)
class Ladder:
    steps: tuple[Step, ...]

    @classmethod
    def load(cls) -> Ladder:
        """The ladder from WUFEI_CONFIG_DIR/ladder.yaml, else the shipped default."""
        from wufei.config import load_yaml

        return cls.from_config(load_yaml("escalation", "ladder.yaml"))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Ladder:
        if not isinstance(config, Mapping):
            raise LadderError("督办阶梯配置应为键值映射，含 steps 列表")
        unknown = set(config) - {"steps"}
        if unknown:
            raise LadderError(f"督办阶梯配置含未知字段：{'、'.join(sorted(map(str, unknown)))}（只应有 steps）")
        raw_steps = config.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise LadderError("督办阶梯配置缺少 steps 列表，或列表为空")
        steps: list[Step] = []
        seen: set[str] = set()
        for position, raw in enumerate(raw_steps, start=1):
            step = _step(raw, position)
            if step.id in seen:
                raise LadderError(f"督办阶梯步骤 id 重复：{step.id}")
            seen.add(step.id)
            steps.append(step)
        return cls(tuple(steps))

    @property
    def due_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.anchor is Anchor.DUE)

    @property
    def missing_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.anchor is Anchor.MISSING)

    @property
    def indicator_due_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.anchor is Anchor.INDICATOR_DUE)

    @property
    def indicator_behind_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.anchor is Anchor.INDICATOR_BEHIND)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


def steps_due(*, due: date | None, done: bool, as_of: date, calendar: WorkCalendar, ladder: Ladder) -> list[Step]:
    """The deadline steps that apply on `as_of` to a task due on `due`, in ladder order.

    Nothing for a task that is done or has no due date (ongoing tasks). A before-due step applies
    from its trigger day to the due date inclusive; an after-due step from its trigger day on.
    """
    if done or due is None:
        return []
    return _applicable(ladder.due_steps, due=due, as_of=as_of, calendar=calendar)


def indicator_steps_due(
    *, due: date, reported: bool, as_of: date, calendar: WorkCalendar, ladder: Ladder
) -> list[Step]:
    """The report-date steps that apply on `as_of` to an indicator period whose value is due on
    `due`: nothing once a value is reported; otherwise as `steps_due` (before the report date
    from the trigger day to the report date, after it from the trigger day on)."""
    if reported:
        return []
    return _applicable(ladder.indicator_due_steps, due=due, as_of=as_of, calendar=calendar)


def behind_steps(light: str, ladder: Ladder) -> list[Step]:
    """The behind-trajectory steps an indicator with this light (yellow or red) has reached."""
    if light not in LIGHTS:
        return []
    return [s for s in ladder.indicator_behind_steps if s.light == "yellow" or s.light == light]


def _applicable(steps: tuple[Step, ...], *, due: date, as_of: date, calendar: WorkCalendar) -> list[Step]:
    applicable = []
    for step in steps:
        trigger = step.trigger(due, calendar)
        if step.before_due:
            if trigger <= as_of <= due:
                applicable.append(step)
        elif as_of >= trigger:
            applicable.append(step)
    return applicable


def missing_steps(streak: int, ladder: Ladder) -> list[Step]:
    """The missing-report steps whose threshold a streak of `streak` missed weeks has reached."""
    return [s for s in ladder.missing_steps if s.streak is not None and streak >= s.streak]


# --- validation -------------------------------------------------------------------------------


def _step(raw: Any, position: int) -> Step:
    where = f"督办阶梯第{position}步"
    if not isinstance(raw, Mapping):
        raise LadderError(f"{where}应为键值映射（id、anchor、audience、kind、title …）")
    step_id = raw.get("id")
    if not isinstance(step_id, str) or not _ID.match(step_id):
        raise LadderError(f"{where}的 id 无效：「{step_id}」（应为小写字母开头的字母、数字和下划线，如 after_due_7）")
    where = f"督办阶梯步骤 {step_id}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise LadderError(
            f"{where}含未知字段：{'、'.join(sorted(map(str, unknown)))}（可用：{'、'.join(sorted(_FIELDS))}）"
        )

    try:
        anchor = Anchor(str(raw.get("anchor")))
    except ValueError:
        raise LadderError(
            f"{where}的 anchor 应为 due（完成期限）、missing（未报送）、indicator_due（指标报送期限）"
            f"或 indicator_behind（指标落后序时进度）：「{raw.get('anchor')}」"
        ) from None

    offset = raw.get("offset_workdays")
    streak = raw.get("streak")
    light = raw.get("light")
    if anchor is not Anchor.INDICATOR_BEHIND and light is not None:
        raise LadderError(f"{where}不以指标落后序时进度为基准，不应有 light")
    if anchor in DATED:
        if not _is_int(offset):
            raise LadderError(f"{where}的 offset_workdays 应为整数个工作日（负数为到期前，正数为到期后）：「{offset}」")
        if streak is not None:
            raise LadderError(f"{where}以完成期限或报送期限为基准，不应有 streak")
    elif anchor is Anchor.INDICATOR_BEHIND:
        if light not in LIGHTS:
            raise LadderError(f"{where}的 light 应为 yellow（落后即提醒）或 red（落后达红灯时）：「{light}」")
        if offset is not None or streak is not None:
            raise LadderError(f"{where}以指标落后序时进度为基准，不应有 offset_workdays 或 streak")
    else:
        if not _is_int(streak) or streak < 1:
            raise LadderError(f"{where}的 streak 应为不小于1的整数（连续未报送周数）：「{streak}」")
        if offset is not None:
            raise LadderError(f"{where}以未报送周数为基准，不应有 offset_workdays")
    repeat = raw.get("repeat", "weekly")
    if repeat not in REPEATS:
        raise LadderError(f"{where}的 repeat 应为 weekly（每周提醒）或 once（达到周数时一次）：「{repeat}」")
    if anchor is not Anchor.MISSING and "repeat" in raw:
        raise LadderError(f"{where}不以未报送周数为基准，不应有 repeat")

    audience_raw = raw.get("audience")
    if isinstance(audience_raw, str):
        audience_raw = [audience_raw]
    if not isinstance(audience_raw, list) or not audience_raw:
        raise LadderError(f"{where}的 audience 应为非空列表（{'、'.join(r.value for r in Recipient)}）")
    audience: list[Recipient] = []
    for item in audience_raw:
        try:
            recipient = Recipient(item)
        except ValueError:
            raise LadderError(
                f"{where}的 audience 含未知对象：「{item}」（可选：{'、'.join(r.value for r in Recipient)}）"
            ) from None
        if recipient in audience:
            raise LadderError(f"{where}的 audience 重复：{recipient.value}")
        audience.append(recipient)

    kind = raw.get("kind")
    if kind not in KINDS:
        raise LadderError(f"{where}的 kind 无效：「{kind}」（可选：{'、'.join(KINDS)}）")

    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise LadderError(f"{where}缺少 title（通知标题，如 黄色督办单）")

    action = raw.get("action", "") or ""
    if not isinstance(action, str):
        raise LadderError(f"{where}的 action 应为一句中文")
    _check_placeholders(action, PLACEHOLDERS[anchor] | {OFFICE}, where)

    return Step(
        id=step_id,
        anchor=anchor,
        audience=tuple(audience),
        kind=kind,
        title=title.strip(),
        action=action.strip(),
        offset_workdays=offset if anchor in DATED else None,
        streak=streak if anchor is Anchor.MISSING else None,
        repeat=repeat,
        light=light if anchor is Anchor.INDICATOR_BEHIND else None,
    )


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_placeholders(text: str, allowed: frozenset[str], where: str) -> None:
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:
        raise LadderError(f"{where}的 action 花括号不成对：「{text}」（字面花括号请写成 {{{{ 和 }}}}）") from None
    for field in fields:
        if field not in allowed:
            raise LadderError(
                f"{where}的 action 含不能用的占位符：{{{field}}}"
                f"（可用：{'、'.join('{' + name + '}' for name in sorted(allowed))}）"
            )
