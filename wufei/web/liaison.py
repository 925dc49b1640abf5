"""A department liaison's workspace: my tasks, the week's report form, extensions, reminders.

The week's form is prefilled with each task's last answer; a row is filed only when the liaison
changed it (or attached evidence) or ticked 「本周无变化，确认」 for it (or for all), so unchanged
copies of earlier weeks never reach the office's queue. 「先预览」 shows what would be filed; the
files chosen before it are checked and held server-side for the submit (a browser cannot keep a
chosen file across pages), named by a token in the form (wufei.reports.evidence.hold_files).

Every write names tasks by id; each id is checked against the liaison's own department (lead
for reports and extensions, supporting for 配合情况) before any service is called: a task of
another department is refused with 403, whatever the form says. The whole week's form is one
transaction: one bad row (or file) and nothing is filed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
from wufei.reports.evidence import EvidenceError, drop_held, held_files, held_names, hold_files, sweep_held
from wufei.reports.models import Report, ReportInput
from wufei.reports.service import ReportError, add_input, last_answers, submit_report
from wufei.tasks.models import Role, Task, TaskDepartment
from wufei.web import pages
from wufei.web.portal import Forbidden, Portal, read_form, redirect
from wufei.web.shared import own_department

LIAISON = UserRole.LIAISON
FIELD = re.compile(r"^(progress|done|problems|next|evidence|input|confirm)_(\d+)$")
# The answers a row is prefilled with, and the report fields they come from.
ANSWERS = {"progress": "progress", "done": "done_text", "problems": "problems", "next": "next_steps"}
MAX_FILES = 30  # per form
# File parts parsed (a file input sends one even when empty, one a task row): the body's size limit
# bounds the bytes; MAX_FILES, the files chosen, is checked after, so the typed form is kept.
FILE_PARTS = 5000
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


@dataclass
class WeekPlan:
    """What the week's form would file: rows changed, rows confirmed unchanged, rows left out."""

    changed: list[int] = field(default_factory=list)
    confirmed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    def shown(self, session) -> dict[str, Any]:
        titles = dict(
            session.execute(
                select(Task.id, Task.title).where(Task.id.in_(self.changed + self.confirmed + self.unchanged))
            )
            .tuples()
            .all()
        )
        return {
            "changed": [titles[t] for t in self.changed],
            "confirmed": [titles[t] for t in self.confirmed],
            "unchanged": [titles[t] for t in self.unchanged],
        }


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def _changed(fields: dict[str, Any], task_id: int, last: Report | None) -> bool:
    """Whether the row differs from the last answer it was prefilled with (no answer: any text is new)."""
    if last is None:
        return True
    return any(_text(fields.get(f"{name}_{task_id}")) != _text(getattr(last, attr)) for name, attr in ANSWERS.items())


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
        plan: dict[str, Any] | None = None,
        held: dict[int, list[str]] | None = None,
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
            plan=plan,
            held=held or {},
            allowed_types="、".join(allowed_types),
            max_size=size_text(max_file_bytes),
            max_files=MAX_FILES,
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
        form = await read_form(request, max_files=FILE_PARTS)
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
            token = str(fields.get("held_evidence") or "")
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    portal.check_csrf(form, signed)
                    if (chosen := sum(len(f) for f in files.values())) > MAX_FILES:
                        raise ReportError(f"一次最多上传{MAX_FILES}个佐证材料文件，本次选择了{chosen}个，请分次报送")
                    owner = f"user:{signed.user.id}"
                    if token:  # the files held by the preview, before those chosen since
                        try:
                            for task_id, items in held_files(token, owner=owner).items():
                                files[task_id] = items + files.get(task_id, [])
                        except EvidenceError:
                            fields.pop("held_evidence", None)
                            raise
                        if (total := sum(len(f) for f in files.values())) > MAX_FILES:
                            raise ReportError(
                                f"一次最多报送{MAX_FILES}个佐证材料文件，预览时保留的和本次选择的共{total}个，请分次报送"
                            )
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
                    if fields.get("action") == "preview":
                        plan = _plan_week(session, signed.user.department_id, week, fields, files, led)
                        if files:  # held for the submit, with those a former preview held
                            fields["held_evidence"] = hold_files(files, owner=owner, rules=portal.cadence.evidence)
                            if token:
                                drop_held(token)
                        return _render_form(
                            request,
                            session,
                            signed,
                            week,
                            values=fields,
                            plan=plan.shown(session),
                            held={task_id: [name for name, _ in items] for task_id, items in files.items()},
                        )
                    filed = _file_week(session, signed, week, fields, files, led, supported)
                    if not filed:
                        raise ReportError(
                            "没有要报送的内容：与上次相同的任务须勾选「本周无变化，确认」才报送，"
                            "或填写本周进度和配合情况"
                        )
                    portal.refresh_lights(session, filed)
                if token:  # filed (committed): the held copies are stored as evidence now
                    drop_held(token)
                sweep_held()
                return redirect(f"/my/report?week={week.isocalendar().year}-W{week.isocalendar().week:02d}", "filed")
            except (ReportError, EvidenceError) as error:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    # Still held: the liaison corrects the form and submits again.
                    held = str(fields.get("held_evidence") or "")
                    kept = held_names(held, owner=f"user:{signed.user.id}") if held else {}
                    return _render_form(
                        request, session, signed, week, values=fields, error=str(error), status_code=400, held=kept
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

    def _plan_week(session, department_id: int, week: date, fields, files, led: set[int]) -> WeekPlan:
        """Which led rows the form files: changed ones, and unchanged ones the liaison confirmed."""
        given = sorted(t for t in led if str(fields.get(f"progress_{t}") or "").strip())
        last = last_answers(
            session,
            department_id=department_id,
            task_ids=given,
            as_of=max(portal.today(), week),
            cadence=portal.cadence,
        )
        confirm_all = fields.get("confirm_all") == "1"
        plan = WeekPlan()
        for task_id in given:
            if _changed(fields, task_id, last.get(task_id)) or task_id in files:
                plan.changed.append(task_id)
            elif confirm_all or fields.get(f"confirm_{task_id}") == "1":
                plan.confirmed.append(task_id)
            else:
                plan.unchanged.append(task_id)
        return plan

    def _file_week(session, signed, week: date, fields, files, led: set[int], supported: set[int]) -> list[int]:
        """Files the form's changed and confirmed rows and its new 配合情况; the tasks filed for."""
        calendar, at, actor = load_calendar(session), portal.now(), actor_of(signed)
        department_id, filed = signed.user.department_id, []
        plan = _plan_week(session, department_id, week, fields, files, led)
        for task_id in sorted(plan.changed + plan.confirmed):
            raw = str(fields.get(f"progress_{task_id}") or "").strip()
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
