"""A unit printed in a value column's header (2025年目标值（万吨）) is every indicator's unit when the table
has no unit column of its own (issue 11, round 5)."""

from __future__ import annotations

from wufei.importers.document import GRID, Row, Table
from wufei.importers.text.table_records import records_from_tables


def grid(header: list[str], *rows: list[str | None]) -> Table:
    return Table(
        header=header,
        rows=[Row(cells=list(cells), line=3, raw=list(cells), where=f"表1第{k + 2}行") for k, cells in enumerate(rows)],
        caption=[],
        start_line=3,
        layout=GRID,
        where="表1",
    )


def indicators(table: Table) -> list[tuple[str, str | None, str | None, str | None]]:
    records = records_from_tables([table], "某市固体废物指标.docx").indicators
    return [(i.name, i.unit, i.baseline_raw, i.target_raw) for i in records]


def test_the_target_headers_unit_is_the_unit_of_every_row():
    table = grid(
        ["序号", "指标名称", "2020年（万吨）", "2025年目标值（万吨）"],
        ["1", "一般工业固体废物产生量", "120", "110"],
        ["2", "工业危险废物利用处置量", "3.5", "4.2"],
    )
    assert indicators(table) == [
        ("一般工业固体废物产生量", "万吨", "120", "110"),
        ("工业危险废物利用处置量", "万吨", "3.5", "4.2"),
    ]


def test_a_baseline_headers_unit_serves_when_the_target_header_names_a_year():
    table = grid(["序号", "指标名称", "现状值(%)", "目标值(2025年)"], ["1", "秸秆综合利用率", "88", "92"])
    assert indicators(table) == [("秸秆综合利用率", "%", "88", "92")]


def test_a_unit_column_or_a_unit_in_the_name_wins_over_the_header():
    with_column = grid(
        ["指标名称", "单位", "目标值（万吨）"], ["新增绿色建筑面积", "万平方米", "120"], ["绿色矿山", "个", "12"]
    )
    assert [unit for _, unit, _, _ in indicators(with_column)] == ["万平方米", "个"]
    in_name = grid(["指标名称", "目标值（万吨）"], ["城市建成区绿地率(%)", "40"], ["再生资源回收量", "85"])
    assert [unit for _, unit, _, _ in indicators(in_name)] == ["%", "万吨"]


def test_a_header_bracket_that_is_no_unit_gives_none():
    table = grid(["指标名称", "目标值（约束性）"], ["受污染耕地安全利用率", "93"], ["污染地块安全利用率", "95"])
    assert [unit for _, unit, _, _ in indicators(table)] == [None, None]
