"""Shapes of round 16's unseen documents (tests/importers/unseen7/), each by its mechanism: a table whose rows a copy
ran together on one line, cells parted by spaces (a forum's copy, a news site's repost in one <p>); a web page, Word
file or PDF in which nothing else was read has its paragraphs read as a text copy's table (cells one a <p>); problems
numbered 一是… each closed by its owners take the 整改措施/整改目标/整改时限 lines under them, even run on in one
line; a web page's buttons (【打印本页】【关闭窗口】) are no part of a task. The documents here are made up apart
from the folder's, so the rules are proved on text they were not written for."""

from __future__ import annotations

from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.importers.readers.html import read_html
from wufei.importers.service import read_source

EXPECTED = [
    ("建设厨余垃圾就地处理设施", ("区城管局",), ("区商务局", "各街道办事处")),
    ("开展废旧家电回收进社区活动", ("区商务局",), ("区供销社",)),
    ("完成工业园区固体废物台账建设", ("区生态环境分局",), ("区工信局",)),
]
DEADLINES = ["2025年5月底前", "2025年8月底前", "2025年全年"]


def _deadlines(path: Path) -> list[str | None]:
    return [task.deadline_raw for task in read_source(path).plans[0].tasks]


def test_a_table_run_together_on_one_line_with_single_spaces_is_read(tmp_path: Path):
    path = tmp_path / "帖子.txt"
    path.write_text(
        "某区2025年“无废城市”建设任务分工表\n"
        "楼主 发表于 2025-1-6\n"
        "序号 工作任务 牵头单位 配合单位 完成时限 1 建设厨余垃圾就地处理设施 区城管局 区商务局、各街道办事处 "
        "2025年5月底前 2 开展废旧家电回收进社区活动 区商务局 区供销社 2025年8月底前 3 完成工业园区固体废物台账建设 "
        "区生态环境分局 区工信局 2025年全年\n"
        "回复 举报\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_rows_run_together_go_on_over_the_lines_opened_by_the_next_number(tmp_path: Path):
    path = tmp_path / "帖子.txt"
    path.write_text(
        "某区2025年“无废城市”建设任务分工表\n"
        "序号 工作任务 牵头单位 配合单位 完成时限 1 建设厨余垃圾就地处理设施 区城管局 区商务局、各街道办事处 "
        "2025年5月底前\n"
        "2 开展废旧家电回收进社区活动 区商务局 区供销社 2025年8月底前 3 完成工业园区固体废物台账建设 区生态环境分局 "
        "区工信局 2025年全年\n"
        "以上任务请各单位认真落实。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_a_table_pasted_into_one_paragraph_of_a_web_page_is_read(tmp_path: Path):
    cells = [
        "序号", "工作任务", "牵头单位", "配合单位", "完成时限",
        "1", "建设厨余垃圾就地处理设施", "区城管局", "区商务局、各街道办事处", "2025年5月底前",
        "2", "开展废旧家电回收进社区活动", "区商务局", "区供销社", "2025年8月底前",
        "3", "完成工业园区固体废物台账建设", "区生态环境分局", "区工信局", "2025年全年",
    ]  # fmt: skip
    path = tmp_path / "转载.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>某区2025年“无废城市”建设任务分工表</h1>"
        f"<p>来源：某区融媒体中心</p><p>{'&nbsp;&nbsp;'.join(cells)}</p></body></html>",
        encoding="utf-8",
    )
    assert read_html(path).tables == []  # no table in the page: the paragraph is read as a text copy's
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_a_web_page_whose_cells_became_paragraphs_is_read_one_cell_a_line(tmp_path: Path):
    rows = [
        ["工作任务", "责任领导", "责任单位", "完成时间"],
        ["建设厨余垃圾就地处理设施", "张副区长", "区城管局、区商务局、各街道办事处", "2025年5月底前"],
        ["开展废旧家电回收进社区活动", "李副区长", "区商务局、区供销社", "2025年8月底前"],
        ["完成工业园区固体废物台账建设", "王副区长", "区生态环境分局、区工信局", "2025年全年"],
    ]
    paragraphs = "".join(f"<p>{cell}</p>" for row in rows for cell in row)
    path = tmp_path / "任务.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        f"<p><strong>某区2025年“无废城市”建设任务清单</strong></p>{paragraphs}</body></html>",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED  # the leader (a person) is no owner
    assert _deadlines(path) == DEADLINES


def test_a_web_page_read_from_its_paragraphs_is_not_read_again_as_a_table(tmp_path: Path):
    """Guard: the text-copy reading is for pages nothing else was read from."""
    path = tmp_path / "要点.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>某区2025年“无废城市”建设工作要点</h1>"
        "<p>序号</p><p>工作任务</p><p>牵头单位</p>"
        "<p>1.建设厨余垃圾就地处理设施。（区城管局牵头，区商务局配合）</p></body></html>",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("建设厨余垃圾就地处理设施", ("区城管局",), ("区商务局",))]


def test_problems_numbered_yi_shi_closed_by_owners_take_their_rectification_lines(tmp_path: Path):
    path = tmp_path / "整改.txt"
    path.write_text(
        "某区固体废物问题整改方案\n"
        "一、问题及整改\n"
        "一是餐饮单位厨余垃圾混投现象较多。（区城管局；区市场监管局）\n"
        "整改措施：开展餐饮单位分类投放专项检查，建立问题台账。\n"
        "整改时限：2025年6月底前\n"
        "二是建筑垃圾消纳能力不足。（区住建局；区自然资源分局）\n"
        "整改目标：建成建筑垃圾资源化利用项目1个。\n"
        "整改时限：2025年12月底前\n"
        "二、保障措施\n"
        "各单位要压实责任，按期完成整改。\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert resolved_tasks(path) == [
        ("餐饮单位厨余垃圾混投现象较多", ("区城管局",), ("区市场监管局",)),
        ("建筑垃圾消纳能力不足", ("区住建局",), ("区自然资源分局",)),
    ]
    assert [t.deadline_raw for t in plan.tasks] == ["2025年6月底前", "2025年12月底前"]
    assert "建立问题台账" in (plan.tasks[0].content or "")  # the measure is the problem's content


def test_a_rectification_target_and_its_deadline_run_on_in_one_line_under_a_numbered_problem(tmp_path: Path):
    path = tmp_path / "督办.txt"
    path.write_text(
        "某区生态环境问题整改督办清单\n"
        "1.河道沿岸存在生活垃圾堆放点（责任单位：区水利局、区城管局）\n"
        "整改目标：清理全部堆放点并建立巡河保洁制度。整改时限：2025年4月30日前\n"
        "2.部分小区大件垃圾长期未清运（责任单位：区城管局）\n"
        "整改措施：设置大件垃圾临时堆放点，每周清运一次。整改时限：立行立改\n"
        "【打印本页】【关闭窗口】\n",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert resolved_tasks(path) == [
        ("河道沿岸存在生活垃圾堆放点", ("区水利局",), ("区城管局",)),
        ("部分小区大件垃圾长期未清运", ("区城管局",), ()),
    ]
    assert [t.deadline_raw for t in plan.tasks] == ["2025年4月30日前", "立行立改"]  # no page buttons in it


def test_a_run_together_table_may_follow_its_caption_on_the_same_line(tmp_path: Path):
    path = tmp_path / "帖子.txt"
    path.write_text(
        "某区2025年“无废城市”建设任务分工\n"
        "附件：任务分工表 序号 工作任务 牵头单位 配合单位 完成时限 1 建设厨余垃圾就地处理设施 区城管局 "
        "区商务局、各街道办事处 2025年5月底前 2 开展废旧家电回收进社区活动 区商务局 区供销社 2025年8月底前 "
        "3 完成工业园区固体废物台账建设 区生态环境分局 区工信局 2025年全年\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_a_header_on_its_own_line_over_rows_run_together_on_the_next(tmp_path: Path):
    path = tmp_path / "帖子.txt"
    path.write_text(
        "某区2025年“无废城市”建设任务分工表\n"
        "序号 工作任务 牵头单位 配合单位 完成时限\n"
        "1 建设厨余垃圾就地处理设施 区城管局 区商务局、各街道办事处 2025年5月底前 2 开展废旧家电回收进社区活动 "
        "区商务局 区供销社 2025年8月底前 3 完成工业园区固体废物台账建设 区生态环境分局 区工信局 2025年全年\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_a_single_space_table_one_row_a_line_is_still_read_a_row_a_line(tmp_path: Path):
    """Guard: rows each on their own line (round 9's single-space table) are no rows run together. Row 1 holding
    a number among its words is proved in test_run_together_rows (a number beyond the header's width)."""
    path = tmp_path / "帖子.txt"
    path.write_text(
        "某区2025年“无废城市”建设任务分工表\n"
        "序号 工作任务 牵头单位 配合单位 完成时限\n"
        "1 建设厨余垃圾就地处理设施 区城管局 区商务局、各街道办事处 2025年5月底前\n"
        "2 开展废旧家电回收进社区活动 区商务局 区供销社 2025年8月底前\n"
        "3 完成工业园区固体废物台账建设 区生态环境分局 区工信局 2025年全年\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES


def test_rows_run_together_each_with_its_header_words_before_its_cells(tmp_path: Path):
    """A phone page's copy of a table: every row repeats the header's words before its cells."""
    rows = [
        ["1", "建设厨余垃圾就地处理设施", "区城管局", "区商务局、各街道办事处", "2025年5月底前"],
        ["2", "开展废旧家电回收进社区活动", "区商务局", "区供销社", "2025年8月底前"],
        ["3", "完成工业园区固体废物台账建设", "区生态环境分局", "区工信局", "2025年全年"],
    ]
    labels = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    run = [" ".join(f"{label} {cell}" for label, cell in zip(labels, row)) for row in rows]
    path = tmp_path / "手机版.txt"
    path.write_text(f"某区2025年“无废城市”建设任务分工表\n{run[0]} {run[1]}\n{run[2]}\n返回顶部\n", encoding="utf-8")
    assert resolved_tasks(path) == EXPECTED
    assert _deadlines(path) == DEADLINES
