"""records_from_tables on the seed documents and on small layouts of our own."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from wufei.importers.records import IndicatorRecord, ListKind, TaskRecord
from wufei.importers.text.table_records import TableRecords, records_from_tables
from wufei.importers.text.tables import find_tables

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI_PLAN = "衡政办字〔2022〕57号.txt"  # seed 001
BAODING_PLAN = "保政办函〔2022〕50号.txt"  # seed 002
HENGSHUI_CELLS = "衡环办函〔2025〕28号.txt"  # seed 000


def seed_records(name: str) -> TableRecords:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return records_from_tables(find_tables(lines), name)


def records_of(text: str) -> TableRecords:
    return records_from_tables(find_tables(text.split("\n")), "layout.txt")


@pytest.fixture(scope="module")
def hengshui() -> TableRecords:
    return seed_records(HENGSHUI_PLAN)


@pytest.fixture(scope="module")
def baoding() -> TableRecords:
    return seed_records(BAODING_PLAN)


def indicators_numbered(records: TableRecords, number: str) -> list[IndicatorRecord]:
    return [i for i in records.indicators if i.number == number]


def task(records: TableRecords, kind: ListKind, number: str) -> TaskRecord:
    return next(t for t in records.tasks if t.list_kind == kind and t.number == number)


# ------------------------------------------------------------ seed 001


def test_hengshui_yields_59_indicators_numbered_1_to_58_with_10_twice(hengshui):
    numbers = [i.number for i in hengshui.indicators]
    assert len(numbers) == 59
    assert sorted(set(numbers), key=int) == [str(n) for n in range(1, 59)]
    assert Counter(numbers)["10"] == 2
    assert [i.name for i in indicators_numbered(hengshui, "10")] == [
        "主城区和县城生活垃圾清运量",
        "农村地区生活垃圾清运量",
    ]


def test_hengshui_indicator_values_are_kept_as_printed(hengshui):
    four = indicators_numbered(hengshui, "4")[0]
    assert four.baseline_raw == "15（2021年）"
    assert four.baseline_year_default == 2020 and four.target_year == 2025
    six = indicators_numbered(hengshui, "6")[0]
    assert six.target_raw == "完成省定任务"
    assert six.baseline_raw == "/"
    eight = indicators_numbered(hengshui, "8")[0]
    assert eight.baseline_raw == "99.1（2021年）"
    assert eight.owners_raw.startswith("牵头单位门：市住房城乡建设局；配合单位：")
    assert eight.line == 232
    assert indicators_numbered(hengshui, "21")[0].baseline_raw == "0.8（kg/亩）"


def test_hengshui_marks_are_taken_out_of_the_name(hengshui):
    one = indicators_numbered(hengshui, "1")[0]
    assert (one.name, one.marks) == ("一般工业固体废物产生强度", "★")
    assert indicators_numbered(hengshui, "23")[0].marks == "※"
    assert indicators_numbered(hengshui, "39")[0].marks == "✦"
    assert indicators_numbered(hengshui, "4")[0].marks == ""


def test_hengshui_levels_fill_down_from_merged_cells(hengshui):
    two = indicators_numbered(hengshui, "2")[0]
    assert (two.level1, two.level2) == ("固体废物源头减量", "工业源头减量")
    seven = indicators_numbered(hengshui, "7")[0]
    assert (seven.level1, seven.level2) == ("固体废物源头减量", "农业源头减量")
    fifty_eight = indicators_numbered(hengshui, "58")[0]
    assert (fifty_eight.level1, fifty_eight.level2) == ("群众获得感", "群众获得感")
    assert fifty_eight.data_source == "第三方调查"


def test_hengshui_definitions_attach_to_indicators_of_the_same_name(hengshui):
    defined = [i for i in hengshui.indicators if i.definition]
    assert len(defined) == 55
    missing = {i.name for i in hengshui.indicators if not i.definition}
    # 附件2 prints no text for these: 农村生活垃圾清运量 has an empty cell, and one
    # definition (merged over four rows in the original) follows 无废集贸市场 only.
    assert missing == {
        "农村地区生活垃圾清运量",
        "开展“无废学校”的数量",
        "开展“无废机关”的数量",
        "开展“无废企事业单位”数量",
    }
    one = indicators_numbered(hengshui, "1")[0].definition
    assert one.startswith("指标解释：指纳入固体废物申报登记范围的工业企业")
    assert one.endswith("计算方法：一般工业固体废物产生强度=一般工业固体废物产生量÷工业增加值。")


def test_hengshui_definitions_of_the_unaligned_half_go_to_the_right_indicator(hengshui):
    assert indicators_numbered(hengshui, "14")[0].definition.startswith("指标解释：指工业危险废物综合利用量")
    assert indicators_numbered(hengshui, "24")[0].definition.endswith("×100%。")
    assert indicators_numbered(hengshui, "51")[0].definition.startswith(
        "指标解释：指落实新修订《固体废物污染环境防治法》"
    )
    assert indicators_numbered(hengshui, "53")[0].definition.endswith("线索数量×100%。")
    assert "计算方式" in indicators_numbered(hengshui, "55")[0].definition


def test_hengshui_definition_under_a_longer_name_matches_by_prefix(hengshui):
    # 附件1 says 城市工业领域重点行业碳排放强度, 附件2 adds 降低幅度.
    assert indicators_numbered(hengshui, "6")[0].definition.startswith("指标解释：指城市钢铁")


def test_hengshui_yields_54_system_tasks_by_list(hengshui):
    kinds = Counter(t.list_kind for t in hengshui.tasks)
    assert kinds[ListKind.INSTITUTION] == 17
    assert kinds[ListKind.TECHNOLOGY] == 12
    assert kinds[ListKind.MARKET] == 12
    assert kinds[ListKind.REGULATION] == 13
    assert kinds[ListKind.PROJECT] == 27
    assert kinds[ListKind.MAIN] == 0
    assert {t.list_name for t in hengshui.tasks if t.list_kind == ListKind.MARKET} == {"市场体系"}


def test_hengshui_system_task_fields(hengshui):
    first = task(hengshui, ListKind.INSTITUTION, "1")
    assert first.title == "建筑垃圾资源化利用技术推广"
    assert first.category == "一般工业固体废物"
    assert first.owners_raw.startswith("牵头单位：市城管综合行政执法局、市工业和信息化局；")
    assert first.content.startswith("进一步加快资源化利用的技术创新")
    assert first.deadline_raw == "2025年"
    assert first.responsible_entity is None
    assert first.line == 1047
    second = task(hengshui, ListKind.INSTITUTION, "2")
    assert second.category == "一般工业固体废物"  # filled down
    annual = task(hengshui, ListKind.TECHNOLOGY, "5")
    assert annual.deadline_raw == "完成年度任务"
    assert task(hengshui, ListKind.MARKET, "1").deadline_raw == "持续推进"
    broken = task(hengshui, ListKind.REGULATION, "4")
    assert broken.owners_raw == "牵头单位：市生态环境局；配合单位：各县市区人民政府、衡水高新区管委会、滨湖新区管委会"


def test_hengshui_project_fields(hengshui):
    first = task(hengshui, ListKind.PROJECT, "1")
    assert first.owners_raw == "市商务局、市供销社、市生态环境局、市发展改革委，冀州区人民政府"
    assert first.responsible_entity == "河北华科再生资源利用有限公司"
    assert first.deadline_raw == "2022年底"
    second = task(hengshui, ListKind.PROJECT, "2")
    assert second.title == "废旧塑料回收"  # merged name cell
    assert second.category == "一般工业固废"
    assert second.responsible_entity == "衡水鸿日再生资源利用有限公司"
    assert task(hengshui, ListKind.PROJECT, "4").responsible_entity is None
    assert task(hengshui, ListKind.PROJECT, "27").line == 1691


def test_hengshui_has_no_warnings(hengshui):
    assert hengshui.warnings == []


# ------------------------------------------------------------ seed 002


def test_baoding_yields_65_indicators_numbered_1_to_65(baoding):
    assert [i.number for i in baoding.indicators] == [str(n) for n in range(1, 66)]
    assert baoding.warnings == []


def test_baoding_header_years_and_values(baoding):
    two = indicators_numbered(baoding, "2")[0]
    assert two.baseline_raw == "0.012（2021年）"
    assert (two.baseline_year_default, two.target_year) == (2020, 2025)
    assert two.unit == "吨/万元"
    assert indicators_numbered(baoding, "14")[0].target_raw == "2025年达到峰值"
    assert indicators_numbered(baoding, "65")[0].target_raw == ">90"


def test_baoding_two_names_in_one_cell_are_shared_with_the_blank_row_below(baoding):
    assert indicators_numbered(baoding, "56")[0].name == "主要参与制定固体废物资源化、无害化技术标准与规范数量"
    fifty_seven = indicators_numbered(baoding, "57")[0]
    assert fifty_seven.name == "固体废物回收利用处置关键技术工艺、设备研发及成果转化"
    assert (fifty_seven.unit, fifty_seven.owners_raw) == ("项", "市科技局")


def test_baoding_stray_space_inside_a_name_is_not_a_split(baoding):
    thirty_nine = indicators_numbered(baoding, "39")[0]
    assert (thirty_nine.name, thirty_nine.marks) == ("一般工业固体废物贮存处置下降幅", "★")


def test_baoding_marks_with_a_space_before_them(baoding):
    five = indicators_numbered(baoding, "5")[0]
    assert (five.name, five.marks) == ("开展“无废园区”建设的数量", "△")


def test_baoding_space_separated_units_become_a_list(baoding):
    one = indicators_numbered(baoding, "1")[0]
    assert one.data_source == "市生态环境局、市统计局"
    assert indicators_numbered(baoding, "58")[0].owners_raw == (
        "市生态环境局、市农业农村局、市城市管理综合行政执法局、市商务局、市卫生健康委"
    )
    assert indicators_numbered(baoding, "44")[0].owners_raw == "市“无废城市”建设工作领导小组"


def test_baoding_levels_fill_down_and_reset_under_a_new_first_level(baoding):
    ten = indicators_numbered(baoding, "10")[0]
    assert (ten.level1, ten.level2) == ("农业源头减量", "农业源头减量")
    twenty_nine = indicators_numbered(baoding, "29")[0]
    assert (twenty_nine.level1, twenty_nine.level2) == ("工业固体废物资源化利用", "建筑垃圾资源化利用")
    # 002 prints 监管体系建设 in the first-level column and leaves the second blank.
    fifty_eight = indicators_numbered(baoding, "58")[0]
    assert (fifty_eight.level1, fifty_eight.level2) == ("监管体系建设", None)


# ------------------------------------------------------------ seed 000


def test_cells_reply_yields_nine_cells():
    records = seed_records(HENGSHUI_CELLS)
    assert len(records.cells) == 9
    first = records.cells[0]
    assert (first.number, first.category, first.count_raw, first.status, first.lead_raw, first.line) == (
        "1",
        "无废学校",
        "30所",
        "已完成",
        "市教育局",
        24,
    )
    assert records.cells[1].status == "持续推进中"
    assert records.indicators == [] and records.tasks == []


# ------------------------------------------------------- layouts of our own

TASKS_IN_ANOTHER_ORDER = """\
附件2
某市“无废城市”建设任务清单（技术体系）

\t序号
\t任务名称
\t完成时限
\t责任主体
\t任务类别
\t建设内容

\t1
\t推广建筑垃圾再生产品
\t2023年底前
\t市住房城乡建设局
\t建筑垃圾
\t在政府投资项目中优先使用
再生产品。

\t2
\t建设再生资源分拣中心
\t持续推进
\t市商务局、市供销社按职责分工负责
\t
\t
"""


def test_task_list_with_a_different_column_order():
    records = records_of(TASKS_IN_ANOTHER_ORDER)
    assert records.warnings == []
    first, second = records.tasks
    assert (first.list_kind, first.list_name) == (ListKind.TECHNOLOGY, "技术体系")
    assert (first.number, first.title, first.deadline_raw, first.owners_raw, first.category) == (
        "1",
        "推广建筑垃圾再生产品",
        "2023年底前",
        "市住房城乡建设局",
        "建筑垃圾",
    )
    assert first.content == "在政府投资项目中优先使用再生产品。"
    assert (second.deadline_raw, second.category, second.content) == ("持续推进", "建筑垃圾", None)
    assert [first.line, second.line] == [11, 19]


def test_task_list_without_a_system_in_its_caption_is_a_main_list():
    text = "重点任务清单\n\n序号\t任务名称\t责任主体\t完成期限\n1\t开展宣传\t市委宣传部\t持续推进\n"
    (only,) = records_of(text).tasks
    assert (only.list_kind, only.list_name, only.deadline_raw) == (ListKind.MAIN, "重点任务清单", "持续推进")


SECOND_CITY_INDICATORS = """\
附件
某市“十四五”时期“无废城市”建设指标体系
序号\t指标名称\t计量 单位\t基准值(2021年)\t目标值（2025年）\t责任单位\t数据来源
1\t一般工业固体废物产生强度 ★\t吨/万元\t0.8\t≤0.7\t市生态环境局 市统计局\t市统计局
2\t农膜回收率※\t%\t85 (2020年)\t>90 \t市农业农村局
3\t绿色 矿山 建成率\t%\t/\t100\t市自然资源和规划局\t
\t\t\t\t\t\t
注：★为必选指标。
"""


def test_second_city_indicators_with_mixed_punctuation_and_stray_spaces():
    records = records_of(SECOND_CITY_INDICATORS)
    assert records.warnings == []
    one, two, three = records.indicators
    assert (one.number, one.name, one.marks, one.unit) == ("1", "一般工业固体废物产生强度", "★", "吨/万元")
    assert (one.baseline_raw, one.baseline_year_default, one.target_raw, one.target_year) == ("0.8", 2021, "≤0.7", 2025)
    assert (one.owners_raw, one.data_source) == ("市生态环境局、市统计局", "市统计局")
    assert (two.marks, two.baseline_raw, two.target_raw, two.data_source) == ("※", "85（2020年）", ">90", None)
    assert three.name == "绿色矿山建成率"
    assert (one.level1, one.level2) == (None, None)
    assert [i.line for i in records.indicators] == [4, 5, 6]


INDICATORS_WITH_PAGE_BREAK = """\
序号\t一级指标\t二级指标\t三级指标\t现状值\t目标值
1\t源头减量\t工业\t产生强度★\t0.5\t0.4
2\t\t\t绿色工厂数量\t15（2021年）\t30

序号\t一级指标\t二级指标\t三级指标\t现状值\t目标值
3\t\t农业\t示范场占比\t0.5\t1.7
\t\t\t第二个示范场占比\t/\t2
4\t利用\t\t综合利用率★\t49\t60
"""


def test_indicator_header_repeated_after_a_page_break_keeps_filling_down():
    records = records_of(INDICATORS_WITH_PAGE_BREAK)
    assert [(i.number, i.level1, i.level2, i.name) for i in records.indicators] == [
        ("1", "源头减量", "工业", "产生强度"),
        ("2", "源头减量", "工业", "绿色工厂数量"),
        ("3", "源头减量", "农业", "示范场占比"),
        ("3", "源头减量", "农业", "第二个示范场占比"),  # a blank 序号 under a merged cell
        ("4", "利用", None, "综合利用率"),
    ]
    assert [i.line for i in records.indicators] == [2, 3, 6, 7, 8]
    assert records.indicators[0].baseline_year_default is None


def test_blank_name_with_no_names_to_share_is_skipped_with_a_warning():
    text = "序号\t三级指标\t目标值\n1\t利用率 回收率\t100\n2\t\t50\n"
    records = records_of(text)
    # The parts are shorter than six characters: not a split.
    assert [i.name for i in records.indicators] == ["利用率回收率"]
    assert records.warnings == ["layout.txt 第3行：指标 2 没有指标名称，已跳过"]


DEFINITIONS = """\
\t序号
\t三级指标
\t现状值
\t目标值

\t1
\t秸秆综合利用率★
\t97
\t99

\t2
\t农膜回收率
\t86
\t99

附件2
指标解释说明

\t序号
\t一级指标
\t三级指标
\t指 标 说 明

\t1
\t利用
\t秸秆综合利用率★
\t指标解释：秸秆利用量占可收集量的比率。
计算方法：利用量÷可收集量×100%。
 \t农膜回收率
\t指标解释：农膜回收量占使用量的比率。
\t计算方法：回收量÷使用量×100%。
 \t不在指标体系中的指标
\t指标解释：无处可挂。
"""


def test_definitions_attach_by_name_even_when_rows_are_uneven():
    records = records_of(DEFINITIONS)
    straw, film = records.indicators
    assert straw.definition == "指标解释：秸秆利用量占可收集量的比率。计算方法：利用量÷可收集量×100%。"
    assert film.definition == "指标解释：农膜回收量占使用量的比率。计算方法：回收量÷使用量×100%。"
    assert records.warnings == ["layout.txt 第29行：指标说明「不在指标体系中的指标」找不到对应指标"]


PROJECTS = """\
工程项目建设清单
序号\t任务类别\t任务名称\t责任主体\t责任部门\t完成期限
1\t焚烧\t生活垃圾焚烧\t某环保能源有限公司\t市城管局，某县人民政府\t2021年底
2\t\t\t另一环保能源有限公司\t市城管局\t2022年底
3\t\t飞灰利用\t/\t市生态环境局\t2025年底
"""


def test_project_list_in_any_column_order():
    records = records_of(PROJECTS)
    one, two, three = records.tasks
    assert {t.list_kind for t in records.tasks} == {ListKind.PROJECT}
    assert (one.owners_raw, one.responsible_entity, one.category) == (
        "市城管局，某县人民政府",
        "某环保能源有限公司",
        "焚烧",
    )
    assert (two.title, two.category, two.responsible_entity) == ("生活垃圾焚烧", "焚烧", "另一环保能源有限公司")
    assert three.responsible_entity is None
    assert one.list_name == "工程项目建设清单"


def test_cell_table_in_another_column_order():
    text = "序号\t牵头部门\t类别\t推进情况\t数量\n1\t市教育局\t无废学校\t已完成\t30所\n"
    (cell,) = records_of(text).cells
    assert (cell.category, cell.count_raw, cell.status, cell.lead_raw) == ("无废学校", "30所", "已完成", "市教育局")


def test_unrecognised_table_is_reported_not_imported():
    records = records_of("序号\t姓名\t电话\n1\t张三\t123\n")
    assert records.indicators == [] and records.tasks == [] and records.cells == []
    assert records.warnings == ["layout.txt 第1行：表头未识别，表格未导入：序号、姓名、电话"]
