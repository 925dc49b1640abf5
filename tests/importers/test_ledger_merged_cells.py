"""A ledger workbook whose office merged a 牵头单位 cell over two tasks: each task gets the lead,
the ones under the anchor with a doubt naming the merged range, shown in the preview."""

from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner

from wufei import migrate
from wufei.importers.spreadsheet import read_workbook

PLAN = ["示例市“无废城市”建设实施方案", "示政办字〔2024〕1号", "衡水市", 2024, 2025]


def _ledger(path):
    workbook = openpyxl.Workbook()
    plans = workbook.active
    plans.title = "方案"
    plans.append(["方案名称", "文号", "地区", "起始年", "截止年"])
    plans.append(PLAN)
    tasks = workbook.create_sheet("任务")
    tasks.append(["方案", "序号", "任务名称", "牵头单位", "完成期限"])
    tasks.append([PLAN[1], "1", "建设危险废物集中处置中心", "市生态环境局", "2025年底"])
    tasks.append([PLAN[1], "2", "推进建筑垃圾资源化利用", None, "2025年底"])
    tasks.append([PLAN[1], "3", "开展无废细胞建设", "市住房城乡建设局", "2025年底"])
    tasks.merge_cells("D2:D3")
    workbook.save(path)
    return path


def test_a_lead_merged_over_two_tasks_leads_both_with_a_doubt_on_the_second(tmp_path):
    [plan] = read_workbook(_ledger(tmp_path / "台账.xlsx")).plans
    first, second, third = plan.tasks
    assert first.leads == second.leads == ("市生态环境局",) and third.leads == ("市住房城乡建设局",)
    assert first.doubts == [] and third.doubts == []
    [doubt] = second.doubts
    assert doubt.field == "leads" and "合并单元格 D2:D3" in doubt.message and "第3行" in doubt.message
    assert doubt.text == "市生态环境局"


def test_the_preview_shows_the_merged_cell_doubt(tmp_path, fresh_engine, monkeypatch):
    from wufei.cli import main

    migrate.upgrade(fresh_engine)
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    path = _ledger(tmp_path / "台账.xlsx")
    result = CliRunner().invoke(main, ["import", str(path), "--preview", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "合并单元格 D2:D3" in json.dumps(json.loads(result.output), ensure_ascii=False)
