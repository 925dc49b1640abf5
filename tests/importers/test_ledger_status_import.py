"""An office switching to wufei mid-plan imports its 工作台账 with where each task stands (完成情况): the tasks it
marks done come in completed, with a doubt a person confirms; a hedge (基本完成) is kept as written and flagged;
a percentage is the task's progress. Then the daily scan: done tasks are 已完成, owe no reminder and no
escalation. Re-importing the updated ledger completes newly done tasks and never undoes a completion."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from wufei import migrate
from wufei.cadence.periods import month
from wufei.calendar.service import load_calendar
from wufei.doubts.models import ImportDoubt
from wufei.figures.world import build_world
from wufei.lights.models import LightState
from wufei.lights.service import compute_lights
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Plan
from wufei.points import runs
from wufei.ruleset import Ruleset
from wufei.tasks.models import Role, Task, TaskDepartment

TITLE = "衡水市“无废城市”建设（2023—2025年）重点任务工作台账"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "完成情况", "备注"]
INSTITUTION = [
    ["1", "建立无废城市建设工作机制", "市生态环境局", "市发展改革委", "2023年底前"],
    ["2", "完善无废城市建设考核办法", None, "市财政局", "2023年6月底前"],  # its lead merged from the row above
    ["3", "编制一般工业固体废物管理制度", "市工业和信息化局", "市生态环境局", "2023年底前"],
]
MARKET = [
    ["4", "建设建筑垃圾资源化利用项目", "市住房和城乡建设局", "市城市管理综合行政执法局", "2024年底前"],
    ["5", "推进生活垃圾分类", "市城市管理综合行政执法局", "市住房和城乡建设局", "2025年底前"],
    ["6", "开展无废城市宣传教育", "市委宣传部", "市教育局", "2023年底前"],
]
FIRST = ["已完成", "已于2023年5月完成", "基本完成", "进度80%", "序时推进", "已销号"]
IMPORT_DAY = date(2024, 4, 8)  # a Monday: the week's reporting window opens


def ledger(path, statuses=FIRST):
    """The workbook as an office keeps it: a title merged across, a 填报单位 line, a header, each list's
    heading merged across the table, one lead merged over two tasks, a remark here and there."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工作台账"
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet.append(["填报单位：衡水市无废城市建设工作领导小组办公室", None, None, None, "截至：2024年4月5日"])
    sheet.merge_cells("A2:D2")
    sheet.merge_cells("E2:G2")
    sheet.append(HEADER)
    sheet.append(["一、制度体系建设"])
    sheet.merge_cells("A4:G4")
    for row, status in zip(INSTITUTION, statuses[:3], strict=True):
        sheet.append([*row, status, None])
    sheet.merge_cells("C5:C6")
    sheet.append(["二、市场体系建设"])
    sheet.merge_cells("A8:G8")
    for row, status in zip(MARKET, statuses[3:], strict=True):
        sheet.append([*row, status, None])
    sheet["G9"] = "已报送验收材料"
    book.save(path)
    return path


@pytest.fixture
def cli(fresh_engine, monkeypatch):
    from wufei.cli import main

    migrate.upgrade(fresh_engine)
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))

    def run(*args, today=IMPORT_DAY):
        monkeypatch.setenv("WUFEI_TODAY", today.isoformat())
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


def _tasks(engine) -> dict[str, Task]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return {t.number: t for t in session.scalars(select(Task))}


def _doubts(engine, task_id) -> list[ImportDoubt]:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        return list(session.scalars(select(ImportDoubt).where(ImportDoubt.task_id == task_id)))


def test_the_tasks_a_ledger_marks_done_come_in_completed_with_a_doubt_and_a_hedge_is_flagged(
    tmp_path, fresh_engine, cli
):
    output = cli("import", str(ledger(tmp_path / "工作台账.xlsx")))
    tasks = _tasks(fresh_engine)
    assert {n: t.completed_on for n, t in tasks.items()} == {
        "1": IMPORT_DAY,  # no date in the ledger: the import's day
        "2": date(2023, 5, 31),  # 已于2023年5月完成
        "3": None,  # 基本完成 is never guessed done
        "4": None,
        "5": None,
        "6": IMPORT_DAY,
    }
    assert {n: t.ledger_status for n, t in tasks.items()} == dict(zip("123456", FIRST, strict=True))
    assert tasks["4"].ledger_progress == 80 and tasks["4"].ledger_progress_on == IMPORT_DAY
    assert tasks["5"].ledger_progress is None and tasks["1"].ledger_progress is None

    [sealed] = [d for d in _doubts(fresh_engine, tasks["6"].id) if d.field == "status"]
    assert sealed.message == "台账标注“已销号”，已按已完成导入（完成日期按导入日记），请核对"
    assert sealed.status == "open"
    [dated] = [d for d in _doubts(fresh_engine, tasks["2"].id) if d.field == "status"]
    assert "完成日期按台账记为2023年5月31日" in dated.message
    [hedge] = [d for d in _doubts(fresh_engine, tasks["3"].id) if d.field == "status"]
    assert hedge.message.startswith("台账标注“基本完成”，无法确定是否已完成") and hedge.text == "基本完成"
    assert not [d for t in ("4", "5") for d in _doubts(fresh_engine, tasks[t].id) if d.field == "status"]

    assert "按台账完成 3 项" in output
    assert (
        "制度体系2「完善无废城市建设考核办法」台账标注“已于2023年5月完成”，已按已完成导入，完成日期2023年5月31日"
        in output
    )


def test_the_preview_shows_each_status_and_how_it_is_taken_and_writes_nothing(tmp_path, fresh_engine, cli):
    output = cli("import", str(ledger(tmp_path / "工作台账.xlsx")), "--preview", "--json")
    [file] = json.loads(output)
    fields = {task["label"]: {f["key"]: f for f in task["fields"]} for task in file["plans"][0]["tasks"]}
    status = fields["制度体系 2"]["status"]
    assert status["label"] == "完成情况" and status["value"] == "已于2023年5月完成"
    assert status["resolved"] == "已完成（2023年5月31日）"
    assert [d["field"] for d in status["doubts"]] == ["status"]
    assert fields["制度体系 3"]["status"]["resolved"] == "无法确定是否完成，待确认"
    assert fields["市场体系 4"]["status"]["resolved"] == "未完成，进度80%"
    assert _tasks(fresh_engine) == {}


def test_after_the_import_the_daily_scan_lights_done_tasks_done_and_owes_them_nothing(tmp_path, fresh_engine, cli):
    cli("import", str(ledger(tmp_path / "工作台账.xlsx")))
    rules = Ruleset.load()
    runs.daily_scan(fresh_engine, IMPORT_DAY, rules=rules)
    runs.weekly_report(fresh_engine, IMPORT_DAY, rules=rules)
    tasks = _tasks(fresh_engine)
    from sqlalchemy.orm import Session

    with Session(fresh_engine) as session:
        lights = {s.task_id: str(s.light) for s in session.scalars(select(LightState))}
        intents = list(session.scalars(select(NoticeIntent)))
    number = {t.id: n for n, t in tasks.items()}
    by_number = {number[task_id]: light for task_id, light in lights.items()}
    assert by_number["1"] == by_number["2"] == by_number["6"] == "done"
    assert by_number["3"] == "red"  # 基本完成, due 2023年底: overdue until a person says otherwise
    with Session(fresh_engine) as session:
        fired = {number[s.task_id]: s.rules for s in session.scalars(select(LightState))}
    # 进度80% is task 4's progress (no lag behind the 序时进度 of about 64%), and no report of its department:
    # the weeks it filed nothing still count.
    assert fired["4"] == "missing_reports"
    with Session(fresh_engine) as session:  # a report's refresh and the bulletins' figures read it alike
        calendar = load_calendar(session)
        lit = compute_lights(session, as_of=IMPORT_DAY, calendar=calendar, cadence=rules.cadence, rules=rules.lights)
        world = build_world(
            session,
            scope="衡水市",
            jurisdiction=None,
            plans=list(session.scalars(select(Plan))),
            period=month(2024, 4),
            as_of=IMPORT_DAY,
            calendar=calendar,
            rules=rules,
            day=IMPORT_DAY,
        )
    assert {number[i]: ",".join(r.rules) for i, r in lit.items()} == fired
    assert {number[i]: ",".join(r.rules) for i, r in world.lights.items()} == fired

    escalated = {number[i.task_id] for i in intents if i.task_id is not None}
    assert "3" in escalated and not escalated & {"1", "2", "6"}
    window = [i for i in intents if i.kind == "report_window_open"]
    asked = {number[task_id] for i in window for task_id in i.payload["task_ids"]}
    assert asked == {"3", "4", "5"}  # the done tasks are asked for no weekly report
    with Session(fresh_engine) as session:  # 市委宣传部 leads task 6 only, 市生态环境局 tasks 1 and 2: both done
        leads = session.execute(
            select(TaskDepartment.task_id, TaskDepartment.department_id).where(TaskDepartment.role == Role.LEAD)
        ).all()
    done_only = {d for _, d in leads} - {d for t, d in leads if number[t] in {"3", "4", "5"}}
    assert len(done_only) == 2 and not {i.department_id for i in window} & done_only


def test_a_re_import_completes_newly_done_tasks_and_never_undoes_a_completion(tmp_path, fresh_engine, cli):
    cli("import", str(ledger(tmp_path / "工作台账.xlsx")))
    later = date(2024, 5, 6)
    updated = ["推进中", "已于2023年5月完成", "已完成", "已于2024年4月30日建成", "序时推进", "已销号"]
    output = cli("import", str(ledger(tmp_path / "工作台账（5月）.xlsx", updated)), today=later)
    tasks = _tasks(fresh_engine)
    assert {n: t.completed_on for n, t in tasks.items()} == {
        "1": IMPORT_DAY,  # the ledger now says 推进中: the completion stays
        "2": date(2023, 5, 31),
        "3": later,  # newly 已完成
        "4": date(2024, 4, 30),
        "5": None,
        "6": IMPORT_DAY,  # unchanged: not moved to the second import's day
    }
    assert "按台账完成 2 项" in output
    assert "编制一般工业固体废物管理制度」台账标注“已完成”，已按已完成导入，完成日期2024年5月6日" in output
    assert "建立无废城市建设工作机制」台账标注“推进中”，系统中已于2024年4月8日完成，完成记录未改动" in output
    # The hedge's doubt went with the hedge; the completion's doubt is the same and still open.
    [hedge] = [d for d in _doubts(fresh_engine, tasks["3"].id) if d.message.startswith("台账标注“基本完成”")]
    assert hedge.status == "corrected"
    [sealed] = [d for d in _doubts(fresh_engine, tasks["6"].id) if d.field == "status"]
    assert sealed.status == "open"

    again = cli("import", str(tmp_path / "工作台账（5月）.xlsx"), today=date(2024, 5, 7))
    assert "台账完成情况" not in again  # the same ledger again: nothing to say
    assert _tasks(fresh_engine)["3"].completed_on == later


def test_the_import_workbook_has_a_status_column_read_like_a_ledgers(tmp_path, fresh_engine, cli):
    template = tmp_path / "模板.xlsx"
    cli("template", "plan", str(template))
    book = openpyxl.load_workbook(template)
    for name in ("任务", "项目"):
        assert "完成情况" in [cell.value for cell in book[name][1]]
    for sheet in book.worksheets:  # the example rows go
        if sheet.title != "填写说明":
            sheet.delete_rows(2, sheet.max_row)
    plans, tasks = book["方案"], book["任务"]
    plans.append(
        {
            [c.value for c in plans[1]].index(k) + 1: v
            for k, v in {"方案名称": "示例市工作台账", "地区": "衡水市", "起始年": 2023, "截止年": 2025}.items()
        }
    )
    header = [c.value for c in tasks[1]]
    for number, status in (("1", "已办结"), ("2", "长期坚持"), ("3", None)):
        values = {"方案": "示例市工作台账", "序号": number, "任务名称": f"任务{number}", "牵头单位": "市生态环境局"}
        tasks.append(
            {header.index(k) + 1: v for k, v in {**values, "完成期限": "2023年底", "完成情况": status}.items()}
        )
    book.save(template)
    output = cli("import", str(template))
    done = {n: (t.completed_on, t.ledger_status) for n, t in _tasks(fresh_engine).items()}
    assert done == {"1": (IMPORT_DAY, "已办结"), "2": (None, "长期坚持"), "3": (None, None)}
    assert "按台账完成 1 项" in output


CORPUS = Path(__file__).parents[1] / "corpus"


def test_a_published_progress_table_keeps_each_status_and_guesses_no_completion(tmp_path, fresh_engine, cli):
    """崇川区民生实事 2023 (进展情况 beside each project) and 北屯市 整改 (整改完成情况): statuses kept as printed;
    a narrative claiming the rectification done is flagged for a person, never completed by the import."""
    cli("import", str(CORPUS / "js_chongchuan_mssx_2023.html"), "--jurisdiction", "崇川区")
    cli("import", str(CORPUS / "xj_beitun_zhenggai_2024.txt"), "--jurisdiction", "北屯市")
    tasks = _tasks(fresh_engine)
    statuses = {t.title: t.ledger_status for t in tasks.values()}
    assert statuses["优化提升50条背街后巷交通组织"] == "已进场施工,完成30%。"
    assert statuses["新建建筑垃圾中转站8个、建筑垃圾分类池20个"].startswith("已建成建筑垃圾中转站3个")
    assert all(t.completed_on is None for t in tasks.values())
    flagged = {t.title for t in tasks.values() for d in _doubts(fresh_engine, t.id) if d.field == "status"}
    assert flagged == {"优化提升50条背街后巷交通组织", "生活垃圾处置不规范,随意堆放"}


def test_a_status_continued_in_the_next_row_or_merged_down_is_read_whole(tmp_path, fresh_engine, cli):
    """mend23: a long 完成情况 wrapped into the row below, the task's cells there empty, and one in a
    cell merged down over an empty row: each is the task's status, read whole, and neither row is
    a task of its own."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet.append(HEADER)
    sheet.append([*INSTITUTION[0], "已于2023年", None])
    sheet.append([None, None, None, None, None, "5月完成", None])  # the text goes on here
    sheet.append([*INSTITUTION[2], "已于2023年9月完成", None])
    sheet.append([None] * 7)
    sheet.merge_cells("F5:F6")  # the cell merged down over an empty row
    sheet.append([*MARKET[0], "进度", None])
    sheet.append([None, None, None, None, None, "60%", None])
    path = tmp_path / "工作台账.xlsx"
    book.save(path)
    cli("import", str(path))
    tasks = _tasks(fresh_engine)
    assert sorted(tasks) == ["1", "3", "4"], {n: t.title for n, t in tasks.items()}
    assert tasks["1"].ledger_status == "已于2023年5月完成"
    assert tasks["1"].completed_on == date(2023, 5, 31)
    assert tasks["3"].ledger_status == "已于2023年9月完成" and tasks["3"].completed_on == date(2023, 9, 30)
    assert tasks["4"].ledger_status == "进度60%" and tasks["4"].ledger_progress == 60


def test_the_ledgers_percentage_is_shown_where_progress_is_until_a_report(tmp_path, fresh_engine, cli):
    """mend23: task 4's 进度80% is its progress on the department page, the dashboard's task lists and
    the public page, marked as the ledger's (台账), as the lights already read it."""
    from fastapi.testclient import TestClient

    from wufei.web.app import create_app
    from wufei.web.portal import Settings

    cli("import", str(ledger(tmp_path / "工作台账.xlsx")))
    task = _tasks(fresh_engine)["4"]
    rules = Ruleset.load()
    from sqlalchemy.orm import Session

    from wufei.web import pages

    with Session(fresh_engine) as session:
        lead = session.scalars(
            select(TaskDepartment.department_id).where(
                TaskDepartment.task_id == task.id, TaskDepartment.role == Role.LEAD
            )
        ).one()
        rows = pages.department_tasks(
            session, department_id=lead, today=IMPORT_DAY, cadence=rules.cadence, light_rules=rules.lights
        )
        [row] = [r for r in rows["lead"] if r["id"] == task.id]
        assert (row["progress"], row["progress_ledger"]) == (80, True)
        board = pages.dashboard(
            session,
            today=IMPORT_DAY + timedelta(days=400),  # 2025: task 4 (2024年底前) overdue, on the dashboard's list
            cadence=rules.cadence,
            light_rules=rules.lights,
            bulletins_dir=tmp_path,
        )
        [late] = [r for r in board["overdue"] if r["id"] == task.id]
        assert (late["progress"], late["progress_ledger"]) == (80, True)
    settings = Settings(engine=fresh_engine, today=IMPORT_DAY, public_plans=("*",), rules=rules, bulletins_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        page = client.get("/public")
    assert page.status_code == 200
    cells = page.text.split("建设建筑垃圾资源化利用项目</td>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">80<div class="sub">台账</div></td>' in cells
