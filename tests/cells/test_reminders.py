"""Cells stalled in a state longer than categories.yaml allows: their department and the office are
told once per stay; a reminder not yet sent ends when the cell moves on."""

from __future__ import annotations

from datetime import date

from wufei.cells.registry import add_cell, advance
from wufei.cells.reminders import remind_stalled_cells
from wufei.cells.rules import CellState
from wufei.notices.service import list_intents


def _stalled(session):
    return {(i.payload["cell_name"], str(i.audience), i.period): i for i in list_intents(session, step="cell_stalled")}


def test_a_cell_in_one_state_too_long_is_brought_to_its_department_and_the_office_once(session, hengshui, rules):
    school = add_cell(
        session,
        jurisdiction=hengshui,
        name="衡水市第一中学",
        category="学校",
        county="桃城区",
        on=date(2024, 3, 1),
        actor="office",
        rules=rules,
    )
    add_cell(  # applied later: not stalled yet
        session,
        jurisdiction=hengshui,
        name="衡水市第二中学",
        category="学校",
        county="桃城区",
        on=date(2024, 3, 20),
        actor="office",
        rules=rules,
    )
    assert remind_stalled_cells(session, as_of=date(2024, 3, 31), rules=rules).created == 0  # 30 days: allowed

    first = remind_stalled_cells(session, as_of=date(2024, 4, 1), rules=rules)
    assert (first.cells, first.stalled, first.created) == (2, 1, 2)
    told = _stalled(session)
    liaison = told[("衡水市第一中学", "liaison", "2024-03-01")]
    assert liaison.department_id == school.department_id and liaison.kind == "cell_stalled"
    assert (liaison.payload["state_cn"], liaison.payload["days"], liaison.payload["limit_days"]) == ("申报", 31, 30)
    assert ("衡水市第一中学", "office", "2024-03-01") in told
    assert remind_stalled_cells(session, as_of=date(2024, 4, 2), rules=rules).created == 0  # once per stay

    advance(session, cell_id=school.id, to=CellState.BUILDING, on=date(2024, 4, 3), actor="office")
    moved = remind_stalled_cells(session, as_of=date(2024, 4, 3), rules=rules)
    assert moved.resolved == 2 and {i.resolution for i in told.values()} == {"状态已变更"}

    # Replayed: the state of a past day is read from the history, so the days are counted from then.
    later = remind_stalled_cells(session, as_of=date(2024, 10, 1), rules=rules)  # 创建中 for 181 days
    assert ("衡水市第一中学", "liaison", "2024-04-03") in _stalled(session) and later.stalled == 2
