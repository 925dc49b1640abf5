"""Indicator values in the portal: a liaison's indicators due with a form to report a value (and
the Excel 指标填报表 to download and upload), and the office's review of submitted values.

Every write names indicators by id; a liaison may report only for indicators its department leads
(403 otherwise, whatever the form says); an uploaded 指标填报表 must be its own department's.
The services (wufei.indicators.reporting, .form) decide everything else and answer in Chinese.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from wufei.accounts.models import UserRole
from wufei.accounts.service import person
from wufei.cadence import periods
from wufei.filetypes import content_matches, mismatch_message, size_text
from wufei.indicators import trajectory as rules_
from wufei.indicators.form import import_indicator_form, write_indicator_form
from wufei.indicators.models import Indicator, IndicatorReport, IndicatorReportStatus
from wufei.indicators.reporting import (
    STATUS_NAMES,
    IndicatorReportError,
    filed_periods,
    list_values,
    review_value,
    submit_value,
    tracks,
)
from wufei.indicators.service import WITH_PLAN_VALUES_OWNERS, list_indicators
from wufei.tasks.models import Role
from wufei.web.portal import Forbidden, Portal, read_form, redirect
from wufei.web.shared import own_department

LIAISON, OFFICE = UserRole.LIAISON, UserRole.OFFICE
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_MAX_BYTES = 2 * 1024 * 1024  # a department's 指标填报表 is a few dozen rows
FORM_OVERHEAD_BYTES = 64 * 1024
NOTICES = {
    "indicator_filed": "已报送指标数值，等待办公室审核。",
    "indicator_form_filed": "已导入指标填报表。",
    "indicator_accepted": "已采纳指标数值。",
    "indicator_returned": "已退回指标数值，已通知责任单位重新报送。",
}


def upload_limits(portal: Portal) -> dict[str, int]:
    """The largest body each upload form here takes (the app refuses larger ones unread)."""
    return {
        "/my/indicators": portal.cadence.evidence.max_bytes + FORM_OVERHEAD_BYTES,
        "/my/indicators/form": FORM_MAX_BYTES + FORM_OVERHEAD_BYTES,
    }


def _led(session, department_id: int) -> list[Indicator]:
    return list_indicators(session, department_ids=[department_id], role=Role.LEAD)


def _path_text(track) -> str:
    """The trajectory in words: 基线 2020年 45 → 节点 2023年 52 → 目标 2025年 60."""
    return " → ".join(f"{p.kind} {p.end[:4]}年 {rules_.number(Decimal(str(p.value)))}" for p in track.path)


def _due_period(indicator: Indicator, portal: Portal, filed: set[str]) -> periods.Period | None:
    """The period the form offers: the one still owed (trajectory.owed_period), None when all are filed."""
    rules = portal.rules.tracking
    return rules_.owed_period(rules.frequency_of(indicator.name), portal.today(), rules, filed)


def indicator_rows(session, portal: Portal, indicators: list[Indicator]) -> list[dict[str, Any]]:
    """Each indicator's track as a row of the pages: light, reason, forecast, period due."""
    by_id = {i.id: i for i in indicators}
    filed = filed_periods(session, by_id)
    rows = []
    for track in tracks(
        session,
        indicators,
        as_of=portal.today(),
        rules=portal.rules.tracking,
        reporting_since=portal.cadence.weekly.reporting_since,
    ):
        due = _due_period(by_id[track.indicator_id], portal, filed.get(track.indicator_id, set()))
        rows.append(
            {
                "track": track,
                "lamp": track.colour if track.colour in ("green", "yellow", "red") else "none",
                "path": _path_text(track),
                "due": due,
                "due_on": rules_.due_on(due, portal.rules.tracking) if due is not None else None,
            }
        )
    return rows


def _own_reports(session, department_id: int) -> list[IndicatorReport]:
    return list(reversed(list_values(session, department_ids=[department_id])))


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()
    max_file_bytes, allowed_types = portal.cadence.evidence.max_bytes, portal.cadence.evidence.allowed_types

    def render(request, template: str, **context):
        notice = NOTICES.get(request.query_params.get("notice", ""))
        return portal.render(request, template, indicator_notice=notice, **context)

    # --- the liaison's indicators ---------------------------------------------------------------

    def _my_page(
        request, session, signed, *, error: str | None = None, values=None, status_code: int = 200, notice=None
    ):
        department_id = own_department(signed)
        context = {"indicator_notice": notice} if notice else {}
        return (portal.render if notice else render)(
            request,
            "my_indicators.html.j2",
            **context,
            signed=signed,
            status_code=status_code,
            rows=indicator_rows(session, portal, _led(session, department_id)),
            reports=_own_reports(session, department_id),
            status_names=STATUS_NAMES,
            period_cn=lambda label: periods.parse(label).chinese,
            error=error,
            values=values or {},
            allowed_types="、".join(allowed_types),
            max_size=size_text(max_file_bytes),
            number=lambda value: rules_.number(Decimal(str(value))),
        )

    @routes.get("/my/indicators")
    def my_indicators(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            return _my_page(request, session, signed)

    @routes.post("/my/indicators")
    async def report_value(request: Request):
        await run_in_threadpool(_signed, request, LIAISON)
        form = await read_form(request, max_files=1, max_fields=20)
        evidence = []
        upload = form.get("evidence")
        if isinstance(upload, UploadFile) and upload.filename:
            evidence.append((Path(upload.filename.replace("\\", "/")).name, await upload.read(max_file_bytes + 1)))
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}

        def work():
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    portal.check_csrf(form, signed)
                    department_id = own_department(signed)
                    try:
                        indicator_id = int(fields.get("indicator_id") or "")
                    except ValueError:
                        raise IndicatorReportError("请选择要报送的指标") from None
                    if indicator_id not in {i.id for i in _led(session, department_id)}:
                        raise Forbidden(f"指标 {indicator_id} 不由本部门牵头，不能报送")
                    submit_value(
                        session,
                        indicator_id=indicator_id,
                        department_id=department_id,
                        period=fields.get("period", "").strip(),
                        value=fields.get("value"),
                        source=fields.get("source"),
                        caliber=fields.get("caliber"),
                        note=fields.get("note"),
                        evidence=evidence,
                        at=portal.now(),
                        actor=person(signed.user),
                        rules=portal.rules.tracking,
                        cadence=portal.cadence,
                    )
                return redirect("/my/indicators", "indicator_filed")
            except IndicatorReportError as error:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    return _my_page(request, session, signed, error=str(error), values=fields, status_code=400)

        return await run_in_threadpool(work)

    @routes.get("/my/indicators/form.xlsx")
    def download_form(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, LIAISON)
            department_id = own_department(signed)
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / "form.xlsx"
                write_indicator_form(
                    session, target, department_id=department_id, as_of=portal.today(), rules=portal.rules.tracking
                )
                content = target.read_bytes()
            department = signed.user.department
            name = f"指标填报表-{department.name if department else department_id}-{portal.today():%Y%m%d}.xlsx"
        return Response(
            content,
            media_type=WORKBOOK_TYPE,
            headers={
                "Content-Disposition": f"attachment; filename=\"indicators.xlsx\"; filename*=UTF-8''{quote(name)}"
            },
        )

    @routes.post("/my/indicators/form")
    async def upload_form(request: Request):
        await run_in_threadpool(_signed, request, LIAISON)
        form = await read_form(request, max_files=1, max_fields=5)
        upload = form.get("file")
        name, content = "", b""
        if isinstance(upload, UploadFile) and upload.filename:
            name = Path(upload.filename.replace("\\", "/")).name
            content = await upload.read(FORM_MAX_BYTES + 1)

        def work():
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    portal.check_csrf(form, signed)
                    department_id = own_department(signed)
                    if not name or not content:
                        raise IndicatorReportError("请选择要上传的指标填报表（Excel .xlsx 文件）")
                    if len(content) > FORM_MAX_BYTES:
                        raise IndicatorReportError(f"指标填报表「{name}」过大（不超过 {size_text(FORM_MAX_BYTES)}）")
                    if not name.lower().endswith(".xlsx") or not content_matches(name, content):
                        raise IndicatorReportError(
                            mismatch_message(name) if name.lower().endswith(".xlsx") else f"「{name}」不是 .xlsx 文件"
                        )
                    with tempfile.TemporaryDirectory() as folder:
                        path = Path(folder) / name
                        path.write_bytes(content)
                        imported = import_indicator_form(
                            session,
                            path,
                            at=portal.now(),
                            actor=person(signed.user),
                            rules=portal.rules.tracking,
                            cadence=portal.cadence,
                            department_id=department_id,
                        )
                    if not imported.filed and not imported.skipped:
                        raise IndicatorReportError(f"指标填报表「{name}」中没有填写本期数值的行，未报送任何内容")
                    if imported.skipped:  # said on the page itself: a redirect's notice cannot name the rows
                        filed = f"已报送{len(imported.filed)}项指标数值" if imported.filed else "未报送新的指标数值"
                        notice = f"已导入指标填报表「{name}」：{filed}；" + "；".join(imported.skipped) + "。"
                        return _my_page(request, session, signed, notice=notice)
                return redirect("/my/indicators", "indicator_form_filed")
            except IndicatorReportError as error:
                with portal.work() as session:
                    signed = portal.user(request, session, LIAISON)
                    return _my_page(request, session, signed, error=str(error), status_code=400)

        return await run_in_threadpool(work)

    def _signed(request, role: UserRole) -> None:
        with portal.work() as session:
            portal.user(request, session, role)

    # --- the office's review ----------------------------------------------------------------------

    @routes.get("/indicators/review")
    def review_page(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            waiting = list_values(session, status=IndicatorReportStatus.SUBMITTED)
            indicators = list(
                session.scalars(
                    select(Indicator)
                    .where(Indicator.id.in_({r.indicator_id for r in waiting}))
                    .options(*WITH_PLAN_VALUES_OWNERS)
                )
            )
            rows = {row["track"].indicator_id: row for row in indicator_rows(session, portal, indicators)}
            return render(
                request,
                "indicator_review.html.j2",
                signed=signed,
                reports=waiting,
                rows=rows,
                period_cn=lambda label: periods.parse(label).chinese,
            )

    @routes.post("/indicator-values/{report_id:id}/review")
    async def review(request: Request, report_id: int):
        form = await read_form(request)

        def work():
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, OFFICE)
                    portal.check_csrf(form, signed)
                    decision = str(form.get("decision") or "")
                    if decision not in ("accept", "return"):
                        raise IndicatorReportError("请选择采纳或退回")
                    review_value(
                        session,
                        report_id=report_id,
                        accept=decision == "accept",
                        reason=str(form.get("reason") or ""),
                        actor=person(signed.user),
                        at=portal.now(),
                        cadence=portal.cadence,
                    )
                notice = "indicator_accepted" if decision == "accept" else "indicator_returned"
                return redirect("/indicators/review", notice)
            except IndicatorReportError as error:
                with portal.work() as session:
                    signed = portal.signed_in(request, session)
                message = str(error).replace("（--reason）", "")  # the service speaks to the CLI too
                return portal.render_error(request, message, signed=signed, back="/indicators/review")

        return await run_in_threadpool(work)

    return routes
