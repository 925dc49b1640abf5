"""Pages several roles see: the dashboard, task and department pages, reports, evidence, bulletins.

Who may read what: the office and leaders read everything; a liaison reads only its own
department's tasks (as lead or supporting), its own reports and their evidence, its own indicator
values' and cells' evidence (403 otherwise).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session, selectinload

from wufei.accounts.models import UserRole
from wufei.accounts.service import SignedIn
from wufei.cells.models import CellEvent, CellEvidence
from wufei.departments.models import Department
from wufei.indicators.models import IndicatorEvidence
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


def _download(evidence: Evidence | IndicatorEvidence | CellEvidence) -> FileResponse:
    path = evidence_path(evidence.stored_path)
    if not path.is_file():
        raise _not_found("佐证材料文件已不在存储目录中")
    # Always a download, never shown inline: an uploaded file is not trusted content. Never kept by a
    # browser's or a proxy's cache either: after signing out, or for the next user of a shared machine.
    return FileResponse(
        path,
        media_type=evidence.content_type,
        filename=evidence.file_name,
        content_disposition_type="attachment",
        headers={"Cache-Control": "private, no-store"},
    )


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

    # Evidence of weekly reports, indicator values and cells: the office and leaders download any,
    # a liaison only its own department's (the report's, the value's, the cell's responsible unit);
    # on a replay day none filed after it, as its report is not shown either.

    def after_the_day(moment: datetime | None) -> bool:
        stored = stored_time(moment)
        return stored is not None and stored >= portal.cadence.end_of_day(portal.today())

    @routes.get("/evidence/{evidence_id:id}")
    def evidence_download(request: Request, evidence_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            evidence = session.get(Evidence, evidence_id, options=[selectinload(Evidence.report)])
            if evidence is None or after_the_day(evidence.report.submitted_at):
                raise _not_found("找不到此佐证材料")
            check_report_visible(signed, evidence.report)
            return _download(evidence)

    @routes.get("/indicator-evidence/{evidence_id:id}")
    def indicator_evidence_download(request: Request, evidence_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            evidence = session.get(IndicatorEvidence, evidence_id, options=[selectinload(IndicatorEvidence.report)])
            if evidence is None or after_the_day(evidence.report.submitted_at):
                raise _not_found("找不到此佐证材料")
            own = liaison_department(signed)
            if own is not None and evidence.report.department_id != own:
                raise Forbidden("不能查看其他部门的佐证材料")
            return _download(evidence)

    @routes.get("/cell-evidence/{evidence_id:id}")
    def cell_evidence_download(request: Request, evidence_id: int):
        with portal.work() as session:
            signed = portal.user(request, session)
            evidence = session.get(
                CellEvidence, evidence_id, options=[selectinload(CellEvidence.event).selectinload(CellEvent.cell)]
            )
            if evidence is None or evidence.event.on > portal.today():
                raise _not_found("找不到此佐证材料")
            own = liaison_department(signed)
            if own is not None and evidence.event.cell.department_id != own:
                raise Forbidden("该细胞不由本部门负责，不能查看")
            return _download(evidence)

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
        # The Chinese title for browsers that read RFC 5987's filename*, the file's ASCII name for any other.
        name = quote(pages.download_name(target), safe="")
        disposition = f"attachment; filename=\"{target.name}\"; filename*=UTF-8''{name}"
        return FileResponse(target, headers={"Content-Disposition": disposition})

    return routes
