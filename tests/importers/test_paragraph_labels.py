"""Owner and deadline labels under or after a task in the forms publishers vary (made-up text in their
style): labels in brackets, 责任主体, other deadline labels, a person's line, other 标签：内容 lines, and
numbered items whose owners the text left out beside items that name theirs."""

from __future__ import annotations

from wufei.departments.owners import parse_owners, unbracket_labels
from wufei.importers.text.paragraphs import main_tasks


def owners(task):
    spec = parse_owners(task.owners_raw)
    return spec.leads, spec.supporting


def test_labels_in_brackets_read_like_labels_before_a_colon():
    assert unbracket_labels("推进回收网点建设。【牵头单位】县商务局【配合单位】县供销社") == (
        "推进回收网点建设。牵头单位：县商务局；配合单位：县供销社"
    )
    [task] = main_tasks(
        ["一、重点任务", "1.推进回收网点建设。【牵头单位】县商务局【配合单位】县供销社【完成时限】2023年底"]
    )
    assert (task.title, owners(task), task.deadline_raw) == (
        "推进回收网点建设",
        (("县商务局",), ("县供销社",)),
        "2023年底",
    )


def test_zeren_zhuti_names_the_owners_the_first_leading():
    [task] = main_tasks(["一、重点任务", "1.推进秸秆综合利用。（责任主体：县农业农村局，各乡镇）"])
    assert owners(task) == (("县农业农村局",), ("各乡镇",))


def test_deadline_labels_publishers_use_under_a_task():
    lines = [
        "二、主要任务",
        "1.完善分类体系。",
        "牵头部门：县城管局",
        "责任科室：环卫股",
        "时间要求：2023年6月30日前",
        "2.建设分拣中心。",
        "责任单位：县商务局",
        "办结时限：2024年3月",
    ]
    first, second = main_tasks(lines)
    assert (owners(first), first.deadline_raw) == ((("县城管局",), ()), "2023年6月30日前")
    assert first.content == "责任科室：环卫股"  # kept with its task, no owner
    assert (owners(second), second.deadline_raw) == ((("县商务局",), ()), "2024年3月")


def test_a_leader_s_line_among_the_owner_lines_names_nobody():
    lines = ["二、主要任务", "1.推进城市更新。", "牵头领导：常务副县长", "责任单位：县住建局、县自然资源局"]
    [task] = main_tasks(lines)
    assert owners(task) == (("县住建局",), ("县自然资源局",))
    assert "常务副县长" not in (task.content or "")


def test_an_item_whose_owners_the_text_left_out_is_a_task_beside_items_naming_theirs():
    lines = [
        "某区2024年生态环境保护重点工作任务分解",
        "一、大气污染防治",
        "1.完成燃煤锅炉淘汰。（区生态环境局牵头，各街道配合）",
        "2.加强扬尘污染管控。",
        "3.推进柴油货车污染治理。（区交通局负责）",
        "二、工作要求",
        "1.各单位要高度重视，加强领导。",
        "2.各单位要按时报送进展情况。",
    ]
    tasks = main_tasks(lines)
    assert [(task.title, task.owners_raw) for task in tasks] == [
        ("完成燃煤锅炉淘汰", "区生态环境局牵头，各街道配合"),
        ("加强扬尘污染管控", None),  # awaiting its owners
        ("推进柴油货车污染治理", "区交通局负责"),
    ]


def test_a_manner_word_before_the_verb_is_no_part_of_a_name():
    spec = parse_owners("市城管局牵头，各县区人民政府具体负责")
    assert (spec.leads, spec.supporting) == (("市城管局",), ("各县区人民政府",))
    assert parse_owners("市财政局、市税务局共同负责").leads == ("市财政局", "市税务局")


def test_a_heading_carrying_its_text_without_owners_is_a_task_beside_sibling_headings_that_name_theirs():
    lines = [
        "某区重点工作分工",
        "一、稳增长",
        "（一）推进重大项目建设。全年新开工项目50个。（区发改委牵头，各街道配合）",
        "（二）扩大有效投资，完成固定资产投资200亿元。力争更多项目纳入省市重点。",
        "（三）优化营商环境。（区营商局负责）",
        "二、工作要求",
        "（一）加强组织领导，各单位主要负责同志要亲自抓。",
        "（二）强化督查考核，区督查室按季度通报。",
    ]
    assert [(task.title, task.owners_raw) for task in main_tasks(lines)] == [
        ("推进重大项目建设", "区发改委牵头，各街道配合"),
        ("扩大有效投资，完成固定资产投资200亿元", None),
        ("优化营商环境", "区营商局负责"),
    ]
