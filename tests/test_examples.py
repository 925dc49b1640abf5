"""The example plans the demo previews: other places' plans as published, each read without a
refusal, with its place, its tasks and owners found; nothing is written by a preview."""

from pathlib import Path

from sqlalchemy import select

from wufei.importers.service import preview_paths
from wufei.plans.models import Plan

PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"


def test_every_example_plan_previews_with_its_place_tasks_and_owners(engine, registry):
    paths = sorted(PLANS.iterdir())
    assert {p.suffix for p in paths} == {".docx", ".pdf", ".html"}
    previews = preview_paths(engine, paths, registry=registry)
    places = set()
    for preview in previews:
        assert preview.ok and preview.committable, preview.error
        (plan,) = preview.plans
        places.add(next(f.value for f in plan.fields if f.key == "jurisdiction"))
        assert plan.tasks, preview.file
    assert places == {"渝中区", "铜川市", "西宁市"}
    leads = {f.value for p in previews for t in p.plans[0].tasks for f in t.fields if f.key == "leads"}
    assert "区城市管理局" in leads  # the Word table's 责任单位 column
    with engine.connect() as connection:
        titles = connection.execute(select(Plan.title)).scalars().all()
    assert not any("渝中区" in title for title in titles), "a preview writes nothing"
