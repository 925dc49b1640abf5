"""The office's 无废细胞 forms over HTTP: register a cell, move it on with the day and evidence of each
change, record an assessment from the category's checklist; what others may not do. Each test
uses cells of its own (the server is shared)."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.web.conftest import csrf_of
from wufei.cells.models import Cell, CellEvent, CellEvidence

PDF = b"%PDF-1.4 creation ledger"


def _cell(server, name: str) -> Cell:
    with server.engine.connect() as connection:
        return connection.execute(select(Cell).where(Cell.name == name)).one()


def _history(server, cell_id: int) -> list[tuple[str, str, str | None, list[str]]]:
    with server.engine.connect() as connection:
        events = connection.execute(
            select(CellEvent.id, CellEvent.to_state, CellEvent.on, CellEvent.reason)
            .where(CellEvent.cell_id == cell_id)
            .order_by(CellEvent.id)
        ).all()
        files = connection.execute(
            select(CellEvidence.event_id, CellEvidence.file_name).where(
                CellEvidence.event_id.in_([e.id for e in events])
            )
        ).all()
    return [
        (str(e.to_state), e.on.isoformat(), e.reason, [name for event, name in files if event == e.id]) for e in events
    ]


def _register(office, name: str, **fields):
    token = csrf_of(office.get("/cells").text)
    data = {"csrf_token": token, "jurisdiction": "衡水市", "name": name, "category": "无废医院", "county": "景县"}
    return office.post("/cells/add", data=data | fields)


def _advance(office, cell_id: int, state: str, on: str, *, reason: str = "", evidence=None):
    token = csrf_of(office.get(f"/cells/{cell_id}").text)
    data = {"csrf_token": token, "cell_id": str(cell_id), "state": state, "on": on, "reason": reason}
    files = {"evidence": evidence or ("", b"", "application/octet-stream")}
    return office.post("/cells/advance", data=data, files=files)


def _assess(office, cell_id: int, scores: list[str], on: str):
    page = office.get(f"/cells/{cell_id}").text
    data = {"csrf_token": csrf_of(page), "cell_id": str(cell_id), "on": on}
    data |= {f"score-{index}": score for index, score in enumerate(scores, start=1)}
    return office.post("/cells/assess", data=data)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_office_takes_a_cell_from_application_to_naming_with_dates_evidence_and_scores(office, server):
    page = office.get("/cells").text
    assert "登记细胞（申报）" in page and '<option value="无废医院">无废医院（市卫生健康委员会）</option>' in page
    registered = _register(office, "景县中医院", address="景县城关镇", on="2024-03-04")
    cell = _cell(server, "景县中医院")
    assert registered.status_code == 303 and registered.headers["location"] == f"/cells/{cell.id}?notice=cell_added"
    assert (cell.county, str(cell.state), cell.state_on.isoformat()) == ("景县", "applied", "2024-03-04")

    moved = _advance(office, cell.id, "创建中", "2024-04-01", evidence=("创建方案.pdf", PDF, "application/pdf"))
    assert moved.status_code == 303 and moved.headers["location"] == f"/cells/{cell.id}?notice=cell_advanced"
    assert _advance(office, cell.id, "assessing", "2024-09-02").status_code == 303
    page = office.get(f"/cells/{cell.id}").text
    assert "评估（2024年9月2日起）" in _text(page) and "创建方案.pdf" in page
    # 命名 is the assessment's to decide: the form offers only 退回 now, and a forged 命名 is refused.
    assert re.findall(r'<option value="(\w+)">', page.split("变更状态")[1]) == ["returned"]
    forged = _advance(office, cell.id, "命名", "2024-09-03")
    assert forged.status_code == 400 and "命名由评估结果决定" in forged.text

    criteria = re.findall(r'aria-label="([^"]+)得分"', page)
    assert len(criteria) == 5  # 无废医院's checklist (categories.yaml)
    named = _assess(office, cell.id, ["14", "25", "18", "16", "12"], "2024-10-08")
    assert named.status_code == 303, _text(named.text)[-300:]
    assert named.headers["location"] == f"/cells/{cell.id}?notice=cell_assessed"
    page = _text(office.get(named.headers["location"]).text)
    assert "命名（2024年10月8日起）" in page and "达到命名线" in page and "已记录评估结果" in page
    assert "变更状态" not in page  # named: nothing more to change
    assert _history(server, cell.id) == [
        ("applied", "2024-03-04", None, []),
        ("building", "2024-04-01", None, ["创建方案.pdf"]),
        ("assessing", "2024-09-02", None, []),
        ("named", "2024-10-08", "评估得分85分（满分100分，得分率85%），命名线80%，达到命名线", []),
    ]


def test_an_assessment_below_the_line_returns_the_cell_and_it_may_apply_again(office, server):
    _register(office, "景县妇幼保健院", on="2024-03-04")
    cell = _cell(server, "景县妇幼保健院")
    _advance(office, cell.id, "创建中", "2024-04-01")
    _advance(office, cell.id, "评估", "2024-09-02")
    unscored = _assess(office, cell.id, ["14", "25", "", "16", "12"], "2024-10-08")
    assert unscored.status_code == 400 and "得分应为数字" in unscored.text
    assert _assess(office, cell.id, ["10", "10", "10", "10", "10"], "2024-10-08").status_code == 303
    page = _text(office.get(f"/cells/{cell.id}").text)
    assert "退回（2024年10月8日起）：评估得分50分" in page and "未达命名线" in page
    returned_twice = _advance(office, cell.id, "退回", "2024-10-09")
    assert returned_twice.status_code == 400 and "不能改为「退回」" in returned_twice.text
    assert _advance(office, cell.id, "申报", "2024-11-01").status_code == 303
    assert str(_cell(server, "景县妇幼保健院").state) == "applied"


def test_bad_forms_are_refused_in_chinese_and_nothing_is_written(office, server):
    duplicate = _register(office, "景县人民医院", on="2024-03-04")
    assert duplicate.status_code == 303
    again = _register(office, "景县人民医院", on="2024-03-05")
    assert again.status_code == 400 and "景县已登记名为「景县人民医院」的细胞" in again.text
    assert "请写明细胞名称" in _register(office, " ", on="2024-03-04").text
    assert "不是衡水市的县（市、区）" in _register(office, "某医院", county="火星区", on="2024-03-04").text
    assert "日期应写作 2024-05-31" in _register(office, "某医院", on="三月四日").text
    cell = _cell(server, "景县人民医院")
    early = _advance(office, cell.id, "创建中", "2024-03-01")
    assert early.status_code == 400 and "新状态的日期不能更早" in early.text
    assert _history(server, cell.id) == [("applied", "2024-03-04", None, [])]


def test_only_the_office_writes_and_a_liaison_sees_only_its_own_cells(office, leader, eco, server):
    _register(office, "景县医院分院", on="2024-03-04")
    cell = _cell(server, "景县医院分院")  # 市卫生健康委员会's, not 市生态环境局's
    assert leader.get(f"/cells/{cell.id}").status_code == 200
    assert "变更状态" not in leader.get(f"/cells/{cell.id}").text  # leaders read
    token = csrf_of(leader.get("/cells").text)
    refused = leader.post("/cells/advance", data={"csrf_token": token, "cell_id": str(cell.id), "state": "创建中"})
    assert refused.status_code == 403
    assert eco.get(f"/cells/{cell.id}").status_code == 403
    assert "登记细胞" not in eco.get("/cells").text
    assert str(_cell(server, "景县医院分院").state) == "applied"
