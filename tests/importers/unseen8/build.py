"""Write the workbooks of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen8/build.py          # write every document
    .venv/bin/python tests/importers/unseen8/build.py ID…      # some documents

The documents are made up (README.md). Round 2's helpers (`tests/importers/unseen2/build.py`) give the fixed zip
times and LibreOffice's conversion; written here: workbooks as offices keep them (several sheets, hidden sheets,
freeze panes and filters, merged title, note and category rows, two-level headers, numbers and Excel serials stored
as text, cells with line breaks, formulas). Workbooks with formulas go once through LibreOffice so that each formula
holds its computed value, as a saved office file does; the `.xls` and the WPS `.et` are LibreOffice's old-Excel
(BIFF8) export, which is what WPS writes to an `.et` file for other programs. The GB18030 CSV is written by hand
below. Only the workbooks that skip LibreOffice rebuild byte for byte.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, folder: str):
    spec = importlib.util.spec_from_file_location(name, HERE.parent / folder / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_round2 = _load("unseen2_build", "unseen2")
_fixed_zip, soffice_convert, FIXED_TIME = _round2._fixed_zip, _round2.soffice_convert, _round2.FIXED_TIME
# openpyxl stamps the time of saving as the book's modified time, whatever was set: pinned after saving.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _pinned(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            dst.writestr(info, body)
    return _fixed_zip(out.getvalue())


@dataclass(frozen=True)
class Text:
    """A number typed into a cell formatted as text (`@`): Excel keeps it a string."""

    value: str


@dataclass(frozen=True)
class Date:
    """A real date cell shown in `shown` (an Excel number format)."""

    value: datetime
    shown: str = 'yyyy"年"m"月"d"日"'


# A cell: text, a number, a Text, a Date, a formula ("=…"), (any of those, rows spanned, columns spanned), or None
# for a place covered by a merge or left empty.
@dataclass
class Sheet:
    name: str
    rows: list[list]
    hidden: bool = False
    freeze: str | None = None  # the first cell not frozen, e.g. "C4"
    filter_row: int | None = None  # the header row that carries an autofilter
    widths: dict[str, float] = field(default_factory=dict)
    hidden_rows: tuple[int, ...] = ()  # 1-based


def workbook(sheets: list[Sheet], path: Path, via_libreoffice: str | None = None) -> None:
    """Write the sheets; `via_libreoffice` ("xlsx", "xls") passes the book through LibreOffice to that format."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.name)
        if spec.hidden:
            sheet.sheet_state = "hidden"
        width = 1
        for r, row in enumerate(spec.rows, start=1):
            width = max(width, len(row))
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                value, span_rows, span_cols = cell if isinstance(cell, tuple) else (cell, 1, 1)
                target = sheet.cell(r, c)
                if isinstance(value, Text):
                    target.value = value.value
                    target.number_format = "@"
                elif isinstance(value, Date):
                    target.value = value.value
                    target.number_format = value.shown
                elif value != "":
                    target.value = value
                if isinstance(value, str) and "\n" in value:
                    target.alignment = Alignment(wrap_text=True, vertical="center")
                if span_rows > 1 or span_cols > 1:
                    sheet.merge_cells(
                        start_row=r, start_column=c, end_row=r + span_rows - 1, end_column=c + span_cols - 1
                    )
        if spec.freeze:
            sheet.freeze_panes = spec.freeze
        if spec.filter_row:
            last = openpyxl.utils.get_column_letter(width)
            sheet.auto_filter.ref = f"A{spec.filter_row}:{last}{len(spec.rows)}"
        for row_number in spec.hidden_rows:
            sheet.row_dimensions[row_number].hidden = True
        for column, size in spec.widths.items():
            sheet.column_dimensions[column].width = size
    buffer = io.BytesIO()
    book.save(buffer)
    if via_libreoffice is None:
        path.write_bytes(_pinned(buffer.getvalue()))
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (path.stem + ".xlsx")
        source.write_bytes(buffer.getvalue())
        soffice_convert(source, via_libreoffice, path)


# --- the documents ---------------------------------------------------------------------------------


def ha_luoyang_tianbao(path: Path) -> None:
    """A 推进情况表 as offices send it back: a merged title, a 填报单位/填报日期 line and a note line above the
    header, category rows merged across, 序号 1-1, frozen header and a filter."""
    header = ["序号", "重点任务", "工作措施", "牵头单位", "配合单位", "完成时限", "进展情况"]
    rows: list[list] = [
        [("洛阳市2024年“无废城市”建设重点任务推进情况表", 1, 7)],
        [
            ("填报单位：洛阳市“无废城市”建设工作专班办公室（盖章）", 1, 4),
            None,
            None,
            None,
            ("填报日期：2024年5月10日", 1, 3),
        ],
        [("说明：请各责任单位于每月5日前报送上月进展，完成时限不得随意调整。", 1, 7)],
        header,
        [("一、制度体系建设", 1, 7)],
        [
            "1-1",
            "出台洛阳市“无废城市”建设工作考核办法",
            "将“无废城市”建设纳入年度目标考核，明确考核指标和评分细则",
            "市委督查室",
            "市生态环境局",
            "2024年9月底前",
            "已形成初稿，正在征求意见",
        ],
        [
            "1-2",
            "建立固体废物产生单位信息台账",
            "对全市产废单位开展摸底调查，建立动态更新台账",
            "市生态环境局",
            "市工业和信息化局、市统计局",
            Date(datetime(2024, 6, 30)),
            "完成摸底300余家",
        ],
        [("二、市场体系建设", 1, 7)],
        [
            "2-1",
            "培育固体废物资源化利用骨干企业",
            "遴选10家以上企业纳入重点培育名单，落实税收优惠政策",
            "市发展和改革委员会",
            "市税务局、市工业和信息化局",
            "2024年12月底前",
            "",
        ],
        [
            "2-2",
            "推行环境污染第三方治理",
            "在工业园区开展第三方治理试点",
            "市生态环境局",
            "各县（市、区）人民政府",
            "2024年11月",
            "已确定2个试点园区",
        ],
    ]
    workbook([Sheet("推进情况", rows, freeze="C5", filter_row=4, widths={"B": 36, "C": 40})], path)


def sc_nanchong_liangji(path: Path) -> None:
    """An old-Excel 分工表 with a two-level header: 责任单位 over 牵头单位 | 配合单位 and 完成时限 over 2024年 |
    2025年 (each year cell a milestone); 序号 （一）."""
    rows: list[list] = [
        [("南充市“无废城市”建设重点任务分工表（2024—2025年）", 1, 6)],
        [("序号", 2, 1), ("重点任务", 2, 1), ("责任单位", 1, 2), None, ("完成时限", 1, 2), None],
        [None, None, "牵头单位", "配合单位", "2024年", "2025年"],
        ["（一）", "建设市级危险废物集中收集贮存中心", "市生态环境局", "市发展改革委", "完成选址和环评", "建成投运"],
        ["（二）", "推进生活垃圾焚烧发电项目扩能", "市住房城乡建设局", "顺庆区人民政府", "完成扩能改造", ""],
        [
            "（三）",
            "开展废旧农膜回收利用",
            "市农业农村局",
            "市供销社、各县（市、区）人民政府",
            "回收率达到80%",
            "回收率达到85%",
        ],
        ["（四）", "打造“无废园区”示范", "市经济和信息化局", "市生态环境局", "", "建成2个示范园区"],
    ]
    workbook([Sheet("Sheet1", rows, freeze="A4")], path, via_libreoffice="xls")


def gx_guilin_fenxian(path: Path) -> None:
    """One sheet per county after a 说明 sheet; a hidden sheet with last year's tasks; a summary sheet whose counts
    are formulas."""
    counties = {
        "临桂区": [
            ("建成临桂区建筑垃圾资源化利用厂", "临桂区住房和城乡建设局", "临桂区自然资源局", "2024年10月底前"),
            ("推进农村生活垃圾分类示范村建设", "临桂区农业农村局", "各乡镇人民政府", "2024年12月底前"),
        ],
        "阳朔县": [
            ("开展景区“无废景区”创建", "阳朔县文化广电体育和旅游局", "阳朔县生态环境局", "2024年8月底前"),
            ("推行酒店民宿一次性用品减量", "阳朔县商务局", "", "2024年12月底前"),
        ],
        "灵川县": [
            ("规范畜禽养殖废弃物资源化利用", "灵川县农业农村局", "灵川县生态环境局", "2024年11月底前"),
            ("建设再生资源回收分拣中心", "灵川县商务局", "灵川县供销社", "2024年9月底前"),
        ],
    }
    notes = [
        ["桂林市2024年“无废城市”建设重点任务分县（区）清单"],
        ["填表说明："],
        ["1. 各县（区）在本县（区）工作表中填报，不得改动表头。"],
        ["2. “完成时限”请填写具体月份。"],
        ["3. 汇总表自动统计，请勿修改。"],
        ["桂林市“无废城市”建设工作领导小组办公室"],
    ]
    sheets = [Sheet("说明", notes, widths={"A": 60})]
    for county, tasks in counties.items():
        rows: list[list] = [
            [(f"{county}“无废城市”建设重点任务清单", 1, 5)],
            ["序号", "任务内容", "责任单位", "配合单位", "完成时限"],
        ]
        for number, (task, lead, support, deadline) in enumerate(tasks, start=1):
            rows.append([number, task, lead, support, deadline])
        sheets.append(Sheet(county, rows, freeze="A3", widths={"B": 36, "C": 28}))
    old = [
        ["桂林市2023年“无废城市”建设任务（旧版，勿填）"],
        ["序号", "任务内容", "责任单位", "配合单位", "完成时限"],
        [1, "编制“无废城市”建设实施方案", "市生态环境局", "市发展改革委", "2023年6月底前"],
        [2, "建立市级工作专班", "市政府办公室", "", "2023年3月底前"],
    ]
    sheets.append(Sheet("旧版", old, hidden=True))
    summary: list[list] = [["县（区）", "任务数（项）"]]
    for county in counties:
        summary.append([county, f"=COUNTA('{county}'!B3:B20)"])
    summary.append(["合计", f"=SUM(B2:B{len(counties) + 1})"])
    sheets.append(Sheet("汇总", summary))
    workbook(sheets, path, via_libreoffice="xlsx")


def hub_jingzhou_yuedu(path: Path) -> None:
    """A monthly 调度表: 序号 1.1 under category rows （一）, no 完成时限 column but a 备注 column holding the
    deadline, 1月进展/2月进展/3月进展 columns after the task, two units a line in one 责任单位 cell."""
    rows: list[list] = [
        [("荆州市2024年“无废城市”建设重点工作月度调度表", 1, 7)],
        ["序号", "工作任务", "责任单位", "1月进展", "2月进展", "3月进展", "备注"],
        [("（一）固体废物源头减量", 1, 7)],
        [
            "1.1",
            "推动磷石膏综合利用",
            "市经济和信息化局\n市生态环境局",
            "召开专题推进会",
            "已于2月15日完成企业调研",
            "形成利用方案初稿",
            "（2024年底前完成）",
        ],
        [
            "1.2",
            "推广绿色包装和快递包装减量",
            "市邮政管理局",
            "",
            "部署春节后专项行动",
            "抽查网点20个",
            "2024年6月底前完成",
        ],
        [("（二）资源化利用", 1, 7)],
        [
            "2.1",
            "建设秸秆收储运体系",
            "市农业农村局\n市发展和改革委员会",
            "完成县级收储点布局",
            "",
            "新建收储点5个",
            "（2024年10月底前完成）",
        ],
        [
            "2.2",
            "推进废旧动力电池回收网点建设",
            "市商务局",
            "开展摸底",
            "确定试点企业",
            "",
            "（2024年底前完成）",
        ],
    ]
    workbook([Sheet("调度表", rows, freeze="D3", filter_row=2, widths={"B": 34, "C": 22})], path)


def ah_bengbu_xiangmu(path: Path) -> None:
    """A project list: money stored as text, deadlines as text `2024.12` / `2024年12月底`, a 合计 row of formulas
    at the bottom, a frozen header."""
    rows: list[list] = [
        [("蚌埠市“无废城市”建设2024年重点项目表", 1, 7)],
        [("填报单位：蚌埠市发展和改革委员会", 1, 4), None, None, None, ("单位：万元", 1, 3)],
        ["序号", "项目名称", "建设内容", "总投资", "2024年计划投资", "责任单位", "完成时限"],
        [
            1,
            "蚌埠市餐厨废弃物资源化利用项目",
            "新建日处理200吨餐厨废弃物处理线",
            Text("12000"),
            Text("5000"),
            "市城市管理局",
            Text("2024.12"),
        ],
        [
            2,
            "固镇县秸秆综合利用产业园",
            "建设秸秆生物质燃料生产线2条",
            Text("8500"),
            Text("3000"),
            "固镇县人民政府",
            "2024年12月底",
        ],
        [
            3,
            "蚌埠经开区工业固废贮存场改造",
            "改造一般工业固体废物贮存场防渗设施",
            Text("3200"),
            Text("3200"),
            "蚌埠经济开发区管委会",
            Text("2024.9"),
        ],
        [
            4,
            "市医疗废物处置中心提标改造",
            "新增高温蒸煮处理能力10吨/日",
            Text("4600"),
            Text("2600"),
            "市生态环境局",
            "2024年11月底",
        ],
        [("合计", 1, 3), None, None, "=SUMPRODUCT(VALUE(D4:D7))", "=SUMPRODUCT(VALUE(E4:E7))", "", ""],
    ]
    workbook([Sheet("项目表", rows, freeze="A4", widths={"B": 32, "C": 36})], path, via_libreoffice="xlsx")


def js_suqian_wps(path: Path) -> None:
    """A WPS `.et` 台账 in an unusual column order (完成时限 before the task), units and 1./2. measures a line
    each in one cell, one deadline an Excel serial typed into the text column."""
    rows: list[list] = [
        [("宿迁市“无废城市”建设2024年工作台账", 1, 5)],
        ["序号", "完成时限", "责任单位", "工作任务", "具体举措"],
        [
            1,
            Text("45657"),
            "市生态环境局\n市交通运输局",
            "开展危险废物运输专项整治",
            "1.排查危险废物运输企业\n2.查处非法转移行为",
        ],
        [
            2,
            "2024年9月底",
            "市住房和城乡建设局",
            "推进装配式建筑应用",
            "1.新开工装配式建筑占比达到35%\n2.培育装配式部品部件生产基地",
        ],
        [
            3,
            "2024年6月底",
            "市水务局\n沭阳县人民政府",
            "开展污泥无害化处置",
            "1.污泥无害化处置率保持100%\n2.建设污泥干化设施",
        ],
        [
            4,
            Text("45565"),
            "市商务局",
            "规范再生资源回收站点",
            "1.完成站点备案\n2.取缔无证站点",
        ],
    ]
    workbook([Sheet("台账", rows, freeze="A3", filter_row=2, widths={"D": 30, "E": 40})], path, via_libreoffice="xls")


def sx_yuncheng_gbk(path: Path) -> None:
    """A CSV saved from WPS in GB18030: a title line padded with commas, a 填报 line, category lines and a 合计
    line."""
    lines = [
        "运城市2024年“无废城市”建设工作台账,,,,,",
        "填报单位：运城市生态环境局,,,,填报时间：2024年3月,",
        "序号,工作任务,牵头单位,配合单位,完成时限,备注",
        "一、工业固体废物,,,,,",
        "1,开展赤泥综合利用技术攻关,市科技局,市工业和信息化局,2024年12月底前,",
        "2,推进粉煤灰在建材领域规模化利用,市工业和信息化局,市住房和城乡建设局,2024年10月底前,",
        "二、农业固体废物,,,,,",
        '3,提升农作物秸秆综合利用率,市农业农村局,"各县（市、区）人民政府",2024.11,秸秆综合利用率达到92%',
        "4,开展果园废弃枝条资源化利用,市林业局,市农业农村局,2024年8月底前,",
        "合计,4项,,,,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def fj_zhangzhou_tixi(path: Path) -> None:
    """One sheet per 体系 after a 说明 sheet, each titled `表N …`; deadlines as date cells shown `yyyy.m.d`;
    a hidden sheet holding the drop-down list of units; filters on every task sheet."""
    systems = {
        "制度体系": [
            ("制定“无废细胞”建设评价标准", "市生态环境局", "市市场监督管理局", datetime(2024, 6, 30)),
            ("建立固体废物污染环境防治信息公开制度", "市生态环境局", "", datetime(2024, 9, 30)),
        ],
        "市场体系": [
            ("推行生产者责任延伸制度", "市发展和改革委员会", "市工业和信息化局、市商务局", datetime(2024, 12, 31)),
            ("培育再生资源回收龙头企业", "市商务局", "市供销合作社", datetime(2024, 11, 30)),
        ],
        "监管体系": [
            ("开展固体废物非法倾倒排查整治", "市生态环境局", "市公安局、市城市管理局", datetime(2024, 8, 31)),
            ("建设固体废物智慧监管平台", "市生态环境局", "市大数据管理局", datetime(2024, 12, 31)),
        ],
    }
    notes = [
        ["漳州市2024年“无废城市”建设任务清单"],
        ["本清单按制度、市场、监管三个体系分表列出，各牵头单位请对照落实。"],
        ["表1 制度体系建设任务"],
        ["表2 市场体系建设任务"],
        ["表3 监管体系建设任务"],
    ]
    sheets = [Sheet("说明", notes, widths={"A": 70})]
    for number, (system, tasks) in enumerate(systems.items(), start=1):
        rows: list[list] = [
            [(f"表{number} {system}建设任务", 1, 5)],
            ["序号", "任务", "牵头单位", "配合单位", "完成时限"],
        ]
        for index, (task, lead, support, due) in enumerate(tasks, start=1):
            rows.append([index, task, lead, support, Date(due, "yyyy.m.d")])
        sheets.append(Sheet(system, rows, freeze="A3", filter_row=2, widths={"B": 36}))
    units = [["单位"]] + [[unit] for unit in ("市生态环境局", "市商务局", "市发展和改革委员会", "市公安局")]
    sheets.append(Sheet("数据源", units, hidden=True))
    workbook(sheets, path)


def hn_changde_kongge(path: Path) -> None:
    """A sheet laid out by hand: the table starts at B3 (column A and two rows left empty as a margin), header
    cells spaced out and broken over two lines (`序  号`, `牵头\n单位`), 序号 stored as text, one lead merged down
    over the two tasks it leads."""
    rows: list[list] = [
        [],
        ["", ("常德市“无废城市”建设2024年重点任务责任清单", 1, 5)],
        [],
        ["", "序  号", "重 点 任 务", "牵头\n单位", "配合\n单位", "完成\n时限"],
        ["", Text("1"), "推进工业固体废物减量化", ("市工业和信息化局", 2, 1), "市生态环境局", "2024年9月底前"],
        ["", Text("2"), "开展绿色工厂创建", None, "市发展和改革委员会", "2024年12月底前"],
        ["", Text("3"), "建设生活垃圾分类处理体系", "市城市管理和综合执法局", "各区县（市）人民政府", "2024年11月底前"],
        ["", Text("4"), "推进水泥窑协同处置固体废物", "石门县人民政府", "市生态环境局", "2024年10月底前"],
    ]
    workbook([Sheet("清单", rows, widths={"A": 3, "C": 34})], path)


def nm_ordos_xiaoji(path: Path) -> None:
    """A 台账 with category rows typed in the task column (not merged), a 小计 row after each category, a hidden
    row (a task dropped from this year's list), a 状态 column, and a 填表人/联系电话 line below the table."""
    rows: list[list] = [
        [("鄂尔多斯市2024年“无废城市”建设任务台账", 1, 6)],
        ["序号", "任务名称", "责任单位", "完成时限", "状态", "备注"],
        ["", "一、煤炭开采固体废物", "", "", "", ""],
        [1, "推进煤矸石井下充填", "市能源局", "2024年12月底前", "推进中", ""],
        [2, "开展露天煤矿排土场生态修复", "市自然资源局", "2024年10月底前", "推进中", ""],
        [3, "建设煤矸石综合利用发电项目", "市能源局", "2024年6月底前", "暂缓", "项目已调整出年度计划"],
        ["小计", "", "", "", "", "2项"],
        ["", "二、化工固体废物", "", "", "", ""],
        [4, "开展电石渣综合利用", "市工业和信息化局", "2024年11月底前", "推进中", ""],
        [5, "规范气化渣贮存场所", "市生态环境局", "2024年9月底前", "已完成", ""],
        ["小计", "", "", "", "", "2项"],
        [("填表人：王某某    联系电话：0477-8581234", 1, 6)],
    ]
    workbook([Sheet("台账", rows, hidden_rows=(6,), freeze="A3")], path)


DOCUMENTS = {
    "ha_luoyang_tianbao": ("xlsx", ha_luoyang_tianbao),
    "sc_nanchong_liangji": ("xls", sc_nanchong_liangji),
    "gx_guilin_fenxian": ("xlsx", gx_guilin_fenxian),
    "hub_jingzhou_yuedu": ("xlsx", hub_jingzhou_yuedu),
    "ah_bengbu_xiangmu": ("xlsx", ah_bengbu_xiangmu),
    "js_suqian_wps": ("et", js_suqian_wps),
    "sx_yuncheng_gbk": ("csv", sx_yuncheng_gbk),
    "fj_zhangzhou_tixi": ("xlsx", fj_zhangzhou_tixi),
    "hn_changde_kongge": ("xlsx", hn_changde_kongge),
    "nm_ordos_xiaoji": ("xlsx", nm_ordos_xiaoji),
}


def main(argv: list[str]) -> int:
    return _round2.write_documents(DOCUMENTS, HERE, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
