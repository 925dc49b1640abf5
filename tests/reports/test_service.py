"""Filing and reviewing weekly reports on the Hengshui plan, with explicit 2024 times."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.reports.conftest import W23, at
from tests.rules import CADENCE
from wufei.audit.models import AuditEntry
from wufei.notices.models import NoticeIntent
from wufei.reports.models import Report, ReportInput, ReportStatus
from wufei.reports.service import (
    ReportError,
    accept_reports,
    add_input,
    open_task_leads,
    open_tasks,
    review_report,
    stored_time,
    submit_report,
)


@pytest.fixture
def file(session, hengshui, calendar, cadence):
    def _file(task=None, *, week=W23, when=None, progress=40, department=None, **texts):
        fields = {"done_text": "完成环评审批3项", "problems": None, "next_steps": "继续开展准入审查", **texts}
        return submit_report(
            session,
            task_id=(task or hengshui.task).id,
            department_id=(department or hengshui.ecology).id,
            week_start=week,
            progress=progress,
            at=when or at(week + timedelta(days=2)),
            actor="生态环境局联络员",
            calendar=calendar,
            cadence=cadence,
            **fields,
        )

    return _file


def test_a_lead_department_files_a_report_for_the_week(session, hengshui, file):
    report = file(progress=40, when=at(date(2024, 6, 5)))
    session.expire_all()
    stored = session.get(Report, report.id)
    assert (stored.task_id, stored.week_start, stored.version, stored.progress) == (hengshui.task.id, W23, 1, 40)
    assert stored.status == ReportStatus.SUBMITTED and stored.late is False
    assert stored.submitted_by == "生态环境局联络员"
    assert stored_time(stored.submitted_at) == at(date(2024, 6, 5))
    assert stored.done_text == "完成环评审批3项" and stored.problems is None


def test_a_report_after_five_on_friday_is_late(file):
    assert file(when=at(date(2024, 6, 7), 17, 0)).late is False
    assert file(task=None, week=date(2024, 6, 10), when=at(date(2024, 6, 14), 17, 1)).late is True


def test_a_report_filed_the_following_week_is_accepted_as_late(file):
    assert file(when=at(date(2024, 6, 11), 9)).late is True


def test_a_supporting_department_cannot_file_the_report(hengshui, file):
    with pytest.raises(ReportError, match="「市行政审批局」不是任务.*的牵头单位"):
        file(department=hengshui.approvals)


def test_a_task_of_another_department_cannot_be_filed(hengshui, file):
    with pytest.raises(ReportError, match="不是任务.*牵头单位"):
        file(task=hengshui.foreign)


@pytest.mark.parametrize("progress", [-1, 101, 50.5, True])
def test_progress_must_be_a_whole_percentage(file, progress):
    with pytest.raises(ReportError, match="进度应为 0 到 100 之间的整数"):
        file(progress=progress)


def test_refiling_the_same_week_is_refused_with_the_version_and_status(session, file):
    file()
    with pytest.raises(ReportError, match="本周（2024年第23周）已报送（第1版，待审核），不能重复报送"):
        file(progress=50)
    assert len(list(session.scalars(select(Report)))) == 1


def test_a_returned_report_is_refiled_as_a_new_version_and_the_old_one_is_kept(session, hengshui, file):
    first = file(progress=40)
    review_report(
        session,
        report_id=first.id,
        accept=False,
        reason="缺少现场照片",
        actor="办公室",
        at=at(date(2024, 6, 6), 9),
        cadence=CADENCE,
    )
    second = file(progress=45, when=at(date(2024, 6, 6), 15))
    versions = list(session.scalars(select(Report).where(Report.task_id == hengshui.task.id).order_by(Report.version)))
    assert [(r.version, r.status, r.progress) for r in versions] == [(1, "returned", 40), (2, "submitted", 45)]
    assert second.id != first.id


def test_a_week_cannot_be_filed_before_its_window_opens(file):
    with pytest.raises(ReportError, match="2024年第23周的报送自2024年6月3日（星期一）开始"):
        file(when=at(date(2024, 6, 1)))


def test_a_week_must_be_given_by_its_monday(file):
    with pytest.raises(ReportError, match="星期一.*2024-W23"):
        file(week=date(2024, 6, 5))


def test_a_completed_task_is_not_filed_for_later_weeks(session, hengshui, file):
    hengshui.task.completed_on = date(2024, 5, 31)
    with pytest.raises(ReportError, match="已于2024年5月31日（星期五）完成，2024年第23周无需再报送"):
        file()


def test_a_task_awaiting_a_lead_cannot_be_filed(session, hengshui, file):
    hengshui.task.awaiting_assignment = True
    with pytest.raises(ReportError, match="尚待指定牵头单位"):
        file()


def test_text_over_the_limit_is_refused_naming_the_field(file):
    with pytest.raises(ReportError, match="存在问题有2001字，超过上限2000字"):
        file(problems="问" * 2001)


def test_returning_a_report_needs_a_reason(session, file):
    report = file()
    with pytest.raises(ReportError, match="退回报告须说明理由"):
        review_report(
            session,
            report_id=report.id,
            accept=False,
            reason="  ",
            actor="办公室",
            at=at(date(2024, 6, 6)),
            cadence=CADENCE,
        )
    assert report.status == ReportStatus.SUBMITTED


def test_a_returned_report_creates_one_notice_to_the_lead_departments_liaison(session, hengshui, file):
    report = file()
    review_report(
        session,
        report_id=report.id,
        accept=False,
        reason="佐证材料不足",
        actor="办公室",
        at=at(date(2024, 6, 6), 9),
        cadence=CADENCE,
    )
    [notice] = session.scalars(select(NoticeIntent))
    assert notice.key == f"report_returned|report:{report.id}"
    assert (notice.kind, notice.audience, notice.department_id, notice.task_id) == (
        "report_returned",
        "liaison",
        hengshui.ecology.id,
        hengshui.task.id,
    )
    assert (notice.period, notice.created_on) == ("2024-W23", date(2024, 6, 6))
    assert notice.payload["task_title"] == hengshui.task.title
    assert notice.payload["reason"] == "佐证材料不足" and notice.payload["week"] == "2024-W23"
    assert report.status == "returned" and report.review_note == "佐证材料不足" and report.reviewed_by == "办公室"


def test_a_review_is_audited_with_the_status_change(session, file):
    report = file()
    review_report(session, report_id=report.id, accept=True, actor="办公室", at=at(date(2024, 6, 6)), cadence=CADENCE)
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "reports", AuditEntry.action == "update"))
    assert entry.changes["status"] == ["submitted", "accepted"] and entry.actor == "办公室"


def test_a_report_cannot_be_reviewed_twice(session, file):
    report = file()
    review_report(session, report_id=report.id, accept=True, actor="办公室", at=at(date(2024, 6, 6)), cadence=CADENCE)
    with pytest.raises(ReportError, match="已审核（已采纳）"):
        review_report(
            session,
            report_id=report.id,
            accept=False,
            reason="x",
            actor="办公室",
            at=at(date(2024, 6, 7)),
            cadence=CADENCE,
        )


def test_accepting_a_full_report_completes_the_task_on_its_submission_day(session, hengshui, file):
    report = file(progress=100, when=at(date(2024, 6, 5), 23, 30))  # 15:30 UTC: still the 5th in Shanghai
    review_report(session, report_id=report.id, accept=True, actor="办公室", at=at(date(2024, 6, 11)), cadence=CADENCE)
    assert hengshui.task.completed_on == date(2024, 6, 5)
    assert hengshui.task not in open_tasks(session, as_of=date(2024, 6, 5))
    assert hengshui.task in open_tasks(session, as_of=date(2024, 6, 4))


def test_several_reports_are_accepted_at_once_each_audited_and_a_full_one_completes_its_task(session, hengshui, file):
    full = file(progress=100, when=at(date(2024, 6, 5)))
    other = file(task=hengshui.task, week=date(2024, 6, 10), progress=100, when=at(date(2024, 6, 12)))
    accepted = accept_reports(
        session, report_ids=[other.id, full.id, full.id], actor="办公室", at=at(date(2024, 6, 13)), cadence=CADENCE
    )
    assert [r.id for r in accepted] == sorted([full.id, other.id])
    session.expire_all()
    assert {r.status for r in session.scalars(select(Report))} == {"accepted"}
    assert hengshui.task.completed_on == date(2024, 6, 5)  # the first full report's day
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "update").order_by(AuditEntry.id))
    assert [(e.entity, e.entity_id, e.changes.get("status")) for e in entries] == [
        ("reports", full.id, ["submitted", "accepted"]),
        ("tasks", hengshui.task.id, None),
        ("reports", other.id, ["submitted", "accepted"]),
    ]


def test_accepting_several_changes_none_when_one_cannot_be_accepted(session, file):
    first, second = file(), file(week=date(2024, 6, 10), when=at(date(2024, 6, 12)))
    review_report(session, report_id=second.id, accept=True, actor="办公室", at=at(date(2024, 6, 13)), cadence=CADENCE)
    with pytest.raises(ReportError, match=f"报告 {second.id} 已审核（已采纳）"):
        accept_reports(
            session, report_ids=[first.id, second.id], actor="办公室", at=at(date(2024, 6, 13)), cadence=CADENCE
        )
    with pytest.raises(ReportError, match="找不到报告 0"):
        accept_reports(session, report_ids=[first.id, 0], actor="办公室", at=at(date(2024, 6, 13)), cadence=CADENCE)
    assert first.status == "submitted"


def test_accepting_a_partial_report_leaves_the_task_open(session, hengshui, file):
    report = file(progress=99)
    review_report(session, report_id=report.id, accept=True, actor="办公室", at=at(date(2024, 6, 6)), cadence=CADENCE)
    assert hengshui.task.completed_on is None


def test_an_earlier_completion_is_never_moved(session, hengshui, file):
    report = file(progress=100, when=at(date(2024, 6, 6)))
    hengshui.task.completed_on = date(2024, 6, 4)  # the office marked it done first
    review_report(session, report_id=report.id, accept=True, actor="办公室", at=at(date(2024, 6, 7)), cadence=CADENCE)
    assert hengshui.task.completed_on == date(2024, 6, 4)


def test_a_supporting_department_adds_its_input_once_per_week(session, hengshui):
    first = add_input(
        session,
        task_id=hengshui.task.id,
        department_id=hengshui.approvals.id,
        week_start=W23,
        text="办理环评审批5件",
        at=at(date(2024, 6, 4)),
        actor="审批局",
        cadence=CADENCE,
    )
    again = add_input(
        session,
        task_id=hengshui.task.id,
        department_id=hengshui.approvals.id,
        week_start=W23,
        text="办理环评审批6件",
        at=at(date(2024, 6, 5)),
        actor="审批局",
        cadence=CADENCE,
    )
    assert first.id == again.id
    [stored] = session.scalars(select(ReportInput))
    assert stored.text == "办理环评审批6件"


def test_a_lead_department_cannot_file_supporting_input(session, hengshui):
    with pytest.raises(ReportError, match="不是任务.*的配合单位"):
        add_input(
            session,
            task_id=hengshui.task.id,
            department_id=hengshui.ecology.id,
            week_start=W23,
            text="x",
            at=at(date(2024, 6, 4)),
            actor="a",
            cadence=CADENCE,
        )


def test_open_tasks_are_led_assigned_plan_tasks_not_yet_completed(session, hengshui):
    tasks = open_tasks(session, as_of=date(2024, 6, 5))
    assert hengshui.task in tasks
    assert all(t.plan.kind == "plan" and not t.awaiting_assignment for t in tasks)
    assert all(any(a.role == "lead" for a in t.assignments) for t in tasks)
    mine = open_tasks(session, as_of=date(2024, 6, 5), department_id=hengshui.ecology.id)
    assert hengshui.task in mine and hengshui.foreign not in mine
    assert len(mine) == len(hengshui.led_by_ecology())
    hengshui.task.completed_on = date(2024, 6, 5)
    session.flush()
    assert hengshui.task not in open_tasks(session, as_of=date(2024, 6, 5))


def test_open_task_leads_are_the_leads_of_the_open_tasks_in_their_order(session, hengshui):
    hengshui.task.completed_on = date(2024, 6, 5)
    session.flush()
    leads = open_task_leads(session, as_of=date(2024, 6, 5))
    assert leads == [
        (task.id, task.title, link.department_id)
        for task in open_tasks(session, as_of=date(2024, 6, 5))
        for link in task.assignments
        if link.role == "lead"
    ]
    assert hengshui.task.id not in {task_id for task_id, _, _ in leads}
    assert len({task_id for task_id, _, _ in leads}) < len(leads)  # some tasks have several leads


def test_a_holiday_week_without_a_window_may_still_be_filed_and_is_never_late(file):
    # 2024-02-12: Spring Festival, only Sunday the 18th is worked; no report is expected that week.
    report = file(week=date(2024, 2, 12), when=at(date(2024, 2, 18), 10))
    assert report.late is False and report.version == 1
