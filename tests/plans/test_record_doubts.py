"""What the loader cannot read with confidence is kept with a doubt on the record, never refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from wufei.importers.service import load_source, read_source
from wufei.indicators.models import Indicator
from wufei.tasks.milestones import remove_milestone
from wufei.tasks.models import Milestone, Task

DOCUMENT = """衡水市人民政府办公室
关于印发衡水市2024年“无废城市”建设工作要点的通知

附件

衡水市2024年“无废城市”建设重点任务分工

序号\t重点任务\t牵头单位\t配合单位\t完成时限
1\t建立固体废物统计制度\t市生态环境局\t市统计局\t尽快
2\t出台配套办法\t市生态环境局\t\t省出台文件后2个月完成
3\t建成分拣中心\t市商务局\t市供销社\t2024年6月底前完成选址，12月底前建成
4\t开展无废机关创建\t市机关事务管理局\t市统计局\t9月前
5\t推进危废处置\t有关县市区人民政府\t\t年底前
6\t推进再生资源回收\t市生态环境厅\t市统计局\t2024年

衡水市2024年“无废城市”建设指标

序号\t指标名称\t单位\t2023年\t2024年目标值\t责任单位
1\t一般工业固体废物综合利用率\t%\t55\t≥60 ≥40 ≥18 ≥70\t市工业和信息化局
2\t生活垃圾回收利用率\t%\t30\t显著提升\t市城市管理综合行政执法局
"""


def _load(session, registry, tmp_path):
    path = tmp_path / "衡水市2024年工作要点.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    source = read_source(path)
    [summary], _ = load_source(session, source, registry=registry, actor="test", path=str(path))
    session.flush()
    return source.plans[0], summary


def _task(session, plan_id: int, number: str) -> Task:
    return session.scalar(select(Task).where(Task.plan_id == plan_id, Task.number == number))


def _fields(record) -> list[str]:
    return [doubt.field for doubt in record.doubts]


def test_an_unreadable_deadline_is_kept_as_text_without_a_date_with_a_doubt(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    task = _task(session, summary.plan_id, "1")
    assert (task.deadline_raw, task.due_date) == ("尽快", None)
    [doubt] = parsed.tasks[0].doubts
    assert (doubt.field, doubt.text) == ("deadline", "尽快")
    assert "尽快" in doubt.message and "请填写" in doubt.message


def test_a_relative_deadline_is_kept_as_text_and_flagged_for_the_office(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    task = _task(session, summary.plan_id, "2")
    assert (task.deadline_raw, task.due_date) == ("省出台文件后2个月完成", None)
    assert _fields(parsed.tasks[1]) == ["deadline"]
    assert "具体日期" in parsed.tasks[1].doubts[0].message


def test_the_earlier_date_of_a_deadline_becomes_a_document_milestone(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    task = _task(session, summary.plan_id, "3")
    assert task.due_date == date(2024, 12, 31)
    [milestone] = session.scalars(select(Milestone).where(Milestone.task_id == task.id))
    assert (milestone.due_date, milestone.source, milestone.title) == (
        date(2024, 6, 30),
        "document",
        "2024年6月底前完成选址",
    )
    assert 0 < milestone.expected_progress < 100
    assert parsed.tasks[2].doubts == []


def test_reimporting_a_plan_with_document_milestones_changes_nothing(session, registry, tmp_path):
    _load(session, registry, tmp_path)
    _, again = _load(session, registry, tmp_path)
    assert again.changes.get("created", 0) == again.changes.get("updated", 0) == again.changes.get("deleted", 0) == 0
    assert session.scalars(select(Milestone).where(Milestone.source == "document")).all()


def test_a_strict_reading_of_qian_is_flagged(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    assert _task(session, summary.plan_id, "4").due_date == date(2024, 8, 31)
    assert _fields(parsed.tasks[3]) == ["deadline"]


def test_a_date_without_a_year_takes_the_one_year_plans_year(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    assert (parsed.period_start, parsed.period_end) == (2024, 2024)
    assert _task(session, summary.plan_id, "5").due_date == date(2024, 12, 31)


def test_a_lead_the_office_must_pick_leaves_the_task_awaiting_assignment_with_a_doubt(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    task = _task(session, summary.plan_id, "5")
    assert task.awaiting_assignment is True
    assert [(d.field, d.text) for d in parsed.tasks[4].doubts] == [("leads", "有关县市区人民政府")]


def test_an_unknown_owner_is_a_doubt_on_its_field_and_still_a_warning(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    [doubt] = parsed.tasks[5].doubts
    assert (doubt.field, doubt.text) == ("leads", "市生态环境厅")
    assert "市生态环境局" in doubt.message  # the close match is suggested
    assert any("市生态环境厅" in warning for warning in summary.warnings)


def test_one_target_per_area_imports_as_text_with_a_doubt(session, registry, tmp_path):
    parsed, summary = _load(session, registry, tmp_path)
    first = session.scalar(select(Indicator).where(Indicator.plan_id == summary.plan_id, Indicator.number == "1"))
    assert (first.target_raw, first.target_kind, first.target_value) == ("≥60 ≥40 ≥18 ≥70", "qualitative", None)
    assert (first.baseline_value, first.baseline_year, first.target_year) == (55, 2023, 2024)
    assert _fields(parsed.indicators[0]) == ["target"]


def test_a_text_target_nobody_can_judge_is_flagged(session, registry, tmp_path):
    parsed, _ = _load(session, registry, tmp_path)
    assert _fields(parsed.indicators[1]) == ["target"]
    assert "如何判断" in parsed.indicators[1].doubts[0].message


def test_doubts_are_not_doubled_when_the_same_records_load_twice(session, registry, tmp_path):
    path = tmp_path / "衡水市2024年工作要点.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    source = read_source(path)
    for _ in range(2):
        load_source(session, source, registry=registry, actor="test", path=str(path))
    assert len(source.plans[0].tasks[0].doubts) == 1


TWO_TARGETS = """衡水市人民政府办公室
衡水市“无废城市”建设指标（2023—2025年）

序号\t指标名称\t单位\t2022年\t2023年目标\t2025年目标\t责任单位
1\t一般工业固体废物综合利用率\t%\t55\t≥58\t≥60\t市工业和信息化局
"""


def test_a_target_beside_the_final_one_is_said_in_a_warning_not_dropped_silently(session, registry, tmp_path):
    path = tmp_path / "衡水市指标.txt"
    path.write_text(TWO_TARGETS, encoding="utf-8")
    source = read_source(path)
    [summary], _ = load_source(session, source, registry=registry, actor="test", path=str(path))
    [indicator] = source.plans[0].indicators
    assert (indicator.target_raw, indicator.target_year, indicator.other_targets) == (
        "≥60",
        2025,
        {"2023年目标": "≥58"},
    )
    assert any("2023年目标" in warning and "最终目标值" in warning for warning in summary.warnings)
    stored = session.scalar(select(Indicator).where(Indicator.plan_id == summary.plan_id))
    assert (stored.target_value, stored.baseline_value, stored.baseline_year) == (60, 55, 2022)


def test_a_document_milestone_the_office_removed_is_not_brought_back_by_a_reimport(session, registry, tmp_path):
    _, summary = _load(session, registry, tmp_path)
    task = _task(session, summary.plan_id, "3")
    remove_milestone(session, task_id=task.id, due_date=date(2024, 6, 30), actor="office")
    _load(session, registry, tmp_path)
    assert session.scalars(select(Milestone).where(Milestone.task_id == task.id)).all() == []
