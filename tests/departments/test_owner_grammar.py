"""The owner grammar beyond the seeds: forms other publishers use, read table-driven."""

from __future__ import annotations

import pytest

from wufei.departments.owners import FIRST_LEADS, owner_convention, parse_owner_columns, parse_owners

CONVENTION = "（除标注“分别牵头”外，列第一位为牵头单位，下同）"


@pytest.mark.parametrize(
    ("raw", "leads", "supporting"),
    [
        # roles said by the clause's last word
        (
            "（市发展改革委、市工业和信息化局牵头，市生态环境局、市商务局参与）",
            ("市发展改革委", "市工业和信息化局"),
            ("市生态环境局", "市商务局"),
        ),
        ("市生态环境局牵头，市发展改革委配合", ("市生态环境局",), ("市发展改革委",)),
        ("市生态环境局牵头，市发展改革委、市财政局等部门配合", ("市生态环境局",), ("市发展改革委", "市财政局")),
        ("市住房城乡建设局负责", ("市住房城乡建设局",), ()),
        ("市住房城乡建设局负责，市城管局配合", ("市住房城乡建设局",), ("市城管局",)),
        ("市发展改革委、市生态环境局分别牵头", ("市发展改革委", "市生态环境局"), ()),
        ("（市商务局牵头）", ("市商务局",), ()),
        ("市商务局为牵头单位，市供销社为配合单位", ("市商务局",), ("市供销社",)),
        ("市商务局牵头，市供销社协助", ("市商务局",), ("市供销社",)),
        ("市商务局牵头，市供销社协办", ("市商务局",), ("市供销社",)),
        ("市商务局牵头，市供销社参加", ("市商务局",), ("市供销社",)),
        # beside a lead, the units responsible by duty support it
        ("市发展改革委牵头，市直有关部门按职责分工负责", ("市发展改革委",), ("市直有关部门",)),
        # a name not followed by a role leads when nobody else does, supports when someone does
        ("市生态环境局，市统计局配合", ("市生态环境局",), ("市统计局",)),
        # labels
        ("（牵头单位：市生态环境局 参加单位：市统计局、市财政局）", ("市生态环境局",), ("市统计局", "市财政局")),
        ("牵头单位：市生态环境局；协助单位：市统计局", ("市生态环境局",), ("市统计局",)),
        ("主办单位：市教育局；协办单位：市团委、市妇联", ("市教育局",), ("市团委", "市妇联")),
        ("主办：市教育局；协办：市团委", ("市教育局",), ("市团委",)),
        ("牵头部门：市农业农村局；参与部门：市乡村振兴局", ("市农业农村局",), ("市乡村振兴局",)),
        # 责任单位 standing alone lists the lead first and the units supporting it after
        ("责任单位：市生态环境局、市统计局", ("市生态环境局",), ("市统计局",)),
        ("牵头单位：市生态环境局；责任单位：市统计局", ("市生态环境局",), ("市统计局",)),
        ("牵头单位：市生态环境局 完成时限：2023年底", ("市生态环境局",), ()),
        ("牵头责任单位：市生态环境局；配合责任单位：市统计局", ("市生态环境局",), ("市统计局",)),
        ("主要责任单位：市生态环境局；其他责任单位：市统计局", ("市生态环境局",), ("市统计局",)),
        # a mark after a name
        ("市生态环境局（牵头）、市统计局、市财政局", ("市生态环境局",), ("市统计局", "市财政局")),
        # collectives stay whole names for the registry
        ("市生态环境局牵头，各县市区人民政府参与", ("市生态环境局",), ("各县市区人民政府",)),
        (
            "市城管局牵头，相关县市区人民政府（含高新区、滨湖新区）、相关企业配合",
            ("市城管局",),
            ("相关县市区人民政府（含高新区、滨湖新区）", "相关企业"),
        ),
        ("各有关部门", (), ()),
        ("市生态环境局、各有关部门", ("市生态环境局",), ("各有关部门",)),
    ],
)
def test_owner_forms(raw, leads, supporting):
    spec = parse_owners(raw)
    assert (spec.leads, spec.supporting) == (leads, supporting)
    assert spec.doubts == ()


def test_units_responsible_by_duty_alone_are_all_co_leads_and_implementers_are_kept():
    spec = parse_owners("省生态环境厅、省发展改革委按职责分工负责，各市政府负责落实")
    assert spec.leads == ("省生态环境厅", "省发展改革委")
    assert spec.implementers == ("各市政府",)
    assert spec.all_co_lead is True
    assert parse_owners("市商务局牵头，市供销社配合").all_co_lead is False


def test_a_convention_is_recognised_and_is_not_an_owner():
    assert owner_convention(CONVENTION) == FIRST_LEADS
    assert owner_convention("各项任务中排在第一位的为牵头单位，其他为配合单位。") == FIRST_LEADS
    assert owner_convention("第一个单位为牵头单位") == FIRST_LEADS
    assert owner_convention("市生态环境局牵头") is None
    spec = parse_owners(CONVENTION)
    assert spec.unassigned and spec.convention == FIRST_LEADS


def test_a_convention_inside_an_owner_bracket_is_dropped_and_applied_to_it():
    spec = parse_owners("（市发展改革委、市生态环境局、市财政局，除标注“分别牵头”外，列第一位为牵头单位，下同）")
    assert spec.leads == ("市发展改革委",)
    assert spec.supporting == ("市生态环境局", "市财政局")
    assert spec.convention == FIRST_LEADS


@pytest.mark.parametrize(
    ("lead", "supporting", "convention", "leads", "supported"),
    [
        ("市生态环境局、市统计局", None, None, ("市生态环境局", "市统计局"), ()),
        ("市生态环境局、市统计局", None, FIRST_LEADS, ("市生态环境局",), ("市统计局",)),
        ("市生态环境局", "市统计局、市财政局", None, ("市生态环境局",), ("市统计局", "市财政局")),
        ("市生态环境局、市统计局", "市财政局", FIRST_LEADS, ("市生态环境局", "市统计局"), ("市财政局",)),
        ("市发展改革委、市生态环境局分别牵头", None, FIRST_LEADS, ("市发展改革委", "市生态环境局"), ()),
        ("市生态环境局牵头，市统计局配合", None, None, ("市生态环境局",), ("市统计局",)),
        ("市生态环境局牵头，市统计局配合", "市财政局", None, ("市生态环境局",), ("市统计局", "市财政局")),
        (None, "市财政局", None, (), ("市财政局",)),
    ],
)
def test_lead_and_supporting_columns(lead, supporting, convention, leads, supported):
    spec = parse_owner_columns(lead, supporting, convention=convention)
    assert (spec.leads, spec.supporting) == (leads, supported)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("牵头单位市生态环境局配合单位市统计局", "leads"),  # labels without colons: nobody can split it
        ("市生态环境局市统计局市财政局市商务局市住房城乡建设局", "leads"),  # names run together
        ("市生态环境局牵头，市统计局配合单位市财政局", "supporting"),
    ],
)
def test_a_name_that_could_not_be_split_with_confidence_is_kept_with_a_doubt(raw, field):
    spec = parse_owners(raw)
    assert [d.field for d in spec.doubts] == [field]
    assert spec.doubts[0].text in spec.leads + spec.supporting
    assert "请核对" in spec.doubts[0].message


def test_under_the_convention_units_responsible_by_duty_are_led_by_the_first():
    raw = "教育部、人力资源社会保障部等按职责分工负责"
    assert parse_owners(raw).leads == ("教育部", "人力资源社会保障部")
    spec = parse_owners(raw, convention=FIRST_LEADS)
    assert (spec.leads, spec.supporting, spec.all_co_lead) == (("教育部",), ("人力资源社会保障部",), False)
    spec = parse_owners("（教育部、人力资源社会保障部等按职责分工负责，列第一位者为牵头单位，下同）")
    assert (spec.leads, spec.supporting) == (("教育部",), ("人力资源社会保障部",))
