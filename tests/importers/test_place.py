"""The place a document belongs to: from its issuing body, title, signature, document number or body."""

from __future__ import annotations

from pathlib import Path

import pytest

from wufei.importers.readers.text import read_text
from wufei.importers.text.document import interpret
from wufei.importers.text.metadata import document_metadata
from wufei.importers.text.place import document_place

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
# A task table in a seed's layout, so a document is readable whatever its front matter.
TASKS = ["任务清单", "", "\t序号", "\t任务名称", "\t完成期限", "\t责任主体", "", "\t1", "\t建立固体废物台账"]
TASKS += ["\t2024年底", "\t牵头单位：市生态环境局", ""]


def interpreted(tmp_path: Path, lines: list[str]):
    path = tmp_path / "方案.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return interpret(read_text(path))


def place(lines: list[str]):
    meta = document_metadata(lines)
    return document_place(issuer=meta.issuer, title=meta.title, doc_number=meta.doc_number, lines=lines)


@pytest.mark.parametrize(
    ("seed", "name", "found_in"),
    [
        ("衡政办字〔2022〕57号.txt", "衡水市", "发文机关"),
        ("保政办函〔2022〕50号.txt", "保定市", "发文机关"),
        ("河北省十四五时期无废城市建设工作方案.txt", "河北省", "标题"),
        ("衡水市生态环境保护十四五规划中期评估.txt", "衡水市", "标题"),
        ("衡环办函〔2025〕28号.txt", "衡水市", "发文机关"),
    ],
)
def test_the_seeds_keep_their_places_without_doubts(seed, name, found_in):
    found = place((SEEDS / seed).read_text(encoding="utf-8").split("\n"))
    assert (found.name, found.found_in, found.doubts) == (name, found_in, ())


@pytest.mark.parametrize(
    ("front", "name"),
    [
        # a city outside Hebei, by its government's office and by a bureau
        (["深圳市人民政府办公厅", "深府办函〔2022〕88号", "深圳市“无废城市”建设实施方案"], "深圳市"),
        (["深圳市生态环境局", "关于印发《深圳市塑料污染治理工作方案》的通知"], "深圳市"),
        # a province, an autonomous region, an autonomous prefecture by full and short name
        (["广东省人民政府办公厅", "广东省“十四五”时期“无废城市”建设工作方案"], "广东省"),
        (["广西壮族自治区人民政府办公厅", "广西“无废城市”建设工作方案"], "广西壮族自治区"),
        (["湘西土家族苗族自治州人民政府办公室", "湘西州“无废城市”建设实施方案"], "湘西土家族苗族自治州"),
        (["湘西州“无废城市”建设实施方案"], "湘西土家族苗族自治州"),
        # Chongqing's districts and counties, a county of Hebei, a county-level city
        (["重庆市渝北区人民政府办公室", "渝北区“无废城市”建设工作方案"], "渝北区"),
        (["重庆市“十四五”时期“无废城市”建设工作方案"], "重庆市"),
        (["景县人民政府", "景县“无废城市”建设工作方案"], "景县"),
        (["深州市人民政府办公室", "深州市“无废城市”建设工作方案"], "深州市"),
        # special areas of the Zero-Waste lists
        (["雄安新区管理委员会", "河北雄安新区“无废城市”建设实施方案"], "雄安新区"),
        (["中新天津生态城“无废城市”建设实施方案"], "中新天津生态城"),
        # a district plan naming its city
        (["深圳市南山区人民政府办公室", "南山区“无废城市”建设工作方案"], "深圳市南山区"),
        (["中共北京市朝阳区委办公室", "北京市朝阳区人民政府办公室", "朝阳区“无废城市”建设实施方案"], "北京市朝阳区"),
    ],
)
def test_the_place_is_read_from_the_issuing_body_or_the_title(front, name):
    found = place(front + ["为推进“无废城市”建设，制定本方案。"] + TASKS)
    assert (found.name, found.doubts) == (name, ())


def test_a_namesake_district_is_settled_by_the_document_number():
    found = place(["南山区人民政府办公室", "深南府办〔2022〕3号", "南山区“无废城市”建设工作方案"] + TASKS)
    assert (found.name, found.doubts) == ("深圳市南山区", ())


def test_a_namesake_district_is_settled_by_its_city_named_in_the_body():
    lines = [
        "朝阳区人民政府",
        "朝阳区“无废城市”建设实施方案",
        "按照长春市“无废城市”建设总体部署，结合长春实际，制定本方案。",
    ]
    assert place(lines + TASKS).name == "长春市朝阳区"


def test_a_namesake_district_with_nothing_around_it_is_a_doubt_naming_both():
    found = place(["朝阳区人民政府", "朝阳区“无废城市”建设实施方案"] + TASKS)
    assert found.name is None
    [doubt] = found.doubts
    assert doubt.field == "jurisdiction"
    assert "北京市朝阳区" in doubt.message and "长春市朝阳区" in doubt.message


def test_a_province_abbreviation_in_the_document_number_gives_the_province():
    found = place(["冀政办字〔2022〕5号", "“无废城市”建设工作方案", "现印发给你们。"] + TASKS)
    assert (found.name, found.found_in, found.doubts) == ("河北省", "文号", ())


def test_a_city_abbreviation_two_cities_share_is_settled_by_the_body():
    lines = ["衡政办字〔2022〕57号", "“无废城市”建设实施方案", "全市各县区要按照衡水市统一部署推进。"]
    found = place(lines + TASKS)
    assert (found.name, found.found_in, found.doubts) == ("衡水市", "文号", ())


def test_a_city_abbreviation_two_cities_share_with_nothing_else_is_a_doubt():
    found = place(["衡政办字〔2022〕57号", "“无废城市”建设实施方案"] + TASKS)
    assert found.name is None
    [doubt] = found.doubts
    assert "衡水市" in doubt.message and "衡阳市" in doubt.message
    assert doubt.text == "衡政办字〔2022〕57号"


def test_the_signature_above_the_date_names_the_place():
    body = [f"（{n}）推进第{n}项工作。" for n in range(1, 30)]  # the signature is past the front matter
    lines = ["“无废城市”建设工作要点", "一、工作任务", *body, *TASKS, "", "石家庄市生态环境局", "2023年5月8日"]
    found = place(lines)
    assert (found.name, found.found_in) == ("石家庄市", "落款")


def test_a_place_only_the_body_names_is_taken_with_a_doubt():
    lines = ["“无废城市”建设实施方案", "拉萨市全域推进，拉萨市各县区落实，西藏自治区指导。", "拉萨市统筹。"]
    found = place(lines + TASKS)
    assert found.name == "拉萨市"
    [doubt] = found.doubts
    assert "拉萨市" in doubt.message and "请核对" in doubt.message


def test_a_body_naming_many_places_alike_gives_no_place():
    lines = ["“无废城市”建设工作方案", "深圳市、重庆市、湖南省、广东省等地先行先试。", "重庆市、深圳市经验推广。"]
    found = place(lines + TASKS)
    assert found.name is None
    assert "无法确定文件所属地区" in found.doubts[0].message


def test_no_place_at_all_is_a_doubt_and_the_plan_is_still_read(tmp_path):
    lines = ["“无废城市”建设实施方案", "为推进工作，制定本方案。"] + TASKS
    found = place(lines)
    assert found.name is None
    assert "无法确定文件所属地区" in found.doubts[0].message
    plan = interpreted(tmp_path, lines)
    assert plan.jurisdiction is None
    assert {d.field for d in plan.doubts} == {"jurisdiction", "period"}  # neither is written anywhere
    assert len(plan.tasks) == 1


def test_a_title_beginning_with_a_word_that_is_also_a_county_name_names_no_place():
    found = place(["城区生活垃圾分类工作方案", "为推进工作，制定本方案。"] + TASKS)
    assert found.name is None


def test_the_interpreter_carries_the_place_and_its_doubt_into_the_plan(tmp_path):
    plan = interpreted(tmp_path, ["朝阳区人民政府", "朝阳区“无废城市”建设实施方案"] + TASKS)
    assert plan.jurisdiction is None
    assert plan.doubts[0].as_dict()["field_cn"] == "地区"
