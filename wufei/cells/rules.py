"""The rules of 无废细胞 (pure, strictly typed): which state changes are allowed, the categories with
their leads and checklists (`wufei/cells/categories.yaml`, an office's copy in WUFEI_CONFIG_DIR
replaces it), and what an assessment's scores decide.

A cell goes 申报 → 创建中 → 评估 → 命名; at any step before 命名 the office may return it (退回,
with a reason), and a returned cell may apply again (申报). 命名 is final. An assessment scores
every criterion of the cell's category; the cell is named when its total reaches the category's
命名线 (a percentage of the full score), else returned with the shortfall as the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class CellRuleError(ValueError):
    """A change the rules refuse, or a rules file that cannot be used; the message is Chinese."""


class CellState(StrEnum):
    APPLIED = "applied"
    BUILDING = "building"
    ASSESSING = "assessing"
    NAMED = "named"
    RETURNED = "returned"


STATE_NAMES: Mapping[CellState, str] = {
    CellState.APPLIED: "申报",
    CellState.BUILDING: "创建中",
    CellState.ASSESSING: "评估",
    CellState.NAMED: "命名",
    CellState.RETURNED: "退回",
}
# The order figures and tables list states in.
STATE_ORDER: tuple[CellState, ...] = tuple(STATE_NAMES)

TRANSITIONS: Mapping[CellState, frozenset[CellState]] = {
    CellState.APPLIED: frozenset({CellState.BUILDING, CellState.RETURNED}),
    CellState.BUILDING: frozenset({CellState.ASSESSING, CellState.RETURNED}),
    CellState.ASSESSING: frozenset({CellState.NAMED, CellState.RETURNED}),
    CellState.RETURNED: frozenset({CellState.APPLIED}),
    CellState.NAMED: frozenset(),
}


def parse_state(text: str) -> CellState:
    """A state as written: its Chinese name (申报, 创建中, 评估, 命名, 退回) or its English key."""
    written = text.strip()
    for state, name in STATE_NAMES.items():
        if written in (name, state.value):
            return state
    names = "、".join(STATE_NAMES.values())
    raise CellRuleError(f"不认识的细胞状态「{written}」，应为：{names}")


def check_transition(current: CellState, target: CellState, *, reason: str | None) -> None:
    """Refuse a change the state machine does not allow; 退回 needs its reason."""
    if target not in TRANSITIONS[current]:
        allowed = "、".join(STATE_NAMES[s] for s in STATE_ORDER if s in TRANSITIONS[current])
        raise CellRuleError(
            f"细胞当前为「{STATE_NAMES[current]}」，不能改为「{STATE_NAMES[target]}」"
            + (f"（只能改为：{allowed}）" if allowed else "（已命名，不能再变更）")
        )
    if target == CellState.RETURNED and not (reason or "").strip():
        raise CellRuleError("退回须说明理由")


def next_states(current: CellState) -> tuple[CellState, ...]:
    return tuple(s for s in STATE_ORDER if s in TRANSITIONS[current])


# --- categories and checklists -----------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    name: str
    points: Decimal


@dataclass(frozen=True)
class Category:
    name: str
    lead: str  # the lead department as the plan writes it (市教育局)
    unit: str
    criteria: tuple[Criterion, ...]
    pass_score: Decimal  # percent of the full score

    @property
    def full_score(self) -> Decimal:
        return sum((c.points for c in self.criteria), Decimal(0))


@dataclass(frozen=True)
class Stall:
    """How long a cell may stay in a state before its department and the office are reminded."""

    days: int
    action: str  # the next step, in Chinese


@dataclass(frozen=True)
class CellRules:
    categories: Mapping[str, Category] = field(default_factory=dict)
    stalled: Mapping[CellState, Stall] = field(default_factory=dict)

    @classmethod
    def load(cls) -> CellRules:
        from wufei.config import load_yaml

        return cls.from_dict(load_yaml("cells", "categories.yaml"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CellRules:
        unknown = sorted(set(data) - {"pass_score", "categories", "stalled"})
        if unknown:
            raise CellRuleError(f"无废细胞类别文件中有不认识的设置：{'、'.join(map(str, unknown))}")
        default_pass = _percent(data.get("pass_score", 80), "pass_score")
        raw = data.get("categories")
        if not isinstance(raw, Mapping) or not raw:
            raise CellRuleError("categories 应列出至少一个无废细胞类别")
        categories: dict[str, Category] = {}
        for name, body in raw.items():
            categories[str(name)] = _category(str(name), body, default_pass)
        return cls(categories, _stalled(data.get("stalled") or {}))

    def stall(self, state: CellState) -> Stall | None:
        return self.stalled.get(state)

    def category(self, name: str) -> Category:
        written = name.strip()
        found = self.categories.get(written) or self.categories.get(f"无废{written}")
        if found is None:
            raise CellRuleError(f"不认识的无废细胞类别「{written}」，应为：{'、'.join(self.categories)}")
        return found


def _percent(value: object, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellRuleError(f"{key} 应为0到100之间的数：{value}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise CellRuleError(f"{key} 应为0到100之间的数：{value}") from None
    if not 0 < number <= 100:
        raise CellRuleError(f"{key} 应为0到100之间的数：{value}")
    return number


def _stalled(raw: object) -> dict[CellState, Stall]:
    """`stalled: {申报: {days: 30, action: …}, …}`: the states a cell can wait in (not 命名)."""
    if not isinstance(raw, Mapping):
        raise CellRuleError("stalled 应为状态到 days、action 的映射（如 创建中: {days: 180, action: …}）")
    stalled: dict[CellState, Stall] = {}
    for key, body in raw.items():
        state = parse_state(str(key))
        if state == CellState.NAMED:
            raise CellRuleError("stalled 不能包括“命名”（命名后不再变更）")
        if not isinstance(body, Mapping) or set(body) - {"days", "action"}:
            raise CellRuleError(f"stalled.{key} 应写明 days（天数）和 action（下一步）")
        days, action = body.get("days"), body.get("action")
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise CellRuleError(f"stalled.{key}.days 应为正整数（天）：{days}")
        if not isinstance(action, str) or not action.strip():
            raise CellRuleError(f"stalled.{key}.action 应为一句中文（下一步要做什么）")
        stalled[state] = Stall(days, action.strip())
    return stalled


def _category(name: str, body: object, default_pass: Decimal) -> Category:
    if not isinstance(body, Mapping):
        raise CellRuleError(f"类别「{name}」应写明 lead、unit、criteria")
    unknown = sorted(set(body) - {"lead", "unit", "criteria", "pass_score"})
    if unknown:
        raise CellRuleError(f"类别「{name}」中有不认识的设置：{'、'.join(map(str, unknown))}")
    lead, unit = body.get("lead"), body.get("unit", "个")
    if not isinstance(lead, str) or not lead.strip():
        raise CellRuleError(f"类别「{name}」缺少牵头部门（lead）")
    if not isinstance(unit, str) or not unit.strip():
        raise CellRuleError(f"类别「{name}」的单位（unit）应为文字")
    raw_criteria = body.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise CellRuleError(f"类别「{name}」应列出评估细则（criteria）")
    criteria: list[Criterion] = []
    for index, item in enumerate(raw_criteria, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise CellRuleError(f"类别「{name}」第{index}项细则应写明 name 和 points")
        points = item.get("points")
        if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
            raise CellRuleError(f"类别「{name}」细则「{item['name']}」的满分应为正数：{points}")
        criteria.append(Criterion(str(item["name"]).strip(), Decimal(str(points))))
    names = [c.name for c in criteria]
    if len(set(names)) != len(names):
        raise CellRuleError(f"类别「{name}」的评估细则有重名")
    passing = _percent(body["pass_score"], f"{name}.pass_score") if "pass_score" in body else default_pass
    return Category(name, lead.strip(), unit.strip(), tuple(criteria), passing)


# --- assessment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    total: Decimal
    full: Decimal
    share: Decimal  # percent of the full score, two decimals
    pass_score: Decimal
    named: bool
    reason: str  # Chinese: why it is named or returned


def judge(category: Category, scores: Mapping[str, Decimal]) -> Verdict:
    """The verdict of one assessment: every criterion scored, each between 0 and its full points."""
    unknown = [name for name in scores if name not in {c.name for c in category.criteria}]
    if unknown:
        raise CellRuleError(f"「{category.name}」的评估细则中没有：{'、'.join(unknown)}")
    missing = [c.name for c in category.criteria if c.name not in scores]
    if missing:
        raise CellRuleError(f"以下细则尚未评分：{'、'.join(missing)}")
    for criterion in category.criteria:
        score = scores[criterion.name]
        if not 0 <= score <= criterion.points:
            raise CellRuleError(f"细则「{criterion.name}」的得分应在0到{_num(criterion.points)}分之间：{_num(score)}")
    total = sum((scores[c.name] for c in category.criteria), Decimal(0))
    full = category.full_score
    share = (total / full * 100).quantize(Decimal("0.01"))
    named = share >= category.pass_score
    line = f"得分{_num(total)}分（满分{_num(full)}分，得分率{_num(share)}%），命名线{_num(category.pass_score)}%"
    if named:
        return Verdict(total, full, share, category.pass_score, True, f"评估{line}，达到命名线")
    weakest = sorted(category.criteria, key=lambda c: scores[c.name] / c.points)[:2]
    low = "、".join(f"{c.name}{_num(scores[c.name])}/{_num(c.points)}分" for c in weakest)
    return Verdict(total, full, share, category.pass_score, False, f"评估{line}，未达命名线；失分较多：{low}")


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"
