"""A unit of work is all or nothing on both databases, savepoints inside it included."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from wufei.db import transaction
from wufei.plans.models import Jurisdiction


def test_a_released_savepoint_is_undone_when_its_unit_of_work_fails(engine):
    # The savepoint is the unit of work's first statement: on SQLite its RELEASE once committed.
    with pytest.raises(RuntimeError), transaction(engine) as session:
        with session.begin_nested():
            session.add(Jurisdiction(name="回滚测试市", level="city"))
        raise RuntimeError("a later step fails")
    with transaction(engine) as session:
        assert session.scalar(select(Jurisdiction).where(Jurisdiction.name == "回滚测试市")) is None
