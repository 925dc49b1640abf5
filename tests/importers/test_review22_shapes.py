"""Review 22b's shapes, each by its mechanism: a sharing site's page markers told apart from numbered items (only
under the site's line naming the copy, numbers running on from 1, each broken line ending mid-sentence and not after
an owner or deadline clause); items (一)(二) run on after an opening's colon and closed by owners kept with the
opening; a numbered line whose owners open the next line is a task, not a heading; A督促B: the units urged read
whatever they hold (a number, 整改办, brackets in the urger), a label's lead stays the only lead, a 督查 office
urging names the urged unit as the lead; 督促 closing a task, beside 负责, and before a deadline."""

from __future__ import annotations

from pathlib import Path

from tests.importers.reading import first_plan as _plan
from tests.importers.reading import owners as _owners
from wufei.departments.owners import parse_owners

_ITEM = "推进第{n}项垃圾分类重点工作，新建示范小区10个，完善分类投放、分类收集、分类运输设施，开展入户宣传指导。"


def test_long_numbered_items_closed_by_their_owner_and_deadline_are_no_page_markers(tmp_path: Path):
    # On main 2、 to 5、 were read as a sharing site's page markers: one task titled with the document's title,
    # every unit its lead, the deadlines run together with the items' text.
    units = ["县城管局", "县住建局", "县教育局", "县商务局", "县农业农村局"]
    plan = _plan(
        tmp_path,
        "某县2025年生活垃圾分类工作要点\n"
        + "".join(
            f"{n}、{_ITEM.format(n=n)}责任单位：{unit}，完成时限：2025年{n + 6}月底\n"
            for n, unit in enumerate(units, 1)
        ),
    )
    assert [(task.title[:9], *_owners(task), task.deadline_raw) for task in plan.tasks] == [
        (f"推进第{n}项垃圾分类", [unit], [], f"2025年{n + 6}月底") for n, unit in enumerate(units, 1)
    ]


def test_numbered_items_without_a_sharing_site_s_line_are_kept_apart(tmp_path: Path):
    # The broken line ends inside a sentence, but no sharing site's line names the copy: items, not pages.
    plan = _plan(
        tmp_path,
        "某县2025年生活垃圾分类工作要点\n"
        "1、推进垃圾分类示范小区建设，新建示范小区10个，完善分类投放、分类收集设施，开展入户宣传指导。"
        "责任单位：县城管局，完成时限：2025年12月底\n"
        "2、推进厨余垃圾处理设施建设，建成日处理能力50吨的处理设施一座。责任单位：县住建局，完成时限：2025年10月底\n"
        "3、开展垃圾分类进校园活动，覆盖全县中小学。责任单位：县教育局，完成时限：2025年9月底\n",
    )
    assert [(*_owners(task), task.deadline_raw) for task in plan.tasks] == [
        (["县城管局"], [], "2025年12月底"),
        (["县住建局"], [], "2025年10月底"),
        (["县教育局"], [], "2025年9月底"),
    ]


def test_items_run_on_after_an_opening_s_colon_and_closed_by_owners_stay_with_the_opening(tmp_path: Path):
    # On main the opening and item (一) were dropped: the record was titled by item (二), with no content.
    plan = _plan(
        tmp_path,
        "某市2025年无废城市建设工作要点\n"
        "一、主要任务\n"
        "加强工业固体废物源头减量，重点抓好以下工作：（一）推进绿色矿山建设，新建绿色矿山5座。"
        "（二）推广清洁生产审核，完成审核企业20家。（市工业和信息化局牵头，市生态环境局配合，2025年12月底前完成）\n"
        "推进生活垃圾分类，重点抓好以下工作：（一）新建示范小区10个。（二）建成厨余垃圾处理设施一座。"
        "（市城管局牵头，2025年10月底前完成）\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("加强工业固体废物源头减量，重点抓好以下工作", ["市工业和信息化局"], ["市生态环境局"]),
        ("推进生活垃圾分类，重点抓好以下工作", ["市城管局"], []),
    ]
    assert "推进绿色矿山建设" in (plan.tasks[0].content or "") and "推广清洁生产审核" in (plan.tasks[0].content or "")
    assert "新建示范小区10个" in (plan.tasks[1].content or "") and "厨余垃圾" in (plan.tasks[1].content or "")


def test_a_numbered_line_whose_owners_open_the_next_line_is_a_task_not_a_heading(tmp_path: Path):
    # On main the line was taken for a heading over owner groups: the first record had an empty title (refused).
    plan = _plan(
        tmp_path,
        "某市2025年固体废物污染防治工作方案\n"
        "一、主要任务\n"
        "1.加快建设生活垃圾焚烧发电厂。\n"
        "（市城管局牵头）推进餐厨垃圾处理设施建设。（市住建局牵头）\n"
        "2.加强危险废物监管。（市生态环境局牵头）\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("加快建设生活垃圾焚烧发电厂", ["市城管局"], []),
        ("推进餐厨垃圾处理设施建设", ["市住建局"], []),
        ("加强危险废物监管", ["市生态环境局"], []),
    ]


def test_units_urged_are_read_whatever_they_hold_and_a_label_s_lead_stays_the_only_lead():
    # On main a number or 整改 in the units urged lost them, a label made the unit urged a lead, and brackets in the
    # urger gave one unit named with 督促.
    assert parse_owners("市生态环境局督促10个县（市、区）落实").supporting == ("10个县（市、区）",)
    spec = parse_owners("市住建局督促市整改办落实")
    assert (spec.leads, spec.supporting) == (("市住建局",), ("市整改办",))
    spec = parse_owners("牵头单位：市生态环境局督促各县（市、区）落实")
    assert spec.leads == ("市生态环境局",) and "各县（市、区）" not in spec.leads
    spec = parse_owners("各县（市、区）政府督促辖区企业落实")
    assert spec.leads == ("各县（市、区）政府",)
    assert not any("督促" in name for name in (*spec.leads, *spec.supporting, *spec.implementers))


def test_a_supervision_office_urging_a_unit_names_that_unit_as_the_lead():
    # On main the 督查室 (who checks the work) led it.
    spec = parse_owners("区政府督查室督促区住建局2025年底前完成")
    assert spec.leads == ("区住建局",) and "区政府督查室" not in spec.supporting


def test_urging_in_a_task_s_closing_bracket_names_its_owners_and_keeps_its_deadline_apart(tmp_path: Path):
    # On main: no owners at all, the units urged dropped beside 负责, the urging clause given as the deadline.
    plan = _plan(
        tmp_path,
        "某市2025年固体废物污染防治工作方案\n"
        "一、主要任务\n"
        "1.推进尾矿库污染治理。完成尾矿库整治。（市生态环境局督促各县（市、区）落实）\n"
        "2.推进农膜回收。建成回收网点。（市农业农村局负责，督促各县（市、区）落实）\n"
        "3.推进建筑垃圾资源化利用。建成处置设施。（市住房城乡建设局牵头，督促各县（市、区）于2025年底前完成）\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("推进尾矿库污染治理", ["市生态环境局"], ["各县（市、区）"]),
        ("推进农膜回收", ["市农业农村局"], ["各县（市、区）"]),
        ("推进建筑垃圾资源化利用", ["市住房城乡建设局"], ["各县（市、区）"]),
    ]
    assert "督促" not in (plan.tasks[2].deadline_raw or "") and "2025年底前" in (plan.tasks[2].deadline_raw or "")


def test_a_supervision_office_urging_a_unit_in_a_sentence_names_that_unit_as_the_lead(tmp_path: Path):
    # The candidate reading of a paragraph without an owner clause: on main the 督查室 led, the unit urged supported.
    plan = _plan(
        tmp_path,
        "某区2025年重点工作推进情况\n区政府督查室督促区住建局2025年9月底前完成老旧小区垃圾分类设施改造。\n",
    )
    assert [_owners(task) for task in plan.tasks] == [(["区住建局"], [])]
