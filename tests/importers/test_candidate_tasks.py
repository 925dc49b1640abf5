"""No readable file refused whole: a file in which no task list, table or numbered item is recognised has its
paragraphs that name a unit-like owner or a deadline read as candidate tasks, each with a doubt for a person
(the preview shows them, `wufei import --preview` prints them, committing is all or nothing); a file with no such
paragraph is still refused, naming the file and what was looked for. The web page's preview of such a file is
proved in tests/web/test_import_page.py (test_a_file_without_a_task_list_is_previewed_with_a_doubt_on_each_paragraph).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import fresh_database_url
from wufei import migrate
from wufei.cli import main
from wufei.db import make_sessionmaker
from wufei.doubts.models import DoubtStatus, ImportDoubt
from wufei.importers.records import ImportError_
from wufei.importers.service import Correction, import_corrected, read_source
from wufei.importers.text.candidates import CANDIDATE_DOUBT
from wufei.plans.models import Plan
from wufei.tasks.models import Task

# Minutes of a meeting: decisions in sentences, no numbers, no owner labels or brackets, no table.
MINUTES = """衡水市城市环境卫生整治推进会会议纪要
2024年10月8日，市政府召开城市环境卫生整治推进会，会议听取了各单位工作汇报，议定事项如下。
会议要求，城区主次干道实行每日两扫、全天保洁，市城市管理综合行政执法局2024年11月底前完成机械化清扫设备更新。
会议指出，老旧小区积存垃圾问题群众反映强烈，桃城区人民政府2024年12月31日前完成清理。
会议强调，建筑工地扬尘治理要常抓不懈，市住房和城乡建设局加强日常巡查。
出席：市政府办公室、市城市管理综合行政执法局、市住房和城乡建设局、桃城区人民政府。
"""
# A letter to citizens: no unit, no deadline anywhere.
APPEAL = """衡水市环境卫生倡议书
亲爱的市民朋友们：
让我们从身边小事做起，爱护环境卫生，共建美好家园。
不乱扔垃圾，不随地吐痰，文明出行，绿色生活。
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_without_a_task_list_is_read_paragraph_by_paragraph_each_with_a_doubt(tmp_path):
    plan = read_source(write(tmp_path, "纪要.txt", MINUTES)).plans[0]
    found = [(t.line, t.owners_raw, t.deadline_raw) for t in plan.tasks]
    assert found == [
        (3, "市城市管理综合行政执法局", "2024年11月底前"),
        (4, "桃城区人民政府", "2024年12月31日前"),
        (5, "市住房和城乡建设局", None),
    ]  # not the meeting's date (a date said, no deadline), nor the list of who attended
    assert plan.tasks[0].title.startswith("会议要求，城区主次干道实行每日两扫")
    assert all([d.message for d in t.doubts] == [CANDIDATE_DOUBT] for t in plan.tasks)
    assert any("未识别出任务清单结构" in d.message and "3个" in d.message for d in plan.doubts)


def test_a_word_file_without_a_task_list_is_read_the_same_way(tmp_path):
    document = docx.Document()
    for line in MINUTES.splitlines():
        document.add_paragraph(line)
    document.save(tmp_path / "纪要.docx")
    plan = read_source(tmp_path / "纪要.docx").plans[0]
    assert [(t.where, t.owners_raw) for t in plan.tasks] == [
        ("第3段", "市城市管理综合行政执法局"),
        ("第4段", "桃城区人民政府"),
        ("第5段", "市住房和城乡建设局"),
    ]
    assert all(d.message == CANDIDATE_DOUBT for t in plan.tasks for d in t.doubts)


def test_a_file_with_nothing_task_like_is_refused_naming_the_file_and_what_was_looked_for(tmp_path):
    path = write(tmp_path, "倡议书.txt", APPEAL)
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert str(path) in str(refused.value)
    assert "没有找到任务、指标或无废细胞表格" in str(refused.value) and "责任单位" in str(refused.value)
    assert "完成时限的段落" in str(refused.value)


def test_the_command_line_preview_shows_the_doubt_on_every_candidate(tmp_path):
    env = {"WUFEI_DATABASE_URL": fresh_database_url(tmp_path)}
    result = CliRunner().invoke(
        main, ["import", str(write(tmp_path, "纪要.txt", MINUTES)), "--preview"], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert result.output.count(f"！记录：{CANDIDATE_DOUBT}") == 3
    assert "已将3个写明责任单位或完成时限的段落读作候选任务" in result.output and "未写入任何内容" in result.output
    refused = CliRunner().invoke(main, ["import", str(write(tmp_path, "倡议书.txt", APPEAL)), "--preview"], env=env)
    assert refused.exit_code != 0 and "倡议书.txt" in refused.output and "完成时限的段落" in refused.output


@pytest.fixture
def migrated(fresh_engine):
    migrate.upgrade(fresh_engine)
    return fresh_engine


def test_committing_the_candidates_stores_every_one_with_its_doubt_open(migrated, tmp_path):
    result = import_corrected(migrated, write(tmp_path, "纪要.txt", MINUTES), [], actor="web:office")
    assert result.ok, result.error
    with make_sessionmaker(migrated)() as session:
        tasks = session.scalars(select(Task).order_by(Task.id)).all()
        assert [[d.name for d in t.departments("lead")] for t in tasks] == [
            ["市城市管理综合行政执法局"],
            ["桃城区人民政府"],
            ["市住房和城乡建设局"],
        ]
        candidates = session.scalars(select(ImportDoubt).where(ImportDoubt.message == CANDIDATE_DOUBT)).all()
        assert sorted(d.task_id for d in candidates) == [t.id for t in tasks]
        assert all(d.status == DoubtStatus.OPEN for d in candidates)


def test_committing_the_candidates_is_all_or_nothing(migrated, tmp_path):
    path = write(tmp_path, "纪要.txt", MINUTES)
    failing = [
        Correction(0, "task", 0, "title", "城区主次干道清扫保洁"),
        Correction(0, "plan", None, "jurisdiction", "不存在的地方"),
    ]
    result = import_corrected(migrated, path, failing, actor="web:office")
    assert not result.ok and "不存在的地方" in result.error
    with make_sessionmaker(migrated)() as session:
        for model in (Plan, Task, ImportDoubt):
            assert session.scalars(select(model)).first() is None, model.__tablename__
