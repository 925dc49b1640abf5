"""季通报: in January, April, July and October on its working day (cadence.yaml
`quarterly_circular`), the quarter before: units scored, ranked, praised and named."""

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.quarterly import quarterly_figures
from wufei.points.registry import CadencePoint, register

QUARTERLY = register(
    CadencePoint(
        name="quarterly",
        title="季度通报",
        period_kind=PeriodKind.QUARTERLY,
        schedule="quarterly_circular",
        figures=quarterly_figures,
        builder=kinds.quarterly,
        bulletin="quarterly",
        command="quarterly-circular",
        cron="15 10 * * *",
        description="季通报: scores and ranks of departments and county-level units.",
    )
)
