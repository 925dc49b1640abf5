"""A notice's own requirements (一、责任到人，闭环管理。…) are no tasks when the other tasks of the document
name their owners: they are left out, and the plan says so for a person to confirm (issue 11, round 5)."""

from __future__ import annotations

from pathlib import Path

from wufei.importers.service import read_source

NOTICE = """某县人民政府办公室关于印发2026年重点工作任务分解的通知

各乡镇人民政府，县直各有关单位：

现将《2026年重点工作任务分解》印发给你们，请认真抓好落实。

一、压实责任，清单管理。各责任单位要对照任务清单逐项细化措施，明确责任人和工作标准。

二、强化调度，按月通报。县政府督查室每月调度一次进展情况，通报落后单位。

2026年重点工作任务清单

一、县住房和城乡建设局牵头工作（2项）

1.新建污水管网12公里。

2.改造老旧小区3个。
"""


def plan_of(tmp_path: Path, text: str):
    path = tmp_path / "某县重点工作任务分解.txt"
    path.write_text(text, encoding="utf-8")
    [plan] = read_source(path).plans
    return plan


def test_requirements_naming_no_owner_beside_owned_tasks_are_no_tasks(tmp_path: Path):
    plan = plan_of(tmp_path, NOTICE)
    titles = [task.title for task in plan.tasks]
    assert not any("压实责任" in title or "强化调度" in title for title in titles)
    assert any("污水管网" in title for title in titles) and any("老旧小区" in title for title in titles)
    [doubt] = [d for d in plan.doubts if "工作要求" in d.message]
    assert "2个编号条目" in doubt.message and "压实责任" in doubt.text


def test_an_item_with_its_deadline_stays_a_task(tmp_path: Path):
    text = NOTICE.replace("二、强化调度，按月通报。", "二、强化调度，2026年6月底前建立月报制度。")
    titles = [task.title for task in plan_of(tmp_path, text).tasks]
    assert any("强化调度" in title for title in titles)
    assert not any("压实责任" in title for title in titles)


def test_items_are_tasks_when_nothing_names_an_owner(tmp_path: Path):
    text = NOTICE.replace("一、县住房和城乡建设局牵头工作（2项）", "")
    titles = [task.title for task in plan_of(tmp_path, text).tasks]
    assert any("压实责任" in title for title in titles)
