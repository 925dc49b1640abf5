"""The header vocabulary (headers.yaml): roles of publishers' header words, read table-driven."""

from __future__ import annotations

import pytest

from wufei.importers.headers import YEAR, column_role, column_roles, header_year, is_header_row


@pytest.mark.parametrize(
    ("word", "role"),
    [
        *[(w, "task_name") for w in ["重点任务", "工作任务", "主要任务", "任务内容", "工作措施", "具体措施"]],
        *[(w, "lead") for w in ["牵头单位", "牵头部门", "主办单位"]],
        # a lone list of every owner (the first-named leads), read by the owner grammar
        *[(w, "owners") for w in ["责任单位", "负责单位", "负责部门"]],
        ("任务名称", "task_name"),
        ("市级牵头单位", "lead"),
        *[(w, "supporting") for w in ["配合单位", "协办单位", "参与单位", "参加单位", "协助单位"]],
        *[(w, "deadline") for w in ["完成时限", "完成时间", "时间节点", "时间进度", "进度安排", "完成期限"]],
        *[(w, "baseline") for w in ["现状值", "基准值", "基期值", "现状值（2020年）", "2020年现状值"]],
        *[(w, "target") for w in ["目标值", "2025年目标", "目标值（2025年）", "省级指标值", "2025年目标值"]],
        *[(w, "attribute") for w in ["指标属性", "指标类型"]],
        ("序 号", "number"),
        ("2020年", YEAR),
        ("预计到2025年", "forecast"),
        ("责任领导", "leader"),  # a person, never an owner
        ("电话", None),
    ],
)
def test_a_header_word_alone_has_its_role(word, role):
    assert column_role(word) == role


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (["序号", "任务", "牵头单位", "责任单位"], ["number", "task_name", "lead", "supporting"]),
        (["序号", "任务", "责任单位"], ["number", "task_name", "owners"]),
        (["序号", "任务", "责任单位", "配合单位"], ["number", "task_name", "lead", "supporting"]),
        (["工作任务", "负责部门", "协助单位"], ["task_name", "lead", "supporting"]),
        (["项目名称", "责任主体", "责任单位"], ["task_name", "entity", "owners"]),
        (["重点任务", "具体措施", "牵头单位"], ["task_name", "content", "lead"]),
        (["具体措施", "牵头单位"], ["task_name", "lead"]),
        (["指标", "省级指标值", "目标值"], ["name", "province_target", "target"]),
        (["指标名称", "2022年完成情况"], ["name", "observed"]),
        (["类别", "数量", "完成情况"], ["category", "count", "status"]),
    ],
)
def test_context_words_are_resolved_against_the_rest_of_the_header(header, roles):
    assert column_roles(header) == roles


def test_header_years_are_read_bracketed_or_not():
    assert (header_year("现状值（2020年）"), header_year("2025年目标值"), header_year("目标值")) == (2020, 2025, None)


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (["序号", "重点任务", "牵头单位", "配合单位", "完成时限"], True),
        (["工作任务", "负责部门", "时间进度"], True),
        (["指标", "2020年", "2025年"], True),
        (["1", "推进垃圾分类", "市城管局", "2025年"], False),
        (["2023年", "2025年"], False),  # years alone: a data row
        (["姓名", "电话", "序号"], False),
    ],
)
def test_header_rows_are_told_from_data_rows(cells, header):
    assert is_header_row(cells) is header
