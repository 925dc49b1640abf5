"""Write the Word, PDF and Excel documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen3/build.py          # write every document
    .venv/bin/python tests/importers/unseen3/build.py ID…      # some documents

The documents are made up (README.md). The Word, Excel and plain PDF helpers are round 2's
(`tests/importers/unseen2/build.py`); the PDF with running page headers and footers (`第 1 页 共 2 页`, as
LibreOffice prints the PAGE and NUMPAGES fields) is written here.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

_spec = importlib.util.spec_from_file_location("unseen2_build", HERE.parent / "unseen2" / "build.py")
_round2 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_round2)
docx_file, xlsx_file, Cell = _round2.docx_file, _round2.xlsx_file, _round2.Cell


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the paragraph, as Word writes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "1":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def paged_pdf_file(header: str, blocks: list[str | list[list[Cell]]], path: Path) -> None:
    """A PDF whose every page carries `header` on top and `第 X 页 共 Y 页` at the bottom."""
    import docx

    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to build the PDF file")
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.docx"
        docx_file(blocks, plain)
        document = docx.Document(str(plain))
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        footer = section.footer.paragraphs[0]
        footer.add_run("第 ")
        _field(footer, "PAGE")
        footer.add_run(" 页 共 ")
        _field(footer, "NUMPAGES")
        footer.add_run(" 页")
        source = Path(tmp) / (path.stem + ".docx")
        buffer = io.BytesIO()
        document.save(buffer)
        source.write_bytes(buffer.getvalue())
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.copyfile(Path(tmp) / (path.stem + ".pdf"), path)


# --- the documents ---------------------------------------------------------------------------------


def hn_youxian_fengong(path: Path) -> None:
    docx_file(
        [
            "攸县2024年“无废城市”建设重点任务分工表",
            [
                ["序号", "重点任务", "牵头领导", "牵头单位", "配合单位", "完成时限"],
                [
                    "1",
                    "建成县级危险废物收集贮存转运中心",
                    "王建华",
                    "县生态环境分局",
                    "县工信局、县交通运输局",
                    "2024年11月底前",
                ],
                ["2", "推进农膜回收利用，废旧农膜回收率达到85%以上", "李明", "县农业农村局", "县供销社", "2024年12月"],
                ["3", "开展“无废学校”创建", "刘红", "县教育局", "各乡镇人民政府", "2024年9月"],
                [
                    "4",
                    "规范建筑垃圾处置。严厉打击偷倒乱倒行为。",
                    "王建华",
                    "县住建局",
                    "县城管局、县自然资源局",
                    "长期坚持",
                ],
            ],
            "攸县“无废城市”建设工作领导小组办公室",
        ],
        path,
    )


def gz_zunyi_fengong(path: Path) -> None:
    docx_file(
        [
            "遵义市人民政府办公室",
            "关于印发《遵义市“无废城市”建设工作任务分工》的通知",
            "遵府办函〔2024〕15号",
            "各县（市、区）人民政府，新区管委会，市政府各工作部门：",
            "《遵义市“无废城市”建设工作任务分工》已经市人民政府同意，现印发给你们，请认真抓好落实。",
            "遵义市“无废城市”建设工作任务分工",
            [
                ["序号", "工作任务", "责任单位", "完成时间"],
                [
                    "1",
                    "全面推行生活垃圾分类。城市建成区生活垃圾分类覆盖率达到90%以上。",
                    "市住房城乡建设局，各县（市、区）政府",
                    "2025年底",
                ],
                ["2", "开展塑料污染治理专项行动", "各县（市、区）政府，市直有关部门", "2024年12月31日"],
                ["3", "推进工业固体废物综合利用", "市工业和信息化局，市生态环境局，各县（市、区）政府", "持续推进"],
                ["4", "建设“无废园区”", "遵义经开区管委会，各县（市、区）政府", "2026年6月"],
            ],
        ],
        path,
    )


def gs_tianshui_diaodu(path: Path) -> None:
    docx_file(
        [
            "天水市“无废城市”建设重点任务2024年6月调度表",
            "填报单位：市“无废城市”建设工作领导小组办公室　　填报日期：2024年7月5日",
            [
                ["序号", "重点任务", "工作进展", "存在问题", "下步计划", "责任单位"],
                [
                    "1",
                    "建设餐厨垃圾处理厂",
                    "主体工程已完成80%。",
                    "设备采购进度滞后。",
                    "8月底前完成设备安装调试。",
                    "市城管局、市发展改革委",
                ],
                [
                    "2",
                    "推进秸秆综合利用",
                    "已完成秸秆离田利用12万吨。",
                    "无",
                    "持续推进秸秆收储体系建设。",
                    "市农业农村局",
                ],
                [
                    "3",
                    "开展危险废物规范化环境管理评估",
                    "已评估企业35家。",
                    "部分企业台账不规范。",
                    "9月底前完成全部评估。",
                    "市生态环境局",
                ],
                [
                    "4",
                    "创建“无废机关”",
                    "已命名“无废机关”8个。",
                    "无",
                    "继续开展创建。",
                    "市机关事务管理局、市直各部门",
                ],
            ],
        ],
        path,
    )


def hb_xiaogan_xiangmu(path: Path) -> None:
    xlsx_file(
        [
            [("孝感市“无废城市”建设重点项目推进计划表（2024—2025年）", 1, 6), None, None, None, None, None],
            [("序号", 2, 1), ("项目名称", 2, 1), ("建设内容", 2, 1), ("责任单位", 2, 1), ("完成时限", 1, 2), None],
            [None, None, None, None, "2024年", "2025年"],
            [
                "1",
                "孝感市危险废物集中处置中心扩建",
                "新增焚烧处置能力2万吨/年",
                "市生态环境局",
                "完成主体工程",
                "建成投运",
            ],
            ["2", "餐厨垃圾资源化利用项目", "日处理能力200吨", "市城管执法委", "建成投运", ""],
            ["3", "建筑垃圾资源化利用项目", "年处理能力50万吨", "市住建局、孝南区人民政府", "完成选址", "建成投运"],
        ],
        path,
    )


def cq_wanzhou_zhibiao(path: Path) -> None:
    xlsx_file(
        [
            [("万州区“无废城市”建设指标体系（2021—2025年）", 1, 7), None, None, None, None, None, None],
            ["指标类别", "序号", "指标名称", "单位", "2020年现状值", "2025年目标值", "指标性质"],
            [("工业领域", 2, 1), "1", "一般工业固体废物综合利用率", "%", "72.5", "≥80", "约束性"],
            [None, "2", "工业危险废物规范化管理抽查合格率", "%", "90", "95", "预期性"],
            [("生活领域", 2, 1), "3", "生活垃圾回收利用率", "%", "30", "≥35", "约束性"],
            [None, "4", "城市生活垃圾资源化利用率", "%", "75", "85", "预期性"],
            ["农业领域", "5", "畜禽粪污综合利用率", "%", "85", "≥90", "约束性"],
        ],
        path,
    )


def ln_anshan_yaodian(path: Path) -> None:
    preamble = (
        "为贯彻落实《鞍山市“无废城市”建设实施方案》，推动年度重点工作落地见效，现将2024年工作要点分解如下。"
        "各责任单位要对照任务分工，制定具体工作措施，明确时间节点，每季度末向市“无废城市”建设工作领导小组办公室"
        "报送工作进展情况。"
    )
    long_note = (
        "各地区、各部门要加强协调配合，强化要素保障，及时研究解决工作推进中遇到的困难和问题，确保各项任务按期完成。"
    )
    paged_pdf_file(
        "鞍山市“无废城市”建设工作领导小组办公室",
        [
            "鞍山市2024年“无废城市”建设工作要点任务分解",
            preamble,
            *[long_note] * 12,
            [
                ["序号", "工作任务", "责任单位", "完成时限"],
                [
                    "1",
                    "推进钢铁冶炼渣综合利用。加快建设钢渣微粉生产线，提升冶炼渣综合利用水平。",
                    "市工业和信息化局、鞍钢集团",
                    "2024年12月底前",
                ],
                [
                    "2",
                    "推动菱镁尾矿综合利用。开展尾矿制备建材技术攻关，建设示范项目1个。",
                    "市科技局、海城市人民政府",
                    "2024年10月底前",
                ],
                ["3", "提升危险废物利用处置能力。新增危险废物利用处置能力5万吨/年。", "市生态环境局", "2024年11月"],
                ["4", "推进生活垃圾分类。城市生活垃圾回收利用率达到35%以上。", "市城市管理综合行政执法局", "2024年底"],
                ["5", "开展“无废医院”创建。创建“无废医院”5家。", "市卫生健康委", "2024年12月"],
            ],
        ],
        path,
    )


DOCUMENTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "hn_youxian_fengong": ("docx", hn_youxian_fengong),
    "gz_zunyi_fengong": ("docx", gz_zunyi_fengong),
    "gs_tianshui_diaodu": ("docx", gs_tianshui_diaodu),
    "hb_xiaogan_xiangmu": ("xlsx", hb_xiaogan_xiangmu),
    "cq_wanzhou_zhibiao": ("xlsx", cq_wanzhou_zhibiao),
    "ln_anshan_yaodian": ("pdf", ln_anshan_yaodian),
}


if __name__ == "__main__":
    _round2.run(DOCUMENTS, HERE)
