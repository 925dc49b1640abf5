"""The plan period and title in every form, and titles under a web page's leftovers."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.importers.text.metadata import document_metadata


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("某市“十四五”时期“无废城市”建设实施方案", (2021, 2025)),
        ("某市“十五五”时期“无废城市”建设实施方案", (2026, 2030)),
        ("某市“无废城市”建设试点实施方案（2019-2020年）", (2019, 2020)),
        ("某市“无废城市”建设实施方案(2021—2025年)", (2021, 2025)),
        ("某区“无废城市”建设三年行动计划（2023年至2025年）", (2023, 2025)),
        ("某市2023年“无废城市”建设工作要点", (2023, 2023)),
        ("某市2024年度“无废城市”建设重点任务清单", (2024, 2024)),
    ],
)
def test_the_period_named_in_the_title(title, period):
    meta = document_metadata([title, "为推进“无废城市”建设，制定本方案。"])
    assert (meta.title, (meta.period_start, meta.period_end)) == (title, period)


def test_the_period_from_the_body_when_the_title_names_none():
    lines = ["某市“无废城市”建设实施方案", "到2025年，全市固体废物产生强度稳步下降。", "到2025年底，基本建成。"]
    meta = document_metadata([*lines, "2022年10月7日"])
    assert (meta.period_start, meta.period_end) == (2022, 2025)
    assert (document_metadata(lines).period_start, document_metadata(lines).period_end) == (None, 2025)


def test_a_period_named_most_often_in_the_body_wins_over_a_target_year():
    lines = ["某市“无废城市”建设实施方案", "“十四五”期间，到2025年……", "“十四五”时期……"]
    meta = document_metadata(lines)
    assert (meta.period_start, meta.period_end) == (2021, 2025)


WEB_PAGE = [
    "首页 > 政务公开 > 政策文件",
    "索引号：11130100/2023-00123",
    "主题分类：环境保护",
    "发文机关：石家庄市人民政府办公室",
    "标题：石家庄市人民政府办公室关于印发石家庄市“无废城市”建设实施方案的通知",
    "发文字号：石政办发〔2023〕12号",
    "成文日期：2023-05-08",
    "发布时间：2023-05-10 09:00",
    "字号：[大 中 小]",
    "打印本页",
    "各县（市、区）人民政府：",
    "《石家庄市“无废城市”建设实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
]


def test_a_saved_web_page_gives_its_title_number_issuer_and_date_from_its_metadata_lines():
    meta = document_metadata(WEB_PAGE)
    assert meta.title == "石家庄市“无废城市”建设实施方案"
    assert meta.doc_number == "石政办发〔2023〕12号"
    assert meta.issuer == "石家庄市人民政府办公室"
    assert meta.issued_on == date(2023, 5, 8)


def test_a_title_below_a_web_pages_navigation_is_found():
    lines = [
        "网站首页",
        "当前位置：首页>信息公开>通知公告",
        "来源：市生态环境局",
        "发布时间：2023-06-01",
        "【字体：大 中 小】",
        "某市“无废城市”建设重点任务分工",
        "为推进“无废城市”建设，现将重点任务分工如下。",
    ]
    assert document_metadata(lines).title == "某市“无废城市”建设重点任务分工"


def test_a_web_pages_version_switch_is_no_part_of_the_title():
    lines = ["手机版", "某市“无废城市”建设试点“四大体系”完成情况", "(截至2020年8月31日)", "分享到:"]
    assert document_metadata(lines).title == "某市“无废城市”建设试点“四大体系”完成情况"


@pytest.mark.parametrize(
    "title",
    ["某市“无废城市”建设任务清单", "某市2023年政府工作报告重点任务分工", "某市固体废物污染防治工作细则"],
)
def test_title_lines_end_in_the_words_plans_are_named_with(title):
    assert document_metadata(["", title, "一、总体要求"]).title == title


def test_several_web_page_fields_on_one_line_are_told_apart():
    lines = [
        "索引号: 1134/2023-00167 组配分类: 政策文件",
        "名称: 某市人民政府办公室关于印发某市“无废城市”建设实施方案的通知 文号: 某政办〔2023〕5号",
        "发布机构: 某市人民政府办公室 主题分类: 环境保护",
    ]
    meta = document_metadata(lines)
    assert (meta.title, meta.doc_number) == ("某市“无废城市”建设实施方案", "某政办〔2023〕5号")
