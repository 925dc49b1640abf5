"""The demo's cells move through their states over the replayed year (wufei/simulate.py)."""

from __future__ import annotations

from datetime import date, timedelta

from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.cells.registry import list_cells
from wufei.figures.cells import cell_figures
from wufei.simulate import Simulation


def test_the_demo_s_cells_are_applied_built_assessed_named_or_returned(session, hengshui, rules):
    simulation = Simulation(calendar=WorkCalendar(), cadence=CadenceConfig.from_dict(), year=2023, cell_rules=rules)
    day = date(2023, 1, 1)
    while day <= date(2023, 12, 31):
        if simulation.calendar.is_workday(day):
            simulation._play_cells(session, day)
        day += timedelta(days=1)
    states = {c.name: (str(c.state), c.return_reason) for c in list_cells(session, jurisdiction_ids=[hengshui.id])}
    assert states["衡水市第一中学"] == ("named", None)
    assert states["衡水湖景区"] == ("building", None)
    assert states["深州市某商场"] == ("named", None)  # returned at application, applied again, named in October
    assert states["景县人民医院"][0] == "returned"
    assert "未达命名线" in states["景县人民医院"][1]
    june = cell_figures(session, jurisdiction="衡水市", day=date(2023, 6, 30), rules=rules)
    assert (june.total.assessing, june.total.named, june.total.building) == (3, 0, 2)
