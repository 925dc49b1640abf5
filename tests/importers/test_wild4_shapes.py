"""Habits of the fourth set of real pages (tests/wild/batch4/, round wild22), each by its mechanism, on made-up
texts of the same habit: a page's reading lines (点击次数：… 更新时间：… 打印此页, 签发时间：… 生效时间：…), a news
site's lead line (导读：…) and an information box's 公开形式 / 公开责任部门 cells are no tasks; a table of contents
printed without pages (目录, then the headings the body repeats) holds no tasks; a bureau's 牵头处室 leads the item it
closes; an owner label the store cut (（牵头单) names nobody; a sentence's piece before a verb (推动各级政府,
市政府也将加强跟踪督办) leads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.reading import only_plan as _plan
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.plans.service import owners_of


def test_a_pages_reading_and_signing_lines_are_no_tasks(tmp_path: Path):
    # sc_chengdu_ljfl_fanti_2018: on main 「点击次数」 was a task due on the page's update time, 「签发」 one due on
    # the signing date.
    plan = _plan(
        tmp_path,
        "转载.txt",
        "某市人民政府办公厅关于印发某市生活垃圾分类实施方案的通知\n"
        "点击次数:2502 更新时间:2018年05月06日22:29:20 打印此页 关闭\n"
        "文  号:某办发〔2018〕14号签发单位:\n"
        "签发时间:2018-04-20生效时间:2018-04-20\n"
        "各区县政府:现将方案印发你们,请市城管局会同各区县于2019年底前完成生活垃圾分类设施建设。\n",
    )
    titles = [t.title for t in plan.tasks]
    assert titles and not [t for t in titles if "点击次数" in t or t.startswith("签发")]


def test_a_news_sites_lead_line_is_no_task(tmp_path: Path):
    # sn_xian_wufei_diaoyan_news_2024: on main 「导读」 was a record led by the office its summary named.
    plan = _plan(
        tmp_path,
        "新闻.txt",
        "某省无废城市建设工作推进情况\n"
        "导读:3月7日至3月8日,某省无废城市建设联席会议办公室组织省生态环境厅、省工信厅等部门赴某市调研...\n"
        "调研组要求,省工信厅要在2025年底前完成工业固废综合利用评价。\n",
    )
    titles = [t.title for t in plan.tasks]
    assert len(titles) == 1 and not titles[0].startswith("导读")


def test_an_information_boxs_publicity_cells_are_no_task(tmp_path: Path):
    # sn_ziyang_changwuhui_tongbao_2022: on main 「公开责任部门 | 某县政府办公室 | 公开形式」 was a record led by
    # the office.
    plan = _plan(
        tmp_path,
        "通报.txt",
        "文件名称 | 关于某县重点工作落实情况的通报 | ||\n"
        "公开责任部门 | 某县政府办公室 | 公开形式: | 主动公开 |\n"
        "其中,由县民政局负责的第1件进展滞后,请于2022年底前完成。\n",
    )
    titles = [t.title for t in plan.tasks]
    assert len(titles) == 1 and "公开责任部门" not in titles[0]


def test_contents_without_pages_hold_no_tasks(tmp_path: Path):
    # yn_kunming_paitoubing_pinggu_2024: on main the contents' headings (规划回顾, 指标体系, 主要任务 …) were ten tasks
    # awaiting a lead, and the body's headings repeated them.
    plan = _plan(
        tmp_path,
        "评估报告.txt",
        "某市生态文明建设规划实施情况评估报告\n"
        "目录\n"
        "一、 规划实施总体进展情况\n(一)规划回顾\n(二)规划目标指标进展\n"
        "二、 规划实施面临的主要问题\n(一)外部环境变化情况\n"
        "三、 规划调整建议\n(一)指标体系\n(二)主要任务\n"
        "一、 规划实施总体进展情况\n"
        "(一)规划回顾\n"
        "2023年9月15日,市委、市政府印发规划,市生态环境局于2024年4月26日印发任务分解方案。\n",
    )
    titles = [t.title for t in plan.tasks]
    assert not {"指标体系", "主要任务", "外部环境变化情况", "规划目标指标进展"} & set(titles)


def test_a_bureaus_lead_division_leads_the_item_it_closes(tmp_path: Path):
    # sn_xian_baqiao_chengguan_2020: a city bureau's plan names its own divisions (处室) under 牵头处室：; on main
    # that line was no owner label and the 责任单位 under it, a company, led the item.
    plan = _plan(
        tmp_path,
        "方案.txt",
        "某市城市管理局推进绿色发展工作方案\n"
        "1.开展供热发展规划编制工作,2020年底前完成。\n"
        "牵头处室:燃气热力管理处\n"
        "责任单位:某市热力集团有限责任公司\n"
        "2.强化扬尘污染防治工作,2020年底前完成。\n"
        "责任处室:建筑垃圾管理处、环境卫生管理处\n",
    )
    assert [(owners_of(t)["leads"], owners_of(t)["supporting"]) for t in plan.tasks] == [
        (("燃气热力管理处",), ("某市热力集团有限责任公司",)),
        (("建筑垃圾管理处",), ("环境卫生管理处",)),
    ]


def test_an_owner_label_the_store_cut_names_nobody(tmp_path: Path):
    # sd_jinxiang_fengong_2025: the store cut the last item's bracket after 牵头单; on main 「牵头单」 led it.
    plan = _plan(
        tmp_path,
        "分工.txt",
        "某县2025年政府重要工作事项责任分工\n"
        "1.地区生产总值增长6%。(牵头单位:县发展和改革局)\n"
        "2.实施园区基础设施提升行动,加快推进园区道路等工程。(牵头单",
    )
    assert [owners_of(t)["leads"] for t in plan.tasks] == [("县发展和改革局",), ()]


def test_a_sentences_piece_before_what_it_asks_leads_nothing(tmp_path: Path):
    # sc_chengdu_ljfl_2021, hb_xianning_fenjie_2020: on main 「推动各级政府」 and 「市政府也将加强跟踪督办」 led
    # paragraphs.
    plan = _plan(
        tmp_path,
        "通知.txt",
        "某市人民政府办公厅关于推进生活垃圾分类的通知\n"
        "深入贯彻落实条例,推动各级政府、相关职能部门履行生活垃圾分类责任和义务,2021年底前全面覆盖。\n"
        "各牵头单位要狠抓落实。市政府也将加强跟踪督办,请于12月31日前报送落实情况。\n",
    )
    leads = {lead for t in plan.tasks for lead in owners_of(t)["leads"]}
    assert not {"推动各级政府", "市政府也将加强跟踪督办"} & leads


def test_a_style_attributes_tail_left_as_text_is_no_part_of_the_heading(tmp_path: Path):
    # sn_xian_xincheng_wufei_2023: a copy kept the tail of a style attribute inside 指导思想's line; on main the
    # opening was read as a task 「指导思想以习近平…指导dent」 awaiting a lead, where the opening is refused saying so.
    path = tmp_path / "方案.txt"
    path.write_text(
        "某区人民政府办公室关于印发某区无废城市建设实施方案的通知\n"
        "某区无废城市建设实施方案\n"
        "一、总体要求\n"
        '(一)指导思想 以习近平新时代中国特色社会主义思想为指导dent: 2em; text-align: justify;">以习近平新时代'
        "中国特色社会主义思想为指导,全面贯彻党的二十大精神。\n"
        "(二)基本原则\n"
        "一是坚持目标导向,依法分类处置。\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "只读到方案开头的指导思想、基本原则" in str(refused.value)


def test_tags_left_as_text_are_no_part_of_a_paragraph(tmp_path: Path):
    # hb_caidian_zfgzbg_jiedu_2026: a forum's archive kept the page's <p style="…"> tags as text.
    plan = _plan(
        tmp_path,
        "解读.txt",
        "某省政府工作报告解读\n"
        '<p style="box-sizing: border-box; color: rgb(51, 51, 51);"><span style="text-indent: 2em;">'
        "省生态环境厅要在2026年底前完成无废城市建设评估。</span></p>\n",
    )
    assert [t.title for t in plan.tasks] == ["省生态环境厅要在2026年底前完成无废城市建设评估"]


def test_a_page_opening_with_the_owner_lines_of_the_item_before_it_holds_no_task_named_by_the_label(tmp_path: Path):
    # sn_xian_chuangwei_p2_2011: page 2 of a target division opens with the owner lines of page 1's last item; on
    # main 「牵头单位」 was a task (its content 市工信委).
    plan = _plan(
        tmp_path,
        "第2页.txt",
        "牵头单位:市工信委\n"
        "配合单位:市发改委、市统计局\n"
        "(六)单位GDP用水量逐年下降\n"
        "主要任务:制定并实施节水政策,淘汰高耗水企业。\n"
        "牵头单位:市水务局\n"
        "配合单位:市建委、市统计局\n",
    )
    assert "牵头单位" not in [t.title for t in plan.tasks]
    assert [owners_of(t)["leads"] for t in plan.tasks] == [("市水务局",)]


def test_css_declarations_without_their_tags_close_are_kept_and_read_at_once():
    """A `>` and declarations never closed by `">` are no markup: the line stays as it is. (The pattern
    split each `a: b;` two ways: 40 of them took minutes before the value had to start after the space.)"""
    from wufei.importers.text.normalize import without_markup

    line = "推进工作>" + "a: b;" * 60
    assert without_markup(line) == line
    assert without_markup('以习dent: 2em; text-align: justify;">以习近平') == "以习以习近平"
