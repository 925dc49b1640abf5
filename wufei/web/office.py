"""The office's work: the review queue, extension decisions, owner assignment, milestones, and
the deliveries whose outcome it must decide (confirm or resend).

Every POST: the office role, the form's CSRF token, then one domain service call in one
transaction (the services write the audit trail with the user as actor).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from wufei.accounts.models import User, UserRole
from wufei.accounts.service import person
from wufei.accounts.throttle import KIND_NAMES, LockoutError, lift_lockout, list_lockouts
from wufei.db import utcnow
from wufei.departments.naming import DepartmentNameError
from wufei.departments.service import departments_of_places
from wufei.extensions.models import ExtensionStatus
from wufei.extensions.service import ExtensionError, decide_extension, list_extensions
from wufei.lights.models import LIGHT_NAMES
from wufei.notify.service import DecisionError, DispatchBusy, awaiting_office, confirm
from wufei.reports.service import ReportError, accept_reports, review_report
from wufei.tasks.assignment import AssignmentError, assign_owners, tasks_awaiting_owner
from wufei.tasks.milestones import MilestoneError, remove_milestone, set_milestone
from wufei.web import pages
from wufei.web.ids import row_id
from wufei.web.portal import Portal, read_form, redirect

OFFICE = UserRole.OFFICE


def actor_of(signed) -> str:
    return person(signed.user)


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


REVIEW_AGES = {3: "3天以上", 7: "7天以上", 14: "14天以上"}


def review_filters(params) -> dict[str, Any]:
    """The review queue's filters from a query (or a form's copy of one): only known keys and values."""

    def one(name: str) -> str:
        value = params.get(name) if hasattr(params, "getlist") or isinstance(params, dict) else None
        if isinstance(value, list):
            value = value[0] if value else None
        return str(value or "").strip()

    filters: dict[str, Any] = {}
    if (department := row_id(one("department"))) is not None:
        filters["department"] = department
    if one("light") in LIGHT_NAMES:
        filters["light"] = one("light")
    if (age := row_id(one("age"))) in REVIEW_AGES:
        filters["age"] = age
    if (page := row_id(one("page"))) is not None and page > 1:
        filters["page"] = page
    return filters


def router(portal: Portal) -> APIRouter:
    routes = APIRouter()

    def post(handler, back: str):
        """Parse the form, then check role and CSRF and run `handler(session, signed, form)` off the loop.
        `back`: the page an error sends the office back to (path parameters filled in; the portal
        sends no Referer, by its policy)."""

        async def endpoint(request: Request):
            form = await read_form(request)
            params = dict(request.path_params)  # ints: the paths use {name:id}

            def work():
                try:
                    with portal.work() as session:
                        signed = portal.user(request, session, OFFICE)
                        portal.check_csrf(form, signed)
                        return handler(session, signed, form, **params)
                except (
                    ReportError,
                    ExtensionError,
                    AssignmentError,
                    MilestoneError,
                    DepartmentNameError,
                    LockoutError,
                    DecisionError,
                    DispatchBusy,
                ) as error:
                    with portal.work() as session:
                        signed = portal.signed_in(request, session)
                    return portal.render_error(request, str(error), signed=signed, back=back.format(**params))

            return await run_in_threadpool(work)

        return endpoint

    # --- the review queue --------------------------------------------------------------------

    @routes.get("/review")
    def review_page(request: Request):
        filters = review_filters(request.query_params)
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            queue = pages.review_queue(
                session,
                today=portal.today(),
                now=portal.now(),
                cadence=portal.cadence,
                light_rules=portal.light_rules,
                department_id=filters.get("department"),
                light=filters.get("light"),
                min_age_days=filters.get("age"),
                page=filters.get("page") or 1,
            )
            return portal.render(
                request,
                "review.html.j2",
                signed=signed,
                filters=filters,
                query=urlencode(filters),
                page_query=lambda page: urlencode({**filters, "page": page}),
                light_names=LIGHT_NAMES,
                ages=REVIEW_AGES,
                **queue,
            )

    def back_to_queue(form, notice: str) -> RedirectResponse:
        """The queue as the office left it: same filters and page, at the card after the one acted on."""
        query = urlencode({**review_filters(parse_qs(str(form.get("back") or ""))), "notice": notice})
        following = row_id(form.get("next"))
        return RedirectResponse(f"/review?{query}{f'#report-{following}' if following else ''}", status_code=303)

    def review(session, signed, form, report_id: int):
        accept = form.get("decision") == "accept"
        report = review_report(
            session,
            report_id=report_id,
            accept=accept,
            reason=str(form.get("reason") or ""),
            actor=actor_of(signed),
            at=portal.now(),
            cadence=portal.cadence,
        )
        portal.refresh_lights(session, [report.task_id])
        return back_to_queue(form, "reviewed_accept" if accept else "reviewed_return")

    routes.add_api_route("/reports/{report_id:id}/review", post(review, "/review"), methods=["POST"])

    def accept_several(session, signed, form):
        chosen = sorted({number for value in form.getlist("report_id") if (number := row_id(value)) is not None})
        if not chosen:
            raise ReportError("请先勾选要采纳的报告")
        reports = accept_reports(  # all or nothing: one that cannot be accepted stops the rest
            session, report_ids=chosen, actor=actor_of(signed), at=portal.now(), cadence=portal.cadence
        )
        tasks = [report.task_id for report in reports]
        portal.refresh_lights(session, tasks)
        return back_to_queue(form, "reviewed_several")

    routes.add_api_route("/review/accept", post(accept_several, "/review"), methods=["POST"])

    # --- extensions --------------------------------------------------------------------------

    @routes.get("/extensions")
    def extensions_page(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE, UserRole.LEADER)
            every = list_extensions(session)
            pending = [e for e in every if e.status == ExtensionStatus.PENDING]
            decided = [e for e in reversed(every) if e.status != ExtensionStatus.PENDING][:50]
            return portal.render(request, "extensions.html.j2", signed=signed, pending=pending, decided=decided)

    def decide(session, signed, form, extension_id: int):
        extension = decide_extension(
            session,
            extension_id=extension_id,
            approve=form.get("decision") == "approve",
            note=str(form.get("note") or ""),
            decided_on=portal.today(),
            actor=actor_of(signed),
        )
        portal.refresh_lights(session, [extension.task_id])
        return redirect("/extensions", "extension_decided")

    routes.add_api_route("/extensions/{extension_id:id}/decide", post(decide, "/extensions"), methods=["POST"])

    # --- deliveries the office decides on -----------------------------------------------------

    @routes.get("/deliveries")
    def deliveries_page(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            until = portal.cadence.end_of_day(portal.today())  # a replay day's page: what awaited the office then
            dispatches = awaiting_office(session, until=until)
            return portal.render(request, "deliveries.html.j2", signed=signed, dispatches=dispatches)

    def confirm_arrival(session, signed, form, dispatch_id: int):
        note = str(form.get("note") or "").strip()
        confirm(session, dispatch_id, note=f"{note or '办公室已向对方核实：已收到'}（{signed.user.username}）")
        return redirect("/deliveries", "delivery_confirmed")

    routes.add_api_route("/deliveries/{dispatch_id:id}/confirm", post(confirm_arrival, "/deliveries"), methods=["POST"])

    async def resend_endpoint(request: Request):
        """Sent from here, outside the page's transaction: the send commits as `wufei notices
        retry --resend` does (a `sending` row before the network call)."""
        form = await request.form()
        dispatch_id = int(request.path_params["dispatch_id"])

        def work():
            from wufei.notify.channels import ChannelError
            from wufei.notify.runs import resend

            with portal.work() as session:
                signed = portal.user(request, session, OFFICE)
                portal.check_csrf(form, signed)
            try:
                summary = resend(portal.settings.engine, dispatch_id, cadence=portal.cadence)
            except (LookupError, DispatchBusy, ChannelError, ValueError) as error:
                with portal.work() as session:
                    signed = portal.signed_in(request, session)
                return portal.render_error(request, str(error), signed=signed, back="/deliveries")
            return redirect("/deliveries", "delivery_resent" if summary["sent"] else "delivery_resend_failed")

        return await run_in_threadpool(work)

    routes.add_api_route("/deliveries/{dispatch_id:id}/resend", resend_endpoint, methods=["POST"])

    # --- owners for tasks waiting for them ---------------------------------------------------

    @routes.get("/assign")
    def assign_page(request: Request, task: str | None = None, q: str = ""):
        """Tasks waiting for a lead; `task` and `q`: a search among the departments of that task's place."""
        searched, text = row_id(task), q.strip()[:50]
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            tasks = tasks_awaiting_owner(session)
            found, unstored = [], []
            if searched is not None:
                found = pages.search_task_place_departments(session, task_id=searched, text=text)
                unstored = pages.unstored_place_units(session, task_id=searched, text=text)
            return portal.render(
                request,
                "assign.html.j2",
                signed=signed,
                tasks=tasks,
                searched=searched,
                q=text,
                found=found,
                unstored=unstored,
            )

    def assign(session, signed, form, task_id: int):
        """Owners picked from the lists, or typed as the CLI takes them (衡水市/市商务局, an alias, a
        name only one place has); a bare name means the task's own place's unit first, one the
        registry knows stored now if that place has none yet (a plan that named no units)."""
        prefer = pages.departments_of_task_place(session, task_id)
        place = pages.task_place(session, task_id)

        def picked(field: str) -> list[int]:
            typed = departments_of_places(
                session, str(form.get(f"{field}_names") or ""), places=[place] if place else [], prefer=prefer
            )
            listed = [number for value in form.getlist(field) if (number := row_id(value)) is not None]
            return listed + [d.id for d in typed]

        leads, supporting = picked("lead"), picked("supporting")
        assign_owners(
            session,
            task_id=task_id,
            lead_ids=leads,
            supporting_ids=supporting,
            actor=actor_of(signed),
            on=portal.today(),
        )
        portal.refresh_lights(session, [task_id])
        return redirect("/assign", "assigned")

    routes.add_api_route("/tasks/{task_id:id}/owners", post(assign, "/assign"), methods=["POST"])

    # --- milestones --------------------------------------------------------------------------

    def milestone_set(session, signed, form, task_id: int):
        day, progress = _day(form.get("due_date")), _int(form.get("expected_progress"))
        if day is None or progress is None:
            raise MilestoneError("请填写节点日期（如 2024-06-30）和预期进度（0到100的整数）")
        set_milestone(
            session,
            task_id=task_id,
            due_date=day,
            expected_progress=progress,
            title=str(form.get("title") or ""),
            actor=actor_of(signed),
        )
        portal.refresh_lights(session, [task_id])
        return redirect(f"/tasks/{task_id}", "milestone_set")

    def milestone_remove(session, signed, form, task_id: int):
        day = _day(form.get("due_date"))
        if day is None:
            raise MilestoneError("缺少节点日期")
        remove_milestone(session, task_id=task_id, due_date=day, actor=actor_of(signed))
        portal.refresh_lights(session, [task_id])
        return redirect(f"/tasks/{task_id}", "milestone_removed")

    routes.add_api_route("/tasks/{task_id:id}/milestones", post(milestone_set, "/tasks/{task_id}"), methods=["POST"])
    routes.add_api_route(
        "/tasks/{task_id:id}/milestones/remove", post(milestone_remove, "/tasks/{task_id}"), methods=["POST"]
    )
    # --- sign-in lockouts ----------------------------------------------------------------------

    @routes.get("/lockouts")
    def lockouts_page(request: Request):
        with portal.work() as session:
            signed = portal.user(request, session, OFFICE)
            now = utcnow()
            active = list_lockouts(session, at=now)
            past = [row for row in list_lockouts(session, at=now, include_past=True) if row not in active][:30]
            people = dict(session.execute(select(User.username, User.display_name)).tuples().all())
            return portal.render(
                request,
                "lockouts.html.j2",
                signed=signed,
                active=active,
                past=past,
                people=people,
                kind_names=KIND_NAMES,
                rules=portal.settings.throttle,
            )

    def lift(session, signed, form, lockout_id: int):
        lift_lockout(session, lockout_id=lockout_id, at=utcnow(), actor=actor_of(signed))
        return redirect("/lockouts", "unlocked")

    routes.add_api_route("/lockouts/{lockout_id:id}/lift", post(lift, "/lockouts"), methods=["POST"])
    return routes
