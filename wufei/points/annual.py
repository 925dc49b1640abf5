"""年终考核: in January on its working day (cadence.yaml `annual_assessment`), the year before:
every unit's score with the tasks, reports, indicators and slips behind each point."""

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.annual import annual_figures
from wufei.points.registry import CadencePoint, register

ANNUAL = register(
    CadencePoint(
        name="annual",
        title="年终考核结果",
        period_kind=PeriodKind.ANNUAL,
        schedule="annual_assessment",
        figures=annual_figures,
        builder=kinds.annual,
        bulletin="annual",
        command="annual-assessment",
        cron="45 10 * * *",
        description="年终考核: the year's scores per department and county-level unit.",
    )
)
