"""Tables read by what their cells hold where their headers say nothing known: numbers, owners, deadlines,
figures and task texts recognised by content and flagged for a person; a task cell spanning rows with owners
of their own names a group; a two-row header with periods under a merged cell (made-up tables in the style
of published ones)."""

from __future__ import annotations

from tests.importers.test_tables_by_meaning import grid, read
from wufei.departments.owners import lists_units, looks_like_unit
from wufei.importers.document import Document
from wufei.importers.headers import column_role
from wufei.importers.readers.grid import GridRow, grid_table
from wufei.importers.text.column_content import looks_like_deadline, looks_like_value, profile
from wufei.importers.text.document import interpret
from wufei.importers.text.tables import find_tables

UNKNOWN = ["编次", "落实举措", "主抓部门", "协同推进部门", "办结节点"]


def test_the_header_words_of_these_tables_are_unknown_to_the_vocabulary():
    assert [column_role(word) for word in UNKNOWN] == [None] * len(UNKNOWN)


def test_a_table_under_unknown_headers_is_read_by_what_its_columns_hold():
    records = read(
        grid(
            UNKNOWN,
            [
                "1",
                "建成区级再生资源分拣中心1座，实现可回收物应收尽收。",
                "区商务局",
                "区城管局、各街道办事处",
                "2023年底前",
            ],
            ["2", "开展餐饮服务单位一次性用品减量专项检查。", "区市场监管局", "区商务局", "2023年6月底前"],
            ["3", "推进建筑垃圾资源化利用，新建消纳场1处。", "区住建委", "区城管局", "持续推进"],
        )
    )
    assert [(t.number, t.title, t.leads, t.supporting, t.deadline_raw) for t in records.tasks] == [
        (
            "1",
            "建成区级再生资源分拣中心1座，实现可回收物应收尽收",
            ("区商务局",),
            ("区城管局", "各街道办事处"),
            "2023年底前",
        ),
        ("2", "开展餐饮服务单位一次性用品减量专项检查", ("区市场监管局",), ("区商务局",), "2023年6月底前"),
        ("3", "推进建筑垃圾资源化利用，新建消纳场1处", ("区住建委",), ("区城管局",), "持续推进"),
    ]
    messages = [doubt.message for doubt in records.doubts]
    assert messages == [
        f"表1的列「{word}」未能按表头识别，已按内容读作{role}，请确认"
        for word, role in zip(UNKNOWN, ["序号", "任务名称", "牵头单位", "配合单位", "完成期限"])
    ]
    assert all(doubt.field == "column" for doubt in records.doubts)


def test_a_lone_column_of_units_lists_the_lead_first():
    records = read(
        grid(
            ["序号", "落实举措", "承办处室"],
            ["1", "完善危险废物转移联单管理。", "固体处、执法总队"],
            ["2", "开展小微企业危险废物收集试点。", "固体处"],
        )
    )
    assert [(t.leads, t.supporting) for t in records.tasks] == [(("固体处",), ("执法总队",)), (("固体处",), ())]


def test_a_lead_column_standing_first_beside_the_task_text_and_its_supporting_units():
    records = read(
        grid(
            ["牵头单位", "目标任务", "责任单位"],
            ["区发改局", "地区生产总值增长6.5%", "区统计局和区直相关单位、各镇街"],
            ["区发改局", "固定资产投资增长8%", "区统计局和区直相关单位、各镇街"],
            ["区商务局", "推进老字号街区改造提升", "区文旅局、各镇街"],
        )
    )
    assert [(t.title, t.leads, t.supporting) for t in records.tasks] == [
        ("地区生产总值增长6.5%", ("区发改局",), ("区统计局", "区直相关单位", "各镇街")),
        ("固定资产投资增长8%", ("区发改局",), ("区统计局", "区直相关单位", "各镇街")),
        ("推进老字号街区改造提升", ("区商务局",), ("区文旅局", "各镇街")),
    ]
    assert records.doubts == []


def test_spanning_group_cells_and_the_longest_texts_under_unknown_headers():
    records = read(
        grid(
            ["序号", "专项行动", "实施举措", "责任单位", "配合单位", "完成时限"],
            ["1", "推进源头减量", "推行绿色设计，培育绿色工厂3家。", "区经信委", "区生态环境局", "2022"],
            ["2", "推进源头减量", "限制商品过度包装，开展专项抽查。", "区市场监管局", None, "2022"],
            ["3", "强化末端处置", "建成医疗废物应急处置设施。", "区卫健委", "区生态环境局", "2023"],
        )
    )
    assert [(t.title, t.category, t.leads, t.deadline_raw) for t in records.tasks] == [
        ("推行绿色设计，培育绿色工厂3家", "推进源头减量", ("区经信委",), "2022"),
        ("限制商品过度包装，开展专项抽查", "推进源头减量", ("区市场监管局",), "2022"),
        ("建成医疗废物应急处置设施", "强化末端处置", ("区卫健委",), "2023"),
    ]
    assert [d.message for d in records.doubts] == [
        "表1的列「专项行动」未能按表头识别，已按内容读作任务类别，请确认",
        "表1的列「实施举措」未能按表头识别，已按内容读作任务名称，请确认",
    ]


def test_a_task_cell_spanning_rows_with_owners_of_their_own_names_their_group():
    records = read(
        grid(
            ["序号", "重点任务", "工作措施", "牵头单位", "完成时限"],
            ["1", "推进垃圾分类", "建成分类投放点200个。", "市城管局", "2023年底"],
            ["2", "推进垃圾分类", "开展分类宣传进社区活动。", "市委宣传部", "2023年6月底"],
            ["3", "建设分拣中心", "建成再生资源分拣中心。", "市商务局", "2024年底"],
        )
    )
    assert [(t.title, t.category, t.leads) for t in records.tasks] == [
        ("建成分类投放点200个", "推进垃圾分类", ("市城管局",)),
        ("开展分类宣传进社区活动", "推进垃圾分类", ("市委宣传部",)),
        ("建设分拣中心", None, ("市商务局",)),
    ]
    assert records.tasks[2].content == "建成再生资源分拣中心。"


def test_an_indicator_table_takes_its_figures_by_content_under_an_unknown_header():
    records = read(
        grid(
            ["序号", "类别", "具体指标", "考评参考"],
            ["1", "资源利用", "一般工业固体废物综合利用率", "≥90%"],
            ["2", "资源利用", "单位产值能耗", "≤0.4吨标准煤/万元"],
        )
    )
    assert [(i.name, i.target_raw, i.unit) for i in records.indicators] == [
        ("一般工业固体废物综合利用率", "≥90%", None),
        ("单位产值能耗", "≤0.4吨标准煤/万元", None),
    ]
    [doubt] = records.doubts
    assert doubt.message == "表1的列「考评参考」未能按表头识别，已按内容读作目标值，请确认"


def test_two_columns_of_figures_under_unknown_headers_are_the_baseline_then_the_target():
    records = read(grid(["指标名称", "起点", "终点"], ["生活垃圾回收利用率", "35%", "≥40%"]))
    [indicator] = records.indicators
    assert (indicator.baseline_raw, indicator.target_raw) == ("35%", "≥40%")


def test_a_box_of_labels_and_values_is_no_task_table():
    records = read(
        grid(
            ["索引号", "11330400/2023-00012", "发布日期", "2023-03-01"],
            ["发文机关", "某市人民政府办公室", "文号", "某政办发〔2023〕5号"],
            ["名称", "某市2023年重点工作任务分解方案", "主题分类", "综合政务"],
        )
    )
    assert records.tasks == [] and records.indicators == []
    assert [d.field for d in records.doubts] == ["table"]


def test_a_column_nobody_understood_with_nothing_under_it_raises_no_doubt():
    records = read(grid(["序号", "重点任务", "牵头单位", "督办意见"], ["1", "开展宣传", "市委宣传部", None]))
    assert records.doubts == []


def test_a_two_row_header_with_periods_under_a_merged_cell():
    rows = [
        GridRow(["序号", "重点任务", "年度目标", "年度目标", "年度目标", "年度目标", "牵头单位"], "表1第1行"),
        GridRow(["序号", "重点任务", "一季度", "二季度", "三季度", "四季度", "牵头单位"], "表1第2行"),
        GridRow(["1", "建成分拣中心", "选址", "开工", None, "建成", "市商务局"], "表1第3行"),
    ]
    table = grid_table(rows, line=1, where="表1")
    assert table.header == [
        "序号",
        "重点任务",
        "年度目标（一季度）",
        "年度目标（二季度）",
        "年度目标（三季度）",
        "年度目标（四季度）",
        "牵头单位",
    ]
    assert [row.cells for row in table.rows] == [["1", "建成分拣中心", "选址", "开工", None, "建成", "市商务局"]]


def test_a_row_of_data_under_a_merged_header_cell_is_not_taken_for_its_second_row():
    rows = [
        GridRow(["序号", "重点任务", "目标值", "目标值", "牵头单位"], "表1第1行"),
        GridRow(["1", "建成分拣中心", "完成选址，启动建设", "建成投运", "市商务局"], "表1第2行"),
    ]
    table = grid_table(rows, line=1, where="表1")
    assert len(table.rows) == 1


def test_what_cells_look_like():
    assert looks_like_unit("市直相关单位") and looks_like_unit("城投集团") and looks_like_unit("建设局")
    assert not looks_like_unit("建设无废城市示范区") and not looks_like_unit("完成率达到95%")
    assert lists_units("环保局、城投集团、岳麓区和市直相关单位") and lists_units("市发改委牵头，市财政局配合")
    assert not lists_units("建立建筑垃圾监管平台。")
    assert looks_like_deadline("2023年底前完成") and looks_like_deadline("持续推进") and looks_like_deadline("二季度")
    assert not looks_like_deadline("长期护理保险制度") and not looks_like_deadline("区城管局")
    assert looks_like_value("≤0.35吨标准煤/万元") and looks_like_value("100%") and not looks_like_value("逐年提高")
    column = profile(["推进源头减量", "推进源头减量", "强化末端处置", None])
    assert (column.filled, round(column.distinct, 2)) == (3, 0.67)


def test_tab_separated_rows_under_a_header_of_unknown_words_are_a_table_read_by_content():
    text = [
        "某镇2023年重点工作安排",
        "编次\t工作事宜\t主抓\t协办\t办结",
        "1\t完成农村生活垃圾分类示范村创建5个。\t镇农业办\t各村委会\t2023年10月",
        "2\t推进畜禽粪污资源化利用，利用率达到90%。\t镇畜牧站\t镇环保办\t2023年12月",
    ]
    [table] = find_tables(text)
    assert table.header == ["编次", "工作事宜", "主抓", "协办", "办结"]
    plan = interpret(Document(path="安排.txt", format="text", lines=text, tables=[table]))
    assert [(t.number, t.title, t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        ("1", "完成农村生活垃圾分类示范村创建5个", ("镇农业办",), ("各村委会",), "2023年10月"),
        ("2", "推进畜禽粪污资源化利用，利用率达到90%", ("镇畜牧站",), ("镇环保办",), "2023年12月"),
    ]


def test_a_tab_separated_line_of_words_over_prose_is_no_table():
    assert find_tables(["时间\t地点\t人物", "会议于上午召开，各单位参加。"]) == []


def test_short_names_before_figures_under_unknown_headers_are_indicators():
    records = read(
        grid(
            ["编次", "考评项目", "参考标准"],
            ["1", "一般工业固体废物综合利用率", "≥90%"],
            ["2", "单位产值能耗", "≤0.4吨标准煤/万元"],
        )
    )
    assert [(i.number, i.name, i.target_raw) for i in records.indicators] == [
        ("1", "一般工业固体废物综合利用率", "≥90%"),
        ("2", "单位产值能耗", "≤0.4吨标准煤/万元"),
    ]
    assert [d.message.split("已按内容读作")[1] for d in records.doubts] == [
        "序号，请确认",
        "指标名称，请确认",
        "目标值，请确认",
    ]


def test_a_year_s_target_beside_a_task_stays_in_the_task():
    records = read(
        grid(["序号", "重点任务", "年度目标", "牵头单位"], ["1", "推进塑料污染治理", "完成年度减量目标", "市发改委"])
    )
    [task] = records.tasks
    assert (task.title, task.content, task.leads) == ("推进塑料污染治理", "年度目标：完成年度减量目标", ("市发改委",))
    assert records.doubts == []


def test_a_project_s_place_and_money_are_kept_in_its_content_never_read_as_owners():
    records = read(
        grid(
            ["序号", "项目名称", "建设地点", "总投资（万元）", "建设年限"],
            ["1", "固废综合处置中心", "高新区", "35000", "2022-2024年"],
            ["2", "再生资源分拣中心", "经开区", "8000", "2023年"],
        )
    )
    assert [(t.title, t.leads, t.content) for t in records.tasks] == [
        ("固废综合处置中心", None, "建设地点：高新区；总投资（万元）：35000"),
        ("再生资源分拣中心", None, "建设地点：经开区；总投资（万元）：8000"),
    ]
    assert records.doubts == []


def test_one_column_naming_the_owners_and_the_deadline_is_split_into_both():
    assert column_role("责任单位及完成时限") == "owners_deadline"
    records = read(
        grid(
            ["序号", "重点任务", "责任单位及完成时限"],
            ["1", "推进垃圾分类", "市城管局，2023年底前"],
            ["2", "建设分拣中心", "市商务局、市供销社，持续推进"],
        )
    )
    assert [(t.leads, t.supporting, t.deadline_raw) for t in records.tasks] == [
        (("市城管局",), (), "2023年底前"),
        (("市商务局",), ("市供销社",), "持续推进"),
    ]
