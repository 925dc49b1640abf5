"""The office imports a plan in the portal: upload, preview, correct, commit; and decides doubts.

- `GET/POST /import`: the upload form; an upload (type and size checked before it is stored) is
  kept under `Settings.imports_dir` by a random token and previewed at `/import/{token}`.
- `/import/{token}`: every record as it would be stored, doubtful fields highlighted with the
  doubt; the owners, deadlines, targets and the plan's place and period can be corrected in the
  page. `…/commit` imports the file with the corrections in one transaction (all or nothing);
  `…/workbook` downloads the corrected preview as the import workbook.
- `/doubts`: the open doubts (待确认), each confirmed or marked corrected with a note.

Office only; every POST checks the CSRF token; uploads, imports and decisions are audited.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from wufei.accounts.models import UserRole
from wufei.accounts.service import person
from wufei.audit import service as audit
from wufei.doubts.models import DoubtStatus
from wufei.doubts.service import DoubtError, decide_doubt, doubt_as_dict, list_doubts
from wufei.exporters.preview import write_preview_workbook
from wufei.filetypes import content_matches, mismatch_message, size_text
from wufei.importers.preview import FieldView, FilePreview
from wufei.importers.service import (
    IMPORTABLE_SUFFIXES,
    OMIT,
    Correction,
    import_corrected,
    preview_corrected,
    preview_paths,
)
from wufei.plans.models import Plan
from wufei.tasks.models import Task, TaskDepartment
from wufei.web.ids import row_id
from wufei.web.portal import Portal, read_form, redirect

OFFICE = UserRole.OFFICE
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
STALE_SECONDS = 7 * 24 * 3600  # an upload nobody committed is removed after a week
FORM_OVERHEAD_BYTES = 64 * 1024
MAX_FORM_FIELDS = 20_000  # a large plan's preview form: three inputs per task, two per indicator
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The fields the page lets the office correct, per kind of record (keys of Correction.field).
EDITABLE = {
    "plan": ("jurisdiction", "period", "title"),
    "task": ("leads", "supporting", "deadline"),
    "project": ("leads", "supporting", "deadline"),
    "indicator": ("target", "leads"),
    "cell": ("count", "leads"),
}


def actor_of(signed) -> str:
    return person(signed.user)


def allowed_suffixes() -> list[str]:
    return sorted(IMPORTABLE_SUFFIXES)


class ImportPageError(Exception):
    """An upload refused before anything is stored; the message is Chinese."""

    def __init__(self, message: str, status_code: int = 400):
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    name: str  # as the office's computer named it
    uploaded_by: str


class UploadStore:
    """Uploaded plans waiting for their commit: `<folder>/<token>/upload<suffix>` and `meta.json`."""

    def __init__(self, folder: Path):
        self.folder = folder

    def save(self, name: str, content: bytes, *, uploaded_by: str) -> Upload:
        self._prune()
        token = secrets.token_urlsafe(24)
        directory = self.folder / token
        directory.mkdir(parents=True)
        path = directory / f"upload{Path(name).suffix.lower()}"
        path.write_bytes(content)
        (directory / "meta.json").write_text(
            json.dumps({"name": name, "uploaded_by": uploaded_by}, ensure_ascii=False), encoding="utf-8"
        )
        return Upload(token, path, name, uploaded_by)

    def find(self, token: str) -> Upload:
        directory = self.folder / token
        if not TOKEN.match(token) or not (directory / "meta.json").is_file():
            raise HTTPException(status_code=404, detail="找不到此次上传（可能已导入或已过期），请重新上传")
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        [path] = [p for p in directory.iterdir() if p.name.startswith("upload")]
        return Upload(token, path, meta["name"], meta["uploaded_by"])

    def remove(self, upload: Upload) -> None:
        shutil.rmtree(upload.path.parent, ignore_errors=True)

    def _prune(self) -> None:
        if not self.folder.is_dir():
            return
        for directory in self.folder.iterdir():
            if directory.is_dir() and time.time() - directory.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(directory, ignore_errors=True)


def field_name(record_type: str, plan: int, index: int | None, field: str) -> str:
    """The form name of an editable field: plan0-period, task0-3-leads."""
    return f"plan{plan}-{field}" if index is None else f"{record_type}{plan}-{index}-{field}"


def corrections_from(preview: FilePreview, values: dict[str, str]) -> list[Correction]:
    """The fields the office changed in the page, as corrections of the preview."""
    corrections = []
    for plan in preview.plans:
        candidates: list[tuple[str, int | None, FieldView]] = [
            ("plan", None, f) for f in plan.fields if f.key in EDITABLE["plan"]
        ]
        for record_type, records in (("task", plan.tasks), ("indicator", plan.indicators), ("cell", plan.cells)):
            for record in records:
                candidates += [(record_type, record.index, f) for f in record.fields if f.key in EDITABLE[record.kind]]
                if values.get(field_name(record_type, plan.index, record.index, OMIT)) == "1":
                    corrections.append(Correction(plan.index, record_type, record.index, OMIT, "1"))
        for record_type, index, shown in candidates:
            name = field_name(record_type, plan.index, index, shown.key)
            if name in values and values[name].strip() != shown.value.strip():
                corrections.append(Correction(plan.index, record_type, index, shown.key, values[name].strip()))
    return corrections


def _readable(preview: FilePreview, upload: Upload) -> FilePreview:
    """Errors name the file as the office knows it, not where the portal keeps it."""
    stored = str(upload.path)
    preview.file = upload.name
    if preview.error:
        preview.error = preview.error.replace(stored, upload.name)
    for plan in preview.plans:
        if plan.error:
            plan.error = plan.error.replace(stored, upload.name)
        plan.warnings = [w.replace(stored, upload.name) for w in plan.warnings]
    return preview


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()
    store = UploadStore(portal.settings.imports_dir)
    max_bytes = portal.settings.import_max_bytes

    def limits() -> dict[str, Any]:
        return {"allowed_types": "、".join(allowed_suffixes()), "max_size": size_text(max_bytes)}

    def refuse(request, message: str, status_code: int = 400, back: str = "/import"):
        with portal.work() as session:
            signed = portal.signed_in(request, session)
        return portal.render_error(request, message, signed=signed, status_code=status_code, back=back)

    def signed_office(request) -> None:
        with portal.work() as session:
            portal.user(request, session, OFFICE)

    # --- upload -------------------------------------------------------------------------------

    @routes.get("/import")
    def upload_page(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            return portal.render(request, "import_upload.html.j2", signed=signed, **limits())

    @routes.post("/import")
    async def upload(request: Request):
        # Who is asking, before a byte of the upload is read.
        await run_in_threadpool(signed_office, request)
        if int(request.headers.get("content-length") or 0) > max_bytes + FORM_OVERHEAD_BYTES:
            return await run_in_threadpool(refuse, request, _too_large(max_bytes), 413)
        form = await read_form(request, max_files=1, max_fields=10)
        file = form.get("file")
        name, content = "", b""
        if isinstance(file, UploadFile) and file.filename:
            name = Path(file.filename.replace("\\", "/")).name  # some browsers send C:\\fakepath\\name
            content = await file.read(max_bytes + 1)

        def work():
            try:
                with portal.work() as session:
                    signed = portal.user(request, session, OFFICE)
                    portal.check_csrf(form, signed)
                _check_upload(name, content, max_bytes)
                upload = store.save(name, content, uploaded_by=signed.user.username)
                # Only a file that can be read is kept (and audited as uploaded). The preview runs
                # on its own connection, outside any transaction of this request.
                [preview] = preview_paths(portal.settings.engine, [upload.path], keep_in=upload.path.parent)
                if not preview.ok:
                    store.remove(upload)
                    raise ImportPageError(_readable(preview, upload).error or "无法读取此文件")
                with portal.work() as session:
                    audit.record(
                        session,
                        actor=actor_of(signed),
                        action="upload",
                        entity="imports",
                        entity_id=None,
                        entity_key=f"import:{upload.token[:8]}",
                        changes={"file": [None, name], "bytes": [None, len(content)], "sha256": [None, _sha(content)]},
                        source=name,
                    )
                return redirect(f"/import/{upload.token}")
            except ImportPageError as error:
                return refuse(request, str(error), error.status_code)

        return await run_in_threadpool(work)

    # --- preview, correct, commit ---------------------------------------------------------------

    def render_preview(request, upload: Upload, *, values=None, error=None, status_code=200):
        preview = _readable(preview_paths(portal.settings.engine, [upload.path], keep_in=upload.path.parent)[0], upload)
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            return portal.render(
                request,
                "import_preview.html.j2",
                signed=signed,
                token=upload.token,
                preview=preview,
                values=values or {},
                error=error,
                editable=EDITABLE,
                field_name=field_name,
                omit=OMIT,
                status_code=status_code,
            )

    @routes.get("/import/{token}")
    def preview_page(request: Request, token: str):
        with portal.work() as session:
            portal.user(request, session, OFFICE)
        return render_preview(request, store.find(token))

    async def _form(request: Request):
        await run_in_threadpool(signed_office, request)
        return await read_form(request, max_files=0, max_fields=MAX_FORM_FIELDS)

    @routes.post("/import/{token}/commit")
    async def commit(request: Request, token: str):
        form = await _form(request)

        def work():
            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                portal.check_csrf(form, signed)
            upload = store.find(token)
            values = {k: str(v) for k, v in form.items()}
            [shown] = preview_paths(portal.settings.engine, [upload.path], keep_in=upload.path.parent)
            result = import_corrected(
                portal.settings.engine,
                upload.path,
                corrections_from(shown, values),
                actor=actor_of(signed),
                source_name=upload.name,
                keep_in=upload.path.parent,
            )
            if not result.ok:
                message = (result.error or "").replace(str(upload.path), upload.name)
                return render_preview(
                    request, upload, values=values, error=f"未导入，未写入任何内容：{message}", status_code=400
                )
            store.remove(upload)
            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                return portal.render(
                    request,
                    "import_done.html.j2",
                    signed=signed,
                    result=result,
                    plans=_imported(session, [p.plan_id for p in result.plans]),
                )

        return await run_in_threadpool(work)

    @routes.post("/import/{token}/workbook")
    async def workbook(request: Request, token: str):
        form = await _form(request)

        def work():
            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                portal.check_csrf(form, signed)
            upload = store.find(token)
            values = {k: str(v) for k, v in form.items()}
            [shown] = preview_paths(portal.settings.engine, [upload.path], keep_in=upload.path.parent)
            corrected = preview_corrected(
                portal.settings.engine,
                upload.path,
                corrections_from(shown, values),
                source_name=upload.name,
                keep_in=upload.path.parent,
            )
            if not corrected.ok:
                return render_preview(request, upload, values=values, error=corrected.error, status_code=400)
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / "preview.xlsx"
                write_preview_workbook(target, [corrected])
                content = target.read_bytes()
            download = f"导入工作簿-{Path(upload.name).stem}.xlsx"
            return Response(
                content,
                media_type=WORKBOOK_TYPE,
                headers={"Content-Disposition": _attachment(download)},
            )

        return await run_in_threadpool(work)

    # --- doubts ---------------------------------------------------------------------------------

    @routes.get("/doubts")
    def doubts_page(request: Request, plan: str | None = None, show_all: int = Query(0, alias="all")):
        plan_id = row_id(plan)
        if plan is not None and plan_id is None:
            raise HTTPException(404)
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            status = None if show_all else DoubtStatus.OPEN
            rows = list_doubts(session, plan_ids=[plan_id] if plan_id else None, status=status)
            doubts = [{**doubt_as_dict(d), "awaiting": bool(d.task and d.task.awaiting_assignment)} for d in rows]
            return portal.render(
                request,
                "doubts.html.j2",
                signed=signed,
                groups=_same_doubts(doubts),
                count=len(doubts),
                showing_all=bool(show_all),
                plan=plan_id,
            )

    def decide_doubts(request: Request, form, doubt_ids: list[int]):
        """The office's one decision on these open doubts, all or none."""
        try:
            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                portal.check_csrf(form, signed)
                if not doubt_ids:
                    raise DoubtError("没有选中待确认项")
                status = DoubtStatus.CORRECTED if form.get("decision") == "corrected" else DoubtStatus.CONFIRMED
                for doubt_id in doubt_ids:
                    decide_doubt(
                        session,
                        doubt_id=doubt_id,
                        status=status,
                        note=str(form.get("note") or ""),
                        actor=actor_of(signed),
                    )
            return redirect("/doubts", "doubt_decided")
        except DoubtError as error:
            return refuse(request, str(error), back="/doubts")

    @routes.post("/doubts/decide")
    async def decide_same(request: Request):
        """One decision for the open doubts a group lists (the same question on many records of a
        plan: 各县（市、区）政府 unknown on twenty tasks)."""
        form = await read_form(request)
        ids = sorted({number for value in form.getlist("doubt") if (number := row_id(value)) is not None})
        return await run_in_threadpool(decide_doubts, request, form, ids)

    @routes.post("/doubts/{doubt_id:id}/decide")
    async def decide(request: Request, doubt_id: int):
        form = await read_form(request)
        return await run_in_threadpool(decide_doubts, request, form, [doubt_id])

    return routes


def _same_doubts(doubts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The open doubts of a plan asking the same thing about the same text, one group each (in the
    order of their first), so the office answers once; a decided doubt stays on its own."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for doubt in doubts:
        key: tuple[Any, ...] = (
            (doubt["plan_id"], doubt["field"], doubt["message"], doubt["text"])
            if doubt["status"] == "open"
            else ("decided", doubt["id"])
        )
        group = groups.setdefault(key, {**doubt, "members": []})
        group["members"].append(doubt)
    return list(groups.values())


def _check_upload(name: str, content: bytes, max_bytes: int) -> None:
    if not name:
        raise ImportPageError("请选择要导入的文件")
    suffix = Path(name).suffix.lower()
    if suffix not in allowed_suffixes():
        raise ImportPageError(f"不支持的文件类型「{name}」：可导入 {'、'.join(allowed_suffixes())}")
    if len(content) > max_bytes:
        raise ImportPageError(_too_large(max_bytes), status_code=413)
    if not content:
        raise ImportPageError(f"文件「{name}」是空的")
    if not content_matches(name, content):
        raise ImportPageError(f"不能导入：{mismatch_message(name)}")


def _too_large(max_bytes: int) -> str:
    return f"上传的文件过大（不超过 {size_text(max_bytes)}）"


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _attachment(name: str) -> str:
    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(name)}"


def _imported(session, plan_ids: list[int]) -> list[dict[str, Any]]:
    """What was just imported: each plan with its tasks and their owners, for the result page."""
    plans = []
    for plan in session.scalars(select(Plan).where(Plan.id.in_(plan_ids)).order_by(Plan.id)):
        tasks = session.scalars(
            select(Task)
            .where(Task.plan_id == plan.id)
            .options(selectinload(Task.assignments).selectinload(TaskDepartment.department))
            .order_by(Task.id)
        )
        plans.append({"plan": plan, "tasks": list(tasks)})
    return plans
