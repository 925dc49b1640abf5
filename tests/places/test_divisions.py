"""China's administrative divisions: the shipped list, names, namesakes, special areas."""

from __future__ import annotations

from collections import Counter

import pytest

from wufei.places import CITY, COUNTY, PROVINCE, Divisions, DivisionsError, divisions
from wufei.places.divisions import short_names

HENGSHUI_COUNTIES = [
    "桃城区",
    "冀州区",
    "枣强县",
    "武邑县",
    "武强县",
    "饶阳县",
    "安平县",
    "故城县",
    "景县",
    "阜城县",
    "深州市",
]


@pytest.fixture(scope="module")
def china() -> Divisions:
    return divisions()


def test_the_list_has_every_province_prefecture_and_county_of_the_ministrys_count(china):
    levels = Counter(p.level for p in china if not p.special)
    # 民政部: 34 provincial, 333 prefecture-level, 2846 county-level divisions at the end of 2024
    assert levels == {PROVINCE: 34, CITY: 333, COUNTY: 2846}


@pytest.mark.parametrize(
    ("name", "code", "level"),
    [
        ("河北省", "130000", PROVINCE),
        ("河北", "130000", PROVINCE),
        ("衡水市", "131100", CITY),
        ("衡水", "131100", CITY),
        ("桃城区", "131102", COUNTY),
        ("深圳", "440300", CITY),
        ("广西", "450000", PROVINCE),
        ("内蒙古", "150000", PROVINCE),
        ("湘西州", "433100", CITY),
        ("湘西土家族苗族自治州", "433100", CITY),
        ("锡林郭勒盟", "152500", CITY),
        ("和田地区", "653200", CITY),
        ("北京市", "110000", PROVINCE),
        ("渝北区", "500112", COUNTY),
    ],
)
def test_a_place_is_found_by_its_full_or_short_name_with_its_level_and_code(china, name, code, level):
    place = china.find(name)
    assert place is not None
    assert (place.code, place.level) == (code, level)


def test_a_county_has_its_parent_chain_and_a_city_its_counties(china):
    nanshan = china.find("南山区", near=["深圳市"])
    assert [p.name for p in china.chain(nanshan)] == ["南山区", "深圳市", "广东省"]
    assert [p.name for p in china.children(china.find("衡水市"))] == HENGSHUI_COUNTIES


def test_chongqing_has_its_38_districts_and_counties_and_no_new_area_among_them(china):
    chongqing = china.find("重庆市")
    counties = [p.name for p in china.children(chongqing)]
    assert len(counties) == 38
    assert {"江北区", "渝北区", "石柱土家族自治县"} <= set(counties)
    assert "两江新区" not in counties
    assert "两江新区" in [p.name for p in china.children(chongqing, special=True)]


@pytest.mark.parametrize(
    ("name", "near", "parent"),
    [
        ("朝阳区", "北京市", "北京市"),
        ("朝阳区", "长春市", "长春市"),
        ("朝阳区", "吉林省", "长春市"),
        ("新华区", "沧州市", "沧州市"),
        ("新华区", "石家庄", "石家庄市"),
        ("南山区", "广东省", "深圳市"),
    ],
)
def test_a_name_several_places_bear_is_settled_by_a_place_named_nearby(china, name, near, parent):
    assert len(china.named(name)) > 1
    assert china.find(name) is None
    place = china.find(name, near=[near])
    assert china.parent(place).name == parent


def test_a_namesake_is_stored_under_a_name_that_says_which(china):
    beijing = china.find("朝阳区", near=["北京市"])
    assert china.unique_name(beijing) == "北京市朝阳区"
    assert china.named("北京市朝阳区") == (beijing,)
    assert china.unique_name(china.find("桃城区")) == "桃城区"
    names = Counter(china.unique_name(p) for p in china)
    assert [name for name, n in names.items() if n > 1] == []


def test_a_short_name_means_a_province_or_city_before_a_county(china):
    assert [p.name for p in china.named("河北")] == ["河北省"]  # not 天津市河北区
    assert {p.name for p in china.named("吉林")} == {"吉林省", "吉林市"}  # both wide: a person decides


def test_the_special_areas_of_the_zero_waste_lists_are_places(china):
    xiongan = china.find("雄安新区")
    assert (xiongan.level, xiongan.code, xiongan.special, china.parent(xiongan).name) == (CITY, None, True, "河北省")
    assert xiongan.government == "雄安新区管理委员会"
    assert china.find("中新天津生态城").parent == "120000"
    assert china.find("北京经济技术开发区").level == COUNTY
    # the 十四五 list's 8 special areas (2022-04-24); 大理市 is 大理白族自治州's
    for name in ("雄安新区", "兰州新区", "光泽县", "兰考县", "昌江黎族自治县", "大理市", "神木市", "博乐市"):
        assert china.find(name) is not None, name
    assert china.find("光明区").code == "440311"


def test_special_areas_are_not_counted_among_a_provinces_cities(china):
    assert "雄安新区" not in [p.name for p in china.children(china.find("河北省"))]
    assert len(china.children(china.find("河北省"))) == 11


@pytest.mark.parametrize(
    ("char", "places"),
    [
        ("冀", {"河北省"}),
        ("京", {"北京市"}),
        ("衡", {"衡水市", "衡阳市"}),
        ("穗", {"广州市"}),
        ("保", {"保定市", "保山市"}),
        ("苏", {"江苏省", "苏州市"}),
    ],
)
def test_a_document_numbers_first_character_stands_for_provinces_and_cities(china, char, places):
    assert {p.name for p in china.abbreviated(char)} == places


@pytest.mark.parametrize(
    ("name", "kind", "short"),
    [
        ("广东省", "省", ("广东",)),
        ("宁夏回族自治区", "自治区", ("宁夏",)),
        ("西藏自治区", "自治区", ("西藏",)),
        ("博尔塔拉蒙古自治州", "自治州", ("博尔塔拉州", "博尔塔拉")),
        ("昌江黎族自治县", "自治县", ("昌江县", "昌江")),
        ("景县", "县", ()),
        ("香港特别行政区", "特别行政区", ("香港",)),
    ],
)
def test_short_names(name, kind, short):
    assert short_names(name, kind) == short


def test_mentions_count_places_named_in_running_text_but_not_generic_words(china):
    text = "深圳市南山区人民政府转发广东省通知。深圳加快推进主城区改造，建成县域体系。"
    counts = {china.get(key).name: n for key, n in china.mentions(text).items()}
    assert counts["深圳市"] == 2
    assert counts["广东省"] == 1
    assert "城区" not in counts and "成县" not in counts


def test_a_street_named_after_a_place_is_no_mention_of_it(china):
    # js_baoying_banshishi (tests/corpus, round 19): 衡阳路, a county's street, made the county's summary 衡阳市's.
    text = "在老新建河的西侧至衡阳路河新开引水河道，南京东路步行街改造。静安区街道办事处，衡阳市路灯管理处。"
    counts = {china.get(key).name: n for key, n in china.mentions(text).items()}
    assert "南京市" not in counts
    assert counts["衡阳市"] == 1  # 衡阳市路灯管理处: the full name is the city's
    assert counts["静安区"] == 1  # 静安区街道办事处: the district's sub-district offices


def test_a_word_opened_by_road_or_street_after_a_place_is_a_mention_of_it(china):
    # On main 深圳路径, 重庆路网, … were read as streets named after the places: no mention of them.
    text = (
        "探索深圳路径，完善重庆路网，改造贵阳路灯，湖南路桥集团承建，上海路演推介，打造成都街区。衡阳路南京西路改造。"
    )
    counts = {china.get(key).name: n for key, n in china.mentions(text).items()}
    for name in ("深圳市", "重庆市", "贵阳市", "湖南省", "上海市", "成都市"):
        assert counts.get(name) == 1, name
    assert "衡阳市" not in counts and "南京市" not in counts  # streets still


def test_a_broken_division_file_is_refused_naming_file_and_line(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text("# comment\ncode,name,type,parent\n110000,北京市,直辖市,\n1101,东城区,市辖区,110000\n", "utf-8")
    with pytest.raises(DivisionsError) as error:
        Divisions.load(path, special=None, abbreviations=None)
    assert str(path) in str(error.value) and "第4行" in str(error.value)


def test_a_place_under_an_unknown_parent_is_refused(tmp_path):
    path = tmp_path / "divisions.csv"
    path.write_text("code,name,type,parent\n110101,东城区,市辖区,110000\n", "utf-8")
    with pytest.raises(DivisionsError, match="东城区"):
        Divisions.load(path, special=None, abbreviations=None)
