"""省级汇总: each of the four periodic points rolled up over a province's cities (and its own
plans), issued in that point's run for every province with places under it."""

from functools import partial

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.province import province_figures
from wufei.points.registry import CadencePoint, Scopes, register

ROLLED_UP = {
    "monthly": (PeriodKind.MONTHLY, "monthly_dispatch"),
    "quarterly": (PeriodKind.QUARTERLY, "quarterly_circular"),
    "half_year": (PeriodKind.HALF_YEAR, "half_year_review"),
    "annual": (PeriodKind.ANNUAL, "annual_assessment"),
}

PROVINCE = [
    register(
        CadencePoint(
            name=f"province_{followed}",
            title="省级汇总",
            period_kind=period_kind,
            schedule=section,
            figures=partial(province_figures, kind=period_kind),
            builder=kinds.province,
            bulletin="province",
            follows=followed,
            scopes=Scopes.PROVINCES,
        )
    )
    for followed, (period_kind, section) in ROLLED_UP.items()
]
