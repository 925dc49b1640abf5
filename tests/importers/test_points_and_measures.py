"""一是/二是 points and 整改 lines under numbered items (round 18's review): a 一是 line is an item of its own only
when its line names its owners, otherwise a point of the task it follows; a 整改措施/整改时限 line under a (1)
sub-item belongs to that sub-item, not to every sub-item of its group."""

from __future__ import annotations

from pathlib import Path

from wufei.importers.records import TaskRecord
from wufei.importers.service import read_source


def _tasks(tmp_path: Path, text: str) -> list[TaskRecord]:
    path = tmp_path / "方案.txt"
    path.write_text(text, encoding="utf-8")
    return read_source(path).plans[0].tasks


def test_points_under_a_numbered_task_stay_in_it(tmp_path: Path):
    tasks = _tasks(
        tmp_path,
        "某市2025年无废城市建设工作要点\n一、主要任务\n1．强化医疗废物监管。\n一是开展医疗机构废物分类专项检查；\n"
        "二是推进县域医疗废物收运体系建设。\n（市卫健委牵头，2025年底前）\n"
        "2．推动再生资源回收利用（市商务局牵头，2025年6月底前）。\n一是布设社区回收网点。\n二是培育分拣中心。\n"
        "3．推进餐厨垃圾处理（市城管局牵头，2025年底前）。\n",
    )
    assert [(t.title, t.owners_raw, t.deadline_raw) for t in tasks] == [
        ("强化医疗废物监管", "市卫健委牵头", "2025年底前"),
        ("推动再生资源回收利用", "市商务局牵头", "2025年6月底前"),
        ("推进餐厨垃圾处理", "市城管局牵头", "2025年底前"),
    ]
    assert "开展医疗机构废物分类专项检查" in (tasks[0].content or "")
    assert "推进县域医疗废物收运体系建设" in (tasks[0].content or "")
    assert "布设社区回收网点" in (tasks[1].content or "") and "培育分拣中心" in (tasks[1].content or "")


def test_points_under_a_heading_closed_by_an_owner_line_are_one_task(tmp_path: Path):
    tasks = _tasks(
        tmp_path,
        "某市2025年无废城市建设工作要点\n一、危险废物\n（一）强化医疗废物监管。\n一是开展医疗机构废物分类专项检查；\n"
        "二是推进县域医疗废物收运体系建设；\n三是严查医疗废物流失。\n责任单位：市卫健委、市生态环境局。完成时限：2025年底前。\n",
    )
    assert len(tasks) == 1
    text = f"{tasks[0].title}{tasks[0].content}"
    assert all(point in text for point in ("医疗机构废物分类", "县域医疗废物收运", "严查医疗废物流失"))
    assert tasks[0].deadline_raw == "2025年底前"


def test_points_each_closed_by_owners_are_tasks_of_their_own(tmp_path: Path):
    """Guard: round 16's problems numbered 一是… each with its owners stay tasks each."""
    tasks = _tasks(
        tmp_path,
        "某区生态环境问题整改方案\n一是河道沿岸存在生活垃圾堆放点（区水利局牵头，区城管局配合）。\n"
        "二是部分小区大件垃圾长期未清运（区城管局牵头）。\n",
    )
    assert [t.title for t in tasks] == ["河道沿岸存在生活垃圾堆放点", "部分小区大件垃圾长期未清运"]


def test_measures_and_deadlines_belong_to_the_sub_item_they_follow(tmp_path: Path):
    tasks = _tasks(
        tmp_path,
        "某县生态环境问题整改方案\n一、整改内容\n1.专项整改问题\n"
        "（1）垃圾中转站渗滤液直排。（牵头单位：县城管局；责任单位：各乡镇）\n整改措施：改造渗滤液收集池。\n"
        "整改时限：2025年3月底前\n"
        "（2）建筑垃圾乱堆乱放。（牵头单位：县住建局；责任单位：各乡镇）\n整改措施：设置临时消纳点。\n"
        "整改时限：2025年6月底前\n"
        "2.长效机制建设（牵头单位：县生态环境局，2025年底前）\n",
    )
    by_title = {t.title: t for t in tasks}
    first, second = by_title["垃圾中转站渗滤液直排"], by_title["建筑垃圾乱堆乱放"]
    assert "改造渗滤液收集池" in (first.content or "") and "设置临时消纳点" not in (first.content or "")
    assert "设置临时消纳点" in (second.content or "") and "改造渗滤液收集池" not in (second.content or "")
    assert (first.deadline_raw, second.deadline_raw) == ("2025年3月底前", "2025年6月底前")
    assert by_title["长效机制建设"].deadline_raw == "2025年底前"


def test_measures_follow_their_problem_when_a_sub_item_spans_lines(tmp_path: Path):
    """(2) a heading line over ① closed by its owners (sc_tuopin_zhenggai_2018's shape): the group is cut at its
    owner clauses, and each 整改措施 goes to the problem its owners closed just before it."""
    tasks = _tasks(
        tmp_path,
        "某县脱贫攻坚问题整改方案\n一、整改内容\n1.专项整改问题\n"
        "（1）脱贫人口指标集中安排给计划退出村。（牵头单位：县扶贫办；责任单位：各乡镇）\n"
        "整改措施：科学确定脱贫人口指标。\n（2）住房安全方面。\n"
        "①有的易地扶贫搬迁建房面积超标。（牵头单位：县住建局；责任单位：各乡镇）\n整改措施：开展建房面积专项核查。\n",
    )
    texts = [f"{task.title}{task.content}" for task in tasks]
    assert len(texts) == 2
    assert "科学确定脱贫人口指标" in texts[0] and "开展建房面积专项核查" not in texts[0]
    assert "开展建房面积专项核查" in texts[1] and "科学确定脱贫人口指标" not in texts[1]
