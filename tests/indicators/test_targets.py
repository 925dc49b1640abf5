from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.seed_files import table_cells
from wufei.indicators.targets import (
    Baseline,
    Direction,
    QualitativeKind,
    TargetError,
    TargetKind,
    direction_from_name,
    parse_baseline,
    parse_target,
)

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
D = Decimal


# --- reading the indicator tables of the seeds (kept independent of the importers) ----------


def _hengshui_rows() -> list[tuple[str, str, str]]:
    """(name, baseline, target) of each row of 001 附件1 (lines 147–765)."""
    lines = (SEEDS / "衡政办字〔2022〕57号.txt").read_text(encoding="utf-8").splitlines()
    cells = table_cells(lines[146:767])
    rows = [cells[i : i + 9] for i in range(9, len(cells), 9)]
    return [(row[3], row[4], row[5]) for row in rows]


def _baoding_rows() -> list[tuple[str, str, str]]:
    """(name, baseline, target) of each row of 002's tab-separated indicator table."""
    lines = (SEEDS / "保政办函〔2022〕50号.txt").read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[204:281]:
        cells = line.split("\t")
        if len(cells) == 9 and cells[0].isdigit():
            rows.append((cells[3], cells[4], cells[5]))
    return rows


# 004's table is flattened beyond a simple split (cells broken over lines, columns run
# together), so its rows are copied here as read: (name, 2025 target, 2022 status).
EVALUATION_ROWS = [
    ("市区城市PM2.5年均浓度（μg/m3）", "37", "43"),
    ("市区城市空气质量优良天数比率（%）", "75", "64.9"),
    ("县城环境空气优良天数比例（%）", "完成市定目标", "62.2%～74.0%"),
    ("地表水国省考断面达到或好于Ⅲ水体比例（%）a", "69.2", "84.6"),
    ("城市集中式饮用水源水质达到或优于Ⅲ类比例（%）", "100", "100"),
    ("县级及以上城市建成区黑臭水体比例（%）", "全部消除", "全部消除"),
    ("农村生活污水治理任务完成率（%）", "100", "100"),
    ("地下水国控点位 V类水比例（%）", "达到国家要求", "25"),
    ("化学需氧量重点工程减排量（吨）b", "11300", "6115"),
    ("氨氮重点工程减排量（吨）b", "460", "673.28"),
    ("氮氧化物重点工程减排量（吨）b", "4000", "2054"),
    ("挥发性有机物（VOCS）重点工程减排量（吨）", "2300", "1088.3"),
    ("单位地区生产总值二氧化碳排放累计下降%", "20", "国家统计部门正在牵头对排放量核算办法进行修订，暂无数据"),
    ("单位地区生产总值能耗消耗累计下降%", "17以上", "5.6"),
    ("非化石能源占能源消费总量比例（%）", "15.1", "14.5"),
    ("受污染耕地治理和管控措施覆盖率（%）", "100", "100"),
    ("建设用地土壤污染修复和风险管控措施覆盖率（%）", "100", "100"),
    ("衡水市生态保护红线面积 c", "生态保护红线面积不减少", "生态保护红线面积不减少"),
    ("森林覆盖率（%）", "8.2*", "13.4"),
    ("地下水压采量（亿立方米）d", "——", "2.89"),
]


def test_the_seed_tables_are_read_in_full():
    assert len(_hengshui_rows()) == 59  # 58 numbers, number 10 covers two indicators
    assert len(_baoding_rows()) == 65
    assert len(EVALUATION_ROWS) == 20


def _all_rows() -> list[tuple[str, str, str]]:
    """(name, baseline or status, target) of every indicator row in the seeds."""
    evaluation = [(name, status, target) for name, target, status in EVALUATION_ROWS]
    return _hengshui_rows() + _baoding_rows() + evaluation


def test_every_target_in_the_seeds_parses_and_every_text_target_is_recognised():
    unrecognised = []
    for name, _baseline, target in _all_rows():
        parsed = parse_target(target, name=name)
        if parsed.kind is TargetKind.QUALITATIVE and parsed.qualitative is None:
            unrecognised.append(target)
    assert unrecognised == []


def test_every_numeric_or_qualitative_target_in_the_seeds_has_a_direction_except_known_ones():
    # Process indicators (a count of regulations, "情况") carry no direction of their own.
    without = sorted(
        {
            name
            for name, _b, target in _all_rows()
            if parse_target(target, name=name).kind is not TargetKind.NONE
            and parse_target(target, name=name).direction is Direction.NONE
        }
    )
    assert without == sorted(
        {
            "“无废城市”建设地方性法规、政策性文件及有关规划制定★",
            "“无废城市”建设协调机制★",
            "“无废城市”建设成效纳入政绩考核情况★",
            "固体废物管理信息化监管情况★",
            "“无废城市”建设协调机构★",
            "",  # 002 row 57 prints its name inside row 56
        }
    )


def test_every_baseline_in_the_seeds_parses():
    for _name, baseline, _target in _hengshui_rows() + _baoding_rows():
        parsed = parse_baseline(baseline, default_year=2020)
        assert parsed.value is not None or parsed.text is None, baseline
    for _name, _target, status in EVALUATION_ROWS:
        parse_baseline(status, default_year=2022)


# --- representative targets, from the seeds -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "kind", "comparator", "value", "direction"),
    [
        ("一般工业固体废物产生强度★", "0.4", TargetKind.NUMERIC, None, D("0.4"), Direction.DOWN),
        ("工业危险废物产生强度★", "0.011", TargetKind.NUMERIC, None, D("0.011"), Direction.DOWN),
        ("开展绿色工厂建设的企业数量", "30", TargetKind.NUMERIC, None, D("30"), Direction.UP),
        ("装配式建筑占新建建筑的比例", "≥30", TargetKind.NUMERIC, ">=", D("30"), Direction.UP),
        ("主城区和县城生活垃圾清运量★", "55", TargetKind.NUMERIC, None, D("55"), Direction.DOWN),
        ("快递绿色包装使用率", ">99", TargetKind.NUMERIC, ">", D("99"), Direction.UP),
        ("畜禽粪污综合利用率★", ">85", TargetKind.NUMERIC, ">", D("85"), Direction.UP),
        ("工业危险废物填埋处置量下降幅度★", "30", TargetKind.NUMERIC, None, D("30"), Direction.UP),
        ("一般工业固体废物贮存处置量下降幅度★", "20", TargetKind.NUMERIC, None, D("20"), Direction.UP),
        ("一般工业固体废物贮存处置下 降幅★", "10", TargetKind.NUMERIC, None, D("10"), Direction.UP),
        ("城市重点行业工业企业碳排放强度降低幅度", "19", TargetKind.NUMERIC, None, D("19"), Direction.UP),
        ("化学农药施用量亩均下降幅度", "0", TargetKind.NUMERIC, None, D("0"), Direction.UP),
        ("公众对“无废城市”建设成效的满意程度★", "≥90", TargetKind.NUMERIC, ">=", D("90"), Direction.UP),
        ("公众对“无废城市”建设成效的满意度★", ">90", TargetKind.NUMERIC, ">", D("90"), Direction.UP),
        ("市区城市PM2.5年均浓度（μg/m3）", "37", TargetKind.NUMERIC, None, D("37"), Direction.DOWN),
        ("单位地区生产总值能耗消耗累计下降%", "17以上", TargetKind.NUMERIC, ">=", D("17"), Direction.UP),
        ("化学需氧量重点工程减排量（吨）b", "11300", TargetKind.NUMERIC, None, D("11300"), Direction.UP),
        ("森林覆盖率（%）", "8.2*", TargetKind.NUMERIC, None, D("8.2"), Direction.UP),
        ("“无废城市”建设项目投资总额★", "140", TargetKind.NUMERIC, None, D("140"), Direction.UP),
    ],
)
def test_numeric_targets_keep_value_comparator_and_direction(name, raw, kind, comparator, value, direction):
    target = parse_target(raw, name=name)
    assert (target.kind, target.comparator, target.value, target.direction) == (kind, comparator, value, direction)
    assert target.raw == raw


@pytest.mark.parametrize(
    ("name", "raw", "qualitative", "direction"),
    [
        ("城市工业领域重点行业碳排放强度", "完成省定任务", QualitativeKind.COMPLETE_ASSIGNED, Direction.DOWN),
        ("县城环境空气优良天数比例（%）", "完成市定目标", QualitativeKind.COMPLETE_ASSIGNED, Direction.UP),
        ("地下水国控点位 V类水比例（%）", "达到国家要求", QualitativeKind.COMPLETE_ASSIGNED, Direction.DOWN),
        ("任意指标", "完成国家下达任务", QualitativeKind.COMPLETE_ASSIGNED, Direction.NONE),
        ("化学农药施用量亩均下降幅度", "逐年降低", QualitativeKind.DECREASE_YEARLY, Direction.DOWN),
        ("固体废物环境刑事案件立案率★", "逐年降低", QualitativeKind.DECREASE_YEARLY, Direction.DOWN),
        ("“无废城市”绿色贷款余额", "逐年提高", QualitativeKind.INCREASE_YEARLY, Direction.UP),
        ("绿色建筑占新建建筑的比例★", "逐年递增", QualitativeKind.INCREASE_YEARLY, Direction.UP),
        ("任意指标", "逐年增长", QualitativeKind.INCREASE_YEARLY, Direction.UP),
        ("任意指标", "逐年下降", QualitativeKind.DECREASE_YEARLY, Direction.DOWN),
        (
            "“无废城市”建设地方性法规、政策性文件及有关规划制定★",
            "制度体系逐步完善",
            QualitativeKind.GRADUAL,
            Direction.NONE,
        ),
        ("主要参与制定固体废物资源化、无害化技术标准与规范数量", "逐步推进", QualitativeKind.GRADUAL, Direction.UP),
        ("固体废物管理信息化监管情况★", "基本完善", QualitativeKind.BASICALLY_COMPLETE, Direction.NONE),
        ("任意指标", "基本建立", QualitativeKind.BASICALLY_COMPLETE, Direction.NONE),
        ("“无废城市”建设协调机制★", "建立协调机构，明确工作机制", QualitativeKind.ESTABLISH, Direction.NONE),
        ("衡水市生态保护红线面积 c", "生态保护红线面积不减少", QualitativeKind.NO_DECREASE, Direction.HOLD),
        ("耕地保有量", "不降低", QualitativeKind.NO_DECREASE, Direction.HOLD),
        ("县级及以上城市建成区黑臭水体比例（%）", "全部消除", QualitativeKind.ELIMINATE, Direction.DOWN),
    ],
)
def test_text_targets_are_classified_with_a_direction(name, raw, qualitative, direction):
    target = parse_target(raw, name=name)
    assert target.kind is TargetKind.QUALITATIVE
    assert (target.qualitative, target.direction) == (qualitative, direction)
    assert target.value is None and target.comparator is None


def test_a_peak_target_keeps_its_year_and_points_down():
    target = parse_target("2025年达 到峰值", name="生活垃圾清运量★")
    assert target.qualitative is QualitativeKind.PEAK_BY_YEAR
    assert target.year == 2025
    assert target.direction is Direction.DOWN


def test_a_split_text_target_joined_by_the_importer_is_recognised():
    assert parse_target("完成省定\n任务").qualitative is QualitativeKind.COMPLETE_ASSIGNED


def test_unrecognised_text_is_qualitative_without_a_kind_so_the_office_can_review_it():
    target = parse_target("力争提升", name="秸秆综合利用率")
    assert target.kind is TargetKind.QUALITATIVE
    assert target.qualitative is None
    assert target.direction is Direction.UP


# --- the forms of numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "comparator", "value"),
    [
        ("100", None, D("100")),
        ("≥30", ">=", D("30")),
        (">=30", ">=", D("30")),
        ("＞90", ">", D("90")),
        (">99", ">", D("99")),
        ("≤5", "<=", D("5")),
        ("<5", "<", D("5")),
        ("=100", "=", D("100")),
        ("17以上", ">=", D("17")),
        ("95%以上", ">=", D("95")),
        ("95％", None, D("95")),
        ("不低于95%", ">=", D("95")),
        ("5以下", "<=", D("5")),
        ("0.5", None, D("0.5")),
        ("８.２*", None, D("8.2")),
        ("达到100%", None, D("100")),
        ("≥ 30", ">=", D("30")),
        ("[2.83]", None, D("2.83")),
    ],
)
def test_number_forms_give_comparator_and_value(raw, comparator, value):
    target = parse_target(raw)
    assert target.kind is TargetKind.NUMERIC
    assert (target.comparator, target.value, target.value_high) == (comparator, value, None)


def test_a_range_keeps_both_ends():
    target = parse_target("62.2%～74.0%")
    assert (target.value, target.value_high) == (D("62.2"), D("74.0"))
    assert target.comparator is None


def test_a_year_written_after_a_number_is_kept():
    target = parse_target("≥30（2025年）")
    assert (target.value, target.year) == (D("30"), 2025)


def test_a_footnote_mark_stays_in_the_raw_text():
    assert parse_target("8.2*").raw == "8.2*"


@pytest.mark.parametrize("raw", [None, "", " ", "/", "／", "—", "——", "-"])
def test_empty_targets_are_none(raw):
    target = parse_target(raw, name="装配式建筑占新建建筑的比例")
    assert target.kind is TargetKind.NONE
    assert target.value is None
    assert target.direction is Direction.UP  # still known from the name


@pytest.mark.parametrize("raw", ["≥", "≥abc", "80~60", "≥30以下"])
def test_malformed_numbers_raise_with_the_raw_text(raw):
    with pytest.raises(TargetError) as error:
        parse_target(raw)
    assert raw in str(error.value)


# --- directions from names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "direction"),
    [
        ("一般工业固体废物产生强度★", Direction.DOWN),
        ("危险废物产生量", Direction.DOWN),
        ("生活垃圾填埋量", Direction.DOWN),
        ("工业危险废物填埋处置量下降幅度★", Direction.UP),
        ("城市工业领域重点行业碳排放强度", Direction.DOWN),
        ("市区城市PM2.5年均浓度", Direction.DOWN),
        ("一般工业固体废物贮存处置量", Direction.DOWN),
        ("农村地区生活垃圾清运量★", Direction.DOWN),
        ("化肥施用量", Direction.DOWN),
        ("一般工业固体废物综合利用率★", Direction.UP),
        ("秸秆收储运体系覆盖率", Direction.UP),
        ("通过清洁生产审核评估工业企业占比★", Direction.UP),
        ("绿色建筑占新建建筑的比例★", Direction.UP),
        ("市区城市空气质量优良天数比率", Direction.UP),
        ("城镇污水污泥无害化处置率★", Direction.UP),
        ("农膜回收率★", Direction.UP),
        ("开展“无废学校”的数量✦", Direction.UP),
        ("公众对“无废城市”建设成效的满意程度★", Direction.UP),
        ("“无废城市”建设宣传教育培训普及率", Direction.UP),
        ("政府、企事业单位、非政府环境组织、公众对“无废城市”建设的参与程度", Direction.UP),
        ("地下水压采量（亿立方米）d", Direction.UP),
        ("“无废城市”建设协调机制★", Direction.NONE),
        (None, Direction.NONE),
    ],
)
def test_the_name_gives_the_direction_of_good_change(name, direction):
    assert direction_from_name(name) is direction


def test_a_comparator_wins_over_the_name():
    assert parse_target("≤0.5", name="秸秆综合利用率").direction is Direction.DOWN


# --- baselines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15（2021年）", Baseline(D("15"), None, 2021, "15（2021年）")),
        ("99.1（2021年）", Baseline(D("99.1"), None, 2021, "99.1（2021年）")),
        ("99.1\n（2021年）", Baseline(D("99.1"), None, 2021, "99.1\n（2021年）")),
        ("0.012 (2021年)", Baseline(D("0.012"), None, 2021, "0.012 (2021年)")),
        ("16 (2021年)", Baseline(D("16"), None, 2021, "16 (2021年)")),
        ("0.8（kg/亩）", Baseline(D("0.8"), None, 2020, "0.8（kg/亩）", "kg/亩")),
        ("34.9（kg/亩）", Baseline(D("34.9"), None, 2020, "34.9（kg/亩）", "kg/亩")),
        ("54.9", Baseline(D("54.9"), None, 2020, "54.9")),
        ("62%", Baseline(D("62"), None, 2020, "62%")),
        ("8.2*", Baseline(D("8.2"), None, 2020, "8.2*")),
        ("/", Baseline(None, None, 2020, "/")),
        ("——", Baseline(None, None, 2020, "——")),
        (None, Baseline(None, None, 2020, None)),
        ("全部消除", Baseline(None, "全部消除", 2020, "全部消除")),
        ("62.2%～74.0%", Baseline(None, "62.2%～74.0%", 2020, "62.2%～74.0%")),
    ],
)
def test_baselines_keep_value_year_and_notes(raw, expected):
    assert parse_baseline(raw, default_year=2020) == expected


def test_a_text_baseline_is_kept_as_text():
    raw = "国家统计部门正在\n牵头对排放量核算办法进行修订，暂无数据"
    baseline = parse_baseline(raw, default_year=2022)
    assert baseline.value is None
    assert baseline.text == "国家统计部门正在牵头对排放量核算办法进行修订，暂无数据"
    assert baseline.year == 2022


def test_a_missing_baseline_without_a_default_year_has_no_year():
    assert parse_baseline("/", default_year=None).year is None
