"""Write the Word, PDF, Excel and CSV documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen4/build.py          # write every document
    .venv/bin/python tests/importers/unseen4/build.py ID…      # some documents

The documents are made up (README.md). The Word, Excel and plain helpers are round 2's
(`tests/importers/unseen2/build.py`); written here: a Word table on a landscape page, a PDF whose table header
row repeats on every page (Word's 标题行重复, `w:tblHeader`), a workbook of several sheets, and a CSV in GB18030.
"""

from __future__ import annotations

import importlib.util
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

_spec = importlib.util.spec_from_file_location("unseen2_build", HERE.parent / "unseen2" / "build.py")
_round2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_round2)
docx_file, Cell = _round2.docx_file, _round2.Cell


def _rewrite_docx(path: Path, change: Callable[[object], None]) -> None:
    """Open the Word file `docx_file` wrote, apply `change` to the document and save it reproducibly."""
    import docx

    document = docx.Document(str(path))
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_round2._fixed_zip(buffer.getvalue()))


def _landscape(document) -> None:
    from docx.enum.section import WD_ORIENT

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _repeat_header_row(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    row = document.tables[0].rows[0]._tr
    properties = row.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    assert properties.find(qn("w:tblHeader")) is not None


def _fixed_modified(path: Path) -> None:
    """openpyxl stamps the save time as the workbook's modified time; set it to the fixed time instead."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        entries = [(info.filename, book.read(info.filename)) for info in book.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            fixed.writestr(zipfile.ZipInfo(name, _round2.ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def sheets_file(sheets: list[tuple[str, list[list[Cell]]]], path: Path) -> None:
    """A workbook of named sheets, each rows of cells (merged as `Cell` says), written reproducibly."""
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = _round2.FIXED_TIME
    book.properties.modified = _round2.FIXED_TIME
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                text, span_rows, span_cols = _round2._span(cell)
                if text != "":
                    sheet.cell(r, c, int(text) if text.isdigit() and len(text) < 4 else text)
                if span_rows > 1 or span_cols > 1:
                    sheet.merge_cells(
                        start_row=r, start_column=c, end_row=r + span_rows - 1, end_column=c + span_cols - 1
                    )
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_round2._fixed_zip(buffer.getvalue()))
    _fixed_modified(path)


# --- the documents ---------------------------------------------------------------------------------


def hub_shengji_fengong(path: Path) -> None:
    docx_file(
        [
            "湖北省2025年“无废城市”建设重点任务分工方案",
            "为深入推进全省“无废城市”建设，明确2025年重点任务和责任分工，制定本方案。各牵头单位要会同责任单位细化措施，"
            "按时序推进。",
            [
                ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
                [("一、推进工业固体废物减量增效", 1, 5), None, None, None, None],
                [
                    "1",
                    "推进大宗工业固体废物综合利用。开展磷石膏综合利用攻坚行动。",
                    "省经信厅",
                    "省生态环境厅，各市（州）人民政府",
                    "2025年6月底前",
                ],
                ["2", "开展工业园区“无废园区”建设", "省经信厅、省生态环境厅", "各市（州）人民政府", "2025年12月底前"],
                [("二、推进生活领域固体废物源头减量", 1, 5), None, None, None, None],
                [
                    "1",
                    "推进生活垃圾分类。地级城市基本建成生活垃圾分类处理系统。",
                    "省住建厅",
                    "各市（州）人民政府",
                    "长期坚持",
                ],
                ["2", "开展塑料污染全链条治理", "省发改委", "省商务厅、省市场监管局，各市（州）人民政府", "持续推进"],
                [("三、强化监督管理", 1, 5), None, None, None, None],
                ["1", "报送“无废城市”建设进展情况", "省生态环境厅", "各市（州）人民政府", "每季度"],
            ],
        ],
        path,
    )
    _rewrite_docx(path, _landscape)


def sc_neijiang_fenjie(path: Path) -> None:
    notice = (
        "各县（市、区）人民政府，内江经济技术开发区、内江高新区管委会，市级有关部门：为确保2024年度“无废城市”建设"
        "各项任务落地落实，现将工作任务分解如下。各牵头单位要会同配合单位制定工作措施，明确时间节点，每月25日前向市"
        "“无废城市”建设工作领导小组办公室报送工作进展情况。"
    )
    rows: list[list[Cell]] = [
        ["序号", "工作任务", "责任单位", "完成时限"],
        [
            "1",
            "推进工业固体废物资源化利用。新建综合利用项目2个，一般工业固体废物综合利用率稳定在70%以上。",
            "牵头：市经济和信息化局；配合：市生态环境局、市发展改革委",
            "2024年12月底前",
        ],
        [
            "2",
            "建成医疗废物收集转运体系。实现县域医疗废物收集转运处置全覆盖。",
            "牵头：市卫生健康委；配合：市生态环境局",
            "2024年9月底前",
        ],
        [
            "3",
            "推进建筑垃圾资源化利用。建成建筑垃圾资源化利用项目1个。",
            "牵头：市住房城乡建设局；配合：市城市管理行政执法局、市自然资源和规划局",
            "2024年11月30日",
        ],
        [
            "4",
            "开展“无废学校”创建。全市创建“无废学校”10所。",
            "牵头：市教育和体育局；配合：各县（市、区）人民政府",
            "2024年10月",
        ],
        ["5", "加强危险废物规范化环境管理", "市生态环境局", "持续推进"],
    ]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (path.stem + ".docx")
        docx_file(["内江市“无废城市”建设2024年度工作任务分解表", *[notice] * 6, rows], source)
        _rewrite_docx(source, _repeat_header_row)
        _round2.soffice_convert(source, "pdf", path)


def ah_wuhu_taizhang(path: Path) -> None:
    _round2.xlsx_file(
        [
            [
                ("芜湖市“无废城市”建设重点任务推进台账（2024年第三季度）", 1, 8),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                ("序号", 2, 1),
                ("重点任务", 2, 1),
                ("责任单位", 2, 1),
                ("完成时限", 2, 1),
                ("进度(%)", 1, 3),
                None,
                None,
                ("进展情况", 2, 1),
            ],
            [None, None, None, None, "一季度", "二季度", "三季度", None],
            [
                "1",
                "建设危险废物焚烧处置项目",
                "市生态环境局、繁昌区人民政府",
                "2024年12月",
                "30",
                "55",
                "80",
                "主体工程完工",
            ],
            ["2", "推进餐厨废弃物资源化利用", "市城管局", "2024年9月", "40", "75", "100", "已建成投运"],
            ["3", "创建“无废工厂”10家", "市经信局", "2024年底", "0", "20", "60", "已创建6家"],
            ["4", "开展小微企业危险废物收集试点", "市生态环境局", "2024年11月底前", "10", "50", "70", "收集单位已确定"],
        ],
        path,
    )
    _fixed_modified(path)


def js_yancheng_shuangbiao(path: Path) -> None:
    sheets_file(
        [
            (
                "指标",
                [
                    [("表1 盐城市“无废城市”建设指标", 1, 6), None, None, None, None, None],
                    ["序号", "指标名称", "单位", "2023年现状值", "2025年目标值", "牵头部门"],
                    ["1", "一般工业固体废物综合利用率", "%", "92.3", "≥95", "市工信局"],
                    ["2", "生活垃圾回收利用率", "%", "36", "40", "市城管局"],
                    ["3", "“无废细胞”数量", "个", "150", "400", "市生态环境局"],
                ],
            ),
            (
                "任务",
                [
                    [("表2 盐城市“无废城市”建设重点任务", 1, 5), None, None, None, None],
                    ["序号", "重点任务", "牵头部门", "配合部门", "完成时间"],
                    ["1", "建设沿海工业固废综合利用基地", "市工信局", "市生态环境局、大丰区人民政府", "2025年12月"],
                    ["2", "推进农作物秸秆综合利用", "市农业农村局", "各县（市、区）人民政府", "2025年6月"],
                    ["3", "开展“无废港口”建设", "市交通运输局", "盐城港集团", "2024年底"],
                ],
            ),
            (
                "填表说明",
                [
                    ["填表说明"],
                    ["1.现状值为2023年统计数据，目标值为2025年应达到的数值。"],
                    ["2.完成时间填写到月，请勿填写“长期”。"],
                    ["3.请各牵头部门于每月5日前报送上月进展情况。"],
                ],
            ),
        ],
        path,
    )


def gs_wuwei_jiaoban(path: Path) -> None:
    rows = [
        ["序号", "任务来源", "工作任务", "责任单位", "配合单位", "完成时限", "进展情况", "联系人"],
        [
            "1",
            "市委常委会",
            "推进古浪县工业固废综合利用项目建设，2025年底前建成投运",
            "古浪县人民政府",
            "市工信局",
            "2025年12月31日",
            "项目已开工\n完成投资40%",
            "王䶮",
        ],
        ["2", "市政府常务会议", "规范医疗废物收集处置", "市卫生健康委", "市生态环境局", "2025年6月30日", "", "李娜"],
        [
            "3",
            "督查检查",
            "整治民勤县沙漠边缘建筑垃圾乱堆乱放问题",
            "民勤县人民政府",
            "市住建局;市城管局",
            "2025年9月",
            "已完成清理60%",
            "张磊",
        ],
        ["4", "督查检查", "开展“无废景区”创建", "市文旅局", "", "2025年10月", "", "赵敏"],
    ]
    import csv

    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("gb18030"))


def yn_qujing_shishi(path: Path) -> None:
    docx_file(
        [
            "曲靖市“十四五”时期“无废城市”建设实施方案",
            "（征求意见稿）",
            "为深入推进“无废城市”建设，推动固体废物减量化、资源化、无害化，结合我市实际，制定本方案。",
            "三、主要任务",
            "（一）推动工业绿色低碳发展",
            "1.严控高耗能项目盲目发展。严格落实产业政策，坚决遏制高耗能、高排放、低水平项目盲目发展。"
            "【牵头单位：市发展改革委；配合单位：市工业和信息化局、市生态环境局；完成时限：长期坚持】",
            "2.推进磷石膏综合利用。到2025年，磷石膏综合利用率达到50%以上。"
            "【牵头单位：市工业和信息化局；配合单位：市生态环境局，各县（市、区）人民政府；完成时限：2025年底】",
            "（二）推进农业废弃物资源化利用",
            "3.推进畜禽粪污资源化利用。规模养殖场粪污处理设施装备配套率保持100%。"
            "【牵头单位：市农业农村局；完成时限：2025年】",
            "4.开展废旧农膜回收。建立健全废旧农膜回收网络，推广加厚高强度地膜。【责任单位：市农业农村局、市供销社】",
        ],
        path,
    )


DOCUMENTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "hub_shengji_fengong": ("docx", hub_shengji_fengong),
    "sc_neijiang_fenjie": ("pdf", sc_neijiang_fenjie),
    "ah_wuhu_taizhang": ("xlsx", ah_wuhu_taizhang),
    "js_yancheng_shuangbiao": ("xlsx", js_yancheng_shuangbiao),
    "gs_wuwei_jiaoban": ("csv", gs_wuwei_jiaoban),
    "yn_qujing_shishi": ("docx", yn_qujing_shishi),
}


if __name__ == "__main__":
    _round2.run(DOCUMENTS, HERE)
