"""The importer on real published pages nobody wrote records for (tests/wild/): what must hold on any input.

Each page goes through the importer's public path (`read_source`, then the loader in a transaction
that is rolled back, as the preview does) against a fresh SQLite database. Per page: refused or not
(with the message), records, records whose lead the registry recognises, records with a due date,
open doubts per record, and flags for garbage read silently:

    owner   an owner name that is a sentence fragment: longer than 20 characters, a verb inside
            (要/将/推进/加强/开展…), or opening with 我市/要/将/对/按… — and no doubt on that owner
    title   a task or indicator name under 4 characters or over 300
    chrome  a record named by the web page around the document (来源, 当前位置, a breadcrumb, a link)
    deadline a deadline text over 40 characters or holding the page's furniture (来源：, a link), no doubt on it
    due     a due date before the plan's year − 1 or after its year + 15 (the plan's year: its
            period's start, else the year it was issued, else the first year in its title)
    repeat  the same record name twice in one plan
    crash   an exception other than the importer's refusal (a traceback is a bug)
    refusal a refusal whose message is not Chinese or does not name the file
    no-lead a task or indicator with no lead and no doubt saying it lacks one (a 无废细胞 category's count needs
            none: its lead is optional in the model, and a naming notice names none)

    .venv/bin/python bench/wild.py [ids…]      # the table and the totals (each set, then all)
    .venv/bin/python bench/wild.py --flags     # and every flagged value
    .venv/bin/python bench/wild.py --json      # per page, as JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wufei import migrate  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.doubts.models import RecordType  # noqa: E402
from wufei.importers.records import ImportError_, ParsedPlan  # noqa: E402
from wufei.importers.service import _rolled_back, read_source  # noqa: E402
from wufei.plans.service import ImportSummary, LoadedRecord, import_plan  # noqa: E402

WILD = ROOT / "tests" / "wild"
# The first set (round wild19) sits in tests/wild, the second (round wild20) in tests/wild/batch2, the third
# (round wild21) in tests/wild/batch3, the fourth (round wild22) in tests/wild/batch4, the fifth (round wild23) in
# tests/wild/batch5.
SETS = {1: WILD, 2: WILD / "batch2", 3: WILD / "batch3", 4: WILD / "batch4", 5: WILD / "batch5"}
SUFFIXES = (".txt", ".html")
OWNER_MAX = 20
# Words that make a name a piece of a sentence: no unit's name holds them.
OWNER_VERBS = re.compile(r"要|将|推进|加强|开展|完善|建立|确保|实现|提升|做好|落实到|进行|组织实施|抓好|通过|按照")
OWNER_OPENERS = ("我市", "我区", "我县", "我省", "要", "将", "对", "按", "根据", "为", "在", "经", "由于")
TITLE_MIN, TITLE_MAX = 4, 300
# What a web page prints around a document: its labels (来源：, 当前位置), breadcrumbs (首页 > …) and links.
PAGE_CHROME = re.compile(
    r"^(?:现在时间|当前位置|您的位置|来源|信息来源|发布时间|发布日期|索引号|公开属性|首页|搜索|字号|分享|打印|浏览次数)"
    r"|https?[:：]|www\.|\s>\s|>[^>]+>|浏览次数|点击[率数量：:]"
)
DEADLINE_TEXT_MAX = 40
YEARS = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
CJK = re.compile(r"[\u4e00-\u9fff]")
ROLES = ("leads", "supporting", "implementers")


@dataclass
class PageResult:
    page: str
    kind: str
    batch: int = 1
    refused: str | None = None
    crashed: str | None = None
    plans: int = 0
    records: int = 0
    owned: int = 0  # records whose every lead the registry recognises (no doubt on the leads)
    dated: int = 0  # records with a due date
    doubts: int = 0  # open doubts on the records
    flags: dict[str, list[str]] = field(default_factory=dict)

    def flag(self, name: str, text: str) -> None:
        self.flags.setdefault(name, []).append(text)

    @property
    def flag_count(self) -> int:
        return sum(len(v) for v in self.flags.values())


def page_kinds() -> dict[str, str]:
    """id → kind (plan / list / not-a-plan) from the sources table in tests/wild/README.md."""
    kinds = {}
    for line in (WILD / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`"):
            kinds[cells[0].strip("`")] = cells[2]
    return kinds


def wild_pages(batch: int | None = None) -> list[Path]:
    """The pages of one set (1, 2), or of every set."""
    folders = [SETS[batch]] if batch else list(SETS.values())
    return [p for folder in folders for p in sorted(folder.iterdir()) if p.suffix in SUFFIXES]


def page_batch(path: Path) -> int:
    return next(batch for batch, folder in SETS.items() if path.parent == folder)


def refusal_problem(path: Path, message: str) -> str | None:
    """What is wrong with a refusal's message, or None: it must be Chinese and name the file."""
    if path.name not in message:
        return "does not name the file"
    if not CJK.search(message.replace(str(path), "")):
        return "not Chinese"
    return None


def check_page(path: Path, engine, registry: Registry, kind: str = "") -> PageResult:
    result = PageResult(page=path.stem, kind=kind, batch=page_batch(path))
    try:
        source = read_source(path)
    except ImportError_ as exc:
        result.refused = str(exc).replace(f"{ROOT}/", "")
        problem = refusal_problem(path, str(exc))
        if problem:
            result.flag("refusal", f"{problem}: {exc}")
        return result
    except Exception as exc:  # a traceback is a bug: every refusal must be the importer's own
        result.crashed = f"{type(exc).__name__}: {exc}"
        result.flag("crash", "".join(traceback.format_exception_only(type(exc), exc)).strip())
        return result
    with _rolled_back(engine) as session:
        for plan in source.plans:
            savepoint = session.begin_nested()
            try:
                summary = import_plan(session, plan, registry=registry, actor="wild", source=str(path))
                savepoint.commit()
            except ImportError_ as exc:
                savepoint.rollback()
                result.refused = str(exc).replace(f"{ROOT}/", "")
                problem = refusal_problem(path, str(exc))
                if problem:
                    result.flag("refusal", f"{problem}: {exc}")
                continue
            except Exception as exc:
                savepoint.rollback()
                result.crashed = f"{type(exc).__name__}: {exc}"
                result.flag("crash", "".join(traceback.format_exception_only(type(exc), exc)).strip())
                continue
            result.plans += 1
            check_plan(result, plan, summary)
    return result


def plan_year(plan: ParsedPlan) -> int | None:
    if plan.period_start:
        return plan.period_start
    if plan.issued_on:
        return plan.issued_on.year
    found = YEARS.search(plan.title or "")
    return int(found.group(1)) if found else None


def check_plan(result: PageResult, plan: ParsedPlan, summary: ImportSummary) -> None:
    year = plan_year(plan)
    names: Counter[str] = Counter()
    for record in summary.records:
        result.records += 1
        open_doubts = [d for d, s in zip_statuses(record) if s == "open"]
        result.doubts += len(open_doubts)
        doubted = {(d.field, d.text) for d in record.doubts}
        doubted_fields = {d.field for d in record.doubts}
        leads = record.owners.get("leads", ())
        if leads and "leads" not in doubted_fields:
            result.owned += 1
        due = record.fields.get("due_date")
        if due is not None:
            result.dated += 1
            if year is not None and not (year - 1 <= due.year <= year + 15):
                result.flag("due", f"{due.isoformat()} (plan year {year}): {record.fields.get('deadline_raw')}")
        title = record_name(record)
        names[title] += 1
        if PAGE_CHROME.search(title):
            result.flag("chrome", title[:60])
        deadline = record.fields.get("deadline_raw") or ""
        if "deadline" not in doubted_fields and (len(deadline) > DEADLINE_TEXT_MAX or PAGE_CHROME.search(deadline)):
            result.flag("deadline", deadline[:60])
        if not TITLE_MIN <= len(title) <= TITLE_MAX:
            result.flag("title", f"{len(title)} characters: {title[:60]}")
        for role in ROLES:
            for name in record.owners.get(role, ()):
                doubted_texts = " ".join(d.text or "" for d in record.doubts if d.field == role)
                if (role, name) in doubted or name in doubted_texts:
                    continue
                if fragment(name):
                    result.flag("owner", f"{role}: {name}")
        if not leads and "leads" not in doubted_fields and record.record_type is not RecordType.CELL:
            result.flag("no-lead", title[:60])
    for name, count in names.items():
        if count > 1:
            result.flag("repeat", f"{count}× {name[:60]}")


def zip_statuses(record: LoadedRecord):
    statuses = record.statuses or ["open"] * len(record.doubts)
    return zip(record.doubts, statuses, strict=False)


def record_name(record: LoadedRecord) -> str:
    fields = record.fields
    return str(fields.get("title") or fields.get("name") or fields.get("category") or "")


def fragment(name: str) -> bool:
    """An owner name that reads as a piece of a sentence rather than a unit's name."""
    return len(name) > OWNER_MAX or bool(OWNER_VERBS.search(name)) or name.startswith(OWNER_OPENERS)


def check_pages(paths: list[Path], engine, registry: Registry) -> list[PageResult]:
    """Each page read and loaded against `engine` (a migrated database; nothing stays written)."""
    kinds = page_kinds()
    return [check_page(path, engine, registry, kinds.get(path.stem, "")) for path in paths]


def run(paths: list[Path]) -> list[PageResult]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/wild.db")
        migrate.upgrade(engine)
        results = check_pages(paths, engine, Registry.load())
        engine.dispose()
    return results


def totals(results: list[PageResult]) -> dict[str, int]:
    flags: Counter[str] = Counter()
    for r in results:
        for name, values in r.flags.items():
            flags[name] += len(values)
    return {
        "pages": len(results),
        "refused": sum(1 for r in results if r.refused),
        "refused_plans": sum(1 for r in results if r.refused and r.kind in ("plan", "list")),
        "crashed": sum(1 for r in results if r.crashed),
        "records": sum(r.records for r in results),
        "owned": sum(r.owned for r in results),
        "dated": sum(r.dated for r in results),
        "doubts": sum(r.doubts for r in results),
        "flagged": sum(flags.values()),
        **{f"flag_{name}": count for name, count in sorted(flags.items())},
    }


def report(results: list[PageResult], *, show_flags: bool) -> str:
    lines = [f"{'page':40} {'kind':10} {'recs':>4} {'owned':>5} {'dated':>5} {'doubt/rec':>9}  flags / refusal"]
    for r in results:
        per = f"{r.doubts / r.records:.1f}" if r.records else "-"
        note = ", ".join(f"{k} {len(v)}" for k, v in sorted(r.flags.items()))
        if r.refused:
            note = (note + "; " if note else "") + "REFUSED: " + r.refused[:90]
        if r.crashed:
            note = (note + "; " if note else "") + "CRASHED: " + r.crashed[:90]
        lines.append(f"{r.page:40} {r.kind:10} {r.records:>4} {r.owned:>5} {r.dated:>5} {per:>9}  {note}")
        if show_flags:
            for name, values in sorted(r.flags.items()):
                lines.extend(f"      {name}: {value}" for value in values)
    batches = sorted({r.batch for r in results})
    sets = [(f"set {b}", [r for r in results if r.batch == b]) for b in batches]
    if len(batches) > 1:
        sets.append(("all", results))
    for label, chosen in sets:
        t = totals(chosen)
        per = f"{t['doubts'] / t['records']:.2f}" if t["records"] else "-"
        flag_text = ", ".join(f"{k.removeprefix('flag_')} {v}" for k, v in t.items() if k.startswith("flag_")) or "none"
        lines.append(
            f"{label}: {t['pages']} pages, {t['refused']} refused ({t['refused_plans']} of them plans or lists), "
            f"{t['crashed']} crashed; {t['records']} records, "
            f"{t['owned']} with a recognised lead, {t['dated']} with a due date, {per} open doubts a record; "
            f"{t['flagged']} flags ({flag_text})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The importer on real pages without expected records.")
    parser.add_argument("ids", nargs="*", help="page ids (default: every page of every set)")
    parser.add_argument("--set", type=int, choices=sorted(SETS), help="one set only (1: tests/wild, 2-5: batchN)")
    parser.add_argument("--flags", action="store_true", help="list every flagged value")
    parser.add_argument("--json", action="store_true", help="per page, as JSON")
    args = parser.parse_args(argv)
    paths = wild_pages(args.set)
    if args.ids:
        wanted = set(args.ids)
        paths = [p for p in paths if p.stem in wanted]
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            parser.error("unknown page ids: " + " ".join(sorted(unknown)))
    started = time.perf_counter()
    results = run(paths)
    elapsed = time.perf_counter() - started
    if args.json:
        by_set = {f"set {b}": totals([r for r in results if r.batch == b]) for b in sorted({r.batch for r in results})}
        print(
            json.dumps({"pages": [asdict(r) for r in results], "totals": totals(results), **by_set}, ensure_ascii=False)
        )
        return 0
    print(report(results, show_flags=args.flags))
    print(f"read and loaded {len(paths)} pages in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
