"""circular.yaml (季通报排名、年终考核与年度自评估规则) as validated, frozen objects. Pure: the YAML is
read only by `CircularRules.load`.

Every default is written in the shipped circular.yaml; an office's file of the same name in
WUFEI_CONFIG_DIR is laid over it (only the keys it writes change). Only known keys, numbers not
below 0; anything else is refused with a Chinese message naming the key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FILE = "circular.yaml"


class RulesError(ValueError):
    """Scoring rules that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class QuarterlyWeights:
    completion: float
    on_time: float
    reporting: float


@dataclass(frozen=True)
class LightDeductions:
    red: float
    yellow: float


@dataclass(frozen=True)
class Praise:
    top: float
    min_score: float


@dataclass(frozen=True)
class Lagging:
    below_score: float
    red_tasks: float


@dataclass(frozen=True)
class QuarterlyRules:
    weights: QuarterlyWeights
    deductions: LightDeductions
    praise: Praise
    lagging: Lagging


@dataclass(frozen=True)
class AnnualWeights:
    completion: float
    on_time: float
    reporting: float
    indicators: float


@dataclass(frozen=True)
class SlipDeductions:
    yellow_slip: float
    red_slip: float


@dataclass(frozen=True)
class AnnualRules:
    weights: AnnualWeights
    deductions: SlipDeductions
    indicator_no_data_counts: float


@dataclass(frozen=True)
class SelfAssessmentRules:
    forecast_by_trend: float


@dataclass(frozen=True)
class CircularRules:
    quarterly: QuarterlyRules
    annual: AnnualRules
    self_assessment: SelfAssessmentRules

    @classmethod
    def load(cls) -> CircularRules:
        """The shipped circular.yaml with the office's copy (WUFEI_CONFIG_DIR) laid over it."""
        from wufei.config import load_layers

        return cls.parse(load_layers("assessment", FILE))

    @classmethod
    def from_dict(cls, overrides: Mapping[str, Any] | None = None) -> CircularRules:
        """The shipped rules with `overrides` laid over them (as an office's file would be)."""
        from wufei.config import merged, shipped

        return cls.parse(merged(shipped("assessment", FILE), overrides or {}))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> CircularRules:
        """A complete rules document (every key present), checked."""
        rules: CircularRules = _build(cls, data, "")
        return rules


def weights_of(weights: QuarterlyWeights | AnnualWeights) -> dict[str, float]:
    """The weights by component name, in the rules' order (for the scoring arithmetic)."""
    return {spec.name: getattr(weights, spec.name) for spec in dataclasses.fields(weights)}


def _build(kind: type, data: Any, path: str) -> Any:
    """`kind` (a dataclass above) from `data`, every field required, numbers not below 0."""
    if not isinstance(data, Mapping):
        raise RulesError(f"计分规则 {path.rstrip('.') or FILE} 应为键值映射")
    fields = {spec.name: spec for spec in dataclasses.fields(kind)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise RulesError(f"计分规则中有不认识的设置：{path}{unknown[0]}")
    values = {}
    for name, spec in fields.items():
        where = f"{path}{name}"
        if name not in data:
            raise RulesError(f"计分规则缺少 {where}")
        value = data[name]
        nested = _NESTED.get(spec.type if isinstance(spec.type, str) else spec.type.__name__)
        if nested is not None:
            values[name] = _build(nested, value, f"{where}.")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RulesError(f"计分规则 {where} 应为不小于0的数：{value}")
        else:
            values[name] = value
    return kind(**values)


_NESTED: dict[str, type] = {
    kind.__name__: kind
    for kind in (
        QuarterlyWeights,
        LightDeductions,
        Praise,
        Lagging,
        QuarterlyRules,
        AnnualWeights,
        SlipDeductions,
        AnnualRules,
        SelfAssessmentRules,
    )
}
