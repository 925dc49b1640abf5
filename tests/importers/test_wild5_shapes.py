"""Habits of the fifth set of real pages (tests/wild/batch5/, round wild23) and the leftovers of
rounds wild19 and wild22, each by its mechanism, on made-up texts of the same habit: a cell-a-line
table's last row cut by the store inside a cell lacks its last cells, however many blank lines its
rows print; rows under a task cell printed once are named by their own content; an information
box's bracketed labels give the title and date; points under a top-level 基本原则 are no tasks;
adverbs of effort and kinds of government (努力建设服务型政府) lead nothing; a period's end by which the
work is done (2006年底完成) is a deadline and a span's first day is not; a notice's publishing
sentence and title line are no candidate tasks; a site's 投稿 button is no title; a name cut after
its level (区) leads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.reading import only_plan as _plan
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.plans.service import owners_of
from wufei.tasks.deadlines import deadlines_in_text

_HEADER = [
    *("序号", "试点任务", "细化措施", "工作绩效目标", "责任单位", "配合单位"),
    *("完成", "时限", "一季度", "二季度", "三季度", "四季度"),
]


def _cells_a_line(*rows: list[str]) -> str:
    """A web table copied a cell a line, a blank line after each line and seven between a row's measure and its
    lead (its empty cells and the page's spacing), as 渝中's page prints it."""
    lines = [line for cell in _HEADER for line in (cell, "")]
    for row in rows:
        number, task, measure, *rest = row
        lines += [number, "", task, "", measure, *[""] * 7]
        for cell in rest:
            lines += [cell, ""]
        lines += [""] * 7
    return "\n".join(lines).rstrip("\n") + "\n"


def test_a_cell_a_line_tables_last_row_cut_inside_a_cell_lacks_its_last_cells(tmp_path: Path):
    # cq_yuzhong_wufei_fenjie_2021 (round wild22's leftover): the store cut the page inside the last row's 配合单位
    # (…区住房城市建委 | 区城); on main the row read one cell to the right: 区城 its deadline, no lead.
    text = "某区“无废城市”建设试点目标任务分解\n\n" + _cells_a_line(
        ["1", "推进生活垃圾分类", "建立分类投放方式。", "区城市管理局", "区住房城市建委、区机关事务局", "2020"],
        ["2", "推进建筑垃圾治理", "建立建筑垃圾监管平台。", "区城市管理局", "区发展改革委、区交通局", "2020"],
        ["3", "推进餐厨垃圾治理", "开展餐厨垃圾专项整治行动。", "区城市管理局", "区公安分局、区生态环境局", "2020"],
    )
    text += "4\n\n推进再生产品应用\n\n配合制定建筑垃圾再生产品推广应用意见\n" + "\n" * 7 + "区住房城市建委\n\n区城\n"
    plan = _plan(tmp_path, "分解.txt", text)
    last = plan.tasks[-1]
    assert owners_of(last)["leads"] == ("区住房城市建委",)
    assert last.deadline_raw in (None, "")


def test_rows_under_a_merged_task_cell_printed_once_are_named_by_their_own_content(tmp_path: Path):
    # zj_zhoushan_ljfl_fenjie_2018 (round wild19's leftover) and ha_pingdingshan_hezhang_fenjie_2018: the task cell
    # (工作任务, 主要任务) spans rows each with its own content and owners, printed on the first row only; on main the
    # later rows took the first row's task as their name (舟山's four tasks all 源头减量专项行动, a repeat).
    plan = _plan(
        tmp_path,
        "分解表.txt",
        "某市城镇生活垃圾分类工作任务分解表\n"
        "序 号 |\n工作 任务 |\n主要工作内容 |\n完成时间 |\n总牵头 单位 |\n分项 牵头单位 |\n参与单位 |\n责任单位 |\n"
        "1 |\n源头减量专项行动 |\n到2020年底,全市生活垃圾总量实现零增长。 |\n2020年 |\n市城市管理局 |\n"
        "市城市管理局 |\n市分类工作领导小组成员单位 |\n各县(区)政府 |\n"
        "2 |\n开展过度包装专项治理。 |\n2018年 |\n市发改委 |\n市商务局、市市场监管局 |\n各县(区)政府 |\n||\n"
        "3 |\n开展净菜进城试点。 |\n2018年 |\n市市场监管局 |\n市农业农村局、市供销社 |\n各县(区)政府 |\n||\n",
    )
    named = [(t.title, t.category, owners_of(t)["leads"]) for t in plan.tasks]
    assert named == [
        ("到2020年底,全市生活垃圾总量实现零增长", "源头减量专项行动", ("市城市管理局",)),
        ("开展过度包装专项治理", "源头减量专项行动", ("市发改委",)),
        ("开展净菜进城试点", "源头减量专项行动", ("市市场监管局",)),
    ]


def test_an_information_box_with_bracketed_labels_gives_the_title_and_date(tmp_path: Path):
    # sn_jingbian_diaodu_jizhi_2025: on main the box's first row, its bracketed label dropped, was the plan's title
    # (「 | 11610824016087841N/2025-00040 | [主题分类] |政务督查」) and the date under [ 发文日期 ] was not read.
    plan = _plan(
        tmp_path,
        "通知.txt",
        "[索引号] | 11610824016087841N/2025-00040 | [ 主题分类 ] | 政务督查 |\n"
        "---|---|---|---|\n"
        "[ 发布机构 ] | 某县人民政府办公室 | [ 发文日期 ] | 2025-02-28 |\n"
        "[ 效力状态 ] | 有效 | [ 文 号 ] | 某政发〔2025〕17号 |\n"
        "[ 名 称 ] | 某政发〔2025〕17号 某县人民政府 关于印发某县无废城市建设工作方案的通知 |\n"
        "1.推进农村生活垃圾分类,2025年底前完成。(县住房和城乡建设局牵头)\n",
    )
    assert plan.title == "某县无废城市建设工作方案"
    assert str(plan.issued_on) == "2025-02-28"


def test_points_under_a_top_level_principles_heading_are_no_tasks(tmp_path: Path):
    # nm_baotou_wufei_2022: 一、指导思想 / 二、基本原则 over （一）坚持系统谋划、一体推进。… ; on main the principles
    # were two tasks awaiting a lead (the points under （二）基本原则 were no tasks already).
    path = tmp_path / "方案.txt"
    path.write_text(
        "某市“十四五”时期“无废城市”建设实施方案\n"
        "一、指导思想\n"
        "以习近平新时代中国特色社会主义思想为指导,统筹城市发展与固体废物管理。\n"
        "二、基本原则\n"
        "(一)坚持系统谋划、一体推进。充分发挥固体废物污染防治一头连着减污,一头连着降碳重要作用。\n"
        "(二)坚持问题导向、精准施策。聚焦固体废物管理短板,补齐处置能力。\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "只读到方案开头" in str(refused.value)


def test_an_aim_of_becoming_a_kind_of_government_leads_nothing(tmp_path: Path):
    # sh_jingan_xingdong_2018: a plan's opening cut before its tasks; on main its preamble and 指导思想 were two
    # candidate tasks led by 「努力建设服务型政府」 and 「率先建成高效能的服务型政府」.
    path = tmp_path / "行动计划.txt"
    path.write_text(
        "某区三年行动计划\n"
        "为打响服务品牌,增强城市服务功能,努力建设服务型政府,加快构筑发展战略优势,特制定本行动计划。\n"
        "一、 总体要求\n"
        "(一)指导思想\n"
        "深入贯彻落实党的十九大精神,推动服务质量变革,率先建成高效能的服务型政府,使某区成为闪亮名片。\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "只读到方案开头的指导思想" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        # sx_yuncheng_zhili_xianshi_p2: on main 「2006年底完成」 set no deadline (2006年底前完成 did).
        ("依法淘汰小炼铁、小水泥等落后生产工艺和设施,2006年底完成", "2006年底"),
        ("筹备建设城区生活污水处理厂,2009年6月底建成并投入运行", "2009年6月底"),
        # hlj_ducha_dierjidu_news_2018: on main a span's first day was the deadline (于2018年8月6日至17日 → 8月6日);
        # a span of days is done by its last day, as 2024年3月1日至2024年5月31日 is (review23f's ninth finding).
        ("组织省直有关单位于2018年8月6日至17日对全省组织开展第二季度督查", "2018年8月17日"),
        ("于2024年3月1日至2024年5月31日开展专项检查", "2024年5月31日"),
    ],
)
def test_a_period_end_by_which_work_is_done_is_a_deadline_and_a_spans_first_day_is_not(text, deadline):
    assert deadlines_in_text(text) == deadline


@pytest.mark.parametrize(
    "opening",
    [
        # jx_nanchang_wufei_2024: on main the notice's publishing sentence was a candidate task led by 市政府.
        "《某市无废城市建设实施方案》已经市委常委会会议、市政府2024年第29次常务会议审议通过,现印发给你们,请认真贯彻实施。\n",
        # sx_lantian_sannian_pdf_2018: on main the notice's title line was a candidate task led by the government.
        "某省人民政府 关于印发某省打赢蓝天保卫战 三年行动计划的通知\n",
    ],
)
def test_a_notices_publishing_sentence_and_title_line_are_no_candidate_tasks(tmp_path: Path, opening: str):
    path = tmp_path / "方案.txt"
    path.write_text(
        "各县(区)人民政府,市直各有关单位:\n"
        + opening
        + "某市无废城市建设实施方案\n"
        + "一、总体要求\n(一)指导思想\n以习近平生态文明思想为指导,推进固体废物减量化、资源化、无害化。\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "只读到方案开头的指导思想" in str(refused.value)


def test_a_news_sites_submission_button_is_no_title(tmp_path: Path):
    # hlj_ducha_dierjidu_news_2018: on main the site's 「投稿」 button above the headline was the plan's title.
    plan = _plan(
        tmp_path,
        "新闻.txt",
        "投稿\n\n某省开展第二季度环保督查\n\n"
        "按照整改方案要求,省整改工作领导小组办公室组织省直有关单位对全省组织开展督查,2018年8月底前完成。\n",
    )
    assert plan.title == "某省开展第二季度环保督查"


def test_a_name_cut_after_its_level_leads_nothing(tmp_path: Path):
    # hb_caidian_fenjie_2023: the store cut the last 责任单位 line after 区; on main 「区」 led the target.
    plan = _plan(
        tmp_path,
        "分解方案.txt",
        "2023年区《政府工作报告》确定的主要目标任务责任分解方案\n"
        "一、2023年全区经济社会发展的主要预期目标\n"
        "(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n"
        "(二)工业投资增长12%以上\n责任单位:区\n",
    )
    assert [owners_of(t)["leads"] for t in plan.tasks] == [("区发展和改革局",), ()]
