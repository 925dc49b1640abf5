"""The figures of each cadence point as the tests read them: computed through the registry the way
a run computes them (the period's world of the scope, then the point's figures) and given back
as the JSON the run stores, so the assertions read the stored shape key by key."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from wufei.assessment.rules import CircularRules, RulesError  # noqa: F401  (the tests use it from here)
from wufei.cadence.config import CadenceConfig
from wufei.calendar.workdays import WorkCalendar
from wufei.escalation.ladder import Ladder
from wufei.figures.codec import to_json
from wufei.figures.store import store_figures  # noqa: F401  (the tests use it from here)
from wufei.figures.world import ALL_SCOPE
from wufei.indicators.status import indicator_status as typed_indicator_status
from wufei.indicators.trajectory import TrackingRules
from wufei.lights.rules import LightRules
from wufei.points import registry
from wufei.points.issue import world_for
from wufei.ruleset import Ruleset


def ruleset(
    cadence: CadenceConfig | None = None,
    light_rules: LightRules | None = None,
    rules: dict[str, Any] | None = None,
    tracking: TrackingRules | None = None,
) -> Ruleset:
    """The shipped rules, with the test's own where it gives them (circular.yaml overrides as a dict)."""
    return Ruleset(
        cadence=cadence or CadenceConfig.from_dict(),
        lights=light_rules or LightRules(),
        scoring=CircularRules.from_dict(rules),
        ladder=Ladder.load(),
        tracking=tracking or TrackingRules(),
    )


def compute(
    session: Session,
    name: str,
    *,
    period: Any,
    as_of: date,
    calendar: WorkCalendar,
    scope: str,
    cadence: CadenceConfig | None = None,
    light_rules: LightRules | None = None,
    rules: dict[str, Any] | None = None,
    tracking: TrackingRules | None = None,
) -> Any:
    """The typed figures of point `name` for the period and scope."""
    point = registry.point(name)
    chosen = ruleset(cadence, light_rules, rules, tracking)
    world = world_for(
        session,
        point,
        scope=scope,
        period=point.period(period),
        as_of=as_of,
        calendar=calendar,
        rules=chosen,
    )
    return point.figures(session, world)


def _json(name: str, session: Session, *, jurisdiction: str | None = None, **kwargs: Any) -> dict[str, Any]:
    figures: dict[str, Any] = to_json(compute(session, name, scope=jurisdiction or ALL_SCOPE, **kwargs))
    return figures


def monthly_figures(session: Session, **kwargs: Any) -> dict[str, Any]:
    return _json("monthly", session, **kwargs)


def quarterly_figures(session: Session, **kwargs: Any) -> dict[str, Any]:
    return _json("quarterly", session, **kwargs)


def half_year_figures(session: Session, **kwargs: Any) -> dict[str, Any]:
    return _json("half_year", session, **kwargs)


def annual_figures(session: Session, **kwargs: Any) -> dict[str, Any]:
    return _json("annual", session, **kwargs)


def self_assessment_figures(session: Session, *, year: int, **kwargs: Any) -> dict[str, Any]:
    return _json("self_assessment", session, period=str(year), **kwargs)


def province_figures(session: Session, *, kind: str, province: str = "河北省", **kwargs: Any) -> dict[str, Any]:
    figures: dict[str, Any] = to_json(compute(session, f"province_{kind}", scope=province, **kwargs))
    return figures


def indicator_status(indicator: Any, year: int) -> dict[str, Any]:
    status: dict[str, Any] = to_json(typed_indicator_status(indicator, year))
    return status
