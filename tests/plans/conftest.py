from __future__ import annotations

from pathlib import Path

import pytest

from wufei.departments.registry import Registry
from wufei.importers.service import load_source, read_source

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI_PLAN = SEEDS / "衡政办字〔2022〕57号.txt"
BAODING_PLAN = SEEDS / "保政办函〔2022〕50号.txt"
HEBEI_PLAN = SEEDS / "河北省十四五时期无废城市建设工作方案.txt"
EVALUATION = SEEDS / "衡水市生态环境保护十四五规划中期评估.txt"
CELLS_REPLY = SEEDS / "衡环办函〔2025〕28号.txt"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture
def load(session, registry):
    """Parse and load a file inside the test's transaction; returns the plan summaries."""
    def _load(path: Path):
        summaries, _ = load_source(session, read_source(path), registry=registry, actor="test", path=str(path))
        session.flush()
        return summaries
    return _load
