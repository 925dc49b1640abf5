"""The units scored by the quarterly circular and the year-end assessment, and a score's parts.

Units: a department (市直部门 and other bodies) answers for the tasks it leads; a county-level
unit (县市区政府, 功能区管委会; a city government under a provincial plan), which the plans name
mostly beside the leads (各县市区人民政府), answers for every task it is named on. The leadership
group and its office are not ranked. Scores follow the declared rules (circular.yaml); the
arithmetic (points, rounding half up, shared ranks) is wufei.assessment.scoring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from wufei.assessment import scoring
from wufei.departments.models import DepartmentKind
from wufei.figures.common import COMPONENT_NAMES, Component, Ref
from wufei.figures.world import LOCALITY_KINDS, Owner, TaskRow, World
from wufei.tasks.models import Role

UNRANKED_KINDS = frozenset({DepartmentKind.GROUP})


@dataclass
class Unit:
    owner: Owner
    group: str  # department / locality
    tasks: list[TaskRow] = field(default_factory=list)


def units(world: World) -> dict[int, Unit]:
    found: dict[int, Unit] = {}
    for task in world.supervised():
        for owner in task.owners:
            if owner.kind in UNRANKED_KINDS:
                continue
            if owner.kind in LOCALITY_KINDS:
                group = "locality"
            elif owner.role == Role.LEAD:
                group = "department"
            else:
                continue
            found.setdefault(owner.department_id, Unit(owner, group)).tasks.append(task)
    return found


def component(
    key: str,
    weight: float,
    numerator: int,
    denominator: int,
    *,
    counted: Sequence[Ref],
    missed: Sequence[Ref],
    excluded: Sequence[Ref] = (),
    rule: str,
) -> Component:
    exact = scoring.component_points(weight, numerator, denominator)
    return Component(
        key=key,
        name=COMPONENT_NAMES[key],
        rule=rule,
        weight=weight,
        numerator=numerator,
        denominator=denominator,
        rate=scoring.rate(numerator, denominator),
        points=scoring.half_up(exact, 2),
        lost=scoring.half_up(Fraction(weight) - exact, 2),
        counted=list(counted),
        missed=list(missed),
        excluded=list(excluded),
    )
