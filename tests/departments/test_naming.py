"""One way to name a department (wufei/departments/naming.py), over the Hengshui, Baoding and Hebei seeds."""

from __future__ import annotations

import pytest

from tests.conftest import rolled_back, seeded_database
from tests.seed_files import BAODING_PLAN, HEBEI_PLAN, HENGSHUI_PLAN
from wufei.departments.naming import (
    DepartmentNameError,
    matching_departments,
    qualified_name,
    resolve_department,
    resolve_departments,
)


@pytest.fixture(scope="module")
def three_plans(tmp_path_factory, registry):
    engine = seeded_database(tmp_path_factory.mktemp("naming"), registry, [HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN])
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(three_plans):
    with rolled_back(three_plans) as session:  # naming only reads: one import for the module
        yield session


def test_the_qualified_name_picks_the_place(seeded):
    hengshui = resolve_department(seeded, "衡水市/市商务局")
    baoding = resolve_department(seeded, "保定市/市商务局")
    assert hengshui.id != baoding.id
    assert (qualified_name(hengshui), qualified_name(baoding)) == ("衡水市/市商务局", "保定市/市商务局")
    assert resolve_department(seeded, " 衡水市 ／ 市商务局 ").id == hengshui.id  # full-width slash, spaces
    assert resolve_department(seeded, "衡水/市商务局").id == hengshui.id  # the place without 市
    assert resolve_department(seeded, "河北省/衡水市/市商务局").id == hengshui.id  # a higher place first


def test_an_alias_means_its_department_qualified_or_bare(seeded):
    full = resolve_department(seeded, "衡水市/市发展和改革委员会")
    assert resolve_department(seeded, "衡水市/市发展改革委").id == full.id
    assert full.name == "市发展和改革委员会"


def test_a_bare_name_several_places_share_lists_every_candidate(seeded):
    with pytest.raises(DepartmentNameError) as caught:
        resolve_department(seeded, "市商务局")
    message = str(caught.value)
    assert message.startswith("「市商务局」对应多个部门：")
    assert "衡水市/市商务局" in message and "保定市/市商务局" in message and "请写明地区" in message
    assert {qualified_name(d) for d in caught.value.candidates} >= {"衡水市/市商务局", "保定市/市商务局"}


def test_the_callers_context_settles_a_shared_name(seeded):
    hengshui = resolve_department(seeded, "衡水市/市商务局")
    assert resolve_department(seeded, "市商务局", prefer={hengshui.id}).id == hengshui.id


def test_a_bare_name_only_one_place_has_is_enough(seeded):
    [only] = matching_departments(seeded, "桃城区人民政府")
    assert resolve_department(seeded, "桃城区人民政府").id == only.id
    assert qualified_name(only) == "衡水市/桃城区人民政府"


def test_an_unknown_name_is_refused_with_close_names(seeded):
    with pytest.raises(DepartmentNameError, match="找不到部门「衡水市/商务局」。是否指：.*衡水市/市商务局"):
        resolve_department(seeded, "衡水市/商务局")
    with pytest.raises(DepartmentNameError, match="找不到部门「石家庄市/市商务局」"):
        resolve_department(seeded, "石家庄市/市商务局")
    with pytest.raises(DepartmentNameError, match="请写明部门名称"):
        resolve_department(seeded, "  ")
    assert matching_departments(seeded, "/市商务局") == []


def test_several_names_in_one_field(seeded):
    found = resolve_departments(seeded, "衡水市/市商务局、衡水市/市发展改革委，衡水市/市商务局")
    assert [qualified_name(d) for d in found] == ["衡水市/市商务局", "衡水市/市发展和改革委员会"]
    assert resolve_departments(seeded, "") == []
