"""Editable configuration files (cadence, scoring, light rules, escalation ladder).

Defaults ship inside the package; an office overrides one by putting a file of the
same name in WUFEI_CONFIG_DIR. Files are YAML with English keys and Chinese text.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent


def config_path(package: str, name: str) -> Path:
    """`package/name` from WUFEI_CONFIG_DIR when present there, else the shipped default."""
    office = office_path(name)
    return office if office is not None else PACKAGE / package / name


def office_path(name: str) -> Path | None:
    override = os.environ.get("WUFEI_CONFIG_DIR")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return None


def parse_yaml(text: str) -> Any:
    """YAML read safely by libyaml when PyYAML was built with it (the registry's books, agencies and
    divisions are read by every import; the pure-Python parser takes several times as long)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ValueError(f"{path}{where}：YAML 格式错误（{problem}），请检查缩进、冒号和引号") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}：配置文件应为键值映射")
    return data


def load_yaml(package: str, name: str) -> dict[str, Any]:
    """The office's file if there is one, else the shipped one (the whole file, not layered)."""
    return read_yaml(config_path(package, name))


@cache
def _shipped(package: str, name: str) -> dict[str, Any]:
    return read_yaml(PACKAGE / package / name)


def shipped(package: str, name: str) -> dict[str, Any]:
    """The shipped file: where every default of a layered file is written (read once a process)."""
    return copy.deepcopy(_shipped(package, name))


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` laid over `base`: mappings merge key by key, anything else (lists too) replaces."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            result[key] = merged(base[key], value)
        else:
            result[key] = value
    return result


def load_layers(package: str, name: str) -> dict[str, Any]:
    """The shipped file with the office's copy (WUFEI_CONFIG_DIR) laid over it."""
    office = office_path(name)
    return merged(shipped(package, name), read_yaml(office) if office is not None else {})
