"""无废细胞 from the registry: by category and by county, how many were planned (the plan's targets
as imported), are applying (申报), being built (创建中), being assessed (评估), named (命名) or
returned (退回) at the end of a day, each cell's state read from its history.

Planned: the plan's total (the newest imported document of the place that gives one: 衡水市
plans 480) and a category's own target where an indicator names the category with a number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from wufei.assessment.scoring import rate
from wufei.cells.models import Cell
from wufei.cells.registry import states_on
from wufei.cells.rules import CellRules, CellState
from wufei.db import plain_rows
from wufei.indicators.models import Indicator
from wufei.plans.models import Jurisdiction, Plan
from wufei.plans.queries import issued_by, newest_out_by


@dataclass
class CellTally:
    name: str  # the category, the county or 合计
    lead: str | None  # a category's responsible department (categories.yaml's lead, as the registry names it)
    planned: int | None
    applied: int
    building: int
    assessing: int
    named: int
    returned: int
    named_in_period: int
    completion_rate: float | None  # named / planned

    @property
    def in_progress(self) -> int:
        return self.applied + self.building + self.assessing


@dataclass
class CellFigures:
    jurisdiction: str | None
    as_of: date
    planned_total: int | None
    planned_source: str | None  # the document giving the plan's total
    total: CellTally
    by_category: list[CellTally]
    by_county: list[CellTally]
    notes: list[str]


def _plain(name: str) -> str:
    return "".join(ch for ch in name if ch not in "“”\"'‘’「」")


def category_targets(indicators: Sequence[Indicator], categories: list[str]) -> dict[str, int]:
    """A category's planned number where an indicator names it with a numeric target."""
    targets: dict[str, int] = {}
    for category in categories:
        for indicator in indicators:
            if category in _plain(indicator.name) and indicator.target_value is not None:
                targets[category] = int(indicator.target_value)
                break
    return targets


# The cells of every place, or of one (its name bound as `place`); built once (a figures run asks
# even where no cell is registered, and building a statement cost more than running it).
_PLACE = select(Jurisdiction.id).where(Jurisdiction.name == bindparam("place")).scalar_subquery()
_CELLS = select(Cell.id, Cell.category, Cell.county, Cell.department_id).order_by(Cell.id)
_PLACE_CELLS = _CELLS.where(Cell.jurisdiction_id == _PLACE)


class _CellRow(NamedTuple):  # read as plain rows: most places have none, and the ORM's execute cost twice as much
    id: int
    category: str
    county: str
    department_id: int


def cell_figures(
    session: Session,
    *,
    jurisdiction: str | None,
    day: date,
    rules: CellRules,
    indicators: Sequence[Indicator] = (),
    period_start: date | None = None,
) -> CellFigures | None:
    """The registry's figures for a city (None: every city) at the end of `day`; None when no cell
    of the place is registered by then. `period_start` counts the cells named since."""
    if jurisdiction is None:
        rows = [_CellRow(*row) for row in plain_rows(session, _CELLS)]
    else:
        rows = [_CellRow(*row) for row in plain_rows(session, _PLACE_CELLS, {"place": jurisdiction})]
    states = states_on(session, [r.id for r in rows], day)
    rows = [r for r in rows if r.id in states]
    if not rows:
        return None
    plans = select(Plan).where(Plan.cells_planned_total.is_not(None))
    if jurisdiction is not None:
        plans = plans.where(Plan.jurisdiction_id == _PLACE)
    # The newest document giving the plan's total that was out by `day` (one of 2025 says nothing of 2023).
    source = newest_out_by(
        session.scalars(plans, {"place": jurisdiction} if jurisdiction is not None else None),
        day,
        lambda plan: (plan.issued_on, plan.doc_number, plan.id),
    )
    planned_total = source.cells_planned_total if source is not None else None
    from wufei.departments.models import Department

    leads = dict(session.execute(select(Department.id, Department.name)).tuples().all())
    registered = list(dict.fromkeys(r.category for r in rows))
    order = [c for c in rules.categories if c in registered] + [c for c in registered if c not in rules.categories]
    targets = category_targets(indicators, order)

    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_county: dict[str, Counter[str]] = defaultdict(Counter)
    lead_of: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        state = states[row.id]
        keys = [str(state.state)]
        if state.state == CellState.NAMED and period_start is not None and state.since >= period_start:
            keys.append("named_in_period")
        for key in keys:
            by_category[row.category][key] += 1
            by_county[row.county][key] += 1
        lead_of[row.category][leads.get(row.department_id, "")] += 1

    def tally(name: str, counts: Counter[str], planned: int | None, lead: str | None = None) -> CellTally:
        return CellTally(
            name=name,
            lead=lead,
            planned=planned,
            applied=counts[CellState.APPLIED],
            building=counts[CellState.BUILDING],
            assessing=counts[CellState.ASSESSING],
            named=counts[CellState.NAMED],
            returned=counts[CellState.RETURNED],
            named_in_period=counts["named_in_period"],
            completion_rate=rate(counts[CellState.NAMED], planned) if planned else None,
        )

    summed: Counter[str] = Counter()
    for counts in by_category.values():
        summed.update(counts)
    categories = [
        tally(name, by_category[name], targets.get(name), lead_of[name].most_common(1)[0][0]) for name in order
    ]
    counties = [tally(name, by_county[name], None) for name in sorted(by_county, key=_county_order(jurisdiction))]
    notes = []
    if (
        source is not None
        and source.cells_built_total is not None
        and issued_by(source.issued_on, source.doc_number, day) is True
    ):
        named = summed[CellState.NAMED]
        registered_total = sum(summed[s] for s in CellState if s != CellState.RETURNED)
        if registered_total != source.cells_built_total:
            notes.append(
                f"登记在册{registered_total}个（已命名{named}个），"
                f"与《{source.doc_number or source.title}》所述累计建设{source.cells_built_total}个相差"
                f"{abs(registered_total - source.cells_built_total)}个"
            )
    return CellFigures(
        jurisdiction=jurisdiction,
        as_of=day,
        planned_total=planned_total,
        planned_source=(source.doc_number or source.title) if source is not None else None,
        total=tally("合计", summed, planned_total),
        by_category=categories,
        by_county=counties,
        notes=notes,
    )


def _county_order(jurisdiction: str | None):
    """Counties in the order of the division codes (桃城区 first), zones after them."""
    from wufei.places.divisions import divisions

    places = divisions()
    city = places.find(jurisdiction) if jurisdiction else None
    codes = {p.name: i for i, p in enumerate(places.children(city))} if city is not None else {}
    return lambda name: (codes.get(name, len(codes)), name)
