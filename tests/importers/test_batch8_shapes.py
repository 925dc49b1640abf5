"""Shapes of the corpus's batch 8 (tests/corpus/, its tuning documents), each by its mechanism: a duty item names
its matter, then who manages it (`…现由X委托Y负责管理`, `行业管理为X`, `由X负责牵头管理，Y协管`); a bracket of one
unit's name glued to the unit before it (`县政府（办公室）`, a portal's information box) is part of that name, no
owner clause; a month without its year followed by 前 (`4月底前完成…`) is a step's deadline in the plan's year, no
part of its title, and a span of months opening a step (`6月-9月，…`) is no part of it either; a label naming what
follows as the task (`重点工作：…`) is no part of its title; a form's label closed by a colon (`重点工作：` | …) is
the same label, a long one too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.importers.service import read_source
from wufei.tasks.deadlines import deadlines_in_text, parse_deadline


def test_a_duty_item_is_its_matter_managed_by_the_unit_it_is_handed_to(tmp_path: Path):
    # sc_dazhu_zhize_2008: the attribution had stayed in every title, and `现由A委托B` was read as one unit's name
    # (or nothing at all for `行业管理为X` and `由X负责牵头管理，Y协管`).
    path = tmp_path / "职责.txt"
    path.write_text(
        "某县人民政府办公室关于进一步明确城市管理职责的通知\n"
        "各乡镇人民政府,县级各部门:\n"
        "    现将有关部门明确后的职责通知如下:\n"
        "    一、人车分行按照《中华人民共和国道路交通安全法》规定应由公安部门负责管理,"
        "现由县公安局委托县城管办负责管理,并行使行政处罚权。\n"
        "    二、对占用城市道路摆摊设点按照《某省城市市容和环境卫生管理条例》应由县规划建设局负责管理,"
        "现由县规划建设局委托县城管办负责管理,并行使行政处罚权。\n"
        "    三、废品收购站点按照《再生资源回收管理办法》规定,行业管理为县商务局。\n"
        "    四、两轮摩托车非法载客、擅自设置雨篷由县公安局负责牵头管理,县交通局协管。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("人车分行", ("县城管办",), ()),
        ("对占用城市道路摆摊设点", ("县城管办",), ()),
        ("废品收购站点", ("县商务局",), ()),
        ("两轮摩托车非法载客、擅自设置雨篷", ("县公安局",), ("县交通局",)),
    ]


def test_a_sentence_that_is_no_duty_item_keeps_its_title(tmp_path: Path):
    # Guards (they hold on main too): an owner clause after a comma is read as before, a unit that checks the
    # work owns nothing, and a sentence naming no unit after 由 is no duty item.
    path = tmp_path / "任务.txt"
    path.write_text(
        "某县2023年重点工作任务\n"
        "1.加快建设污水处理厂,由县住建局负责。\n"
        "2.门前三包落实情况由县双创办负责督查。\n"
        "3.生活垃圾由环卫工人统一收集清运。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("加快建设污水处理厂,由县住建局负责", ("县住建局",), ()),
        ("门前三包落实情况由县双创办负责督查", (), ()),
        ("生活垃圾由环卫工人统一收集清运", (), ()),
    ]


def test_an_information_box_and_dated_steps_of_a_bureau_plan(tmp_path: Path):
    # ah_jingde_weifang_2021: `发布机构: 某县政府(办公室)` closed a paragraph as if (办公室) were its owners, so the
    # portal's box became the one task and the plan's items were never read; the steps kept their dates.
    path = tmp_path / "计划.txt"
    path.write_text(
        "索引号: 123/202105-00360 组配分类: 农村危房改造补助资金\n"
        "发布机构: 某县政府(办公室) 主题分类: 城乡建设\n"
        "名称: 某县2021年度农村危房改造工作计划 文号: 某住建[2021]71号\n"
        "发布机构: 某县政府(办公室)\n"
        "某县2021年度农村危房改造工作计划\n"
        "一、具体要求\n"
        "(一)质量安全。严格执行相关技术规范,县住建局要组织技术力量,开展质量安全巡查。\n"
        "(二)档案管理。建立“一户一档”,录入危房改造信息系统。\n"
        "二、实施步骤\n"
        "(一)4月底前完成入户调查摸底、登记造册;\n"
        "(二)5月底前完成审核、审批,并组织农户施工;\n"
        "(三)6月-9月,组织技术人员现场指导,加强质量安全巡查;\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    found = [(task.title, task.deadline_raw) for task in plan.tasks]
    assert found == [
        ("质量安全", None),
        ("档案管理", None),
        ("完成入户调查摸底、登记造册", "4月底前"),
        ("完成审核、审批,并组织农户施工", "5月底前"),
        ("组织技术人员现场指导,加强质量安全巡查", None),
    ]
    assert plan.tasks[0].leads == ("县住建局",)
    assert parse_deadline("4月底前", plan_start=2021, plan_end=2021).due_date == date(2021, 4, 30)


def test_a_month_by_which_a_step_is_done_is_its_deadline():
    assert deadlines_in_text("4月底前完成入户调查摸底") == "4月底前"
    assert deadlines_in_text("力争在10月底前完成全年任务") == "10月底前"
    # guards: a date that happened, a month inside a full date (read as before), a span of months
    assert deadlines_in_text("5月13日召开了联席会议") is None
    assert deadlines_in_text("2021年6月底前完成") == "2021年6月底前"
    assert deadlines_in_text("6月-9月,组织现场指导") is None


def test_a_task_label_is_no_part_of_the_title(tmp_path: Path):
    # gd_guangzhou_renwu97_2019: the task was titled 重点工作, its label.
    path = tmp_path / "任务97.txt"
    path.write_text(
        "任务97\n"
        "重点工作:推进更高层次的广佛同城化,强化广佛地区增长极建设。\n"
        "牵头单位:市发展改革委\n"
        "年度阶段性工作目标:\n"
        "第一季度:制定年度重点工作计划。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path)[0] == ("推进更高层次的广佛同城化,强化广佛地区增长极建设", ("市发展改革委",), ())


def test_a_form_whose_labels_close_with_a_colon(tmp_path: Path):
    # gd_guangzhou_zdgz135_2023: with `重点工作：` and a long label the table was no form, each value a task.
    path = tmp_path / "重点工作.html"
    path.write_text(
        "<html><body><p>重点工作落实情况</p><table>"
        "<tr><td>重点工作:</td><td>135.统筹违法建设治理与城市更新,促进违法建设科学分类治理。</td></tr>"
        "<tr><td>牵头单位:</td><td>市城市管理综合执法局</td></tr>"
        "<tr><td>年度阶段性工作目标:</td><td>第一季度:印发工作方案。第四季度:确保超额完成年度工作任务。</td></tr>"
        "<tr><td>进展情况、存在问题 及下一步工作建议:</td><td>已完成。</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("统筹违法建设治理与城市更新,促进违法建设科学分类治理", ("市城市管理综合执法局",), ())
    ]
