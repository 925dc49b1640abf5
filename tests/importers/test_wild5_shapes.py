"""Habits of the fifth set of real pages (tests/wild/batch5/, round wild23) and round wild22's leftovers, each by its
mechanism, on made-up texts of the same habit: a cell-a-line table's last row cut by the store inside a cell lacks
its last cells, however many blank lines its rows print."""

from __future__ import annotations

from pathlib import Path

from tests.importers.reading import only_plan as _plan
from wufei.plans.service import owners_of

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
