"""Digests: the unresolved, undelivered intents of one day grouped per (audience, department)
into one message, with a Chinese subject and body rendered from the Jinja templates in
`notifications/templates/<kind>/{subject,body}.j2` and `notifications/templates/digest/`.

Pure: no database, no network; the templates are read from files (WUFEI_TEMPLATE_DIR overrides).

Templates render with StrictUndefined, as the bulletins do: a name a template reads that is not
given fails loudly instead of printing nothing. Payloads differ by notice, so a template reads
`p.<field>` for the fields of PAYLOAD_FIELDS only; a payload without one of them gives None.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from wufei.chinese import chinese_date
from wufei.lights.models import LIGHT_NAMES

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "notifications" / "templates"

KIND_NAMES = {
    "red_slip": "红色督办单",
    "group_escalation": "提请领导小组督办",
    "yellow_slip": "黄色督办单",
    "overdue": "逾期提醒",
    "indicator_overdue": "指标逾期未报",
    "indicator_behind": "指标落后序时进度",
    "due_soon": "临期提醒",
    "report_missing": "未报送提醒",
    "indicator_due": "指标报送提醒",
    "cell_stalled": "细胞创建滞留提醒",
    "report_returned": "报告退回",
    "report_due": "报送截止提醒",
    "report_window_open": "报送开始",
    "extension_decided": "延期审批结果",
    "bulletin_ready": "通报已生成",
    "delivery_failed": "通知发送失败",
}
KIND_ORDER = list(KIND_NAMES)  # most urgent first

# A department's 负责同志 may hold a liaison account or a leader's (read-only, no department): "/" sends
# each to its own page (the department's tasks, the dashboard); /my/tasks refused leaders with 403.
HOME_PATHS = {"liaison": "/my/reminders", "leader": "/", "office": "/dashboard", "group": "/dashboard"}

AUDIENCE_NAMES = {"liaison": "专班联系人", "leader": "负责同志", "office": "领导小组办公室", "group": "领导小组"}

# The payload fields the message templates may read (`p.<field>`); see the module docstring.
PAYLOAD_FIELDS = frozenset(
    {
        # a task (the escalation ladder, reports, extensions)
        "task_id", "plan", "number", "title", "task_title", "due_date", "due_date_cn", "due_rolled_cn",
        "days_overdue", "workdays_left", "action", "light", "light_reason",
        # weekly reporting
        "week", "week_cn", "due_at", "due_at_cn", "task_titles", "streak", "version", "reason",
        # extensions
        "message", "decision_text", "approved", "new_due_date_cn",
        # bulletins
        "period", "files", "path",
        # failed deliveries
        "outcome", "recipient", "tag", "day", "subject", "error", "dispatch_id", "attempts",
        # indicators (reported values, the ladder's report-date and behind steps)
        "indicator_id", "indicator_name", "period_cn", "step_title", "forecast",
        # 无废细胞 stalled in a state
        "cell_id", "cell_name", "category", "county", "state_cn", "since_cn", "days", "limit_days",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Digest:
    day: date
    audience: str
    department_id: int | None
    department: str  # the department's name, or the office/group name when there is none
    tag: str
    key: str
    subject: str
    body: str
    intent_ids: tuple[int, ...]


def tag_for(audience: str, department_id: int | None) -> str:
    """The Apprise tag that reaches an audience: `dept-<id>`, `leader-<id>`, `office`, `group`."""
    if audience in ("office", "group"):
        return audience
    if department_id is None:
        return "office"  # a department notice without a department: the office must look at it
    return f"{'leader' if audience == 'leader' else 'dept'}-{department_id}"


def digest_key(day: date, audience: str, department_id: int | None, tag: str) -> str:
    dept = "-" if department_id is None else department_id
    return f"digest|{day.isoformat()}|{audience}|dept:{dept}|{tag}"


def portal_url() -> str | None:
    """WUFEI_PORTAL_URL (the web portal's address, e.g. https://wfc.example.gov.cn), without a
    trailing slash; messages link to its pages only when it is set."""
    return (os.environ.get("WUFEI_PORTAL_URL") or "").strip().rstrip("/") or None


def environment(folder: Path | None = None) -> Environment:
    """The templates' environment, one per folder: its compiled templates are kept for every later
    delivery (compiling them took a fifth of a day's delivery), and a template edited since is
    reloaded (Jinja checks each file's modification time)."""
    return _environment(str(folder or Path(os.environ.get("WUFEI_TEMPLATE_DIR") or TEMPLATES)))


@lru_cache(maxsize=8)
def _environment(folder: str) -> Environment:
    return Environment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        finalize=lambda value: "" if value is None else value,  # a field a payload lacks prints nothing
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


# How messages name the office and the system: a 无废城市 plan's office is its leading group's; an
# office supervising other plans (a county's 政府工作报告 分工, its 民生实事) is the government's 督查室.
ZERO_WASTE_WORDS = {"tag": "无废城市建设督办", "office": "领导小组办公室", "system": "无废城市建设督办系统"}
OTHER_WORDS = {"tag": "督查督办", "office": "督查室", "system": "督查督办系统"}


def build_digests(
    intents: Iterable[Any],
    *,
    day: date,
    department_names: Mapping[int, str],
    delivered: Collection[int] = (),
    env: Environment | None = None,
    zero_waste: bool = True,
) -> list[Digest]:
    """One digest per (audience, department) of the intents created on or before `day`, not
    resolved and not in `delivered` (ids already in a dispatch). Intents are objects or mappings
    with id, kind, audience, department_id, created_on, payload, resolved_on, and optionally place
    (the city or county whose plan the intent is about: see `render`). `zero_waste`: whether the
    office supervises 无废城市 plans (its words in subjects and the sign-off, ZERO_WASTE_WORDS)."""
    env = env or environment()
    chosen: dict[tuple[str, ...], Template] = {}  # the templates found for each kind, once per build
    groups: dict[tuple[str, int | None], list[Any]] = defaultdict(list)
    for intent in intents:
        if _get(intent, "resolved_on") is not None or _get(intent, "id") in delivered:
            continue
        if _get(intent, "created_on") > day:
            continue
        groups[(str(_get(intent, "audience")), _get(intent, "department_id"))].append(intent)

    digests = []
    for (audience, department_id), members in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or 0)):
        members.sort(
            key=lambda i: (_rank(_get(i, "kind")), _get(i, "place") or "", _get(i, "created_on"), _get(i, "id"))
        )
        department = (department_names.get(department_id) if department_id is not None else None) or AUDIENCE_NAMES.get(
            audience, audience
        )
        tag = tag_for(audience, department_id)
        subject, body = render(
            env, members, day=day, audience=audience, department=department, chosen=chosen, zero_waste=zero_waste
        )
        digests.append(
            Digest(
                day=day,
                audience=audience,
                department_id=department_id,
                department=department,
                tag=tag,
                key=digest_key(day, audience, department_id, tag),
                subject=subject,
                body=body,
                intent_ids=tuple(sorted(_get(i, "id") for i in members)),
            )
        )
    return digests


def render(
    env: Environment,
    intents: list[Any],
    *,
    day: date,
    audience: str,
    department: str,
    chosen: dict[tuple[str, ...], Template] | None = None,
    zero_waste: bool = True,
) -> tuple[str, str]:
    """Subject and body: a single intent keeps its kind's subject; several get the digest subject.
    `chosen`: the templates already found for a list of names (a day's digests look each up once:
    finding one checks its file's modification time)."""
    chosen = {} if chosen is None else chosen
    portal = portal_url()
    words = ZERO_WASTE_WORDS if zero_waste else OTHER_WORDS
    # an office digest gathering several cities' items (an unscoped run) names each item's city
    several_places = len({_get(i, "place") for i in intents} - {None}) > 1
    sections: dict[str, list[str]] = {}
    for intent in intents:
        kind = str(_get(intent, "kind"))
        entry = _render_kind(env, kind, "body", intent, audience, department, chosen, portal, words)
        if several_places and _get(intent, "place"):
            entry = f"{_get(intent, 'place')}：{entry}"
        sections.setdefault(kind, []).append(entry)
    context = {
        **words,
        "portal_url": portal,
        "home": HOME_PATHS.get(audience, "/"),
        "department": department,
        # a department's liaison or leader; the office and the group are greeted by their name alone
        "recipient": "" if department == AUDIENCE_NAMES.get(audience) else AUDIENCE_NAMES.get(audience, ""),
        "day": day,
        "day_cn": chinese_date(day),
        "count": len(intents),
        "sections": [
            {"kind": kind, "name": KIND_NAMES.get(kind, kind), "entries": items} for kind, items in sections.items()
        ],
    }
    if len(intents) == 1:
        subject = _render_kind(
            env, str(_get(intents[0], "kind")), "subject", intents[0], audience, department, chosen, portal, words
        )
    else:
        subject = _select(env, ("digest/subject.j2",), chosen).render(context).strip()
    body = _select(env, ("digest/body.j2",), chosen).render(context).strip() + "\n"
    return _subject(subject), body


def _render_kind(
    env: Environment,
    kind: str,
    part: str,
    intent: Any,
    audience: str,
    department: str,
    chosen: dict[tuple[str, ...], Template],
    portal: str | None,
    words: Mapping[str, str] = ZERO_WASTE_WORDS,
) -> str:
    """With the templates the payload names (`template`: a cadence point's own words), else the
    kind's, else the default ones."""
    payload = _get(intent, "payload") or {}
    names = (f"{payload['template']}/{part}.j2",) if payload.get("template") else ()
    template = _select(env, (*names, f"{kind}/{part}.j2", f"default/{part}.j2"), chosen)
    return template.render(
        **words,
        p=dict.fromkeys(PAYLOAD_FIELDS) | dict(payload),
        audience=audience,
        department=department,
        kind=kind,
        kind_name=KIND_NAMES.get(kind, kind),
        period=_get(intent, "period"),
        portal_url=portal,
        light_name=LIGHT_NAMES.get(str(payload.get("light")), payload.get("light")),
    ).strip()


def _select(env: Environment, names: tuple[str, ...], chosen: dict[tuple[str, ...], Template]) -> Template:
    """The first of `names` that exists (`Environment.select_template`), looked up once per `chosen`."""
    template = chosen.get(names)
    if template is None:
        template = chosen[names] = env.select_template(list(names))
    return template


def _one_line(text: str) -> str:
    return " ".join(text.split())


# What a mail client shows of a subject. An email's UTF-8 subject is one encoded word on one line
# (Apprise's way, `wufei.notify.mime`), 9 characters for each Chinese one: 60 keep the line near 560,
# well under RFC 5322's 998, where a task's whole title (100–200 characters) went past it.
SUBJECT_LENGTH = 60


def _subject(text: str) -> str:
    """On one line and at most SUBJECT_LENGTH characters, a longer one cut with 「…」 (the body
    says it whole)."""
    line = _one_line(text)
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def _rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _get(intent: Any, name: str) -> Any:
    return intent.get(name) if isinstance(intent, Mapping) else getattr(intent, name, None)
