"""The five seed documents load with the counts the issue lists, owners resolved."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from tests.seed_files import BAODING_PLAN, CELLS_REPLY, EVALUATION, HEBEI_PLAN, HENGSHUI_PLAN
from wufei.cells.models import CellCount
from wufei.departments.models import Department
from wufei.indicators.models import Indicator
from wufei.tasks.models import Role, Task
from wufei.tasks.service import list_tasks, task_as_dict

HENGSHUI_COUNTIES = {
    f"{c}人民政府"
    for c in (
        "桃城区",
        "冀州区",
        "枣强县",
        "武邑县",
        "武强县",
        "饶阳县",
        "安平县",
        "故城县",
        "景县",
        "阜城县",
        "深州市",
    )
}


def _tasks(session, plan_id):
    return list_tasks(session, plan_ids=[plan_id])


def test_hengshui_plan_loads_indicators_system_tasks_projects_and_main_tasks(session, load):
    [summary] = load(HENGSHUI_PLAN)
    counts = summary.counts
    assert counts["indicators"] == 59
    assert (
        counts["tasks_institution"],
        counts["tasks_technology"],
        counts["tasks_market"],
        counts["tasks_regulation"],
    ) == (17, 12, 12, 13)
    assert counts["tasks_project"] == 27
    assert counts["tasks_main"] == 31
    numbers = [i.number for i in session.scalars(select(Indicator).where(Indicator.plan_id == summary.plan_id))]
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, 59)]
    assert Counter(numbers)["10"] == 2


def test_main_tasks_from_the_body_await_an_owner(session, load):
    [summary] = load(HENGSHUI_PLAN)
    main = [t for t in _tasks(session, summary.plan_id) if t.list_kind == "main"]
    assert len(main) == 31
    assert all(t.awaiting_assignment and not t.assignments for t in main)
    assert summary.counts["awaiting_assignment"] >= 31


def test_collective_owner_expands_to_the_eleven_county_governments(session, load):
    [summary] = load(HENGSHUI_PLAN)
    indicator = session.scalar(select(Indicator).where(Indicator.plan_id == summary.plan_id, Indicator.number == "1"))
    leads = [a.department.name for a in indicator.assignments if a.role == Role.LEAD]
    supporting = {a.department.name for a in indicator.assignments if a.role == Role.SUPPORTING}
    assert leads == ["市生态环境局"]
    assert supporting >= HENGSHUI_COUNTIES
    assert {"市统计局", "衡水高新区管委会", "滨湖新区管委会"} <= supporting


def test_name_variants_resolve_to_one_canonical_department(session, load):
    [summary] = load(HENGSHUI_PLAN)
    names = {a.department.name for t in _tasks(session, summary.plan_id) for a in t.assignments}
    assert "市发展和改革委员会" in names and "市发展改革委" not in names
    assert "市城市管理综合行政执法局" in names and "市城管综合行政执法局" not in names


def test_project_keeps_its_company_and_deadline(session, load):
    [summary] = load(HENGSHUI_PLAN)
    projects = {t.number: task_as_dict(t) for t in _tasks(session, summary.plan_id) if t.list_kind == "project"}
    first = projects["1"]
    assert first["title"] == "废旧塑料回收"
    assert first["responsible_entity"] == "河北华科再生资源利用有限公司"
    assert (first["deadline_raw"], first["due_date"], first["deadline_kind"]) == ("2022年底", "2022-12-31", "fixed")
    assert first["leads"] == ["市商务局"]
    assert "冀州区人民政府" in first["supporting"]
    assert projects["4"]["responsible_entity"] is None


def test_every_seed_deadline_parses_to_a_kind_and_date(session, load):
    [summary] = load(HENGSHUI_PLAN)
    rows = [task_as_dict(t) for t in _tasks(session, summary.plan_id)]
    kinds = Counter(r["deadline_kind"] for r in rows)
    assert kinds["ongoing"] > 0 and kinds["annual"] == 1 and kinds["fixed"] > 0
    assert all(r["due_date"] for r in rows if r["deadline_kind"] == "fixed")
    assert all(r["due_date"] is None for r in rows if r["deadline_kind"] == "ongoing")


def test_baoding_plan_loads_tasks_with_lead_and_supporting_departments(session, load):
    [summary] = load(BAODING_PLAN)
    assert summary.counts["tasks_main"] == 39 and summary.counts["indicators"] == 65
    tasks = [task_as_dict(t) for t in _tasks(session, summary.plan_id)]
    assert all(t["leads"] for t in tasks)
    assert all(t["supporting"] for t in tasks)
    first = tasks[0]
    assert first["leads"] == ["市发展和改革委员会"]
    assert {"市生态环境局", "市工业和信息化局"} <= set(first["supporting"])
    # No deadline column: tasks run to the end of the plan period.
    assert first["due_date"] == "2025-12-31" and first["deadline_raw"] is None


def test_provincial_plan_names_provincial_owners_and_city_implementers(session, load):
    [summary] = load(HEBEI_PLAN)
    assert summary.counts["tasks_main"] == 31
    tasks = _tasks(session, summary.plan_id)
    for task in tasks:
        leads = task.departments(Role.LEAD)
        assert leads and {d.jurisdiction.name for d in leads} == {"河北省"}, task.number
        assert any(d.name.startswith("省") for d in leads)
    implementers = [{d.name for d in t.departments(Role.IMPLEMENTER)} for t in tasks]
    assert all({"衡水市人民政府", "保定市人民政府", "雄安新区管委会"} <= names for names in implementers)


def test_cells_reply_loads_nine_categories_against_the_plan_total(session, load):
    [summary] = load(CELLS_REPLY)
    cells = list(session.scalars(select(CellCount).where(CellCount.plan_id == summary.plan_id).order_by(CellCount.id)))
    assert len(cells) == 9
    assert (cells[0].category, cells[0].count, cells[0].unit, cells[0].status) == ("无废学校", 30, "所", "已完成")
    assert cells[0].lead_department.name == "市教育局"
    plan = cells[0].plan
    assert (plan.cells_planned_total, plan.cells_built_total) == (480, 733)
    # The table adds up to 735 while the text says 733: kept as printed, and said.
    assert sum(c.count for c in cells) == 735
    assert any("735" in w and "733" in w for w in summary.warnings)


def test_evaluation_loads_twenty_indicators_with_values_and_forecasts(session, load):
    [summary] = load(EVALUATION)
    indicators = list(
        session.scalars(select(Indicator).where(Indicator.plan_id == summary.plan_id).order_by(Indicator.id))
    )
    assert len(indicators) == 20
    assert Counter(i.attribute for i in indicators) == {"binding": 16, "expected": 4}
    first = indicators[0]
    assert first.target_raw == "37" and first.target_year == 2025
    [value] = first.values
    assert (value.year, value.value_raw, value.forecast) == (2022, "43", "存在不确定性")


def test_all_five_seeds_load_into_one_database(session, load):
    for path in (CELLS_REPLY, HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN, EVALUATION):
        load(path)
    assert session.scalar(select(func.count()).select_from(Task)) == 31 + 54 + 27 + 39 + 31
    unknown = list(session.scalars(select(Department.name).where(Department.kind == "unknown")))
    assert unknown == []
