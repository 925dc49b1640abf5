"""Snapshots: a bulletin regenerated from its locked snapshot is the same document, whatever
was edited in the ledger since; --refresh takes the ledger as it is now."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select

from tests.bulletins import world as W
from tests.bulletins.helpers import by_suffix, docx_text, xlsx_sheets
from tests.cadence import figures as F
from wufei.bulletins import snapshots
from wufei.bulletins.models import Snapshot
from wufei.cadence import periods
from wufei.points import registry
from wufei.points.issue import snapshot_for
from wufei.reports.models import Report

RUN_DAY = date(2024, 6, 5)


def _contents(paths):
    """Markdown, HTML and chart bytes; the .docx and .xlsx by their text (their zip holds the same parts)."""
    out = {p.name: p.read_bytes() for p in paths if p.suffix in (".md", ".html", ".png")}
    out["docx"] = docx_text(by_suffix(paths, ".docx"))
    out["xlsx"] = xlsx_sheets(by_suffix(paths, ".xlsx"))
    return out


def _edit_the_ledger(session, world):
    world.tasks["T1"].completed_on = date(2024, 5, 20)
    world.tasks["T3"].title = "推进建筑垃圾资源化利用（已改名）"
    world.report("T4", W.MAY[0], 30)
    session.flush()


def test_a_regenerated_bulletin_is_byte_identical_after_the_ledger_changed(session, world, issue):
    first = issue("monthly", "2024-05", RUN_DAY, name="first")
    assert first.snapshot.locked_at is not None
    _edit_the_ledger(session, world)

    again = issue("monthly", "2024-05", RUN_DAY, name="again")
    assert again.snapshot.id == first.snapshot.id and again.snapshot_id == first.snapshot_id
    assert _contents(again.paths) == _contents(first.paths)
    assert "推进建筑垃圾资源化利用" in [row[4] for row in xlsx_sheets(by_suffix(again.paths, ".xlsx"))["任务台账"]]

    refreshed = issue("monthly", "2024-05", RUN_DAY, name="refreshed", refresh=True)
    assert refreshed.snapshot_id != first.snapshot_id
    markdown = by_suffix(refreshed.paths, ".md").read_text(encoding="utf-8")
    assert "其中已完成2项" in markdown and "逾期未完成" not in markdown  # none overdue: not said
    tasks = xlsx_sheets(by_suffix(refreshed.paths, ".xlsx"))["任务台账"]
    assert "推进建筑垃圾资源化利用（已改名）" in [row[4] for row in tasks]
    assert f"数据快照：{refreshed.snapshot_id}" in markdown
    # the old snapshot is kept, and later regenerations follow the newest locked one
    assert session.scalar(select(func.count()).select_from(Snapshot)) == 2
    assert issue("monthly", "2024-05", RUN_DAY, name="later").snapshot.id == refreshed.snapshot.id


def test_the_snapshot_id_is_the_start_of_the_sha256_of_the_canonical_content(session, world, issue):
    snapshot = issue("monthly", "2024-05", RUN_DAY).snapshot
    canonical = snapshots.canonical_json(snapshot.content)
    assert snapshot.content_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert snapshot.snapshot_id == snapshot.content_hash[:12]
    assert snapshots.find_snapshot(session, snapshot.snapshot_id).id == snapshot.id
    assert set(snapshot.content) == {"kind", "period", "scope", "as_of", "figures", "history", "ledger"}
    # refreshing an unchanged ledger gives the same snapshot, not a second row
    assert issue("monthly", "2024-05", RUN_DAY, refresh=True).snapshot.id == snapshot.id
    assert session.scalar(select(func.count()).select_from(Snapshot)) == 1


def test_an_unlocked_snapshot_follows_the_stored_figures_until_a_bulletin_is_issued(session, world):
    may = periods.month(2024, 5)

    def store(as_of):
        figures = F.monthly_figures(
            session,
            period=may,
            as_of=as_of,
            calendar=W.CAL,
            jurisdiction="衡水市",
            cadence=W.CADENCE,
            light_rules=W.RULES,
        )
        F.store_figures(session, kind="monthly", period=may, scope="衡水市", as_of=as_of, figures=figures)

    def take():
        return snapshot_for(
            session, registry.point("monthly"), period=may, scope="衡水市", calendar=W.CAL, rules=W.RULESET
        )

    store(RUN_DAY)
    draft = take()
    assert draft.locked_at is None and draft.as_of == RUN_DAY  # the figures the cadence stored
    assert take().id == draft.id  # nothing changed: the same snapshot

    world.tasks["T1"].completed_on = date(2024, 5, 20)
    session.flush()
    store(date(2024, 6, 6))  # the cadence ran again after a correction
    newer = take()
    assert newer.id != draft.id and newer.as_of == date(2024, 6, 6)
    snapshots.lock(session, newer)

    world.tasks["T3"].completed_on = date(2024, 5, 30)
    session.flush()
    store(date(2024, 6, 7))
    assert take().id == newer.id  # locked: kept until a refresh is asked for


def test_the_lights_history_comes_from_the_stored_monthly_figures(session, world, issue):
    for month in (3, 4):
        period = periods.month(2024, month)
        F.store_figures(
            session,
            kind="monthly",
            period=period,
            scope="衡水市",
            as_of=date(2024, month + 1, 3),
            figures={"totals": {"by_light": {"green": month, "yellow": 0, "red": 1, "done": 0}}},
        )
    history = issue("monthly", "2024-05", RUN_DAY).snapshot.content["history"]["lights"]
    assert [(h["period"], h["by_light"]) for h in history] == [
        ("2024-03", {"green": 3, "yellow": 0, "red": 1, "done": 0}),
        ("2024-04", {"green": 4, "yellow": 0, "red": 1, "done": 0}),
        ("2024-05", {"green": 3, "yellow": 1, "red": 2, "done": 1}),  # May's own figures
    ]


def test_reports_filed_after_the_snapshot_day_are_not_in_its_ledger(session, world, issue):
    session.add(
        Report(
            task=world.tasks["T4"],
            department=world.departments[W.CITY],
            week_start=W.MAY[3],
            progress=20,
            submitted_at=W.at(date(2024, 6, 10)),
            late=True,
            status="submitted",
        )
    )
    session.flush()
    reports = issue("monthly", "2024-05", RUN_DAY).snapshot.content["ledger"]["reports"]
    assert not [r for r in reports if r["number"] == "4"]
