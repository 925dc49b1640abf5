"""Names the registry does not know are kept for review, with close matches suggested."""

from __future__ import annotations

from sqlalchemy import select

from tests.preview_plan import write_plan
from wufei.departments.models import Department
from wufei.tasks.models import TaskDepartment


def test_an_unknown_owner_is_kept_with_a_warning_and_suggestions(session, load, tmp_path):
    # A second city's task list, in the one-cell-per-line layout with its columns in another order.
    [summary] = load(write_plan(tmp_path))
    assert summary.counts["tasks_institution"] == 4
    unknown = session.scalar(select(Department).where(Department.name == "市生态环境厅"))
    assert unknown is not None and unknown.kind == "unknown"
    warning = next(w for w in summary.warnings if "市生态环境厅" in w)
    assert "市生态环境局" in warning  # the close match is suggested
    assert "第" in warning and "行" in warning


def test_units_of_other_places_are_stored_under_their_full_names_not_merged_with_the_plans_own(session, load, tmp_path):
    plan = tmp_path / "滁州.txt"
    plan.write_text(
        "滁州市“无废城市”建设工作任务分工\n"
        "一、推进建筑垃圾资源化利用。（牵头单位：市住建局；配合单位：来安县住建局、合肥市住建局；完成时限：2025年12月底前）\n",
        encoding="utf-8",
    )
    [summary] = load(plan)
    linked = select(TaskDepartment.department_id)
    names = set(session.scalars(select(Department.name).where(Department.id.in_(linked))))
    assert {"市住房和城乡建设局", "来安县住房和城乡建设局", "合肥市住房和城乡建设局"} <= names
    assert not [w for w in summary.warnings if "住建局" in w]  # all three known, none left for a person
