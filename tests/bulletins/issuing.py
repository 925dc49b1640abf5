"""Issuing a bulletin by the kind name the command line takes, with the world's rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tests.bulletins import world as W
from wufei.points import issue, registry


def issue_bulletin(
    session: Session,
    *,
    kind: str,
    period: str,
    scope: str,
    out_dir: Path,
    as_of: date | None,
    refresh: bool = False,
    **kwargs: Any,
) -> issue.Issued:
    point = registry.for_bulletin(kind, period)
    return issue.issue_bulletin(
        session,
        point,
        period=point.period(period),
        scope=scope,
        out_dir=out_dir,
        calendar=W.CAL,
        rules=W.RULESET,
        as_of=as_of,
        refresh=refresh,
        **kwargs,
    )
