"""Shapes of the corpus's batch 9 (tests/corpus/, its tuning documents), each by its mechanism: a web page's table
as a text copy keeps it, one row a line with ` | ` between the cells, each row padded with bars to the table's
width, the cells a spanning cell covers left out of the rows below it and a form's side label before the header;
such a row is a whole row, so the line after the last one is no part of its last cell; a forum's copy parts the
cells by ` , ` instead, and a run of such rows numbered one by one is a table even when the copy starts below its
header (its columns read by what they hold); a document typed with English punctuation has its cells' sentences
closed by 。 as its paragraphs have."""

from __future__ import annotations

from pathlib import Path

from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source

_FORM = (
    "某区城市管理局2021年道路保洁费用绩效目标表\n"
    "项目名称 | 道路保洁费用 | ||||\n"
    "主管预算部门 | 某区城市管理局 | 项目预算金额 (万元) | 1200 | ||\n"
    "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | |\n"
    "产出指标 | 数量指标 | 保洁道路面积 | 520万平方米 | ||\n"
    "保洁车辆 | 46辆 | ||||\n"
    "质量指标 | 道路保洁达标率 | ≥95% | |||\n"
    "效益指标 | 社会效益指标 | 群众满意度 | ≥90% | ||\n"
    "- 扫一扫在手机打开当前页\n"
)


def test_a_bar_parted_copy_of_a_web_table_is_read_as_its_table(tmp_path: Path):
    # xx_bingmei_jixiao_2020: refused on main (no table found). The header follows a side label (绩效指标), the
    # rows under a spanning 一级指标 or 二级指标 cell leave it out, and the page's last line is no part of the
    # last target.
    path = tmp_path / "绩效目标表.txt"
    path.write_text(_FORM, encoding="utf-8")
    indicators = read_source(path).plans[0].indicators
    assert [(i.level1, i.level2, i.name, i.target_raw) for i in indicators] == [
        ("产出指标", "数量指标", "保洁道路面积", "520万平方米"),
        ("产出指标", "数量指标", "保洁车辆", "46辆"),
        ("产出指标", "质量指标", "道路保洁达标率", "≥95%"),
        ("效益指标", "社会效益指标", "群众满意度", "≥90%"),
    ]


def test_a_bar_in_a_line_or_two_makes_no_table(tmp_path: Path):
    # Guards (they hold on main too): a site's banner with a bar (`繁体 | 本网站已经支持IPV6`) beside a task list
    # leaves the list as it was, and a Markdown pipe table (lines opened by `|`, an alignment row) is read as one.
    path = tmp_path / "任务.txt"
    path.write_text(
        "繁体  |  本网站已经支持IPV6\n"
        "某县2022年重点工作任务分工\n"
        "1.推进生活垃圾分类。(县城管局牵头,各乡镇配合)\n"
        "2.开展建筑垃圾治理。(县住建局牵头)\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [(t.title, t.owners_raw) for t in tasks] == [
        ("推进生活垃圾分类", "县城管局牵头，各乡镇配合"),
        ("开展建筑垃圾治理", "县住建局牵头"),
    ]
    wiki = tmp_path / "清单.md"
    wiki.write_text(
        "某市重点任务清单\n"
        "| 序号 | 重点任务 | 牵头单位 | 完成时限 |\n"
        "| :--: | -------- | -------- | :------: |\n"
        "| 1 | 推进磷石膏综合利用 | 市经信局 | 2024年6月 |\n"
        "| 2 | 建设危险废物处置中心 | 市生态环境局 | 2024年底 |\n",
        encoding="utf-8",
    )
    assert [(t.title, t.deadline_raw) for t in read_source(wiki).plans[0].tasks] == [
        ("推进磷石膏综合利用", "2024年6月"),
        ("建设危险废物处置中心", "2024年底"),
    ]


def test_a_comma_parted_copy_of_a_table_without_its_header_is_read_by_its_columns(tmp_path: Path):
    # fj_fuzhou_ljfl_zhize_2019: refused on main (no table found). Rows numbered from 4 (the copy starts below the
    # header), cells parted by ` , `, a comma inside a duty without spaces; a line opened by `, ` is a further duty
    # of the row above (its number and unit cells span it) and takes them from it; the duties' full stops are
    # ASCII, so each title is the duty's first sentence.
    path = tmp_path / "职责.txt"
    path.write_text(
        "编辑: 某网友 | 2020-05-06 |\n"
        "4 , 市商务局 , 指导再生资源回收网点建设,规范回收行为.做好回收企业的监督工作. ,\n"
        "5 , 市卫健委 , 组织医疗机构开展生活垃圾分类工作. ,,\n"
        ", 监督医疗废物与生活垃圾分开收集. ,\n"
        "6 , 市机关事务局 , 推动公共机构率先实行生活垃圾强制分类. ,\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [(t.number, t.title, t.leads or parse_owners(t.owners_raw).leads) for t in tasks] == [
        ("4", "指导再生资源回收网点建设,规范回收行为", ("市商务局",)),
        ("5", "组织医疗机构开展生活垃圾分类工作", ("市卫健委",)),
        ("5-2", "监督医疗废物与生活垃圾分开收集", ("市卫健委",)),
        ("6", "推动公共机构率先实行生活垃圾强制分类", ("市机关事务局",)),
    ]


def test_commas_in_prose_make_no_table(tmp_path: Path):
    # Guard (holds on main too): English-punctuated numbered items with ` , ` between their clauses stay
    # paragraphs: their first cell would be no bare row number.
    path = tmp_path / "方案.txt"
    path.write_text(
        "某县垃圾分类工作方案\n"
        "1.推进垃圾分类 , 建成投放点100个. (县城管局牵头, 各乡镇配合)\n"
        "2.开展宣传 , 覆盖全部社区. (县委宣传部牵头)\n"
        "3.加强考核 , 纳入年度目标. (县督查室负责)\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [t.title for t in tasks] == [
        "推进垃圾分类,建成投放点100个",
        "开展宣传,覆盖全部社区",
        "加强考核,纳入年度目标",
    ]
