"""年度自评估: each city's self-assessment for the province (seed 004's shape), issued with the
year-end assessment from the same world; due by cadence.yaml `annual_assessment.province_due`."""

from wufei.bulletins import kinds
from wufei.cadence.periods import PeriodKind
from wufei.figures.self_assessment import self_assessment_figures
from wufei.points.registry import CadencePoint, register

SELF_ASSESSMENT = register(
    CadencePoint(
        name="self_assessment",
        title="年度自评估报告",
        period_kind=PeriodKind.ANNUAL,
        schedule="annual_assessment",
        figures=self_assessment_figures,
        builder=kinds.self_assessment,
        bulletin="self-assessment",
        follows="annual",
        zero_waste_only=True,
    )
)
