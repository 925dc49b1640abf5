"""半年观摩: in July and January on its working day (cadence.yaml `half_year_review`), the half
year before: the projects to visit and their state."""

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.half_year import half_year_figures
from wufei.points.registry import CadencePoint, register

HALF_YEAR = register(
    CadencePoint(
        name="half_year",
        title="半年观摩项目清单",
        period_kind=PeriodKind.HALF_YEAR,
        schedule="half_year_review",
        figures=half_year_figures,
        builder=kinds.half_year,
        bulletin="half-year",
        command="half-year-review",
        cron="30 10 * * *",
        description="半年观摩: the projects to visit and their state.",
    )
)
