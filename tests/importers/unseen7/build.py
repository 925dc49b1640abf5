"""Write the Word and PDF documents of this folder from the made-up texts below.

    .venv/bin/python tests/importers/unseen7/build.py          # write every document
    .venv/bin/python tests/importers/unseen7/build.py ID…      # some documents

The documents are made up (README.md). The Word helper and LibreOffice's conversion are round 2's
(`tests/importers/unseen2/build.py`); the texts and the web pages are written by hand. LibreOffice stamps its
PDF output, so only the Word files rebuild byte for byte.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, folder: str):
    spec = importlib.util.spec_from_file_location(name, HERE.parent / folder / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_round2 = _load("unseen2_build", "unseen2")
docx_file = _round2.docx_file


# --- the documents ---------------------------------------------------------------------------------


def gx_liuzhou_zhenggai(path: Path) -> None:
    """Problems `一是…` each closed by `（牵头单位；责任单位）` as the notice states once, then 整改措施/目标/时限."""
    docx_file(
        [
            "柳州市固体废物污染防治突出问题整改方案",
            "为切实抓好固体废物污染防治突出问题整改，结合我市实际，制定本方案。",
            "一、存在问题及整改要求",
            "各问题后括号内分号前为牵头单位，分号后为责任单位。",
            "一是生活垃圾焚烧处理能力不足，部分生活垃圾仍以填埋方式处理。（市城管执法局；市发展改革委、市生态环境局）",
            "整改措施：加快推进生活垃圾焚烧发电厂二期项目建设，建成后实现原生生活垃圾零填埋。",
            "整改时限：2024年12月底前",
            "二是一般工业固体废物综合利用率偏低，历史堆存量较大。（市工业和信息化局；市生态环境局）",
            "整改目标：一般工业固体废物综合利用率提高到65%以上。",
            "整改时限：2025年6月底前",
            "三是医疗废物收运体系存在短板，偏远乡镇收运不及时。（市卫生健康委；各县人民政府）",
            "整改措施：完善县域医疗废物收集转运处置体系，实现乡镇卫生院收运全覆盖。",
            "整改时限：2024年9月底前",
            "四是建筑垃圾乱堆乱倒问题时有发生。（市住房城乡建设局；市公安局、市交通运输局）",
            "整改措施：开展建筑垃圾专项整治行动，严厉打击违规倾倒行为，建立长效监管机制。",
            "整改时限：长期坚持",
            "二、保障措施",
            "各责任单位要高度重视，明确分管领导和具体责任人，按期完成整改任务。",
            "柳州市生态环境保护督察整改工作领导小组办公室",
            "2024年4月10日",
        ],
        path,
    )


def ha_xinxiang_yaodian(path: Path) -> None:
    """Items whose labels run on with no break: `…。牵头单位：A配合单位：B、C完成时限：2024年底`, printed to PDF."""
    items = [
        (
            "（一）推进工业固体废物源头减量。开展重点行业清洁生产审核，推动尾矿、冶炼渣综合利用。",
            "牵头单位：市工业和信息化局配合单位：市生态环境局、市发展改革委完成时限：2024年底",
        ),
        (
            "（二）完善生活垃圾分类收运体系。新增分类示范小区60个，建成大件垃圾拆解中心1处。",
            "牵头单位：市城市管理局配合单位：市住房城乡建设局完成时限：2024年11月底前",
        ),
        (
            "（三）加强农业废弃物资源化利用。畜禽粪污综合利用率稳定在80%以上。",
            "牵头单位：市农业农村局配合单位：各县（市、区）人民政府完成时限：2024年12月底前",
        ),
        (
            "（四）提升危险废物监管能力。建成危险废物全过程信息化监管系统。",
            "牵头单位：市生态环境局配合单位：市公安局、市交通运输局完成时限：2024年9月底前",
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / (path.stem + ".docx")
        docx_file(
            [
                "新乡市2024年“无废城市”建设工作要点",
                "为深入推进“无废城市”建设，现提出2024年工作要点如下。",
                *[text + owners for text, owners in items],
                "新乡市“无废城市”建设工作领导小组办公室",
            ],
            source,
        )
        _round2.soffice_convert(source, "pdf", path)


def hlj_jidong_jinzhan(path: Path) -> None:
    """A county's progress summary in labelled blocks: 工作任务 / 责任单位 / 完成时限 / 进展情况 / 存在问题."""
    blocks = [
        (
            "一、生活垃圾分类",
            "县城区生活垃圾分类覆盖率达到70%。",
            "县城市管理局、各乡镇人民政府",
            "2024年12月底前",
            "已完成12个小区分类设施改造，覆盖率达到55%。",
            "部分居民分类意识不强，混投现象仍然存在。",
        ),
        (
            "二、秸秆综合利用",
            "秸秆综合利用率达到93%以上。",
            "县农业农村局、县生态环境分局",
            "2024年11月底前",
            "已落实秸秆还田面积40万亩。",
            "离田利用企业收储能力不足。",
        ),
        (
            "三、建筑垃圾治理",
            "建成建筑垃圾消纳场1处。",
            "县住房和城乡建设局",
            "2024年10月底前",
            "已完成选址和用地预审。",
            "项目资金尚未落实到位。",
        ),
    ]
    paragraphs = [
        "鸡东县“无废城市”建设工作进展情况",
        "按照市“无废城市”建设工作领导小组要求，现将我县一季度工作进展情况报告如下。",
    ]
    for heading, task, owners, deadline, progress, problem in blocks:
        paragraphs += [
            heading,
            f"工作任务：{task}",
            f"责任单位：{owners}",
            f"完成时限：{deadline}",
            f"进展情况：{progress}",
            f"存在问题：{problem}",
        ]
    paragraphs += ["鸡东县“无废城市”建设工作专班", "2024年4月3日"]
    docx_file(paragraphs, path)


DOCUMENTS = {
    "gx_liuzhou_zhenggai": ("docx", gx_liuzhou_zhenggai),
    "ha_xinxiang_yaodian": ("pdf", ha_xinxiang_yaodian),
    "hlj_jidong_jinzhan": ("docx", hlj_jidong_jinzhan),
}


if __name__ == "__main__":
    _round2.run(DOCUMENTS, HERE)
