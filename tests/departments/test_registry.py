from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.seed_files import table_cells
from wufei.departments.owners import parse_owners
from wufei.departments.registry import DATA_DIR, Registry, RegistryError, ResolutionKind

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
HENGSHUI_COUNTIES = (
    "桃城区人民政府",
    "冀州区人民政府",
    "枣强县人民政府",
    "武邑县人民政府",
    "武强县人民政府",
    "饶阳县人民政府",
    "安平县人民政府",
    "故城县人民政府",
    "景县人民政府",
    "阜城县人民政府",
    "深州市人民政府",
)
# Names in the seeds' 数据来源 columns that are not units, on purpose.
DELIBERATE_UNKNOWNS = {"第三方调查"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


# --- owner strings of the seeds, read with simple splits (independent of the importers) ------


def _read(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _hengshui_columns(*headers: str) -> list[str]:
    """Cells under any of `headers` in every table of 001 (indicators, task lists, projects)."""
    lines = _read("衡政办字〔2022〕57号.txt").splitlines()
    found = []
    for start, line in enumerate(lines):
        if line != "\t序号":
            continue
        cells = table_cells(lines[start:])
        width = next(i for i, cell in enumerate(cells) if cell.isdigit())
        header, rows = cells[:width], [cells[i : i + width] for i in range(width, len(cells), width)]
        # 附件4 has 责任部门 (departments) and 责任主体 (the company): only the first is an owner.
        wanted = [i for i, h in enumerate(header) if h in headers and not (h == "责任主体" and "责任部门" in header)]
        found += [row[i] for row in rows for i in wanted]
    return found


def _baoding_table_column(index: int) -> list[str]:
    return [
        line.split("\t")[index]
        for line in _read("保政办函〔2022〕50号.txt").splitlines()
        if len(line.split("\t")) == 9 and line.split("\t")[0].isdigit()
    ]


def owner_strings() -> list[tuple[str, str]]:
    """(jurisdiction, owner text) for every owner column of 001, 002, 003 and 000."""
    found = [("衡水市", raw) for raw in _hengshui_columns("责任部门", "责任主体")]
    baoding = _read("保政办函〔2022〕50号.txt").replace("\n", "")
    found += [("保定市", raw) for raw in re.findall(r"〔牵头部门[^〕\]]*[〕\]]", baoding)]
    found += [("保定市", raw) for raw in _baoding_table_column(8)]
    hebei = _read("河北省十四五时期无废城市建设工作方案.txt").replace("\n", "")
    found += [("河北省", raw) for raw in re.findall(r"（([^（）]*负责[^（）]*)）", hebei)]
    found += [
        ("衡水市", line.split("\t")[4])
        for line in _read("衡环办函〔2025〕28号.txt").splitlines()
        if len(line.split("\t")) == 5 and line.split("\t")[0].isdigit()
    ]
    return found


def data_source_strings() -> list[tuple[str, str]]:
    """(jurisdiction, text) of the 数据来源 columns: mostly units, which must resolve too."""
    return [("衡水市", raw) for raw in _hengshui_columns("数据来源")] + [
        ("保定市", raw) for raw in _baoding_table_column(7)
    ]


def _names(jurisdiction: str, raw: str) -> list[str]:
    spec = parse_owners(raw)
    return list(spec.leads + spec.supporting + spec.implementers) or [raw.strip()]


def test_the_owner_columns_of_every_seed_are_read():
    strings = owner_strings()
    per = {j: sum(1 for k, _ in strings if k == j) for j in ("衡水市", "保定市", "河北省")}
    # 001: 59 indicators + 54 tasks + 27 projects, 000: 9 cells; 002: 39 tasks + 65 indicators; 003: 31 tasks
    assert per == {"衡水市": 59 + 54 + 27 + 9, "保定市": 39 + 65, "河北省": 31}


def test_every_owner_name_in_the_seeds_resolves_in_its_jurisdiction(registry):
    unresolved = []
    for jurisdiction, raw in owner_strings():
        for name in _names(jurisdiction, raw):
            resolution = registry.resolve(name, jurisdiction)
            if resolution.kind is ResolutionKind.UNKNOWN:
                unresolved.append(f"{jurisdiction}：{name}（{resolution.suggestions}）")
    assert not unresolved, "未识别的单位：\n" + "\n".join(sorted(set(unresolved)))


def test_every_data_source_name_in_the_seeds_resolves_except_deliberate_ones(registry):
    unresolved = {
        name
        for jurisdiction, raw in data_source_strings()
        for name in _names(jurisdiction, raw)
        if registry.resolve(name, jurisdiction).kind is ResolutionKind.UNKNOWN
    }
    assert unresolved == DELIBERATE_UNKNOWNS


def test_city_units_resolve_in_the_city_and_provincial_units_in_the_province(registry):
    wrong = []
    for jurisdiction, raw in owner_strings():
        for name in _names(jurisdiction, raw):
            found = registry.resolve(name, jurisdiction).jurisdiction
            if found != jurisdiction:
                wrong.append((jurisdiction, name, found))
    assert wrong == []


def test_no_seed_owner_name_resolves_only_through_a_guess(registry):
    guessed = [
        (j, name)
        for j, raw in owner_strings()
        for name in _names(j, raw)
        if "识别，请核对" in (registry.resolve(name, j).warning or "")
    ]
    assert guessed == []


# --- name variants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variants", "canonical"),
    [
        (("市发展改革委", "市发展和改革委员会", "市发改委"), "市发展和改革委员会"),
        (("市城管综合行政执法局", "市城市管理综合行政执法局", "市城管局"), "市城市管理综合行政执法局"),
        (("市住房城乡建设局", "市住房和城乡建设局", "市住建局"), "市住房和城乡建设局"),
        (("市科学技术局", "市科技局"), "市科学技术局"),
        (("市卫生健康委", "市卫生健康委员会", "市卫健委"), "市卫生健康委员会"),
        (("市场监督管理局", "市市场监督管理局"), "市市场监督管理局"),
        (("市工业和信息化局", "市工信局"), "市工业和信息化局"),
        (("市文化广电和旅游局", "市文旅局"), "市文化广电和旅游局"),
        (("人行衡水市中心支行", "中国人民银行衡水市中心支行"), "中国人民银行衡水市中心支行"),
        (
            ("市“无废城市”工作领导小组", '市"无废城市"工作领导小组', "市“无废城市”建设工作领导小组"),
            "市“无废城市”工作领导小组",
        ),
        (("滨湖新区管委会", "衡水滨湖新区管委会"), "滨湖新区管委会"),
    ],
)
def test_hengshui_name_variants_are_the_same_unit(registry, variants, canonical):
    for variant in variants:
        resolution = registry.resolve(variant, "衡水市")
        assert (resolution.kind, resolution.canonical) == (ResolutionKind.UNIT, canonical), variant


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("省发展和改革委员会", "省发展改革委"),
        ("省住房和城乡建设厅", "省住房城乡建设厅"),
        ("省市场监督管理局", "省市场监管局"),
        ("河北省生态环境厅", "省生态环境厅"),
        ("河北省商务厅", "省商务厅"),
    ],
)
def test_hebei_name_variants_are_the_same_unit(registry, name, canonical):
    assert registry.resolve(name, "河北省").canonical == canonical


def test_baoding_typos_resolve(registry):
    assert registry.resolve("农业农村局", "保定市").canonical == "市农业农村局"
    assert registry.resolve("市场监督管理局", "保定市").canonical == "市市场监督管理局"
    assert registry.resolve("人行保定市中心支行", "保定市").unit_kind == "outside"


def test_spaces_quotes_and_ascii_brackets_do_not_matter(registry):
    assert registry.resolve(" 市 生态环境局 ", "衡水市").canonical == "市生态环境局"
    pick = registry.resolve("相关县市区人民政府(含衡水高新区、滨湖新区)", "衡水市")
    assert pick.canonical == "相关县市区人民政府（含衡水高新区、滨湖新区）"


def test_a_name_written_with_the_city_name_is_the_citys_own_unit(registry):
    resolution = registry.resolve("衡水市农业农村局", "衡水市")
    assert (resolution.canonical, resolution.jurisdiction) == ("市农业农村局", "衡水市")


def test_a_bare_bureau_name_is_read_as_the_citys_with_a_warning(registry):
    resolution = registry.resolve("生态环境局", "衡水市")
    assert resolution.canonical == "市生态环境局"
    assert "请核对" in resolution.warning


def test_a_provincial_unit_named_in_a_city_document_resolves_in_the_province(registry):
    resolution = registry.resolve("省生态环境厅", "衡水市")
    assert resolution.kind is ResolutionKind.UNIT
    assert (resolution.canonical, resolution.jurisdiction, resolution.unit_kind) == (
        "省生态环境厅",
        "河北省",
        "provincial_dept",
    )


def test_a_jurisdiction_can_be_named_by_its_key(registry):
    assert registry.resolve("市城管局", "hengshui").canonical == "市城市管理综合行政执法局"
    assert registry.jurisdiction("baoding").parent == "河北省"


@pytest.mark.parametrize("place", ["某市", "朝阳区"])  # no such place; two such places
def test_a_jurisdiction_that_is_no_one_place_is_an_error(registry, place):
    with pytest.raises(KeyError):
        registry.resolve("市生态环境局", place)


# --- collectives, picks, nobody, unknown ---------------------------------------------------


def test_all_county_governments_stand_for_the_eleven_counties(registry):
    resolution = registry.resolve("各县市区人民政府", "衡水市")
    assert resolution.kind is ResolutionKind.COLLECTIVE
    assert resolution.members == HENGSHUI_COUNTIES
    assert resolution.warning is None


@pytest.mark.parametrize(
    ("name", "zones"),
    [
        ("有关县市区人民政府", ()),
        ("相关县市区人民政府（含衡水高新区、滨湖新区）", ("衡水高新区管委会", "滨湖新区管委会")),
    ],
)
def test_some_county_governments_are_a_pick_among_the_counties(registry, name, zones):
    resolution = registry.resolve(name, "衡水市")
    assert resolution.kind is ResolutionKind.PICK
    assert resolution.members == HENGSHUI_COUNTIES + zones
    assert "办公室指定" in resolution.warning


def test_the_hebei_cities_collective_names_every_city_and_xiongan(registry):
    resolution = registry.resolve("各市政府", "河北省")
    assert resolution.kind is ResolutionKind.COLLECTIVE
    assert len(resolution.members) == 14
    assert {"衡水市人民政府", "定州市人民政府", "辛集市人民政府", "雄安新区管委会"} <= set(resolution.members)


@pytest.mark.parametrize("name", ["各相关部门", "负责“无废城市”建设的相关协调部门", "相关企业"])
def test_names_that_assign_nobody_are_unassigned(registry, name):
    resolution = registry.resolve(name, "衡水市")
    assert resolution.kind is ResolutionKind.UNASSIGNED
    assert resolution.members == ()
    assert resolution.warning


def test_a_unit_stands_for_itself(registry):
    resolution = registry.resolve("市卫健委", "衡水市")
    assert resolution.members == ("市卫生健康委员会",)
    assert resolution.unit_kind == "bureau"
    assert resolution.warning is None


def test_an_unknown_name_gets_close_suggestions_and_a_chinese_warning(registry):
    resolution = registry.resolve("市生态环境厅", "衡水市")
    assert resolution.kind is ResolutionKind.UNKNOWN
    assert resolution.canonical is None
    assert resolution.suggestions[0] == "市生态环境局"
    assert "未识别的单位「市生态环境厅」" in resolution.warning
    assert "市生态环境局" in resolution.warning


def test_an_unknown_name_with_nothing_close_asks_for_the_registry_to_be_completed(registry):
    resolution = registry.resolve("第三方调查", "衡水市")
    assert resolution.kind is ResolutionKind.UNKNOWN
    assert resolution.suggestions == ()
    assert "请在登记表中补充" in resolution.warning


# --- the data files -----------------------------------------------------------------------


def test_the_default_data_directory_holds_the_three_jurisdictions(registry):
    assert {j.name: j.level for j in registry.jurisdictions()} == {
        "河北省": "province",
        "衡水市": "city",
        "保定市": "city",
    }
    assert {p.name for p in DATA_DIR.glob("*.yaml")} == {"hebei.yaml", "hengshui.yaml", "baoding.yaml"}


def test_the_hengshui_leadership_group_has_its_office_in_the_ecology_bureau(registry):
    group = next(u for u in registry.units("衡水市") if u.kind == "group")
    assert (group.name, group.office) == ("市“无废城市”工作领导小组", "市生态环境局")


def test_a_single_city_file_loads_without_its_province():
    registry = Registry.load([DATA_DIR / "hengshui.yaml"], generic=False)
    assert registry.resolve("省生态环境厅", "衡水市").kind is ResolutionKind.UNKNOWN
    # with the division data, the province's standard departments answer in its place
    registry = Registry.load([DATA_DIR / "hengshui.yaml"])
    assert registry.resolve("省生态环境厅", "衡水市").jurisdiction == "河北省"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "city.yaml"
    path.write_text("jurisdiction: {key: city, name: 某市, level: city}\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "departments:\n  - {name: 市甲局, kind: bureau, aliases: [甲局]}\n"
            "  - {name: 市乙局, kind: bureau, aliases: [甲局]}\n",
            "同时指向",
        ),
        ("departments:\n  - {name: 市甲局, kind: ministry}\n", "kind"),
        ("collectives:\n  - {name: 各县政府, members: [甲县人民政府]}\n", "不是本登记表中的单位"),
        ("departments:\n  - {name: 领导小组, kind: group, office: 市甲局}\n", "office"),
        ("departments:\n  - {kind: bureau}\n", "缺少 name"),
    ],
)
def test_a_broken_registry_file_is_refused_with_the_file_named(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(RegistryError) as error:
        Registry.load([path])
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_a_bad_jurisdiction_level_is_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("jurisdiction: {name: 某地, level: town}\n", encoding="utf-8")
    with pytest.raises(RegistryError):
        Registry.load([path])
