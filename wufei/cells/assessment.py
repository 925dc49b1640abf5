"""Assessing a cell against its category's checklist (评估): the office records each criterion's
score; the verdict (`wufei.cells.rules.judge`) names the cell or returns it with the shortfall.
Services take a Session and never commit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wufei.audit.service import record
from wufei.cells.models import CellAssessment, CellScore
from wufei.cells.registry import CellError, advance, cell_label, get_cell
from wufei.cells.rules import STATE_NAMES, Category, CellRuleError, CellRules, CellState, judge


def _score(text: Any, criterion: str) -> Decimal:
    raw = str(text if text is not None else "").strip().removesuffix("分")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"细则「{criterion}」的得分应为数字：「{text}」") from None
    if not value.is_finite():
        raise CellError(f"细则「{criterion}」的得分应为数字：「{text}」")
    return value


def scores_by_number(category: Category, written: Mapping[str, Any]) -> dict[str, Decimal]:
    """Scores keyed by the criterion's number in the checklist (1, 2 …) or by its name."""
    scores: dict[str, Decimal] = {}
    for key, value in written.items():
        key = str(key).strip()
        if key.isdigit():
            index = int(key)
            if not 1 <= index <= len(category.criteria):
                raise CellError(f"「{category.name}」的评估细则只有{len(category.criteria)}项，没有第{index}项")
            name = category.criteria[index - 1].name
        else:
            name = key
        scores[name] = _score(value, name)
    return scores


def assess(
    session: Session,
    *,
    cell_id: int,
    scores: Mapping[str, Any],
    on: date,
    actor: str,
    rules: CellRules,
) -> CellAssessment:
    """Record an assessment of a cell in 评估 and apply its verdict: 命名, or 退回 with the reason."""
    cell = get_cell(session, cell_id)
    if cell.state != CellState.ASSESSING:
        raise CellError(
            f"细胞 {cell_label(cell)} 当前为「{STATE_NAMES[CellState(cell.state)]}」，只有处于“评估”的细胞才能评分"
        )
    try:
        category = rules.category(cell.category)
        given = scores_by_number(category, scores)
        verdict = judge(category, given)
    except CellRuleError as exc:
        raise CellError(f"细胞 {cell_label(cell)}：{exc}") from None
    assessment = CellAssessment(
        cell_id=cell.id,
        assessed_on=on,
        total=verdict.total,
        full_score=verdict.full,
        pass_score=verdict.pass_score,
        named=verdict.named,
        reason=verdict.reason,
        assessor=actor,
    )
    assessment.scores = [
        CellScore(criterion=c.name, points=given[c.name], full_points=c.points) for c in category.criteria
    ]
    session.add(assessment)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity="cell_assessments",
        entity_id=assessment.id,
        entity_key=f"cell:{cell.id}|assessment:{assessment.id}",
        changes={"total": [None, str(verdict.total)], "named": [None, verdict.named]},
    )
    advance(
        session,
        cell_id=cell.id,
        to=CellState.NAMED if verdict.named else CellState.RETURNED,
        on=on,
        actor=actor,
        reason=verdict.reason,
    )
    return assessment


def assessments_of(session: Session, cell_id: int) -> list[CellAssessment]:
    return list(
        session.scalars(
            select(CellAssessment)
            .where(CellAssessment.cell_id == cell_id)
            .options(selectinload(CellAssessment.scores))
            .order_by(CellAssessment.assessed_on, CellAssessment.id)
        )
    )
