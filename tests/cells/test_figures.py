"""Figures from the registry: by category and by county, in the monthly and half-year figures and
their bulletins; seed 000's figures reproduce when its cells are entered."""

from __future__ import annotations

import itertools
from datetime import date

from openpyxl import load_workbook

from tests.bulletins.issuing import issue_bulletin
from tests.cadence import figures as F
from tests.cadence.test_figures import CAL
from wufei.cells.ledger import import_cells_workbook, write_cells_workbook
from wufei.cells.registry import add_cell, advance
from wufei.cells.rules import CellState
from wufei.figures.cells import cell_figures

# 衡环办函〔2025〕28号's table: category, count, 推进情况
SEED_000 = [
    ("无废学校", 30, "已完成"),
    ("无废景区", 1, "持续推进中"),
    ("无废乡村", 218, "已完成"),
    ("无废小区", 400, "已完成"),
    ("无废机关", 21, "已完成"),
    ("无废事业单位", 25, "已完成"),
    ("无废工厂", 1, "已完成"),
    ("无废商场", 20, "已完成"),
    ("无废医院", 19, "已完成"),
]
COUNTIES = ["桃城区", "冀州区", "枣强县", "武邑县", "武强县", "饶阳县", "安平县", "故城县", "景县", "阜城县", "深州市"]


def _enter_seed_000(session, hengshui, rules, path):
    """Every cell of the reply's table, one row each, spread over the counties (the reply names none)."""
    write_cells_workbook(session, path, jurisdiction=hengshui, as_of=date(2025, 3, 1), empty=True)
    book = load_workbook(path)
    sheet = book["无废细胞台账"]
    counties = itertools.cycle(COUNTIES)
    line = 5
    for category, count, progress in SEED_000:
        state = "命名" if progress == "已完成" else "创建中"
        for n in range(1, count + 1):
            values = [None, f"{category}{n}号", category, next(counties), None, None, state, "2024-12-31"]
            for column, value in enumerate(values, start=1):
                sheet.cell(row=line, column=column, value=value)
            line += 1
    book.save(path)
    added, _ = import_cells_workbook(session, path, jurisdiction=None, today=date(2025, 3, 1), actor="o", rules=rules)
    return added


def test_seed_000_reproduces_from_the_registry_when_its_cells_are_entered(session, hengshui, rules, tmp_path):
    added = _enter_seed_000(session, hengshui, rules, tmp_path / "台账.xlsx")
    assert len(added) == 735  # the table's rows add up to 735; the reply's text says 733
    figures = cell_figures(session, jurisdiction="衡水市", day=date(2025, 3, 1), rules=rules)
    assert (figures.planned_total, figures.planned_source) == (480, "衡环办函〔2025〕28号")
    by_category = {c.name: (c.named, c.building) for c in figures.by_category}
    assert by_category == {c: ((n, 0) if p == "已完成" else (0, n)) for c, n, p in SEED_000}
    assert [c.lead for c in figures.by_category][:3] == ["市教育局", "市文化广电和旅游局", "市农业农村局"]
    assert (figures.total.named, figures.total.building, figures.total.planned) == (734, 1, 480)
    assert figures.total.completion_rate == 1.5292  # 734 / 480; the reply: 733 / 480 = 152.71%
    assert figures.notes == ["登记在册735个（已命名734个），与《衡环办函〔2025〕28号》所述累计建设733个相差2个"]
    assert [c.name for c in figures.by_county] == COUNTIES
    assert sum(c.named for c in figures.by_county) == 734
    assert cell_figures(session, jurisdiction="衡水市", day=date(2024, 12, 30), rules=rules) is None


def _moving_cells(session, hengshui, rules):
    """Three schools: one named in May, one building, one returned in June."""
    cells = [
        add_cell(
            session,
            jurisdiction=hengshui,
            name=name,
            category="无废学校",
            county=county,
            on=date(2024, 1, 10),
            actor="o",
            rules=rules,
        )
        for name, county in (("桃城区第一中学", "桃城区"), ("景县中学", "景县"), ("冀州区实验小学", "冀州区"))
    ]
    for cell in cells:
        advance(session, cell_id=cell.id, to=CellState.BUILDING, on=date(2024, 2, 1), actor="o")
    advance(session, cell_id=cells[0].id, to=CellState.ASSESSING, on=date(2024, 4, 20), actor="o")
    advance(session, cell_id=cells[0].id, to=CellState.NAMED, on=date(2024, 5, 20), actor="o")
    advance(session, cell_id=cells[2].id, to=CellState.RETURNED, on=date(2024, 6, 3), actor="o", reason="未开展分类")
    session.flush()
    return cells


def test_monthly_and_half_year_figures_count_cells_by_category_and_county_as_of_their_day(session, hengshui, rules):
    _moving_cells(session, hengshui, rules)
    may = F.monthly_figures(session, period="2024-05", as_of=date(2024, 6, 5), calendar=CAL, jurisdiction="衡水市")
    registry = may["cell_registry"]
    school = next(c for c in registry["by_category"] if c["name"] == "无废学校")
    assert (school["building"], school["named"], school["named_in_period"], school["returned"]) == (2, 1, 1, 0)
    assert [(c["name"], c["named"], c["building"]) for c in registry["by_county"]] == [
        ("桃城区", 1, 0),
        ("冀州区", 0, 1),
        ("景县", 0, 1),
    ]
    half = F.half_year_figures(session, period="2024-H1", as_of=date(2024, 7, 3), calendar=CAL, jurisdiction="衡水市")
    assert half["cell_registry"]["total"]["returned"] == 1
    assert half["cell_registry"]["total"]["named_in_period"] == 1
    april = F.monthly_figures(session, period="2024-04", as_of=date(2024, 5, 8), calendar=CAL, jurisdiction="衡水市")
    assert april["cell_registry"]["total"]["named"] == 0 and april["cell_registry"]["total"]["assessing"] == 1


def test_the_bulletins_carry_the_tables_by_category_and_county(session, hengshui, rules, tmp_path):
    _moving_cells(session, hengshui, rules)
    monthly = issue_bulletin(
        session, kind="monthly", period="2024-05", scope="衡水市", out_dir=tmp_path / "m", as_of=date(2024, 6, 5)
    )
    text = next(p for p in monthly.paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "无废细胞创建进展（按类别）" in text and "无废细胞创建进展（按县市区）" in text
    assert "| 无废学校 | 市教育局 | 20 | 0 | 2 | 0 | 1 | 1 | 0 | 5.0% |" in text  # 001's target: 20 schools
    # The reply of 2025 says nothing of May 2024: neither its plan total (480) nor its count is cited.
    assert "| 合计 | — | — | 0 | 2 | 0 | 1 | 1 | 0 | — |" in text
    assert "相差" not in text and "衡环办函〔2025〕28号" not in text
    assert "暂无无废细胞建设数据" not in text  # the registry's figures follow in the section
    assert "| 桃城区 | 0 | 0 | 0 | 1 | 1 | 0 |" in text
    half = issue_bulletin(
        session, kind="half-year", period="2024-H1", scope="衡水市", out_dir=tmp_path / "h", as_of=date(2024, 7, 3)
    )
    text = next(p for p in half.paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "无废细胞创建情况" in text and "另有退回1个" in text
