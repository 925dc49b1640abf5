"""Editable configuration files (cadence, light rules, escalation ladder).

Defaults ship inside the package; an office overrides one by putting a file of the
same name in WUFEI_CONFIG_DIR. Files are YAML with English keys and Chinese text.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

PACKAGE = Path(__file__).resolve().parent


def config_path(package: str, name: str) -> Path:
    """`package/name` from WUFEI_CONFIG_DIR when present there, else the shipped default."""
    override = os.environ.get("WUFEI_CONFIG_DIR")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return PACKAGE / package / name


def load_yaml(package: str, name: str) -> dict[str, Any]:
    """The file's mapping, a fresh copy for each caller. Parsed once per version of the file (a
    replay asks for the cadence thousands of times; an office's edit is still read at once)."""
    path = config_path(package, name)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}：配置文件应为键值映射")
        _PARSED[key] = data
    return copy.deepcopy(_PARSED[key])


_PARSED: dict[tuple[str, int, int], dict[str, Any]] = {}
