"""What is only known for a whole document: owners on every record, deadlines in task text,
unique numbers, and doubts about the plan itself."""

from __future__ import annotations

from wufei.importers.document import GRID, Document, Row, Table
from wufei.importers.text.document import interpret


def _document(lines: list[str], tables: list[Table] | None = None) -> Document:
    return Document(path="方案.txt", format="text", lines=lines, tables=tables or [])


def _table(*rows: list[str]) -> Table:
    return Table(
        header=["序号", "重点任务", "牵头单位"],
        rows=[Row(cells=list(cells), line=20 + k, raw=list(cells)) for k, cells in enumerate(rows)],
        caption=["重点任务清单"],
        start_line=19,
        layout=GRID,
    )


BODY = [
    "某市“十四五”时期“无废城市”建设实施方案",
    "二、主要任务",
    "1.建设焚烧设施。到2025年底，建成生活垃圾焚烧厂。（市城管局负责）",
    "2.完善统计制度。截至2021年底已建立台账，2023年底前完善。（市统计局牵头，市生态环境局配合）",
    "3.推进回收。完善网络。（市商务局市供销社市生态环境局牵头）",
    "三、保障措施",
]


def test_owners_are_parsed_on_every_record():
    plan = interpret(_document(BODY))
    first, second, _ = plan.tasks
    assert (first.leads, first.supporting) == (("市城管局",), ())
    assert (second.leads, second.supporting) == (("市统计局",), ("市生态环境局",))


def test_a_name_that_could_not_be_split_is_a_doubt_on_the_record():
    plan = interpret(_document(BODY))
    third = plan.tasks[2]
    assert [(d.field, d.text) for d in third.doubts] == [("leads", "市商务局市供销社市生态环境局")]


def test_a_deadline_in_the_task_text_is_the_deadline_when_none_is_printed():
    plan = interpret(_document(BODY))
    first, second, third = plan.tasks
    assert first.deadline_raw == "2025年底"
    assert second.deadline_raw == "2023年底前"  # 截至2021年底 tells the past
    assert third.deadline_raw is None


def test_a_task_table_beside_numbered_paragraphs_keeps_both_with_a_doubt_on_each_repeated_number():
    plan = interpret(_document(BODY, [_table(["1", "开展宣传", "市委宣传部"], ["4", "开展培训", "市人社局"])]))
    numbers = [(t.number, t.title) for t in plan.tasks]
    assert numbers[-2:] == [("1-2", "开展宣传"), ("4", "开展培训")]
    assert [d.field for d in plan.tasks[-2].doubts] == ["record"]
    assert plan.tasks[-1].doubts == []


def test_a_plan_whose_period_cannot_be_found_carries_a_doubt():
    lines = ["深圳市“无废城市”建设实施方案", "二、主要任务", "1.建设设施。（市城管局负责）", "三、保障措施"]
    plan = interpret(_document(lines))
    assert [d.field for d in plan.doubts] == ["period"]
    assert plan.tasks[0].deadline_raw is None
