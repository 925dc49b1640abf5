"""The portal's 无废细胞 pages: per county and per department; a liaison sees its department's cells."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from wufei.cells.registry import add_cell, advance
from wufei.cells.rules import CellRules, CellState
from wufei.db import transaction
from wufei.plans.models import Jurisdiction


@pytest.fixture(scope="module")
def cells(server):
    rules = CellRules.load()
    with transaction(server.engine) as session:
        city = session.scalar(select(Jurisdiction).where(Jurisdiction.name == "衡水市"))

        def add(name, category, county, **extra):
            return add_cell(
                session,
                jurisdiction=city,
                name=name,
                category=category,
                county=county,
                on=date(2024, 3, 1),
                actor="test",
                rules=rules,
                **extra,
            ).id

        school = add("桃城区第一中学", "无废学校", "桃城区")
        add("景县中学", "无废学校", "景县")
        factory = add("某电子材料公司", "无废工厂", "冀州区", department="市生态环境局")
        advance(session, cell_id=school, to=CellState.BUILDING, on=date(2024, 4, 1), actor="test")
        advance(session, cell_id=factory, to=CellState.RETURNED, on=date(2024, 4, 2), actor="test", reason="台账不全")
    return True


def test_the_office_sees_cells_per_county_and_department_and_a_county_s_list(office, cells):
    page = office.get("/cells")
    assert page.status_code == 200
    text = page.text
    assert "按县（市、区）" in text and "按责任部门" in text
    assert "桃城区第一中学" in text and "景县中学" in text and "台账不全" in text
    assert ">市教育局</a></td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td><td>2</td>" in text
    county = office.get("/cells", params={"county": "景县"}).text
    assert "景县中学" in county and "桃城区第一中学" not in county


def test_a_liaison_sees_only_its_department_s_cells(eco, cells):
    text = eco.get("/cells").text
    assert "某电子材料公司" in text
    assert "桃城区第一中学" not in text and "市教育局" not in text


def test_the_dashboard_counts_cells_by_category(office, cells):
    text = office.get("/dashboard").text
    assert "<h2>无废细胞</h2>" in text
    assert "<td>无废学校</td><td>20</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td>" in text
