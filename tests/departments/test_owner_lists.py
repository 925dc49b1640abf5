"""Owner lists as publishers print them: collectives with their own 、, joiners, closing words, 责任单位 alone."""

from __future__ import annotations

import pytest

from wufei.departments.owners import parse_owners, split_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("市交通运输局，各县、市、区人民政府", ("市交通运输局", "各县、市、区人民政府")),
        ("省民政厅、各州、市人民政府", ("省民政厅", "各州、市人民政府")),
        ("各市、县（区）人民政府、省财政厅", ("各市、县（区）人民政府", "省财政厅")),
        ("各县（市）、区政府", ("各县（市）、区政府",)),
        ("各盟、旗人民政府", ("各盟、旗人民政府",)),
        ("市水务局、区政府", ("市水务局", "区政府")),  # a unit named after a list is not a fragment
        ("各社区、区直各部门", ("各社区", "区直各部门")),  # 区直各部门 is no collective's last part
    ],
)
def test_a_collective_keeps_its_own_separators(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("区环卫所及各社区居委会", ("区环卫所", "各社区居委会")),
        ("市教育局和市体育局", ("市教育局", "市体育局")),
        ("县林业局与县水利局", ("县林业局", "县水利局")),
        # a 和 inside one agency's name, or what cannot stand alone, is no join
        ("区自然资源和规划局", ("区自然资源和规划局",)),
        ("市工业和信息化局", ("市工业和信息化局",)),
        ("市生态环境局及其派出机构", ("市生态环境局及其派出机构",)),
        ("各级党委和政府", ("各级党委和政府",)),
    ],
)
def test_two_units_joined_by_ji_or_he_are_two_names(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("市文化旅游局、市体育局等部门", ("市文化旅游局", "市体育局")),
        ("市卫健委等相关部门", ("市卫健委",)),
        ("县农业农村局等有关单位", ("县农业农村局",)),
        ("市财政局等", ("市财政局",)),
    ],
)
def test_a_closing_deng_bumen_is_not_part_of_the_last_name(text, names):
    assert split_names(text) == names


def test_a_lone_zeren_danwei_list_names_the_lead_first_and_the_units_supporting_it():
    spec = parse_owners("责任单位：县住建局、县自然资源局、县城管局")
    assert (spec.leads, spec.supporting) == (("县住建局",), ("县自然资源局", "县城管局"))
    beside = parse_owners("牵头单位：县住建局；责任单位：县自然资源局、县城管局")
    assert (beside.leads, beside.supporting) == (("县住建局",), ("县自然资源局", "县城管局"))
    by_duty = parse_owners("责任单位：县住建局、县城管局按职责分工负责")
    assert (by_duty.leads, by_duty.supporting) == (("县住建局", "县城管局"), ())


def test_the_manner_between_names_and_verb_is_not_part_of_a_name():
    spec = parse_owners("县“无废城市”建设工作领导小组各成员单位按职责分别牵头")
    assert spec.leads == ("县“无废城市”建设工作领导小组各成员单位",)
    assert spec.doubts == ()
    assert parse_owners("市民政局按照职责牵头，市财政局配合").leads == ("市民政局",)


def test_units_every_task_involves_are_implementers_and_no_division_is_no_owner():
    spec = parse_owners("省交通运输厅、省商务厅按职责分工负责。具体任务均涉及各市（州）人民政府，不再做分工")
    assert spec.leads == ("省交通运输厅", "省商务厅")
    assert spec.supporting == ()
    assert spec.implementers == ("各市（州）人民政府",)


def test_an_announcement_for_later_tasks_names_nobody():
    spec = parse_owners(
        "市水务局牵头，市农业农村局参与，各区县政府负责落实。以下各项工作均需各区县政府落实，不再列出。"
    )
    assert (spec.leads, spec.supporting, spec.implementers) == (("市水务局",), ("市农业农村局",), ("各区县政府",))
    assert spec.doubts == ()
