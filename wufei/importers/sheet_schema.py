"""The ledger workbook: sheet names and Chinese column headers, shared by the
template, the export and the spreadsheet reader so the three cannot drift apart."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from wufei.importers.records import DOUBT_FIELDS, Doubt, ListKind, PlanKind
from wufei.importers.text.normalize import normalize_cell

PLANS, TASKS, PROJECTS, INDICATORS, CELLS, DEPARTMENTS, README = (
    "方案",
    "任务",
    "项目",
    "指标",
    "无废细胞",
    "部门",
    "填写说明",
)

LIST_NAMES = {
    ListKind.MAIN: "主要任务",
    ListKind.INSTITUTION: "制度体系",
    ListKind.TECHNOLOGY: "技术体系",
    ListKind.MARKET: "市场体系",
    ListKind.REGULATION: "监管体系",
    ListKind.PROJECT: "工程项目",
}
LIST_KINDS = {name: kind for kind, name in LIST_NAMES.items()}

PLAN_KIND_NAMES = {PlanKind.PLAN: "方案", PlanKind.EVALUATION: "评估", PlanKind.PROGRESS: "进展"}
PLAN_KINDS = {name: kind for kind, name in PLAN_KIND_NAMES.items()}

ATTRIBUTE_NAMES = {"binding": "约束性", "expected": "预期性"}

NAME_SEPARATOR = "、"

# Where a task stands by the office's ledger (wufei.tasks.ledger_status).
STATUS_NOTE = (
    "台账中的完成情况，如 已完成、已于2023年5月完成、推进中、进度80%；"
    "标注完成的任务按已完成导入（待确认），基本完成、持续推进等不按完成处理"
)

# Columns per sheet: header -> description (shown in the 填写说明 sheet). Headers marked
# "导出" are written for reading and ignored on import.
COLUMNS: dict[str, dict[str, str]] = {
    PLANS: {
        "方案名称": "必填。文件标题",
        "文号": "如 衡政办字〔2022〕57号；无文号可留空",
        "地区": "必填。如 衡水市、保定市、河北省",
        "类型": "方案 / 评估 / 进展",
        "印发单位": "",
        "印发日期": "如 2022-10-07",
        "起始年": "如 2021",
        "截止年": "如 2025；未列完成期限的任务按此年底",
        "无废细胞计划数": "",
        "无废细胞建成数": "",
    },
    TASKS: {
        "方案": "必填。方案的文号或名称",
        "清单": "主要任务 / 制度体系 / 技术体系 / 市场体系 / 监管体系",
        "序号": "必填。清单内序号，同一清单内不可重复",
        "分组": "如 （一）强化顶层设计引领",
        "任务类别": "",
        "任务名称": "必填",
        "主要内容": "",
        "牵头单位": "多个单位用、分隔；留空表示待办公室指定",
        "配合单位": "多个单位用、分隔",
        "落实单位": "如 各市政府",
        "责任原文": "文件中的责任表述，仅供参考",
        "落实原文": "文件中的落实表述，仅供参考",
        "完成期限": "如 2025年底、2024年4月底前、持续推进、完成年度任务；留空按方案截止年",
        "完成情况": STATUS_NOTE,
        "截止日期": "导出。由完成期限计算",
        "期限类型": "导出。fixed / annual / ongoing",
    },
    PROJECTS: {
        "方案": "必填。方案的文号或名称",
        "序号": "必填",
        "分组": "如 衡水市“十四五”时期“无废城市”工程项目建设清单",
        "任务类别": "",
        "项目名称": "必填",
        "责任主体": "项目实施企业",
        "主要内容": "",
        "牵头单位": "多个单位用、分隔",
        "配合单位": "多个单位用、分隔",
        "责任原文": "文件中的责任部门表述，仅供参考",
        "完成期限": "如 2022年底",
        "完成情况": STATUS_NOTE,
        "截止日期": "导出。由完成期限计算",
        "期限类型": "导出。fixed / annual / ongoing",
    },
    INDICATORS: {
        "方案": "必填。方案的文号或名称",
        "序号": "必填。同一序号下多行时按顺序区分",
        "一级指标": "",
        "二级指标": "",
        "三级指标": "必填。指标名称",
        "标识": "★ 国家必选 ※ 省特色 △/✦ 市特色",
        "指标类型": "",
        "现状值": "如 15 或 15（2021年）",
        "现状值年份": "现状值未写年份时使用",
        "目标值": "如 100、≥30、>90、逐年提高、完成省定任务",
        "目标年份": "",
        "单位": "",
        "数据来源": "",
        "指标属性": "约束性 / 预期性",
        "牵头单位": "多个单位用、分隔",
        "配合单位": "多个单位用、分隔",
        "责任原文": "文件中的责任表述，仅供参考",
        "指标解释": "",
        "实际值": "按年份填写，如 2022年：43；2023年：50",
        "预计完成情况": "可以完成 / 存在不确定性",
    },
    CELLS: {
        "方案": "必填。方案的文号或名称",
        "序号": "",
        "类别": "必填。如 无废学校",
        "数量": "必填。如 30所",
        "推进情况": "已完成 / 持续推进中",
        "牵头部门": "",
    },
    DEPARTMENTS: {
        "地区": "必填",
        "名称": "必填。规范名称",
        "类型": "bureau / county_gov / zone / outside / group / provincial_dept / city_gov",
        "别名": "多个用、分隔",
        "上级单位": "",
    },
}

EXPORT_ONLY = {"截止日期", "期限类型"}

# --- doubts in the workbook ---------------------------------------------------------------------
# A preview (or an export) lists each record's open doubts in 待确认, one a line, and keeps a copy
# in the hidden 待确认记录 column with the value the field had then. On import, a doubt whose
# field has since changed was corrected; one whose line was deleted was confirmed; the rest stay
# open. Lines the office writes itself become doubts about the record.

DOUBTS, DOUBT_RECORD = "待确认", "待确认记录"
DOUBT_DESCRIPTIONS = {
    DOUBTS: "需核实的栏目及原因，每行一项。核实无误可删去该行；更正对应栏目后该项视为已更正；也可自行写入需核实的事项",
    DOUBT_RECORD: "系统使用，请勿修改：生成时的待确认项及当时的栏目值（隐藏列）",
}
for _sheet in (PLANS, TASKS, PROJECTS, INDICATORS, CELLS):
    COLUMNS[_sheet].update(DOUBT_DESCRIPTIONS)

# The columns a doubt on each field is about, per sheet.
_OWNERS = {"leads": ("牵头单位",), "supporting": ("配合单位",)}
DOUBT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    PLANS: {"title": ("方案名称",), "doc_number": ("文号",), "jurisdiction": ("地区",), "period": ("起始年", "截止年")},
    TASKS: {
        "title": ("任务名称",),
        **_OWNERS,
        "implementers": ("落实单位",),
        "deadline": ("完成期限",),
        "status": ("完成情况",),
    },
    PROJECTS: {"title": ("项目名称",), **_OWNERS, "deadline": ("完成期限",), "status": ("完成情况",)},
    INDICATORS: {
        "title": ("三级指标",),
        **_OWNERS,
        "baseline": ("现状值",),
        "target": ("目标值",),
        "unit": ("单位",),
    },
    CELLS: {"title": ("类别",), "count": ("数量",), "leads": ("牵头部门",)},
}
_FIELD_KEYS = {name: key for key, name in DOUBT_FIELDS.items()}
_LINE = re.compile(r"^【(?P<field>[^】]{1,12})】\s*(?P<message>.+)$")


def doubt_line(doubt: Doubt) -> str:
    """【牵头单位】未识别的单位「市环保厅」…"""
    return f"【{DOUBT_FIELDS.get(doubt.field, doubt.field)}】{doubt.message}"


def field_value(sheet: str, field: str, values: Mapping[str, object]) -> str | None:
    """The value of the columns a doubt is about, compared as text; None when it has no column."""
    columns = DOUBT_COLUMNS.get(sheet, {}).get(field)
    if not columns:
        return None
    return "/".join(normalize_cell(None if values.get(c) is None else str(values.get(c))) or "" for c in columns)


def doubt_cells(sheet: str, values: dict[str, object], doubts: list[Doubt]) -> dict[str, str]:
    """The 待确认 and 待确认记录 cells of a row with these doubts."""
    record = [
        {"field": d.field, "message": d.message, "text": d.text, "value": field_value(sheet, d.field, values)}
        for d in doubts
    ]
    return {DOUBTS: "\n".join(doubt_line(d) for d in doubts), DOUBT_RECORD: json.dumps(record, ensure_ascii=False)}


def carried_doubts(sheet: str, values: dict[str, str]) -> list[Doubt]:
    """The doubts a row of a workbook still carries (see above); `values` as read, not normalized."""
    lines = [line.strip() for line in (values.get(DOUBTS) or "").splitlines() if line.strip()]
    try:
        recorded = json.loads(values.get(DOUBT_RECORD) or "[]")
        recorded = [r for r in recorded if isinstance(r, dict) and r.get("field") and r.get("message")]
    except (ValueError, TypeError, AttributeError):
        recorded = []  # an edited copy: every line still listed stays open
    doubts = []
    for entry in recorded:
        doubt = Doubt(str(entry["field"]), str(entry["message"]), entry.get("text"))
        line = doubt_line(doubt)
        if line not in lines:
            continue  # deleted by the office: confirmed
        lines.remove(line)
        if entry.get("value") is not None and field_value(sheet, doubt.field, values) != entry["value"]:
            continue  # the field was changed: corrected
        doubts.append(doubt)
    for line in lines:
        match = _LINE.match(line)
        if match and match["field"] in _FIELD_KEYS:
            doubts.append(Doubt(_FIELD_KEYS[match["field"]], match["message"].strip()))
        else:
            doubts.append(Doubt("record", line))
    return doubts


EXAMPLE_ROWS: dict[str, dict[str, object]] = {
    PLANS: {
        "方案名称": "示例市“十四五”时期“无废城市”建设实施方案",
        "文号": "示政办字〔2024〕1号",
        "地区": "衡水市",
        "类型": "方案",
        "印发单位": "示例市人民政府办公室",
        "印发日期": "2024-03-01",
        "起始年": 2024,
        "截止年": 2025,
    },
    TASKS: {
        "方案": "示政办字〔2024〕1号",
        "清单": "制度体系",
        "序号": "1",
        "任务类别": "一般工业固体废物",
        "任务名称": "健全一般工业固体废物申报登记制度",
        "主要内容": "依托省固体废物管理平台开展网上申报。",
        "牵头单位": "市生态环境局",
        "配合单位": "市工业和信息化局",
        "完成期限": "2024年底",
    },
    PROJECTS: {
        "方案": "示政办字〔2024〕1号",
        "序号": "1",
        "任务类别": "危废处置",
        "项目名称": "废活性炭再生",
        "责任主体": "示例环境工程有限公司",
        "主要内容": "废活性炭再生1万吨/年。",
        "牵头单位": "市生态环境局",
        "配合单位": "故城县人民政府",
        "完成期限": "2025年底",
    },
    INDICATORS: {
        "方案": "示政办字〔2024〕1号",
        "序号": "1",
        "一级指标": "固体废物源头减量",
        "二级指标": "工业源头减量",
        "三级指标": "一般工业固体废物产生强度",
        "标识": "★",
        "现状值": "0.5",
        "现状值年份": 2023,
        "目标值": "0.4",
        "目标年份": 2025,
        "单位": "吨/万元",
        "数据来源": "市生态环境局",
        "指标属性": "约束性",
        "牵头单位": "市生态环境局",
        "配合单位": "市统计局",
    },
    CELLS: {
        "方案": "示政办字〔2024〕1号",
        "序号": "1",
        "类别": "无废学校",
        "数量": "30所",
        "推进情况": "已完成",
        "牵头部门": "市教育局",
    },
    DEPARTMENTS: {"地区": "衡水市", "名称": "市生态环境局", "类型": "bureau", "别名": "市环保局"},
}


def split_names(text: object) -> tuple[str, ...]:
    """Split on 、，, outside parentheses: 各县（市、区）政府 stays one name."""
    if text is None:
        return ()
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in str(text):
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth = max(depth - 1, 0)
        if depth == 0 and char in "、，,；;":
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return tuple(n.strip() for n in names if n.strip())


def join_names(names: list[str] | tuple[str, ...]) -> str:
    return NAME_SEPARATOR.join(names)
