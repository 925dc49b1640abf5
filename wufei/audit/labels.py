"""What `wufei audit` prints for the audit trail's actions, entities and changed fields: Chinese names
(the stored entries keep the identifiers; --json gives them as stored). Every column of the tables the
trail records is named here (tests/test_cli.py checks it), and the keys the services write beside
columns (leads, evidence, value_2025 …)."""

from __future__ import annotations

import re

ACTION_NAMES = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "correct": "更正",
    "generate": "生成",
    "lock": "锁定",
    "unlock": "解锁",
    "merge": "合并",
    "rename": "更名",
    "refused": "拒绝",
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "sign_out": "退出登录",
    "upload": "上传",
}

ENTITY_NAMES = {
    "plans": "方案",
    "tasks": "任务",
    "indicators": "指标",
    "indicator_values": "指标值",
    "indicator_reports": "指标报送",
    "indicator_milestones": "指标节点",
    "cells": "无废细胞",
    "cell_assessments": "细胞评估",
    "cell_counts": "细胞数量",
    "reports": "周报送",
    "report_inputs": "配合情况",
    "departments": "单位",
    "users": "账号",
    "web_sessions": "登录会话",
    "sign_in_tokens": "登录链接",
    "sign_in_lockouts": "登录锁定",
    "requests": "请求",
    "imports": "导入",
    "import_doubts": "待确认项",
    "extensions": "延期申请",
    "milestones": "节点",
    "contacts": "联系人",
    "calendar": "工作日历",
    "bulletins": "通报",
}

FIELD_NAMES = {
    # plans
    "jurisdiction_id": "地区",
    "jurisdiction": "地区",
    "title": "名称",
    "kind": "类别",
    "doc_number": "文号",
    "issuer": "发文单位",
    "issued_on": "印发日期",
    "period_start": "起始年份",
    "period_end": "截止年份",
    "cells_planned_total": "细胞计划总数",
    "cells_built_total": "细胞建成总数",
    "source_name": "来源文件",
    "source_sha256": "文件校验值",
    "imported_at": "导入时间",
    "notes": "备注",
    # tasks
    "plan_id": "方案",
    "list_kind": "清单",
    "list_name": "清单名称",
    "category": "类别",
    "number": "序号",
    "content": "主要内容",
    "owners_raw": "责任单位（原文）",
    "responsible_entity": "责任主体",
    "implementers_raw": "负责落实（原文）",
    "deadline_raw": "完成期限（原文）",
    "deadline_kind": "期限类型",
    "due_date": "完成期限",
    "deadline_note": "期限说明",
    "awaiting_assignment": "待指定牵头单位",
    "source_line": "原文行号",
    "completed_on": "完成日期",
    "ledger_status": "台账完成情况",
    "ledger_progress": "台账进度",
    "ledger_progress_on": "台账进度日期",
    "leads": "牵头单位",
    "lead": "牵头单位",  # the owners by role, as the importer records them
    "implementer": "负责落实单位",
    "supporting": "配合单位",
    "implementers": "负责落实单位",
    "assigned_on": "指定日期",
    # indicators
    "seq": "顺序",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "名称",
    "marks": "标注",
    "unit": "单位",
    "data_source": "数据来源",
    "attribute": "指标属性",
    "definition": "指标解释",
    "baseline_raw": "现状值（原文）",
    "baseline_value": "现状值",
    "baseline_text": "现状说明",
    "baseline_year": "现状年份",
    "target_raw": "目标值（原文）",
    "target_kind": "目标类型",
    "target_comparator": "目标比较方式",
    "target_value": "目标值",
    "target_value_high": "目标值上限",
    "target_qualitative": "定性目标",
    "target_year": "目标年份",
    "direction": "方向",
    "indicator_id": "指标",
    "year": "年份",
    "value": "数值",
    "value_raw": "数值（原文）",
    "forecast": "预计",
    "source": "来源",
    "recorded_at": "记录时间",
    "note": "说明",
    # cells
    "county": "县（市、区）",
    "address": "地址",
    "department_id": "单位",
    "state": "状态",
    "state_on": "状态日期",
    "return_reason": "退回理由",
    "created_at": "创建时间",
    "count": "数量",
    "count_raw": "数量（原文）",
    "lead_department_id": "牵头单位",
    "lead_raw": "牵头单位（原文）",
    "assessed_on": "评估日期",
    "total": "总分",
    "full_score": "满分",
    "pass_score": "合格分",
    "named": "命名",
    "assessor": "评估人",
    "from_state": "原状态",
    "to_state": "新状态",
    "on": "日期",
    # reports
    "task_id": "任务",
    "week_start": "报送周",
    "version": "版本",
    "progress": "进度",
    "done_text": "本周完成情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "submitted_at": "报送时间",
    "submitted_by": "报送人",
    "late": "逾期报送",
    "status": "状态",
    "review_note": "审核意见",
    "reviewed_at": "审核时间",
    "reviewed_by": "审核人",
    "evidence": "佐证材料",
    "text": "内容",
    "period": "期间",
    "caliber": "统计口径",
    # departments, users, sign-in
    "parent_id": "上级单位",
    "merged_into_id": "并入单位",
    "department": "单位",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "password_hash": "密码",
    "active": "启用",
    "expires_at": "过期时间",
    "used_at": "使用时间",
    "failures": "失败次数",
    "lifted_at": "解除时间",
    "until": "截至",
    "how": "方式",
    "user_id": "账号",
    "token_hash": "登录凭据",
    "csrf_token": "表单令牌",
    "key": "锁定对象",
    "locked_at": "锁定时间",
    "lifted_by": "解除人",
    # extensions, milestones, doubts
    "requested_on": "申请日期",
    "reason": "理由",
    "original_due_date": "原完成期限",
    "requested_due_date": "申请延至",
    "decided_on": "决定日期",
    "decided_by": "决定人",
    "decision_note": "决定意见",
    "expected_progress": "应达进度",
    "set_by": "设置人",
    "set_at": "设置时间",
    "record_type": "记录类型",
    "cell_id": "细胞",
    "field": "字段",
    "message": "说明",
    "fingerprint": "指纹",
    "decided_at": "决定时间",
    # contacts
    "alias": "别名",
    "liaison": "联络员",
    "liaison_phone": "联络员电话",
    "liaison_email": "联络员邮箱",
    "leader": "分管领导",
    "leader_phone": "分管领导电话",
    "leader_email": "分管领导邮箱",
    "wecom_robot": "企业微信机器人",
    "dingtalk_robot": "钉钉机器人",
    "feishu_robot": "飞书机器人",
    "source_row": "来源行",
    "updated_at": "更新时间",
    # files
    "file": "文件",
    "bytes": "大小",
}

_VALUE = re.compile(r"value_(\d{4})(?:_(\w+))?")


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


def entity_name(entity: str) -> str:
    return ENTITY_NAMES.get(entity, entity)


def field_name(field: str) -> str:
    """A changed field's Chinese name: a column's, or a year's value of an indicator (value_2025: 2025年数值)."""
    if field in FIELD_NAMES:
        return FIELD_NAMES[field]
    match = _VALUE.fullmatch(field)
    if match:
        part = FIELD_NAMES.get(match[2] or "value", match[2])
        return f"{match[1]}年{part}"
    return field
