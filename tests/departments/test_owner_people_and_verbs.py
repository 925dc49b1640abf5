"""Words in owner texts that are not owners: people and posts under a label, verbs after the names."""

from __future__ import annotations

import pytest

from wufei.departments.owners import parse_owners


@pytest.mark.parametrize(
    ("raw", "leads", "supporting"),
    [
        ("责任领导：王建国；牵头单位：县发改局", ("县发改局",), ()),
        ("责任领导：王建国、李红；牵头单位：县财政局、县税务局", ("县财政局", "县税务局"), ()),
        ("分管副县长：赵明；牵头单位：县商务局；责任单位：县统计局、各乡镇", ("县商务局",), ("县统计局", "各乡镇")),
        ("牵头领导：常务副县长；主要责任单位：县住建局", ("县住建局",), ()),
        ("牵头县领导：钱亮；责任单位：县文旅局、县交通局", ("县文旅局",), ("县交通局",)),
        ("责任人：孙伟；责任单位：县水利局", ("县水利局",), ()),
    ],
)
def test_a_person_or_a_post_under_a_label_is_nobody_s_owner(raw, leads, supporting):
    spec = parse_owners(raw)
    assert (spec.leads, spec.supporting) == (leads, supporting)
    assert spec.doubts == ()


def test_a_label_naming_only_a_person_leaves_the_task_unassigned():
    assert parse_owners("责任领导：王建国").unassigned


@pytest.mark.parametrize(
    ("raw", "leads", "supporting", "implementers"),
    [
        # 指导 / 统筹 say who answers for it, like 负责; 负责落实 names who carries it out
        ("农业农村部指导，试点县政府负责落实", ("农业农村部",), (), ("试点县政府",)),
        ("市交通局统筹，各区政府负责落实", ("市交通局",), (), ("各区政府",)),
        ("市科技局指导，各园区管委会配合", ("市科技局",), ("各园区管委会",), ()),
        # beside a 牵头 clause, the guiding unit is not the lead
        ("省商务厅牵头，省财政厅指导", ("省商务厅",), ("省财政厅",), ()),
        ("市政府各部门分别负责", ("市政府各部门",), (), ()),
    ],
)
def test_verbs_after_the_names_give_their_role(raw, leads, supporting, implementers):
    spec = parse_owners(raw)
    assert (spec.leads, spec.supporting, spec.implementers) == (leads, supporting, implementers)


def test_units_by_duty_without_a_verb_lead_and_the_collectives_after_them_support():
    spec = parse_owners("责任单位：市住建局、市城管局、市水利局等按职责分工，各县（市）区政府、经开区管委会")
    assert spec.leads == ("市住建局", "市城管局", "市水利局")
    assert spec.supporting == ("各县（市）区政府", "经开区管委会")
    spec = parse_owners("省教育厅、省体育局按照职责分工")
    assert (spec.leads, spec.supporting) == (("省教育厅", "省体育局"), ())


def test_a_preposition_before_the_first_name_is_no_part_of_it():
    spec = parse_owners("由县城管局牵头，各乡镇配合")
    assert (spec.leads, spec.supporting) == (("县城管局",), ("各乡镇",))


def test_a_convention_in_brackets_after_the_names_applies_to_them():
    spec = parse_owners("县委组织部、县人社局（列第一位的为牵头单位）")
    assert (spec.leads, spec.supporting) == (("县委组织部",), ("县人社局",))


def test_huitong_makes_the_first_lead_and_the_units_it_works_with_support():
    spec = parse_owners("县住建局会同县自然资源局、县城管局负责，各乡镇落实")
    assert (spec.leads, spec.supporting, spec.implementers) == (
        ("县住建局",),
        ("县自然资源局", "县城管局"),
        ("各乡镇",),
    )
