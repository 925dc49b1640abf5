"""`recheck_on`: the day a task's light may first change by the date alone. Checked against
`judge` itself, day by day, over generated states: before that day the light and its rules stay."""

from __future__ import annotations

import random
from datetime import date, timedelta

from wufei.calendar.workdays import WorkCalendar
from wufei.lights.rules import ANNUAL, FIXED, ONGOING, LightRules, MilestonePoint, TaskState, judge, recheck_on


def _states(count: int) -> list[TaskState]:
    rng = random.Random(17)
    states = []
    for task_id in range(count):
        kind = rng.choice((FIXED, FIXED, FIXED, ANNUAL, ONGOING))
        start = date(2022, 10, 7) + timedelta(days=rng.randint(-300, 200))
        due = start + timedelta(days=rng.randint(-30, 900)) if kind == FIXED else None
        week = date(2023, 1, 2) + timedelta(weeks=rng.randint(0, 50)) if rng.random() < 0.8 else None
        milestones = (
            tuple(
                MilestonePoint(start + timedelta(days=rng.randint(10, 700)), rng.randint(10, 90), "节点")
                for _ in range(rng.randint(0, 3))
            )
            if kind == FIXED
            else ()
        )
        states.append(
            TaskState(
                task_id=task_id,
                deadline_kind=kind,
                start=start,
                due=due,
                original_due=due,
                completed_on=date(2023, 1, 1) + timedelta(days=rng.randint(0, 500)) if rng.random() < 0.2 else None,
                progress=rng.randint(0, 100) if week else None,
                progress_week=week,
                missing_streak=rng.choice((0, 0, 0, 1, 2, 3, 5)),
                milestones=tuple(sorted(milestones)),
                awaiting=rng.random() < 0.1,
            )
        )
    return states


def test_the_light_and_its_rules_hold_until_the_recheck_day():
    calendar = WorkCalendar()
    rules = LightRules()
    days = [date(2023, 1, 3) + timedelta(days=n) for n in range(0, 400, 61)]
    checked = 0
    for state in _states(200):
        for as_of in days:
            judged = judge(state, as_of, calendar, rules)
            # no window closes in this check: the streak is held as the state says
            until = recheck_on(state, as_of, rules, next_window_close=None, calendar=calendar)
            last = min(until, as_of + timedelta(days=500)) if until else as_of + timedelta(days=500)
            day = as_of + timedelta(days=1)
            while day < last:
                later = judge(state, day, calendar, rules)
                assert (later.light, later.rules) == (judged.light, judged.rules), (state, as_of, day, until)
                day += timedelta(days=1)
                checked += 1
    assert checked > 10_000


def test_a_streak_below_red_is_judged_again_when_the_next_window_closes():
    state = TaskState(
        task_id=1, deadline_kind=ONGOING, start=date(2023, 1, 1), due=None, original_due=None, missing_streak=1
    )
    assert recheck_on(
        state, date(2023, 3, 1), LightRules(), next_window_close=date(2023, 3, 3), calendar=WorkCalendar()
    ) == date(2023, 3, 3)
    red = TaskState(
        task_id=1, deadline_kind=ONGOING, start=date(2023, 1, 1), due=None, original_due=None, missing_streak=3
    )
    assert recheck_on(
        red, date(2023, 3, 1), LightRules(), next_window_close=date(2023, 3, 3), calendar=WorkCalendar()
    ) == date(2024, 1, 1)
