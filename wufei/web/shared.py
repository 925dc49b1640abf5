"""Pages several roles see: the dashboard, task and department pages, reports, evidence, bulletins.

Who may read what: the office and leaders read everything; a liaison reads only its own
department's tasks (as lead or supporting), its own reports and their evidence (403 otherwise).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session, selectinload

from wufei.accounts.models import UserRole
from wufei.accounts.service import SignedIn
from wufei.departments.models import Department
from wufei.reports.evidence import evidence_path
from wufei.reports.models import Evidence, Report
from wufei.reports.service import as_it_was, stored_time
from wufei.tasks.models import Task, TaskDepartment
from wufei.web import pages
from wufei.web.portal import Forbidden, Portal

OFFICE, LIAISON, LEADER = UserRole.OFFICE, UserRole.LIAISON, UserRole.LEADER


def liaison_department(signed: SignedIn) -> int | None:
    """The department a liaison is limited to; None for the office and leaders (they see all)."""
    return signed.user.department_id if signed.user.role == LIAISON else None


def own_department(signed: SignedIn) -> int:
    """A liaison's department (every liaison account has one)."""
    department_id = signed.user.department_id
    if department_id is None:
        raise Forbidden("此账号未关联部门")
    return department_id


def load_task(session: Session, task_id: int) -> Task:
    task = session.get(
        Task,
        task_id,
        options=[selectinload(Task.plan), selectinload(Task.assignments).selectinload(TaskDepartment.department)],
    )
    if task is None:
        raise _not_found("找不到此任务")
    return task


def _not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)


def check_task_visible(signed: SignedIn, task: Task) -> None:
    own = liaison_department(signed)
    if own is not None and all(a.department_id != own for a in task.assignments):
        raise Forbidden("此任务不属于本部门")


def check_report_visible(signed: SignedIn, report: Report) -> None:
    own = liaison_department(signed)
    if own is not None and report.department_id != own:
        raise Forbidden("不能查看其他部门的报告")


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()

    @routes.get("/dashboard")
    def dashboard(request: Request, jurisdiction: str | None = None):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE, LEADER)
            data = pages.dashboard(
                session,
                today=portal.today(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
                bulletins_dir=portal.settings.bulletins_dir,
                jurisdiction=jurisdiction or None,
                tracking_rules=portal.rules.tracking,
                cell_rules=portal.rules.cells,
            )
            return portal.render(request, "dashboard.html.j2", signed=signed, **data)

    @routes.get("/tasks/{task_id:id}")
    def task_page(request: Request, task_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            task = load_task(session, task_id)
            check_task_visible(signed, task)
            data = pages.task_detail(
                session,
                task=task,
                today=portal.today(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
                department_id=liaison_department(signed),
            )
            return portal.render(request, "task.html.j2", signed=signed, **data)

    @routes.get("/departments")
    def departments(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE, LEADER)
            return portal.render(
                request, "departments.html.j2", signed=signed, departments=pages.departments_overview(session)
            )

    @routes.get("/departments/{department_id:id}")
    def department_page(request: Request, department_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            own = liaison_department(signed)
            if own is not None and own != department_id:
                raise Forbidden("不能查看其他部门的页面")
            department = session.get(Department, department_id)
            if department is None:
                raise _not_found("找不到此部门")
            tasks = pages.department_tasks(
                session,
                department_id=department_id,
                today=portal.today(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
            )
            reporting = pages.department_reporting(
                session, department_id=department_id, today=portal.today(), cadence=portal.cadence
            )
            return portal.render(
                request, "department.html.j2", signed=signed, department=department, tasks=tasks, reporting=reporting
            )

    @routes.get("/reports/{report_id:id}")
    def report_page(request: Request, report_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            report = session.get(
                Report,
                report_id,
                options=[
                    selectinload(Report.task).selectinload(Task.plan),
                    selectinload(Report.department),
                    selectinload(Report.evidence),
                ],
            )
            filed = stored_time(report.submitted_at) if report is not None else None
            # a replay day's portal shows no report filed after its day, by its address either
            until = portal.cadence.end_of_day(portal.today())
            if report is None or (filed is not None and filed >= until):
                raise _not_found("找不到此报告")
            as_it_was([report], until)
            check_report_visible(signed, report)
            return portal.render(
                request, "report.html.j2", signed=signed, report=report, status_names=pages.STATUS_NAMES
            )

    @routes.get("/evidence/{evidence_id:id}")
    def evidence_download(request: Request, evidence_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            evidence = session.get(Evidence, evidence_id, options=[selectinload(Evidence.report)])
            if evidence is None:
                raise _not_found("找不到此佐证材料")
            check_report_visible(signed, evidence.report)
            path, name, content_type = evidence_path(evidence.stored_path), evidence.file_name, evidence.content_type
        if not path.is_file():
            raise _not_found("佐证材料文件已不在存储目录中")
        # Always a download, never shown inline: an uploaded file is not trusted content.
        return FileResponse(path, media_type=content_type, filename=name, content_disposition_type="attachment")

    @routes.get("/bulletins")
    def bulletin_list(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE, LEADER)
        return portal.render(
            request,
            "bulletins.html.j2",
            signed=signed,
            bulletins=pages.bulletins(portal.settings.bulletins_dir, today=portal.today(), shown=None),
            folder=str(portal.settings.bulletins_dir),
        )

    @routes.get("/bulletins/file")
    def bulletin_download(request: Request, path: str):
        with portal.work() as session:
            portal.user(request, session, OFFICE, LEADER)
        target = pages.bulletin_file(portal.settings.bulletins_dir, path, today=portal.today())
        if target is None:
            raise _not_found("找不到此通报文件")
        return FileResponse(target, filename=target.name, content_disposition_type="attachment")

    return routes
