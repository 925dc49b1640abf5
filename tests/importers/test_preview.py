"""`wufei import --preview`: every record field by field, each doubt on its field, nothing written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select, text

from tests.conftest import fresh_database_url
from tests.preview_plan import DOC_NUMBER, DOCUMENT, write_plan
from wufei import migrate
from wufei.cli import main
from wufei.db import transaction
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.doubts.service import decide_doubt
from wufei.importers.service import import_paths, preview_paths

# The plan without its place (no number, no issuer, no city in the title): the loader refuses it.
NOWHERE = DOCUMENT.replace(DOC_NUMBER, "").replace("衡水市", "")


def _row_counts(engine) -> dict[str, int]:
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        return {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


@pytest.fixture
def migrated(fresh_engine):
    migrate.upgrade(fresh_engine)
    return fresh_engine


def test_the_preview_shows_each_record_field_by_field_with_its_doubts_and_writes_nothing(migrated, tmp_path):
    before = _row_counts(migrated)
    [preview] = preview_paths(migrated, [write_plan(tmp_path)])
    assert _row_counts(migrated) == before  # nothing written, not even departments or audit entries

    assert preview.ok and preview.committable
    [plan] = preview.plans
    assert plan.change == "created"
    fields = {f.key: f for f in plan.fields}
    assert fields["jurisdiction"].value == "衡水市" and fields["doc_number"].value == "衡政办字〔2024〕9号"

    unknown, collective, pick, nobody = plan.tasks
    assert unknown.label == "制度体系 1" and unknown.where == "第18行" and unknown.change == "created"
    leads = unknown.field("leads")
    assert leads.value == "市生态环境厅" and leads.flagged
    [doubt] = leads.doubts
    assert "市生态环境局" in doubt.message and doubt.text == "市生态环境厅"  # the close match is suggested
    deadline = unknown.field("deadline")
    assert deadline.value == "2024年6月" and "2024年6月30日" in deadline.resolved and not deadline.flagged

    supporting = collective.field("supporting")
    assert supporting.value == "各县市区人民政府" and len(supporting.resolved.split("、")) == 11
    assert collective.open_doubts == 0

    assert "指其中部分单位" in pick.field("leads").doubts[0].message
    no_lead = nobody.field("leads")
    assert no_lead.value == "" and no_lead.doubts[0].message == "未写明牵头单位，待办公室指定"
    assert plan.open_doubts == 3 and plan.doubt_counts() == {"牵头单位": 3}


def test_the_preview_shows_what_the_import_then_stores_and_what_was_decided_since(migrated, tmp_path):
    path = write_plan(tmp_path)
    [preview] = preview_paths(migrated, [path])
    [result] = import_paths(migrated, [path])
    [summary] = result.plans
    assert summary.counts["tasks"] == len(preview.plans[0].tasks) == 4
    assert summary.counts["doubts"] == preview.open_doubts == 3 == result.doubts

    with transaction(migrated) as session:
        first = session.scalar(select(ImportDoubt).order_by(ImportDoubt.id).limit(1))
        decide_doubt(session, doubt_id=first.id, status=DoubtStatus.CONFIRMED, note="已核实", actor="张三")
    [again] = preview_paths(migrated, [path])
    [plan] = again.plans
    assert plan.change == "unchanged" and {r.change for r in plan.tasks} == {"unchanged"}
    assert plan.open_doubts == 2
    assert [d.status for d in plan.tasks[0].field("leads").doubts] == ["confirmed"]


def test_an_unreadable_file_is_refused_by_name_and_a_plan_the_loader_refuses_is_still_shown(migrated, tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    nowhere = write_plan(tmp_path, NOWHERE)
    gone, refused = preview_paths(migrated, [missing, nowhere])
    assert not gone.ok and str(missing) in gone.error and gone.plans == []
    assert refused.ok and not refused.committable
    [plan] = refused.plans
    assert "无法确定文件所属地区" in plan.error and len(plan.tasks) == 4  # every record shown, and what stops it
    assert plan.change is None and plan.tasks[0].change is None
    assert _row_counts(migrated)["plans"] == 0


@pytest.fixture
def wufei(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result

    return run


def test_the_command_prints_each_field_and_a_chinese_summary_and_imports_nothing(wufei, tmp_path):
    path = write_plan(tmp_path)
    output = wufei("import", str(path), "--preview").output
    assert "！牵头单位：市生态环境厅" in output and "是否为：市生态环境局" in output
    assert "完成期限：2024年6月 → 2024年6月30日" in output
    assert "记录数 4" in output and "待确认项数 3（牵头单位 3）" in output and "未写入任何内容" in output
    assert json.loads(wufei("tasks", "--json").output) == []

    files = json.loads(wufei("import", str(path), "--preview", "--json").output)
    assert files[0]["records"] == 4 and files[0]["doubts"] == 3
    first = files[0]["plans"][0]["tasks"][0]
    leads = next(f for f in first["fields"] if f["key"] == "leads")
    assert leads["doubts"][0]["field_cn"] == "牵头单位" and leads["doubts"][0]["status_cn"] == "待确认"


def test_an_import_says_how_many_fields_wait_for_a_person(wufei, tmp_path):
    output = wufei("import", str(write_plan(tmp_path))).output
    assert "3 项待确认，请用 wufei doubts list 查看" in output
    listed = wufei("doubts", "list").output
    assert "市生态环境厅" in listed and sum(line.startswith("[") for line in listed.splitlines()) == 3


def test_the_preview_exits_non_zero_when_the_import_would_refuse_something(wufei, tmp_path):
    output = wufei("import", str(write_plan(tmp_path, NOWHERE)), "--preview", ok=False).output
    assert "导入时将被拒绝" in output and "无法确定文件所属地区" in output and "记录数 4" in output


def test_out_without_preview_is_refused(wufei, tmp_path):
    result = wufei("import", str(write_plan(tmp_path)), "--out", str(tmp_path / "x.xlsx"), ok=False)
    assert "--preview" in result.output


def test_a_preview_of_several_files_sees_the_earlier_ones_as_an_import_would(migrated, tmp_path):
    first = write_plan(tmp_path)
    second_folder = tmp_path / "again"
    second_folder.mkdir()
    second = write_plan(second_folder)
    one, two = preview_paths(migrated, [first, second])
    assert one.plans[0].change == "created" and two.plans[0].change == "unchanged"
    with migrated.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ImportDoubt.__table__)).scalar_one() == 0


def test_a_plan_the_database_would_refuse_is_shown_with_the_conflict(migrated, tmp_path):
    _ = import_paths(migrated, [write_plan(tmp_path)])
    renumbered = tmp_path / "renumbered"
    renumbered.mkdir()
    same_title = write_plan(renumbered, DOCUMENT.replace("衡政办字〔2024〕9号", "衡政办字〔2024〕99号"))
    [preview] = preview_paths(migrated, [same_title])
    [plan] = preview.plans
    assert "已有的记录冲突" in plan.error and len(plan.tasks) == 4 and not preview.committable
    assert _row_counts(migrated)["plans"] == 1
