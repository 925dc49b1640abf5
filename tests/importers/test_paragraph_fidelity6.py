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
