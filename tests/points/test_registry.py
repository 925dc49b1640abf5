"""A cadence point is one module, its template and a test. The one below (专项督查, every month on
its 2nd working day: the tasks shown red at the end of last month) is registered by a fixture and
runs end to end through the registry: `wufei cadence run`, its figures stored, its bulletin
written from a locked snapshot, its notice in its own words, `wufei bulletin` and its flow.

What the module of a new point holds is the first part of this file, down to SPECIAL."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from tests.bulletins import world as W
from wufei import migrate
from wufei.bulletins.document import Document, Paragraph, Table
from wufei.bulletins.kinds import document, names, task_name
from wufei.bulletins.models import Snapshot
from wufei.bulletins.snapshots import Content
from wufei.cadence.periods import PeriodKind
from wufei.db import make_sessionmaker
from wufei.figures.codec import from_json
from wufei.figures.common import Figures, PeriodInfo, PlanRef, TaskWithLight, plan_refs, with_light
from wufei.figures.models import PeriodFigures
from wufei.figures.world import World
from wufei.lights.models import Light
from wufei.notices.models import NoticeIntent
from wufei.notify.digest import TEMPLATES, build_digests, environment
from wufei.points import registry, runs
from wufei.points.registry import CadencePoint, Notice
from wufei.ruleset import Ruleset

# --- the point's module ---------------------------------------------------------------------------


@dataclass
class SpecialFigures(Figures):
    scope: str
    period: PeriodInfo
    as_of: date
    lights_as_of: date
    plans: list[PlanRef]
    red: list[TaskWithLight]


def special_figures(session, world: World) -> SpecialFigures:
    red = [with_light(world, task) for task in world.supervised() if world.light(task.id) == Light.RED]
    return SpecialFigures(world.scope, PeriodInfo.of(world.period), world.as_of, world.day, plan_refs(world), red)


def special_document(content: Content, snapshot_id: str, kind_cn: str) -> Document:
    f = from_json(SpecialFigures, content.figures)
    doc = document(
        content,
        snapshot_id,
        kind_cn=kind_cn,
        title=f"{content.scope}{content.period.chinese}专项督查通报",
        data_as_of=f.lights_as_of,
    )
    section = doc.section("红灯任务")
    section.add(Paragraph(f"月末红灯任务{len(f.red)}项，请牵头单位逐项说明。"))
    section.add(
        Table("红灯任务", ["任务", "牵头单位", "原因"], [[task_name(t), names(t.leads), t.reason] for t in f.red])
    )
    return doc.number()


SPECIAL = CadencePoint(
    name="special_review",
    title="专项督查通报",
    period_kind=PeriodKind.MONTHLY,
    schedule="special_review",  # cadence.yaml: special_review: {workday_of_month: 2}
    figures=special_figures,
    builder=special_document,
    bulletin="special-review",
    notice=Notice(template="special_review"),  # notifications/templates/special_review/
    command="special-review",
    cron="0 11 * * *",
    description="专项督查: the tasks red at the end of last month.",
)

TEMPLATE = {
    "subject.j2": "【专项督查】{{ p.title }}",
    "body.j2": "{{ p.title }}已印发，请被点名单位十个工作日内书面说明。",
}


# --- the test --------------------------------------------------------------------------------------


@pytest.fixture
def special(fresh_engine, tmp_path, monkeypatch):
    """The point registered, its run day in the office's cadence.yaml, its template beside the
    shipped ones, and the bulletins' world committed in a database of its own."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "cadence.yaml").write_text(yaml.safe_dump({"special_review": {"workday_of_month": 2}}), "utf-8")
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(config))
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "special_review").mkdir()
    for name, text in TEMPLATE.items():
        (templates / "special_review" / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("WUFEI_TEMPLATE_DIR", str(templates))
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    migrate.upgrade(fresh_engine)
    with make_sessionmaker(fresh_engine)() as session:
        W.build(session)
        session.commit()
    with registry.registered(SPECIAL):
        yield fresh_engine


def test_a_point_declared_in_one_module_runs_end_to_end_through_the_registry(special, tmp_path):
    from wufei.cli import main

    assert "special-review" in runs.commands()
    out = tmp_path / "bulletins"
    cli = CliRunner()
    # Not its working day (the 2nd of June 2024 is a Sunday; the 3rd is the 1st working day):
    skipped = cli.invoke(main, ["cadence", "run", "special-review", "--as-of", "2024-06-03", "--json"])
    assert skipped.exit_code == 0, skipped.output
    assert "今日不是该环节的运行日" in skipped.output
    ran = cli.invoke(main, ["cadence", "run", "special-review", "--as-of", "2024-06-04", "--out", str(out), "--json"])
    assert ran.exit_code == 0, ran.output
    assert '"period": "2024-05"' in ran.output

    written = out / "衡水市" / "special-review-2024-05.md"
    text = written.read_text(encoding="utf-8")
    assert "衡水市2024年5月专项督查通报" in text and "月末红灯任务2项" in text
    assert "修订生活垃圾分类管理办法" in text  # T1, overdue since 16 May (tests/bulletins/world.py)
    with make_sessionmaker(special)() as session:
        stored = session.scalars(select(PeriodFigures).where(PeriodFigures.kind == "special_review")).one()
        assert (stored.period, stored.scope, stored.as_of) == ("2024-05", "衡水市", date(2024, 6, 4))
        assert [t["title"] for t in stored.figures["red"]] == ["修订生活垃圾分类管理办法", "开展无废机关创建"]
        snapshot = session.scalars(select(Snapshot).where(Snapshot.kind == "special_review")).one()
        assert snapshot.locked_at is not None
        intents = list(session.scalars(select(NoticeIntent).where(NoticeIntent.step == "special_review")))
        assert {i.audience for i in intents} == {"office", "group", "liaison"}
        [digest] = build_digests(
            [i for i in intents if i.audience == "office"], day=date(2024, 6, 4), department_names={}, env=environment()
        )
    assert digest.subject == "【专项督查】衡水市2024年5月专项督查通报"
    assert "请被点名单位十个工作日内书面说明" in digest.body

    # The bulletin command knows it too, and reissues the same locked snapshot.
    again = cli.invoke(main, ["bulletin", "special-review", "--period", "2024-05", "--out", str(tmp_path / "cli")])
    assert again.exit_code == 0, again.output
    assert snapshot.snapshot_id in again.output
    assert (tmp_path / "cli" / "衡水市" / "special-review-2024-05.md").read_text(encoding="utf-8") == text

    # Its flow and deployment come from the registry.
    from flows.deployments import deployments
    from flows.points import point_flow

    flow, cron = deployments()["special-review"]
    assert (flow.name, cron) == ("special-review", "0 11 * * *")
    assert point_flow(SPECIAL).fn.__name__ == "special_review"


def test_a_point_must_run_by_itself_or_follow_another_and_names_are_unique():
    with pytest.raises(registry.PointError, match="二者取一"):
        registry.register(
            CadencePoint(
                name="orphan",
                title="无",
                period_kind=PeriodKind.MONTHLY,
                schedule="monthly_dispatch",
                figures=special_figures,
                builder=special_document,
                bulletin="orphan",
            )
        )
    with pytest.raises(registry.PointError, match="重复"):
        registry.register(registry.point("monthly"))
    assert [p.name for p in registry.points()] == [
        "monthly",
        "province_monthly",
        "quarterly",
        "province_quarterly",
        "half_year",
        "province_half_year",
        "annual",
        "self_assessment",
        "province_annual",
    ]


def test_every_shipped_point_has_its_run_day_in_the_shipped_cadence_file():
    cadence = Ruleset.load().cadence
    for point in registry.points():
        assert point.run_day(cadence).workday_of_month > 0, point.name
    assert Path(TEMPLATES / "bulletin_ready" / "body.j2").is_file()  # the notice every shipped point sends
