"""Indicator values in the portal: a liaison reports a value (form or Excel 指标填报表), the office
accepts or returns it, and the indicator's light and reason follow. Each test uses its own
indicators of 市生态环境局 (the server is shared)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.web.conftest import csrf_of, sign_in_page
from wufei.indicators.models import Indicator, IndicatorReport


def indicator_id(server, name: str) -> int:
    with server.engine.connect() as connection:
        return connection.execute(select(Indicator.id).where(Indicator.name.startswith(name))).scalar_one()


def reports_of(server, indicator: int) -> list[tuple[str, str, str | None]]:
    with server.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(IndicatorReport.period, IndicatorReport.status, IndicatorReport.review_note)
                .where(IndicatorReport.indicator_id == indicator)
                .order_by(IndicatorReport.id)
            )
        ]


def row_of(page: str, indicator: int) -> str:
    """The indicator's row of /my/indicators, tags stripped."""
    match = re.search(rf'<tr id="indicator-{indicator}">(.*?)</tr>', page, re.S)
    assert match, f"indicator {indicator} is not listed"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match[1]))


def report(client, indicator: int, **fields) -> object:
    page = client.get("/my/indicators").text
    data = {"csrf_token": csrf_of(page), "indicator_id": str(indicator), "period": "2023", **fields}
    return client.post("/my/indicators", data=data, files={"evidence": ("", b"", "application/octet-stream")})


def test_a_liaison_reports_a_value_the_office_returns_then_accepts_and_the_light_follows(eco, office, server):
    rate = indicator_id(server, "危险废物规范化管理抽查合格率")
    page = eco.get("/my/indicators")
    assert page.status_code == 200
    before = row_of(page.text, rate)
    assert "逾期未报" in before and "2023年数值应于2024年1月31日前报送" in before
    assert "本期 2023年" in before  # the period due is offered

    filed = report(eco, rate, value="100", source="市生态环境局抽查台账", caliber="全市持证单位", note="抽查42家")
    assert filed.status_code == 303 and filed.headers["location"] == "/my/indicators?notice=indicator_filed"
    assert reports_of(server, rate) == [("2023", "submitted", None)]
    pending = eco.get("/my/indicators").text
    assert "待审核" in row_of(pending, rate)

    queue = office.get("/indicators/review").text
    assert "危险废物规范化管理抽查合格率" in queue and "市生态环境局抽查台账" in queue and "全市持证单位" in queue
    value_id = re.search(r'action="/indicator-values/(\d+)/review"', queue)[1]
    no_reason = office.post(
        f"/indicator-values/{value_id}/review", data={"csrf_token": csrf_of(queue), "decision": "return"}
    )
    assert no_reason.status_code == 400 and "退回指标数值须说明理由" in no_reason.text
    returned = office.post(
        f"/indicator-values/{value_id}/review",
        data={"csrf_token": csrf_of(queue), "decision": "return", "reason": "请附抽查名单"},
    )
    assert returned.status_code == 303
    assert reports_of(server, rate) == [("2023", "returned", "请附抽查名单")]
    mine = eco.get("/my/indicators").text
    assert "请附抽查名单" in mine and "逾期未报" in row_of(mine, rate)  # a returned value does not count

    refiled = report(eco, rate, value="100", source="市生态环境局抽查台账（附名单）")
    assert refiled.status_code == 303
    queue = office.get("/indicators/review").text
    value_id = re.search(r'action="/indicator-values/(\d+)/review"', queue)[1]
    accepted = office.post(
        f"/indicator-values/{value_id}/review", data={"csrf_token": csrf_of(queue), "decision": "accept"}
    )
    assert accepted.status_code == 303 and "indicator_accepted" in accepted.headers["location"]
    after = row_of(eco.get("/my/indicators").text, rate)
    assert "达标" in after and "逾期未报" not in after and "待审核" not in after
    # 2023 accepted: the form offers 2024, the period now owed (review23a: it offered 2023 again)
    mine = eco.get("/my/indicators").text
    assert "本期 2024年" in after
    assert re.search(rf'id="report-{rate}">.*?name="period" value="2024"', mine, re.S)
    assert reports_of(server, rate)[-1][1] == "accepted"
    twice = office.post(
        f"/indicator-values/{value_id}/review", data={"csrf_token": csrf_of(queue), "decision": "accept"}
    )
    assert twice.status_code == 400 and "已审核" in twice.text


def test_bad_values_are_refused_in_chinese_and_other_departments_indicators_with_403(eco, other, server):
    rate = indicator_id(server, "涉固体废物信访、投诉、举报案件办结率")
    bad = report(eco, rate, value="约九成")
    assert bad.status_code == 400 and "指标数值应为数字：「约九成」" in bad.text
    assert 'value="约九成"' in bad.text  # what was typed is kept
    wrong_period = report(eco, rate, value="98", period="2023-Q4")
    assert wrong_period.status_code == 400 and "每年报送一次" in wrong_period.text
    assert reports_of(server, rate) == []

    foreign = report(other, rate, value="98")
    assert foreign.status_code == 403 and "不由本部门牵头" in foreign.text
    no_token = eco.post("/my/indicators", data={"indicator_id": str(rate), "period": "2023", "value": "98"})
    assert no_token.status_code == 403
    assert reports_of(server, rate) == []
    assert other.get("/indicators/review").status_code == 403
    assert eco.get("/indicators/review").status_code == 403


def test_the_excel_form_downloads_prefilled_and_uploads_all_rows_or_none(eco, other, server):
    compensation = indicator_id(server, "固体废物环境污染案件开展生态环境损害赔偿")
    download = eco.get("/my/indicators/form.xlsx")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    sheet = book["指标填报"]
    headers = [c.value for c in sheet[4]]
    value_col, id_col = headers.index("本期数值") + 1, headers.index("指标编号") + 1
    line = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, id_col).value == compensation)

    sheet.cell(line, value_col).value = "不详"
    broken = io.BytesIO()
    book.save(broken)
    csrf = csrf_of(eco.get("/my/indicators").text)
    refused = eco.post(
        "/my/indicators/form", data={"csrf_token": csrf}, files={"file": ("指标.xlsx", broken.getvalue())}
    )
    assert refused.status_code == 400
    assert f"第{line}行" in refused.text and "本期数值" in refused.text and "不详" in refused.text
    assert reports_of(server, compensation) == []

    sheet.cell(line, value_col).value = 100
    good = io.BytesIO()
    book.save(good)
    mine_only = other.post(
        "/my/indicators/form",
        data={"csrf_token": csrf_of(other.get("/my/indicators").text)},
        files={"file": ("指标.xlsx", good.getvalue())},
    )
    assert mine_only.status_code == 400 and "这是「市生态环境局」的指标填报表，本部门不能上传" in mine_only.text
    assert reports_of(server, compensation) == []

    not_excel = eco.post("/my/indicators/form", data={"csrf_token": csrf}, files={"file": ("指标.xlsx", b"hello")})
    assert not_excel.status_code == 400 and reports_of(server, compensation) == []

    filed = eco.post("/my/indicators/form", data={"csrf_token": csrf}, files={"file": ("指标.xlsx", good.getvalue())})
    assert filed.status_code == 303 and "indicator_form_filed" in filed.headers["location"]
    assert reports_of(server, compensation) == [("2023", "submitted", None)]

    # The same file again (review23a: the whole file was refused): the row is skipped, said on the page.
    again = eco.post("/my/indicators/form", data={"csrf_token": csrf}, files={"file": ("指标.xlsx", good.getvalue())})
    assert again.status_code == 200
    assert (
        f"未报送新的指标数值；第{line}行：指标" in again.text and "已报送（待审核），与表中相同，已跳过" in again.text
    )
    assert reports_of(server, compensation) == [("2023", "submitted", None)]


@pytest.mark.backend_independent
def test_in_chromium_a_liaison_reports_the_office_accepts_and_the_light_changes_with_its_reason(new_page, server):
    """Backend-independent (run once, in the SQLite pass): what Chromium adds is the pages' forms
    and buttons as a person uses them; reporting, accepting and the light that follows are proven on
    both databases over HTTP by test_a_liaison_reports_a_value_the_office_returns_then_accepts_and_the_light_follows."""
    disposal = indicator_id(server, "县级以上城市建成区医疗废物无害化处置率")
    liaison = new_page(server.url)
    sign_in_page(liaison, "eco", lands_on="/my/tasks")
    liaison.click("a:has-text('指标填报')")
    liaison.wait_for_url("**/my/indicators")
    row = liaison.locator(f"#indicator-{disposal}")
    assert "逾期未报" in row.inner_text() and "尚无数值" in row.inner_text()
    form = liaison.locator(f"#report-{disposal}")
    form.locator("input[name=value]").fill("100")
    form.locator("input[name=source]").fill("市卫生健康委员会医疗废物处置台账")
    form.locator("input[name=caliber]").fill("县级以上城市建成区")
    form.locator("button:has-text('报送')").click()
    liaison.wait_for_url("**/my/indicators?notice=indicator_filed")
    assert "已报送指标数值" in liaison.inner_text("main")
    assert "待审核" in liaison.locator(f"#indicator-{disposal}").inner_text()

    office = new_page(server.url)
    sign_in_page(office, "office", lands_on="/dashboard")
    office.click("a:has-text('审核指标')")
    office.wait_for_url("**/indicators/review")
    card = office.locator("article", has_text="县级以上城市建成区医疗废物无害化处置率")
    assert "市卫生健康委员会医疗废物处置台账" in card.inner_text()
    card.locator("button:has-text('采纳')").click()
    office.wait_for_url("**/indicators/review?notice=indicator_accepted")
    office.screenshot(path="/tmp/wufei-indicator-review.png", full_page=True)

    liaison.goto("/my/indicators")
    after = liaison.locator(f"#indicator-{disposal}").inner_text()
    assert "达标" in after and "逾期未报" not in after and "待审核" not in after
    assert "已采纳" in liaison.inner_text("main")
    liaison.screenshot(path="/tmp/wufei-my-indicators.png", full_page=True)
