"""The interpreter's share of a large import: tables by meaning, owner and deadline grammar.

A 200-page PDF plan must import in under 10 s on 2 cores (issue 11). Reading the PDF is the
reader's part (bench/import_pdf.py); this measures what comes after, on a Document of the size
such a plan gives: 3,000 task rows over 30 Word-style tables (lead, supporting and deadline
columns, section rows, owner clauses and deadlines in every form; no two owner texts alike, so
no cache helps), 600 numbered paragraph tasks
with owner brackets and owner lines, and 600 indicator rows with year columns. Prints the first
`interpret` (what one import costs: owner texts and header words are cached within a process)
and the median of the runs after it, with the records found. The reference is the same
document's lines and cells only walked (normalized), which any interpreter must do.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wufei.importers.document import GRID, Document, Row, Table  # noqa: E402
from wufei.importers.text.document import interpret  # noqa: E402
from wufei.importers.text.normalize import normalize_cell  # noqa: E402

RUNS = 5
TABLES, ROWS, PARAGRAPHS, INDICATORS = 30, 100, 600, 600
LEADS = ["市生态环境局", "市发展改革委", "市工业和信息化局", "市住房城乡建设局", "市商务局", "市农业农村局"]
DEADLINES = ["2023年底前", "2024年6月底", "持续推进", "2022年底前完成试点，2025年底前全面推广", "长期坚持", "2025"]


def _task_table(k: int) -> Table:
    rows = [Row([f"{['一', '二', '三'][k % 3]}、第{k}组任务"] * 5, line=k, where=f"表{k}第2行")]
    for n in range(1, ROWS + 1):
        lead = LEADS[n % len(LEADS)]
        cells = [
            str(n),
            f"推进第{k}-{n}项工作。完善制度，建立台账，开展检查，按季度调度。",
            f"{lead}、{LEADS[(n + 1) % len(LEADS)]}、市第{k * ROWS + n}工作专班",  # every owner text differs
            f"{LEADS[(n + 2) % len(LEADS)]}，各县市区人民政府",
            DEADLINES[n % len(DEADLINES)],
        ]
        rows.append(Row(cells, line=k, raw=list(cells), where=f"表{k}第{n + 2}行"))
    header = ["序号", "重点任务", "责任单位", "配合单位", "完成时限"]
    return Table(header, rows, caption=[f"附件{k}"], start_line=k, layout=GRID, where=f"表{k}")


def _indicator_table() -> Table:
    rows = []
    for n in range(1, INDICATORS + 1):
        cells = [
            str(n),
            f"第{n}项固体废物综合利用率★",
            "%",
            f"{50 + n % 40}",
            f"≥{60 + n % 30}",
            "约束性",
            LEADS[n % 6],
        ]
        rows.append(Row(cells, line=1, raw=list(cells), where=f"指标表第{n + 1}行"))
    header = ["序号", "指标名称", "单位", "2020年", "2025年", "指标属性", "责任单位"]
    return Table(header, rows, caption=["指标体系"], start_line=1, layout=GRID, where="指标表")


def build() -> Document:
    lines = [
        "某市人民政府办公室",
        "某市“十四五”时期“无废城市”建设实施方案",
        "（除标注“分别牵头”外，列第一位为牵头单位，下同）",
    ]
    lines += ["二、主要任务", "（一）源头减量"]
    for n in range(1, PARAGRAPHS + 1):
        lines.append(f"{n}.推进第{n}项任务。到2025年底，建成一批示范项目，完善长效机制。")
        if n % 2:
            lines.append(f"（{LEADS[n % 6]}牵头，{LEADS[(n + 1) % 6]}、{LEADS[(n + 3) % 6]}配合，2024年底前完成）")
        else:
            lines += [f"牵头单位：{LEADS[n % 6]}", f"配合单位：{LEADS[(n + 2) % 6]}", "完成时限：2023年6月底前"]
    lines += ["三、保障措施", "加强组织领导。"]
    lines += [""] * (TABLES + 1)
    return Document("bench.docx", "docx", lines, [_task_table(k) for k in range(1, TABLES + 1)] + [_indicator_table()])


def walk(document: Document) -> int:
    count = sum(len(normalize_cell(line) or "") for line in document.lines)
    for table in document.tables:
        for row in table.rows:
            count += sum(len(normalize_cell(cell) or "") for cell in row.cells)
    return count


def main() -> None:
    document = build()
    times, walks = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        plan = interpret(document)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        walk(document)
        walks.append(time.perf_counter() - started)
    doubts = sum(len(r.doubts) for r in plan.tasks + plan.indicators) + len(plan.doubts)
    print(
        f"interpret a plan of {len(plan.tasks)} tasks and {len(plan.indicators)} indicators: "
        f"first run {times[0]:.2f} s, then {statistics.median(times[1:]):.2f} s median of {RUNS - 1} "
        f"({doubts} doubts); reference, walking its lines and cells: {statistics.median(walks):.2f} s"
    )


if __name__ == "__main__":
    main()
