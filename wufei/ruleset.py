"""Every editable rule file, loaded and checked once where a run, a command or the portal starts,
then passed explicitly to the services that apply it (no service reads YAML on its own)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wufei.assessment.rules import CircularRules
from wufei.cadence.config import CadenceConfig
from wufei.cells.rules import CellRules
from wufei.escalation.ladder import Anchor, Ladder
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


@dataclass(frozen=True)
class RuleFile:
    package: str
    name: str
    layered: bool  # the office's file is laid over the shipped one (else it replaces it whole)
    load: Callable[[], object]


def _cadence_checked() -> CadenceConfig:
    """cadence.yaml as the periodic runs read it: each run-day section some point's."""
    from wufei.points.registry import check_schedules

    return check_schedules(CadenceConfig.load())


RULE_FILES = (
    RuleFile("cadence", "cadence.yaml", True, _cadence_checked),
    RuleFile("lights", "rules.yaml", False, LightRules.load),
    RuleFile("assessment", "circular.yaml", True, CircularRules.load),
    RuleFile("escalation", "ladder.yaml", False, Ladder.load),
    RuleFile("indicators", "tracking.yaml", False, TrackingRules.load),
    RuleFile("cells", "categories.yaml", False, CellRules.load),
)
OTHER_OFFICE_FILES = ("apprise.yaml",)  # notification channels (wufei/notify/channels.py)
ANCHOR_NAMES = {
    Anchor.DUE: "完成期限",
    Anchor.MISSING: "连续未报送",
    Anchor.INDICATOR_DUE: "指标报送期限",
    Anchor.INDICATOR_BEHIND: "指标落后序时进度",
}


@dataclass(frozen=True)
class RuleFileCheck:
    """One rule file as a run would read it: whose copy, whether it loads, and what an office that
    edited it may not expect (in Chinese, for `wufei config check`)."""

    name: str
    path: Path
    office: bool
    layered: bool
    error: str | None = None
    advisories: tuple[str, ...] = ()


def check_rule_files() -> tuple[list[RuleFileCheck], list[str]]:
    """Every rule file checked on its own (an error names its file), and the files in
    WUFEI_CONFIG_DIR that no one reads (a misspelt name would silently leave the default in force)."""
    import yaml

    from wufei.config import PACKAGE, office_path, read_yaml, shipped

    checks = []
    for rule_file in RULE_FILES:
        office = office_path(rule_file.name)
        path = office if office is not None else PACKAGE / rule_file.package / rule_file.name
        try:
            rule_file.load()
        except (ValueError, TypeError, yaml.YAMLError) as error:
            checks.append(RuleFileCheck(rule_file.name, path, office is not None, rule_file.layered, str(error)))
            continue
        advisories: tuple[str, ...] = ()
        if office is not None and not rule_file.layered:
            advisories = _replaced_file_advisories(
                rule_file, read_yaml(office), shipped(rule_file.package, rule_file.name)
            )
        checks.append(RuleFileCheck(rule_file.name, path, office is not None, rule_file.layered, None, advisories))
    return checks, _unread_office_files()


def _replaced_file_advisories(rule_file: RuleFile, office: dict[str, Any], shipped: dict[str, Any]) -> tuple[str, ...]:
    advisories = []
    unwritten = [key for key in shipped if key not in office]
    if unwritten:
        advisories.append(f"未写 {'、'.join(unwritten)}：本文件整份替换随附文件，这些设置取程序内的默认值")
    if rule_file.name == "ladder.yaml":
        office_anchors = {step.get("anchor") for step in office.get("steps") or [] if isinstance(step, dict)}
        for anchor in Anchor:  # a new anchor is checked too, named by its code until it has a name
            name = ANCHOR_NAMES.get(anchor, anchor.value)
            shipped_steps = [step for step in shipped["steps"] if step.get("anchor") == anchor.value]
            if shipped_steps and anchor.value not in office_anchors:
                advisories.append(
                    f"没有以{name}（{anchor.value}）为基准的步骤，随附阶梯有 {len(shipped_steps)} 步："
                    "这类提醒和督办不会发出"
                )
    return tuple(advisories)


def _unread_office_files() -> list[str]:
    directory = os.environ.get("WUFEI_CONFIG_DIR")
    if not directory or not Path(directory).is_dir():
        return []
    read = {rule_file.name for rule_file in RULE_FILES} | set(OTHER_OFFICE_FILES)
    return sorted(
        path.name for path in Path(directory).iterdir() if path.suffix in (".yaml", ".yml") and path.name not in read
    )
