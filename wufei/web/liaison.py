"""A department liaison's workspace: my tasks, the week's report form, extensions, reminders.

Every write names tasks by id; each id is checked against the liaison's own department (lead
for reports and extensions, supporting for 配合情况) before any service is called: a task of
another department is refused with 403, whatever the form says. The whole week's form is one
transaction: one bad row (or file) and nothing is filed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from wufei.accounts.models import UserRole
from wufei.accounts.service import person
from wufei.cadence.config import CadenceConfig
from wufei.calendar.service import load_calendar
from wufei.chinese import WeekError, parse_week, week_start
from wufei.extensions.service import ExtensionError, list_extensions, request_extension
from wufei.filetypes import size_text
from wufei.reports.models import ReportInput
from wufei.reports.service import ReportError, add_input, submit_report
from wufei.tasks.models import Role, TaskDepartment
from wufei.web import pages
from wufei.web.portal import Forbidden, Portal, read_form, redirect
from wufei.web.shared import own_department

LIAISON = UserRole.LIAISON
FIELD = re.compile(r"^(progress|done|problems|next|evidence|input)_(\d+)$")
MAX_FILES = 30  # per form
FORM_OVERHEAD_BYTES = 2 * 1024 * 1024


def actor_of(signed) -> str:
    return person(signed.user)


def own_task_ids(session, department_id: int, role: Role) -> set[int]:
    return set(
        session.scalars(
            select(TaskDepartment.task_id).where(
                TaskDepartment.department_id == department_id, TaskDepartment.role == role
            )
        )
    )


def _week_from(value: str | None, today: date) -> date:
    if not value:
        return week_start(today)
    try:
        return parse_week(value)
    except WeekError:
        return week_start(today)


def request_limit(cadence: CadenceConfig) -> int:
    """The largest request the portal takes: the week's form with MAX_FILES files at the size limit."""
    return cadence.evidence.max_bytes * MAX_FILES + FORM_OVERHEAD_BYTES


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()
    max_file_bytes, allowed_types = portal.cadence.evidence.max_bytes, portal.cadence.evidence.allowed_types

    @routes.get("/my/tasks")
    def my_tasks(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            tasks = pages.department_tasks(
                session,
                department_id=own_department(signed),
                today=portal.today(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
            )
            return portal.render(request, "my_tasks.html.j2", signed=signed, tasks=tasks)

    # --- the week's report form ---------------------------------------------------------------

    def _render_form(
        request,
        session,
        signed,
        week: date,
        *,
        values: dict[str, Any] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ):
        form = pages.report_form(
            session,
            department_id=signed.user.department_id,
            week=week,
            today=portal.today(),
            cadence=portal.cadence,
            light_rules=portal.light_rules,
        )
        return portal.render(
            request,
            "report_form.html.j2",
            signed=signed,
            week=week,
            values=values or {},
            error=error,
            allowed_types="、".join(allowed_types),
            max_size=size_text(max_file_bytes),
            status_code=status_code,
            **form,
        )

    @routes.get("/my/report")
    def report_page(request: Request, week: str | None = None):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            return _render_form(request, session, signed, _week_from(week, portal.today()))

    @routes.post("/my/report")
    async def file_report(request: Request):
        # Who is asking, before a byte of the upload is read (the app refuses bodies without a
        # length or over request_limit before this runs).
        await run_in_threadpool(_signed_liaison, request)
        if int(request.headers.get("content-length") or 0) > request_limit(portal.cadence):
            return await run_in_threadpool(_refuse_large, request)
        form = await read_form(request, max_files=MAX_FILES)
        fields: dict[str, Any] = {}
        files: dict[int, list[tuple[str, bytes]]] = {}
        for key, value in form.multi_items():
            match = FIELD.match(key)
            if isinstance(value, UploadFile):
                if match and match[1] == "evidence" and value.filename:
                    content = await value.read(max_file_bytes + 1)  # one byte more tells "too large"
                    files.setdefault(int(match[2]), []).append((value.filename, content))
                continue
            fields[key] = value

        def work():
            week = _week_from(str(fields.get("week") or ""), portal.today())
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    portal.check_csrf(form, signed)
                    department_id = signed.user.department_id
                    led, supported = (
                        own_task_ids(session, department_id, Role.LEAD),
                        own_task_ids(session, department_id, Role.SUPPORTING),
                    )
                    named = {
                        (m[1], int(m[2]))
                        for key in list(fields) + [f"evidence_{i}" for i in files]
                        if (m := FIELD.match(key))
                    }
                    for kind, task_id in named:
                        if task_id not in (supported if kind == "input" else led):
                            raise Forbidden(
                                f"任务 {task_id} 不由本部门{'配合' if kind == 'input' else '牵头'}，不能报送"
                            )
                    filed = _file_week(session, signed, week, fields, files, led, supported)
                    if not filed:
                        raise ReportError("没有填写任何任务的本周进度或配合情况，未报送")
                    portal.refresh_lights(session, filed)
                return redirect(f"/my/report?week={week.isocalendar().year}-W{week.isocalendar().week:02d}", "filed")
            except ReportError as error:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    return _render_form(
                        request, session, signed, week, values=fields, error=str(error), status_code=400
                    )

        return await run_in_threadpool(work)

    def _signed_liaison(request) -> None:
        with portal.work() as session:
            portal.user(request, session, LIAISON)

    def _refuse_large(request):
        with portal.work() as session:
            signed = portal.signed_in(request, session)
        return portal.render_error(
            request,
            f"上传的文件过大（单个文件不超过 {size_text(max_file_bytes)}）",
            signed=signed,
            status_code=413,
            back="/my/report",
        )

    def _file_week(session, signed, week: date, fields, files, led: set[int], supported: set[int]) -> list[int]:
        """Files the form's rows; the tasks filed for (reports and 配合情况)."""
        calendar, at, actor = load_calendar(session), portal.now(), actor_of(signed)
        department_id, filed = signed.user.department_id, []
        for task_id in sorted(led):
            raw = str(fields.get(f"progress_{task_id}") or "").strip()
            if not raw:
                continue
            try:
                progress = int(raw)
            except ValueError:
                raise ReportError(f"任务 {task_id} 的本周进度应为 0 到 100 的整数：「{raw}」") from None
            submit_report(
                session,
                task_id=task_id,
                department_id=department_id,
                week_start=week,
                progress=progress,
                done_text=fields.get(f"done_{task_id}"),
                problems=fields.get(f"problems_{task_id}"),
                next_steps=fields.get(f"next_{task_id}"),
                evidence=files.get(task_id, []),
                at=at,
                actor=actor,
                calendar=calendar,
                cadence=portal.cadence,
            )
            filed.append(task_id)
        stray = [task_id for task_id in files if not str(fields.get(f"progress_{task_id}") or "").strip()]
        if stray:
            raise ReportError(f"任务 {stray[0]} 上传了佐证材料但未填写本周进度")
        existing = {
            i.task_id: i.text
            for i in session.scalars(
                select(ReportInput).where(ReportInput.week_start == week, ReportInput.department_id == department_id)
            )
        }
        for task_id in sorted(supported):
            text = str(fields.get(f"input_{task_id}") or "").strip()
            if text and text != existing.get(task_id):
                add_input(
                    session,
                    task_id=task_id,
                    department_id=department_id,
                    week_start=week,
                    text=text,
                    at=at,
                    actor=actor,
                    cadence=portal.cadence,
                )
                filed.append(task_id)
        return filed

    # --- extensions ---------------------------------------------------------------------------

    @routes.get("/my/extensions")
    def my_extensions(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            department_id = own_department(signed)
            tasks = pages.department_tasks(
                session,
                department_id=department_id,
                today=portal.today(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
            )["lead"]
            requests = list_extensions(session, department_ids=[department_id])
            return portal.render(
                request, "my_extensions.html.j2", signed=signed, tasks=tasks, requests=list(reversed(requests))
            )

    @routes.post("/my/extensions")
    async def ask_extension(request: Request):
        form = await read_form(request)

        def work():
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    portal.check_csrf(form, signed)
                    try:
                        task_id = int(str(form.get("task_id") or ""))
                        until = date.fromisoformat(str(form.get("until") or "").strip())
                    except ValueError:
                        raise ExtensionError("请选择任务并填写申请延至的日期（如 2024-09-30）") from None
                    if task_id not in own_task_ids(session, signed.user.department_id, Role.LEAD):
                        raise Forbidden("只有牵头单位可以申请延期")
                    request_extension(
                        session,
                        task_id=task_id,
                        department_id=signed.user.department_id,
                        requested_on=portal.today(),
                        new_due=until,
                        reason=str(form.get("reason") or ""),
                        actor=actor_of(signed),
                    )
                return redirect("/my/extensions", "extension_requested")
            except ExtensionError as error:
                with portal.work() as session:
                    signed = portal.signed_in(request, session)
                return portal.render_error(request, str(error), signed=signed, back="/my/extensions")

        return await run_in_threadpool(work)

    # --- reminders ----------------------------------------------------------------------------

    @routes.get("/my/reminders")
    def my_reminders(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            return portal.render(
                request,
                "my_reminders.html.j2",
                signed=signed,
                reminders=pages.reminders(session, department_id=own_department(signed), today=portal.today()),
            )

    return routes
