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
