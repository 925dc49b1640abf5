"""Task boundaries and owners in 政府工作报告 分工 documents (round 6): unlabelled owner lists closing sentence
groups inside one numbered item, a lead unit's heading over items, a 协同单位 line closing a section, and
numbered 一、 items each closed by its owners in a document read whole."""

from __future__ import annotations

from wufei.departments.owners import parse_owners
from wufei.importers.text.paragraphs import main_tasks


def _owners(record) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = parse_owners(record.owners_raw)
    return spec.leads, spec.supporting


def test_unlabelled_owner_lists_inside_one_item_close_one_task_each():
    lines = [
        "某某市2009年重要工作责任分工",
        "7、加快建设城市快速路网。完成东西干道主体工程，打通断头路(市建委、交通局、各区政府等)。"
        "推进轨道交通一号线建设(市发改委、建委、轨道公司)。"
        "改造老旧小区120个,完善配套设施(市房管局、财政局)。",
        "8、支持县(市、区)发展特色产业,壮大县域经济(市经委、发改委)。",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == [
        "加快建设城市快速路网",
        "推进轨道交通一号线建设",
        "改造老旧小区120个,完善配套设施",
        "支持县(市、区)发展特色产业,壮大县域经济",
    ]
    assert [_owners(task) for task in tasks] == [
        (("市建委",), ("交通局", "各区政府")),
        (("市发改委",), ("建委", "轨道公司")),
        (("市房管局",), ("财政局",)),
        (("市经委",), ("发改委",)),
    ]


def test_a_parenthesis_that_names_no_department_does_not_cut_an_item():
    lines = [
        "某某市2009年重要工作责任分工",
        "3、推进新型城镇化(含高新区、经开区)。完善城市功能,提升综合实力(市发改委、建委)。",
    ]
    (task,) = main_tasks(lines)
    assert task.title == "推进新型城镇化(含高新区、经开区)"
    assert _owners(task) == (("市发改委",), ("建委",))


ASSIGNMENT = [
    "某某市人民政府关于印发2010年市政府工作目标责任分解的通知",
    "一、王某某市长负责的工作",
    "全面负责市政府工作任务的落实。",
    "（一）市统计局牵头的工作",
    "做好第六次人口普查工作，确保数据真实准确。",
    "（二）市民政局牵头的工作",
    "1.完善城乡低保制度，提高保障标准。",
    "2.推进社区养老服务中心建设。",
    "协同单位：市财政局、市卫生局等市直有关部门和各县区人民政府。",
    "二、李某某副市长负责的工作",
    "协助市长抓好市政府工作任务的落实。",
    "（一）市水务局牵头的工作",
    "1.实施中小河流治理工程。",
    "协同单位：市财政局。",
    "2.推进农村饮水安全工程建设。",
    "协同单位：各县区人民政府。",
]


def test_a_lead_units_heading_makes_its_paragraphs_tasks_and_a_persons_heading_does_not():
    tasks = main_tasks(ASSIGNMENT)
    titles = [task.title for task in tasks]
    assert "做好第六次人口普查工作，确保数据真实准确" in titles
    assert not any("全面负责" in title or "协助市长" in title for title in titles)
    census = tasks[titles.index("做好第六次人口普查工作，确保数据真实准确")]
    assert _owners(census) == (("市统计局",), ())


def test_a_support_line_closing_a_section_supports_each_of_its_items():
    tasks = {task.title: task for task in main_tasks(ASSIGNMENT)}
    shared = ("市财政局", "市卫生局", "市直有关部门", "各县区人民政府")
    assert _owners(tasks["完善城乡低保制度，提高保障标准"]) == (("市民政局",), shared)
    assert _owners(tasks["推进社区养老服务中心建设"]) == (("市民政局",), shared)


def test_support_lines_under_each_item_stay_with_their_items():
    tasks = {task.title: task for task in main_tasks(ASSIGNMENT)}
    assert _owners(tasks["实施中小河流治理工程"]) == (("市水务局",), ("市财政局",))
    assert _owners(tasks["推进农村饮水安全工程建设"]) == (("市水务局",), ("各县区人民政府",))


def test_a_closing_support_line_is_not_shared_with_items_naming_owners():
    lines = [
        "二、主要任务",
        "1.推进垃圾分类。（市城管局牵头）",
        "2.建设回收网点。",
        "配合单位：市商务局",
        "三、保障措施",
    ]
    first, second = main_tasks(lines)
    assert _owners(first) == (("市城管局",), ())
    assert second.owners_raw == "配合单位：市商务局"


def test_numbered_items_carrying_their_text_each_end_the_one_before_in_a_document_read_whole():
    lines = [
        "2027年市《政府工作报告》重点工作分工方案",
        "为确保市《政府工作报告》明确的重点工作落到实处，现制定责任分工如下：",
        "一、推动完成地区生产总值增长5%左右、城镇新增就业3万人以上等经济社会发展主要预期目标。"
        "〔市发展改革委、市统计局等牵头，市直有关单位按职责分工负责〕",
        "二、深入落实积极的财政政策，力争专项债券额度稳中有升。〔市财政局牵头，市直有关单位按职责分工负责〕",
        "三、出台一批降低企业用能成本、物流成本的务实举措。（市发展改革委牵头，市交通运输局、市税务局按职责分工负责）",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == [
        "推动完成地区生产总值增长5%左右、城镇新增就业3万人以上等经济社会发展主要预期目标",
        "深入落实积极的财政政策，力争专项债券额度稳中有升",
        "出台一批降低企业用能成本、物流成本的务实举措",
    ]
    assert [_owners(task) for task in tasks] == [
        (("市发展改革委", "市统计局"), ("市直有关单位",)),
        (("市财政局",), ("市直有关单位",)),
        (("市发展改革委",), ("市交通运输局", "市税务局")),
    ]


def test_a_wrapped_line_starting_with_a_numeral_is_not_an_item():
    lines = [
        "某县重点工作分工方案",
        "一、加快建设县城污水处理厂二期工程，确保年底前通水运行，做好配套管网建设，",
        "三、四季度完成主体工程验收和试运行工作。（县住建局牵头，县财政局配合）",
    ]
    (task,) = main_tasks(lines)
    assert task.title.startswith("加快建设县城污水处理厂二期工程")
    assert "三、四季度" in task.title
