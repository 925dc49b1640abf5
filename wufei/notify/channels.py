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

Apprise skips an invalid URL silently, so loading counts the services listed in the YAML and
raises `ChannelError` when fewer load. `notify()` gives one bool for all services, so a message is
sent service by service (`find(tag=…)`), recording each one's result under `url(privacy=True)`.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import apprise
import yaml
from apprise.conversion import convert_between
from apprise.decorators import notify as apprise_notify

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = ROOT / "notifications" / "apprise.yaml"
DEFAULT_OUTBOX = ROOT / "out" / "outbox"
FALLBACK_TAG = "fallback"


class ChannelError(RuntimeError):
    """The channel configuration cannot be used as written."""


@dataclass(frozen=True)
class ServiceResult:
    service_url: str  # privacy form: no passwords or tokens
    ok: bool
    error: str | None
    duration_ms: int


@apprise_notify(on="outbox")
def _outbox(body: str, title: str, notify_type: str, meta: dict[str, Any], *args, **kwargs) -> bool:
    """Write the message as one UTF-8 JSON file in the folder named by the URL's path."""
    folder = Path(meta.get("fullpath") or "")
    if not folder.is_absolute():
        raise ValueError(f"outbox 路径须为绝对路径：{meta.get('url')}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}-{uuid.uuid4().hex[:8]}.json"  # ASCII file names only
    message = {"subject": title, "body": body, "type": str(notify_type),
               "tags": sorted(str(t) for t in meta.get("tag") or ()), "written_at": stamp}
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


class Channels:
    """The loaded services; `send(tag, subject, body)` delivers to each service with the tag."""

    def __init__(self, text: str, *, source: str = "<text>"):
        text = text.replace("$OUTBOX_DIR", str(outbox_dir()))
        try:
            parsed = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise ChannelError(f"{source}：YAML 格式错误：{error}") from error
        if not isinstance(parsed, dict):
            raise ChannelError(f"{source}：应为 Apprise YAML 配置（含 urls 列表）")
        expected = listed_services(parsed)
        config = apprise.AppriseConfig()
        if not config.add_config(text, format="yaml"):
            raise ChannelError(f"{source}：Apprise 无法读取该配置")
        self.apprise = apprise.Apprise()
        self.apprise.add(config)
        self.services = list(self.apprise)  # forces the load
        if expected == 0:
            raise ChannelError(f"{source}：未配置任何通知渠道")
        if len(self.services) < expected:
            raise ChannelError(f"{source}：列出 {expected} 个通知渠道，只加载了 {len(self.services)} 个"
                               "（地址无效的渠道被 Apprise 忽略，请检查）")
        self.source = source

    @classmethod
    def load(cls, path: Path | None = None) -> Channels:
        path = path or config_file()
        return cls(path.read_text(encoding="utf-8"), source=str(path))

    def services_for(self, tag: str) -> list[Any]:
        """The services carrying `tag`, or else those carrying `fallback`."""
        found = list(self.apprise.find(tag=tag, match_always=False))
        if not found and tag != FALLBACK_TAG:
            found = list(self.apprise.find(tag=FALLBACK_TAG, match_always=False))
        return found

    def send(self, tag: str, subject: str, body: str, *, skip: set[str] | frozenset[str] = frozenset()
             ) -> list[ServiceResult]:
        """Send to every service for `tag` except those named (privacy URL) in `skip`.

        Returns one result per service tried; an empty list means no service matched at all.
        """
        results = []
        for service in self.services_for(tag):
            name = service_name(service)
            if name in skip:
                continue
            results.append(_send_one(service, name, subject, body))
        return results


def service_name(service: Any) -> str:
    """`url(privacy=True)`; custom schemas print only `outbox://`, so their (non-secret) path is added."""
    name = service.url(privacy=True)
    if name.endswith("://") and getattr(service, "fullpath", None):
        name = f"{name}{service.host or ''}{service.fullpath}"
    return name


def _send_one(service: Any, name: str, subject: str, body: str) -> ServiceResult:
    text_format = apprise.NotifyFormat.TEXT
    title = subject if service.title_maxlen > 0 else convert_between(text_format, service.notify_format, content=subject)
    content = convert_between(text_format, service.notify_format, content=body)
    started = time.monotonic()
    with apprise.LogCapture(level=logging.WARNING) as log:
        try:
            ok = bool(service.notify(body=content, title=title, notify_type=apprise.NotifyType.INFO,
                                     body_format=text_format))
            error = None if ok else (_last_lines(log.getvalue()) or "发送失败（Apprise 未给出原因）")
        except Exception as exc:  # a plugin raising is a failed attempt, not a crash of the run
            ok, error = False, f"{type(exc).__name__}: {exc}"
    return ServiceResult(name, ok, error, int((time.monotonic() - started) * 1000))


def _last_lines(text: str, limit: int = 1000) -> str:
    lines = [line.split(" - ", 2)[-1] for line in text.strip().splitlines() if line.strip()]
    return "\n".join(lines)[-limit:]
