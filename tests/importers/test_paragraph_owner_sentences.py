"""Owners named in a sentence of their own, without brackets: closing the item (…。由A负责，B配合。) or
opening the text under its heading (由某某副市长负责，A牵头，B配合，…); persons are no owners; a page
cut from the middle of a list starts at its item 3."""

from __future__ import annotations

from wufei.departments.owners import is_person, parse_owners
from wufei.importers.text.paragraphs import main_tasks


def owners(task):
    spec = parse_owners(task.owners_raw)
    return spec.leads, spec.supporting, spec.implementers


def test_a_sentence_closing_the_item_names_its_owners():
    lines = [
        "1.加强餐厨垃圾管理。建立收运台账，定期检查收运处置情况。由市城管局负责，市市场监管局配合。",
        "2.规范建筑垃圾消纳。严格执行核准制度。由市住建局、市城管局牵头，各区政府负责实施。",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.content) == ("加强餐厨垃圾管理", "建立收运台账，定期检查收运处置情况。")
    assert owners(first) == (("市城管局",), ("市市场监管局",), ())
    assert second.title == "规范建筑垃圾消纳"
    assert owners(second) == (("市住建局", "市城管局"), (), ("各区政府",))


def test_a_last_sentence_that_is_prose_names_nobody():
    lines = ["1.加强餐厨垃圾管理。建立台账。由此带动全市垃圾分类工作。", "2.规范建筑垃圾消纳。严格执行核准制度。"]
    tasks = main_tasks(lines, items=True)
    assert [t.owners_raw for t in tasks] == [None, None]
    assert tasks[0].content == "建立台账。由此带动全市垃圾分类工作。"


def test_owners_opening_the_text_under_its_heading_are_taken_out_and_the_person_left_aside():
    lines = [
        "1、城西再生资源回收中心项目",
        "由王某某副市长负责，市商务局牵头，市自然资源局配合，尽快完成选址论证，按程序报批。",
        "2、餐厨废弃物处理厂扩建项目",
        "由李某副市长负责，市城管局牵头，相关部门配合，加快前期工作。",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.content) == ("城西再生资源回收中心项目", "尽快完成选址论证，按程序报批。")
    assert owners(first) == (("市商务局",), ("市自然资源局",), ())
    assert (second.title, second.content) == ("餐厨废弃物处理厂扩建项目", "加快前期工作。")
    assert owners(second) == (("市城管局",), ("相关部门",), ())


def test_owners_opening_the_sentence_after_the_title_in_one_paragraph():
    [task] = main_tasks(["1.推进秸秆综合利用。市农业农村局牵头，市发改委配合，建设收储点20个。"])
    assert (task.title, task.content) == ("推进秸秆综合利用", "建设收储点20个。")
    assert owners(task) == (("市农业农村局",), ("市发改委",), ())


def test_a_page_cut_from_the_middle_of_a_list_starts_at_its_item():
    lines = [
        "3.强化医疗废物监管。落实转移联单制度。由市卫健委负责，市生态环境局配合。",
        "4.推进工业固废利用。建设综合利用基地。由市工信局负责。",
    ]
    assert [(t.number, t.title) for t in main_tasks(lines)] == [("3", "强化医疗废物监管"), ("4", "推进工业固废利用")]


def test_persons_are_no_owners():
    assert [is_person(n) for n in ("张某某副市长", "常务副区长", "市长", "市政府办公室", "市卫健委")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    spec = parse_owners("由赵某副县长负责，县交通运输局牵头，县财政局配合")
    assert (spec.leads, spec.supporting) == (("县交通运输局",), ("县财政局",))


def test_fuze_shishi_names_the_implementers():
    spec = parse_owners("市生态环境局牵头，各区县政府负责实施")
    assert (spec.leads, spec.implementers) == (("市生态环境局",), ("各区县政府",))
    alone = parse_owners("各乡镇人民政府负责实施")
    assert alone.leads == ("各乡镇人民政府",)


def test_a_lead_stated_once_in_a_section_heading_leads_every_task_under_it():
    lines = [
        "一、县发展改革局牵头工作（3项）",
        "1.建设冷链物流园区。完成一期主体工程。",
        "2.推进以工代赈项目。",
        "二、县住建局负责事项",
        "3.改造老旧小区12个。（县财政局配合）",
        "三、其他工作",
        "4.开展秸秆禁烧巡查。",
    ]
    tasks = main_tasks(lines, items=True)
    assert [(t.title, t.owners_raw) for t in tasks] == [
        ("建设冷链物流园区", "县发展改革局牵头"),
        ("推进以工代赈项目", "县发展改革局牵头"),
        ("改造老旧小区12个", "县住建局负责，县财政局配合"),  # its own clause names who supports
        ("开展秸秆禁烧巡查", None),
    ]
