"""Owners and deadlines of tasks written as paragraphs: lines under a task, labels, brackets, conventions."""

from __future__ import annotations

from wufei.importers.text.paragraphs import main_tasks, split_heading, split_trailing_owner


def test_owner_lines_under_a_numbered_task_are_attached_to_it():
    lines = [
        "三、重点任务",
        "（一）源头减量",
        "1.推进绿色设计。支持企业开展绿色设计。",
        "牵头单位：市工信局",
        "配合单位：市发改委、市生态环境局、",
        "各县市区人民政府",
        "完成时限：2023年底前",
        "2.推进清洁生产。实施强制性审核。",
        "责任单位：市生态环境局",
        "四、保障措施",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.content) == ("推进绿色设计", "支持企业开展绿色设计。")
    assert first.owners_raw == "牵头单位：市工信局；配合单位：市发改委、市生态环境局、各县市区人民政府"
    assert first.deadline_raw == "2023年底前"
    assert (second.title, second.owners_raw, second.deadline_raw) == ("推进清洁生产", "责任单位：市生态环境局", None)


def test_unnumbered_tasks_are_closed_by_their_owner_lines():
    lines = [
        "二、主要任务",
        "推进清洁生产。实施审核。",
        "牵头单位：市生态环境局",
        "加强园区管理。完善台账。",
        "牵头单位：市发改委",
        "配合单位：市工信局",
        "三、保障措施",
    ]
    first, second = main_tasks(lines)
    assert (first.number, first.title, first.owners_raw) == ("1", "推进清洁生产", "牵头单位：市生态环境局")
    assert (second.number, second.title, second.owners_raw) == (
        "2",
        "加强园区管理",
        "牵头单位：市发改委；配合单位：市工信局",
    )


def test_owners_after_a_label_on_the_task_line_are_taken_out_of_the_text():
    lines = ["二、主要任务", "1.推进回收。完善网络。牵头单位：市商务局；配合单位：市供销社", "三、保障措施"]
    [task] = main_tasks(lines)
    assert (task.title, task.content) == ("推进回收", "完善网络。")
    assert task.owners_raw == "牵头单位：市商务局；配合单位：市供销社"


def test_a_deadline_inside_the_owner_bracket_is_the_tasks_deadline():
    lines = ["二、主要任务", "1.推进回收。完善网络。（市商务局牵头，市供销社配合，2023年底前完成）", "三、保障措施"]
    [task] = main_tasks(lines)
    assert (task.owners_raw, task.deadline_raw) == ("市商务局牵头，市供销社配合", "2023年底前完成")
    assert task.content == "完善网络。"


def test_a_convention_bracket_is_not_the_owner_and_the_bracket_before_it_is():
    lines = [
        "二、主要任务",
        "（除标注“分别牵头”外，列第一位为牵头单位，下同）",
        "1.推进回收。完善网络。（市商务局、市供销社）（除标注“分别牵头”外，列第一位为牵头单位，下同）",
        "2.推进利用。建设项目。（市发改委、市工信局分别牵头）",
        "三、保障措施",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.owners_raw) == ("推进回收", "市商务局、市供销社")
    assert second.owners_raw == "市发改委、市工信局分别牵头"


def test_a_document_that_is_all_tasks_is_read_without_a_task_heading():
    lines = [
        "某市2023年重点任务分工方案",
        "一、加快工业绿色发展",
        "1.推进绿色设计。支持企业开展绿色设计。（市工信局牵头）",
        "2.推进清洁生产。实施审核。（市生态环境局负责）",
        "二、保障措施",
        "1.加强组织领导。各单位要高度重视。",
    ]
    tasks = main_tasks(lines)
    assert [(t.number, t.title, t.list_name, t.owners_raw) for t in tasks] == [
        ("1", "推进绿色设计", "加快工业绿色发展", "市工信局牵头"),
        ("2", "推进清洁生产", "加快工业绿色发展", "市生态环境局负责"),
    ]


def test_a_task_heading_in_other_words_opens_the_task_part():
    lines = ["三、重点工作任务及分工", "1.推进回收。完善网络。", "四、保障措施"]
    assert [t.title for t in main_tasks(lines)] == ["推进回收"]


def test_the_title_is_the_heading_up_to_the_first_stop_outside_brackets():
    assert split_heading("推进回收。完善网络。") == ("推进回收", "完善网络。")
    assert split_heading("推进回收：完善网络；建设站点。") == ("推进回收", "完善网络；建设站点。")
    assert split_heading("落实《条例（试行）。》要求") == ("落实《条例（试行）。》要求", None)
    assert split_heading("推进回收") == ("推进回收", None)


def test_split_trailing_owner_returns_text_owners_and_deadline():
    assert split_trailing_owner("推进回收。（市商务局牵头，长期坚持）") == ("推进回收。", "市商务局牵头", "长期坚持")
    assert split_trailing_owner("推进回收。") == ("推进回收。", None, None)


def test_section_headings_that_name_owners_are_tasks_themselves():
    lines = [
        "二、重点任务分工",
        "（一）推进垃圾分类。在全市推行四分类。（市城管局牵头，市商务局配合）",
        "（二）建设分拣中心。完善回收网络。",
        "牵头单位：市商务局",
        "（三）加强宣传",
        "1.开展宣传。进社区宣传。（市委宣传部负责）",
        "三、保障措施",
    ]
    tasks = main_tasks(lines)
    assert [(t.number, t.title, t.owners_raw) for t in tasks] == [
        ("1", "推进垃圾分类", "市城管局牵头，市商务局配合"),
        ("2", "建设分拣中心", "牵头单位：市商务局"),
        ("3.1", "开展宣传", "市委宣传部负责"),
    ]
    assert tasks[2].list_name == "加强宣传"


def test_a_bracket_of_units_and_a_deadline_under_the_documents_convention_names_owners():
    lines = [
        "二、重点任务",
        "（除标注“分别牵头”外，列第一位为牵头单位，下同）",
        "（一）推进生活垃圾分类。全面推行四分类。（区城管局、区商务局、各街道办事处，2023年底前完成）",
        "三、保障措施",
    ]
    [task] = main_tasks(lines)
    assert (task.number, task.title, task.content) == ("1", "推进生活垃圾分类", "全面推行四分类。")
    assert (task.owners_raw, task.deadline_raw) == ("区城管局、区商务局、各街道办事处", "2023年底前完成")


def test_a_label_wrapped_inside_an_open_owner_bracket_stays_in_that_bracket():
    lines = [
        "二、主要任务",
        "推进秸秆利用。完善收储运体系。〔牵头部门：市农业农村局；",
        "责任部门：市发展改革委、市财政局〕",
        "",
        "三、保障措施",
    ]
    [task] = main_tasks(lines)
    assert task.title == "推进秸秆利用"
    assert task.owners_raw == "牵头部门：市农业农村局；责任部门：市发展改革委、市财政局"
