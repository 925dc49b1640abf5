"""Any place of China has its departments without a registry file: the standard agencies by level,
the governments of the places under it and the collectives naming them; registry files still win."""

from __future__ import annotations

import pytest

from wufei.departments.agencies import Naming, agency_names
from wufei.departments.registry import Registry, ResolutionKind
from wufei.places import divisions


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def unit(registry, name, place):
    found = registry.resolve(name, place)
    assert found.kind is ResolutionKind.UNIT, (name, place, found.warning)
    assert found.warning is None, found.warning
    return found.canonical, found.jurisdiction, found.unit_kind


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("市生态环境局", "市生态环境局"),
        ("深圳市生态环境局", "市生态环境局"),
        ("市环保局", "市生态环境局"),
        ("市发改委", "市发展和改革委员会"),
        ("市发展改革委", "市发展和改革委员会"),
        ("市住建局", "市住房和城乡建设局"),
        ("市城管局", "市城市管理综合行政执法局"),
        ("市城市管理和综合执法局", "市城市管理综合行政执法局"),
        ("市规划和自然资源局", "市自然资源和规划局"),
        ("市卫健委", "市卫生健康委员会"),
        ("市市场监管局", "市市场监督管理局"),
        ("市文化广电旅游体育局", "市文化广电和旅游局"),
        ("国家税务总局深圳市税务局", "市税务局"),
        ("市委宣传部", "市委宣传部"),
        ("市政府办公室", "市人民政府办公室"),
    ],
)
def test_a_city_outside_hebei_has_the_standard_agencies_with_their_short_forms(registry, written, canonical):
    assert unit(registry, written, "深圳市") == (canonical, "深圳市", "bureau")


@pytest.mark.parametrize(
    ("written", "place", "canonical", "kind"),
    [
        ("省生态环境厅", "广东省", "省生态环境厅", "provincial_dept"),
        ("广东省发展和改革委员会", "广东省", "省发展和改革委员会", "provincial_dept"),
        ("省住建厅", "广东省", "省住房和城乡建设厅", "provincial_dept"),
        ("自治区生态环境厅", "广西壮族自治区", "自治区生态环境厅", "provincial_dept"),
        ("区生态环境厅", "广西壮族自治区", "自治区生态环境厅", "provincial_dept"),
        ("州生态环境局", "湘西土家族苗族自治州", "州生态环境局", "bureau"),
        ("湘西州住房和城乡建设局", "湘西土家族苗族自治州", "州住房和城乡建设局", "bureau"),
        ("盟生态环境局", "锡林郭勒盟", "盟生态环境局", "bureau"),
        ("区生态环境局", "深圳市南山区", "区生态环境局", "bureau"),
        ("县发改委", "景县", "县发展和改革局", "bureau"),
        ("县发展和改革委员会", "景县", "县发展和改革局", "bureau"),
        ("县卫生健康局", "景县", "县卫生健康局", "bureau"),
        ("市生态环境局", "重庆市", "市生态环境局", "bureau"),  # a municipality names them as a city
        ("团市委", "深圳市", "团市委", "outside"),
        ("共青团深圳市委员会", "深圳市", "团市委", "outside"),
        ("团区委", "广西壮族自治区", "团区委", "outside"),
        ("人行深圳市中心支行", "深圳市", "中国人民银行深圳市分行", "outside"),
        ("深圳银保监分局", "深圳市", "国家金融监督管理总局深圳监管分局", "outside"),
        ("区人民政府", "深圳市南山区", "区人民政府", "county_gov"),
        ("新区生态环境局", "雄安新区", "新区生态环境局", "bureau"),
    ],
)
def test_departments_are_named_by_level_and_prefix(registry, written, place, canonical, kind):
    assert unit(registry, written, place) == (canonical, place, kind)


def test_a_provincial_department_named_in_a_city_document_is_the_provinces(registry):
    assert unit(registry, "广东省生态环境厅", "深圳市") == ("省生态环境厅", "广东省", "provincial_dept")
    assert unit(registry, "市生态环境局", "深圳市南山区") == ("市生态环境局", "深圳市", "bureau")


def test_the_leadership_group_has_its_office_in_the_ecology_bureau(registry):
    canonical, _, kind = unit(registry, "深圳市“无废城市”建设工作领导小组", "深圳市")
    assert (canonical, kind) == ("市“无废城市”建设工作领导小组", "group")
    assert registry.unit(canonical, "深圳市").office == "市生态环境局"
    assert unit(registry, '市"无废城市"建设领导小组办公室', "深圳市")[0] == canonical


def test_county_governments_of_a_city_come_from_the_division_data(registry):
    assert unit(registry, "南山区人民政府", "深圳市") == ("南山区人民政府", "深圳市", "county_gov")
    assert unit(registry, "光明区政府", "深圳市")[0] == "光明区人民政府"
    collective = registry.resolve("各区人民政府", "深圳市")
    assert collective.kind is ResolutionKind.COLLECTIVE
    districts = ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区", "龙华区", "坪山区", "光明区"]
    assert collective.members == tuple(f"{n}人民政府" for n in districts)


@pytest.mark.parametrize(
    "written", ["各县（市、区）人民政府", "各县(市、区)政府", "各县市区人民政府", "各县区政府", "各县（市、区）"]
)
def test_every_county_government_collective_expands_to_the_citys_counties(registry, written):
    # 石家庄市 has no registry file: its 22 county-level units come from the division data
    resolution = registry.resolve(written, "石家庄市")
    assert resolution.kind is ResolutionKind.COLLECTIVE
    assert len(resolution.members) == 22
    assert "新华区人民政府" in resolution.members and "辛集市人民政府" in resolution.members


def test_some_county_governments_are_a_pick(registry):
    resolution = registry.resolve("有关区县人民政府", "重庆市")
    assert resolution.kind is ResolutionKind.PICK
    assert len(resolution.members) == 38
    assert "渝北区人民政府" in resolution.members


def test_a_provinces_city_governments_expand_with_its_autonomous_prefecture(registry):
    resolution = registry.resolve("各市（州）人民政府", "湖南省")
    assert resolution.kind is ResolutionKind.COLLECTIVE
    assert len(resolution.members) == 14
    assert "湘西土家族苗族自治州人民政府" in resolution.members
    assert unit(registry, "湘西州人民政府", "湖南省") == ("湘西土家族苗族自治州人民政府", "湖南省", "city_gov")


def test_a_special_area_is_a_zone_of_the_place_it_is_under(registry):
    assert unit(registry, "兰州新区管委会", "甘肃省") == ("兰州新区管理委员会", "甘肃省", "zone")
    assert "兰州新区管理委员会" not in registry.resolve("各市（州）人民政府", "甘肃省").members


@pytest.mark.parametrize("written", ["各有关部门", "有关单位", "相关企业", "市直有关部门", "各相关部门、单位"])
def test_names_that_assign_nobody_are_unassigned_anywhere(registry, written):
    assert registry.resolve(written, "深圳市").kind is ResolutionKind.UNASSIGNED


def test_an_unknown_name_is_kept_with_close_matches_from_the_standard_names(registry):
    resolution = registry.resolve("市生态环境厅", "深圳市")
    assert resolution.kind is ResolutionKind.UNKNOWN
    assert resolution.suggestions[0] == "市生态环境局"
    assert "未识别的单位「市生态环境厅」（深圳市）" in resolution.warning


def test_a_bare_agency_name_is_read_at_the_documents_level_with_a_warning(registry):
    resolution = registry.resolve("生态环境局", "深圳市南山区")
    assert (resolution.canonical, resolution.jurisdiction) == ("区生态环境局", "深圳市南山区")
    assert "请核对" in resolution.warning


def test_the_registry_files_win_over_the_standard_names(registry):
    # hengshui.yaml spells the collective and its members; baoding.yaml's collective has no member
    # registered yet, so the places registry's county governments answer for it
    assert registry.resolve("各县（市、区）人民政府", "衡水市").canonical == "各县市区人民政府"
    assert registry.resolve("各县（市、区）政府", "保定市").canonical == "各县（市、区）人民政府"
    assert unit(registry, "省发展和改革委员会", "河北省")[0] == "省发展改革委"
    # what the file does not list, the standard names still answer
    assert unit(registry, "市应急管理局", "衡水市") == ("市应急管理局", "衡水市", "bureau")
    assert unit(registry, "省民政厅", "衡水市") == ("省民政厅", "河北省", "provincial_dept")


def test_any_place_is_a_jurisdiction_with_its_parent(registry):
    nanshan = registry.jurisdiction("深圳市南山区")
    assert (nanshan.level, nanshan.parent, nanshan.key, nanshan.source) == ("county", "深圳市", "440305", None)
    assert registry.jurisdiction("深圳市").parent == "广东省"
    assert registry.jurisdiction("440300").name == "深圳市"
    assert registry.jurisdiction("雄安新区").parent == "河北省"
    assert registry.jurisdiction("hengshui").source is not None
    assert registry.jurisdiction("衡水").source is not None  # a short name finds the registry file too
    assert registry.places_named("朝阳区") == ("北京市朝阳区", "长春市朝阳区")
    with pytest.raises(KeyError):
        registry.jurisdiction("朝阳区")


def test_every_kind_of_place_gets_a_registry_without_clashing_names():
    china = divisions()
    registry = Registry.load()
    sample = {}
    for place in china:
        sample.setdefault((place.kind, place.level), place)
    for place in sample.values():
        name = china.unique_name(place)
        government = registry.resolve("人民政府", name)
        if place.kind == "特别行政区":
            assert government.kind is ResolutionKind.UNKNOWN  # Hong Kong and Macau have other bodies
        else:
            assert (government.kind, government.jurisdiction) == (ResolutionKind.UNIT, name), name


def test_agency_names_are_written_for_the_place():
    names = {a.name: a for a in agency_names(Naming("city", "市", "深圳市", "深圳"))}
    assert "市生态环境局" in names and "团市委" in names and "中国人民银行深圳市分行" in names
    assert "市环保局" in names["市生态环境局"].aliases
    county = {a.name for a in agency_names(Naming("county", "区", "南山区", "南山"))}
    assert "区人民法院" in county and "区中级人民法院" not in county and "区邮政管理局" not in county


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("滁州海关", "滁州海关"),
        ("市人行", "中国人民银行滁州市分行"),
        ("市人民银行", "中国人民银行滁州市分行"),
        ("市烟草专卖局", "市烟草专卖局"),
        ("国网滁州供电公司", "国网滁州供电公司"),
        ("市供电公司", "国网滁州供电公司"),
    ],
)
def test_vertically_managed_offices_and_the_grid_are_supporting_units_anywhere(registry, written, canonical):
    # Plans name them among the supporting units (customs for imported waste, the tobacco bureau for
    # its packaging, the grid for solar panels); without a registry file they were 未识别的单位.
    assert unit(registry, written, "滁州市") == (canonical, "滁州市", "outside")


@pytest.mark.parametrize("written", ["市人民医院", "滁州学院", "市中医院"])
def test_an_unknown_name_is_not_offered_units_it_shares_only_the_place_or_renmin_with(registry, written):
    # 市人民医院 was offered 市人民检察院 and 市人民政府; 滁州学院 the city's government (by 滁州 alone);
    # 市中医院 the court, by its two-character alias 市中院.
    resolution = registry.resolve(written, "滁州市")
    assert resolution.kind is ResolutionKind.UNKNOWN
    assert resolution.suggestions == ()
    assert "请在登记表中补充" in resolution.warning


@pytest.mark.parametrize(
    ("written", "first"),
    [("滁州市生态环保局", "市生态环境局"), ("市市监局", "市市场监督管理局"), ("省生态环保厅", "省生态环境厅")],
)
def test_an_unknown_name_is_offered_the_unit_whose_own_words_are_close_at_its_level_first(registry, written, first):
    assert registry.resolve(written, "滁州市").suggestions[0] == first


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("合肥海关", "合肥海关"),
        ("合肥市生态环境局", "合肥市生态环境局"),
        ("琅琊区城管局", "琅琊区城市管理综合行政执法局"),
        ("来安县住建局", "来安县住房和城乡建设局"),
    ],
)
def test_a_unit_named_with_another_places_name_is_that_places_unit_under_its_full_name(registry, written, canonical):
    # In 滁州市's plan: a county's bureau named with its county, a neighbouring city's customs and
    # bureau. They are kept with the plan's units, named with their place: 合肥市生态环境局 is not
    # 滁州市's 市生态环境局, nor 来安县's 县住房和城乡建设局 the county next door's.
    assert unit(registry, written, "滁州市")[:2] == (canonical, "滁州市")
