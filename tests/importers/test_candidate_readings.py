"""What the last-resort paragraph reading takes as a candidate task and what it does not (round 18's review):
units start with their level or place, or are standard agencies (以人民为中心, 新格局, 政务服务大厅 end like units
and are none); 由/请/负责/牵头 before a unit is looked past and 牵头/配合 after it give its role; 负责人 is a person;
a bare year dates a fact, no deadline; a page's furniture, 县城镇 and a line of the title are no tasks, 各乡镇 is an
owner. A file whose candidates name no common department gets a plan-level doubt that it may be no plan; one with
more than `MAX_CANDIDATES` candidates is refused, naming the count. A web page's flattened table is read around,
its warnings kept. The whole reading (preview, commit) is proved in test_candidate_tasks.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from wufei.departments.owners import parse_owners
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.importers.text.candidates import MAX_CANDIDATES, NOT_A_PLAN, candidate_tasks

TITLE = "某市无废城市建设新闻发布会"


def _read(*paragraphs: str, title: str = TITLE) -> list[tuple[str, str | None, str | None]]:
    records = candidate_tasks([title, *paragraphs], title=title)
    return [(record.title, record.owners_raw, record.deadline_raw) for record in records]


def test_words_that_only_end_like_units_are_no_owners():
    assert _read("我市坚持以人民为中心，推动形成绿色低碳发展新格局，无废理念深入人心。") == []
    assert _read("市民可到政务服务大厅办理，全市已建成无废小镇，形成了全域推进的良好布局。") == []


def test_a_unit_starts_with_its_level_or_its_place():
    assert _read("琅琊区城管局加强背街小巷垃圾清运，做到日产日清。")[0][1] == "琅琊区城管局"
    assert _read("县城管局加强背街小巷垃圾清运，做到日产日清。")[0][1] == "县城管局"


def test_a_responsible_person_is_no_owner_and_a_bare_year_no_deadline():
    assert _read("区城管局负责人表示，下一步将加大垃圾分类宣传力度。") == []
    assert _read("2023年，全市一般工业固体废物产生量1200万吨，综合利用率达到85.6%。") == []
    assert _read("力争2025年底前，全市固体废物产生强度明显下降。")[0][2] == "2025年底前"
    assert _read("全市生活垃圾分类设施完成改造，完成时限：2024年。")[0][2] == "2024年"  # a label says it is one


def test_units_after_you_and_please_are_read_with_their_roles():
    ((_, owners, _),) = _read("会议强调，由市城市管理局牵头，市财政局配合，加快推进焚烧发电厂二期建设。")
    spec = parse_owners(owners)
    assert (spec.leads, spec.supporting) == (("市城市管理局",), ("市财政局",))
    assert _read("会议要求，请市住房和城乡建设局加强建筑工地扬尘日常巡查。")[0][1] == "市住房和城乡建设局"
    assert _read("会议指出，负责同志要亲自抓，市生态环境局加强督导检查。")[0][1] == "市生态环境局"


def test_page_furniture_is_no_task():
    assert _read("来源：市生态环境局　发布时间：2024年5月12日　浏览次数：326") == []


def test_every_township_is_an_owner_and_a_county_town_is_none():
    assert _read("各乡镇要加强农村生活垃圾收运，2025年底前实现全覆盖。")[0][1] == "各乡镇"
    assert _read("县城镇要加快污水管网建设，2025年底前完成改造。")[0][1] is None


def test_a_line_of_the_title_is_no_task():
    title = "某县2025年底前完成垃圾分类全覆盖工作方案"
    assert _read("县城管局加强背街小巷垃圾清运，做到日产日清。", title=title) == [
        ("县城管局加强背街小巷垃圾清运，做到日产日清", "县城管局", None)
    ]


def test_news_naming_no_common_department_is_flagged_as_perhaps_no_plan(tmp_path: Path):
    news = tmp_path / "新闻.txt"
    news.write_text(
        f"{TITLE}\n2024年3月18日，市政府新闻办召开新闻发布会，介绍我市无废城市建设进展情况。\n"
        "2023年，全市一般工业固体废物产生量1200万吨，综合利用率达到85.6%。\n"
        "下一步，我市将持续深化无废城市建设，力争到2025年底，全市固体废物产生强度明显下降。\n",
        encoding="utf-8",
    )
    plan = read_source(news).plans[0]
    assert [task.deadline_raw for task in plan.tasks] == ["2025年底"]
    assert NOT_A_PLAN in [doubt.message for doubt in plan.doubts]
    minutes = tmp_path / "纪要.txt"
    minutes.write_text(f"{TITLE}\n会议要求，请市住房和城乡建设局加强建筑工地扬尘日常巡查。\n", encoding="utf-8")
    assert NOT_A_PLAN not in [doubt.message for doubt in read_source(minutes).plans[0].doubts]


def test_a_file_of_more_candidates_than_a_person_can_check_is_refused_naming_the_count(tmp_path: Path):
    count = MAX_CANDIDATES + 1
    path = tmp_path / "汇编.txt"
    lines = [f"市生态环境局2025年底前完成第{n}批固体废物堆场排查整治。" for n in range(count)]
    path.write_text("\n".join([TITLE, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert str(count) in refused.value.message and str(MAX_CANDIDATES) in refused.value.message
    assert refused.value.path == str(path)
    path.write_text("\n".join([TITLE, *lines[:MAX_CANDIDATES]]) + "\n", encoding="utf-8")
    assert len(read_source(path).plans[0].tasks) == MAX_CANDIDATES


def test_a_flattened_table_keeps_its_warnings_and_is_not_read_again_as_paragraphs(tmp_path: Path):
    """A phone page's table in one paragraph whose rows all lack a task name: the table reading skips them
    with a warning each, and the paragraph reading does not take the table's text as a task."""
    labels = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    rows = [["1", "", "区城管局", "区商务局", "2025年5月底前"], ["2", "", "区商务局", "区供销社", "2025年8月底前"]]
    run = " ".join(" ".join(f"{label} {cell}".strip() for label, cell in zip(labels, row)) for row in rows)
    path = tmp_path / "手机版.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><h1>某区2025年“无废城市”建设任务分工表</h1>"
        f"<p>{run}</p><p>区住建局2025年底前完成建筑垃圾消纳场建设。</p></body></html>",
        encoding="utf-8",
    )
    plan = read_source(path).plans[0]
    assert [task.title for task in plan.tasks] == ["区住建局2025年底前完成建筑垃圾消纳场建设"]
    assert [warning.split("：", 1)[1] for warning in plan.warnings] == [
        "任务 1 没有任务名称，已跳过",
        "任务 2 没有任务名称，已跳过",
    ]
