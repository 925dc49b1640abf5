"""A unit printed inside an indicator's name: 森林覆盖率(%) → (森林覆盖率, %).

Publishers without a unit column put the unit in brackets after the name. A bracket is a unit
when it is made only of the unit words in `units.yaml` (with a magnitude before them and 「/」 or
「每」 between two of them); any other bracket (（含县城）, （试行）) is part of the name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from wufei.config import parse_yaml

UNITS = Path(__file__).resolve().parent / "units.yaml"

_TRAILING_BRACKET = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<unit>[^（）()]{1,12}?)\s*[）)]\s*$")


@lru_cache(maxsize=1)
def _unit_pattern() -> re.Pattern[str]:
    data = parse_yaml(UNITS.read_text(encoding="utf-8"))
    words = "|".join(re.escape(str(word)) for word in sorted(data["words"], key=lambda w: len(str(w)), reverse=True))
    magnitude = "[" + "".join(data["magnitudes"]) + "]?"
    one = rf"{magnitude}(?:{words})"
    return re.compile(rf"^{one}(?:\s*[/／每]\s*{one})*$")


def is_unit(text: str) -> bool:
    """Whether a cell holds only a unit (%, 万吨, 吨/万元): what a unit column prints."""
    return bool(_unit_pattern().match(text.strip()))


def unit_in_name(name: str) -> tuple[str, str] | None:
    """(name, unit) when the name ends with a bracketed unit, else None."""
    match = _TRAILING_BRACKET.match(name)
    if match is None or not _unit_pattern().match(match["unit"]):
        return None
    return match["name"].strip(), match["unit"]
