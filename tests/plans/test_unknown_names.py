"""Names the registry does not know are kept for review, with close matches suggested."""

from __future__ import annotations

from sqlalchemy import select

from tests.preview_plan import write_plan
from wufei.departments.models import Department


def test_an_unknown_owner_is_kept_with_a_warning_and_suggestions(session, load, tmp_path):
    # A second city's task list, in the one-cell-per-line layout with its columns in another order.
    [summary] = load(write_plan(tmp_path))
    assert summary.counts["tasks_institution"] == 4
    unknown = session.scalar(select(Department).where(Department.name == "市生态环境厅"))
    assert unknown is not None and unknown.kind == "unknown"
    warning = next(w for w in summary.warnings if "市生态环境厅" in w)
    assert "市生态环境局" in warning  # the close match is suggested
    assert "第" in warning and "行" in warning
