"""Collective owners (各县（市、区）政府、开发区管委会, 各乡镇（街道）, 各开发区管委会): what offices really write.

A collective reads as the units it stands for where they are known: the units the office registered
under it in its registry file, else the county-level governments the places registry knows (and the
zones it or the file knows). Where nobody knows them (townships, a place's zones the places registry
does not list) the collective is one recognised owner of the place, of the locality kind: reminded
through the contacts the office registers for it, lit and scored once, never an unknown unit doubted
on every task. Names that assign nobody (各有关部门, 各成员单位) still wait for the office to pick."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.seed_files import BAODING_PLAN
from wufei.departments.models import Department, DepartmentKind
from wufei.departments.registry import TOWNSHIPS_OWNER, ZONES_OWNER, ResolutionKind
from wufei.doubts.models import ImportDoubt
from wufei.tasks.models import Role, Task, TaskDepartment

BAODING_COUNTIES = 24  # 竞秀区 … 高碑店市: the county-level places of 保定市 in the places registry
COMPOUND = "各县（市、区）政府、开发区管委会"


def test_baodings_collectives_read_as_its_county_governments_without_a_doubt(registry):
    counties = registry.resolve("各县（市、区）政府", "保定市")
    assert counties.kind is ResolutionKind.COLLECTIVE and counties.warning is None
    assert len(counties.members) == BAODING_COUNTIES
    assert {"竞秀区人民政府", "定州市人民政府", "高碑店市人民政府"} <= set(counties.members)
    both = registry.resolve(COMPOUND, "保定市")
    assert both.kind is ResolutionKind.COLLECTIVE and both.warning is None
    # The places registry lists no zone of 保定市: its zones are one collective owner.
    assert both.members == (*counties.members, ZONES_OWNER)
    assert registry.unit(ZONES_OWNER, "保定市").kind == "zone"


def test_a_places_zones_listed_in_its_file_stand_for_its_development_zones(registry):
    zones = registry.resolve("各开发区管委会", "衡水市")
    assert zones.kind is ResolutionKind.COLLECTIVE and zones.warning is None
    assert zones.members == ("衡水高新区管委会", "滨湖新区管委会")
    both = registry.resolve("各区县（开发区）", "衡水市")
    assert both.members[-2:] == ("衡水高新区管委会", "滨湖新区管委会") and len(both.members) == 13


@pytest.mark.parametrize("name", ["各乡镇（街道）", "各乡镇人民政府、街道办事处", "各镇街", "各街道"])
def test_townships_are_one_recognised_owner_of_the_place(registry, name):
    resolution = registry.resolve(name, "金乡县")
    assert resolution.kind is ResolutionKind.UNIT and resolution.warning is None
    assert resolution.canonical == TOWNSHIPS_OWNER and resolution.jurisdiction == "金乡县"
    assert resolution.unit_kind == "county_gov"  # a locality: scored for every task it is named on


@pytest.mark.parametrize("name", ["各有关部门", "各成员单位"])
def test_collectives_that_name_nobody_still_wait_for_the_office(registry, name):
    resolution = registry.resolve(name, "保定市")
    assert resolution.kind is ResolutionKind.UNASSIGNED and "办公室指定" in resolution.warning


def test_baodings_plan_imports_its_collective_as_the_county_governments_once_each(session, load):
    [summary] = load(BAODING_PLAN)
    doubts = session.scalars(select(ImportDoubt).where(ImportDoubt.plan_id == summary.plan_id)).all()
    assert not [d for d in doubts if "开发区管委会" in (d.text or "") or "尚未登记" in d.message]
    assert not [w for w in summary.warnings if "开发区管委会" in w]
    named = session.execute(
        select(Task.id, Department.name, Department.kind, TaskDepartment.role)
        .join(TaskDepartment, TaskDepartment.task_id == Task.id)
        .join(Department, Department.id == TaskDepartment.department_id)
        .where(Task.plan_id == summary.plan_id, TaskDepartment.source_name == COMPOUND)
    ).all()
    tasks = {task for task, *_ in named}
    assert len(tasks) >= 20  # the plan names the collective on most of its tasks
    for task in tasks:
        owners = {(name, kind) for t, name, kind, _ in named if t == task}
        assert len(owners) == BAODING_COUNTIES + 1
        assert ("清苑区人民政府", DepartmentKind.COUNTY_GOV) in owners and (ZONES_OWNER, DepartmentKind.ZONE) in owners
    assert {role for *_, role in named} == {Role.SUPPORTING}  # as written: beside the leads
    # One department row per county government and one for the zones, shared by every task.
    rows = session.scalars(select(Department).where(Department.name.in_(["清苑区人民政府", ZONES_OWNER]))).all()
    assert len(rows) == 2 and DepartmentKind.UNKNOWN not in {r.kind for r in rows}


def test_a_county_plans_townships_are_one_owner_leading_each_task_without_a_doubt(session, load, tmp_path):
    path = tmp_path / "金政办发〔2025〕3号.txt"
    path.write_text(
        "金乡县人民政府办公室关于印发金乡县无废城市建设工作方案的通知\n"
        "1.推进农村生活垃圾分类,2025年底前完成。(牵头单位:各乡镇（街道）;配合单位:县住房和城乡建设局)\n"
        "2.建设无废乡村10个,2025年底前完成。(牵头单位:各乡镇人民政府、街道办事处)\n",
        encoding="utf-8",
    )
    [summary] = load(path)
    leads = session.execute(
        select(Task.number, Department.id, Department.name, Department.kind)
        .join(TaskDepartment, TaskDepartment.task_id == Task.id)
        .join(Department, Department.id == TaskDepartment.department_id)
        .where(Task.plan_id == summary.plan_id, TaskDepartment.role == Role.LEAD)
        .order_by(Task.number)
    ).all()
    assert [(number, name, kind) for number, _, name, kind in leads] == [
        ("1", TOWNSHIPS_OWNER, DepartmentKind.COUNTY_GOV),
        ("2", TOWNSHIPS_OWNER, DepartmentKind.COUNTY_GOV),
    ]
    assert len({department for _, department, *_ in leads}) == 1  # one owner, counted once
    doubts = session.scalars(select(ImportDoubt).where(ImportDoubt.plan_id == summary.plan_id)).all()
    assert not [d for d in doubts if d.field in ("leads", "supporting")]


def test_the_townships_owner_is_found_by_the_name_an_office_writes(session, load, tmp_path):
    """The office registers contacts for 各乡镇（街道） and asks for its tasks by that name (with full-width
    or ASCII brackets): it is the owner the plan made, so its reminders can be delivered."""
    from wufei.departments.naming import resolve_department

    path = tmp_path / "金政办发〔2025〕3号.txt"
    path.write_text(
        "金乡县人民政府办公室关于印发金乡县无废城市建设工作方案的通知\n"
        "1.推进农村生活垃圾分类,2025年底前完成。(牵头单位:各乡镇（街道）;配合单位:县住房和城乡建设局)\n",
        encoding="utf-8",
    )
    load(path)
    owner = session.scalars(select(Department).where(Department.name == TOWNSHIPS_OWNER)).one()
    for written in ("金乡县/各乡镇（街道）", "金乡县/各乡镇(街道)", "各乡镇（街道）"):
        assert resolve_department(session, written).id == owner.id


def test_a_county_plans_county_collective_read_from_its_city_is_doubted(registry):
    """金乡县's plan naming 各县（市、区）政府、开发区管委会 (as a copied template does) is not read silently
    as 济宁市's county governments, 金乡县's own among them: a person decides."""
    found = registry.resolve(COMPOUND, "金乡县")
    assert found.warning is not None and "济宁市" in found.warning
    assert registry.resolve(COMPOUND, "保定市").warning is None  # the city's own: no doubt


@pytest.mark.parametrize("name", ["工业园区", "开发区", "园区", "产业园区", "开发区管委会"])
def test_one_zone_named_without_各_is_read_as_the_zones_only_with_a_doubt(registry, name):
    """A county plan's 工业园区 names a zone, maybe the one the county has: reading it as every zone of the
    place is a guess a person confirms (round 22 read it so without a word)."""
    for place in ("霍山县", "衡水市"):
        resolution = registry.resolve(name, place)
        assert resolution.canonical == ZONES_OWNER
        assert resolution.warning and f"「{name}」" in resolution.warning and "请核对" in resolution.warning


@pytest.mark.parametrize("name", ["各开发区管委会", "各园区", "各工业园区"])
def test_every_zone_written_with_各_is_read_without_a_doubt(registry, name):
    assert registry.resolve(name, "衡水市").warning is None


def test_a_county_plans_industrial_park_lead_is_doubted(session, load, tmp_path):
    path = tmp_path / "霍政办〔2025〕5号.txt"
    path.write_text(
        "霍山县人民政府办公室关于印发霍山县无废城市建设工作方案的通知\n"
        "1.推进工业固体废物综合利用,2025年底前完成。(牵头单位:工业园区;配合单位:县生态环境分局)\n",
        encoding="utf-8",
    )
    [summary] = load(path)
    doubts = session.scalars(select(ImportDoubt).where(ImportDoubt.plan_id == summary.plan_id)).all()
    assert [d.text for d in doubts if d.field == "leads"] == ["工业园区"]
