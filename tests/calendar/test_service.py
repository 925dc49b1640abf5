"""Office overrides stored in the database, with the audit trail, and the month view."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from wufei.audit.models import AuditEntry
from wufei.calendar.service import CalendarError, DaySource, load_calendar, month_days, remove_override, set_override


def _audit(session, day: date) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "calendar_overrides", AuditEntry.entity_key == day.isoformat())
            .order_by(AuditEntry.id)
        )
    )


def test_an_override_set_by_the_office_changes_the_loaded_calendar(session):
    assert load_calendar(session).is_workday(date(2024, 10, 12))
    set_override(session, day=date(2024, 10, 12), kind="holiday", note="全市统一调整", actor="办公室")
    session.flush()
    assert not load_calendar(session).is_workday(date(2024, 10, 12))
    [entry] = _audit(session, date(2024, 10, 12))
    assert (entry.action, entry.actor, entry.changes["kind"]) == ("create", "办公室", [None, "holiday"])


def test_changing_an_override_audits_the_old_and_new_kind(session):
    set_override(session, day=date(2027, 2, 6), kind="holiday", actor="a")
    set_override(session, day=date(2027, 2, 6), kind="workday", note="春节调休上班", actor="b")
    session.flush()
    assert load_calendar(session).is_workday(date(2027, 2, 6))
    entries = _audit(session, date(2027, 2, 6))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"kind": ["holiday", "workday"], "note": [None, "春节调休上班"]}


def test_setting_the_same_override_again_writes_no_audit_entry(session):
    set_override(session, day=date(2027, 2, 6), kind="workday", actor="a")
    set_override(session, day=date(2027, 2, 6), kind="workday", actor="a")
    session.flush()
    assert len(_audit(session, date(2027, 2, 6))) == 1


def test_removing_an_override_restores_the_national_arrangement(session):
    set_override(session, day=date(2024, 2, 18), kind="holiday", actor="a")
    session.flush()
    assert not load_calendar(session).is_workday(date(2024, 2, 18))
    remove_override(session, day=date(2024, 2, 18), actor="a")
    session.flush()
    assert load_calendar(session).is_workday(date(2024, 2, 18))
    assert [e.action for e in _audit(session, date(2024, 2, 18))] == ["create", "delete"]


def test_removing_a_day_without_override_is_a_chinese_error(session):
    with pytest.raises(CalendarError, match="2024-05-06 没有办公室设置"):
        remove_override(session, day=date(2024, 5, 6), actor="a")


def test_an_unknown_kind_is_refused(session):
    with pytest.raises(CalendarError, match="workday（工作日）或 holiday（休息日）"):
        set_override(session, day=date(2024, 5, 6), kind="weekend", actor="a")


def test_month_days_name_the_source_of_each_day(session):
    set_override(session, day=date(2024, 10, 14), kind="holiday", note="补休", actor="a")
    session.flush()
    days = {d.day.day: d for d in month_days(session, 2024, 10)}
    assert len(days) == 31
    assert (days[1].workday, days[1].source, days[1].note) == (False, DaySource.NATIONAL, "国庆节")
    assert (days[12].workday, days[12].note) == (True, "国庆节调休上班")
    assert (days[14].workday, days[14].source, days[14].note) == (False, DaySource.OFFICE, "补休")
    assert days[15].source == DaySource.NATIONAL and days[15].workday


def test_month_days_of_an_unknown_year_are_assumed_from_weekdays_less_the_statutory_holidays(session):
    days = month_days(session, 2027, 2)
    assert {d.source for d in days} == {DaySource.ASSUMED}
    assert [d.day.day for d in days if not d.workday][:5] == [5, 6, 7, 8, 13]  # 除夕 to 初三, then a Saturday
    assert days[4].note == "春节（法定节假日，调休未知）"
