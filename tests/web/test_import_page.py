"""The office's import page over HTTP and in headless Chromium: upload a plan, see the preview with
its doubtful fields, correct an owner, commit (all or nothing), download the import workbook, and
decide the doubts that remain. A portal of its own (an empty database), so the shared portal's
plan and counts stay as the other tests expect them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.importers.test_candidate_tasks import APPEAL, MINUTES
from tests.preview_plan import another_plan
from tests.web.conftest import PASSWORD, SHOTS, TODAY, csrf_of, serve, sign_in, sign_in_page
from wufei import migrate
from wufei.accounts.service import add_user
from wufei.audit.models import AuditEntry
from wufei.db import make_engine, transaction
from wufei.departments.models import Department
from wufei.departments.registry import Registry
from wufei.departments.service import ensure_jurisdiction
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.importers import sheet_schema as S
from wufei.importers.text.candidates import CANDIDATE_DOUBT
from wufei.plans.models import Plan
from wufei.tasks.models import Task
from wufei.web.app import create_app
from wufei.web.portal import Settings

MAX_IMPORT_BYTES = 50_000


@dataclass
class Portal:
    url: str
    engine: object
    imports: Path


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[Portal]:
    root = tmp_path_factory.mktemp("import-portal")
    engine = make_engine(fresh_database_url(root))
    migrate.upgrade(engine)
    with transaction(engine) as session:
        hengshui = ensure_jurisdiction(session, Registry.load(), "衡水市", path="test")
        ecology = session.scalar(
            select(Department).where(Department.jurisdiction_id == hengshui.id, Department.name == "市生态环境局")
        )
        add_user(session, username="office", role="office", display_name="办公室张三", password=PASSWORD, actor="t")
        add_user(session, username="leader", role="leader", display_name="李市长", password=PASSWORD, actor="t")
        add_user(
            session,
            username="eco",
            role="liaison",
            display_name="王五",
            department_id=ecology.id,
            password=PASSWORD,
            actor="t",
        )
    app = create_app(
        Settings(
            engine=engine,
            today=TODAY,
            bulletins_dir=root / "bulletins",
            imports_dir=root / "imports",
            import_max_bytes=MAX_IMPORT_BYTES,
        )
    )
    try:
        with serve(app) as url:
            yield Portal(url, engine, root / "imports")
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def office(portal):
    client = sign_in(portal, "office")
    yield client
    client.close()


def _plan_file(tmp_path: Path, number: int) -> Path:
    path = tmp_path / f"衡政办字〔2024〕{number}号.txt"
    path.write_text(another_plan(number), encoding="utf-8")
    return path


def _upload(client, path: Path, *, name: str | None = None, token: bool = True):
    page = client.get("/import")
    data = {"csrf_token": csrf_of(page.text)} if token else {}
    return client.post("/import", data=data, files={"file": (name or path.name, path.read_bytes(), "text/plain")})


def _stored(portal: Portal) -> list[Path]:
    return list(portal.imports.iterdir()) if portal.imports.is_dir() else []


def _plan(portal: Portal, number: int) -> Plan | None:
    with transaction(portal.engine) as session:
        return session.scalar(select(Plan).where(Plan.doc_number == f"衡政办字〔2024〕{number}号"))


def test_only_the_office_may_import_or_decide_doubts(portal, tmp_path):
    anonymous = httpx.Client(base_url=portal.url, follow_redirects=False)
    assert anonymous.get("/import").status_code == 303
    for username in ("leader", "eco"):
        client = sign_in(portal, username)
        assert client.get("/import").status_code == 403
        assert client.get("/doubts").status_code == 403
        refused = client.post("/import", data={"csrf_token": "x"}, files={"file": ("a.txt", b"x", "text/plain")})
        assert refused.status_code == 403 and "无权" in refused.text
        assert client.post("/import/" + "a" * 32 + "/commit", data={"csrf_token": "x"}).status_code == 403
        client.close()
    assert _stored(portal) == []


def test_an_upload_without_the_forms_token_is_refused_and_not_kept(portal, office, tmp_path):
    response = _upload(office, _plan_file(tmp_path, 11), token=False)
    assert response.status_code == 403 and "校验码" in response.text
    assert _stored(portal) == []


def test_a_file_that_cannot_be_imported_gets_a_chinese_error_page(portal, office, tmp_path):
    program = tmp_path / "方案.exe"
    program.write_bytes(b"MZ")
    response = _upload(office, program)
    assert response.status_code == 400 and "不支持的文件类型「方案.exe」" in response.text

    empty = tmp_path / "空白方案.txt"
    empty.write_text("\n\n", encoding="utf-8")
    response = _upload(office, empty)
    assert response.status_code == 400 and "空白方案.txt" in response.text and "找不到文件标题" in response.text
    assert str(portal.imports) not in response.text  # the office's file name, not where the portal keeps it

    large = tmp_path / "大文件.txt"
    large.write_bytes(b"x" * (MAX_IMPORT_BYTES + 1))
    response = _upload(office, large)
    assert response.status_code == 413 and "过大" in response.text
    assert _stored(portal) == []


def test_upload_preview_correct_and_commit_over_http(portal, office, tmp_path):
    response = _upload(office, _plan_file(tmp_path, 12))
    assert response.status_code == 303
    preview_url = response.headers["location"]
    page = office.get(preview_url)
    assert page.status_code == 200 and "导入预览" in page.text
    assert 'id="preview-doubts">3<' in page.text and "未识别的单位「市生态环境厅」" in page.text
    assert _plan(portal, 12) is None  # a preview writes nothing

    form = {"csrf_token": csrf_of(page.text), "task0-0-leads": "市生态环境局", "task0-1-deadline": "持续推进"}
    done = office.post(f"{preview_url}/commit", data=form)
    assert done.status_code == 200 and "已导入" in done.text and 'id="done-doubts">2<' in done.text
    with transaction(portal.engine) as session:
        plan = session.scalar(select(Plan).where(Plan.doc_number == "衡政办字〔2024〕12号"))
        first = session.scalar(select(Task).where(Task.plan_id == plan.id, Task.number == "1"))
        assert [d.name for d in first.departments("lead")] == ["市生态环境局"]
        settled = session.scalar(select(ImportDoubt).where(ImportDoubt.task_id == first.id))
        assert settled.status == DoubtStatus.CORRECTED and settled.decided_by == "办公室张三（office）"
        upload = session.scalar(select(AuditEntry).where(AuditEntry.action == "upload"))
        assert upload.actor == "办公室张三（office）" and upload.changes["file"] == [None, "衡政办字〔2024〕12号.txt"]
    assert office.get(preview_url).status_code == 404  # committed: the upload is gone
    with transaction(portal.engine) as session:
        waiting = session.scalar(select(Task).where(Task.plan_id == plan.id, Task.number == "4"))
    task_page = office.get(f"/tasks/{waiting.id}").text
    assert "待指定牵头单位，指定后纳入周报送" in task_page and "lamp-yellow" in task_page


def test_a_commit_that_fails_writes_nothing_and_keeps_the_offices_corrections(portal, office, tmp_path):
    preview_url = _upload(office, _plan_file(tmp_path, 13)).headers["location"]
    page = office.get(preview_url)
    form = {"csrf_token": csrf_of(page.text), "task0-0-leads": "市生态环境局", "plan0-jurisdiction": "不存在的地方"}
    response = office.post(f"{preview_url}/commit", data=form)
    assert response.status_code == 400 and "未导入，未写入任何内容" in response.text and "不存在的地方" in response.text
    assert 'value="市生态环境局"' in response.text  # what the office typed is still there
    assert _plan(portal, 13) is None
    assert office.post(f"{preview_url}/commit", data={"task0-0-leads": "x"}).status_code == 403  # no token


def test_the_corrected_preview_downloads_as_the_import_workbook(portal, office, tmp_path):
    preview_url = _upload(office, _plan_file(tmp_path, 14)).headers["location"]
    page = office.get(preview_url)
    form = {"csrf_token": csrf_of(page.text), "task0-0-leads": "市生态环境局"}
    response = office.post(f"{preview_url}/workbook", data=form)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content))[S.TASKS]
    rows = list(sheet.iter_rows(values_only=True))
    first = dict(zip(rows[0], rows[1]))
    assert first["牵头单位"] == "市生态环境局" and first[S.DOUBTS] is None
    assert dict(zip(rows[0], rows[3]))[S.DOUBTS].startswith("【牵头单位】")
    assert _plan(portal, 14) is None


def test_the_office_confirms_a_doubt_from_the_list_the_dashboard_links_to(portal, office, tmp_path):
    preview_url = _upload(office, _plan_file(tmp_path, 15)).headers["location"]
    page = office.get(preview_url)
    assert office.post(f"{preview_url}/commit", data={"csrf_token": csrf_of(page.text)}).status_code == 200
    dashboard = office.get("/dashboard")
    assert '<a href="/doubts">' in dashboard.text
    listing = office.get("/doubts")
    with transaction(portal.engine) as session:
        plan = session.scalar(select(Plan).where(Plan.doc_number == "衡政办字〔2024〕15号"))
        doubt = session.scalar(select(ImportDoubt).where(ImportDoubt.plan_id == plan.id).order_by(ImportDoubt.id))
    assert f'id="doubt-{doubt.id}"' in listing.text
    token = csrf_of(listing.text)
    no_note = office.post(f"/doubts/{doubt.id}/decide", data={"csrf_token": token, "decision": "confirmed"})
    assert no_note.status_code == 400 and "处理说明" in no_note.text
    decided = office.post(
        f"/doubts/{doubt.id}/decide", data={"csrf_token": token, "decision": "confirmed", "note": "已核实"}
    )
    assert decided.status_code == 303
    with transaction(portal.engine) as session:
        row = session.get(ImportDoubt, doubt.id)
        assert row.status == DoubtStatus.CONFIRMED and row.decided_by == "办公室张三（office）" and row.note == "已核实"
    assert f'id="doubt-{doubt.id}"' not in office.get("/doubts").text
    assert "已确认：办公室张三（office）" in office.get("/doubts?all=1").text


@pytest.mark.backend_independent
def test_the_office_imports_a_plan_in_the_browser_correcting_one_owner(new_page, portal, tmp_path):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is the upload, the
    preview's fields and buttons as a person uses them; uploading, correcting a preview and committing
    it are proven on both databases over HTTP by test_upload_preview_correct_and_commit_over_http."""
    plan_file = _plan_file(tmp_path, 16)
    page = new_page(portal.url)
    sign_in_page(page, "office", lands_on="/dashboard")
    doubts_before = int(page.inner_text("#count-doubts"))
    awaiting_before = int(page.inner_text("#count-awaiting"))

    page.click("nav a:has-text('导入方案')")
    page.wait_for_url("**/import")
    page.set_input_files("input[name=file]", str(plan_file))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("text=导入预览")
    row = page.locator("#task-0-0")
    assert "未识别的单位「市生态环境厅」" in row.inner_text()
    assert row.locator("td.doubt").count() >= 1
    page.screenshot(path=str(SHOTS / "wufei-import-preview.png"), full_page=True)
    row.locator("input[name='task0-0-leads']").fill("市生态环境局")
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=已导入")
    page.screenshot(path=str(SHOTS / "wufei-import-done.png"), full_page=True)
    imported = page.locator("tr:has-text('建立固体废物统计制度')")
    assert "市生态环境局" in imported.inner_text()

    imported.locator("a").click()
    page.wait_for_selector("text=建立固体废物统计制度")
    assert "市生态环境局" in page.inner_text("main")
    page.goto("/dashboard")
    assert int(page.inner_text("#count-doubts")) == doubts_before + 2
    assert int(page.inner_text("#count-awaiting")) == awaiting_before + 2  # lit and listed, not dropped


def test_a_file_without_a_task_list_is_previewed_with_a_doubt_on_each_paragraph(portal, office, tmp_path):
    """The last-resort reading (tests/importers/test_candidate_tasks.py) as the office sees it: previewed, each
    candidate flagged, committed with its doubts open; a file with nothing task-like refused naming file and reason."""
    minutes = tmp_path / "推进会纪要.txt"
    minutes.write_text(MINUTES, encoding="utf-8")
    preview_url = _upload(office, minutes).headers["location"]
    page = office.get(preview_url)
    assert page.status_code == 200 and "导入预览" in page.text
    assert page.text.count(f"待确认：{CANDIDATE_DOUBT}") == 3
    assert "已将3个写明责任单位或完成时限的段落读作候选任务" in page.text
    done = office.post(f"{preview_url}/commit", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 200 and "已导入" in done.text
    with transaction(portal.engine) as session:
        plan = session.scalar(select(Plan).where(Plan.title == "衡水市城市环境卫生整治推进会会议纪要"))
        tasks = session.scalars(select(Task).where(Task.plan_id == plan.id)).all()
        flagged = session.scalars(select(ImportDoubt).where(ImportDoubt.message == CANDIDATE_DOUBT)).all()
        assert len(tasks) == 3 and sorted(d.task_id for d in flagged) == sorted(t.id for t in tasks)

    appeal = tmp_path / "倡议书.txt"
    appeal.write_text(APPEAL, encoding="utf-8")
    response = _upload(office, appeal)
    assert response.status_code == 400 and "倡议书.txt" in response.text and "完成时限的段落" in response.text


def test_the_office_leaves_out_a_candidate_that_is_no_task_and_the_rest_is_imported(portal, office, tmp_path):
    """Each record of the preview has a 不导入 box; a ticked one is neither in the import workbook nor imported,
    and the audit trail says which record the office left out."""
    title = "衡水市城中村环境整治推进会会议纪要"
    minutes = tmp_path / "城中村推进会纪要.txt"
    minutes.write_text(MINUTES.replace("衡水市城市环境卫生整治推进会会议纪要", title, 1), encoding="utf-8")
    preview_url = _upload(office, minutes).headers["location"]
    page = office.get(preview_url)
    assert [f'name="task0-{i}-omit"' in page.text for i in range(4)] == [True, True, True, False]
    form = {"csrf_token": csrf_of(page.text), "task0-2-omit": "1", "task0-1-deadline": "2024年12月底前"}
    workbook = load_workbook(io.BytesIO(office.post(f"{preview_url}/workbook", data=form).content))[S.TASKS]
    assert sum(1 for row in workbook.iter_rows(min_row=2, values_only=True) if any(row)) == 2
    done = office.post(f"{preview_url}/commit", data=form)
    assert done.status_code == 200 and "已导入" in done.text
    with transaction(portal.engine) as session:
        plan = session.scalar(select(Plan).where(Plan.title == title))
        tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)).all()
        assert [t.title for t in tasks if "建筑工地" in t.title] == []
        assert len(tasks) == 2 and tasks[1].due_date.isoformat() == "2024-12-31"
        corrected = select(AuditEntry).where(AuditEntry.action == "correct", AuditEntry.entity_id == plan.id)
        entry = session.scalar(corrected)
        assert [key for key in entry.changes if key.endswith("/不导入")] == ["主要任务 3/不导入"]
    again = office.get(_upload(office, minutes).headers["location"]).text
    # Imported records have no box (leaving one out would delete it); the one left out before is new again.
    assert [f'name="task0-{i}-omit"' in again for i in range(3)] == [False, False, True]


@pytest.mark.backend_independent
def test_the_office_ticks_a_candidate_out_in_the_browser(new_page, portal, tmp_path):
    """Backend-independent (run once, in the SQLite pass): the 不导入 box as a person uses it; what a ticked box
    leaves out is proven on both databases over HTTP by test_the_office_leaves_out_a_candidate_that_is_no_task…"""
    title = "衡水市背街小巷环境整治推进会会议纪要"
    minutes = tmp_path / "背街小巷推进会纪要.txt"
    minutes.write_text(MINUTES.replace("衡水市城市环境卫生整治推进会会议纪要", title, 1), encoding="utf-8")
    page = new_page(portal.url)
    sign_in_page(page, "office", lands_on="/dashboard")
    page.goto("/import")
    page.set_input_files("input[name=file]", str(minutes))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("text=导入预览")
    page.locator("#task-0-2").get_by_label("不导入").check()
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("text=已导入")
    with transaction(portal.engine) as session:
        plan = session.scalar(select(Plan).where(Plan.title == title))
        titles = [t.title for t in session.scalars(select(Task).where(Task.plan_id == plan.id))]
    assert len(titles) == 2 and not any("建筑工地" in t for t in titles)


def test_a_scanned_page_is_previewed_with_the_ocr_doubt_on_every_task_and_read_by_ocr_once(
    portal, office, tmp_path, caplog
):
    """A photo of a 工作要点 page (tests/importers/test_ocr.py reads it): the preview says it was read by OCR,
    with which page and confidence, and shows the OCR doubt on each of its four tasks. Tesseract runs when the
    file is uploaded, and not again when the preview is shown a second time, downloaded as the workbook or
    committed: the read is kept with the upload (counted by the reader's log line for each run)."""
    from tests.importers.test_ocr import PARAGRAPHS_PDF, scanned_png
    from wufei.importers.text.recognised import RECORD

    def runs() -> int:
        return sum(record.getMessage().startswith("tesseract ran on") for record in caplog.records)

    caplog.set_level(logging.INFO, logger="wufei.importers.readers.ocr")
    scan = scanned_png(PARAGRAPHS_PDF, tmp_path / "新乡工作要点.png")
    response = _upload(office, scan)
    assert response.status_code == 303, response.text
    uploaded = runs()
    assert uploaded >= 1
    preview_url = response.headers["location"]
    page = office.get(preview_url)
    assert page.status_code == 200 and "导入预览" in page.text
    assert page.text.count(f"待确认：{RECORD}") == 4
    assert "第1页是扫描件，由文字识别（OCR）读取，平均置信度" in page.text
    assert "图片（文字识别）" in page.text

    assert office.get(preview_url).text == page.text
    with transaction(portal.engine) as session:
        before = set(session.scalars(select(Plan.id)))
    form = {"csrf_token": csrf_of(page.text)}
    assert office.post(f"{preview_url}/workbook", data=form).status_code == 200
    done = office.post(f"{preview_url}/commit", data=form)
    assert done.status_code == 200 and "已导入" in done.text
    assert runs() == uploaded
    with transaction(portal.engine) as session:
        [plan] = set(session.scalars(select(Plan.id))) - before
        assert len(session.scalars(select(Task).where(Task.plan_id == plan)).all()) == 4


def test_the_same_doubt_on_several_tasks_is_one_card_decided_once_for_all(portal, office, tmp_path):
    """An unknown owner written on every task (各县（市、区）政府、开发区管委会 in 保定's plan: 23 cards
    saying the same) is one card naming each task, with one decision for all of them."""
    text = (
        another_plan(17)
        .replace("牵头单位：市机关事务管理局", "牵头单位：市生态环境厅")
        .replace("牵头单位：有关县市区人民政府", "牵头单位：市生态环境厅")
    )
    path = tmp_path / "衡政办字〔2024〕17号.txt"
    path.write_text(text, encoding="utf-8")
    preview_url = _upload(office, path).headers["location"]
    page = office.get(preview_url)
    assert office.post(f"{preview_url}/commit", data={"csrf_token": csrf_of(page.text)}).status_code == 200
    with transaction(portal.engine) as session:
        plan = _plan(portal, 17)
        same = [
            row.id
            for row in session.scalars(
                select(ImportDoubt).where(ImportDoubt.plan_id == plan.id, ImportDoubt.text == "市生态环境厅")
            )
        ]
    assert len(same) == 3
    listing = office.get("/doubts")
    assert listing.text.count('name="doubt" value=') >= 3 and "（3 处）" in listing.text
    assert f'id="doubt-{same[0]}"' in listing.text and f'id="doubt-{same[1]}"' not in listing.text  # one card
    token = csrf_of(listing.text)
    stranger = office.post(
        "/doubts/decide",
        data={"csrf_token": token, "decision": "confirmed", "note": "已核实", "doubt": [*map(str, same), "999999"]},
    )
    assert stranger.status_code == 400  # one that does not exist: none is decided
    with transaction(portal.engine) as session:
        assert {session.get(ImportDoubt, i).status for i in same} == {DoubtStatus.OPEN}
    decided = office.post(
        "/doubts/decide",
        data={"csrf_token": token, "decision": "corrected", "note": "已在登记表补充", "doubt": [str(i) for i in same]},
    )
    assert decided.status_code == 303
    with transaction(portal.engine) as session:
        assert {(session.get(ImportDoubt, i).status, session.get(ImportDoubt, i).note) for i in same} == {
            (DoubtStatus.CORRECTED, "已在登记表补充")
        }
    assert "（3 处）" not in office.get("/doubts").text
