"""Owner labels other publishers use (round 7): `部门分工：A牵头，B配合。` under a 政府工作报告 target, a supervision
office's `承办单位` (the lead) beside `协办单位`."""

from __future__ import annotations

from wufei.departments.owners import parse_owners
from wufei.importers.text.paragraphs import main_tasks


def _roles(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = parse_owners(text)
    return spec.leads, spec.supporting


def test_a_division_of_work_line_under_each_target_names_its_owners():
    lines = [
        "某某省2023年政府工作报告重点任务分工方案",
        "一、主要预期目标",
        "1.城镇新增就业50万人以上。",
        "分管副省长:王某某",
        "部门分工:省人力资源社会保障厅牵头,各市、各部门配合。",
        "2.居民消费价格涨幅3%左右。",
        "分管副省长:李某某",
        "部门分工:省发展改革委、省市场监管局按职责分工负责。",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == ["城镇新增就业50万人以上", "居民消费价格涨幅3%左右"]
    assert [_roles(task.owners_raw) for task in tasks] == [
        (("省人力资源社会保障厅",), ("各市", "各部门")),
        (("省发展改革委", "省市场监管局"), ()),
    ]


def test_a_division_of_work_label_with_a_plain_list_leads_with_the_first():
    assert _roles("责任分工：市城管局、市财政局") == (("市城管局",), ("市财政局",))


def test_the_unit_taking_a_supervised_matter_on_leads():
    lines = [
        "关于2023年第一批重点督办事项的交办通知",
        "1.完成老旧供水管网改造30公里。",
        "承办单位：县水务局",
        "协办单位：县财政局、县住建局",
        "办结时限：2023年11月底前",
    ]
    (task,) = main_tasks(lines)
    assert _roles(task.owners_raw) == (("县水务局",), ("县财政局", "县住建局"))
    assert task.deadline_raw == "2023年11月底前"


def test_labels_on_the_items_own_line_after_a_space():
    lines = [
        "某某区2023年为民办实事任务分解表",
        "1.新建社区食堂8个　牵头单位：区民政局　配合单位：各街道办事处　完成时限：2023年10月底前",
        "2.改造农村公路40公里  责任单位：区交通局  完成时限：2023年11月底前",
    ]
    tasks = main_tasks(lines)
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("新建社区食堂8个", "2023年10月底前"),
        ("改造农村公路40公里", "2023年11月底前"),
    ]
    assert [_roles(task.owners_raw) for task in tasks] == [(("区民政局",), ("各街道办事处",)), (("区交通局",), ())]


def test_the_signature_under_the_last_deadline_line_is_no_part_of_it():
    lines = [
        "关于2023年第一批重点督办事项的交办通知",
        "1.完成老旧供水管网改造30公里。",
        "承办单位：县水务局",
        "办结时限：2023年11月底前",
        "",
        "某某县人民政府督查室",
        "2023年3月2日",
    ]
    (task,) = main_tasks(lines)
    assert task.deadline_raw == "2023年11月底前"
