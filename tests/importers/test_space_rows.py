"""A table copied one row per line with cells parted by single spaces, cells the page wrapped keeping a
space where they broke; several supporting columns; collectives sharing their bodies."""

from __future__ import annotations

from wufei.departments.owners import split_names
from wufei.importers.document import Document
from wufei.importers.text.document import interpret
from wufei.importers.text.space_rows import fit_pieces
from wufei.importers.text.tables import find_tables

LINES = [
    "某市全面推行林长制主要任务分解表",
    "",
    "序号 类别 主要任务 具体措施 牵头单位 参与单位 责任单位",
    "1 加强森林资源保 护 严格林地用途管制 落实林地保护利用规划,严格控制征占用林地。到2025年,全市林地保有量不低于"
    "120万亩。 市林业局 市自然资源局、市发展改革委等 各县(市、区)人民政府",
    "2  推进国土绿化 行动 实施重点区域绿化工程,推进村庄绿化美化。 市林业局 市住房城乡建设局 各县(市、区)人民政府",
    "",
    "三、保障措施",
]


def test_rows_parted_by_single_spaces_are_put_back_into_the_header_columns():
    [table] = find_tables(LINES)
    assert table.header == ["序号", "类别", "主要任务", "具体措施", "牵头单位", "参与单位", "责任单位"]
    first, second = table.rows
    assert first.cells[:3] == ["1", "加强森林资源保护", "严格林地用途管制"]
    assert first.cells[4:] == ["市林业局", "市自然资源局、市发展改革委等", "各县(市、区)人民政府"]
    assert second.cells[:3] == ["2", None, "推进国土绿化行动"]  # two spaces: the merged 类别 cell
    assert table.doubts == []


def test_the_wrap_that_fits_a_page_is_taken_and_a_row_that_fits_none_is_flagged():
    assert fit_pieces(["3", "建设监测", "站点", "市林业局"], 3) == (["3", "建设监测站点", "市林业局"], True)
    cells, sure = fit_pieces(["4", "市林业局", "市生态环境局", "市水利局"], 3)
    assert len(cells) == 3 and not sure  # no wrap a page makes joins two units' names


def test_such_a_table_is_read_into_tasks_and_every_supporting_column_supports():
    document = Document(path="林长制.txt", format="text", lines=LINES, tables=find_tables(LINES))
    first, second = interpret(document).tasks
    assert (first.title, first.category, first.leads) == ("严格林地用途管制", "加强森林资源保护", ("市林业局",))
    assert first.supporting == ("市自然资源局", "市发展改革委", "各县（市、区）人民政府")
    assert (second.title, second.supporting) == ("推进国土绿化行动", ("市住房城乡建设局", "各县（市、区）人民政府"))


def test_a_place_before_the_bodies_it_shares_and_a_body_without_its_place_stay_one_name():
    assert split_names("各县(市、区)党委和人民政府,经济技术开发区、高新区党工委和管委会") == (
        "各县（市、区）党委和人民政府",
        "经济技术开发区、高新区党工委和管委会",
    )
    assert split_names("市城管局、高新区") == ("市城管局", "高新区")
    assert split_names("市生态环境局和市住建局") == ("市生态环境局", "市住建局")
