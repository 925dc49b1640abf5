"""A task spread over one row per responsible unit, each row with its own deadline (序号 and 重点任务 merged down), is
one task due with its latest row; every row's deadline is kept with the units whose it is, so that the earlier ones
become the task's milestones at import (tests/plans/test_part_milestones.py) instead of being dropped."""

from __future__ import annotations

from pathlib import Path

import docx

from wufei.importers.service import read_source


def split_task_document(path: Path) -> Path:
    """A Word 分工表: task 1 over three rows (one unit and deadline each), task 2 on one row."""
    document = docx.Document()
    document.add_paragraph("台州市2025年“无废城市”建设重点任务分工表")
    rows = [
        ["序号", "重点任务", "责任单位", "完成时限"],
        ["1", "开展工业固体废物排查整治", "市经信局", "2025年5月底前"],
        ["", "", "市生态环境局", "2025年8月底前"],
        ["", "", "各县（市、区）人民政府", "2025年10月底前"],
        ["2", "建成市级信息平台", "市大数据局", "2025年12月底前"],
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            if text:
                table.cell(r, k).text = text
    for k in (0, 1):
        table.cell(1, k).merge(table.cell(3, k))
    document.save(str(path))
    return path


def test_each_unit_s_deadline_is_kept_with_its_units(tmp_path: Path):
    tasks = read_source(split_task_document(tmp_path / "分工表.docx")).plans[0].tasks
    assert [(t.title, t.deadline_raw, t.part_deadlines) for t in tasks] == [
        (
            "开展工业固体废物排查整治",
            "2025年10月底前",
            (
                "市经信局：2025年5月底前",
                "市生态环境局：2025年8月底前",
                "各县（市、区）人民政府：2025年10月底前",
            ),
        ),
        ("建成市级信息平台", "2025年12月底前", ()),
    ]
