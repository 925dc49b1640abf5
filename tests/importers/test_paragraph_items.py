"""Paragraph shapes without owner clauses: deadline-only clauses, topic headings, run-on numbered items, a
number printed with a full stop, and a document whose numbered items are read as tasks awaiting owners
(made-up text in the style of published documents)."""

from __future__ import annotations

from wufei.departments.owners import parse_owners
from wufei.importers.document import Document
from wufei.importers.text.document import interpret
from wufei.importers.text.paragraphs import main_tasks, numbered_items, split_run_on_items


def _document(lines: list[str]) -> Document:
    return Document(path="安排.txt", format="text", lines=lines)


def test_paragraphs_closed_by_their_deadline_alone_are_tasks_under_topic_headings():
    lines = [
        "近日，某市印发《某市2022年民生实事任务分工》，明确了全年任务。",
        "",
        "01 就业",
        "",
        "新增城镇就业5万人。开展职业技能培训2万人次。（年内持续推进）",
        "",
        "建设零工市场3个。（2022年底前完成）",
        "",
        "02 住房",
        "",
        "改造老旧小区120个，惠及居民3万户。（年内持续推进）",
    ]
    tasks = main_tasks(lines)
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("新增城镇就业5万人", "年内持续推进"),
        ("建设零工市场3个", "2022年底前完成"),
        ("改造老旧小区120个，惠及居民3万户", "年内持续推进"),
    ]
    assert [task.list_name for task in tasks] == ["就业", "就业", "住房"]
    assert all(task.owners_raw is None for task in tasks)


def test_a_number_printed_with_a_full_stop_starts_a_task():
    lines = [
        "某市人民政府印发通知，落实重点工作。",
        "关于落实重点工作的任务分工",
        "1。推进城市更新，完成棚户区改造1000户。（市住建局、各区政府分别负责，年内持续推进）",
        "2。稳定粮食生产。（市农业农村局负责，2022年底前）",
    ]
    first, second = main_tasks(lines)
    assert (first.number, first.title) == ("1", "推进城市更新，完成棚户区改造1000户")
    assert first.deadline_raw == "年内持续推进"
    assert parse_owners(first.owners_raw).leads == ("市住建局", "各区政府")
    assert (second.number, second.title, second.deadline_raw) == ("2", "稳定粮食生产", "2022年底前")


def test_numbered_items_run_on_in_one_line_are_cut_one_a_line():
    lines = [
        "一、稳住经济大盘",
        "（一）完成地区生产总值增长6%。（二）推进重大项目建设，新开工项目50个；加快续建项目。（三）优化营商环境。",
        "1.建设产业园区。（1）完成征地；（2）建成道路。2.引进企业10家。",
    ]
    split, origin = split_run_on_items(lines)
    assert split == [
        "一、稳住经济大盘",
        "（一）完成地区生产总值增长6%。",
        "（二）推进重大项目建设，新开工项目50个；加快续建项目。",
        "（三）优化营商环境。",
        "1.建设产业园区。（1）完成征地；（2）建成道路。",  # sub-items of another kind stay in their item
        "2.引进企业10家。",
    ]
    assert origin == [1, 2, 2, 2, 3, 3]


def test_a_line_is_not_cut_at_a_number_out_of_sequence_or_inside_a_sentence():
    line = "（一）加强监管，落实（三）项制度。（四）开展检查。"
    assert split_run_on_items([line]) == ([line], [1])


def test_a_document_naming_no_owners_has_its_numbered_items_read_as_tasks():
    lines = [
        "某区2021年重点工作安排",
        "各街道、各部门：现将安排印发给你们，请认真落实。",
        "一、稳住经济大盘",
        "（一）完成地区生产总值增长6%。（二）推进重大项目建设，新开工项目50个。",
        "二、保障改善民生",
        "（一）新增就业岗位3000个。",
        "（二）办好民生实事",
        "1.新建幼儿园2所。",
        "2.改造农贸市场5个。",
    ]
    tasks = numbered_items(lines)
    assert [(task.number, task.title) for task in tasks] == [
        ("1.1", "完成地区生产总值增长6%"),
        ("1.2", "推进重大项目建设，新开工项目50个"),
        ("2.1", "新增就业岗位3000个"),
        ("2.2.1", "新建幼儿园2所"),  # under a heading with items of its own: the heading is their section
        ("2.2.2", "改造农贸市场5个"),
    ]
    assert tasks[3].list_name == "办好民生实事"
    assert [task.line for task in tasks[:2]] == [4, 4]  # both from the line they ran on in


def test_an_import_of_such_a_document_keeps_its_items_with_a_doubt_instead_of_refusing_it():
    plan = interpret(
        _document(
            [
                "某区2021年重点工作安排",
                "一、稳住经济大盘",
                "（一）完成地区生产总值增长6%。（二）推进重大项目建设。",
            ]
        )
    )
    assert [task.title for task in plan.tasks] == ["完成地区生产总值增长6%", "推进重大项目建设"]
    assert all(task.leads is None and task.owners_raw is None for task in plan.tasks)
    [doubt] = [doubt for doubt in plan.doubts if doubt.field == "record"]
    assert "2个编号条目" in doubt.message and "待指定牵头单位" in doubt.message


def test_a_document_whose_items_carry_their_text_reads_the_items():
    plan = interpret(
        _document(
            [
                "某县2022年生态环境保护工作要点",
                "一、深入打好蓝天保卫战。严格管控扬尘，完成燃煤锅炉改造10台。",
                "二、深入打好碧水保卫战。完成入河排污口整治，消除劣V类水体。",
            ]
        )
    )
    assert [(task.number, task.title) for task in plan.tasks] == [
        ("1", "深入打好蓝天保卫战"),
        ("2", "深入打好碧水保卫战"),
    ]


def test_deadlines_without_a_year_or_by_quarter_close_a_paragraph_alone():
    lines = [
        "某县2022年为民办实事项目",
        "新建城乡公交候车亭50个。（6月底前）",
        "完成农村户厕改造800户。（三季度）",
        "开展义诊巡诊活动。（每年）",
        "人均公园绿地面积达到全省平均水平（2020年）。",
    ]
    tasks = main_tasks(lines)
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("新建城乡公交候车亭50个", "6月底前"),
        ("完成农村户厕改造800户", "三季度"),
        ("开展义诊巡诊活动", "每年"),
    ]


def test_a_heading_line_over_one_task_starting_with_its_body_is_its_title():
    lines = [
        "推动产业结构调整",
        "深入落实区域协同发展战略，推动钢铁、焦化等行业转型升级，淘汰落后产能。（市发改委牵头，市工信局配合）",
        "加强扬尘管控",
        "推行施工工地六个百分百。严格渣土运输。（市住建局负责）",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.owners_raw) == ("推动产业结构调整", "市发改委牵头，市工信局配合")
    assert first.content.startswith("深入落实区域协同发展战略")
    # a short first sentence is a heading of its own
    assert (second.title, second.content) == ("推行施工工地六个百分百", "严格渣土运输。")
