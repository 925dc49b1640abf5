"""Paths of the shipped seed documents."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
HENGSHUI_PLAN = SEEDS / "衡政办字〔2022〕57号.txt"
BAODING_PLAN = SEEDS / "保政办函〔2022〕50号.txt"
HEBEI_PLAN = SEEDS / "河北省十四五时期无废城市建设工作方案.txt"
EVALUATION = SEEDS / "衡水市生态环境保护十四五规划中期评估.txt"
CELLS_REPLY = SEEDS / "衡环办函〔2025〕28号.txt"
ALL_SEEDS = [CELLS_REPLY, HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN, EVALUATION]


def table_cells(lines: list[str]) -> list[str]:
    """Cells of a 001-style table read simply (independent of the importers): a tab starts a
    cell, a line without one continues it."""
    cells: list[str] = []
    previous_blank = False
    for line in lines:
        stripped = line.strip()
        if line.startswith("\t"):
            cells.append(stripped)
        elif stripped and cells and (not previous_blank or stripped.startswith("（")):
            cells[-1] += stripped
        elif stripped:
            break
        previous_blank = not stripped
    return cells
