"""The state machine, the categories file and the verdict of an assessment (pure rules)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wufei.cells.rules import CellRuleError, CellRules, CellState, check_transition, judge, next_states, parse_state


def test_a_cell_goes_from_application_to_naming_and_never_skips_a_step():
    check_transition(CellState.APPLIED, CellState.BUILDING, reason=None)
    check_transition(CellState.BUILDING, CellState.ASSESSING, reason=None)
    check_transition(CellState.ASSESSING, CellState.NAMED, reason=None)
    with pytest.raises(CellRuleError, match="当前为「创建中」，不能改为「命名」（只能改为：评估、退回）"):
        check_transition(CellState.BUILDING, CellState.NAMED, reason=None)
    with pytest.raises(CellRuleError, match="已命名，不能再变更"):
        check_transition(CellState.NAMED, CellState.RETURNED, reason="复查不合格")


def test_a_return_needs_its_reason_and_a_returned_cell_may_apply_again():
    with pytest.raises(CellRuleError, match="退回须说明理由"):
        check_transition(CellState.APPLIED, CellState.RETURNED, reason="  ")
    check_transition(CellState.APPLIED, CellState.RETURNED, reason="材料不全")
    assert next_states(CellState.RETURNED) == (CellState.APPLIED,)


def test_states_are_read_in_chinese_or_english():
    assert parse_state("创建中") is CellState.BUILDING
    assert parse_state("named") is CellState.NAMED
    with pytest.raises(CellRuleError, match="不认识的细胞状态「建成」"):
        parse_state("建成")


def test_the_shipped_categories_are_the_nine_of_seed_000_each_scored_out_of_100():
    rules = CellRules.load()
    assert list(rules.categories) == [
        "无废学校",
        "无废景区",
        "无废乡村",
        "无废小区",
        "无废机关",
        "无废事业单位",
        "无废工厂",
        "无废商场",
        "无废医院",
    ]
    assert {c.full_score for c in rules.categories.values()} == {Decimal(100)}
    assert rules.category("医院").lead == "市卫生健康委员会"


def test_an_office_may_add_a_category_with_its_own_pass_line_and_typos_are_refused():
    rules = CellRules.from_dict(
        {
            "pass_score": 80,
            "categories": {
                "无废饭店": {
                    "lead": "市商务局",
                    "unit": "家",
                    "pass_score": 70,
                    "criteria": [{"name": "光盘行动", "points": 10}],
                }
            },
        }
    )
    assert rules.category("无废饭店").pass_score == Decimal(70)
    with pytest.raises(CellRuleError, match="类别「无废饭店」中有不认识的设置：lead_dept"):
        CellRules.from_dict({"categories": {"无废饭店": {"lead_dept": "市商务局", "criteria": []}}})
    with pytest.raises(CellRuleError, match="满分应为正数"):
        CellRules.from_dict(
            {"categories": {"无废饭店": {"lead": "市商务局", "criteria": [{"name": "a", "points": 0}]}}}
        )


def test_the_verdict_names_a_cell_at_the_pass_line_and_returns_it_below_with_the_weakest_criteria():
    school = CellRules.load().category("无废学校")
    names = [c.name for c in school.criteria]
    passing = dict(zip(names, map(Decimal, ("12", "16", "16", "12", "24"))))  # 80 of 100
    verdict = judge(school, passing)
    assert verdict.named and verdict.total == 80
    assert verdict.reason == "评估得分80分（满分100分，得分率80%），命名线80%，达到命名线"
    failing = {**passing, names[4]: Decimal("10")}  # 66
    verdict = judge(school, failing)
    assert not verdict.named
    assert "未达命名线；失分较多：宣传教育（“无废”课程、主题活动、家校联动）10/30分" in verdict.reason


def test_every_criterion_must_be_scored_within_its_points():
    school = CellRules.load().category("无废学校")
    names = [c.name for c in school.criteria]
    with pytest.raises(CellRuleError, match="以下细则尚未评分"):
        judge(school, {names[0]: Decimal(10)})
    scores = dict.fromkeys(names, Decimal(10))
    with pytest.raises(CellRuleError, match="得分应在0到15分之间：16"):
        judge(school, {**scores, names[0]: Decimal(16)})


def test_the_days_a_cell_may_wait_in_a_state_are_data_and_typos_are_refused():
    shipped = CellRules.load()
    assert {state: stall.days for state, stall in shipped.stalled.items()} == {
        CellState.APPLIED: 30,
        CellState.BUILDING: 180,
        CellState.ASSESSING: 30,
    }
    base = {"categories": {"无废饭店": {"lead": "市商务局", "criteria": [{"name": "分类", "points": 100}]}}}
    office = CellRules.from_dict(base | {"stalled": {"评估": {"days": 10, "action": "请尽快评估。"}}})
    assert office.stall(CellState.ASSESSING).days == 10 and office.stall(CellState.BUILDING) is None
    for stalled, message in (
        ({"命名": {"days": 10, "action": "…"}}, "不能包括“命名”"),
        ({"评估": {"days": 0, "action": "…"}}, "days 应为正整数"),
        ({"评估": {"days": 10}}, "action 应为一句中文"),
        ({"评审": {"days": 10, "action": "…"}}, "不认识的细胞状态「评审」"),
    ):
        with pytest.raises(CellRuleError, match=message):
            CellRules.from_dict(base | {"stalled": stalled})
