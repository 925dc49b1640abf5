"""Issue 11, done when: a Word plan, a PDF plan and a saved web page of places outside Hebei go
through the preview, import, and appear in `wufei tasks --json` with their owners and deadlines,
and in the portal.

The documents are published ones from the corpus (`tests/corpus/README.md`): 嘉兴市 (Word, a
responsibility table), 铜川市 (PDF, numbered targets with `（X负责）`; the place is read from the
document number's 铜, the text deciding among 铜川/铜陵/铜仁), 淮北市相山区 (a saved web page with a
progress table). Nothing is registered for these places beforehand: their departments come from the
standard agencies of any place in China.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url
from tests.web.conftest import PASSWORD, serve, sign_in
from wufei import migrate
from wufei.accounts.service import add_user
from wufei.cli import main
from wufei.db import make_engine, transaction
from wufei.tasks.models import Task
from wufei.web.app import create_app
from wufei.web.portal import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
WORD, PDF, PAGE = CORPUS / "zj_jiaxing_2022.docx", CORPUS / "sn_tongchuan_2020.pdf", CORPUS / "ah_xiangshan_2024q4.html"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = fresh_database_url(tmp_path_factory.mktemp("anywhere"))
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def wufei(database):
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, list(args), env={"WUFEI_DATABASE_URL": database}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


@pytest.fixture(scope="module")
def imported(wufei) -> dict:
    """Each document previewed (which writes nothing), then imported; the tasks as `wufei tasks --json` lists them."""
    previews = {}
    for path in (WORD, PDF, PAGE):
        [previews[path]] = json.loads(wufei("import", str(path), "--preview", "--json"))
    assert json.loads(wufei("tasks", "--json")) == []
    for path in (WORD, PDF, PAGE):
        wufei("import", str(path))
    by_plan: dict[str, list[dict]] = {}
    for task in json.loads(wufei("tasks", "--json")):
        by_plan.setdefault(task["plan"], []).append(task)
    return {"previews": previews, "plans": by_plan}


def _plan_tasks(imported, fragment: str) -> list[dict]:
    """The tasks of the plan whose key (its document number, else its title) holds the fragment."""
    [tasks] = [tasks for title, tasks in imported["plans"].items() if fragment in title]
    return tasks


def test_the_preview_shows_each_plan_with_its_place_and_its_records(imported):
    previews = imported["previews"]
    [word] = previews[WORD]["plans"]
    assert {f["key"]: f["value"] for f in word["fields"]}["jurisdiction"] == "嘉兴市"
    assert len(word["tasks"]) == 3
    [pdf] = previews[PDF]["plans"]
    pdf_fields = {f["key"]: f for f in pdf["fields"]}
    assert pdf_fields["jurisdiction"]["value"] == "铜川市"  # from 铜政办发, settled by the body
    assert pdf_fields["period"]["value"].startswith("2020"), "a year's work document is for its year"
    assert pdf_fields["doc_number"]["value"] == "铜政办发〔2020〕14号"
    assert len(pdf["tasks"]) == 11
    [page] = previews[PAGE]["plans"]
    assert "相山区" in {f["key"]: f["value"] for f in page["fields"]}["jurisdiction"]


def test_a_word_plan_of_zhejiang_lists_its_tasks_with_owners_and_due_dates(imported):
    tasks = _plan_tasks(imported, "嘉政办发〔2022〕23号")
    first = next(t for t in tasks if t["title"].startswith("地区生产总值突破1万亿元"))
    assert first["leads"] == ["市发展和改革委员会"]  # written 市发展改革委: the standard agency's short form
    assert first["due_date"] == "2022-12-31"


def test_a_pdf_plan_of_shaanxi_lists_its_tasks_with_their_leads(imported):
    tasks = _plan_tasks(imported, "铜政办发〔2020〕14号")
    assert len(tasks) == 11
    energy = next(t for t in tasks if t["title"].startswith("单位生产总值能耗"))
    assert energy["leads"] == ["市发展和改革委员会"] and not energy["awaiting_assignment"]


def test_a_saved_web_page_of_anhui_lists_its_tasks_with_leads_and_deadlines(imported):
    tasks = _plan_tasks(imported, "相山区")
    assert len(tasks) == 2
    assert all(t["leads"] for t in tasks)
    assert {t["due_date"] for t in tasks} == {"2024-12-31"}  # 四季度 of 2024


def test_the_portal_shows_the_imported_tasks_with_their_owners(imported, database, tmp_path):
    engine = make_engine(database)
    with transaction(engine) as session:
        add_user(session, username="office", role="office", display_name="办公室", password=PASSWORD, actor="t")
        energy = session.scalar(select(Task).where(Task.title.like("单位生产总值能耗%")))
        energy_id = energy.id
    app = create_app(Settings(engine=engine, today=date(2022, 6, 1), bulletins_dir=tmp_path / "bulletins"))
    try:
        with serve(app) as url:
            office = sign_in(SimpleNamespace(url=url), "office")
            page = office.get(f"/tasks/{energy_id}")
            assert page.status_code == 200
            assert "单位生产总值能耗" in page.text and "市发展和改革委员会" in page.text
            dashboard = office.get("/dashboard")
            assert dashboard.status_code == 200 and "待确认" in dashboard.text
            office.close()
    finally:
        engine.dispose()
