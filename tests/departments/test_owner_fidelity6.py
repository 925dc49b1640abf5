"""Owner texts met in 政府工作报告 分工 documents (round 6): a lead clause before labels, and units named
as examples of a collective (`A、B等省直有关部门`)."""

from __future__ import annotations

import pytest

from wufei.departments.owners import parse_owners, split_names


@pytest.mark.parametrize(
    ("raw", "leads", "supporting"),
    [
        # a section heading's lead clause joined to the 协同单位 line under an item
        ("市水利局牵头，协同单位：市财政局和各县区人民政府", ("市水利局",), ("市财政局", "各县区人民政府")),
        ("区商务局牵头；配合单位：区市场监管局、区公安分局", ("区商务局",), ("区市场监管局", "区公安分局")),
        # a plain name before a lead label still supports
        ("市城管局，牵头单位：市住建局", ("市住建局",), ("市城管局",)),
    ],
)
def test_a_lead_clause_before_labels_is_read_by_its_grammar(raw, leads, supporting):
    spec = parse_owners(raw)
    assert spec.leads == leads
    assert spec.supporting == supporting
    assert not spec.doubts


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("市教育局、市卫健委等市直有关部门", ("市教育局", "市卫健委", "市直有关部门")),
        ("县农业农村局等县直各单位和各乡镇人民政府", ("县农业农村局", "县直各单位", "各乡镇人民政府")),
        ("省交通运输厅等成员单位", ("省交通运输厅", "成员单位")),
        # 等 closing the list names nobody; 等 inside a name that is no unit stays
        ("市教育局、市卫健委等有关部门", ("市教育局", "市卫健委")),
        ("市教育局、市卫健委等", ("市教育局", "市卫健委")),
        ("平等协商委员会", ("平等协商委员会",)),
    ],
)
def test_units_named_before_a_collective_are_names_of_their_own(text, names):
    assert split_names(text) == names


def test_example_units_keep_their_role():
    spec = parse_owners("市审计局牵头，协同单位：市财政局、市国资委等市直有关部门和各区人民政府")
    assert spec.leads == ("市审计局",)
    assert spec.supporting == ("市财政局", "市国资委", "市直有关部门", "各区人民政府")
