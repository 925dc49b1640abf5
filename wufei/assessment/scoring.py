"""Scores and ranks by declared weights (pure: numbers in, numbers out).

A score is the sum over components of weight × ratio (numerator / denominator) less the
deductions, floored at 0 and rounded half away from zero to 0.1. A component with nothing to
judge (denominator 0: nothing due, no report owed, no indicator led) earns its full weight:
nothing to do costs nothing. Points are kept exact (fractions) until the end so 39.25 rounds
to 39.3 and the parts add up to the total before rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Protocol, TypeVar


def ratio(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def half_up(value: Fraction | float | int, places: int) -> float:
    """Rounded half away from zero (39.25 → 39.3), computed exactly."""
    scaled = Fraction(value) * 10**places
    whole = int(abs(scaled) + Fraction(1, 2))
    return float(Fraction(whole if scaled >= 0 else -whole, 10**places))


def _share(ratio_: Fraction | None) -> Fraction:
    """Nothing to judge earns the full weight."""
    return Fraction(1) if ratio_ is None else ratio_


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places (0.6667), None when there is nothing to divide."""
    return half_up(Fraction(part, whole), 4) if whole else None


def component_points(weight: float, part: int, whole: int) -> Fraction:
    """weight × part / whole exactly; the full weight when whole is 0."""
    share = ratio(part, whole)
    return Fraction(weight) * (1 if share is None else share)


def score(
    ratios: Mapping[str, Fraction | None], weights: Mapping[str, float], deduction: float | Fraction
) -> tuple[dict[str, float], float]:
    """Points per component (rounded to 0.01, for display) and the score (exact sum less the
    deduction, floored at 0, rounded half up to 0.1). `points["deduction"]` is negative."""
    exact = {name: Fraction(weight) * _share(ratios.get(name)) for name, weight in weights.items()}
    exact["deduction"] = -Fraction(deduction)
    points = {name: half_up(value, 2) for name, value in exact.items()}
    return points, max(0.0, half_up(sum(exact.values()), 1))


class Rankable(Protocol):
    score: float
    rank: int


R = TypeVar("R", bound=Rankable)


def rank(rows: list[R], *, name: Callable[[R], str], tiebreak: Callable[[R], int] = lambda _row: 0) -> list[R]:
    """Sort by score, highest first (then by name, then `tiebreak`), and give each row `rank`:
    1 + the number of rows scoring strictly more, so ties share a rank and the next rank is
    skipped (1, 1, 3)."""
    rows.sort(key=lambda r: (-r.score, name(r), tiebreak(r)))
    for row in rows:
        row.rank = 1 + sum(1 for other in rows if other.score > row.score)
    return rows


def total_deduction(counts: Mapping[str, int], per_item: Mapping[str, float]) -> Fraction:
    """Σ count × points per item, for the items the rules price (unknown items cost nothing)."""
    return sum((Fraction(per_item[item]) * n for item, n in counts.items() if item in per_item), Fraction(0))


def points_text(value: float | Fraction) -> str:
    """A points figure as people write it: 7, 2.5, 13.33."""
    return f"{half_up(value, 2):g}"
