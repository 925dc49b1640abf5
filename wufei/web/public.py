"""The public page (公开): progress of tasks and indicators of the plans the office publishes,
as a page and as open CSV and JSON. Off unless WUFEI_PUBLIC_PLANS names plans (or `*`).

Only what a plan already publishes plus each task's light and latest accepted progress: no
report text, no evidence, no names of people.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from wufei.calendar.service import load_calendar
from wufei.extensions.service import effective_due_dates
from wufei.lights.models import LIGHT_NAMES
from wufei.lights.service import compute_lights
from wufei.plans.models import Plan, PlanKind
from wufei.reports.service import latest_progress
from wufei.tasks.service import list_tasks
from wufei.web import pages
from wufei.web.portal import Portal

TASK_COLUMNS = [
    ("id", "任务编号"),
    ("plan", "方案"),
    ("number", "序号"),
    ("title", "任务名称"),
    ("leads", "牵头单位"),
    ("deadline", "完成期限"),
    ("light", "状态"),
    ("progress", "最新进度(%)"),
]
INDICATOR_COLUMNS = [
    ("number", "序号"),
    ("name", "指标"),
    ("unit", "单位"),
    ("baseline", "现状值"),
    ("target", "目标值"),
    ("latest", "最新值"),
    ("status", "进展"),
]


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()

    def published(session) -> list[Plan]:
        wanted = portal.settings.public_plans
        if not wanted:
            raise HTTPException(status_code=404, detail="未开放公开页面")
        query = select(Plan).where(Plan.kind == PlanKind.PLAN)
        if "*" not in wanted:
            query = query.where(Plan.doc_number.in_(wanted))
        return list(session.scalars(query.order_by(Plan.id)))

    def task_rows(session, plans: list[Plan]) -> list[dict[str, Any]]:
        today = portal.today()
        tasks = [t for t in list_tasks(session, plan_ids=[p.id for p in plans]) if not t.awaiting_assignment]
        ids = [t.id for t in tasks]
        lights = compute_lights(
            session,
            as_of=today,
            calendar=load_calendar(session),
            cadence=portal.cadence,
            rules=portal.light_rules,
            task_ids=ids,
        )
        due = effective_due_dates(session, as_of=today, task_ids=ids)
        # Only what the office accepted is published: a report not yet reviewed may still be returned.
        progress = latest_progress(session, as_of=today, cadence=portal.cadence, task_ids=ids, accepted_only=True)
        rows = []
        for task in tasks:
            row = pages.task_row(
                task, lights.get(task.id), due=due.get(task.id), progress=progress.get(task.id), as_of=today
            )
            rows.append(
                {
                    "id": row["id"],
                    "plan": row["plan"],
                    "number": row["number"],
                    "title": row["title"],
                    "leads": "、".join(row["leads"]),
                    "deadline": row["deadline"],
                    "light": LIGHT_NAMES.get(row["light"]),
                    "progress": row["progress"],
                    "progress_ledger": row["progress_ledger"],
                }
            )
        return rows

    def indicator_rows(session, plans: list[Plan]) -> list[dict[str, Any]]:
        items = pages.indicators(session, year=portal.today().year, plan_ids=[p.id for p in plans], accepted_only=True)[
            "items"
        ]
        return [
            {
                "number": i.number,
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline.raw,
                "target": i.target.raw,
                "latest": i.latest.value if i.latest else None,
                "status": i.status_cn,
            }
            for i in items
        ]

    @routes.get("/public")
    def public_page(request: Request):
        with portal.work() as session:
            plans = published(session)
            return portal.render(
                request,
                "public.html.j2",
                plans=plans,
                tasks=task_rows(session, plans),
                indicators=indicator_rows(session, plans),
            )

    @routes.get("/public/{what}.{fmt}")
    def public_data(what: str, fmt: str):
        if what not in ("tasks", "indicators") or fmt not in ("csv", "json"):
            raise HTTPException(status_code=404, detail="找不到此页面")
        with portal.work() as session:
            plans = published(session)
            rows = task_rows(session, plans) if what == "tasks" else indicator_rows(session, plans)
        if fmt == "json":
            return Response(json.dumps(rows, ensure_ascii=False, indent=1), media_type="application/json")
        columns = TASK_COLUMNS if what == "tasks" else INDICATOR_COLUMNS
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([label for _, label in columns])
        for row in rows:
            writer.writerow(["" if row[key] is None else row[key] for key, _ in columns])
        # A BOM so that Excel opens the Chinese text as UTF-8.
        return Response(
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename={what}.csv"},
        )

    return routes
