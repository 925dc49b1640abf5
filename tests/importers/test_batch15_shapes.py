"""Shapes of the corpus's batch 15 (tests/corpus/, its tuning documents) and of the brief's two known misreadings, each
by its mechanism: sections each over the same numbered labelled lines (一、关于《X》进展情况 / （一）责任领导：… /
（二）年度目标：…计划于…完工) are one record a section, titled by the project the heading reports on, a person leading
nothing and the planned completion its deadline even after the report's year; a list numbered (1) (2) (3) run on after
a colon, with no 1. items above it, is a list of records; a sentence naming as many projects as it announces
(十大民生实事项目为：A、B、…) lists records; a bracket opening with 督促 after a unit (A（督促B落实）) is what the unit
does, no part of its name; a year opening a numbered sub-item ((1)2020年，开展…) dates the task it belongs to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.reading import first_plan as _plan
from tests.importers.reading import owners as _owners
from wufei.departments.owners import parse_owner_columns, parse_owners
from wufei.importers.records import ImportError_
from wufei.tasks.deadlines import parse_deadline


def test_sections_over_the_same_labelled_lines_are_one_record_each(tmp_path: Path):
    # zj_songyang_anmin_2024: on main each labelled line was a record titled by its label (责任领导, 年度目标,
    # 完成情况), the project's name in no record, and 2025年10月 dropped as after the report's year.
    plan = _plan(
        tmp_path,
        "某乡人民政府关于2024年民生实事项目进展情况的报告\n"
        "各位代表：\n"
        "现将具体情况报告如下：\n"
        "一、关于《全乡域供水站提升项目》进展情况\n"
        "（一）责任领导：张三\n"
        "（二）年度目标：完成12个供水站改造提升，计划于2024年8月完工。\n"
        "（三）完成情况：2024年6月份全面完工、2025年1月14日完成验收。\n"
        "二、关于《全水域整治项目》进展情况\n"
        "（一）责任领导：李四\n"
        "（二）年度目标：新建堰坝、河道清淤整治，计划于2025年10月完工。\n"
        "（三）完成情况：已完成河道清淤。\n",
    )
    assert [(task.title, *_owners(task), task.deadline_raw) for task in plan.tasks] == [
        ("全乡域供水站提升项目", [], [], "2024年8月"),
        ("全水域整治项目", [], [], "2025年10月"),
    ]


def test_a_plan_s_outline_with_labelled_points_is_no_list_of_sections(tmp_path: Path):
    # Guard: 一、工作目标 / （一）总体目标：… names nobody answering for anything: its sections are no records.
    plan = _plan(
        tmp_path,
        "某县2024年农村供水工作方案\n"
        "一、工作目标\n"
        "（一）总体目标：全县农村自来水普及率达到95%。\n"
        "（二）年度目标：完成12个供水站改造提升。\n"
        "二、主要任务\n"
        "（一）建设内容：新建水厂一座。\n"
        "（二）年度目标：改造管网20公里。\n"
        "三、保障措施\n"
        "1.加强组织领导，各乡镇落实。（县水利局牵头）\n",
    )
    titles = [task.title for task in plan.tasks]
    assert "加强组织领导，各乡镇落实" in titles and not {"工作目标", "主要任务"} & set(titles)


def test_a_list_numbered_in_brackets_run_on_after_a_colon_is_a_list_of_records(tmp_path: Path):
    # gs_gangu_shishi_2020: on main the page was refused (no owner, no date, no 1. item anywhere).
    plan = _plan(
        tmp_path,
        "某县政府2020年将为民办好10件民生实事\n"
        "|\n"
        "5月10日上午，某县人民代表大会开幕。县政府将重点抓好10件民生实事。分别是： (1)加快建设县医院迁建项目。 "
        "(2)开工新建西环路，改造提升新城路。 (3)完成新安大道一期工程。 (4)城区新建便民市场5处。 |\n",
    )
    assert [task.title for task in plan.tasks] == [
        "加快建设县医院迁建项目",
        "开工新建西环路，改造提升新城路",
        "完成新安大道一期工程",
        "城区新建便民市场5处",
    ]


def test_projects_named_in_a_sentence_announcing_their_number_are_records(tmp_path: Path):
    # xj_ruoqiang_shishi_2026: on main the item was refused.
    plan = _plan(
        tmp_path,
        "某县召开2026年民生实事项目新闻发布会\n"
        "2026年某县四大民生实事项目为：农村污水处理厂提升改造项目、城区道路改扩建项目、巴州某县中学（高中部）"
        "3#宿舍楼建设项目、火车站加装电梯项目。\n"
        "其中，农村污水处理厂提升改造项目将对27座处理站进行提升改造。\n",
    )
    assert [task.title for task in plan.tasks] == [
        "农村污水处理厂提升改造项目",
        "城区道路改扩建项目",
        "巴州某县中学（高中部）3#宿舍楼建设项目",
        "火车站加装电梯项目",
    ]


def test_a_sentence_whose_names_do_not_match_its_count_lists_no_records(tmp_path: Path):
    # Guard: 共收集意见建议110条 / 五件实事包括：道路、桥梁等 announce no list the names make up.
    with pytest.raises(ImportError_):
        _plan(
            tmp_path,
            "某县民生实事项目征集情况\n"
            "今年共收集意见建议110条，五件民生实事项目包括：道路硬化、桥梁维修、供水改造等。\n",
        )


def test_a_bracket_opening_with_urging_after_a_unit_is_what_the_unit_does(tmp_path: Path):
    # The brief's known misreading: on main 市生态环境局（督促各县（市、区）落实） was one lead named with its gloss.
    spec = parse_owners("市生态环境局（督促各县（市、区）落实）")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）"])
    spec = parse_owners("牵头单位：市生态环境局（督促各县（市、区）落实）；配合单位：市住建局")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）", "市住建局"])
    spec = parse_owner_columns("市生态环境局（督促各县（市、区）落实）", "市住建局")
    assert (list(spec.leads), list(spec.supporting)) == (["市生态环境局"], ["各县（市、区）", "市住建局"])
    plan = _plan(
        tmp_path,
        "某市2025年固体废物污染防治工作方案\n"
        "一、主要任务\n"
        "1.推进尾矿库污染治理，2025年底前完成整治。（牵头单位：市生态环境局（督促各县（市、区）落实））\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("推进尾矿库污染治理，2025年底前完成整治", ["市生态环境局"], ["各县（市、区）"]),
    ]


def test_a_gloss_naming_a_unit_s_other_name_stays_part_of_it():
    # Guard: 市委宣传部（市文明办） is one unit, its bracket no clause.
    spec = parse_owners("市委宣传部（市文明办）、市教育局")
    assert (list(spec.leads), list(spec.supporting)) == (["市委宣传部（市文明办）"], ["市教育局"])


def test_a_year_opening_a_numbered_sub_item_dates_its_task(tmp_path: Path):
    # sn_xian_baqiao_chengguan_2020 (tests/wild): on main the heading 1.有效削减排放总量 was the task and its (1)
    # item's 2020年 was lost.
    plan = _plan(
        tmp_path,
        "某区城市管理局重点工作实施方案\n"
        "二、重点任务\n"
        "（一）强化大气污染治理\n"
        "1.有效削减排放总量\n"
        "（1）2020年，开展供热发展规划的研究和编制工作。\n"
        "牵头处室：燃气热力管理处\n"
        "2.2021年，精准抑制扬尘污染\n"
        "（1）强化扬尘污染防治工作。\n"
        "牵头处室：建筑垃圾管理处\n",
    )
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [
        ("有效削减排放总量", "2020年"),
        ("精准抑制扬尘污染", "2021年"),
    ]
    assert parse_deadline(plan.tasks[0].deadline_raw).due_date.isoformat() == "2020-12-31"


def test_a_year_inside_a_numbered_sub_item_s_sentence_is_no_deadline(tmp_path: Path):
    # Guard: a year in the middle of the item's sentence (较2019年下降) sets no date.
    plan = _plan(
        tmp_path,
        "某区城市管理局重点工作实施方案\n"
        "二、重点任务\n"
        "1.有效削减排放总量\n"
        "（1）降尘量较2019年下降10%，开展供热规划编制。\n"
        "牵头处室：燃气热力管理处\n",
    )
    assert [(task.title, task.deadline_raw) for task in plan.tasks] == [("有效削减排放总量", None)]


def test_items_run_on_in_one_line_after_an_opening_with_their_labels_run_on_too(tmp_path: Path):
    # zj_ningbo_minsheng_2014 (collected after the tuning): on main the whole line was one task titled by the
    # opening; a table's figures run in before item 3 (… 12 0 0 24 3.新投放…) hid the next number too.
    plan = _plan(
        tmp_path,
        "2014年市政府民生实事项目进展情况\n"
        "2014年市政府民生实事项目共有42项任务,现将实事项目1—6月份进展情况予以公示,接受社会监督。 "
        "1.轨道交通1号线一期工程投入试运营。 牵头领导:林某 责任单位:市轨道交通工程建设指挥部 项目责任人:尹某 "
        "实际完成情况:已于2014年5月30日通车试运营。 2.新辟公交线路10条。 牵头领导:王某 责任单位:市交通委 "
        "项目责任人:劳某 配合单位:市公安局、市城管局,各区政府 鄞州 海曙、江东 镇海 北仑 合计 "
        "新辟线路年度目标 2 5 1 2 10 实际完成 12 12 0 0 24 3.新投放公共自行车3000辆。 "
        "牵头领导:王某 责任单位:市交通委 配合单位:市发改委、宁波电业局\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("轨道交通1号线一期工程投入试运营", ["市轨道交通工程建设指挥部"], []),
        ("新辟公交线路10条", ["市交通委"], ["市公安局", "市城管局", "各区政府"]),
        ("新投放公共自行车3000辆", ["市交通委"], ["市发改委", "宁波电业局"]),
    ]


def test_a_decimal_after_an_opening_sentence_starts_no_items(tmp_path: Path):
    # Guard: …完成3项。 1.5万吨… is a figure, and a lone 1. with no 2. and 3. after it cuts nothing.
    plan = _plan(
        tmp_path,
        "某县2024年固体废物工作方案\n"
        "一、主要任务\n"
        "1.推进工业固废综合利用,全年利用1.5万吨。 2.5万吨存量年内完成处置。（县生态环境局牵头）\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("推进工业固废综合利用,全年利用1.5万吨", ["县生态环境局"], []),
    ]


def test_every_unit_under_a_responsible_label_leads_beside_a_supporting_label():
    # zj_ningbo_minsheng_2014's fourth item: on main 责任单位 listing three beside 配合单位 led by its first only.
    spec = parse_owners("牵头领导：王某；责任单位：市交通委，各区政府，相关管委会；配合单位：市发改委、市公安局")
    assert (list(spec.leads), list(spec.supporting)) == (
        ["市交通委", "各区政府", "相关管委会"],
        ["市发改委", "市公安局"],
    )


def test_a_responsible_label_standing_alone_is_led_by_its_first_unit():
    # Guard (sh_qingpu_huanbao's habit): without a supporting label the first unit listed leads.
    spec = parse_owners("责任单位：区环保局、区教育局、区财政局")
    assert (list(spec.leads), list(spec.supporting)) == (["区环保局"], ["区教育局", "区财政局"])
