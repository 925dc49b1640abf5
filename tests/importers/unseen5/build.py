"""Write the Word, old Word, old Excel, Excel, PDF and CSV documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen5/build.py          # write every document
    .venv/bin/python tests/importers/unseen5/build.py ID…      # some documents

The documents are made up (README.md). The Word, Excel and plain helpers are rounds 2 and 4's
(`tests/importers/unseen2/build.py`, `tests/importers/unseen4/build.py`); written here: a Word table nested in a
layout table's cell, a Word table inside a text box (`w:txbxContent`), a wide sheet printed by LibreOffice Calc
over two pages side by side, an old Excel `.xls` and an old Word `.doc` converted by LibreOffice, and a UTF-8 CSV
with line breaks inside quoted cells. LibreOffice's `.xls`, `.doc` and PDF output carry its own build stamps, so
only the Word, Excel and CSV files rebuild byte for byte.
"""

from __future__ import annotations

import importlib.util
import io
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, folder: str):
    spec = importlib.util.spec_from_file_location(name, HERE.parent / folder / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_round2 = _load("unseen2_build", "unseen2")
_round4 = _load("unseen4_build", "unseen4")
docx_file, xlsx_file, Cell = _round2.docx_file, _round2.xlsx_file, _round2.Cell


def _save(document, path: Path) -> None:
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_round2._fixed_zip(buffer.getvalue()))


def _new_document():
    import docx

    document = docx.Document()
    document.core_properties.created = _round2.FIXED_TIME
    document.core_properties.modified = _round2.FIXED_TIME
    return document


def _fill(table, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


# --- the documents ---------------------------------------------------------------------------------


def sd_dongying_qiantao(path: Path) -> None:
    """The page is a two-row layout table; its second row's cell holds the task table (a table in a cell)."""
    document = _new_document()
    document.add_paragraph("东营市“无废城市”建设2024—2025年重点任务清单")
    layout = document.add_table(rows=2, cols=1)
    layout.style = "Table Grid"
    layout.cell(0, 0).text = "东营市“无废城市”建设工作领导小组办公室　　2024年3月"
    inner_cell = layout.cell(1, 0)
    inner_cell.paragraphs[0].text = "附：重点任务清单"
    rows = [
        ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "推进石化行业废催化剂综合利用", "市工业和信息化局", "市生态环境局", "2024年底"],
        ["2", "建成市级固体废物信息化监管平台", "市生态环境局", "市大数据局、市财政局", "2025年上半年"],
        ["3", "完成黄河滩区农田残膜回收试点", "市农业农村局", "垦利区人民政府、利津县人民政府", "2024年三季度末"],
    ]
    inner = inner_cell.add_table(rows=len(rows), cols=5)
    inner.style = "Table Grid"
    _fill(inner, rows)
    _save(document, path)


def nm_chifeng_wenbenkuang(path: Path) -> None:
    """The task table sits inside a text box (a VML shape's w:txbxContent) anchored in a paragraph."""
    from docx.oxml import parse_xml

    document = _new_document()
    document.add_paragraph("赤峰市2025年“无废城市”建设重点工作任务表")
    document.add_paragraph("为推进“无废城市”建设各项任务落地见效，现将2025年重点工作任务明确如下。")
    rows = [
        ["序号", "工作任务", "责任单位", "完成时限"],
        ["1", "推进煤矸石、粉煤灰综合利用", "市工信局（牵头）、市能源局", "2025年9月底前"],
        ["2", "开展医疗废物收集转运体系建设", "市卫健委（牵头）、市生态环境局、各旗县区人民政府", "2025年6月底前"],
        ["3", "建设农村牧区生活垃圾收运处置体系", "市住建局（牵头）、市农牧局", "2025年12月底前"],
    ]
    table = document.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    _fill(table, rows)
    tbl = table._tbl
    tbl.getparent().remove(tbl)
    anchor = document.add_paragraph()
    run = anchor.add_run()
    pict = parse_xml(
        '<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        '<v:shape id="TaskBox" type="#_x0000_t202" style="width:450pt;height:220pt">'
        "<v:textbox><w:txbxContent><w:p/></w:txbxContent></v:textbox></v:shape></w:pict>"
    )
    run._r.append(pict)
    content = pict.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}txbxContent")
    content.insert(0, tbl)
    document.add_paragraph("赤峰市生态环境局")
    document.add_paragraph("2025年2月20日")
    _save(document, path)


def xz_lasa_kuanbiao(path: Path) -> None:
    """A wide sheet printed by LibreOffice Calc: the columns past the page's width go on a second page."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "xz_lasa_kuanbiao.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "任务表"
        rows = [
            ["拉萨市“无废城市”建设2025年重点任务推进表"],
            ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "备注"],
            [
                "1",
                "推进建筑垃圾资源化利用",
                "建成建筑垃圾资源化利用项目1个，年处理能力达到30万吨",
                "市住房和城乡建设局",
                "市城市管理局",
                "2025年10月底前",
                "",
            ],
            [
                "2",
                "加强危险废物规范化环境管理",
                "开展危险废物规范化环境管理评估，重点单位评估全覆盖",
                "市生态环境局",
                "各县（区）人民政府",
                "2025年11月底前",
                "",
            ],
            [
                "3",
                "推动旅游景区“无废景区”建设",
                "创建“无废景区”3个",
                "市文化和旅游局",
                "市生态环境局、市商务局",
                "2025年12月底前",
                "新增",
            ],
        ]
        for row in rows:
            sheet.append([int(v) if v.isdigit() else v for v in row])
        sheet.merge_cells("A1:G1")
        for column, width in zip("ABCDEFG", [6, 30, 60, 24, 28, 20, 12]):
            sheet.column_dimensions[column].width = width
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        book.save(source)
        _round2.soffice_convert(source, "pdf", path)


def hn_hengyang_laoshi(path: Path) -> None:
    """An old Excel (.xls) file: 责任单位 split into 市级牵头 / 市级配合 / 县级责任 columns."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "hn_hengyang_laoshi.xlsx"
        xlsx_file(
            [
                [("衡阳市“无废城市”建设2025年重点任务责任分解表", 1, 6)],
                ["序号", "重点任务", "市级牵头", "市级配合", "县级责任", "完成时限"],
                ["1", "推进有色金属冶炼废渣综合利用", "市工信局", "市生态环境局", "常宁市人民政府", "2025年12月底前"],
                ["2", "推进畜禽粪污资源化利用", "市农业农村局", "", "各县市区人民政府", "2025年11月底前"],
                ["3", "开展塑料污染全链条治理", "市发展改革委", "市商务局、市市场监管局", "", "2025年9月底前"],
                [
                    "4",
                    "建设一般工业固废贮存处置场",
                    "市生态环境局",
                    "市自然资源和规划局",
                    "耒阳市人民政府、衡南县人民政府",
                    "2025年10月底前",
                ],
            ],
            source,
        )
        _round2.soffice_convert(source, "xls", path)


def jx_pingxiang_fangan(path: Path) -> None:
    """An old Word (.doc) file: `（一）` sections, `1.` items, `(1)` sub-items with their owners, `①` points."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "jx_pingxiang_fangan.docx"
        docx_file(
            [
                "萍乡市“无废城市”建设实施方案",
                "为推进固体废物源头减量和资源化利用，结合我市实际，制定本方案。",
                "一、主要任务",
                "（一）推进工业领域减污降碳",
                "1.提升工业固体废物综合利用水平",
                "(1)推进陶瓷废料综合利用。①建设陶瓷废料再生利用生产线；②推广废瓷粉制备新型建材。"
                "（牵头单位：市工信局；配合单位：芦溪县人民政府；完成时限：2025年6月底前）",
                "(2)开展粉煤灰、脱硫石膏利用示范。（牵头单位：市发改委；配合单位：市生态环境局；完成时限：2025年12月底前）",
                "（二）推进生活领域源头减量",
                "1.深化生活垃圾分类",
                "(1)建成城区生活垃圾分类处理系统。①完善分类投放点；②建成厨余垃圾处理设施。"
                "（牵头单位：市城管局；配合单位：各县区人民政府；完成时限：2024年12月底前）",
                "二、保障措施",
                "加强组织领导，各牵头单位要定期调度任务进展。",
            ],
            source,
        )
        _round2.soffice_convert(source, "doc", path)


def sd_weihai_niandu(path: Path) -> None:
    """A 任务清单 whose 2024年/2025年/2026年 target columns are its only dates; no 完成时限 column."""
    _round4.sheets_file(
        [
            (
                "任务清单",
                [
                    [("威海市“无废城市”建设三年任务清单（2024—2026年）", 1, 6)],
                    ["序号", "任务名称", "责任单位", "2024年目标", "2025年目标", "2026年目标"],
                    [
                        "1",
                        "推进海洋渔业废弃物回收利用",
                        "市海洋发展局",
                        "建成回收站点10个",
                        "建成回收站点20个",
                        "沿海区市全覆盖",
                    ],
                    [
                        "2",
                        "推进再生资源回收体系建设",
                        "市商务局、市供销社",
                        "出台实施方案",
                        "建成分拣中心2个",
                        "回收利用率达到50%",
                    ],
                    ["3", "建设餐厨废弃物处理项目", "市城市管理局", "完成选址", "建成投运", ""],
                ],
            )
        ],
        path,
    )


def ah_jinzhai_xiangzhen(path: Path) -> None:
    """A county's plan in paragraphs: owners name 乡镇 and 村 collectives after the county's bureaux."""
    docx_file(
        [
            "金寨县农村“无废乡村”建设工作方案",
            "为推进农村固体废物治理，建设“无废乡村”，制定本方案。",
            "一、重点任务",
            "（一）农村生活垃圾治理。健全“户分类、村收集、乡镇转运、县处理”收运体系，2025年底前行政村覆盖率达到100%。"
            "责任单位：县城管局，各乡镇（街道）、各村（社区）。",
            "（二）农药包装废弃物回收。在各乡镇设立回收点，回收率达到80%以上。"
            "责任单位：县农业农村局、县供销社，各乡镇（街道）。完成时限：2025年10月底前。",
            "（三）秸秆综合利用。推进秸秆肥料化、饲料化利用，综合利用率稳定在95%以上。"
            "责任单位：县农业农村局，各乡镇（街道）。完成时限：每年12月底前。",
            "金寨县人民政府办公室",
            "2024年4月8日",
        ],
        path,
    )


def sc_yibin_daochu(path: Path) -> None:
    """A CSV exported from a 督办 system in UTF-8 with a BOM: owner cells hold one unit a line."""
    import csv

    rows = [
        ["宜宾市“无废城市”建设重点任务督办表"],
        ["序号", "任务内容", "牵头单位", "配合单位", "完成时间", "办理状态"],
        ["1", "推进白酒酒糟资源化利用", "市经济和信息化局", "市农业农村局\n市生态环境局", "2025年6月30日", "推进中"],
        ["2", "建设长江沿岸废弃物收集点", "市生态环境局\n市交通运输局", "叙州区人民政府", "2025年8月31日", "推进中"],
        ["3", "开展“无废机关”创建", "市机关事务服务中心", "", "2025年12月31日", "未启动"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


DOCUMENTS = {
    "sd_dongying_qiantao": ("docx", sd_dongying_qiantao),
    "nm_chifeng_wenbenkuang": ("docx", nm_chifeng_wenbenkuang),
    "xz_lasa_kuanbiao": ("pdf", xz_lasa_kuanbiao),
    "hn_hengyang_laoshi": ("xls", hn_hengyang_laoshi),
    "jx_pingxiang_fangan": ("doc", jx_pingxiang_fangan),
    "sd_weihai_niandu": ("xlsx", sd_weihai_niandu),
    "ah_jinzhai_xiangzhen": ("docx", ah_jinzhai_xiangzhen),
    "sc_yibin_daochu": ("csv", sc_yibin_daochu),
}


if __name__ == "__main__":
    _round2.run(DOCUMENTS, HERE)
