"""Owners named inside a task's own sentences (round 7): an inspection notice's `整改要求：由X负责…`, a meeting's
`由A牵头，B配合` / `请A牵头…` / `A要会同B…`, for tasks that have no owner column, bracket or label; units that
receive reports or check the work own nothing. Also: an owner bracket opened by [ and closed by )], and the
sentence announcing a convention for later tasks inside it."""

from __future__ import annotations

from pathlib import Path

from wufei.departments.owners import owners_in_sentences, parse_owners
from wufei.importers.service import read_source
from wufei.importers.text.paragraphs import main_tasks
from wufei.tasks.deadlines import deadlines_in_text


def _roles(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = parse_owners(text)
    return spec.leads, spec.supporting


def test_the_unit_a_requirement_names_after_you_leads():
    found = owners_in_sentences("整改要求：由县园林所负责补植缺株行道树。")
    assert _roles(found) == (("县园林所",), ())


def test_a_label_before_the_first_name_is_no_part_of_it_and_every_unit_named_leads():
    found = owners_in_sentences(
        "整改要求：按照先宣传、后执法的要求，由北关片区包保单位县水利局、县林业局、县审计局负责清理乱贴乱画。"
    )
    assert _roles(found) == (("县水利局", "县林业局", "县审计局"), ())


def test_units_that_receive_reports_or_check_the_work_own_nothing():
    text = "在下月底以前将整治情况报县爱卫办备案。县督查室对整治效果进行抽查。"
    assert owners_in_sentences(text) is None
    assert owners_in_sentences("县督查室负责督查整治效果。") is None


def test_a_lead_with_supporting_units_in_the_clauses_after_it():
    found = owners_in_sentences("会议要求，由市水务局牵头，市财政局、市农业农村局配合，9月底前完成方案。")
    assert _roles(found) == (("市水务局",), ("市财政局", "市农业农村局"))


def test_a_unit_asked_to_lead_and_one_that_only_enforces():
    found = owners_in_sentences("会议同意该方案，请市交通局牵头抓好实施，市公安局加强执法检查。")
    assert _roles(found) == (("市交通局",), ())


def test_a_unit_that_must_work_with_another():
    found = owners_in_sentences("市教育局要会同市体育局加快学校场馆开放，年底前完成。")
    assert _roles(found) == (("市教育局",), ("市体育局",))


def test_everyone_asked_and_a_person_are_no_owners():
    assert owners_in_sentences("各乡镇各部门要提高认识，确保取得实效。") is None
    assert owners_in_sentences("由王某某副县长负责协调。") is None
    assert owners_in_sentences("加强农村生活垃圾收运体系建设。") is None


def test_an_inspection_notice_gets_its_owners_from_its_requirement_lines(tmp_path: Path):
    path = tmp_path / "xuncha.txt"
    path.write_text(
        "1、北关路口东侧绿化带内有生活垃圾。\n"
        "整改要求：由包保单位县水利局负责清除。\n"
        "2、农贸市场周边占道经营。\n"
        "整改要求：由县市场监管局负责规范经营秩序，整改情况报县创卫办。县督查室进行抽查。\n",
        encoding="utf-8",
    )
    (plan,) = read_source(path).plans
    assert [(task.title, task.leads, task.supporting) for task in plan.tasks] == [
        ("北关路口东侧绿化带内有生活垃圾", ("县水利局",), ()),
        ("农贸市场周边占道经营", ("县市场监管局",), ()),
    ]
    assert all(any(doubt.field == "leads" for doubt in task.doubts) for task in plan.tasks)


def test_a_task_with_its_own_owner_bracket_keeps_it():
    (task,) = main_tasks(["某某县2024年重点工作分工", "1.整治河道垃圾，由县水利局负责清理。（县住建局牵头）"])
    assert _roles(task.owners_raw) == (("县住建局",), ())


def test_a_bracket_opened_with_a_square_bracket_and_closed_twice():
    lines = [
        "某某市2019年水污染防治重点工作实施方案",
        "二、工作任务",
        "1.控制用水总量。强化用水监督管理。[市水务局牵头，市工信局、市住建局配合，各县(市)区政府负责落实。"
        "以下均需各县(市)区政府落实，县区无相关职能的，由市直部门负责，不再列出)]",
    ]
    (task,) = main_tasks(lines)
    assert _roles(task.owners_raw) == (("市水务局",), ("市工信局", "市住建局"))
    assert task.title == "控制用水总量"


def test_a_year_opening_a_sentence_is_the_year_its_figure_is_due():
    text = "强化用水管理。2019年，全市用水总量控制在12亿立方米以内。"
    assert deadlines_in_text(text, plan_start=2019, plan_end=2019) == "2019年"
    assert deadlines_in_text("2019年5月，市政府召开专题会议。") is None


def test_a_year_opening_a_sentence_beside_a_by_date_is_a_step_not_the_deadline():
    text = "推广屋顶光伏。2023年，完成装机5万千瓦；到2025年，新增装机30万千瓦。"
    assert deadlines_in_text(text, plan_start=2023, plan_end=2025) == "2025年"
