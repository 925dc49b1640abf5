"""Shapes of the corpus's batch 12 (tests/corpus/, its tuning documents), each by its mechanism: a supervision
office's notice setting one date for every problem listed under it (…并于5月20日前将问题整改完成) gives that
date to each problem naming none, while a date asking for a report does not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wufei.importers.service import read_source
from wufei.tasks.deadlines import parse_deadline

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
