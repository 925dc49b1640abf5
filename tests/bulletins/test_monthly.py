"""The May 2024 dispatch bulletin of the small world (tests/bulletins/world.py), in its four forms.

The right answers below are worked out from the world's table by hand; every form must say them.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.bulletins import world as W
from tests.bulletins.helpers import (
    by_suffix,
    docx_paragraphs,
    docx_tables,
    html_text,
    md_tables,
    xlsx_number_formats,
    xlsx_sheets,
)

TITLE = "衡水市“无废城市”建设2024年5月调度通报"
OVERALL = (
    "截至2024年5月31日，纳入督办的任务7项（另有1项尚未明确牵头单位，待指定后计入），其中已完成1项、绿灯3项、"
    "黄灯1项、红灯2项，逾期未完成1项；本月到期1项、完成1项。"
)
REPORTING = "本月报送周为2024年第19周至第22周共4周，应报送26次，已报送22次，其中按时22次，未报送4次。"
CHANGES = "与2024年4月30日相比，新增逾期任务1项、完成1项、灯色变差2项。"  # no 转为绿灯0项
DEPARTMENT_HEADER = [
    "序号",
    "单位",
    "牵头任务",
    "已完成",
    "按期完成",
    "本月完成",
    "逾期",
    "红灯",
    "黄灯",
    "绿灯",
    "应报",
    "按时",
    "迟报",
    "未报",
]
DEPARTMENT_ROWS = [  # most lead tasks first, then by name; reports of W19–W22
    ["1", W.CITY, "3", "0", "0", "0", "0", "1", "0", "2", "12", "8", "0", "4"],  # T4 silent 4 weeks
    ["2", W.ENV, "3", "1", "1", "1", "1", "1", "0", "1", "10", "10", "0", "0"],  # T2 reports W19, W20 only
    ["3", W.TAOCHENG, "1", "0", "0", "0", "0", "0", "1", "0", "4", "4", "0", "0"],
]
ATTENTION = [
    ("红灯", "1 修订生活垃圾分类管理办法", W.ENV),
    ("红灯", "4 开展无废机关创建", W.CITY),
    ("黄灯", "工程项目5 工业固废综合利用项目", W.TAOCHENG),
]
EXTENSION = [
    "7 餐厨垃圾处理设施改造",
    W.CITY,
    "2024年5月16日",
    "2024年5月20日",
    "2024年5月31日",
    "2024年9月30日",
    "设备采购周期延长",
]
INDICATOR = ["1", "一般工业固体废物综合利用率", "%", "49", "≥60", "55（2023年）", "较基线向好", "是", "—"]
HEADINGS = [
    "一、总体情况",
    "二、各成员单位推进情况",
    "三、本月变化情况",
    "（一）新增逾期任务",
    "（二）本月完成任务",
    "（三）灯色变差任务",  # no heading over an empty 转为绿灯任务
    "四、红灯、黄灯任务",
    "五、指标进展",
    "（一）指标填报与序时进度",
    "六、无废细胞建设",
    "七、下月（2024年6月）到期事项",
    "八、延期审批情况",
]


@pytest.fixture(scope="module")
def may(engine, tmp_path_factory):
    """Issued once for the module (these tests only read the files), rolled back at the end."""
    from sqlalchemy.orm import Session

    from tests.bulletins.issuing import issue_bulletin

    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            W.build(session)
            yield issue_bulletin(
                session,
                kind="monthly",
                period="2024-05",
                scope="衡水市",
                out_dir=tmp_path_factory.mktemp("may"),
                as_of=date(2024, 6, 5),
            )
        finally:
            session.close()
            transaction.rollback()


def _table_after(tables, header_first: str, first_cell: str | None = None):
    return next(t for t in tables if t and t[0][0] == header_first and (first_cell is None or t[0][1] == first_cell))


def test_the_may_bulletin_says_the_overall_figures_and_reporting_in_every_form(may):
    # the Word title is two lines (衡水市“无废城市”建设 / 2024年5月调度通报, tests/bulletins/test_views.py)
    docx = [p.replace("\n", "") for p in docx_paragraphs(by_suffix(may.paths, ".docx"))]
    html, _ = html_text(by_suffix(may.paths, ".html"))
    markdown = by_suffix(may.paths, ".md").read_text(encoding="utf-8")
    for text in (docx, html, markdown):
        joined = "\n".join(text) if isinstance(text, list) else text
        for expected in (
            TITLE,
            OVERALL,
            REPORTING,
            CHANGES,
            "衡水市“无废城市”建设工作领导小组办公室",
            "2024年6月5日",
            f"数据快照：{may.snapshot_id}",
            "暂无无废细胞建设数据。",
        ):
            assert expected in joined
    assert [p for p in docx if p in HEADINGS] == HEADINGS


def test_the_may_bulletin_tables_list_each_department_the_red_and_yellow_tasks_and_the_extension(may):
    for tables in (
        docx_tables(by_suffix(may.paths, ".docx")),
        html_text(by_suffix(may.paths, ".html"))[1],
        md_tables(by_suffix(may.paths, ".md")),
    ):
        departments = _table_after(tables, "序号", "单位")
        assert departments == [DEPARTMENT_HEADER, *DEPARTMENT_ROWS]
        attention = _table_after(tables, "灯色", "任务")
        assert [(row[0], row[1], row[2]) for row in attention[1:]] == ATTENTION
        # the lights of Friday 31 May, as that morning's scan: W22, due at 17:00 that day, not missed yet
        assert "已逾期" in attention[1][5] and "连续3周未按时报送" in attention[2][5]
        assert "落后序时进度" in attention[3][5]
        changes = [t for t in tables if t[0] == ["任务", "牵头单位", "上月", "本月", "原因"]]
        assert [[row[0] for row in t[1:]] for t in changes] == [
            ["1 修订生活垃圾分类管理办法"],  # newly overdue
            ["2 建设无废学校"],  # closed
            ["4 开展无废机关创建", "工程项目5 工业固废综合利用项目"],  # worsened (T1: newly overdue, listed there)
        ]  # recovered: none, said as 无。
        due_next = _table_after(tables, "到期日", "任务")
        assert [row[:3] for row in due_next[1:]] == [["2024年6月20日", "8 编制无废城市宣传方案", W.ENV]]
        assert _table_after(tables, "任务", "申请单位")[1:] == [EXTENSION]
        assert _table_after(tables, "编号", "指标")[1:] == [INDICATOR]


def test_the_may_annex_holds_every_table_and_the_ledger_rows_behind_them(may):
    sheets = xlsx_sheets(by_suffix(may.paths, "-annex.xlsx"))
    assert list(sheets)[:3] == ["说明", "各单位情况", "新增逾期任务"]
    assert ["数据快照", may.snapshot_id] in sheets["说明"]
    assert sheets["各单位情况"][0] == DEPARTMENT_HEADER
    assert sheets["各单位情况"][1] == [1, W.CITY, 3, 0, 0, 0, 0, 1, 0, 2, 12, 8, 0, 4]  # numbers stay numbers
    tasks = sheets["任务台账"]
    assert tasks[0][:5] == ["灯色", "方案", "清单", "编号", "任务名称"]
    assert ("工程项目", "工程项目5", "工业固废综合利用项目") in [tuple(row[2:5]) for row in tasks[1:]]
    assert sorted((row[3], row[0]) for row in tasks[1:]) == [
        ("1", "红灯"),
        ("2", "已完成"),
        ("3", "绿灯"),
        ("4", "红灯"),
        ("7", "绿灯"),
        ("8", "绿灯"),
        ("工程项目5", "黄灯"),  # numbered as 周报送记录 and the tables name it
        ("工程项目6", "未纳入督办"),
    ]
    reports = sheets["周报送记录"]
    assert len(reports) - 1 == 22  # W19–W22: T1, T3, T5, T7, T8 four each, T2 two, T4 none
    # The week the Chinese way, and its Monday beside it for a spreadsheet to sort by (as text,
    # 2024年第9周 would sort after 2024年第49周): dates and times are the workbook's own, shown the
    # Chinese way.
    assert reports[0][:2] == ["周次", "周起始日"]
    assert {(row[0], row[1]) for row in reports[1:]} == {
        ("2024年第19周", datetime(2024, 5, 6)),
        ("2024年第20周", datetime(2024, 5, 13)),
        ("2024年第21周", datetime(2024, 5, 20)),
        ("2024年第22周", datetime(2024, 5, 27)),
    }
    row = ["2024年第20周", datetime(2024, 5, 13), "2", "建设无废学校", W.ENV, 1, 100, datetime(2024, 5, 17, 9, 0)]
    assert [*row, "否", "已采纳"] in [r[:10] for r in reports[1:]]
    assert tasks[0][8] == "现行期限" and datetime(2024, 5, 31) in [r[8] for r in tasks[1:]]
    assert sheets["延期审批"][1][2:6] == [
        datetime(2024, 5, 16),
        datetime(2024, 5, 20),
        datetime(2024, 5, 31),
        datetime(2024, 9, 30),
    ]
    formats = xlsx_number_formats(by_suffix(may.paths, "-annex.xlsx"), "周报送记录", row=2)
    assert (formats[1], formats[7]) == ('yyyy"年"m"月"d"日"', 'yyyy"年"m"月"d"日" hh:mm')


def test_the_markdown_links_the_charts_written_beside_it(may):
    markdown = by_suffix(may.paths, ".md")
    for key in ("lights", "completion", "indicators", "indicator_tracks"):
        png = markdown.parent / f"monthly-2024-05-{key}.png"
        assert png.read_bytes().startswith(b"\x89PNG") and f"]({png.name})" in markdown.read_text(encoding="utf-8")
    html = by_suffix(may.paths, ".html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 4 and "http" not in html.split("<body", 1)[1]


def test_the_overview_names_tasks_awaiting_a_lead_only_when_there_are_some():
    """「另有0项尚未明确牵头单位」 read in every bulletin of a plan whose tasks all have a lead."""
    from dataclasses import replace

    from wufei.bulletins.kinds import _lights_paragraph
    from wufei.figures.common import LightCounts, Totals

    totals = Totals(
        tasks=39,
        supervised=39,
        without_lead=0,
        by_light=LightCounts(28, 3, 8, 0),
        overdue=0,
        due_in_period=0,
        done_in_period=0,
    )
    text = _lights_paragraph(totals, date(2023, 11, 30), "本月").text
    assert text == ("截至2023年11月30日，纳入督办的任务39项，其中绿灯28项、黄灯3项、红灯8项；本月无到期或完成的任务。")
    awaiting = _lights_paragraph(replace(totals, tasks=40, without_lead=1), date(2023, 11, 30), "本月").text
    assert awaiting.startswith(
        "截至2023年11月30日，纳入督办的任务39项（另有1项尚未明确牵头单位，待指定后计入），其中绿灯28项"
    )


def test_the_may_bulletin_ends_with_what_each_unit_is_to_do_next(may):
    """Real 调度通报 close with 下一步工作要求, one item for each thing to do (templates/requirements.yaml)."""
    paragraphs = [p.replace("\n", "") for p in docx_paragraphs(by_suffix(may.paths, ".docx"))]
    closing = paragraphs.index("九、下一步工作要求")
    items = [p for p in paragraphs[closing + 1 :] if p][:5]
    assert items[:3] == [
        "一是加快逾期任务办结。逾期未完成任务1项，牵头单位要查明原因、倒排工期，确需延期的按程序申请延期。",
        "二是抓好红灯、黄灯任务整改。红灯任务2项、黄灯任务1项，牵头单位要对照原因逐项整改，配合单位要积极支持。",
        f"三是按时报送周进展。本月未报送4次，{W.CITY}要落实专人，按时报送每周进展。",
    ]
    assert items[3].startswith("四是提前谋划下月到期事项。2024年6月到期任务") and items[4].startswith("附件：")
