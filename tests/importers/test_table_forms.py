"""Tables that are not a header over rows (made-up tables in the style of published ones): a form of
label/value rows is one record; a form's label/value rows over an indicator table are cut from it; a
table nobody understood is read by content with doubts; a box of labels naming no task (索引号, 姓名 /
电话) stays unimported without refusing a file that has other records."""

from __future__ import annotations

import pytest

from tests.importers.test_tables_by_meaning import document, grid, read
from wufei.importers.records import ImportError_
from wufei.importers.text.document import interpret
from wufei.importers.text.table_forms import as_form, form_pairs, split_at_header

MEASURE = "开展全市建筑垃圾消纳场专项排查，按照“一场一策”制定整改方案，建立长效监管机制。"


def rectification_form(number: int = 1):
    return grid(
        ["存在问题", "部分区县建筑垃圾消纳场未落实防尘措施，周边群众反映强烈。"],
        ["整改目标", "消纳场防尘措施全面落实，群众投诉明显下降。"],
        ["整改措施", MEASURE],
        ["责任单位", "市城管局"],
        ["责任人", "王五"],
        ["整改时限", "2024年6月底前"],
        number=number,
    )


def test_a_form_of_label_and_value_rows_is_one_task():
    records = read(rectification_form())
    assert [(t.title, t.leads, t.supporting, t.deadline_raw) for t in records.tasks] == [
        (
            "开展全市建筑垃圾消纳场专项排查，按照“一场一策”制定整改方案，建立长效监管机制",
            ("市城管局",),
            (),
            "2024年6月底前",
        )
    ]
    content = records.tasks[0].content
    assert "消纳场防尘措施全面落实" in content  # the aim
    assert "存在问题：部分区县建筑垃圾消纳场未落实防尘措施" in content  # the problem, labelled
    assert "责任人：王五" in content  # a person, never an owner
    assert records.doubts == []


def test_a_form_with_two_pairs_to_a_row_and_values_spanning_merged_columns():
    table = grid(
        ["督办事项", "餐厨垃圾处理厂扩建", "督办编号", "DB-2024-07"],
        [
            "工作措施",
            "完成扩建工程主体施工，新增日处理能力200吨。",
            "完成扩建工程主体施工，新增日处理能力200吨。",
            None,
        ],
        ["牵头单位", "区城管委", "配合单位", "区发改局、区财政局"],
        ["完成时限", "2024年底前", "2024年底前", "2024年底前"],
    )
    records = read(table)
    assert [(t.title, t.leads, t.supporting, t.deadline_raw) for t in records.tasks] == [
        ("完成扩建工程主体施工，新增日处理能力200吨", ("区城管委",), ("区发改局", "区财政局"), "2024年底前")
    ]


def test_forms_stacked_in_one_table_are_one_task_each():
    first = rectification_form()
    second = rectification_form()
    second.rows[1].cells[1] = "推进消纳场视频监控全覆盖。"
    second.rows[2].cells[1] = "区住建局"
    stacked = grid(first.header, *(row.cells for row in first.rows), second.header, *(row.cells for row in second.rows))
    records = read(stacked)
    assert [(t.title, t.leads) for t in records.tasks] == [
        ("开展全市建筑垃圾消纳场专项排查，按照“一场一策”制定整改方案，建立长效监管机制", ("市城管局",)),
        ("推进消纳场视频监控全覆盖", ("区住建局",)),
    ]


def test_a_box_of_labels_naming_no_task_is_no_form():
    box = grid(
        ["索引号", "11330100/2024-00012", "发布日期", "2024-03-01"],
        ["发布机构", "某市人民政府办公室", "文号", "某政办〔2024〕3号"],
        ["主题分类", "环境保护", "有效性", "有效"],
    )
    assert form_pairs(box) is not None
    assert as_form(box) is None
    records = read(box)
    assert records.tasks == [] and records.indicators == []
    # The doubt names the box by its labels, not by its first row's values.
    assert [d.field for d in records.doubts] == ["table"]
    assert "表头：索引号、发布日期、发布机构、文号、主题分类、有效性" in records.doubts[0].message


def test_a_contact_list_stays_unimported_and_does_not_refuse_a_file_with_tasks():
    contacts = grid(["姓名", "职务", "电话"], ["张三", "科长", "0311-1234567"], ["李四", "副科长", "0311-7654321"])
    plan = interpret(document(contacts, rectification_form(number=2)))
    assert [t.leads for t in plan.tasks] == [("市城管局",)]
    assert "姓名、职务、电话" in " ".join(d.message for d in plan.doubts if d.field == "table")


def test_a_file_holding_only_a_contact_list_is_refused_naming_the_table():
    contacts = grid(["姓名", "职务", "电话"], ["张三", "科长", "0311-1234567"], ["李四", "副科长", "0311-7654321"])
    with pytest.raises(ImportError_, match="文件中没有找到任务、指标或无废细胞表格.*表1（表头：姓名、职务、电话）"):
        interpret(document(contacts))


def test_a_performance_form_over_its_indicator_table_is_cut_at_the_inner_header():
    table = grid(
        ["项目名称", "城区道路机械化清扫服务", "主管部门", "某市城市管理局", "某市城市管理局"],
        ["年度资金总额", "180万", "180万", "180万", "180万"],
        ["年度绩效目标", "城区主次干道机械化清扫率达到95%以上", None, None, None],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值及单位"],
        ["绩效指标", "产出指标", "数量指标", "机械化清扫道路面积", "320万平方米"],
        ["绩效指标", "产出指标", "质量指标", "主次干道机械化清扫率", "≥95%"],
        ["绩效指标", "效益指标", "经济效益指标", None, None],
        ["绩效指标", "满意度指标", "服务对象满意度指标", "沿街商户满意度", "≥90%"],
    )
    parts = split_at_header(table)
    assert [part.header[:2] for part in parts] == [["项目名称", "城区道路机械化清扫服务"], ["绩效指标", "一级指标"]]
    records = read(table)
    assert [(i.level1, i.level2, i.name, i.target_raw) for i in records.indicators] == [
        ("产出指标", "数量指标", "机械化清扫道路面积", "320万平方米"),
        ("产出指标", "质量指标", "主次干道机械化清扫率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "沿街商户满意度", "≥90%"),
    ]
    assert records.tasks == []


def test_a_table_nobody_understood_is_read_by_content_and_flagged():
    table = grid(
        ["1", "全面推行生活垃圾分类，城区居民小区分类设施覆盖率达到100%。"],
        ["2", "建成餐厨垃圾资源化处理设施一座，日处理能力不低于100吨。"],
        ["3", "开展一般工业固体废物综合利用专项行动，综合利用率稳步提升。"],
    )
    records = read(table)
    assert [(t.number, t.title, t.leads or ()) for t in records.tasks] == [
        ("1", "全面推行生活垃圾分类，城区居民小区分类设施覆盖率达到100%", ()),
        ("2", "建成餐厨垃圾资源化处理设施一座，日处理能力不低于100吨", ()),
        ("3", "开展一般工业固体废物综合利用专项行动，综合利用率稳步提升", ()),
    ]
    assert records.tasks[0].where == "表1第1行"  # the first row was no header: it is a task
    assert [d.field for d in records.doubts] == ["column", "column"]  # both columns read by content


def test_a_column_of_task_texts_alone_is_read_as_tasks_awaiting_owners_and_flagged():
    table = grid(
        ["推进城镇污水管网建设，新建改造管网50公里。", "续建"],
        ["实施工业园区污水处理设施提标改造。", "新建"],
        ["开展入河排污口排查整治专项行动。", "新建"],
    )
    records = read(table)
    assert [(t.number, t.title, t.leads or ()) for t in records.tasks] == [
        ("1", "推进城镇污水管网建设，新建改造管网50公里", ()),
        ("2", "实施工业园区污水处理设施提标改造", ()),
        ("3", "开展入河排污口排查整治专项行动", ()),
    ]
    table_doubts = [d.message for d in records.doubts if d.field == "table"]
    assert table_doubts == ["表1的表头未能识别，已按内容读作任务表（任务3项），请核对每项任务及其责任单位、完成期限"]


def test_short_labels_in_a_table_nobody_understood_are_no_tasks():
    table = grid(["甲组", "乙组"], ["一号", "二号"], ["三号", "四号"])
    records = read(table)
    assert records.tasks == []
    assert [d.field for d in records.doubts] == ["table"]


def test_a_measure_closed_by_its_deadline_in_brackets_gives_the_deadline():
    table = grid(
        ["反馈问题", "部分企业危险废物贮存不规范。"],
        ["整改措施", "开展危险废物规范化环境管理评估，督促企业建立管理台账（立行立改）"],
        ["责任单位", "某县人民政府"],
    )
    records = read(table)
    assert [(t.title, t.leads, t.deadline_raw) for t in records.tasks] == [
        ("开展危险废物规范化环境管理评估，督促企业建立管理台账", ("某县人民政府",), "立行立改")
    ]
