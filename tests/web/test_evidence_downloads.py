"""Evidence of indicator values and 无废细胞 opened from the portal (review23a: stored but never
openable), under the weekly reports' rules: the office and leaders any, a liaison only its own
department's; downloads never cached."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.conftest import csrf_of
from wufei.indicators.models import IndicatorReport

PDF = b"%PDF-1.4 evidence of a value"
USED = (  # the indicators tests/web/test_indicators.py reports
    "固体废物环境污染案件开展生态环境损害赔偿",
    "县级以上城市建成区医疗废物无害化处置率",
    "危险废物规范化管理抽查合格率",
    "涉固体废物信访、投诉、举报案件办结率",
)


def _fetched(client, link: str, body: bytes) -> None:
    response = client.get(link)
    assert response.status_code == 200, response.text
    assert response.content == body
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["cache-control"] == "private, no-store"


def test_an_indicator_values_evidence_opens_from_the_review_queue_for_its_readers_only(
    eco, other, office, leader, server
):
    page = eco.get("/my/indicators").text
    rows = re.findall(r'<tr id="indicator-(\d+)">.*?<td>([^<]+)<div', page, re.S)
    indicator = next(int(i) for i, name in reversed(rows) if not name.strip().startswith(USED))
    period = re.search(rf'id="report-{indicator}">.*?name="period" value="([^"]+)"', page, re.S)[1]
    filed = eco.post(
        "/my/indicators",
        data={"csrf_token": csrf_of(page), "indicator_id": str(indicator), "period": period, "value": "12"},
        files={"evidence": ("抽查台账.pdf", PDF, "application/pdf")},
    )
    assert filed.status_code == 303, filed.text

    queue = office.get("/indicators/review").text
    link = re.search(r'<a href="(/indicator-evidence/\d+)">抽查台账.pdf</a>', queue)[1]
    for reader in (office, leader, eco):
        _fetched(reader, link, PDF)
    assert other.get(link).status_code == 403
    # Accepted, so the shared review queue is as other tests expect it (they review its first value).
    with server.engine.connect() as connection:
        value = connection.execute(
            select(IndicatorReport.id).where(IndicatorReport.indicator_id == indicator)
        ).scalar_one()
    accepted = office.post(
        f"/indicator-values/{value}/review", data={"csrf_token": csrf_of(queue), "decision": "accept"}
    )
    assert accepted.status_code == 303


def test_a_cells_evidence_opens_from_its_page_for_its_readers_only(eco, other, office, leader, server):
    token = csrf_of(office.get("/cells").text)
    data = {"csrf_token": token, "jurisdiction": "衡水市", "name": "景县生态园", "category": "无废景区"}
    data |= {"county": "景县", "department": "市生态环境局", "on": "2024-03-04"}
    registered = office.post("/cells/add", data=data)
    assert registered.status_code == 303, registered.text
    cell = int(re.search(r"/cells/(\d+)", registered.headers["location"])[1])
    page = office.get(f"/cells/{cell}").text
    moved = office.post(
        "/cells/advance",
        data={"csrf_token": csrf_of(page), "cell_id": str(cell), "state": "创建中", "on": "2024-04-01", "reason": ""},
        files={"evidence": ("创建方案.pdf", PDF, "application/pdf")},
    )
    assert moved.status_code == 303, moved.text

    link = re.search(r'<a href="(/cell-evidence/\d+)">创建方案.pdf</a>', office.get(f"/cells/{cell}").text)[1]
    assert link in eco.get(f"/cells/{cell}").text
    for reader in (office, leader, eco):
        _fetched(reader, link, PDF)
    assert other.get(link).status_code == 403
