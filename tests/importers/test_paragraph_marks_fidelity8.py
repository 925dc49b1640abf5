"""Item marks other publishers use (round 8): owners in an em-dash tail (`…。——A、B`), `★` bullets in place of
numbers, an item opening with its year (`3.2024年9月底前，…`, no decimal), a title opening with its own deadline
clause, and the office's signature under the last item."""

from __future__ import annotations

from pathlib import Path

from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source
from wufei.importers.text.paragraphs import main_tasks


def _roles(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spec = parse_owners(text)
    return spec.leads, spec.supporting


def test_an_em_dash_tail_names_the_owners_first_leading():
    lines = [
        "某市2024年度重点工作清单",
        "1.建成餐厨垃圾处理厂。——市城管局",
        "2.推进医疗废物处置设施改造。——市卫健委、市生态环境局",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == ["建成餐厨垃圾处理厂", "推进医疗废物处置设施改造"]
    assert [_roles(task.owners_raw) for task in tasks] == [(("市城管局",), ()), (("市卫健委",), ("市生态环境局",))]


def test_a_dash_inside_a_sentence_names_no_owner():
    lines = ["某市工作清单", "1.建成餐厨垃圾处理厂。——市城管局", "2.开展三大行动——垃圾分类、污水治理和绿化提升"]
    tasks = main_tasks(lines)
    assert [task.owners_raw for task in tasks] == ["市城管局", None]
    assert tasks[1].title == "开展三大行动——垃圾分类、污水治理和绿化提升"


def test_an_item_opening_with_a_year_is_numbered_not_a_decimal():
    lines = [
        "某市工作清单",
        "1.推进垃圾分类。——市城管局",
        "2.2024年9月底前，开展废铅蓄电池收集试点。——市生态环境局",
        "3.产能达到2.5万吨。——市工信局",
    ]
    tasks = main_tasks(lines)
    assert [task.number for task in tasks] == ["1", "2", "3"]
    assert tasks[2].title == "产能达到2.5万吨"


def test_star_bullets_mark_unnumbered_items():
    lines = [
        "某市工作要点",
        "一、推动工业固废减量",
        "\u3000\u3000★推进尾矿综合利用。（牵头单位：市工信局）",
        "\u3000\u3000★开展园区固废管理。\u3000\u3000（牵头单位：市工信局；配合单位：市生态环境局）",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == ["推进尾矿综合利用", "开展园区固废管理"]
    assert _roles(tasks[1].owners_raw) == (("市工信局",), ("市生态环境局",))


def test_the_signature_under_the_last_item_is_no_part_of_it(tmp_path: Path):
    path = tmp_path / "qingdan.txt"
    lines = [
        "某市2024年度重点工作清单",
        "",
        "1.建成餐厨垃圾处理厂。——市城管局",
        "2.2024年9月底前，开展废铅蓄电池集中收集试点。——市生态环境局、市商务局",
        "",
        "某市“无废城市”建设工作领导小组办公室",
        "2024年1月15日",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["建成餐厨垃圾处理厂", "开展废铅蓄电池集中收集试点"]
    assert tasks[1].deadline_raw == "2024年9月底前"  # read from the text; the title keeps no deadline clause
    assert (tasks[1].leads, tasks[1].supporting) == (("市生态环境局",), ("市商务局",))


def test_quarter_columns_without_a_deadline_column_give_the_last_milestone_s_quarter(tmp_path: Path):
    path = tmp_path / "fenjie.csv"
    rows = [
        "某市2025年重点工作任务分解表,,,,,,",
        "序号,目标任务,责任单位,一季度,二季度,三季度,四季度",
        "1,建成餐厨垃圾处理厂,市城管局、市发改委,完成设备采购,完成主体工程,调试运行,—",
        "2,出台建筑垃圾管理办法,市住建局,形成征求意见稿,印发实施,,",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("建成餐厨垃圾处理厂", "三季度"),
        ("出台建筑垃圾管理办法", "二季度"),
    ]
