"""Main tasks written as paragraphs: the seed plans, and layouts of our own making."""

from __future__ import annotations

from pathlib import Path

import pytest

from wufei.importers.records import ListKind
from wufei.importers.service import read_source
from wufei.importers.text.paragraphs import chinese_numeral, main_tasks

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


HENGSHUI = "衡政办字〔2022〕57号.txt"
BAODING = "保政办函〔2022〕50号.txt"
HEBEI = "河北省十四五时期无废城市建设工作方案.txt"
EVALUATION = "衡水市生态环境保护十四五规划中期评估.txt"
CELLS_REPLY = "衡环办函〔2025〕28号.txt"


# --- seed 001: numbered tasks without owners ---------------------------------------------


def test_hengshui_body_has_31_numbered_main_tasks_without_owners():
    tasks = main_tasks(seed_lines(HENGSHUI))
    assert [task.number for task in tasks] == [str(n) for n in range(1, 32)]
    assert all(task.list_kind is ListKind.MAIN for task in tasks)
    assert all(task.owners_raw is None and task.implementers_raw is None for task in tasks)


def test_hengshui_task_splits_title_from_content_at_the_first_full_stop():
    lines = seed_lines(HENGSHUI)
    first = main_tasks(lines)[0]
    assert first.title == "完善固体废物管理制度"
    assert first.content.startswith("围绕加强固体废物源头分类")
    assert first.content.endswith("建立装修垃圾台账管理制度。")
    assert lines[first.line - 1].startswith("1.完善固体废物管理制度")


def test_hengshui_tasks_carry_their_section_heading_and_numbers_run_on_across_sections():
    tasks = main_tasks(seed_lines(HENGSHUI))
    fourth = tasks[3]
    assert fourth.number == "4"
    assert fourth.list_name == "发展生态循环农业，实现农废全量利用"
    assert tasks[30].list_name == "强化固废分类监管，完善监管体系"
    assert tasks[30].title == "完善再生资源回收体系建设"


def test_hengshui_targets_in_the_general_requirements_are_not_tasks():
    titles = [task.title for task in main_tasks(seed_lines(HENGSHUI))]
    assert "总体目标" not in titles


# --- seed 002: inline tasks with bracketed owners ------------------------------------------


def test_baoding_has_39_inline_tasks_each_with_a_lead_department():
    tasks = main_tasks(seed_lines(BAODING))
    assert len(tasks) == 39
    assert all("牵头部门" in task.owners_raw for task in tasks)
    assert tasks[0].number == "1.1"
    assert tasks[-1].number == "8.3"


def test_baoding_task_owner_bracket_alone_on_its_line_closes_the_paragraph():
    first = main_tasks(seed_lines(BAODING))[0]
    assert first.title == "推动产业结构调整"
    assert first.content.endswith("步伐。")
    assert first.owners_raw == (
        "牵头部门：市发展和改革委员会；责任部门：市生态环境局、市工业和信息化局、市科技局，"
        "各县（市、区）政府、开发区管委会"
    )


def test_baoding_owner_bracket_broken_over_lines_and_closed_by_an_ascii_bracket_is_rebuilt():
    tasks = main_tasks(seed_lines(BAODING))
    recycling = next(task for task in tasks if task.title == "推进再生资源高效利用")
    assert recycling.number == "2.3"
    assert recycling.owners_raw == (
        "牵头部门：市商务局、市发展和改革委员会；责任部门：市工业和信息化局、市生态环境局、市科技局，"
        "各县（市、区）政府、开发区管委会"
    )
    assert recycling.content.endswith("目标。")


def test_baoding_paragraph_broken_mid_word_across_blank_lines_is_joined():
    tasks = main_tasks(seed_lines(BAODING))
    mines = next(task for task in tasks if task.title == "加强绿色矿山建设")
    assert "小型固体生产矿山按照绿色矿山标准有序推进" in mines.content
    assert mines.number == "1.3"


# --- seed 003: numbered tasks with owners in a closing parenthesis --------------------------


def test_hebei_has_31_tasks_numbered_by_section_with_provincial_owners():
    tasks = main_tasks(seed_lines(HEBEI))
    assert len(tasks) == 31
    assert all(task.owners_raw.startswith("省") for task in tasks)
    assert [task.number for task in tasks[:4]] == ["1.1", "1.2", "1.3", "2.1"]
    assert tasks[-1].number == "10.3"


def test_hebei_first_task_separates_owners_from_implementers():
    first = main_tasks(seed_lines(HEBEI))[0]
    assert first.title == "健全污染防治内生机制"
    assert first.owners_raw == (
        "省生态环境厅、省工业和信息化厅、省住房城乡建设厅、省农业农村厅、省政务服务管理办公室等部门按职责分工负责"
    )
    assert first.implementers_raw == "各市政府、雄安新区管委会"


def test_hebei_implementers_announced_once_apply_to_every_following_task():
    tasks = main_tasks(seed_lines(HEBEI))
    assert all(task.implementers_raw == "各市政府、雄安新区管委会" for task in tasks)


def test_hebei_citations_in_parentheses_stay_in_the_content():
    tasks = main_tasks(seed_lines(HEBEI))
    first = tasks[0]
    assert "《河北省固体废物污染环境防治条例》" in first.content
    assert "负责" not in first.content


def test_hebei_owner_parenthesis_wrapped_inside_a_word_is_rebuilt():
    tasks = main_tasks(seed_lines(HEBEI))
    statistics = tasks[2]
    assert statistics.owners_raw == (
        "省发展改革委、省工业和信息化厅、省生态环境厅、省住房城乡建设厅、省农业农村厅、省统计局等按职责分工负责"
    )
    single = next(task for task in tasks if task.title == "推进建筑垃圾源头减量")
    assert single.owners_raw == "省住房城乡建设厅负责"
    assert single.number == "4.1"


# --- documents without a task part ---------------------------------------------------------


@pytest.mark.parametrize("name", [EVALUATION, CELLS_REPLY])
def test_documents_without_a_main_task_part_give_no_tasks(name):
    assert main_tasks(seed_lines(name)) == []


# --- layouts of our own making -------------------------------------------------------------


def test_another_citys_inline_tasks_with_ascii_brackets_and_colons_are_read():
    # Prose without an owner bracket before a heading is not a task. (Before another
    # task it could not be told apart from the task's first lines: blank lines and
    # full stops at line ends occur inside tasks in this layout.)
    lines = [
        "二、主要任务",
        "",
        "(一)推进工业减量",
        "推进清洁生产。鼓励企业开展审核，到2025年",
        "",
        "实现全覆盖。[牵头部门:市工信局;责任部门:市生态环境局]",
        "加强园区管理。完善园区台账。[牵头单位:市发改委;配合单位:各县(市、区)政府]",
        "这一段只是说明，没有责任部门。",
        "(二)完善监管",
        "强化执法。开展专项检查。【牵头部门：市生态环境局】",
        "三、保障措施",
        "加强领导。[牵头部门:市政府办]",
    ]
    tasks = main_tasks(lines)
    assert [(task.number, task.title) for task in tasks] == [
        ("1.1", "推进清洁生产"),
        ("1.2", "加强园区管理"),
        ("2.1", "强化执法"),
    ]
    assert tasks[0].content == "鼓励企业开展审核，到2025年实现全覆盖。"
    assert tasks[0].owners_raw == "牵头部门：市工信局；责任部门：市生态环境局"
    assert tasks[0].line == 4
    assert tasks[1].owners_raw == "牵头单位：市发改委；配合单位：各县（市、区）政府"
    assert tasks[2].list_name == "完善监管"


def test_tasks_numbered_with_an_enumeration_comma_are_read():
    lines = [
        "三、重点任务",
        "（一）源头减量",
        "1、推广绿色设计。支持企业开展绿色设计。",
        "2、推进清洁生产。实施强制性审核。",
        "（二）资源利用",
        "3、提升秸秆利用。建设收储网络。",
        "四、保障措施",
    ]
    tasks = main_tasks(lines)
    assert [(task.number, task.title, task.list_name) for task in tasks] == [
        ("1", "推广绿色设计", "源头减量"),
        ("2", "推进清洁生产", "源头减量"),
        ("3", "提升秸秆利用", "资源利用"),
    ]
    assert [task.line for task in tasks] == [3, 4, 6]


def test_owner_parenthesis_wrapped_over_lines_is_the_last_one_of_the_task():
    lines = [
        "二、主要任务",
        "（一）健全制度。",
        "1.完善统计。依据《办法》（市政〔2022〕3号）开展统计，",
        "",
        "建立台账。（市生态环境局、市",
        "",
        "统计局按职责分工负责）",
        "2.加强执法。开展联合执法。（市生态环境局牵头，市公安局配合）",
        "（二）推进利用。",
        "1.推广利用。建设示范",
        "2.5万吨项目。（市发展改革委负责，各县市区政府负责落实）",
        "三、实施步骤",
    ]
    tasks = main_tasks(lines)
    assert [task.number for task in tasks] == ["1.1", "1.2", "2.1"]
    assert tasks[0].content == "依据《办法》（市政〔2022〕3号）开展统计，建立台账。"
    assert tasks[0].owners_raw == "市生态环境局、市统计局按职责分工负责"
    assert tasks[1].owners_raw == "市生态环境局牵头，市公安局配合"
    # A wrapped line starting with "2.5" is not task 2.
    assert tasks[2].content == "建设示范2.5万吨项目。"
    assert tasks[2].owners_raw == "市发展改革委负责"
    assert tasks[2].implementers_raw == "各县市区政府"
    assert tasks[0].implementers_raw is None


def test_a_number_out_of_sequence_at_a_line_start_continues_the_task():
    lines = [
        "二、主要任务",
        "1.建设设施。到2025年建成",
        "3.处理中心。",
        "2.完善制度。建立台账。",
    ]
    tasks = main_tasks(lines)
    assert [(task.number, task.title) for task in tasks] == [("1", "建设设施"), ("2", "完善制度")]
    assert tasks[0].content == "到2025年建成3.处理中心。"


def test_a_document_without_a_main_task_heading_gives_no_tasks():
    assert main_tasks(["一、总体要求", "1.总体目标。到2025年建成。", "二、保障措施"]) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("二十三", 23), ("二〇二二", 2022), ("甲", None)],
)
def test_chinese_numerals_read_as_numbers(text, value):
    assert chinese_numeral(text) == value


def test_an_owner_bracket_with_its_deadline_label_after_it_on_the_line_gives_clean_owners(tmp_path):
    plan = tmp_path / "某县重点任务分工.txt"
    plan.write_text(
        "某县重点任务分工\n"
        "1.推进一般工业固体废物综合利用。（牵头单位：县工信局）\n"
        "2.建成餐厨垃圾处理设施。（牵头单位：县城管局；配合单位：县财政局）完成时限：2024年12月底前\n"
        "3.开展无废学校创建。（牵头单位：县教育局）完成时限：2025年6月底前\n",
        encoding="utf-8",
    )
    [parsed] = read_source(plan).plans
    assert [(t.leads, t.supporting, t.deadline_raw) for t in parsed.tasks] == [
        (("县工信局",), (), None),
        (("县城管局",), ("县财政局",), "2024年12月底前"),
        (("县教育局",), (), "2025年6月底前"),
    ]
