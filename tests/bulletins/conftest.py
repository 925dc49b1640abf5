from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.bulletins import world as W
from tests.bulletins.issuing import issue_bulletin


@pytest.fixture
def world(session):
    return W.build(session)


@pytest.fixture
def issue(session, world, tmp_path):
    """Issue a bulletin of the world on a given day, with the world's rules; files under tmp_path/<name>."""

    def _issue(kind: str, period: str, as_of: date, *, name: str = "out", refresh: bool = False, **kwargs):
        return issue_bulletin(
            session,
            kind=kind,
            period=period,
            scope="衡水市",
            out_dir=Path(tmp_path) / name,
            as_of=as_of,
            refresh=refresh,
            **kwargs,
        )

    return _issue
