"""The fidelity score (bench/fidelity.py) on hand-made plans: matching, field rules, arithmetic, refusals.

None of these tests runs the importer: each builds the ParsedPlan an importer might return and
checks what the score makes of it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from bench.fidelity import (
    CorpusScore,
    Expected,
    align,
    load_expected,
    match_by_name,
    normalize,
    report,
    score_document,
    similarity,
)
from wufei.importers.records import IndicatorRecord, ListKind, ParsedPlan, TaskRecord


def task(title: str, *, owners: str | None = None, leads=None, supporting=None, deadline: str | None = None):
    return TaskRecord(
        list_kind=ListKind.MAIN,
        number="1",
        title=title,
        line=1,
        owners_raw=owners,
        leads=leads,
        supporting=supporting,
        deadline_raw=deadline,
    )


def indicator(name: str, *, unit=None, baseline=None, target=None):
    return IndicatorRecord(number="1", name=name, line=1, unit=unit, baseline_raw=baseline, target_raw=target)


def plan(tasks=(), indicators=(), **fields) -> ParsedPlan:
    fields.setdefault("title", "某某区2023年重点工作任务分工方案")
    fields.setdefault("jurisdiction", "某某区")
    return ParsedPlan(path="x.txt", tasks=list(tasks), indicators=list(indicators), **fields)


def expected(tasks=(), indicators=(), plan_fields=None, *, doc_id="doc", holdout=False, batch=None) -> Expected:
    return Expected(
        doc_id, f"{doc_id}.txt", plan_fields or {}, list(tasks), list(indicators), holdout=holdout, batch=batch
    )


# --- normalising and matching ----------------------------------------------------------------------


def test_normalize_folds_punctuation_forms_and_whitespace_but_not_words():
    assert normalize("（市委宣传部） 2016 年 6 底前；") == normalize("(市委宣传部)2016年6底前")
    assert normalize("2016—2017年") == normalize("2016-2017年") == normalize("2016－2017年")
    assert normalize("“三保”支出。") == normalize('"三保"支出')
    assert normalize("〔责任单位〕") == normalize("【责任单位】")
    assert normalize("市财政局") != normalize("市财政厅")
    assert normalize(None) == ""


def test_a_heading_inside_a_longer_found_title_is_the_same_record():
    assert similarity("大力推动清洁能源采暖", "通知指出:大力推动清洁能源采暖。鼓励企业参与") >= 0.8
    assert similarity("完善城市管理体制", "开展环境卫生设施规划编制工作") < 0.5


def test_alignment_keeps_document_order_and_pairs_repeated_titles_one_to_one():
    exp = ["地区生产总值增长5%", "固定资产投资增长6%", "地区生产总值增长5%"]
    found = ["地区生产总值增长5%", "固定资产投资增长6%", "地区生产总值增长5%", "进出口增长3%"]
    assert align(exp, found) == {0: 0, 1: 1, 2: 2}


def test_alignment_skips_records_the_import_missed_or_added():
    exp = ["完善城市管理体制", "完善城市工作机制", "加快环境卫生设施建设"]
    found = ["一、总体要求", "完善城市管理体制", "加快环境卫生设施建设"]
    assert align(exp, found) == {0: 1, 2: 2}


def test_indicators_pair_by_name_in_any_order_equal_names_first():
    exp = ["城镇化率", "森林覆盖率", "人均预期寿命"]
    found = ["森林覆盖率（%）", "人均预期寿命", "城镇化率", "森林覆盖率"]
    assert match_by_name(exp, found) == {0: 2, 1: 3, 2: 1}


# --- fields ------------------------------------------------------------------------------------


def test_a_faithful_import_gets_every_field_right_and_counts_extra_records_apart():
    exp = expected(
        tasks=[
            {
                "title": "完善城市工作机制",
                "leads": ["市住建局"],
                "supporting": ["各县(区)政府", "市直园区管委会"],
                "deadline": "2016 年 6 月底前",
                "due": date(2016, 6, 30),
            }
        ]
    )
    found = plan(
        [
            task(
                "完善城市工作机制",
                leads=("市住建局",),
                supporting=("市直园区管委会", "各县（区）政府"),
                deadline="2016年6月底前",
            ),
            task("一、总体要求"),
        ]
    )
    score = score_document(exp, [found])
    assert score.total().right == score.total().total == 5
    assert score.tasks_matched == 1 and score.extra == 1
    assert score.misses == []


def test_owners_come_from_the_owner_text_when_the_reader_left_leads_unset():
    exp = expected(tasks=[{"title": "加强监管", "leads": ["市生态环境局"], "supporting": ["市发展改革委", "市财政局"]}])
    found = plan([task("加强监管", owners="牵头单位：市生态环境局；配合单位：市发展改革委、市财政局")])
    score = score_document(exp, [found])
    assert (score.fields["leads"].right, score.fields["supporting"].right) == (1, 1)


def test_owner_lists_compare_as_sets_and_a_lead_in_the_wrong_role_is_wrong():
    exp = expected(tasks=[{"title": "加强监管", "leads": ["市生态环境局", "市场监管局"], "supporting": []}])
    found = plan([task("加强监管", leads=("市生态环境局",), supporting=("市场监管局",))])
    score = score_document(exp, [found])
    assert score.fields["leads"].right == 0 and score.fields["supporting"].right == 0
    assert ("task 1 加强监管", "leads", ["市生态环境局", "市场监管局"], ("市生态环境局",)) in score.misses


def test_due_dates_come_from_parse_deadline_and_an_unparsed_deadline_is_wrong():
    exp = expected(
        tasks=[
            {"title": "甲", "deadline": "2023年底前", "due": date(2023, 12, 31)},
            {"title": "乙", "deadline": "长期坚持", "due": None},
            {"title": "丙", "deadline": "根据上级要求", "due": date(2025, 12, 31)},
        ]
    )
    found = plan(
        [task("甲", deadline="2023年底前"), task("乙", deadline="长期坚持"), task("丙", deadline="根据上级要求")]
    )
    score = score_document(exp, [found])
    assert score.fields["deadline"].right == 3
    assert score.fields["due"].right == 2  # 丙: parse_deadline refuses it, as the import would
    assert [m[0] for m in score.misses] == ["task 3 丙"]


def test_due_dates_written_as_iso_strings_compare_with_dates():
    exp = expected(tasks=[{"title": "甲", "deadline": "2021年2月底前", "due": "2021-02-28"}])
    score = score_document(exp, [plan([task("甲", deadline="2021年2月底前")])])
    assert score.fields["due"].right == 1


def test_fields_missing_from_the_expected_record_are_not_scored():
    exp = expected(tasks=[{"title": "建立联席会议制度"}])
    found = plan([task("建立联席会议制度", leads=("市无废办",), deadline="2020年底")])
    score = score_document(exp, [found])
    assert score.total().total == 1 and score.total().right == 1


def test_a_missing_record_makes_all_its_fields_wrong():
    exp = expected(tasks=[{"title": "甲", "leads": ["市财政局"]}, {"title": "完善应急预案体系", "leads": ["市应急局"]}])
    score = score_document(exp, [plan([task("甲", leads=("市财政局",))])])
    assert (score.total().right, score.total().total) == (2, 4)
    assert ("task 2 完善应急预案体系", "title", "完善应急预案体系", "(not found)") in score.misses


def test_indicators_match_by_name_and_an_empty_unit_is_expected_as_null():
    exp = expected(
        indicators=[
            {"name": "森林覆盖率", "unit": "%", "baseline": "45.31", "target": "46.3"},
            {"name": "人均预期寿命", "unit": None, "target": "78"},
        ]
    )
    found = plan(
        indicators=[
            indicator("人均预期寿命", unit="", target="78"),
            indicator("森林覆盖率", unit="％", baseline="45.31", target="≥46.3"),
        ]
    )
    score = score_document(exp, [found])
    assert score.indicators_matched == 2  # by name, whatever the order
    assert (score.total().right, score.total().total) == (6, 7)
    assert score.misses == [("indicator 1 森林覆盖率", "target", "46.3", "≥46.3")]


# --- refusals and arithmetic --------------------------------------------------------------------


def test_a_refused_document_scores_zero_and_keeps_its_error():
    exp = expected(
        tasks=[{"title": "甲", "leads": ["市财政局"], "deadline": "2023年", "due": date(2023, 12, 31)}],
        indicators=[{"name": "城镇化率", "unit": "%", "target": "70"}],
        plan_fields={"jurisdiction": "遂宁市", "title": "某方案"},
    )
    score = score_document(exp, None, error="x.pdf：无法识别的文件格式")
    assert score.refused and score.error == "x.pdf：无法识别的文件格式"
    assert (score.total().right, score.total().total) == (0, 7)
    assert score.records_found == 0 and score.extra == 0
    assert score.plan_fields == {"title": False, "jurisdiction": False}


def test_corpus_accuracy_is_right_fields_over_expected_fields_across_documents():
    exp_a = expected(tasks=[{"title": "甲", "leads": ["市财政局"]}, {"title": "乙", "leads": ["市商务局"]}])
    exp_b = expected(indicators=[{"name": "城镇化率", "unit": "%", "target": "70"}])
    a = score_document(exp_a, [plan([task("甲", leads=("市财政局",)), task("乙", leads=("市发展改革委",))])])
    b = score_document(exp_b, None, error="refused")
    corpus = CorpusScore([a, b])
    fields = corpus.fields()
    assert (fields["title"].right, fields["title"].total) == (2, 2)
    assert (fields["leads"].right, fields["leads"].total) == (1, 2)
    assert (fields["target"].right, fields["target"].total) == (0, 1)
    assert fields["baseline"].share is None
    total = corpus.total()
    assert (total.right, total.total) == (3, 7)
    overall = corpus.as_dict()["overall"]
    assert overall["accuracy"] == pytest.approx(3 / 7)
    assert overall["refused"] == ["doc"]
    assert overall["records_expected"] == 3 and overall["records_found"] == 2


def test_plan_fields_are_scored_apart_with_titles_matching_by_containment():
    exp = expected(
        tasks=[{"title": "甲"}],
        plan_fields={"title": "2023年重点工作任务分工方案", "jurisdiction": "某某区", "period_start": 2023},
    )
    found = plan([task("甲")], title="某某区2023年重点工作任务分工方案", period_start=2022)
    score = score_document(exp, [found])
    assert score.plan_fields == {"title": True, "jurisdiction": True, "period_start": False}
    assert score.total().total == 1  # plan fields are not in the record accuracy


def test_the_report_and_json_carry_the_figures():
    exp = expected(tasks=[{"title": "甲", "leads": ["市财政局"]}])
    corpus = CorpusScore(
        [score_document(exp, [plan([task("甲", leads=("市财政局",))])]), score_document(exp, None, error="读不出")]
    )
    text = report(corpus)
    assert "REFUSED: 读不出" in text
    assert "fields 2/4 = 50.0%" in text
    assert "leads 1/2 (50.0%)" in text
    data = json.loads(json.dumps(corpus.as_dict(), ensure_ascii=False))
    assert data["overall"]["right"] == 2 and data["documents"][1]["error"] == "读不出"


# --- the held-out batch ----------------------------------------------------------------------------


def test_the_holdout_flag_is_read_from_the_expected_file(tmp_path):
    held = tmp_path / "a.expected.yaml"
    held.write_text("file: a.txt\nholdout: true\ntasks:\n  - title: 甲\n", encoding="utf-8")
    tuning = tmp_path / "b.expected.yaml"
    tuning.write_text("file: b.txt\ntasks:\n  - title: 乙\n", encoding="utf-8")
    assert load_expected(held).holdout is True
    assert load_expected(tuning).holdout is False


def test_held_out_documents_are_summed_apart_and_in_the_overall_figure():
    tuning = score_document(
        expected(tasks=[{"title": "甲", "leads": ["市财政局"]}], doc_id="t"), [plan([task("甲", leads=("市财政局",))])]
    )
    held = score_document(
        expected(tasks=[{"title": "乙", "leads": ["市商务局"]}], doc_id="h", holdout=True),
        [plan([task("乙", leads=("市发展改革委",))])],
    )
    refused = score_document(expected(tasks=[{"title": "丙"}], doc_id="r", holdout=True), None, error="读不出")
    data = CorpusScore([tuning, held, refused]).as_dict()
    assert (data["overall"]["right"], data["overall"]["total"]) == (3, 5)
    assert (data["tuning"]["documents"], data["tuning"]["right"], data["tuning"]["total"]) == (1, 2, 2)
    assert (data["holdout"]["documents"], data["holdout"]["right"], data["holdout"]["total"]) == (2, 1, 3)
    assert data["holdout"]["refused"] == ["r"] and data["tuning"]["refused"] == []
    assert data["holdout"]["fields"]["leads"] == {"right": 0, "total": 1, "accuracy": 0.0}
    assert [d["holdout"] for d in data["documents"]] == [False, True, True]


def test_the_report_marks_held_out_documents_and_sums_each_set():
    tuning = score_document(expected(tasks=[{"title": "甲"}], doc_id="t"), [plan([task("甲")])])
    held = score_document(expected(tasks=[{"title": "乙"}], doc_id="h", holdout=True), None, error="读不出")
    text = report(CorpusScore([tuning, held]))
    assert "h *" in text and "t *" not in text
    assert "overall: 2 documents, 1 refused" in text
    assert "tuning set: 1 documents, 0 refused" in text and "fields 1/1 = 100.0%" in text
    assert "held-out set (*): 1 documents, 1 refused" in text and "fields 0/1 = 0.0%" in text
    # one set alone: no split lines
    assert "held-out set" not in report(CorpusScore([tuning]))


# --- collection batches ----------------------------------------------------------------------------


def test_the_batch_is_read_from_the_expected_file(tmp_path):
    second = tmp_path / "a.expected.yaml"
    second.write_text("file: a.txt\nbatch: 2\ntasks:\n  - title: 甲\n", encoding="utf-8")
    unlabelled = tmp_path / "b.expected.yaml"
    unlabelled.write_text("file: b.txt\ntasks:\n  - title: 乙\n", encoding="utf-8")
    assert load_expected(second).batch == 2 and load_expected(second).holdout is False
    assert load_expected(unlabelled).batch is None


def test_each_batch_is_summed_apart_in_the_json_and_the_report():
    first = score_document(expected(tasks=[{"title": "甲"}], doc_id="a", batch=1), [plan([task("甲")])])
    second = score_document(
        expected(tasks=[{"title": "乙", "leads": ["市商务局"]}], doc_id="b", batch=2), [plan([task("乙")])]
    )
    held = score_document(expected(tasks=[{"title": "丙"}], doc_id="c", batch=3, holdout=True), None, error="读不出")
    corpus = CorpusScore([first, second, held])
    data = corpus.as_dict()
    assert list(data["batches"]) == ["1", "2", "3"]
    assert (data["batches"]["1"]["right"], data["batches"]["1"]["total"]) == (1, 1)
    assert (data["batches"]["2"]["right"], data["batches"]["2"]["total"]) == (1, 2)
    assert data["batches"]["3"]["refused"] == ["c"]
    assert (data["tuning"]["documents"], data["holdout"]["documents"]) == (2, 1)
    assert [d["batch"] for d in data["documents"]] == [1, 2, 3]
    text = report(corpus)
    assert "batch 1: 1 documents, 0 refused" in text and "fields 1/1 = 100.0%" in text
    assert "batch 2: 1 documents, 0 refused" in text and "fields 1/2 = 50.0%" in text
    assert "batch 3: 1 documents, 1 refused" in text
    # one batch alone: no per-batch lines
    assert "batch 1:" not in report(CorpusScore([first]))
