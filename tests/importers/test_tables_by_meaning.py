"""Tables read by what their headers mean, as structured readers (Word, PDF, web pages) give them."""

from __future__ import annotations

import pytest

from wufei.importers.document import GRID, Document, Row, Table
from wufei.importers.records import ImportError_, ListKind
from wufei.importers.text.document import interpret
from wufei.importers.text.table_records import records_from_tables

FIRST_LEADS = "first_leads"


def grid(header: list[str], *rows: list[str | None], caption: tuple[str, ...] = (), number: int = 1) -> Table:
    """A table as a structured reader gives it: every row with its place, empty cells None."""
    return Table(
        header=header,
        rows=[
            Row(
                cells=[c or None for c in cells], line=3, raw=[c or None for c in cells], where=f"表{number}第{k + 2}行"
            )
            for k, cells in enumerate(rows)
        ],
        caption=list(caption),
        start_line=3,
        layout=GRID,
        where=f"表{number}",
    )


def read(*tables: Table, convention: str | None = None):
    return records_from_tables(list(tables), "方案.docx", convention=convention)


def document(*tables: Table, lines: tuple[str, ...] = ()) -> Document:
    body = ["深圳市人民政府办公室", "深圳市2023年“无废城市”建设工作方案", *lines, ""]
    return Document(path="方案.docx", format="docx", lines=body, tables=list(tables))


# --- task tables ---------------------------------------------------------------------------


def test_a_task_table_without_a_number_column_numbers_its_rows():
    records = read(
        grid(
            ["工作任务", "负责部门", "时间进度"],
            ["开展垃圾分类", "市城管局", "2023年底"],
            ["建设分拣中心", "市商务局", "持续推进"],
        )
    )
    assert [(t.number, t.title, t.leads, t.deadline_raw) for t in records.tasks] == [
        ("1", "开展垃圾分类", ("市城管局",), "2023年底"),
        ("2", "建设分拣中心", ("市商务局",), "持续推进"),
    ]
    assert records.tasks[0].where == "表1第2行"
    assert records.doubts == []


def test_lead_and_supporting_columns_are_read_into_leads_and_supporting():
    records = read(
        grid(
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "推进工业固废综合利用", "市工信局、市发改委", "市生态环境局、各县市区人民政府", "2025年底前"],
        )
    )
    [task] = records.tasks
    assert task.leads == ("市工信局", "市发改委")
    assert task.supporting == ("市生态环境局", "各县市区人民政府")
    assert task.owners_raw == "牵头单位：市工信局、市发改委；配合单位：市生态环境局、各县市区人民政府"


@pytest.mark.parametrize("word", ["配合单位", "协办单位", "参与单位", "参加单位", "协助单位"])
def test_every_supporting_column_is_read_not_dropped(word):
    [task] = read(grid(["序号", "任务名称", "牵头单位", word], ["1", "开展宣传", "市委宣传部", "市教育局"])).tasks
    assert (task.leads, task.supporting) == (("市委宣传部",), ("市教育局",))


def test_zeren_danwei_alone_lists_the_lead_first_and_beside_a_lead_column_supports():
    alone = read(grid(["序号", "任务", "责任单位"], ["1", "开展宣传", "市委宣传部、市教育局"])).tasks[0]
    assert (alone.leads, alone.supporting) == (("市委宣传部",), ("市教育局",))
    with_support = read(
        grid(["序号", "任务", "责任单位", "配合单位"], ["1", "开展宣传", "市委宣传部、市教育局", "市团委"])
    )
    assert (with_support.tasks[0].leads, with_support.tasks[0].supporting) == (("市委宣传部", "市教育局"), ("市团委",))
    beside = read(grid(["序号", "任务", "牵头单位", "责任单位"], ["1", "开展宣传", "市委宣传部", "市教育局"])).tasks[0]
    assert (beside.leads, beside.supporting) == (("市委宣传部",), ("市教育局",))


def test_the_documents_convention_makes_the_first_unit_of_a_lead_column_lead():
    table = grid(
        ["序号", "任务", "责任单位"],
        ["1", "开展宣传", "市委宣传部、市教育局"],
        ["2", "宣传", "市教育局、市团委分别牵头"],
    )
    first, second = read(table, convention=FIRST_LEADS).tasks
    assert (first.leads, first.supporting) == (("市委宣传部",), ("市教育局",))
    assert (second.leads, second.supporting) == (("市教育局", "市团委"), ())


def test_a_convention_stated_once_in_the_text_applies_to_every_table_row():
    table = grid(["序号", "任务", "责任单位"], ["1", "开展宣传", "市委宣传部、市教育局"])
    plan = interpret(document(table, lines=("（除标注“分别牵头”外，列第一位为牵头单位，下同）",)))
    [task] = plan.tasks
    assert (task.leads, task.supporting) == (("市委宣传部",), ("市教育局",))


def test_the_title_is_the_heading_of_the_task_cell_and_the_rest_is_content():
    [task] = read(
        grid(
            ["序号", "重点任务", "责任单位", "完成时限"],
            ["1", "推进垃圾分类。在全市推行四分类，建成投放点。", "市城管局", "2023年"],
        )
    ).tasks
    assert (task.title, task.content) == ("推进垃圾分类", "在全市推行四分类，建成投放点。")


def test_owners_and_a_deadline_closing_the_task_cell_are_taken_out_of_it():
    [task] = read(
        grid(
            ["序号", "主要任务", "完成时限"],
            ["1", "建设分拣中心。完善回收网络。（市商务局牵头，市供销社配合，2023年底前完成）", None],
        )
    ).tasks
    assert (task.title, task.content) == ("建设分拣中心", "完善回收网络。")
    assert task.owners_raw == "市商务局牵头，市供销社配合"
    assert task.deadline_raw == "2023年底前完成"


def test_section_rows_head_the_rows_under_them_and_restarted_numbers_stay_apart():
    table = grid(
        ["序号", "重点任务", "牵头单位", "完成时限"],
        ["一、制度体系", "一、制度体系", "一、制度体系", "一、制度体系"],
        ["1", "完善统计制度", "市统计局", "2023年"],
        ["二、监管体系", None, None, None],
        ["1", "开展执法检查", "市生态环境局", "持续推进"],
    )
    first, second = read(table).tasks
    assert (first.list_kind, first.number, second.list_kind, second.number) == (
        ListKind.INSTITUTION,
        "1",
        ListKind.REGULATION,
        "1",
    )
    other = grid(
        ["序号", "重点任务", "牵头单位"],
        ["（一）源头减量", None, None],
        ["1", "甲", "市发改委"],
        ["（二）利用", None, None],
        ["1", "乙", "市工信局"],
    )
    assert [(t.number, t.category) for t in read(other).tasks] == [("1.1", "源头减量"), ("2.1", "利用")]


def test_two_task_tables_numbered_from_one_keep_apart():
    one = grid(["序号", "重点任务", "牵头单位"], ["1", "甲", "市发改委"], number=1)
    two = grid(["序号", "重点任务", "牵头单位"], ["1", "乙", "市工信局"], number=2)
    assert [t.number for t in read(one, two).tasks] == ["1.1", "2.1"]


def test_a_header_repeated_inside_a_table_is_not_a_task():
    table = grid(
        ["序号", "重点任务", "牵头单位"],
        ["1", "甲", "市发改委"],
        ["序号", "重点任务", "牵头单位"],
        ["2", "乙", "市工信局"],
    )
    assert [t.title for t in read(table).tasks] == ["甲", "乙"]


def test_a_column_nobody_understood_is_a_plan_doubt_and_its_text_stays_in_the_content():
    records = read(grid(["序号", "重点任务", "牵头单位", "督办领导"], ["1", "开展宣传。", "市委宣传部", "张三"]))
    [doubt] = records.doubts
    assert (doubt.field, doubt.text) == ("column", "督办领导")
    assert "表1" in doubt.message and "督办领导" in doubt.message
    assert records.tasks[0].content == "督办领导：张三"


def test_an_unrecognised_table_holding_data_is_a_plan_doubt_and_a_layout_box_is_not():
    data = grid(["姓名", "电话", "职务"], ["张三", "123", "科长"], number=2)
    box = grid(["附件"], ["某市“无废城市”建设工作方案"], number=3)
    records = read(data, box)
    [doubt] = records.doubts
    assert (doubt.field, doubt.text) == ("table", "姓名、电话、职务")
    assert "表2" in doubt.message
    assert len(records.warnings) == 2


def test_the_plan_carries_the_doubts_of_its_tables():
    table = grid(["序号", "重点任务", "牵头单位", "督办领导"], ["1", "开展宣传", "市委宣传部", "李四"])
    plan = interpret(document(table))
    assert [d.field for d in plan.doubts] == ["column"]


# --- indicator tables ----------------------------------------------------------------------


def test_province_value_alone_is_the_target_and_beside_a_target_is_kept_apart():
    alone = read(grid(["序号", "指标名称", "单位", "省级指标值"], ["1", "综合利用率", "%", "≥57"])).indicators[0]
    assert alone.target_raw == "≥57"
    both = read(grid(["序号", "指标名称", "省级指标值", "目标值"], ["1", "综合利用率", "≥57", "≥60"])).indicators[0]
    assert (both.target_raw, both.other_targets) == ("≥60", {"省级指标值": "≥57"})


def test_year_columns_are_the_baseline_and_the_target():
    [indicator] = read(
        grid(["序号", "指标", "单位", "2020年", "2025年", "指标属性"], ["1", "综合利用率", "%", "52", "60", "约束性"])
    ).indicators
    assert (indicator.baseline_raw, indicator.baseline_year_default) == ("52", 2020)
    assert (indicator.target_raw, indicator.target_year, indicator.attribute_raw) == ("60", 2025, "约束性")


def test_of_several_target_columns_the_latest_is_the_target_and_the_others_are_kept():
    [indicator] = read(
        grid(
            ["序号", "指标名称", "现状值", "2023年目标", "2025年目标"],
            ["1", "回收利用率", "30（2020年）", "≥35", "≥40"],
        )
    ).indicators
    assert (indicator.target_raw, indicator.target_year) == ("≥40", 2025)
    assert indicator.other_targets == {"2023年目标": "≥35"}
    assert indicator.baseline_raw == "30（2020年）"


def test_an_indicator_type_column_holds_the_attribute_or_the_category():
    table = grid(
        ["序号", "指标类型", "指标名称", "目标值"], ["1", "约束性", "利用率", "60"], ["2", "环境治理", "浓度", "35"]
    )
    first, second = read(table).indicators
    assert (first.attribute_raw, first.category) == ("约束性", None)
    assert (second.attribute_raw, second.category) == (None, "环境治理")


def test_an_indicator_table_without_numbers_and_with_heading_rows():
    table = grid(
        ["指标名称", "目标值", "责任单位"],
        ["源头减量", "源头减量", "源头减量"],
        ["产生强度", "≤0.8", "市工信局"],
        ["填埋量", "0", "市城管局"],
    )
    records = read(table)
    assert [(i.number, i.name, i.level1, i.leads) for i in records.indicators] == [
        ("1", "产生强度", "源头减量", ("市工信局",)),
        ("2", "填埋量", "源头减量", ("市城管局",)),
    ]


def test_a_document_with_nothing_but_an_unrecognised_table_is_refused_naming_the_table():
    table = grid(["姓名", "电话", "职务"], ["张三", "123", "科长"], number=2)
    with pytest.raises(ImportError_) as refused:
        interpret(document(table))
    assert "表2" in str(refused.value) and "姓名、电话、职务" in str(refused.value)
