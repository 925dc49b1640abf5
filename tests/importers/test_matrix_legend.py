"""A responsibility matrix's marks mean what the document's legend says (注：○为牵头单位，●为配合单位), wherever the
legend is printed (a row of the table, a line under it); without a legend ★● lead and ○√ support as before."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from wufei.importers.service import read_source
from wufei.importers.text.table_records import mark_roles

UNITS = ["市发展改革局", "市生态环境局", "市住房城乡建设局", "各区人民政府"]
ROWS = [
    ("推进陶瓷行业固体废物综合利用", "2025年6月底前", ["●", "○", "", "●"]),
    ("建设建筑垃圾资源化利用项目", "2025年12月底前", ["", "●", "○", ""]),
]


def _owners(path: Path) -> list[tuple]:
    return [(t.title, t.leads, t.supporting) for t in read_source(path).plans[0].tasks]


def _matrix_sheet(path: Path, rows: list[tuple], note: str | None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某市“无废城市”建设重点任务分工表"])
    sheet.append(["序号", "重点任务", "完成时限", *UNITS])
    for number, (task, deadline, marks) in enumerate(rows, start=1):
        sheet.append([number, task, deadline, *marks])
    if note:
        sheet.append([note])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=3 + len(UNITS))
    book.save(path)


def test_a_legend_row_decides_what_the_marks_mean(tmp_path: Path):
    # The legend turns the usual meaning round: ○ leads, ● supports (main read ● as the lead, ○ as support).
    path = tmp_path / "分工表.xlsx"
    _matrix_sheet(path, ROWS, "注：○为牵头单位，●为配合单位。")
    assert _owners(path) == [
        ("推进陶瓷行业固体废物综合利用", ("市生态环境局",), ("市发展改革局", "各区人民政府")),
        ("建设建筑垃圾资源化利用项目", ("市住房城乡建设局",), ("市生态环境局",)),
    ]


def test_without_a_legend_the_usual_marks_keep_their_meaning(tmp_path: Path):
    path = tmp_path / "分工表.xlsx"
    _matrix_sheet(path, ROWS, None)
    assert _owners(path) == [
        ("推进陶瓷行业固体废物综合利用", ("市发展改革局", "各区人民政府"), ("市生态环境局",)),
        ("建设建筑垃圾资源化利用项目", ("市生态环境局",), ("市住房城乡建设局",)),
    ]


def test_a_legend_under_the_table_explains_marks_nobody_else_uses(tmp_path: Path):
    # ※ and ◇ in the cells: ※ is no mark of a matrix without the legend, so the table was not read as one.
    document = docx.Document()
    document.add_paragraph("某县农村生活垃圾治理任务分工表")
    table = document.add_table(rows=3, cols=5)
    for k, text in enumerate(["序号", "工作任务", "县住建局", "县农业农村局", "各乡镇人民政府"]):
        table.cell(0, k).text = text
    for r, (task, marks) in enumerate(
        [("建设乡镇垃圾中转站", ["※", "", "◇"]), ("开展村庄清洁行动", ["◇", "※", "◇"])], 1
    ):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = task
        for k, mark in enumerate(marks):
            table.cell(r, 2 + k).text = mark
    document.add_paragraph("注：标“※”的为牵头单位，标“◇”的为配合单位。")
    path = tmp_path / "分工表.docx"
    document.save(str(path))
    assert _owners(path) == [
        ("建设乡镇垃圾中转站", ("县住建局",), ("各乡镇人民政府",)),
        ("开展村庄清洁行动", ("县农业农村局",), ("县住建局", "各乡镇人民政府")),
    ]


def test_a_legend_names_marks_and_roles_and_nothing_else():
    assert mark_roles("注：★为牵头单位，○为配合单位。") == {"★": "lead", "○": "supporting"}
    assert mark_roles("标“▲”的为牵头部门，标“●”的为协办部门") == {"▲": "lead", "●": "supporting"}
    assert mark_roles("★为国家必选指标，※为省特色指标") == {}
    assert mark_roles("备注：2025年为目标年") == {}
