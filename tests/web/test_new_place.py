"""An office whose plan names no units (应城市's 2023 plan, tests/walk/: both tasks await a lead, so
the place has no unit stored) names its leads on the 指定牵头单位 page, its liaisons with `wufei users
add --dept` and its contacts in the contacts sheet, by the standard names of its own place.

A portal of its own, on a copy of the Hengshui database: 衡水市 has a 市生态环境局 stored, 应城市 none,
which is where a bare name went wrong (the only stored 市生态环境局 was 衡水市's)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import copy_database
from tests.rules import RULESET
from tests.web.conftest import PASSWORD, csrf_of, serve, sign_in
from wufei.accounts.models import User
from wufei.accounts.service import add_user
from wufei.cli import main
from wufei.contacts.models import Contact
from wufei.db import make_engine, transaction
from wufei.departments.models import Department
from wufei.departments.naming import qualified_name
from wufei.importers.service import import_paths
from wufei.points.runs import daily_scan
from wufei.tasks.models import Task
from wufei.web.app import create_app
from wufei.web.portal import Settings

YINGCHENG = Path(__file__).resolve().parents[1] / "walk" / "hb_yingcheng_shifanshi_2023.txt"


def _owners(session, task_id: int) -> set[tuple[str, str]]:
    return {(qualified_name(a.department), a.role) for a in session.get(Task, task_id).assignments}


def test_the_office_of_a_place_with_no_unit_stored_names_its_leads_liaisons_and_contacts(
    hengshui_template, tmp_path, monkeypatch
):
    url = copy_database(hengshui_template, tmp_path)
    plan = tmp_path / "应城市方案.txt"
    shutil.copy(YINGCHENG, plan)
    engine = make_engine(url)
    try:
        assert all(result.ok for result in import_paths(engine, [plan]))
        with transaction(engine) as session:
            tasks = session.scalars(select(Task.id).where(Task.awaiting_assignment).order_by(Task.id)).all()
            first, second = [t for t in tasks if "应城市" in session.get(Task, t).plan.title][:2]
            add_user(session, username="office", role="office", password=PASSWORD, actor="test")
        # The office names the leads on 1 March 2023: they owe the weeks from 6 March (week 10) on.
        named = Settings(engine=engine, rules=RULESET, imports_dir=tmp_path / "imports", today=date(2023, 3, 1))
        app = create_app(named)
        with serve(app) as base:
            client = sign_in(SimpleNamespace(url=base), "office")
            try:
                page = client.get(f"/assign?task={first}&q=生态环境").text
                card = page.split(f'id="task-{first}"', 1)[1].split("</article>", 1)[0]
                assert "市生态环境局" in card  # the place's standard unit offered to type, though none is stored
                for task_id, lead, supporting in (
                    (first, "市生态环境局", "市发改局"),
                    (second, "应城市/市发展和改革局", "应城市/市住建局"),
                ):
                    answer = client.post(
                        f"/tasks/{task_id}/owners",
                        data={"csrf_token": csrf_of(page), "lead_names": lead, "supporting_names": supporting},
                    )
                    assert answer.status_code == 303, answer.text
                refused = client.post(
                    f"/tasks/{first}/owners", data={"csrf_token": csrf_of(page), "lead_names": "市生态环镜局"}
                )
                assert "找不到部门「市生态环镜局」" in refused.text  # an unknown name is never stored as a unit
            finally:
                client.close()
        with transaction(engine) as session:
            assert _owners(session, first) == {
                ("应城市/市生态环境局", "lead"),
                ("应城市/市发展和改革局", "supporting"),
            }
            assert _owners(session, second) == {
                ("应城市/市发展和改革局", "lead"),
                ("应城市/市住房和城乡建设局", "supporting"),
            }

        # The same file imported again (the office checking it, or the portal's 导入方案) keeps the
        # owners the office named: the file still names none (they were wiped, the summary 未变).
        [again] = import_paths(engine, [plan])
        assert again.ok and not again.plans[0].counts.get("awaiting_assignment")
        with transaction(engine) as session:
            assert _owners(session, first) == {
                ("应城市/市生态环境局", "lead"),
                ("应城市/市发展和改革局", "supporting"),
            }
            assert not session.get(Task, second).awaiting_assignment

        # The liaison of a unit the plan's tasks do not name yet, and the units' contacts.
        sheet = tmp_path / "联系人.xlsx"
        runner = CliRunner()
        env = {"WUFEI_DATABASE_URL": url}
        assert runner.invoke(main, ["template", "contacts", str(sheet)], env=env).exit_code == 0
        book = openpyxl.load_workbook(sheet)
        book["联系人"].append(["应城市/市发展和改革局", "fgj", "王芳"])
        book["联系人"].append(["应城市/市教育局", "jyj", "陈静"])
        book.save(sheet)
        imported = runner.invoke(main, ["contacts", "import", str(sheet)], env=env)
        assert imported.exit_code == 0, imported.output
        added = runner.invoke(main, ["users", "add", "edu", "--role", "liaison", "--dept", "应城市/市教育局"], env=env)
        assert added.exit_code == 0, added.output
        assert "应城市/市教育局" in added.output
        # The week-10 report not filed: the scan of Monday 13 March reminds the lead, whose form
        # (the current week's, week 11) links to week 10's own.
        daily_scan(engine, date(2023, 3, 13), rules=RULESET)
        with transaction(engine) as session:
            lead = session.scalars(select(Department).where(Department.name == "市发展和改革局")).one()
            add_user(session, username="fgj", role="liaison", department_id=lead.id, password=PASSWORD, actor="test")
        later = create_app(
            Settings(engine=engine, rules=RULESET, imports_dir=tmp_path / "imports", today=date(2023, 3, 13))
        )
        with serve(later) as base:
            client = sign_in(SimpleNamespace(url=base), "fgj")
            try:
                form = client.get("/my/report").text
                assert "2023年第11周" in form and '<a href="/my/report?week=2023-W10">补报2023年第10周' in form
                assert "2023年第10周" in client.get("/my/report?week=2023-W10").text
            finally:
                client.close()

        with transaction(engine) as session:
            contacts = {
                qualified_name(department): contact.liaison
                for contact, department in session.execute(
                    select(Contact, Department).join(Department, Department.id == Contact.department_id)
                )
            }
            assert contacts == {"应城市/市发展和改革局": "王芳", "应城市/市教育局": "陈静"}
            liaison = session.scalars(select(User).where(User.username == "edu")).one()
            assert qualified_name(liaison.department) == "应城市/市教育局"
    finally:
        engine.dispose()
