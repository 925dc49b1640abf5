"""Rows run together on one line when a row number is missing or glued to its text, and a table one row a line
whose first row holds a number among its words (round 18's review of the run-together reader)."""

from __future__ import annotations

from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.importers.records import TaskRecord
from wufei.importers.service import read_source

HEADER = "序号 工作任务 牵头单位 配合单位 完成时限"
ROWS = [
    ("建设厨余垃圾就地处理设施", "区城管局", "区商务局", "2025年5月底前"),
    ("开展废旧家电回收进社区活动", "区商务局", "区供销社", "2025年8月底前"),
    ("完成工业园区固体废物台账建设", "区生态环境分局", "区工信局", "2025年全年"),
    ("推进建筑垃圾资源化利用项目", "区住建局", "区发改局", "2025年10月底前"),
    ("开展医疗废物收运专项检查", "区卫健局", "区生态环境分局", "2025年11月底前"),
]


def _row(number: int, *, glued: bool = False) -> str:
    task, lead, support, deadline = ROWS[number - 1]
    return f"{number}{'' if glued else ' '}{task} {lead} {support} {deadline}"


def _text(task: TaskRecord) -> str:
    return "".join(filter(None, [task.title, task.content, task.owners_raw, task.deadline_raw]))


TITLE = "某区2025年“无废城市”建设任务分工表"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "帖子.txt"
    path.write_text(f"{TITLE}\n{body}\n", encoding="utf-8")
    return path


def test_a_row_number_glued_to_its_text_does_not_pull_the_later_rows_into_the_row_before(tmp_path: Path):
    """Row 2 reads ``2开展…``: row 1 takes it (no cut is possible there) but rows 3 to 5 are rows of their
    own again, and the table's doubt says which number was not found and that rows may be merged."""
    rows = " ".join(_row(n, glued=n == 2) for n in range(1, 6))
    path = _write(tmp_path, f"{HEADER} {rows}")
    plan = read_source(path).plans[0]
    tasks = resolved_tasks(path)
    assert [task.number for task in plan.tasks] == ["1", "3", "4", "5"]
    assert tasks[1:] == [(task, (lead,), (support,)) for task, lead, support, _ in ROWS[2:]]
    assert [task.deadline_raw for task in plan.tasks[1:]] == [deadline for *_, deadline in ROWS[2:]]
    assert ROWS[1][0] in _text(plan.tasks[0])
    doubts = [doubt.message for doubt in plan.doubts]
    assert any("序号2未单独出现" in message and "并为一行" in message for message in doubts), doubts
    # The table is named once, before the message (it said 表格「…」：第2行的表格各行连在一起…).
    assert (
        f"表格「{TITLE}」：各行连在一起，序号2未单独出现（缺失或与文字连写），第2行前后几行可能已并为一行读取，请逐行核对并拆分"
        in doubts
    )


def test_a_row_number_missing_on_a_line_of_its_own_keeps_the_following_lines_in_the_table(tmp_path: Path):
    """Rows 1 and 2 after the header on its line, then a row a line: row 3's line opens with ``3完成…`` (no
    number piece); the line after it, opening with 4, still continues the table."""
    lines = [f"{HEADER} {_row(1)} {_row(2)}", _row(3, glued=True), _row(4), _row(5)]
    path = _write(tmp_path, "\n".join(lines))
    plan = read_source(path).plans[0]
    assert [task.number for task in plan.tasks] == ["1", "2", "4", "5"]
    assert [task.title for task in plan.tasks][2:] == [ROWS[3][0], ROWS[4][0]]


def test_a_row_holding_many_rows_is_kept_as_read_and_flagged(tmp_path: Path):
    """Rows 2 to 5 all glued to their numbers: no number to cut on, so row 1 holds five rows' pieces. It is not
    shared out (far more pieces than columns), kept as read and its doubt says rows may be merged."""
    rows = " ".join(_row(n, glued=n > 1) for n in range(1, 6))
    path = _write(tmp_path, f"{HEADER} {rows}")
    plan = read_source(path).plans[0]
    assert len(plan.tasks) == 1
    assert plan.tasks[0].deadline_raw == ROWS[4][3]  # the last piece read is the last cell, as read
    assert all(task in _text(plan.tasks[0]) for task, *_ in ROWS)
    doubts = [doubt.message for doubt in plan.doubts]
    assert any("并为一行" in message for message in doubts), doubts


def test_a_number_among_row_one_words_beyond_the_header_width_is_no_run_together_table(tmp_path: Path):
    """Row 1 holds a lone 2 far enough along to look like row 2 of rows run together; the line after row 1
    opens with 2, so the table is one row a line and rows 2 and 3 are read."""
    first = "1 建设 厨余垃圾 就地 处理 设施 2 处 区城管局 区商务局 2025年5月底前"
    path = _write(tmp_path, "\n".join([HEADER, first, _row(2), _row(3)]))
    plan = read_source(path).plans[0]
    assert [task.number for task in plan.tasks] == ["1", "2", "3"]
    assert resolved_tasks(path)[1:] == [(task, (lead,), (support,)) for task, lead, support, _ in ROWS[1:3]]


def test_rows_go_on_past_the_thousandth(tmp_path: Path):
    """Guard: rows 1 and 2 after the header on its line, then a row a line up to 1,002; four-digit numbers open
    rows too (the running count must not stop at 999)."""
    task, lead, support, deadline = ROWS[0]
    lines = [
        f"{HEADER} {_row(1)} {_row(2)}",
        *(f"{n} {task}第{n}项 {lead} {support} {deadline}" for n in range(3, 1003)),
    ]
    plan = read_source(_write(tmp_path, "\n".join(lines))).plans[0]
    assert len(plan.tasks) == 1002
    assert plan.tasks[-1].title == f"{task}第1002项"
