"""The shipped rules as the tests pass them (explicitly, as every caller does)."""

from __future__ import annotations

from wufei.assessment.rules import CircularRules
from wufei.cadence.config import CadenceConfig
from wufei.escalation.ladder import Ladder
from wufei.lights.rules import LightRules
from wufei.ruleset import Ruleset

CADENCE = CadenceConfig.from_dict()  # the weekly window: opens Monday, due Friday 17:00 (Asia/Shanghai)
LIGHT_RULES = LightRules()  # the shipped thresholds (rules.yaml says the same)
RULESET = Ruleset(cadence=CADENCE, lights=LIGHT_RULES, scoring=CircularRules.from_dict(), ladder=Ladder.load())
