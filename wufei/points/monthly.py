"""月调度: each month on its working day (cadence.yaml `monthly_dispatch`), the month before."""

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.monthly import monthly_figures
from wufei.points.registry import CadencePoint, register

MONTHLY = register(
    CadencePoint(
        name="monthly",
        title="月调度通报",
        period_kind=PeriodKind.MONTHLY,
        schedule="monthly_dispatch",
        figures=monthly_figures,
        builder=kinds.monthly,
        bulletin="monthly",
        command="monthly-dispatch",
        cron="0 10 * * *",
        description="月调度: the month's figures and bulletin, on its working day of the month.",
    )
)
