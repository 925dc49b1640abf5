"""Shapes of the corpus's batch 12 (tests/corpus/, its tuning documents), each by its mechanism: a supervision
office's notice setting one date for every problem listed under it (…并于5月20日前将问题整改完成) gives that
date to each problem naming none, while a date asking for a report does not; a title ending 的公示 (broken over
two lines too) names the plan; a finding over labelled lines closed by
a bare 整改措施： (一、督察意见：… / 责任单位：… / 整改时限：… / 整改措施： / 1.… 2.…) has its numbered measures as the
tasks, each with the finding's owners and time limit, while labelled lines under items without measures stay with
their items; a collective's two bodies carrying glosses in brackets (各市（地）党委、政府（行署）) are one name; a 销号
form kept a cell a line (整改任务 | / value | / | / 责任单位 | / …) is read by its label cells, while a task table's
header typed a cell a line stays a header; the work done a form reports (完成情况：…于2025年6月23日开工建设) and a
date until which something waited (直到2023年7月7日) set no deadline; nor do a span of dates (公示期为…至2026年1月12日)
and 直到 name the year a plan works towards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source
from wufei.tasks.deadlines import deadlines_in_text, parse_deadline

_NOTICE = (
    "某区人民政府督查通知单\n"
    "关于对城区环境卫生整治检查情况的整改通知\n"
    "各街道办事处、区住建局、区执法局：\n"
    "  6月3日，区政府督查室对城区环境卫生进行了检查，共梳理出3条问题，请各单位对存在的问题立即进行整改，"
    "并于{date}前{ask}，整改情况报区政府督查室。 \n"
    "  某区人民政府督查室 \n"
    "  2021年6月4日 \n"
    "  存在问题： \n"
    "  1.幸福小区北侧胡同内垃圾。（责任单位：幸福街道） \n"
    "  2.建设路人行道路面破损。（责任单位：住建局、幸福街道） \n"
    "  3.农贸市场门前乱堆乱放。（责任单位：执法局，6月30日前完成） \n"
)


def _tasks(tmp_path: Path, date_text: str, ask: str) -> list:
    path = tmp_path / "督查通知单.txt"
    path.write_text(_NOTICE.format(date=date_text, ask=ask), encoding="utf-8")
    plan = read_source(path).plans[0]
    return [(task, plan) for task in plan.tasks]


def test_a_notice_s_one_date_for_all_its_problems_is_each_problem_s_deadline(tmp_path: Path):
    # jl_siping_tiexi_ducha_2019: on main the date stayed in the notice and no problem had a deadline.
    found = _tasks(tmp_path, "6月10日", "将问题整改完成")
    assert [task.title for task, _ in found] == [
        "幸福小区北侧胡同内垃圾",
        "建设路人行道路面破损",
        "农贸市场门前乱堆乱放",
    ]
    assert [task.deadline_raw for task, _ in found] == ["6月10日前", "6月10日前", "6月30日前完成"]
    task, plan = found[0]
    due = parse_deadline(
        task.deadline_raw, plan_start=plan.period_start, plan_end=plan.period_end, issued_on=plan.issued_on
    )
    assert due.due_date == date(2021, 6, 10)  # the year of the notice's signature
    assert any("全部问题" in doubt.message for doubt in task.doubts)


def test_a_date_for_the_report_is_no_deadline_of_the_problems(tmp_path: Path):
    # Guard (holds on main too): the notice asks for a report by then, not for the problems to be fixed.
    found = _tasks(tmp_path, "6月10日", "将整改情况报送区政府督查室")
    assert [task.deadline_raw for task, _ in found] == [None, None, "6月30日前完成"]


_FINDING = (
    "一、督察意见：一些地方对生态环境保护工作研究不够，有些方面抓得不紧。\n"
    "责任单位：省直各有关部门，各市（地）党委、政府（行署）。\n"
    "整改时限：立行立改、长期坚持。\n"
    "整改目标：层层压实生态环境保护责任。\n"
    "整改措施：\n"
    "1.组织集中学习培训，深入学习生态文明建设的重要论述。\n"
    "2.建立督办制度，督促有关部门按照各自职责实施监督检查。\n"
    "二、督察意见：部分县城污水处理设施建设滞后。\n"
    "责任单位：省住建厅。\n"
    "整改时限：2025年底前。\n"
    "整改措施：\n"
    "1.加快推进县城污水处理厂建设。\n"
)


def test_the_numbered_measures_under_a_finding_s_labelled_lines_are_the_tasks(tmp_path: Path):
    # hlj_ducha_zhenggai: on main the finding was one task titled by its label 督察意见, the measures its content.
    path = tmp_path / "整改方案.txt"
    path.write_text(_FINDING, encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == [
        "组织集中学习培训，深入学习生态文明建设的重要论述",
        "建立督办制度，督促有关部门按照各自职责实施监督检查",
        "加快推进县城污水处理厂建设",
    ]
    assert [task.deadline_raw for task in tasks] == ["立行立改、长期坚持", "立行立改、长期坚持", "2025年底前"]
    first, _, last = (parse_owners(task.owners_raw) for task in tasks)
    assert (first.leads, first.supporting) == (("省直各有关部门",), ("各市（地）党委、政府（行署）",))
    assert (last.leads, last.supporting) == (("省住建厅",), ())
    assert "研究不够" in (tasks[0].content or "") and "层层压实" in (tasks[0].content or "")


def test_a_finding_over_labelled_lines_without_measures_stays_one_task(tmp_path: Path):
    # Guard (holds on main too): labelled lines under a numbered item with no measures listed keep it the task.
    path = tmp_path / "整改方案.txt"
    path.write_text(
        "某县整改方案\n1.县城污水处理设施建设滞后。\n责任单位：县住建局。\n整改时限：2025年底前。\n"
        "2.部分乡镇垃圾转运不及时。\n责任单位：县城管局。\n整改时限：2024年底前。\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("县城污水处理设施建设滞后", "2025年底前"),
        ("部分乡镇垃圾转运不及时", "2024年底前"),
    ]


def test_a_collective_s_two_bodies_with_glosses_in_brackets_are_one_name():
    # hlj_ducha_zhenggai: on main 各市（地）党委、政府（行署） was split into two names at its 、.
    spec = parse_owners("省直各有关部门，各市（地）党委、政府（行署）")
    assert spec.supporting == ("各市（地）党委、政府（行署）",)
    assert parse_owners("县人民政府、有关部门").supporting == ("有关部门",)  # guard: two names stay two


_CELL_FORM = (
    "关于生态环境保护督察整改任务\n"
    "销号的公示\n"
    "第3项整改任务已整改完成，并通过验收，现予以公示。\n"
    "某市水务局\n"
    "2025年3月2日\n"
    "整改任务完成情况表\n"
    "|\n"
    "整改任务 |\n"
    "第3项整改任务：部分乡镇污水管网建设滞后，生活污水收集率偏低。 |\n"
    "|\n"
    "责任单位 |\n"
    "市水务局、各乡镇人民政府 |\n"
    "|\n"
    "整改目标 |\n"
    "乡镇生活污水收集率达到70%。 |\n"
    "|\n"
    "整改措施 |\n"
    "1.2024年6月前，制定污水管网建设计划。 2.督促各乡镇按计划推进管网建设。\n"
    "|\n"
    "|\n"
    "完成情况 |\n"
    "1.2024年5月完成建设计划编制。 2.新建管网40公里，已投入使用。 |\n"
)


def test_a_form_kept_a_cell_a_line_is_read_by_its_label_cells(tmp_path: Path):
    # nm_tongliao_xiaohao_2025: on main the form was not read; the two measures inside its 整改措施 cell were two
    # tasks without owners.
    path = tmp_path / "销号公示.txt"
    path.write_text(_CELL_FORM, encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["第3项整改任务"]
    spec = parse_owners(tasks[0].owners_raw)
    assert (spec.leads, spec.supporting) == (("市水务局",), ("各乡镇人民政府",))
    assert "污水管网建设滞后" in (tasks[0].content or "")


def test_a_task_table_typed_a_cell_a_line_stays_a_table(tmp_path: Path):
    # Guard (holds on main too): header cells one after another (序号 | / 重点工作 | / 责任单位 |) are a table's
    # header, not a form's labels, and each numbered row is a task.
    path = tmp_path / "责任清单.txt"
    path.write_text(
        "2025年园区重点工作及责任清单\n序号 |\n重点工作 |\n责任单位 |\n完成时限 |\n"
        "1 |\n推进污水处理厂提标改造。 |\n规划建设局 |\n全年 |\n"
        "2 |\n完成工业固废规范化贮存场所建设。 |\n安全环保局 |\n6月底前 |\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("推进污水处理厂提标改造", "全年"),
        ("完成工业固废规范化贮存场所建设", "6月底前"),
    ]


def test_a_notice_titled_as_a_public_notice_names_the_plan_even_broken_over_two_lines(tmp_path: Path):
    # nm_tongliao_xiaohao_2025, xj_beitun_zhenggai_2024: on main the bureau's name and the portal's welcome line
    # were taken for the title, a title ending 的公示 being none.
    path = tmp_path / "销号公示.txt"
    path.write_text(_CELL_FORM, encoding="utf-8")
    plan = read_source(path).plans[0]
    assert plan.title == "关于生态环境保护督察整改任务销号的公示"
    assert all(doubt.field != "title" for doubt in plan.doubts)  # read as the title, not guessed


def test_the_work_done_and_a_date_until_which_something_waited_set_no_deadline(tmp_path: Path):
    # nm_tongliao_xiaohao_2025: on main every date printed in the form was the task's deadline, the problem's history
    # (直到2023年7月7日…才启动实施) and the work done (工程于2025年6月23日开工建设) too.
    path = tmp_path / "销号公示.txt"
    path.write_text(_CELL_FORM.replace("2.新建管网40公里", "2.工程于2025年6月23日开工建设"), encoding="utf-8")
    assert read_source(path).plans[0].tasks[0].deadline_raw == "2024年6月前"  # the measures' own step only
    assert deadlines_in_text("直到2023年7月7日市政府再次研究后才启动实施") is None
    assert deadlines_in_text("到2023年7月7日完成验收") == "2023年7月7日"  # guard: 到 a date is a deadline


def test_a_span_of_dates_and_a_date_until_which_something_waited_name_no_plan_period(tmp_path: Path):
    # nm_tongliao_xiaohao_2025: on main its 公示期 (2025年12月29日至2026年1月12日) made the plan run 2025-2026.
    path = tmp_path / "销号公示.txt"
    path.write_text(
        _CELL_FORM.replace("现予以公示。", "公示期为2025年3月2日至2026年1月12日。直到2023年7月7日才启动。"),
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert (plan.period_start, plan.period_end) == (None, None)
    path.write_text(_CELL_FORM.replace("现予以公示。", "到2027年，乡镇污水收集率达到80%。"), encoding="utf-8")
    assert read_source(path).plans[0].period_end == 2027  # guard: 到 a year is the year a plan works towards
