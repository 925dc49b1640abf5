"""Indicator tests that need a plan use the Hengshui plan imported once (`hengshui_session`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from wufei.departments.models import Department
from wufei.indicators.models import Indicator
from wufei.indicators.trajectory import TrackingRules
from wufei.tasks.models import Role


@dataclass
class Indicators:
    reuse: Indicator  # 一般工业固体废物综合利用率 49 → 60 (2020 → 2025), quarterly, led by 市生态环境局
    intensity: Indicator  # 一般工业固体废物产生强度 0.5 → 0.4, annual, falls
    ecology: Department
    other: Department  # a department that leads neither


@pytest.fixture
def session(hengshui_session) -> Session:
    return hengshui_session


@pytest.fixture
def rules() -> TrackingRules:
    return TrackingRules.load()


@pytest.fixture
def hengshui_indicators(session) -> Indicators:
    def named(name: str) -> Indicator:
        return session.scalar(select(Indicator).where(Indicator.name == name))

    reuse, intensity = named("一般工业固体废物综合利用率"), named("一般工业固体废物产生强度")
    ecology = next(a.department for a in reuse.assignments if a.role == Role.LEAD)
    assert ecology.name == "市生态环境局"
    other = session.scalar(select(Department).where(Department.name == "市教育局"))
    return Indicators(reuse, intensity, ecology, other)


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch):
    directory = tmp_path / "evidence"
    monkeypatch.setenv("WUFEI_EVIDENCE_DIR", str(directory))
    return directory
