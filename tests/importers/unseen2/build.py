"""Write the Word, PDF and Excel documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen2/build.py          # write every document
    .venv/bin/python tests/importers/unseen2/build.py ID…      # some documents

The documents are made up (README.md); this script is how their files were produced: python-docx for
Word (real tables, merged cells, line breaks inside cells), LibreOffice (`soffice --headless
--convert-to pdf`) from such a Word file for the PDF, openpyxl for Excel (merged cells, dates stored
as Excel dates with a Chinese number format). Zip entries and document properties carry a fixed
time so a rebuild of the Word and Excel files is byte-for-byte the same.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2000, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# A cell is its text, or (text, rows spanned, columns spanned); None is a cell covered by a merge.
Cell = str | tuple[str, int, int] | None


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _span(cell: Cell) -> tuple[str, int, int]:
    if isinstance(cell, tuple):
        return cell
    return (cell or "", 1, 1)


def docx_file(blocks: list[str | list[list[Cell]]], path: Path) -> None:
    """Paragraphs (str) and tables (rows of cells) in order; `\n` inside a cell is a line break."""
    import docx

    document = docx.Document()
    document.core_properties.created = FIXED_TIME
    document.core_properties.modified = FIXED_TIME
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        columns = max(sum(_span(c)[2] for c in row if c is not None) for row in block)
        table = document.add_table(rows=len(block), cols=columns)
        table.style = "Table Grid"
        covered: set[tuple[int, int]] = set()
        for r, row in enumerate(block):
            c = 0
            cells = iter([cell for cell in row if cell is not None])  # a None only marks a covered place
            while c < columns:
                if (r, c) in covered:
                    c += 1
                    continue
                cell = next(cells, "")
                text, rows, cols = _span(cell)
                target = table.cell(r, c)
                if rows > 1 or cols > 1:
                    target = target.merge(table.cell(r + rows - 1, c + cols - 1))
                    covered |= {(r + i, c + j) for i in range(rows) for j in range(cols)} - {(r, c)}
                lines = text.split("\n")
                paragraph = target.paragraphs[0]
                run = paragraph.add_run(lines[0])
                for line in lines[1:]:
                    run.add_break()
                    run = paragraph.add_run(line)
                c += cols
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def pdf_file(blocks: list[str | list[list[Cell]]], path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (path.stem + ".docx")
        docx_file(blocks, source)
        soffice_convert(source, "pdf", path)


def soffice_convert(source: Path, target: str, path: Path) -> None:
    """LibreOffice converts `source` to the `target` filter (pdf, xls, doc); the result is copied to `path`
    (the later rounds' builders use it too)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to build this file")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copyfile(Path(tmp) / (source.stem + "." + target.split(":")[0]), path)


def xlsx_file(rows: list[list[Cell | datetime]], path: Path, date_format: str = 'yyyy"年"m"月"d"日"') -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    sheet = book.active
    sheet.title = "Sheet1"
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            if isinstance(cell, datetime):
                target = sheet.cell(r, c, cell)
                target.number_format = date_format
                continue
            text, span_rows, span_cols = _span(cell)
            if text != "":
                sheet.cell(r, c, int(text) if text.isdigit() and len(text) < 4 else text)
            if span_rows > 1 or span_cols > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + span_rows - 1, end_column=c + span_cols - 1)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


# --- the documents ---------------------------------------------------------------------------------


def jl_wufei_shishi(path: Path) -> None:
    docx_file(
        [
            "吉林省人民政府办公厅",
            "关于印发吉林省“无废城市”建设实施方案（2024—2027年）的通知",
            "吉政办发〔2024〕9号",
            "各市（州）人民政府，长白山管委会，各县（市）人民政府，省政府各厅委办、各直属机构：",
            "《吉林省“无废城市”建设实施方案（2024—2027年）》已经省政府同意，现印发给你们，请认真贯彻执行。",
            "吉林省人民政府办公厅",
            "2024年3月5日",
            "吉林省“无废城市”建设实施方案（2024—2027年）",
            "一、总体要求",
            "以习近平新时代中国特色社会主义思想为指导，统筹城市发展与固体废物管理，到2027年，全省“无废城市”建设取得明显成效。",
            "二、重点任务清单",
            [
                ["序号", "重点任务", "责任单位", "完成时限"],
                [
                    "1",
                    "推动工业固体废物源头减量。在钢铁、化工等行业开展清洁生产审核，到2025年审核企业达到200家。",
                    "省工业和信息化厅（牵头）、省生态环境厅",
                    "2025年底前",
                ],
                ["2", "完善生活垃圾分类收运体系", "省住房城乡建设厅牵头，省商务厅、省供销社参与", "2026年"],
                [
                    "3",
                    "推进农业废弃物资源化利用。畜禽粪污综合利用率稳定在90%以上。",
                    "省农业农村厅（牵头）、省畜牧局、各市（州）人民政府",
                    "2027年底前",
                ],
                ["4", "加强危险废物规范化环境管理", "省生态环境厅牵头，省公安厅、省交通运输厅参与", "长期坚持"],
                ["5", "建设“无废细胞”", "各市（州）人民政府（牵头）、省直有关部门", "2027年6月底前"],
            ],
        ],
        path,
    )


MIANYANG_ROWS = [
    (
        "深入推进生活垃圾分类。巩固城区生活垃圾分类成果，推动分类投放、分类收集、分类运输、分类处理全链条建设，"
        "在全部乡镇开展农村生活垃圾分类试点，健全“户分类、村收集、镇转运、县处理”的收运处置体系，"
        "新建改建垃圾分类收集亭200座。",
        "市住房城乡建设委\n市商务局\n市教体局",
        "2024年12月底前",
    ),
    (
        "整治城乡结合部环境卫生。集中清理城乡结合部、城中村、背街小巷的积存垃圾和卫生死角，规范农贸市场周边经营秩序，"
        "整治乱搭乱建、乱堆乱放、乱贴乱画，建立常态保洁机制，落实门前三包责任，开展季度评比通报。",
        "市城管执法局、各县（市、区）人民政府",
        "2024年6月底前",
    ),
    (
        "加强建筑垃圾全过程管理。推行建筑垃圾运输车辆密闭化、智能化监管，严查沿路抛洒和偷倒乱倒行为，"
        "规划建设建筑垃圾消纳场和资源化利用设施，提高建筑垃圾资源化利用水平，建立建筑垃圾产生、运输、处置联单管理制度。",
        "市住房城乡建设委、市公安局、市交通运输局",
        "持续推进",
    ),
    (
        "开展农村面源污染治理。推广测土配方施肥和病虫害绿色防控，推进畜禽粪污资源化利用，回收农膜和农药包装废弃物，"
        "建设农村生活污水处理设施，改善农村人居环境，打造一批美丽乡村示范村，形成可复制可推广的治理模式。",
        "市农业农村局\n市生态环境局",
        "2024年9月",
    ),
    (
        "规范医疗废物收集处置。建立覆盖城乡的医疗废物收集转运体系，推动乡镇卫生院和村卫生室医疗废物就近收集、"
        "定期转运，严厉打击医疗废物非法转移和处置行为，落实医疗机构主体责任，开展医疗废物规范化管理专项检查。",
        "市卫生健康委、市生态环境局",
        "2024年第三季度",
    ),
    (
        "推进河湖水域岸线清理。全面清理河道、湖库水面漂浮物和岸线垃圾，拆除违法建筑，取缔非法采砂点，"
        "落实河湖长制巡河责任，建立河湖保洁长效机制，推动沿河乡镇生活垃圾收运设施全覆盖，改善水生态环境质量。",
        "市水利局\n市自然资源和规划局\n各县（市、区）人民政府",
        "2024年10月底前",
    ),
    (
        "强化宣传教育和公众参与。利用广播电视、报刊、网络等媒体开展城乡环境综合治理宣传，"
        "组织开展“城乡环境大家管”主题活动，推动治理进社区、进学校、进企业、进农村，"
        "引导群众自觉养成文明卫生习惯，营造全社会共同参与的良好氛围。",
        "市委宣传部、市文明办",
        "2024年底前",
    ),
]


def sc_mianyang_zhengzhi(path: Path) -> None:
    intro = (
        "为深入贯彻落实全省城乡环境综合治理工作会议精神，持续改善城乡人居环境，结合我市实际，"
        "现将2024年城乡环境综合治理重点工作任务分解如下，各责任单位要明确专人负责，细化工作措施，"
        "确保各项任务按时完成，并于每月5日前将上月工作进展情况报市城乡环境综合治理工作领导小组办公室。"
    )
    pdf_file(
        [
            "绵阳市2024年城乡环境综合治理重点工作任务分解表",
            intro,
            intro,
            [["工作任务", "责任单位", "完成时间"], *[list(row) for row in MIANYANG_ROWS]],
        ],
        path,
    )


def hb_dazhi_taizhang(path: Path) -> None:
    xlsx_file(
        [
            [("江岸区大智街道2024年“无废城市”建设工作台账", 1, 7)],
            ["类别", "序号", "工作内容", "责任科室", "配合单位", "责任人", "完成时间"],
            [
                ("垃圾分类", 2, 1),
                "1",
                "开展垃圾分类入户宣传，覆盖辖区全部社区",
                "城市管理办公室",
                "各社区",
                "张明",
                datetime(2024, 3, 31),
            ],
            [None, "2", "完成10个小区垃圾分类收集点升级改造", "城市管理办公室", "", "张明", datetime(2024, 6, 30)],
            [("无废细胞", 2, 1), "3", "创建“无废社区”2个", "社区建设办公室", "相关社区", "刘芳", datetime(2024, 9, 30)],
            [None, "4", "创建“无废商场”1个", "经济发展办公室", "", "王强", datetime(2024, 11, 30)],
            ["宣传引导", "5", "举办“无废城市”主题宣传活动", "党政综合办公室", "各社区", "赵丽", datetime(2024, 12, 31)],
        ],
        path,
    )


def sx_datong_fenjie(path: Path) -> None:
    xlsx_file(
        [
            [("大同市2025年“无废城市”建设年度目标任务分解表", 1, 7)],
            [("序号", 2, 1), ("目标任务", 2, 1), ("责任单位", 2, 1), ("季度目标", 1, 4)],
            [None, None, None, "一季度", "二季度", "三季度", "四季度"],
            ["1", "一般工业固体废物综合利用率达到65%", "市工信局", "—", "60%", "—", "65%"],
            ["2", "建成餐厨垃圾处理厂", "市城管局、市发改委", "完成设备采购", "完成主体工程", "调试运行", "—"],
            ["3", "出台《大同市建筑垃圾管理办法》", "市住建局", "形成征求意见稿", "印发实施", "", ""],
            ["4", "创建“无废学校”10所", "市教育局", "", "", "完成5所", "完成10所"],
        ],
        path,
    )


def yn_yuxi_zhenggai(path: Path) -> None:
    docx_file(
        [
            "玉溪市中央生态环境保护督察反馈固体废物领域问题整改方案",
            "为抓好中央生态环境保护督察反馈问题整改，按照“清单化管理、项目化推进”的要求，制定本方案。",
            "一、问题清单",
            [
                ["序号", "问题", "具体表现"],
                ["1", "建筑垃圾消纳场建设滞后", "中心城区仅有1处建筑垃圾消纳场，库容不足，偷倒乱倒现象时有发生。"],
                ["2", "医疗废物收运不及时", "部分乡镇卫生院医疗废物暂存时间超过48小时。"],
                ["3", "工业固体废物堆场管理不规范", "部分企业堆场未落实防扬散、防流失、防渗漏措施。"],
            ],
            "二、任务清单",
            [
                ["序号", "整改任务", "整改措施", "整改时限"],
                [
                    "1",
                    "加快建筑垃圾消纳场建设",
                    "新建建筑垃圾消纳场2处，建成建筑垃圾资源化利用项目1个。",
                    "2025年6月底前",
                ],
                [
                    "2",
                    "完善医疗废物收运体系",
                    "建立乡镇医疗废物“小箱进大箱”收运模式，每48小时收运一次。",
                    "2024年12月底前",
                ],
                ["3", "规范工业固体废物堆场管理", "开展堆场排查整治，督促企业落实“三防”措施。", "立行立改，长期坚持"],
            ],
            "三、责任清单",
            [
                ["序号", "整改任务", "责任领导", "牵头单位", "配合单位"],
                ["1", "加快建筑垃圾消纳场建设", "王刚", "市住房城乡建设局", "市自然资源规划局、红塔区人民政府"],
                ["2", "完善医疗废物收运体系", "李华", "市卫生健康委", "市生态环境局"],
                ["3", "规范工业固体废物堆场管理", "张强", "市生态环境局", "市工业和信息化局"],
            ],
        ],
        path,
    )


def sn_xian_zhibiao(path: Path) -> None:
    docx_file(
        [
            "西安市“无废城市”建设指标体系（2024—2030年）",
            [
                [("序号", 2, 1), ("指标名称", 2, 1), ("单位", 2, 1), "现状值", ("目标值", 1, 2), ("指标属性", 2, 1)],
                [None, None, None, "2023年", "2025年", "2030年", None],
                ["1", "一般工业固体废物综合利用率", "%", "58.6", "62", "70", "预期性"],
                ["2", "工业危险废物利用处置率", "%", "100", "100", "100", "约束性"],
                ["3", "生活垃圾回收利用率", "%", "36", "≥37", "≥40", "约束性"],
                ["4", "“无废细胞”数量", "个", "120", "300", "800", "预期性"],
                ["5", "建筑垃圾资源化利用量", "万吨/年", "650", "800", "1000", "预期性"],
            ],
        ],
        path,
    )


def sx_taiyuan_qingdan(path: Path) -> None:
    docx_file(
        [
            "太原市2024年“无废城市”建设重点任务清单",
            [
                ["序号", "任务名称", "工作措施", "责任单位", "时间节点"],
                [
                    "1",
                    "生活垃圾分类提质",
                    "新增生活垃圾分类示范小区100个，推动党政机关和公共机构全面实行垃圾分类。",
                    "牵头：市城乡管理局\n配合：市商务局、各区人民政府",
                    "2024年11月底前",
                ],
                [
                    "2",
                    "建筑垃圾资源化",
                    "建成建筑垃圾资源化利用厂1座。",
                    "牵头：市住建局\n配合：市规划和自然资源局",
                    "2024年12月底前",
                ],
                [
                    "3",
                    "危险废物监管",
                    "完成全市危险废物产生单位规范化环境管理评估。",
                    "牵头：市生态环境局",
                    "2024年10月底前",
                ],
                [
                    "4",
                    "塑料污染治理",
                    "开展塑料污染治理联合专项行动。",
                    "牵头：市发改委、市商务局\n配合：市市场监管局",
                    "2024年8月底前",
                ],
            ],
        ],
        path,
    )


DOCUMENTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "jl_wufei_shishi": ("docx", jl_wufei_shishi),
    "sc_mianyang_zhengzhi": ("pdf", sc_mianyang_zhengzhi),
    "hb_dazhi_taizhang": ("xlsx", hb_dazhi_taizhang),
    "sx_datong_fenjie": ("xlsx", sx_datong_fenjie),
    "yn_yuxi_zhenggai": ("docx", yn_yuxi_zhenggai),
    "sn_xian_zhibiao": ("docx", sn_xian_zhibiao),
    "sx_taiyuan_qingdan": ("docx", sx_taiyuan_qingdan),
}


def write_documents(documents: dict[str, tuple[str, Callable[[Path], None]]], folder: Path, wanted: list[str]) -> int:
    """Write the `wanted` documents (all when none named) into `folder`, naming each as written."""
    for doc_id in wanted or list(documents):
        suffix, write = documents[doc_id]
        path = folder / f"{doc_id}.{suffix}"
        write(path)
        print(path.name)
    return 0


def run(documents: dict[str, tuple[str, Callable[[Path], None]]], folder: Path) -> None:
    """Every round's command line: write the documents named on it (all when none) into `folder`, and exit."""
    sys.exit(write_documents(documents, folder, sys.argv[1:]))


if __name__ == "__main__":
    run(DOCUMENTS, HERE)
