"""Habits of the real documents held out from batch 7 to 9 and graduated to tuning data in round 19 (tests/corpus/
README, Round 19), each tested with a made-up text of the same habit, never the document's own: a table whose
header and rows a copy ran together on one line without 序号 or row numbers (each row's task a sentence closed by
its full stop, its owner and deadline pieces after it, wrapped with a space inside); blocks of labelled lines, each
label alone on its line over its value, a block opened by its number and the label naming its record; a table one
cell a line, blank lines between cells, whose header breaks a word after the government it belongs to (区政府 /
分管领导), whose sections are rows of their own (强化…。 / （一） / 加强…。) and whose last row the copy cut short;
sub-items closed by their own owner clause under a heading that has none, one of them a short heading over ① items;
a rectification list whose labels run on after the values before them, whose title, section and first problem share
a line, and whose problems have a 整改目标 line before their owner lines; an item closed by an owner sentence whose
table's last cell, its deadline, a copy ran on after it (…镇（街道）、区城管局等按职责分工负责全年)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.importers.service import read_source

_UNNUMBERED = (
    "发布者: 老张 2020-05-06\n"
    "附件 某镇2020年河道保洁工作责任清单 工作内容 牵头单位 协助单位 完成时限 "
    "负责全镇河道保洁的统筹协调,制定保洁考核办法. 镇农业 服务中心 6月底前出台 考核办法 "
    "负责主要河道水面漂浮物的打捞和岸坡垃圾清理. 镇环卫所 长期坚持 "
    "负责沿河企业排污口的排查,督促企业整改到位.发现偷排的及时上报. 镇安监办 镇派出所 9月底前完成\n"
)


def test_a_run_together_table_without_row_numbers_is_cut_at_its_tasks_full_stops(tmp_path: Path):
    # hb_jianli_daqi_2018's habit: on main the rows were no table (its run-together reader needs 序号 and row numbers)
    # and the text became one candidate task.
    path = tmp_path / "责任清单.txt"
    path.write_text(_UNNUMBERED, encoding="utf-8")
    assert resolved_tasks(path) == [
        ("负责全镇河道保洁的统筹协调,制定保洁考核办法", ("镇农业服务中心",), ()),
        ("负责主要河道水面漂浮物的打捞和岸坡垃圾清理", ("镇环卫所",), ()),
        ("负责沿河企业排污口的排查,督促企业整改到位", ("镇安监办",), ("镇派出所",)),
    ]
    tasks = read_source(path).plans[0].tasks
    assert [task.deadline_raw for task in tasks] == ["6月底前出台考核办法", "长期坚持", "9月底前完成"]
    assert tasks[2].content is not None and "发现偷排的及时上报" in tasks[2].content


def test_the_caption_run_on_before_such_a_table_s_header_is_the_title(tmp_path: Path):
    # hb_jianli_daqi_2018's habit: on main the forum's poster line was the title, no period was read, and the
    # deadlines that name a month (6月底前…) had no year.
    path = tmp_path / "责任清单.txt"
    path.write_text(_UNNUMBERED, encoding="utf-8")
    plan = read_source(path).plans[0]
    assert (plan.title, plan.period_start, plan.period_end) == ("某镇2020年河道保洁工作责任清单", 2020, 2020)


def test_header_words_in_a_sentence_make_no_table_without_rows_after_them(tmp_path: Path):
    # Guard (holds on main too): column names quoted in a notice's sentence, one closed sentence after them, are no
    # table: a table without row numbers needs two rows, each a sentence followed by owner pieces.
    path = tmp_path / "通知.txt"
    path.write_text(
        "某县关于报送河道保洁责任清单的通知\n"
        "请各乡镇对照 工作内容 责任单位 配合单位 完成时限 逐项填写,不得漏项. 县政府办 汇总后于6月底前上报.\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert not any("没有序号" in doubt.message for doubt in plan.doubts)
    assert not any(task.title.startswith("逐项填写") for task in plan.tasks)


_BLOCKS = (
    "某区2022年民生实事项目推进情况汇总\n"
    "1 项目名称：建设社区养老服务中心\n"
    "建设内容：\n"
    "新建社区养老服务中心3个，配备助餐点。\n"
    "责任单位\n"
    "区民政局、区住建局\n"
    "推进情况：\n"
    "2个中心已完成主体施工，4月30日完成招标。\n"
    "2 项目名称：改造老旧小区雨污管网\n"
    "建设内容：\n"
    "完成12个老旧小区雨污分流改造。\n"
    "责任单位：\n"
    "区水务局\n"
    "推进情况：\n"
    "已完成5个小区改造。\n"
)


def test_blocks_of_labelled_lines_are_one_record_each(tmp_path: Path):
    # js_baoying_banshishi's habit: on main the first block was one task titled by the document's title run into its
    # label (…汇总1项目名称) and the second block was lost.
    path = tmp_path / "民生实事.txt"
    path.write_text(_BLOCKS, encoding="utf-8")
    assert resolved_tasks(path) == [
        ("建设社区养老服务中心", ("区民政局",), ("区住建局",)),
        ("改造老旧小区雨污管网", ("区水务局",), ()),
    ]
    tasks = read_source(path).plans[0].tasks
    assert [task.deadline_raw for task in tasks] == [None, None]  # a date in the progress is what was done
    assert tasks[0].content is not None and "新建社区养老服务中心3个" in tasks[0].content


def test_labelled_lines_without_a_record_label_make_no_blocks(tmp_path: Path):
    # Guard (holds on main too): labels alone on their lines (联系人： / 联系电话：) under a task name no record of
    # their own: blocks open with the label naming their record (项目名称, 工作任务).
    path = tmp_path / "通知.txt"
    path.write_text(
        "某县关于做好防汛工作的通知\n"
        "1.加强汛期值班值守。（县应急局牵头，县水利局配合）\n"
        "联系人：\n张三\n联系电话：\n12345678\n"
        "2.开展河道清障。（县水利局牵头）\n"
        "联系人：\n李四\n联系电话：\n87654321\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("加强汛期值班值守", ("县应急局",), ("县水利局",)),
        ("开展河道清障", ("县水利局",), ()),
    ]


def _cells(*cells: str) -> str:
    """A table copied from a web page one cell a line, a blank line after each (an empty cell: a line of nothing)."""
    return "".join(f"{cell}\n\n" for cell in cells)


_HEADER = ("序号", "工作任务", "区政府", "分管领导", "牵头单位", "配合单位", "备注")
_ROWS = (
    *("1", "建成区级智慧停车管理平台。", "刘 强", "区交通运输局", "区数据局、区公安分局", ""),
    *("2", "推进老旧小区电梯加装。", "陈 红", "区住建局", "各街道", ""),
)


def test_a_header_word_broken_after_its_government_is_one_column(tmp_path: Path):
    # gd_guangzhou_fengong_2021's habit: on main 区政府 and 分管领导 were two columns, one more than the rows have,
    # and no row was read.
    path = tmp_path / "分工.txt"
    path.write_text("某区2022年重点工作责任分工\n\n" + _cells(*_HEADER, *_ROWS), encoding="utf-8")
    assert resolved_tasks(path) == [
        ("建成区级智慧停车管理平台", ("区交通运输局",), ("区数据局", "区公安分局")),
        ("推进老旧小区电梯加装", ("区住建局",), ("各街道",)),
    ]


def test_a_column_of_districts_is_no_government_over_the_next_word(tmp_path: Path):
    # Guard: a column headed 区 (which district) is a column of its own, not the government of the next header word.
    header = ("序号", "区", "工作任务", "牵头单位", "配合单位")
    rows = (
        "1",
        "东城区",
        "建成社区养老服务中心。",
        "区民政局",
        "区卫健委",
        "2",
        "西城区",
        "改造老旧小区管网。",
        "区水务局",
        "各街道",
    )
    path = tmp_path / "分工.txt"
    path.write_text("某市2022年民生实事分工\n\n" + _cells(*header, *rows), encoding="utf-8")
    assert [title for title, _, _ in resolved_tasks(path)] == ["建成社区养老服务中心", "改造老旧小区管网"]


def test_section_rows_above_the_rows_are_no_records(tmp_path: Path):
    # gd_guangzhou_fengong_2021's habit: on main a section's name across the table (推动…。) and its numbered heading
    # ((一) over 加强…。) ended the table, and the heading was read as the one task, the rows its content.
    header = ("序号", "工作任务", "分管领导", "牵头单位", "配合单位", "备注")
    sections = ("推动城市更新提质增效。", "", "", "", "", "", "（一）", "加强基础设施建设。", "", "", "", "")
    path = tmp_path / "分工.txt"
    path.write_text(
        "某区2022年重点工作责任分工\n\n" + _cells(*header, *sections, *_ROWS),
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("建成区级智慧停车管理平台", ("区交通运输局",), ("区数据局", "区公安分局")),
        ("推进老旧小区电梯加装", ("区住建局",), ("各街道",)),
    ]


def test_a_last_row_cut_short_lacks_its_last_cells(tmp_path: Path):
    # gd_guangzhou_fengong_2021's habit: on main the last row, its 备注 cut off by the copy, had its supporting units
    # read as its 备注.
    header = ("序号", "工作任务", "分管领导", "牵头单位", "配合单位", "备注")
    supporting = "区发展改革局、区财政局、区住建局、区市场监管局、区生态环境分局,各街道办事处"
    cut = ("2", "实施背街小巷环境整治。", "刘 强", "区城管局", supporting)
    path = tmp_path / "分工.txt"
    # The copy ends with the last cell's text, no line break after it.
    path.write_text("某区2022年重点工作责任分工\n\n" + _cells(*header, *_ROWS[:6], *cut).rstrip("\n"), encoding="utf-8")
    assert resolved_tasks(path)[-1] == (
        "实施背街小巷环境整治",
        ("区城管局",),
        ("区发展改革局", "区财政局", "区住建局", "区市场监管局", "区生态环境分局", "各街道办事处"),
    )


def test_owned_sub_items_under_a_group_heading_are_the_records(tmp_path: Path):
    # sc_tuopin_zhenggai_2018's habit: on main the heading 1.… titled the first record, its (1) problem the content,
    # and (2)…方面。 titled the second with its ① problem as content.
    path = tmp_path / "整改方案.txt"
    path.write_text(
        "某乡镇环境问题整改方案\n"
        "一、整改内容\n"
        "1.环境卫生问题\n"
        "(1)部分村庄垃圾收运不及时,存在积存垃圾。(牵头单位:环卫所;责任单位:各村委会)\n"
        "整改措施:增加收运频次,每日清运一次。\n"
        "(2)河道管护方面。\n"
        "①个别河段漂浮物清理不及时,岸坡有垃圾堆放。(牵头单位:水务站、农业服务中心;责任单位:沿河各村)\n"
        "整改措施:落实河段保洁责任人,每周巡河两次。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("部分村庄垃圾收运不及时,存在积存垃圾", ("环卫所",), ("各村委会",)),
        ("个别河段漂浮物清理不及时,岸坡有垃圾堆放", ("水务站", "农业服务中心"), ("沿河各村",)),
    ]
    tasks = read_source(path).plans[0].tasks
    assert tasks[1].content is not None and "河道管护方面" in tasks[1].content and "每周巡河两次" in tasks[1].content


def test_a_sub_item_without_owners_under_the_heading_keeps_the_paragraph_whole(tmp_path: Path):
    # Guard (holds on main too): sub-items that do not all close with owners are the content of their item.
    path = tmp_path / "方案.txt"
    path.write_text(
        "某乡镇环境整治方案\n"
        "一、主要任务\n"
        "1.开展村庄清洁行动。\n"
        "(1)清理村内积存垃圾。\n"
        "(2)整治乱堆乱放。(牵头单位:环卫所;责任单位:各村委会)\n",
        encoding="utf-8",
    )
    assert [title for title, _, _ in resolved_tasks(path)] == ["开展村庄清洁行动"]


def test_a_form_s_labels_run_on_after_their_values_are_cut_apart(tmp_path: Path):
    # yn_chuxiong_zhenggai's habit: on main the owner text ran on through 责任人： into the measures and the deadline
    # through 整改措施：.
    path = tmp_path / "整改清单.txt"
    path.write_text(
        "某县环保督察反馈问题整改清单\n"
        "一、监管不到位\n"
        "(一)部分企业危险废物台账不规范,未按要求申报。\n"
        "责任单位:县生态环境局、县工信局,各乡镇责任人:县生态环境局主要负责人整改时限:2021年6月底前"
        "整改措施:开展危险废物规范化管理培训。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("部分企业危险废物台账不规范,未按要求申报", ("县生态环境局",), ("县工信局", "各乡镇"))
    ]
    assert read_source(path).plans[0].tasks[0].deadline_raw == "2021年6月底前"


def test_a_title_section_and_problem_run_on_in_one_line_are_cut_apart(tmp_path: Path):
    # yn_chuxiong_zhenggai's habit: on main the problem was no record; the one task was titled by the line above.
    path = tmp_path / "整改清单.txt"
    path.write_text(
        "反馈意见整改汇编\n"
        "某县环保督察反馈问题整改清单一、监管不到位(一)部分企业危险废物台账不规范,未按要求申报。\n"
        "责任单位:县生态环境局、县工信局\n"
        "整改时限:2021年6月底前\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("部分企业危险废物台账不规范,未按要求申报", ("县生态环境局",), ("县工信局",))]


def test_a_rectification_target_before_the_owner_lines_belongs_to_the_problem(tmp_path: Path):
    # yn_chuxiong_zhenggai's habit: on main the 整改目标： line was read as a task of its own, titled 整改目标.
    path = tmp_path / "整改清单.txt"
    path.write_text(
        "某县环保督察反馈问题整改清单\n"
        "一、监管不到位\n"
        "(一)部分企业危险废物台账不规范,未按要求申报。\n"
        "整改目标:台账规范率达到100%。\n"
        "责任单位:县生态环境局、县工信局\n"
        "整改时限:2021年6月底前\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("部分企业危险废物台账不规范,未按要求申报", ("县生态环境局",), ("县工信局",))]
    task = read_source(path).plans[0].tasks[0]
    assert task.content is not None and "台账规范率达到100%" in task.content


def test_a_deadline_run_on_after_the_closing_owner_sentence_is_set_apart(tmp_path: Path):
    # js_zhonglou_ljfl_2023's habit: on main 全年 glued to the owner sentence hid it (no owners, no deadline), and
    # 镇（街道）, the towns and sub-districts named by their level, was no owner.
    path = tmp_path / "任务清单.txt"
    path.write_text(
        "某区2023年生活垃圾分类工作任务清单\n"
        "1、推进垃圾分类进小区,新增示范小区20个。镇(街道)、区城管局等按职责分工负责全年\n"
        "2、开展垃圾分类宣传进校园活动。区教育局负责2023年6月底前\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("推进垃圾分类进小区,新增示范小区20个", ("镇（街道）", "区城管局"), ()),
        ("开展垃圾分类宣传进校园活动", ("区教育局",), ()),
    ]
    assert [task.deadline_raw for task in read_source(path).plans[0].tasks] == ["全年", "2023年6月底前"]


def test_an_owner_sentence_ending_in_a_unit_keeps_its_last_name(tmp_path: Path):
    # Guard (holds on main too): an owner sentence with nothing run on after it is read whole.
    path = tmp_path / "任务清单.txt"
    path.write_text(
        "某区2023年生活垃圾分类工作任务清单\n1、推进垃圾分类进小区,新增示范小区20个。区城管局牵头,各街道配合\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("推进垃圾分类进小区,新增示范小区20个", ("区城管局",), ("各街道",))]
