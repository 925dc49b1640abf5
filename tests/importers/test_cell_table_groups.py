"""Indicator tables copied from a web page one cell per line with a blank line after every line: the group
columns before 序号 printed once as a numbered heading and its name, sub-items under an indicator's name,
one target per sub-item, an empty cell printed as a second blank line (issue 11, round 5)."""

from __future__ import annotations

from pathlib import Path

from wufei.importers.service import read_source
from wufei.importers.text.tables import find_tables


def spaced_lines(*lines: str) -> str:
    """Every line followed by a blank one; None-free: "" adds one more blank line (an empty cell)."""
    out: list[str] = []
    for line in lines:
        if line:
            out += [line, ""]
        else:
            out.append("")
    return "\n".join(out)


HEADER = ("类别", "序号", "指标名称", "单位", "目标值", "指标属性")
TABLE = spaced_lines(
    "某县绿色发展示范指标",
    *HEADER,
    "（一）",
    "资源利用",
    "1",
    "一般工业固体废物综合利用率",
    "%",
    "≥85",
    "约束性",
    "2",
    "秸秆综合利用率",
    "%",
    "≥92",
    "约束性",
    "3",
    "节水型单位建设",
    "-",
    "推进",
    "参考性",
    "（二）",
    "城乡环境",
    "4",
    "城镇污水处理率",
    "城区",
    "乡镇",
    "%",
    "≥95",
    "≥70",
    "约束性",
    "5",
    "农村人居环境",
    "卫生厕所普及率",
    "",
    "持续改善，不出现返潮",
    "参考性",
    "6",
    "绿化覆盖率",
    "%",
    "≥40",
    "参考性",
)


def test_group_headings_before_the_number_column_do_not_end_the_table():
    [table] = find_tables(TABLE.split("\n"))
    numbers = [row.cells[1] for row in table.rows if row.cells[1]]
    assert numbers == ["1", "2", "3", "4", "5", "6"]
    headings = [row.cells[0] for row in table.rows if row.cells[0]]
    assert headings == ["（一）资源利用", "（二）城乡环境"]


def test_a_second_blank_line_is_an_empty_cell_and_values_under_a_value_are_one_cell():
    [table] = find_tables(TABLE.split("\n"))
    rows = {row.cells[1]: row for row in table.rows if row.cells[1]}
    assert rows["3"].cells[2:] == ["节水型单位建设", "-", "推进", "参考性"]
    assert rows["4"].cells[3] == "%"
    assert rows["4"].raw[4] == "≥95\n≥70"
    assert rows["5"].cells[3] is None
    assert rows["5"].cells[4] == "持续改善，不出现返潮"


def test_sub_items_under_a_name_leave_the_name_its_first_line(tmp_path: Path):
    path = tmp_path / "某县绿色发展示范指标.txt"
    path.write_text(TABLE, encoding="utf-8")
    [plan] = read_source(path).plans
    found = {i.name: (i.unit, i.target_raw, i.definition) for i in plan.indicators}
    assert found["城镇污水处理率"][:2] == ("%", "≥95 ≥70")
    assert "城区；乡镇" in found["城镇污水处理率"][2]
    assert found["农村人居环境"][:2] == (None, "持续改善，不出现返潮")
    assert found["绿化覆盖率"][:2] == ("%", "≥40")
    assert len(plan.indicators) == 6


def test_a_name_broken_inside_a_bracket_stays_one_name(tmp_path: Path):
    text = spaced_lines(
        "序号",
        "指标名称",
        "单位",
        "目标值",
        "1",
        "城市生活垃圾回收利用率\n（含厨余垃圾）",
        "%",
        "≥35",
        "2",
        "建筑垃圾资源化利用率",
        "%",
        "≥50",
        "3",
        "危险废物规范化管理达标率",
        "%",
        "≥90",
    )
    path = tmp_path / "指标.txt"
    path.write_text(text, encoding="utf-8")
    [plan] = read_source(path).plans
    assert plan.indicators[0].name == "城市生活垃圾回收利用率（含厨余垃圾）"
