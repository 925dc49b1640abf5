"""Record sets to lay out: the hand-written expected records of corpus documents of different kinds (task
tables, prose plans, indicator tables) and the records of two seeds (exact by the project's own tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
SEEDS = ROOT / "examples" / "seeds"

# Corpus documents whose records are laid out: task tables (some with deadlines), prose plans, indicator tables.
TASK_SETS = (
    "sc_suining_2016",
    "cq_yuzhong_wufei_2021",
    "sc_dazhu_minsheng_2016",
    "js_changzhou_2011",
    "hn_changsha_2012",
    "sn_tongchuan_2020",
    "hb_xianan_2023",
    "ln_lishan_2023",
    "hlj_zhengfu_fengong_2013",
)
INDICATOR_SETS = (
    "js_lianggeshuaixian_2013",
    "sn_yangling_jihua_2022",
    "cn_nongye_xiandaihua_2021",
    "hn_changde_stwm_zhibiao",
)
SEED_TASKS = "seed002"  # 保定's 39 tasks with 〔牵头部门：…；责任部门：…〕
SEED_INDICATORS = "seed001"  # 衡水's indicator system
_SEED_FILES = {SEED_TASKS: "保政办函〔2022〕50号.txt", SEED_INDICATORS: "衡政办字〔2022〕57号.txt"}


@dataclass(frozen=True)
class TaskRecord:
    title: str
    leads: tuple[str, ...]
    supporting: tuple[str, ...]
    deadline: str | None = None
    due: date | None = None


@dataclass(frozen=True)
class IndicatorRecord:
    name: str
    unit: str | None
    baseline: str | None
    target: str | None


@dataclass
class RecordSet:
    id: str
    title: str  # the plan's title, printed above the records
    year: int  # the plan's year: deadlines written without one fall in it
    tasks: list[TaskRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)


def _unit(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return None if text in ("", "-", "—", "/") else text


def corpus_set(doc_id: str) -> RecordSet:
    data = yaml.safe_load((CORPUS / f"{doc_id}.expected.yaml").read_text(encoding="utf-8"))
    plan = data.get("plan") or {}
    year = int(plan.get("period_end") or plan.get("period_start") or 2024)
    title = plan.get("title") or "重点工作任务分工方案"
    tasks = [
        TaskRecord(
            t["title"],
            tuple(t.get("leads") or ()),
            tuple(t.get("supporting") or ()),
            t.get("deadline"),
            t.get("due"),
        )
        for t in data.get("tasks") or []
    ]
    indicators = [
        IndicatorRecord(
            i["name"],
            _unit(i.get("unit")),
            None if i.get("baseline") is None else str(i["baseline"]),
            None if i.get("target") is None else str(i["target"]),
        )
        for i in data.get("indicators") or []
    ]
    return RecordSet(doc_id, title, year, tasks, indicators)


def seed_set(name: str) -> RecordSet:
    """A seed's records as the importer reads them from its text (kept exact by tests/test_seeds*)."""
    from bench.fidelity import found_records
    from wufei.importers.service import read_source

    plans = read_source(SEEDS / _SEED_FILES[name]).plans
    found_tasks, found_indicators = found_records(plans)
    plan = plans[0]
    year = plan.period_end or 2025
    if name == SEED_TASKS:
        tasks = [
            TaskRecord(t.title, t.leads, t.supporting)
            for t in found_tasks
            if t.title and "。" not in t.title and t.leads  # tasks with owners, titled by their heading
        ]
        return RecordSet(name, plan.title or "", year, tasks=tasks)
    indicators = [IndicatorRecord(i.name, _unit(i.unit), i.baseline, i.target) for i in found_indicators if i.target]
    return RecordSet(name, plan.title or "", year, indicators=indicators)


@cache
def record_set(name: str) -> RecordSet:
    return seed_set(name) if name in _SEED_FILES else corpus_set(name)


def task_sets() -> list[str]:
    return [*TASK_SETS, SEED_TASKS]


def indicator_sets() -> list[str]:
    return [*INDICATOR_SETS, SEED_INDICATORS]
