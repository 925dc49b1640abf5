from __future__ import annotations

import re
from pathlib import Path

import pytest

from wufei.departments.owners import OwnerSpec, parse_owners, split_names

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
COUNTIES_AND_ZONES = ("各县市区人民政府", "衡水高新区管委会", "滨湖新区管委会")


# --- 001: labelled owners -------------------------------------------------------------------


def test_labelled_owners_split_into_lead_and_supporting_units():
    spec = parse_owners(
        "牵头单位：市生态环境局；配合单位：市统计局，各县市区人民政府、衡水高新区管委会、滨湖新区管委会"
    )
    assert spec.leads == ("市生态环境局",)
    assert spec.supporting == ("市统计局", *COUNTIES_AND_ZONES)
    assert spec.all_co_lead is False


def test_the_typo_lead_label_with_a_stray_men_is_read_as_the_lead_label():
    spec = parse_owners("牵头单位门：市住房城乡建设局；配合单位：各县市区人民政府、衡水高新区管委会、滨湖新区管委会")
    assert spec.leads == ("市住房城乡建设局",)
    assert spec.supporting == COUNTIES_AND_ZONES


def test_several_leads_are_kept_in_order():
    spec = parse_owners("牵头单位：市城管综合行政执法局、市供销社、市市场监督管理局；配合单位：各县市区人民政府")
    assert spec.leads == ("市城管综合行政执法局", "市供销社", "市市场监督管理局")
    assert spec.all_co_lead is False


def test_ascii_colons_and_semicolons_and_the_bumen_label_work_alike():
    expected = (("市生态环境局",), ("市工业和信息化局",))
    for raw in (
        "牵头单位:市生态环境局;配合单位:市工业和信息化局",
        "牵头部门：市生态环境局；配合部门：市工业和信息化局",
        "牵头单位： 市生态环境局 ； 配合单位： 市工业和信息化局。",
    ):
        spec = parse_owners(raw)
        assert (spec.leads, spec.supporting) == expected, raw


def test_a_cell_broken_over_lines_is_read_as_one_text():
    spec = parse_owners("牵头单位：市生态环境局；配合\n单位：各县市区人民政府、衡水\n高新区管委会、滨湖新区管委会")
    assert spec.leads == ("市生态环境局",)
    assert spec.supporting == COUNTIES_AND_ZONES


def test_a_pick_collective_with_a_list_in_parentheses_stays_one_name():
    spec = parse_owners("市生态环境局，相关县市区人民政府（含衡水高新区、滨湖新区）")
    assert spec.supporting == ("相关县市区人民政府（含衡水高新区、滨湖新区）",)


def test_a_company_placeholder_among_supporting_units_is_kept_for_the_registry():
    spec = parse_owners(
        "牵头单位：市工业和信息化局；配合单位：市发展改革委，各县市区人民政府、衡水高新区管委会、"
        "滨湖新区管委会、相关企业"
    )
    assert spec.supporting[-1] == "相关企业"


# --- 002: bracketed owners where 责任部门 supports ---------------------------------------------


def test_baoding_zeren_bumen_is_the_supporting_role():
    spec = parse_owners(
        "〔牵头部门：市生态环境局、市工业和信息化局；责任部门：市发展和改革委员会、市住房和城乡建设局、"
        "市科技局，各县（市、区）政府、开发区管委会〕"
    )
    assert spec.leads == ("市生态环境局", "市工业和信息化局")
    assert spec.supporting == (
        "市发展和改革委员会",
        "市住房和城乡建设局",
        "市科技局",
        "各县（市、区）政府、开发区管委会",
    )


def test_a_bracket_closed_by_an_ascii_square_bracket_is_stripped():
    spec = parse_owners(
        "〔牵头部门：市商务局、市发展和改革委员会；责任部门：市工业和信息化局，各县（市、区）政府、开发区管委会]"
    )
    assert spec.leads == ("市商务局", "市发展和改革委员会")
    assert spec.supporting == ("市工业和信息化局", "各县（市、区）政府、开发区管委会")


def test_baoding_indicator_owners_are_separated_by_spaces():
    spec = parse_owners("市城市管理综合行政执法局 市行政审批局 市自然资源和规划局 市生态环境局")
    assert spec.leads == ("市城市管理综合行政执法局",)
    assert spec.supporting == ("市行政审批局", "市自然资源和规划局", "市生态环境局")


def test_a_name_broken_by_a_stray_space_is_joined_again():
    assert parse_owners("市“无废城市”建设工作 领导小组").leads == ("市“无废城市”建设工作领导小组",)
    assert split_names("市生态 环境局 市统计局") == ("市生态环境局", "市统计局")


def test_the_compound_baoding_collective_is_not_split_on_its_own_separators():
    assert split_names("各县（市、区）政府、开发区管委会") == ("各县（市、区）政府、开发区管委会",)
    assert split_names("市教育局，各县（市、区）政府") == ("市教育局", "各县（市、区）政府")


# --- 003: "按职责分工负责" ------------------------------------------------------------------------


def test_named_units_with_duties_by_division_are_all_co_leads():
    spec = parse_owners("省发展改革委、省工业和信息化厅、省商务厅按职责分工负责")
    assert spec.leads == ("省发展改革委", "省工业和信息化厅", "省商务厅")
    assert spec.supporting == ()
    assert spec.all_co_lead is True


@pytest.mark.parametrize(
    ("raw", "leads"),
    [
        (
            "省生态环境厅、省住房城乡建设厅、省发展改革委等有关部门按职责分工负责",
            ("省生态环境厅", "省住房城乡建设厅", "省发展改革委"),
        ),
        (
            "省发展改革委、省工业和信息化厅、省生态环境厅、省住房城乡建设厅、省农业农村厅、省统计局等按职责分工负责",
            ("省发展改革委", "省工业和信息化厅", "省生态环境厅", "省住房城乡建设厅", "省农业农村厅", "省统计局"),
        ),
        ("省住房城乡建设厅负责", ("省住房城乡建设厅",)),
        ("省农业农村厅、省供销社负责", ("省农业农村厅", "省供销社")),
        ("（省生态环境厅、省卫生健康委按职责分工负责）", ("省生态环境厅", "省卫生健康委")),
        (
            "市商务局、市市场监督管理局、市文化广电和旅游局按照职责分工负责",
            ("市商务局", "市市场监督管理局", "市文化广电和旅游局"),
        ),
    ],
)
def test_every_duty_phrasing_makes_co_leads(raw, leads):
    spec = parse_owners(raw)
    assert spec.leads == leads
    assert spec.all_co_lead is True


def test_the_cities_told_to_carry_out_a_provincial_task_are_implementers():
    spec = parse_owners(
        "省生态环境厅、省工业和信息化厅、省住房城乡建设厅、省农业农村厅、省政务服务管理办公室等部门按职责分工负责，"
        "各市政府、雄安新区管委会负责落实。以下均需各市政府、雄安新区管委会落实，不再列出"
    )
    assert spec.leads == (
        "省生态环境厅",
        "省工业和信息化厅",
        "省住房城乡建设厅",
        "省农业农村厅",
        "省政务服务管理办公室",
    )
    assert spec.implementers == ("各市政府", "雄安新区管委会")
    assert spec.supporting == ()


def test_an_implementers_clause_on_its_own_names_every_implementer():
    spec = parse_owners("各市政府、雄安新区管委会负责落实")
    assert spec.leads == ("各市政府", "雄安新区管委会")
    assert spec.all_co_lead is True


# --- plain lists, single names and nobody ---------------------------------------------------


def test_in_a_plain_list_the_first_named_unit_leads_and_the_rest_support():
    spec = parse_owners("市商务局、市供销社、市生态环境局、市发展改革委，冀州区人民政府")
    assert spec.leads == ("市商务局",)
    assert spec.supporting == ("市供销社", "市生态环境局", "市发展改革委", "冀州区人民政府")
    assert spec.all_co_lead is False


@pytest.mark.parametrize(
    "raw", ["市生态环境局", "市“无废城市”工作领导小组", "中国人民银行衡水市中心支行", " 市文旅局 "]
)
def test_a_single_name_is_the_lead(raw):
    spec = parse_owners(raw)
    assert spec.leads == (raw.strip(),)
    assert spec.supporting == ()


@pytest.mark.parametrize("raw", ["各相关部门", "各相关部门、单位", "负责“无废城市”建设的相关协调部门", None, "", "  "])
def test_text_naming_nobody_leaves_the_owners_unassigned(raw):
    spec = parse_owners(raw)
    assert spec == OwnerSpec((), (), False, raw)
    assert spec.unassigned


def test_a_unit_named_twice_is_kept_once_and_a_lead_is_not_also_supporting():
    spec = parse_owners("牵头单位：市商务局；配合单位：市供销社、市商务局、市供销社")
    assert spec.leads == ("市商务局",)
    assert spec.supporting == ("市供销社",)


def test_the_raw_text_is_kept():
    raw = "牵头单位：市农业农村局；配合单位：市乡村振兴局"
    assert parse_owners(raw).raw == raw


# --- every owner string in the seeds ---------------------------------------------------------


def _seed_owner_strings() -> list[str]:
    """Owner text of 001 (one cell per tab line), 002 (brackets and the 责任分工 column), 003 and 000."""
    found: list[str] = []
    hengshui = (SEEDS / "衡政办字〔2022〕57号.txt").read_text(encoding="utf-8")
    found += re.findall(
        r"^\t((?:牵头单位|市(?!场体系)|人行|中国人民银行|各相关|负责|相关|桃城区)[^\t\n]*(?:\n[^\t\n]+)*)$",
        hengshui,
        flags=re.MULTILINE,
    )
    baoding = (SEEDS / "保政办函〔2022〕50号.txt").read_text(encoding="utf-8")
    found += re.findall(r"〔牵头部门[^〕\]]*[〕\]]", baoding.replace("\n", ""))
    found += [
        line.split("\t")[8]
        for line in baoding.splitlines()
        if len(line.split("\t")) == 9 and line.split("\t")[0].isdigit()
    ]
    hebei = (SEEDS / "河北省十四五时期无废城市建设工作方案.txt").read_text(encoding="utf-8").replace("\n", "")
    found += re.findall(r"（([^（）]*负责[^（）]*)）", hebei)
    reply = (SEEDS / "衡环办函〔2025〕28号.txt").read_text(encoding="utf-8")
    found += [
        line.split("\t")[4]
        for line in reply.splitlines()
        if len(line.split("\t")) == 5 and line.split("\t")[0].isdigit()
    ]
    return found


def test_the_seed_owner_strings_are_all_found():
    strings = _seed_owner_strings()
    assert sum(s.startswith("〔牵头部门") for s in strings) == 39  # 002's tasks
    assert sum("负责" in s and s.startswith("省") for s in strings) == 31  # 003's tasks
    assert len(strings) > 300


def test_every_seed_owner_string_gives_clean_names():
    bad = []
    for raw in _seed_owner_strings():
        spec = parse_owners(raw)
        for name in spec.leads + spec.supporting + spec.implementers:
            if re.search(r"[：；，\s]|牵头|配合|责任部门|按职责|负责(?!“)", name) or len(name) < 2:
                bad.append((raw, name))
        if not spec.unassigned and not spec.leads:
            bad.append((raw, "no lead"))
    assert bad == []


def test_a_name_keeps_no_bracket_it_does_not_pair():
    """A clause's own bracket left on a name where a label followed the clause on its line."""
    assert split_names("县城管局）") == ("县城管局",)
    assert split_names("（县城管局、县财政局") == ("县城管局", "县财政局")
    assert split_names("市委宣传部（市文明办）") == ("市委宣传部（市文明办）",)
