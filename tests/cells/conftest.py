"""Cell tests start from Hengshui's plan and the 无废细胞 reply (衡环办函〔2025〕28号) imported once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.conftest import rolled_back, seeded_database
from tests.seed_files import CELLS_REPLY, HENGSHUI_PLAN
from wufei.cells.rules import CellRules
from wufei.plans.models import Jurisdiction


@pytest.fixture(scope="module")
def cells_engine(tmp_path_factory, registry) -> Iterator[Engine]:
    engine = seeded_database(tmp_path_factory.mktemp("cells"), registry, [CELLS_REPLY, HENGSHUI_PLAN])
    yield engine
    engine.dispose()


@pytest.fixture
def session(cells_engine) -> Iterator[Session]:
    with rolled_back(cells_engine) as session:
        yield session


@pytest.fixture
def rules() -> CellRules:
    return CellRules.load()


@pytest.fixture
def hengshui(session) -> Jurisdiction:
    return session.scalar(select(Jurisdiction).where(Jurisdiction.name == "衡水市"))


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch):
    directory = tmp_path / "evidence"
    monkeypatch.setenv("WUFEI_EVIDENCE_DIR", str(directory))
    return directory
