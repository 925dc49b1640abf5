"""The daily scan's indicator and cell reminders, committed and delivered for real: the outbox holds
the lead department's, its leader's and the office's messages, and a second run sends nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import seeded_database
from tests.rules import CADENCE, RULESET
from tests.seed_files import HENGSHUI_PLAN
from wufei.cells.registry import add_cell
from wufei.cells.rules import CellRules
from wufei.db import transaction
from wufei.departments.models import Department
from wufei.indicators.trajectory import TrackingRules
from wufei.notify.runs import deliver_day
from wufei.plans.models import Jurisdiction
from wufei.points.runs import daily_scan

RULES = replace(RULESET, tracking=TrackingRules.load(), cells=CellRules.load())
DAY = date(2024, 7, 29)  # the 10th working day after 2024-Q2's report date (15 July)


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    from apprise.plugins.base import NotifyBase

    monkeypatch.setattr(NotifyBase, "request_rate_per_sec", 0)  # local receivers: no politeness sleep
    folder = tmp_path / "outbox"
    monkeypatch.setenv("WUFEI_OUTBOX_DIR", str(folder))
    return folder


def _messages(folder) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


def _to(messages, greeting) -> str:
    """The one digest whose body opens with this greeting (市生态环境局专班联系人：)."""
    [message] = [m for m in messages if m["body"].startswith(greeting)]
    return message["body"]


def test_indicator_and_cell_reminders_reach_the_outbox_once(tmp_path, registry, outbox):
    engine = seeded_database(tmp_path, registry, [HENGSHUI_PLAN])
    with transaction(engine) as session:
        hengshui = session.scalar(select(Jurisdiction).where(Jurisdiction.name == "衡水市"))
        school = add_cell(
            session,
            jurisdiction=hengshui,
            name="衡水市第一中学",
            category="学校",
            county="桃城区",
            on=date(2024, 3, 1),
            actor="office",
            rules=RULES.cells,
        )
        education = session.get(Department, school.department_id).name

    scanned = daily_scan(engine, DAY, rules=RULES)
    steps = scanned["indicator_reminders"]["created_by_step"]
    assert steps["indicator_overdue_1"] > 0 and steps["indicator_overdue_10"] > 0
    assert scanned["cell_reminders"] == {"cells": 1, "stalled": 1, "created": 2, "resolved": 0}
    assert scanned["escalation"]["created"] > 0  # the task ladder ran beside it, as before

    summary = deliver_day(engine, DAY, cadence=CADENCE)
    assert summary["failed"] == 0, summary
    sent = _messages(outbox)
    liaison = _to(sent, "市生态环境局专班联系人：")
    assert "【指标逾期未报】" in liaison
    assert (
        "衡政办字〔2022〕57号 指标13 「一般工业固体废物综合利用率」2024年第2季度数值应于2024年7月15日前报送，"
        "已逾期10个工作日未报。下一步：请立即补报，注明统计来源和口径，附佐证材料。"
    ) in liaison
    assert "「一般工业固体废物产生强度」2023年数值应于2024年1月31日前报送" in liaison  # annual, never reported
    leader = _to(sent, "市生态环境局负责同志：")
    assert "「一般工业固体废物综合利用率」2024年第2季度数值应于2024年7月15日前报送，已逾期10个工作日未报" in leader
    assert "下一步：请牵头单位负责同志督促报送，并书面说明逾期原因。" in leader
    office = _to(sent, "领导小组办公室：")  # not 领导小组办公室领导小组办公室
    assert "【指标逾期未报】" in office and "【细胞创建滞留提醒】" in office
    assert "无废细胞「衡水市第一中学」（桃城区，无废学校）自2024年3月1日起处于“申报”，已150天，超过30天" in office
    assert "无废细胞「衡水市第一中学」" in _to(sent, f"{education}专班联系人：")

    again = daily_scan(engine, DAY, rules=RULES)
    assert again["indicator_reminders"]["created"] == 0 and again["cell_reminders"]["created"] == 0
    deliver_day(engine, DAY, cadence=CADENCE)
    assert len(_messages(outbox)) == len(sent)
    engine.dispose()
