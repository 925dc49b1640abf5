"""Every editable rule file, loaded and checked once where a run, a command or the portal starts,
then passed explicitly to the services that apply it (no service reads YAML on its own)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wufei.assessment.rules import CircularRules
from wufei.cadence.config import CadenceConfig
from wufei.cells.rules import CellRules
from wufei.escalation.ladder import Ladder
from wufei.indicators.trajectory import TrackingRules
from wufei.lights.rules import LightRules


@dataclass(frozen=True)
class Ruleset:
    cadence: CadenceConfig  # cadence.yaml: reporting window, run days, evidence, time zone
    lights: LightRules  # lights/rules.yaml
    scoring: CircularRules  # circular.yaml: quarterly and annual scoring, self-assessment
    ladder: Ladder  # escalation/ladder.yaml
    tracking: TrackingRules = field(default_factory=TrackingRules)  # indicators/tracking.yaml
    cells: CellRules = field(default_factory=CellRules)  # cells/categories.yaml

    @classmethod
    def load(cls) -> Ruleset:
        """The shipped files with the office's copies (WUFEI_CONFIG_DIR) over them."""
        return cls(
            cadence=CadenceConfig.load(),
            lights=LightRules.load(),
            scoring=CircularRules.load(),
            ladder=Ladder.load(),
            tracking=TrackingRules.load(),
            cells=CellRules.load(),
        )
