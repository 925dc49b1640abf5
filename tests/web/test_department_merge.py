"""A liaison of a unit merged into another (`wufei depts merge`) works for the new unit on the portal:
its account follows the unit, and its task list is the new unit's, without signing in again.

A portal of its own (the shared one's database is not merged under other tests): the Hengshui plan,
and a supplement whose only lead is a mistyped unit (市生态环镜局) the import kept as unknown."""

from __future__ import annotations

from types import SimpleNamespace

from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import copy_database
from tests.rules import RULESET
from tests.web.conftest import PASSWORD, serve, sign_in
from wufei.accounts.service import add_user
from wufei.cli import main
from wufei.db import make_engine, transaction
from wufei.departments.models import Department
from wufei.importers.service import import_paths
from wufei.web.app import create_app
from wufei.web.portal import Settings

SUPPLEMENT = (
    "衡水市“无废城市”建设补充任务分工\n"
    "一、开展危险废物规范化环境管理评估。（牵头单位：市生态环镜局；配合单位：市应急管理局；完成时限：2025年12月底前）\n"
)


def test_a_liaison_of_the_merged_unit_sees_the_new_units_tasks(hengshui_template, tmp_path):
    url = copy_database(hengshui_template, tmp_path)
    supplement = tmp_path / "衡水市无废城市建设补充任务.txt"
    supplement.write_text(SUPPLEMENT, encoding="utf-8")
    engine = make_engine(url)
    try:
        assert all(result.ok for result in import_paths(engine, [supplement]))
        with transaction(engine) as session:
            typo = session.scalars(select(Department).where(Department.name == "市生态环镜局")).one()
            add_user(
                session,
                username="typo",
                role="liaison",
                display_name="王五",
                department_id=typo.id,
                password=PASSWORD,
                actor="test",
            )
        app = create_app(Settings(engine=engine, rules=RULESET, imports_dir=tmp_path / "imports"))
        with serve(app) as base:
            client = sign_in(SimpleNamespace(url=base), "typo")
            try:
                before = client.get("/my/tasks")
                assert before.status_code == 200
                assert "危险废物规范化环境管理评估" in before.text and "严把环境准入关" not in before.text
                merged = CliRunner().invoke(
                    main,
                    ["depts", "merge", "衡水市/市生态环镜局", "衡水市/市生态环境局"],
                    env={"WUFEI_DATABASE_URL": url},
                )
                assert merged.exit_code == 0, merged.output
                after = client.get("/my/tasks")  # the same session, not signed in again
                assert after.status_code == 200
                # The new unit's own task (监管体系 3) and the one moved to it.
                assert "严把环境准入关" in after.text and "危险废物规范化环境管理评估" in after.text
            finally:
                client.close()
    finally:
        engine.dispose()
