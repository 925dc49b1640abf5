"""Table shapes of published task and indicator tables beyond the seeds (made-up rows in their style)."""

from __future__ import annotations

from wufei.importers.document import GRID, Row, Table
from wufei.importers.text.table_records import records_from_tables
from wufei.indicators.units import unit_in_name


def grid(header: list[str], *rows: list[str | None]) -> Table:
    return Table(
        header=header,
        rows=[
            Row(cells=[c or None for c in cells], line=3, raw=[c or None for c in cells], where=f"表1第{k + 2}行")
            for k, cells in enumerate(rows)
        ],
        caption=[],
        start_line=3,
        layout=GRID,
        where="表1",
    )


def read(table: Table):
    return records_from_tables([table], "方案.docx")


def test_a_lone_fuze_bumen_column_lists_the_lead_first():
    [task] = read(
        grid(
            ["序号", "工作任务", "负责部门", "时间进度"],
            ["1", "建设餐厨垃圾处理厂", "县住建局、县发改局，各乡镇", "2024年底前"],
        )
    ).tasks
    assert (task.leads, task.supporting) == (("县住建局",), ("县发改局", "各乡镇"))
    assert task.deadline_raw == "2024年底前"


def test_a_table_of_targets_with_their_owners_is_a_task_table():
    records = read(
        grid(
            ["序号", "2023年预期目标", "责任单位"],
            ["1", "规模以上工业增加值增长8%左右", "县经信局"],
            ["2", "城镇登记失业率控制在4%以内", "县人社局"],
        )
    )
    assert [(t.number, t.title, t.leads) for t in records.tasks] == [
        ("1", "规模以上工业增加值增长8%左右", ("县经信局",)),
        ("2", "城镇登记失业率控制在4%以内", ("县人社局",)),
    ]
    assert records.indicators == [] and records.doubts == []


def test_a_task_number_printed_in_the_task_cell_is_the_number_not_the_title():
    [task] = read(grid(["重点工作", "牵头单位"], ["12.推进老旧小区改造。年内完成30个小区。", "区住建局"])).tasks
    assert (task.number, task.title, task.content) == ("12", "推进老旧小区改造", "年内完成30个小区。")


def test_rows_under_one_spanning_task_cell_with_the_same_owner_are_one_task():
    task_cell = "5.提升公园绿地品质。新建口袋公园10个。"
    records = read(
        grid(
            ["年度重点工作", "细化任务", "牵头单位", "进展情况"],
            [task_cell, "①新建口袋公园6个", "区园林局", "已完工3个"],
            [task_cell, "②改造老旧公园4个", "区园林局", "正在施工"],
            ["6.整治背街小巷。", "全年整治20条", "区城管局", "已完成12条"],
        )
    )
    first, second = records.tasks
    assert (first.number, first.title, first.leads) == ("5", "提升公园绿地品质", ("区园林局",))
    assert "①新建口袋公园6个" in first.content and "②改造老旧公园4个" in first.content
    assert (second.number, second.title) == ("6", "整治背街小巷")


def test_rows_under_one_spanning_task_cell_with_their_own_owners_stay_separate_records():
    task_cell = "推进垃圾分类"
    records = read(
        grid(
            ["重点任务", "细化措施", "牵头单位", "完成时限"],
            [task_cell, "建设投放点", "区城管局", "2024年6月底前"],
            [task_cell, "开展宣传", "区委宣传部", "2024年底前"],
        )
    )
    assert [t.leads for t in records.tasks] == [("区城管局",), ("区委宣传部",)]


def test_a_header_cell_spanning_a_group_and_a_name_column_gives_the_group_and_the_name():
    records = read(
        grid(
            ["序号", "指标名称", "指标名称", "单位", "目标值"],
            ["1", "生态环境", "地表水优良比例", "%", "80"],
            ["1", "生态环境", "空气优良天数比例", "%", "85"],
        )
    )
    assert [(i.level2, i.name, i.target_raw) for i in records.indicators] == [
        ("生态环境", "地表水优良比例", "80"),
        ("生态环境", "空气优良天数比例", "85"),
    ]


def test_the_whole_areas_target_column_is_the_target_and_the_others_are_kept():
    [indicator] = read(
        grid(["序号", "指标名称", "单位", "全市目标值", "中心城区目标值"], ["1", "生活垃圾回收利用率", "%", "35", "40"])
    ).indicators
    assert indicator.target_raw == "35"
    assert indicator.other_targets == {"中心城区目标值": "40"}


def test_a_unit_in_brackets_after_the_name_is_the_unit_when_no_unit_is_printed():
    records = read(
        grid(
            ["序号", "指标名称", "2020年", "2025年"],
            ["1", "湿地保护率(%)", "52", "55"],
            ["2", "林地面积（万公顷）", "30", "31"],
        )
    )
    assert [(i.name, i.unit) for i in records.indicators] == [("湿地保护率", "%"), ("林地面积", "万公顷")]


def test_only_a_bracket_of_units_is_a_unit():
    assert unit_in_name("单位地区生产总值能耗（吨标准煤/万元）") == ("单位地区生产总值能耗", "吨标准煤/万元")
    assert unit_in_name("城市生活污水集中收集率（含县城）") is None
    assert unit_in_name("声环境功能区夜间达标率") is None
