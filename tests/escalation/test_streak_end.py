"""A streak's escalation ends with the streak, on the daily scan as it runs: the scan judges again only
some tasks each day (`wufei.points.runs.daily_scan`), and still resolves the escalation the day the
week reported on time has closed, leaving nothing for a full escalation of any day to do."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import copy_database
from tests.escalation.test_scan import file_report
from tests.rules import RULESET
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_engine, make_sessionmaker, transaction
from wufei.escalation.service import scan as escalate
from wufei.notices.models import NoticeIntent
from wufei.points.runs import daily_scan
from wufei.tasks.models import Role, Task

CADENCE = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-05-06"}})
RULES = replace(RULESET, cadence=CADENCE)
CALENDAR = WorkCalendar()


def test_the_daily_scan_resolves_an_escalation_the_day_its_streak_ends(hengshui_template, tmp_path):
    engine = make_engine(copy_database(hengshui_template, tmp_path))
    with transaction(engine) as session:  # the first task due in 2025 with one lead: it never reports
        tasks = session.scalars(select(Task).where(Task.due_date == date(2025, 12, 31)).order_by(Task.id))
        task = next(t for t in tasks if len(t.departments(Role.LEAD)) == 1)
        task_id = task.id

    days = [date(2024, 6, 3) + timedelta(days=n) for n in range(12)]
    for day in filter(CALENDAR.is_workday, days):
        if day == date(2024, 6, 6):  # W23's report on Thursday, before Friday's deadline
            with transaction(engine) as session:
                file_report(session, session.get(Task, task_id), date(2024, 6, 3), day, CADENCE)
        daily_scan(engine, day, rules=RULES)
        with make_sessionmaker(engine)() as session:  # every open task, rolled back: what the day left
            left = escalate(session, as_of=day, calendar=CALENDAR, ladder=RULES.ladder, cadence=CADENCE)
            assert (left.created, left.resolved) == (0, 0), day
            session.rollback()

    with make_sessionmaker(engine)() as session:
        escalations = session.execute(
            select(NoticeIntent.period, NoticeIntent.resolved_on, NoticeIntent.resolution).where(
                NoticeIntent.task_id == task_id, NoticeIntent.step == "missing_3"
            )
        ).all()
    assert escalations and set(escalations) == {("2024-W19", date(2024, 6, 11), "已恢复按时报送")}
    engine.dispose()


def _escalations(engine, task_id):
    with make_sessionmaker(engine)() as session:
        return session.execute(
            select(
                NoticeIntent.department_id,
                NoticeIntent.audience,
                NoticeIntent.period,
                NoticeIntent.resolved_on,
                NoticeIntent.resolution,
            )
            .where(NoticeIntent.task_id == task_id, NoticeIntent.step == "missing_3")
            .order_by(NoticeIntent.id)
        ).all()


def _scan_days(engine, first: date, last: date, rules) -> None:
    day = first
    while day <= last:
        if CALENDAR.is_workday(day):
            daily_scan(engine, day, rules=rules)
        day += timedelta(days=1)


def test_an_escalation_stays_one_when_the_office_moves_reporting_since_under_its_streak(hengshui_template, tmp_path):
    """A task never reports from 6 May 2024 (reporting_since): its 3-week escalation is raised, keyed by
    the streak's first week, W19. The office then sets reporting_since three weeks earlier: the streak
    today begins at W16, no report came, it is the same streak. The escalation stays as it was, and no
    second one is raised (on main: the first resolved 已恢复按时报送 and another raised for W16, the
    leader and the office told twice). A report on time still ends it."""
    engine = make_engine(copy_database(hengshui_template, tmp_path))
    with transaction(engine) as session:
        tasks = session.scalars(select(Task).where(Task.due_date == date(2025, 12, 31)).order_by(Task.id))
        task = next(t for t in tasks if len(t.departments(Role.LEAD)) == 1)
        task_id = task.id
    _scan_days(engine, date(2024, 5, 6), date(2024, 5, 31), RULES)
    raised = _escalations(engine, task_id)
    assert raised and {(period, resolved) for _, _, period, resolved, _ in raised} == {("2024-W19", None)}

    earlier = CadenceConfig.from_dict({"weekly_report": {"reporting_since": "2024-04-15"}})
    _scan_days(engine, date(2024, 6, 3), date(2024, 6, 5), replace(RULES, cadence=earlier))
    with make_sessionmaker(engine)() as session:  # every open task judged again: nothing to change
        left = escalate(session, as_of=date(2024, 6, 5), calendar=CALENDAR, ladder=RULES.ladder, cadence=earlier)
        assert (left.created, left.resolved) == (0, 0)
        session.rollback()
    assert _escalations(engine, task_id) == raised

    with transaction(engine) as session:  # W23 reported on time: the streak, and its escalation, end
        file_report(session, session.get(Task, task_id), date(2024, 6, 3), date(2024, 6, 6), earlier)
    _scan_days(engine, date(2024, 6, 6), date(2024, 6, 11), replace(RULES, cadence=earlier))
    assert {(period, resolution) for _, _, period, _, resolution in _escalations(engine, task_id)} == {
        ("2024-W19", "已恢复按时报送")
    }
    engine.dispose()


def test_an_escalation_stays_one_when_a_calendar_imported_late_moves_its_streaks_first_week(
    hengshui_template, tmp_path
):
    """The escalation is raised for the streak from W19; after W22 the office enters the year's calendar
    late, and it makes W19 a holiday week (no reporting window): the streak today begins at W20. Same
    streak, no report: the escalation stays, none is raised for W20 (on main: resolved and raised again)."""
    from wufei.calendar.service import load_calendar, set_override

    engine = make_engine(copy_database(hengshui_template, tmp_path))
    with transaction(engine) as session:
        tasks = session.scalars(select(Task).where(Task.due_date == date(2025, 12, 31)).order_by(Task.id))
        task = next(t for t in tasks if len(t.departments(Role.LEAD)) == 1)
        task_id = task.id
    _scan_days(engine, date(2024, 5, 6), date(2024, 6, 3), RULES)
    raised = _escalations(engine, task_id)
    assert raised and {(period, resolved) for _, _, period, resolved, _ in raised} == {("2024-W19", None)}
    with transaction(engine) as session:
        for offset in range(5):
            set_override(session, day=date(2024, 5, 6) + timedelta(days=offset), kind="holiday", actor="test")
    _scan_days(engine, date(2024, 6, 4), date(2024, 6, 5), RULES)
    with make_sessionmaker(engine)() as session:
        calendar = load_calendar(session)
        left = escalate(session, as_of=date(2024, 6, 5), calendar=calendar, ladder=RULES.ladder, cadence=CADENCE)
        assert (left.created, left.resolved) == (0, 0)
        session.rollback()
    assert _escalations(engine, task_id) == raised
    engine.dispose()
