"""Issuing through the unit of work the flows call and through the command line, on a database
of its own (the world committed), and the `bulletin_ready` notices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from tests.bulletins import world as W
from wufei import migrate
from wufei.db import make_sessionmaker
from wufei.departments.models import Department
from wufei.notices.models import NoticeIntent
from wufei.plans.models import Jurisdiction
from wufei.points import registry
from wufei.points.issue import issue_bulletins, issue_run


def test_write_bulletins_and_the_command_line_issue_once_and_notify_office_leaders_and_departments(
    fresh_engine, tmp_path, monkeypatch
):
    migrate.upgrade(fresh_engine)
    with make_sessionmaker(fresh_engine)() as session:
        world = W.build(session)
        world.city.parent = Jurisdiction(name="河北省", level="province")
        session.commit()

    # the city's bulletin as a run on the 3rd working day of June issues it
    monthly = registry.point("monthly")
    monkeypatch.chdir(tmp_path)  # a folder named relative to where the run started
    issued = issue_bulletins(
        fresh_engine,
        monthly,
        period=monthly.due_period(date(2024, 6, 5)),
        rules=W.RULESET,
        out_dir=Path("flow"),
        figures_as_of=date(2024, 6, 5),
        notify_on=date(2024, 6, 5),
    )
    paths = [path for item in issued for path in item.paths]
    assert sorted(p.name for p in paths) == [
        "monthly-2024-05-annex.xlsx",
        "monthly-2024-05-completion.png",
        "monthly-2024-05-indicator_tracks.png",
        "monthly-2024-05-indicators.png",
        "monthly-2024-05-lights.png",
        "monthly-2024-05.docx",
        "monthly-2024-05.html",
        "monthly-2024-05.md",
    ]
    assert {p.parent.name for p in paths} == {"衡水市"}

    with make_sessionmaker(fresh_engine)() as session:
        intents = list(session.scalars(select(NoticeIntent).order_by(NoticeIntent.audience, NoticeIntent.id)))
        names = dict(session.execute(select(Department.id, Department.name)).tuples().all())
    assert sorted((i.audience, names.get(i.department_id)) for i in intents) == sorted(
        [("group", None), ("office", None), ("liaison", W.ENV), ("liaison", W.CITY), ("liaison", W.TAOCHENG)]
    )
    first = intents[0]
    assert (first.kind, first.step, first.period, first.created_on) == (
        "bulletin_ready",
        "monthly",
        "2024-05",
        date(2024, 6, 5),
    )
    assert first.payload["title"] == "衡水市“无废城市”建设2024年5月调度通报"
    assert first.payload["path"].endswith("monthly-2024-05.html") and len(first.payload["snapshot_id"]) == 12
    monkeypatch.chdir(tmp_path.parent)  # delivery runs elsewhere: the files are named absolutely
    assert all(Path(file).is_absolute() and Path(file).is_file() for file in first.payload["files"])

    # the command line: same locked snapshot, same files, nobody notified twice
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    from wufei.cli import main

    result = CliRunner().invoke(
        main, ["bulletin", "monthly", "--period", "2024-05", "--out", str(tmp_path / "cli"), "--jurisdiction", "衡水市"]
    )
    assert result.exit_code == 0, result.output
    assert "已生成《衡水市“无废城市”建设2024年5月调度通报》" in result.output
    assert f"数据快照：{first.payload['snapshot_id']}（数据截至2024年5月31日，取数日期2024年6月5日）" in result.output
    assert "通知：新建「通报已生成」提醒 0 条" in result.output
    cli_md = tmp_path / "cli" / "衡水市" / "monthly-2024-05.md"
    assert str(cli_md) in result.output
    assert cli_md.read_bytes() == (tmp_path / "flow" / "衡水市" / "monthly-2024-05.md").read_bytes()

    wrong = CliRunner().invoke(main, ["bulletin", "quarterly", "--period", "2024-05", "--out", str(tmp_path)])
    assert wrong.exit_code != 0 and "季度通报的期间应为2024-Q2，收到「2024-05」" in wrong.output

    # what the monthly flow writes after period_run: the city's bulletin again (its locked
    # snapshot, nobody notified twice) and the province's roll-up (office and group notified)
    written = [
        path
        for item in issue_run(
            fresh_engine,
            monthly,
            period=monthly.period("2024-05"),
            as_of=date(2024, 6, 5),
            rules=W.RULESET,
            out_dir=tmp_path / "cadence",
        )
        for path in item.paths
    ]
    assert {(p.parent.name, p.name) for p in written if p.suffix == ".html"} == {
        ("衡水市", "monthly-2024-05.html"),
        ("河北省", "province-monthly-2024-05.html"),
    }
    with make_sessionmaker(fresh_engine)() as session:
        steps = sorted(session.scalars(select(NoticeIntent.step)))
    assert steps == ["monthly"] * 5 + ["province_monthly"] * 2
