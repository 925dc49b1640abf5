"""Cells registered, moved through their states with dates and evidence, assessed, and kept in
the 无废细胞台账 workbook (all rows or none)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from wufei.cadence.config import CadenceConfig
from wufei.cells.assessment import assess, assessments_of
from wufei.cells.ledger import CellLedgerError, import_cells_workbook, write_cells_workbook
from wufei.cells.models import Cell, CellEvent
from wufei.cells.registry import CellError, add_cell, advance, get_cell, history_as_dicts, states_on
from wufei.cells.rules import CellRules, CellState
from wufei.reports.evidence import evidence_path


def _school(session, hengshui, rules, name="衡水市第一中学", county="桃城", on=date(2024, 3, 1), **extra):
    return add_cell(
        session,
        jurisdiction=hengshui,
        name=name,
        category="学校",
        county=county,
        on=on,
        actor="office",
        rules=rules,
        **extra,
    )


def test_a_cell_is_registered_with_its_category_lead_county_and_application_day(session, hengshui, rules):
    cell = _school(session, hengshui, rules, address="人民路1号")
    assert (cell.category, cell.county, cell.department.name) == ("无废学校", "桃城区", "市教育局")
    assert (cell.state, cell.state_on) == (CellState.APPLIED, date(2024, 3, 1))
    zone = add_cell(
        session,
        jurisdiction=hengshui,
        name="某小区",
        category="无废小区",
        county="衡水高新区管委会",
        on=date(2024, 3, 2),
        actor="office",
        rules=rules,
        department="市住房城乡建设局",
    )
    assert (zone.county, zone.department.name) == ("衡水高新区", "市住房和城乡建设局")
    with pytest.raises(CellError, match="桃城区已登记名为「衡水市第一中学」的细胞"):
        _school(session, hengshui, rules)
    with pytest.raises(CellError, match="「朝阳区」不是衡水市的县（市、区）或功能区，应为：桃城区、冀州区"):
        _school(session, hengshui, rules, name="另一所", county="朝阳区")
    with pytest.raises(CellError, match="不认识的无废细胞类别「无废饭店」"):
        add_cell(
            session,
            jurisdiction=hengshui,
            name="x",
            category="无废饭店",
            county="景县",
            on=date(2024, 1, 1),
            actor="o",
            rules=rules,
        )


def test_each_change_keeps_its_day_reason_and_evidence_and_the_state_of_any_past_day(
    session, hengshui, rules, evidence_dir
):
    evidence_rules = CadenceConfig.load().evidence
    cell = _school(
        session, hengshui, rules, evidence=[("申报书.pdf", b"%PDF-1.4 application")], evidence_rules=evidence_rules
    )
    advance(session, cell_id=cell.id, to=CellState.BUILDING, on=date(2024, 4, 1), actor="office")
    with pytest.raises(CellError, match="不能改为「命名」（只能改为：评估、退回）"):
        advance(session, cell_id=cell.id, to=CellState.NAMED, on=date(2024, 5, 1), actor="office")
    with pytest.raises(CellError, match="上次变更在2024-04-01，新状态的日期不能更早"):
        advance(session, cell_id=cell.id, to=CellState.ASSESSING, on=date(2024, 3, 15), actor="office")
    advance(
        session, cell_id=cell.id, to=CellState.RETURNED, on=date(2024, 6, 3), actor="office", reason="分类设施未配齐"
    )
    assert get_cell(session, cell.id).return_reason == "分类设施未配齐"
    advance(session, cell_id=cell.id, to=CellState.APPLIED, on=date(2024, 7, 1), actor="office")
    history = history_as_dicts(get_cell(session, cell.id))
    assert [(h["on"], h["from"], h["to"]) for h in history] == [
        ("2024-03-01", None, "申报"),
        ("2024-04-01", "申报", "创建中"),
        ("2024-06-03", "创建中", "退回"),
        ("2024-07-01", "退回", "申报"),
    ]
    assert history[0]["evidence"] == ["申报书.pdf"]
    stored = get_cell(session, cell.id).events[0].evidence[0]
    assert evidence_path(stored.stored_path, root=evidence_dir).read_bytes() == b"%PDF-1.4 application"
    assert states_on(session, [cell.id], date(2024, 5, 31))[cell.id].state is CellState.BUILDING
    assert cell.id not in states_on(session, [cell.id], date(2024, 2, 1))
    assert get_cell(session, cell.id).return_reason is None


def test_an_assessment_scores_every_criterion_and_names_or_returns_the_cell(session, hengshui, rules):
    good = _school(session, hengshui, rules)
    weak = _school(session, hengshui, rules, name="景县第二中学", county="景县")
    for cell in (good, weak):
        advance(session, cell_id=cell.id, to=CellState.BUILDING, on=date(2024, 4, 1), actor="office")
    with pytest.raises(CellError, match="只有处于“评估”的细胞才能评分"):
        assess(session, cell_id=good.id, scores={}, on=date(2024, 9, 1), actor="office", rules=rules)
    for cell in (good, weak):
        advance(session, cell_id=cell.id, to=CellState.ASSESSING, on=date(2024, 9, 1), actor="office")
    with pytest.raises(CellError, match="以下细则尚未评分：资源化利用"):
        assess(
            session,
            cell_id=good.id,
            scores={"1": 14, "2": 18, "3": 16, "5": 25},
            on=date(2024, 10, 8),
            actor="o",
            rules=rules,
        )
    named = assess(
        session,
        cell_id=good.id,
        scores={"1": 14, "2": 18, "3": 16, "4": 12, "5": 25},
        on=date(2024, 10, 8),
        actor="专家组",
        rules=rules,
    )
    assert named.named and named.total == 85
    assert (get_cell(session, good.id).state, get_cell(session, good.id).state_on) == (
        CellState.NAMED,
        date(2024, 10, 8),
    )
    assert [s.points for s in assessments_of(session, good.id)[0].scores] == [14, 18, 16, 12, 25]
    returned = assess(
        session,
        cell_id=weak.id,
        scores={"1": 10, "2": 12, "3": 10, "4": 8, "5": "15分"},
        on=date(2024, 10, 8),
        actor="专家组",
        rules=rules,
    )
    cell = get_cell(session, weak.id)
    assert not returned.named and cell.state == CellState.RETURNED
    assert cell.return_reason.startswith("评估得分55分（满分100分，得分率55%），命名线80%，未达命名线")


def _write(path, rows):
    book = load_workbook(path)
    sheet = book["无废细胞台账"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=5 + offset, column=column, value=value)
    book.save(path)


def test_the_ledger_round_trips_new_cells_and_state_changes(session, hengshui, rules, tmp_path):
    path = tmp_path / "台账.xlsx"
    assert write_cells_workbook(session, path, jurisdiction=hengshui, as_of=date(2024, 5, 1), empty=True) == 0
    _write(
        path,
        [
            (None, "衡水市第一中学", "无废学校", "桃城区", "人民路1号", None, "申报", "2024-03-01"),
            (None, "冀州区某村", "乡村", "冀州区", None, None, "命名", date(2023, 12, 20)),
        ],
    )
    added, changed = import_cells_workbook(
        session, path, jurisdiction=None, today=date(2024, 5, 1), actor="o", rules=rules
    )
    assert [(c.name, c.state, c.department.name) for c in added] == [
        ("衡水市第一中学", CellState.APPLIED, "市教育局"),
        ("冀州区某村", CellState.NAMED, "市农业农村局"),
    ]
    assert changed == []
    school = added[0]
    write_cells_workbook(session, path, jurisdiction=hengshui, as_of=date(2024, 5, 1))
    book = load_workbook(path)
    rows = [r for r in book["无废细胞台账"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[1] for r in rows] == ["冀州区某村", "衡水市第一中学"]
    _write(
        path,
        [
            [*rows[0][:8]],
            [school.id, "衡水市第一中学", "无废学校", "桃城区", "人民路1号", "市教育局", "创建中", "2024-04-02"],
        ],
    )
    added, changed = import_cells_workbook(
        session, path, jurisdiction=None, today=date(2024, 5, 1), actor="o", rules=rules
    )
    assert (added, [c.id for c in changed]) == ([], [school.id])
    assert (get_cell(session, school.id).state, get_cell(session, school.id).state_on) == (
        CellState.BUILDING,
        date(2024, 4, 2),
    )


def test_a_ledger_with_errors_writes_nothing_and_names_each_row_and_column(session, hengshui, rules, tmp_path):
    path = tmp_path / "台账.xlsx"
    write_cells_workbook(session, path, jurisdiction=hengshui, as_of=date(2024, 5, 1), empty=True)
    rows = [
        (None, "衡水市第一中学", "无废学校", "桃城区", None, None, "申报", "2024-03-01"),
        (None, "某医院", "无废医院", "朝阳区", None, None, "申报", "2024-03-01"),
        (None, "某商场", "无废商场", "景县", None, None, "建成", "2024-03-01"),
        (None, "某工厂", "无废工厂", "景县", None, None, "退回", "2024-03-01"),
        (None, "某机关", "无废机关", "景县", None, None, "申报", "2024年3月32日"),
    ]
    _write(path, rows)
    before = session.scalar(select(func.count()).select_from(Cell))
    with pytest.raises(CellLedgerError) as caught:
        import_cells_workbook(session, path, jurisdiction=None, today=date(2024, 5, 1), actor="o", rules=rules)
    message = str(caught.value)
    assert "未写入任何内容" in message
    assert "第7行 G（状态）列：不认识的细胞状态「建成」" in message
    assert "第9行 H（状态日期）列：日期应写成 2024-05-31：「2024年3月32日」" in message
    assert "朝阳区" not in message  # the county is the registry's to check, once every row reads
    rows[2] = (None, "某商场", "无废商场", "景县", None, None, "申报", None)
    rows[4] = (None, "某机关", "无废机关", "景县", None, None, "申报", "2024-03-01")
    _write(path, rows)
    with pytest.raises(CellLedgerError) as caught:
        import_cells_workbook(session, path, jurisdiction=None, today=date(2024, 5, 1), actor="o", rules=rules)
    message = str(caught.value)
    assert "第6行 D（县（市、区））列：「朝阳区」不是衡水市的县（市、区）或功能区" in message
    assert "第8行 I（退回原因）列：以“退回”状态登记须说明理由" in message
    assert session.scalar(select(func.count()).select_from(Cell)) == before
    assert session.scalar(select(func.count()).select_from(CellEvent)) == 0


def test_the_lead_is_the_one_the_city_s_documents_give_the_category_else_the_data_file_s(session, hengshui):
    rules = CellRules.from_dict(
        {
            "categories": {
                "无废学校": {"lead": "市商务局", "criteria": [{"name": "宣传教育", "points": 10}]},
                "无废饭店": {"lead": "市商务局", "criteria": [{"name": "光盘行动", "points": 10}]},
            }
        }
    )
    school = add_cell(
        session,
        jurisdiction=hengshui,
        name="某校",
        category="无废学校",
        county="景县",
        on=date(2024, 1, 2),
        actor="o",
        rules=rules,
    )
    assert school.department.name == "市教育局"  # 衡环办函〔2025〕28号's table
    restaurant = add_cell(
        session,
        jurisdiction=hengshui,
        name="某饭店",
        category="无废饭店",
        county="景县",
        on=date(2024, 1, 2),
        actor="o",
        rules=rules,
    )
    assert restaurant.department.name == "市商务局"
