"""How faithfully an imported plan reproduces the records a person reads in the document.

The corpus (tests/corpus/) holds, for each published document, the tasks and indicators written
by hand in `<id>.expected.yaml`. This module compares a `ParsedPlan` (or the error that refused
the document) with them, field by field:

- found tasks are matched to expected tasks by title similarity keeping document order (an
  alignment, so two tasks with the same title are not both matched to the first); found
  indicators to expected ones by name, equal names first, then the most similar;
- every scored field of an expected record counts once: right when the matched record has the
  same value after normalising whitespace and punctuation forms, wrong when it differs or when
  the record was not found; a key absent from the expected record is not scored;
- found records that match nothing are counted as extra, not as wrong fields;
- a refused document scores 0 on all its fields;
- plan fields (title, place, number, period) are scored apart;
- documents marked `holdout: true` (the held-out batch the importer is never tuned to) are
  summed apart as well as in the overall figure; each collection batch (`batch: N`) gets a
  summary of its own too, so a gain on the tuning batches can be set against the held-out one.

Owners come from `record.leads/supporting` when the reader set them, else from
`wufei.departments.owners.parse_owners(record.owners_raw)`; the due date from
`wufei.tasks.deadlines.parse_deadline` called as `wufei/plans/service.py:_task_row` calls it
(a deadline it cannot parse is a wrong due date: the import would refuse the file).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from wufei.departments.owners import parse_owners
from wufei.importers.records import ParsedPlan
from wufei.tasks.deadlines import DeadlineError, parse_deadline

TASK_FIELDS = ("title", "leads", "supporting", "deadline", "due")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target")
PLAN_FIELDS = ("title", "jurisdiction", "doc_number", "period_start", "period_end")
# How the per-field figures are labelled (an indicator's name is not a task's title).
FIELD_LABELS = {
    "title": "title",
    "leads": "leads",
    "supporting": "supporting",
    "deadline": "deadline text",
    "due": "due date",
    "name": "indicator name",
    "unit": "unit",
    "baseline": "baseline",
    "target": "target",
}
MATCH_THRESHOLD = 0.5  # below this similarity two titles are different records
CONTAINED_SIMILARITY = 0.8  # one title holding the other whole (a heading inside a paragraph)

_FORMS = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "―": "-",
        "－": "-",
        "～": "~",
        "〜": "~",
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "。": ".",
        "｡": ".",
    }
)
_TRAILING = ".;,:"


def normalize(text: str | None) -> str:
    """Text compared up to whitespace and punctuation forms (full-width/ASCII, dashes, quotes)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).translate(_FORMS)
    return re.sub(r"\s+", "", text).rstrip(_TRAILING)


class DueError(str):
    """A deadline parse_deadline refused; never equal to an expected due date."""


@dataclass(frozen=True)
class FoundTask:
    title: str
    leads: tuple[str, ...]
    supporting: tuple[str, ...]
    deadline: str | None
    due: date | DueError | None


@dataclass(frozen=True)
class FoundIndicator:
    name: str
    unit: str | None
    baseline: str | None
    target: str | None


@dataclass
class Expected:
    doc_id: str
    file: str
    plan: dict[str, Any]
    tasks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    holdout: bool = False
    batch: int | None = None  # the collection round the document came in (1, 2, 3 …)

    @property
    def records(self) -> int:
        return len(self.tasks) + len(self.indicators)


def load_expected(path: Path) -> Expected:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Expected(
        doc_id=path.name.removesuffix(".expected.yaml"),
        file=data["file"],
        plan=data.get("plan") or {},
        tasks=list(data.get("tasks") or []),
        indicators=list(data.get("indicators") or []),
        holdout=bool(data.get("holdout", False)),
        batch=data.get("batch"),
    )


def found_records(plans: Sequence[ParsedPlan]) -> tuple[list[FoundTask], list[FoundIndicator]]:
    """The tasks and indicators of the imported plans, owners and due dates resolved as the loader does."""
    tasks: list[FoundTask] = []
    indicators: list[FoundIndicator] = []
    for plan in plans:
        for record in plan.tasks:
            if record.leads is not None or record.supporting is not None:
                leads, supporting = tuple(record.leads or ()), tuple(record.supporting or ())
            else:
                spec = parse_owners(record.owners_raw)
                leads, supporting = spec.leads, spec.supporting
            try:
                due: date | DueError | None = parse_deadline(
                    record.deadline_raw,
                    plan_start=plan.period_start,
                    plan_end=plan.period_end,
                    issued_on=plan.issued_on,
                ).due_date
            except DeadlineError as exc:
                due = DueError(str(exc))
            tasks.append(FoundTask(record.title, leads, supporting, record.deadline_raw, due))
        for record in plan.indicators:
            indicators.append(FoundIndicator(record.name, record.unit, record.baseline_raw, record.target_raw))
    return tasks, indicators


def similarity(expected: str, found: str) -> float:
    a, b = normalize(expected), normalize(found)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and shorter in longer:
        ratio = max(ratio, CONTAINED_SIMILARITY)
    return ratio


def align(expected: Sequence[str], found: Sequence[str], threshold: float = MATCH_THRESHOLD) -> dict[int, int]:
    """Expected index -> found index: the order-keeping pairing with the greatest total similarity."""
    n, m = len(expected), len(found)
    sims = [[similarity(e, f) for f in found] for e in expected]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            pair = best[i - 1][j - 1] + sims[i - 1][j - 1] if sims[i - 1][j - 1] >= threshold else -1.0
            best[i][j] = max(best[i - 1][j], best[i][j - 1], pair)
    pairs: dict[int, int] = {}
    i, j = n, m
    while i and j:
        s = sims[i - 1][j - 1]
        if s >= threshold and best[i][j] == best[i - 1][j - 1] + s:
            pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs


def match_by_name(expected: Sequence[str], found: Sequence[str], threshold: float = MATCH_THRESHOLD) -> dict[int, int]:
    """Expected index -> found index, one to one, whatever the order: equal names first, then the most similar."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    found_norm = [normalize(f) for f in found]
    for i, name in enumerate(expected):
        key = normalize(name)
        j = next((j for j, f in enumerate(found_norm) if f == key and j not in taken), None)
        if j is not None:
            pairs[i] = j
            taken.add(j)
    for i, name in enumerate(expected):
        if i in pairs:
            continue
        candidates = [(similarity(name, f), j) for j, f in enumerate(found) if j not in taken]
        best = max(candidates, default=(0.0, -1))
        if best[0] >= threshold:
            pairs[i] = best[1]
            taken.add(best[1])
    return pairs


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += ok

    def __iadd__(self, other: Tally) -> Tally:
        self.right += other.right
        self.total += other.total
        return self

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class DocumentScore:
    doc_id: str
    file: str
    error: str | None = None
    holdout: bool = False
    batch: int | None = None
    tasks_expected: int = 0
    tasks_found: int = 0
    tasks_matched: int = 0
    indicators_expected: int = 0
    indicators_found: int = 0
    indicators_matched: int = 0
    fields: dict[str, Tally] = field(default_factory=dict)
    plan_fields: dict[str, bool] = field(default_factory=dict)
    # Expected fields the import got wrong: (record, field, expected, found), for the engineers.
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.error is not None

    @property
    def records_expected(self) -> int:
        return self.tasks_expected + self.indicators_expected

    @property
    def records_found(self) -> int:
        return self.tasks_found + self.indicators_found

    @property
    def extra(self) -> int:
        return self.tasks_found - self.tasks_matched + self.indicators_found - self.indicators_matched

    def total(self) -> Tally:
        out = Tally()
        for tally in self.fields.values():
            out += tally
        return out

    def as_dict(self) -> dict[str, Any]:
        total = self.total()
        return {
            "id": self.doc_id,
            "file": self.file,
            "holdout": self.holdout,
            "batch": self.batch,
            "refused": self.refused,
            "error": self.error,
            "tasks": {"expected": self.tasks_expected, "found": self.tasks_found, "matched": self.tasks_matched},
            "indicators": {
                "expected": self.indicators_expected,
                "found": self.indicators_found,
                "matched": self.indicators_matched,
            },
            "extra": self.extra,
            "fields": {name: {"right": t.right, "total": t.total} for name, t in self.fields.items()},
            "accuracy": total.share,
            "plan_fields": self.plan_fields,
            "misses": [
                {"record": record, "field": name, "expected": _jsonable(exp), "found": _jsonable(got)}
                for record, name, exp, got in self.misses
            ],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return sorted(value)
    return value


def _as_due(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _same_text(expected: Any, found: Any) -> bool:
    return normalize(expected) == normalize(found)


def _same_names(expected: Iterable[str], found: Iterable[str]) -> bool:
    return {normalize(n) for n in expected} - {""} == {normalize(n) for n in found} - {""}


def _same_field(name: str, expected: Any, found: Any) -> bool:
    if name in ("leads", "supporting"):
        return _same_names(expected or (), found or ())
    if name == "due":
        return not isinstance(found, DueError) and _as_due(expected) == found
    return _same_text(expected, found)


def score_document(expected: Expected, plans: Sequence[ParsedPlan] | None, error: str | None = None) -> DocumentScore:
    """Score one document: its imported plans, or the error that refused it (plans None)."""
    score = DocumentScore(expected.doc_id, expected.file, error=error, holdout=expected.holdout, batch=expected.batch)
    score.tasks_expected = len(expected.tasks)
    score.indicators_expected = len(expected.indicators)
    score.fields = {name: Tally() for name in (*TASK_FIELDS, *INDICATOR_FIELDS)}
    if plans is None:
        found_tasks: list[FoundTask] = []
        found_indicators: list[FoundIndicator] = []
    else:
        found_tasks, found_indicators = found_records(plans)
    score.tasks_found = len(found_tasks)
    score.indicators_found = len(found_indicators)

    task_pairs = align([t["title"] for t in expected.tasks], [t.title for t in found_tasks])
    score.tasks_matched = len(task_pairs)
    for i, exp in enumerate(expected.tasks):
        got = found_tasks[task_pairs[i]] if i in task_pairs else None
        _score_fields(score, f"task {i + 1} {exp['title']}", exp, got, TASK_FIELDS)

    indicator_pairs = match_by_name([t["name"] for t in expected.indicators], [t.name for t in found_indicators])
    score.indicators_matched = len(indicator_pairs)
    for i, exp in enumerate(expected.indicators):
        got = found_indicators[indicator_pairs[i]] if i in indicator_pairs else None
        _score_fields(score, f"indicator {i + 1} {exp['name']}", exp, got, INDICATOR_FIELDS)

    if plans:
        score.plan_fields = _score_plan(expected.plan, plans[0])
    else:
        score.plan_fields = {name: False for name in PLAN_FIELDS if name in expected.plan}
    return score


def _score_fields(score: DocumentScore, label: str, expected: dict, found: Any, names: Sequence[str]) -> None:
    for name in names:
        if name not in expected:
            continue
        value = getattr(found, name) if found is not None else None
        ok = found is not None and _same_field(name, expected[name], value)
        score.fields[name].add(ok)
        if not ok:
            score.misses.append((label, name, expected[name], "(not found)" if found is None else value))


def _score_plan(expected: dict[str, Any], plan: ParsedPlan) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in PLAN_FIELDS:
        if name not in expected:
            continue
        want, got = expected[name], getattr(plan, name)
        if name == "title":
            a, b = normalize(want), normalize(got)
            out[name] = bool(a and b) and (a in b or b in a)
        elif name.startswith("period"):
            out[name] = want == got
        else:
            out[name] = _same_text(want, got)
    return out


@dataclass
class CorpusScore:
    documents: list[DocumentScore]

    def fields(self) -> dict[str, Tally]:
        out = {name: Tally() for name in (*TASK_FIELDS, *INDICATOR_FIELDS)}
        for doc in self.documents:
            for name, tally in doc.fields.items():
                out[name] += tally
        return out

    def total(self) -> Tally:
        out = Tally()
        for tally in self.fields().values():
            out += tally
        return out

    def plan_fields(self) -> Tally:
        out = Tally()
        for doc in self.documents:
            for ok in doc.plan_fields.values():
                out.add(ok)
        return out

    def subset(self, holdout: bool) -> CorpusScore:
        """The held-out documents (holdout=True) or the tuning set (False)."""
        return CorpusScore([doc for doc in self.documents if doc.holdout == holdout])

    def batches(self) -> dict[int, CorpusScore]:
        """The documents of each collection batch, in batch order (documents without one are left out)."""
        numbers = sorted({doc.batch for doc in self.documents if doc.batch is not None})
        return {n: CorpusScore([doc for doc in self.documents if doc.batch == n]) for n in numbers}

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": [doc.as_dict() for doc in self.documents],
            "overall": self.summary(),
            "tuning": self.subset(holdout=False).summary(),
            "holdout": self.subset(holdout=True).summary(),
            "batches": {str(n): batch.summary() for n, batch in self.batches().items()},
        }

    def summary(self) -> dict[str, Any]:
        fields = self.fields()
        total = self.total()
        plan = self.plan_fields()
        return {
            "documents": len(self.documents),
            "refused": [doc.doc_id for doc in self.documents if doc.refused],
            "records_expected": sum(d.records_expected for d in self.documents),
            "records_found": sum(d.records_found for d in self.documents),
            "records_matched": sum(d.tasks_matched + d.indicators_matched for d in self.documents),
            "extra": sum(d.extra for d in self.documents),
            "fields": {name: {"right": t.right, "total": t.total, "accuracy": t.share} for name, t in fields.items()},
            "accuracy": total.share,
            "right": total.right,
            "total": total.total,
            "plan_fields": {"right": plan.right, "total": plan.total, "accuracy": plan.share},
        }


def _percent(tally: Tally) -> str:
    return "   -  " if tally.share is None else f"{100 * tally.share:5.1f}%"


def report(corpus: CorpusScore) -> str:
    """Per document and overall: records found/expected (+extra) and field accuracy.

    Held-out documents are marked `*`; when the corpus mixes both sets, each gets a summary of its own,
    and so does each batch when the corpus holds more than one.
    """
    width = max([28, *(len(doc.doc_id) + 2 for doc in corpus.documents)])  # the id and its held-out mark
    lines = [
        f"{'document':{width}} {'tasks':>9} {'indicators':>11} {'extra':>5} {'fields':>9} {'accuracy':>8}  plan",
    ]
    for doc in corpus.documents:
        total = doc.total()
        plan = Tally()
        for ok in doc.plan_fields.values():
            plan.add(ok)
        columns = [
            f"{doc.doc_id + (' *' if doc.holdout else ''):{width}}",
            f"{doc.tasks_found:>4}/{doc.tasks_expected:<4}",
            f"{doc.indicators_found:>5}/{doc.indicators_expected:<5}",
            f"{doc.extra:>5}",
            f"{total.right:>4}/{total.total:<4}",
            f"{_percent(total):>8} ",
            f"{plan.right}/{plan.total}",
        ]
        if doc.refused:
            columns.append(f" REFUSED: {doc.error}")
        lines.append(" ".join(columns))
    lines += ["", *_summary_lines("overall", corpus)]
    tuning, holdout = corpus.subset(holdout=False), corpus.subset(holdout=True)
    if tuning.documents and holdout.documents:
        lines += [_summary_lines("tuning set", tuning)[0], _summary_lines("held-out set (*)", holdout)[0]]
    batches = corpus.batches()
    if len(batches) > 1:
        lines += [_summary_lines(f"batch {n}", batch)[0] for n, batch in batches.items()]
    refused = [doc.doc_id for doc in corpus.documents if doc.refused]
    if refused:
        lines.append("refused: " + ", ".join(refused))
    return "\n".join(lines)


def _summary_lines(label: str, corpus: CorpusScore) -> list[str]:
    summary = corpus.summary()
    total = corpus.total()
    return [
        f"{label}: {summary['documents']} documents, {len(summary['refused'])} refused; "
        f"records {summary['records_found']} found / {summary['records_expected']} expected "
        f"({summary['records_matched']} matched, {summary['extra']} extra); "
        f"fields {total.right}/{total.total} = {_percent(total).strip()}",
        "per field: "
        + ", ".join(
            f"{FIELD_LABELS[name]} {t.right}/{t.total} ({_percent(t).strip()})"
            for name, t in corpus.fields().items()
            if t.total
        ),
        f"plan fields (apart): {corpus.plan_fields().right}/{corpus.plan_fields().total}",
    ]
