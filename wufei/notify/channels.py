"""Delivery channels: the only module that imports Apprise.

`notifications/apprise.yaml` (or `apprise.yaml` in WUFEI_CONFIG_DIR, or the file named by
WUFEI_APPRISE_CONFIG) lists the services in Apprise's YAML format, each tagged:

- `dept-<id>`   a department's 专班联系人 (liaison)
- `leader-<id>` that department's 负责同志
- `office`      领导小组办公室
- `group`       领导小组
- `fallback`    receives a tag that no other service carries (the shipped default: the outbox)

The text `$OUTBOX_DIR` in the file is replaced by the absolute outbox folder (WUFEI_OUTBOX_DIR,
default `out/outbox` under the project root), because the custom `outbox://` schema needs an
absolute path (`outbox://localhost/abs/path`) and must not carry a query string in YAML.

Contacts imported from a spreadsheet (`wufei contacts import`, wufei/contacts) add services at
load time: `Channels.load(extra=…)` takes (url, tags) pairs, or (url, tags, mobiles) for a 钉钉 robot
that @-mentions the liaison, and `aliases` maps an office-readable
department alias to its id, so a YAML entry tagged `dept-sthjj` also carries `dept-<id>`.

Apprise skips an invalid URL silently, so loading counts the services listed in the YAML and
raises `ChannelError` when fewer load. `notify()` gives one bool for all services, so a message is
sent service by service (`find(tag=…)`), recording each one's result under `url(privacy=True)`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import ssl
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import apprise
import yaml
from apprise.attachment.file import AttachFile
from apprise.conversion import convert_between
from apprise.decorators import notify as apprise_notify
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.email import NotifyEmail
from apprise.plugins.email import base as _email_plugin
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot

from wufei.notify import wire
from wufei.notify.fit import Limit, fit
from wufei.notify.mail import MailSessions
from wufei.notify.pace import MARGIN, Pacer, Rate

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = ROOT / "notifications" / "apprise.yaml"
DEFAULT_OUTBOX = ROOT / "out" / "outbox"
FALLBACK_TAG = "fallback"
AUDIENCE_TAGS = ("office", "group", FALLBACK_TAG)
_DEPARTMENT_TAG = re.compile(r"^(?:dept|leader)-(?P<department>.+)$")
_TAG_SEPARATORS = re.compile(r"[\s,]+")


class ChannelError(RuntimeError):
    """The channel configuration cannot be used as written."""


@dataclass(frozen=True)
class Attachment:
    path: Path
    name: str  # what the recipient sees (Chinese allowed)


@dataclass(frozen=True)
class ServiceResult:
    service_url: str  # privacy form: no passwords or tokens
    ok: bool
    error: str | None
    duration_ms: int
    unknown: bool = False  # failed, but the message may have been taken (see wufei.notify.wire): never resent blindly


@dataclass(frozen=True)
class Draft:
    """A message to one email service built ahead of its send (`Channels.draft`): for each call
    the plugin would make, its emails or why they cannot be built."""

    service: Any
    calls: list[list[Any] | str]


class _ReusedSSLContexts:
    """Stands in for the `ssl` module inside Apprise's email plugin, which builds a new default
    SSL context for every message, even over plain SMTP: loading the CA store each time cost
    ~112 ms of CPU per email here (8 emails/s, against 165/s for a plain smtplib loop). This hands
    each thread one context, reset to the defaults (CERT_REQUIRED, hostname checked) on every call
    because the plugin lowers them when verify=no. Everything else is the real `ssl` module."""

    def __init__(self):
        self._local = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(ssl, name)

    def create_default_context(self, *args: Any, **kwargs: Any) -> ssl.SSLContext:
        if args or kwargs:
            return ssl.create_default_context(*args, **kwargs)
        context = getattr(self._local, "context", None)
        if context is None:
            context = self._local.context = ssl.create_default_context()
        context.verify_mode = ssl.CERT_REQUIRED
        context.check_hostname = True
        return context


_email_plugin.ssl = _ReusedSSLContexts()  # type: ignore[assignment]  # stands in for the module: one method
wire.watch_http()  # requests report what left
_email_plugin.smtplib = wire.WatchedSmtplib()  # type: ignore[assignment]  # reports when the content left


@apprise_notify(on="outbox")
def _outbox(body: str, title: str, notify_type: str, meta: dict[str, Any], *args, **kwargs) -> bool:
    """Write the message as one UTF-8 JSON file in the folder named by the URL's path."""
    folder = Path(meta.get("fullpath") or "")
    if not folder.is_absolute():
        raise ValueError(f"outbox 路径须为绝对路径：{meta.get('url')}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}-{uuid.uuid4().hex[:8]}.json"  # ASCII file names only
    attached = [{"name": a.name, "path": a.path} for a in kwargs.get("attach") or ()]
    message = {
        "subject": title,
        "body": body,
        "type": str(notify_type),
        "tags": sorted(str(t) for t in meta.get("tag") or ()),
        "written_at": stamp,
        **({"attachments": attached} if attached else {}),
    }
    partial = folder / f".{name}.part"
    partial.write_text(json.dumps(message, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(folder / name)  # readers never see half a message
    return True


def config_file() -> Path:
    explicit = os.environ.get("WUFEI_APPRISE_CONFIG")
    if explicit:
        return Path(explicit)
    override = os.environ.get("WUFEI_CONFIG_DIR")
    if override and (Path(override) / "apprise.yaml").is_file():
        return Path(override) / "apprise.yaml"
    return DEFAULT_CONFIG


def outbox_dir() -> Path:
    return Path(os.environ.get("WUFEI_OUTBOX_DIR") or DEFAULT_OUTBOX).resolve()


def listed_services(config: dict[str, Any]) -> int:
    """How many services an Apprise YAML mapping lists (a URL with a list of entries counts each)."""
    count = 0
    for item in config.get("urls") or []:
        if isinstance(item, str):
            count += 1
        elif isinstance(item, dict):
            for value in item.values():
                count += len(value) if isinstance(value, list) and value else 1
        else:
            raise ChannelError(f"无法识别的通知渠道条目：{item!r}")
    return count


def _check_tags(config: dict[str, Any], text: str, source: str, aliases: dict[str, int] | None) -> None:
    """Every tag is one wufei sends to: a mistyped one (fallbak) would leave its messages with no
    service at send time. A department's tag names its id, or an alias of the contacts when known."""
    for tag in _listed_tags(config):
        role = _DEPARTMENT_TAG.match(tag)
        department = role["department"] if role else None
        if tag in AUDIENCE_TAGS or (
            department is not None and (department.isdigit() or aliases is None or department in aliases)
        ):
            continue
        line = next((n for n, row in enumerate(text.splitlines(), 1) if "tag" in row and tag in row), None)
        raise ChannelError(
            f"{source}：{f'第 {line} 行' if line else ''}未知的标签「{tag}」"
            + (f"（联系人表中没有标签「{department}」的部门）" if department else "")
            + "；可用 office、group、fallback、dept-<部门编号或标签>、leader-<部门编号或标签>"
        )


def _listed_tags(config: dict[str, Any]) -> list[str]:
    tags: list[str] = []
    for item in config.get("urls") or []:
        if not isinstance(item, dict):
            continue
        for entries in item.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                value = entry.get("tag") if isinstance(entry, dict) else None
                if isinstance(value, str):
                    tags += _TAG_SEPARATORS.split(value)
                elif isinstance(value, list):
                    tags += [str(v) for v in value]
    return [tag for tag in tags if tag]


class Channels:
    """The loaded services; `send(tag, subject, body)` delivers to each service with the tag."""

    def __init__(
        self,
        text: str,
        *,
        source: str = "<text>",
        extra: Iterable[tuple[str, Iterable[str]] | tuple[str, Iterable[str], tuple[str, ...]]] = (),
        aliases: dict[str, int] | None = None,
    ):
        text = text.replace("$OUTBOX_DIR", str(outbox_dir()))
        try:
            parsed = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)  # not the text: the line may hold a password
            where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "位置不明"
            raise ChannelError(f"{source}：YAML 格式错误（{where}）") from None
        if not isinstance(parsed, dict):
            raise ChannelError(f"{source}：应为 Apprise YAML 配置（含 urls 列表）")
        expected = listed_services(parsed)
        _check_tags(parsed, text, source, aliases)
        config = apprise.AppriseConfig()
        if not config.add_config(text, format="yaml"):
            raise ChannelError(f"{source}：Apprise 无法读取该配置")
        self.apprise = apprise.Apprise()
        self.apprise.add(config)
        loaded = list(self.apprise)  # forces the load
        if len(loaded) < expected:
            raise ChannelError(
                f"{source}：列出 {expected} 个通知渠道，只加载了 {len(loaded)} 个"
                "（地址无效的渠道被 Apprise 忽略，请检查）"
            )
        extra = list(extra)
        mentioned: list[tuple[Any, tuple[str, ...]]] = []
        for entry in extra:
            url, tags = entry[0], entry[1]
            service = apprise.Apprise.instantiate(url, tag=sorted(tags), suppress_exceptions=True)
            if service is None or not self.apprise.add(service):
                raise ChannelError(f"联系人表中的通知地址无效（标签 {'、'.join(sorted(tags))}）：{privacy_url(url)}")
            if len(entry) == 3 and isinstance(service, NotifyDingTalk):
                mentioned.append((service, entry[2]))
        self.services = list(self.apprise)
        for service in self.services:
            if type(service) in ROBOT_RATES:
                # The pacer spaces a robot's sends at the platform's rate; Apprise's own pause (5.5 s
                # between two requests to one service) would otherwise hold them, and the sending
                # thread doing so, at about 11 a minute behind the pacer's back.
                service.request_rate_per_sec = 0
        if expected + len(extra) == 0:
            raise ChannelError(f"{source}：未配置任何通知渠道")
        for alias, department_id in (aliases or {}).items():
            for service in self.services:
                for role in ("dept", "leader"):
                    if f"{role}-{alias}" in service.tags:
                        service.tags.add(f"{role}-{department_id}")
        # Each service's privacy name, made once: Apprise builds it from the URL's parts on every
        # call (~0.1 ms), and a run names the service of every message.
        self._names = {id(service): service_name(service) for service in self.services}
        # A liaison's mobile joins the robot's targets (钉钉 @-mentions it) after the names are made: the
        # name a delivery is recorded under (what a retry skips, what the pacer counts) stays the
        # robot's, whatever mobile the contacts sheet gives now or later, and no mobile is shown with it.
        for service, mobiles in mentioned:
            service.targets = list(dict.fromkeys([*service.targets, *mobiles]))
        self._by_tag: dict[str, list[Any]] = {}
        for service in self.services:  # an index: find(tag=…) walks every service, and contacts add thousands
            for tag in service.tags:
                self._by_tag.setdefault(str(tag), []).append(service)
        self.source = source
        self.mail = MailSessions()  # email goes over one connection per SMTP server until `close`
        self.pacer = Pacer()  # the group robots' send rates, for every thread of the run

    def robots(self) -> dict[str, list[tuple[Any, ...]]]:
        """Each group robot's privacy name (as deliveries record it) and the keys of its robots
        (two URLs of one robot, for two departments, are one robot)."""
        named: dict[str, list[tuple[Any, ...]]] = {}
        for service in self.services:
            if type(service) in ROBOT_RATES:
                named.setdefault(self._names[id(service)], []).append(robot_key(service))
        return named

    def close(self) -> None:
        """Quit the SMTP connections kept for the run (a later send opens them again)."""
        self.mail.close()

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        extra: Iterable[tuple[str, Iterable[str]] | tuple[str, Iterable[str], tuple[str, ...]]] = (),
        aliases: dict[str, int] | None = None,
    ) -> Channels:
        path = path or config_file()
        return cls(path.read_text(encoding="utf-8"), source=str(path), extra=extra, aliases=aliases)

    def services_for(self, tag: str) -> list[Any]:
        """The services carrying `tag`, or else those carrying `fallback`."""
        found = self._by_tag.get(tag, [])
        if not found and tag != FALLBACK_TAG:
            found = self._by_tag.get(FALLBACK_TAG, [])
        return list(found)

    def targets(self, tag: str, *, skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[Any, str]]:
        """(service, privacy name) for every service for `tag` except those named in `skip`; the
        group robots last (their sends may wait for the robot's rate: the others go first)."""
        names = self._names
        found = [(service, name) for service in self.services_for(tag) if (name := names[id(service)]) not in skip]
        return sorted(found, key=lambda target: type(target[0]) in ROBOT_RATES)

    def reserve(self, service: Any, *, within: float) -> float | None:
        """A group robot's send: the moment (time.monotonic) it may leave, taken for it (then
        `send_to(…, reserved=True)`), or None when that is more than `within` seconds away (nothing
        taken). Any other service: now."""
        if type(service) not in ROBOT_RATES:
            return time.monotonic()
        return self.pacer.reserve(robot_key(service), ROBOT_RATES[type(service)], within=within)

    def draft(
        self, service: Any, subject: str, body: str, *, attachments: list[Attachment] | tuple[Attachment, ...] = ()
    ) -> Draft | None:
        """The email `send_to` would send to `service`, built now (a run builds the next messages
        while the connection carries the last); None for other services, and when Apprise would
        refuse to send (`send_to` then says why)."""
        if not isinstance(service, NotifyEmail):
            return None
        try:
            calls = _calls(service, _message(service, subject, body, attachments))
        except Exception:  # `send_to` meets it again, inside the attempt, and records it
            return None
        if not calls:
            return None
        return Draft(
            service, [self.mail.build(service, title=c["title"], body=c["body"], attach=c["attach"]) for c in calls]
        )

    def send_to(
        self,
        service: Any,
        name: str,
        subject: str,
        body: str,
        *,
        attachments: list[Attachment] | tuple[Attachment, ...] = (),
        draft: Draft | None = None,
        reserved: bool = False,
    ) -> ServiceResult:
        """Send to one service; `draft`: the same message to it, built ahead (`draft`); `reserved`:
        the robot's moment taken already (`reserve`) and come."""
        return _send_one(
            service, name, subject, body, attachments, mail=self.mail, draft=draft, pacer=self.pacer, reserved=reserved
        )

    def send(
        self, tag: str, subject: str, body: str, *, skip: set[str] | frozenset[str] = frozenset()
    ) -> list[ServiceResult]:
        """Send to every service for `tag` except those named (privacy URL) in `skip`.

        Returns one result per service tried; an empty list means no service matched at all.
        """
        return [
            _send_one(service, name, subject, body, mail=self.mail, pacer=self.pacer)
            for service, name in self.targets(tag, skip=skip)
        ]


def service_name(service: Any) -> str:
    """`url(privacy=True)`; custom schemas print only `outbox://`, so their (non-secret) path is added."""
    name = service.url(privacy=True)
    if name.endswith("://") and getattr(service, "fullpath", None):
        name = f"{name}{service.host or ''}{service.fullpath}"
    return name


def _attach_for(service: Any, attachments) -> list[Any] | None:
    """Apprise attachments for a service that takes them (email, the outbox); None for the rest.

    Email: Apprise writes the file name as `filename="{Header(name)}"`, and a Chinese name then
    turns the whole Content-Disposition header into one encoded word that mail readers cannot
    parse. An RFC 2047 encoded word inside the quoted name (`filename="=?utf-8?b?…?="`) stays a
    plain ASCII parameter that mail clients (Outlook, Foxmail, Thunderbird, Gmail, Python's
    email package) decode back to the Chinese name."""
    if not attachments or not getattr(service, "attachment_support", False):
        return None
    is_email = isinstance(service, NotifyEmail)
    found = []
    for item in attachments:
        name = item.name
        if is_email and not name.isascii():
            name = "=?utf-8?b?" + base64.b64encode(name.encode("utf-8")).decode("ascii") + "?="
        found.append(AttachFile(path=str(item.path), name=name))
    return found


class _ThreadLogCapture(logging.Handler):
    """One handler on the `apprise` logger that keeps each thread's records in that thread's own
    buffer while it captures: `apprise.LogCapture` per send attaches a handler to the shared
    logger, so with concurrent sends one send's error held the other threads' warnings (their
    hosts and recipients)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s"))
        self._local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        buffer = getattr(self._local, "buffer", None)
        if buffer is not None:  # emit runs in the thread that logged
            buffer.append(self.format(record))

    def start(self) -> list[str]:
        self._local.buffer = []
        return self._local.buffer

    def stop(self) -> None:
        self._local.buffer = None


_capture = _ThreadLogCapture()
_apprise_logger = logging.getLogger("apprise")
_apprise_logger.addHandler(_capture)
if _apprise_logger.getEffectiveLevel() > logging.WARNING:
    _apprise_logger.setLevel(logging.WARNING)


# What the group robots take in one message (wufei.notify.fit says why): 企业微信 counts the text's
# UTF-8, 钉钉 and 飞书 the request, in which their plugins escape each Chinese character; the
# request's other fields (message type, title, signature) take the rest of 20,000.
ROBOT_LIMITS: dict[type, Limit] = {
    NotifyWeComBot: Limit(2048, json_escaped=False),
    NotifyDingTalk: Limit(19_500, json_escaped=True),
    NotifyFeishu: Limit(19_500, json_escaped=True),
}
# How many messages a group robot takes (wufei.notify.pace): 企业微信 and 钉钉 20 a minute (钉钉 then
# refuses all for ten minutes), 飞书 5 a second and 100 a minute.
ROBOT_RATES: dict[type, tuple[Rate, ...]] = {
    NotifyWeComBot: (Rate(20, 60 + MARGIN),),
    NotifyDingTalk: (Rate(20, 60 + MARGIN),),
    NotifyFeishu: (Rate(5, 1 + MARGIN / 10), Rate(100, 60 + MARGIN)),
}


# A robot's refusal of one message too many, and how long it then takes nothing: 钉钉 130101 (ten
# minutes), 企业微信 45009 and 飞书 11232 (their minute).
ROBOT_THROTTLES: dict[str, float] = {"130101": 600.0, "45009": 60.0 + MARGIN, "11232": 60.0 + MARGIN}


def robot_key(service: Any) -> tuple[Any, ...]:
    """What makes a robot one robot: its platform and token (Apprise's `url_identifier`)."""
    return (type(service).__name__, *service.url_identifier)


def _message(service: Any, subject: str, body: str, attachments) -> dict[str, Any]:
    """The arguments of `service.notify` for a text message (for a group robot, cut to what it takes)."""
    text_format = apprise.NotifyFormat.TEXT
    limit = ROBOT_LIMITS.get(type(service))
    # 钉钉 @-mentions the mobiles among the URL's targets (wufei.contacts: the liaison's) only when
    # the text names them too: a last line of them, kept when the digest is cut.
    mentions = " ".join(f"@{mobile}" for mobile in service.targets) if isinstance(service, NotifyDingTalk) else ""
    if limit is not None:

        def sent(text: str) -> int:  # as the robot gets it: in the service's format (HTML: <br/>, &nbsp;)
            return limit.measure(convert_between(text_format, service.notify_format, content=text))

        # the subject goes too: as the body's first line (Apprise's `notify`) or a field of its own
        room = limit.size - sent(subject) - limit.measure("\r\n") - (sent(f"\n{mentions}") if mentions else 0)
        body = fit(body, room, sent)
    if mentions:
        body = f"{body}\n{mentions}"
    return {
        "body": convert_between(text_format, service.notify_format, content=body),
        "title": subject
        if service.title_maxlen > 0
        else convert_between(text_format, service.notify_format, content=subject),
        "notify_type": apprise.NotifyType.INFO,
        "body_format": text_format,
        "attach": _attach_for(service, attachments),
    }


def _send_one(
    service: Any,
    name: str,
    subject: str,
    body: str,
    attachments=(),
    *,
    mail: MailSessions | None = None,
    draft: Draft | None = None,
    pacer: Pacer | None = None,
    reserved: bool = False,
) -> ServiceResult:
    """One service's attempt: Apprise's `notify`, or for email the same calls over the run's kept
    SMTP connection (`mail`; `draft`: the emails built ahead); the outcome as wufei.notify.wire saw
    the traffic. A group robot's send waits first for its robot's rate (`pacer`)."""
    if draft is not None and draft.service is not service:
        raise ValueError("draft built for another service")
    started = time.monotonic()  # a robot's wait counts: its `sending` row was written before it
    robot = robot_key(service) if pacer is not None and type(service) in ROBOT_RATES else None
    if robot is not None and pacer is not None:
        if pacer.refusing(robot):  # known not sent: failed, retried later
            return ServiceResult(name, False, "机器人因发送过快暂停接收，本条未发送，稍后重试", 0)
        if not reserved:
            pacer.wait(robot, ROBOT_RATES[type(service)])
    log = _capture.start()
    with wire.watch(platform_codes=type(service) in ROBOT_LIMITS) as traffic:
        try:
            if mail is not None and isinstance(service, NotifyEmail):
                calls = (
                    draft.calls
                    if draft is not None
                    else [
                        mail.build(service, title=c["title"], body=c["body"], attach=c["attach"])
                        for c in _calls(service, _message(service, subject, body, attachments))
                    ]
                )
                errors = [mail.send(service, built) for built in calls]
                error = "；".join(e for e in errors if e) or None
                ok = error is None and bool(errors)
                if not errors:
                    error = _last_lines("\n".join(log)) or "发送失败（Apprise 未给出原因）"
            else:
                ok = bool(service.notify(**_message(service, subject, body, attachments)))
                error = None if ok else (_last_lines("\n".join(log)) or "发送失败（Apprise 未给出原因）")
                if ok and traffic.refusals:  # Apprise took the platform's 200 for an acceptance
                    ok, error = False, "；".join(traffic.refusals)
                    penalty = max((ROBOT_THROTTLES.get(code, 0.0) for code in traffic.refusal_codes), default=0.0)
                    if robot is not None and pacer is not None and penalty:
                        pacer.throttled(robot, penalty)
        except Exception as exc:  # a plugin raising is a failed attempt, not a crash of the run
            ok, error = False, f"{type(exc).__name__}: {exc}"
        finally:
            _capture.stop()
    unknown = not ok and traffic.uncertain
    if unknown:
        error = f"结果不明：{traffic.reason()}" + (f"\n{error}" if error else "")
    return ServiceResult(name, ok, error, int((time.monotonic() - started) * 1000), unknown=unknown)


def _calls(service: NotifyEmail, message: dict[str, Any]) -> list[dict[str, Any]]:
    """The calls `service.notify(**message)` makes to the plugin's `send` (the service enabled,
    attachments wrapped, Apprise's overflow rules); none when `notify` would refuse (it logs why)."""
    try:
        return list(service._build_send_calls(**message))
    except TypeError:
        return []


def normalized_url(text: str, schemas: tuple[str, ...]) -> str | None:
    """`text` when it is an address Apprise loads (an Apprise URL, or a native webhook address a
    plugin knows) as a service of one of `schemas`; otherwise None. (Not `service.url()`: some
    plugins print enum reprs into it.)"""
    service = apprise.Apprise.instantiate(text, suppress_exceptions=True)
    if service is None:
        return None
    protocols: set[str] = set()
    for attribute in ("protocol", "secure_protocol"):
        value = getattr(service, attribute, None)
        protocols.update([value] if isinstance(value, str) else (value or ()))
    return text if protocols & set(schemas) else None


def privacy_url(url: str) -> str:
    """A URL with its secrets masked, for error messages (Apprise's own privacy form when it parses)."""
    service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    return service.url(privacy=True) if service is not None else url.split("://", 1)[0] + "://…"


def _last_lines(text: str, limit: int = 1000) -> str:
    lines = [line.split(" - ", 2)[-1] for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines)[-limit:]
