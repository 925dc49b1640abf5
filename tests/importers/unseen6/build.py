"""Write the Word and Excel documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen6/build.py          # write every document
    .venv/bin/python tests/importers/unseen6/build.py ID…      # some documents

The documents are made up (README.md). The Word and Excel helpers are round 2's (`tests/importers/unseen2/build.py`);
written here: a responsibility matrix (units as column headers, ★/○ marks), a Word table whose task cells are merged
down over one row per unit, a sheet with real date cells and a hidden column, and a Word list numbered by Word itself
(the `List Number` style), not by typed numbers. The Markdown and web page are written by hand.
"""

from __future__ import annotations

import importlib.util
import io
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, folder: str):
    spec = importlib.util.spec_from_file_location(name, HERE.parent / folder / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_round2 = _load("unseen2_build", "unseen2")
docx_file, xlsx_file = _round2.docx_file, _round2.xlsx_file


def gd_foshan_juzhen(path: Path) -> None:
    """A 分工表 as a responsibility matrix: one column per unit, ★ the lead and ○ a supporting unit."""
    units = ["市发展改革局", "市生态环境局", "市住房城乡建设局", "市农业农村局", "各区人民政府"]
    marks = [
        ("推进陶瓷行业固体废物综合利用", "2025年6月底前", ["○", "★", "", "", "○"]),
        ("建设建筑垃圾资源化利用项目", "2025年12月底前", ["", "○", "★", "", "○"]),
        ("开展农膜回收行动", "2024年12月底前", ["", "", "", "★", "○"]),
        ("建立“无废城市”建设项目库", "2024年9月底前", ["★", "○", "", "", ""]),
    ]
    rows: list = [
        [("佛山市“无废城市”建设重点任务分工表", 1, 8)],
        ["序号", "重点任务", "完成时限", *units],
    ]
    for number, (task, deadline, row_marks) in enumerate(marks, start=1):
        rows.append([str(number), task, deadline, *row_marks])
    rows.append([("注：★为牵头单位，○为配合单位。", 1, 8)])
    xlsx_file(rows, path)


def zj_taizhou_fenhang(path: Path) -> None:
    """A Word 分工表: 序号 and 重点任务 merged down over one row per responsible unit, each with its own deadline."""
    docx_file(
        [
            "台州市“无废城市”建设2025年重点任务分工表",
            [
                ["序号", "重点任务", "责任单位", "完成时限"],
                [("1", 2, 1), ("推进废塑料回收利用体系建设", 2, 1), "市商务局", "2025年6月底前"],
                [None, None, "市供销社", "2025年9月底前"],
                [("2", 3, 1), ("开展工业固体废物排查整治", 3, 1), "市经信局", "2025年5月底前"],
                [None, None, "市生态环境局", "2025年8月底前"],
                [None, None, "各县（市、区）人民政府", "2025年10月底前"],
                ["3", "建成市级“无废城市”信息平台", "市大数据发展管理局", "2025年12月底前"],
            ],
            "台州市“无废城市”建设工作领导小组办公室",
        ],
        path,
    )


def js_wuxi_yincang(path: Path) -> None:
    """An Excel 推进表: deadlines as real date cells (`yyyy/m/d`), and a hidden column of superseded dates."""
    import openpyxl

    xlsx_file(
        [
            [("无锡市2025年“无废城市”建设重点任务推进表", 1, 6)],
            ["序号", "重点任务", "牵头单位", "配合单位", "原计划时间", "完成时间"],
            ["1", "推进电子废物规范回收", "市商务局", "市生态环境局", datetime(2025, 3, 31), datetime(2025, 6, 30)],
            [
                "2",
                "建设小微企业危险废物集中收集点",
                "市生态环境局",
                "各区人民政府",
                datetime(2025, 6, 30),
                datetime(2025, 9, 30),
            ],
            ["3", "开展“无废工地”创建", "市住房城乡建设局", "", datetime(2025, 9, 30), datetime(2025, 11, 30)],
        ],
        path,
        date_format="yyyy/m/d",
    )
    # Hide the superseded 原计划时间 column (E), as an office does when a plan's dates move.
    book = openpyxl.load_workbook(path)
    book.properties.created = _round2.FIXED_TIME
    book.properties.modified = _round2.FIXED_TIME
    book.active.column_dimensions["E"].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_round2._fixed_zip(buffer.getvalue()))


def js_nantong_liebiao(path: Path) -> None:
    """A Word 实施方案 whose items are a list numbered by Word (style `List Number`): no typed numbers in the text."""
    import docx

    document = docx.Document()
    document.core_properties.created = _round2.FIXED_TIME
    document.core_properties.modified = _round2.FIXED_TIME
    document.add_paragraph("南通市“无废园区”建设实施方案")
    document.add_paragraph("为推进工业园区固体废物减量化、资源化，制定本方案。")
    document.add_paragraph("一、重点任务")
    items = [
        "推进园区固体废物分类收集。在重点园区建设一般工业固体废物分类贮存场所。"
        "（牵头单位：市生态环境局；配合单位：各园区管委会；完成时限：2025年6月底前）",
        "建设园区危险废物集中收集平台。每个省级以上园区建成1个集中收集平台。"
        "（牵头单位：市生态环境局；配合单位：市工业和信息化局；完成时限：2025年9月底前）",
        "开展园区循环化改造。推动企业间副产物交换利用。"
        "（牵头单位：市发展改革委；配合单位：市工业和信息化局、市商务局；完成时限：2025年12月底前）",
    ]
    for item in items:
        document.add_paragraph(item, style="List Number")
    document.add_paragraph("二、保障措施")
    document.add_paragraph("各牵头单位要加强统筹调度，每季度末报送进展情况。")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_round2._fixed_zip(buffer.getvalue()))


DOCUMENTS = {
    "gd_foshan_juzhen": ("xlsx", gd_foshan_juzhen),
    "zj_taizhou_fenhang": ("docx", zj_taizhou_fenhang),
    "js_wuxi_yincang": ("xlsx", js_wuxi_yincang),
    "js_nantong_liebiao": ("docx", js_nantong_liebiao),
}


if __name__ == "__main__":
    _round2.run(DOCUMENTS, HERE)
