"""A message cut to what a group robot takes in one message (pure: no Apprise, no network).

企业微信's group robot refuses a text over 2,048 bytes of UTF-8 (errcode 40058), 钉钉's a request
over 20,000 bytes (errcode 460101) and 飞书's one over 20 KB; Apprise's plugins send what they are
given, and 钉钉's and 飞书's write each Chinese character as a 6-byte JSON escape. A department's
digest of a dozen items is past 企业微信's limit, and the send would fail every day it is retried.
So the robots get the digest's opening, as many whole items as fit, a line saying how many were
left out, and its closing (the portal's link, where every item is); an email still carries it
whole. A text that is not a numbered digest is cut with 「…」.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

ITEM = re.compile(r"\d+\. ")  # a digest's numbered item (notifications/templates/digest/body.j2)


@dataclass(frozen=True)
class Limit:
    size: int  # bytes
    json_escaped: bool  # counted as sent: json.dumps' escapes (6 bytes a Chinese character), else UTF-8

    def measure(self, text: str) -> int:
        return len(json.dumps(text)) - 2 if self.json_escaped else len(text.encode("utf-8"))


def omitted_line(count: int) -> str:
    return f"……另有{count}项未在此列出，请登录督办平台查看全部。"


def fit(text: str, room: int, limit: Limit) -> str:
    """`text` in at most `room` bytes as `limit` counts them."""
    if limit.measure(text) <= room:
        return text
    lines = text.split("\n")
    items = [i for i, line in enumerate(lines) if ITEM.match(line)]
    if items:
        fitted = _fit_items(lines[: items[0]], lines[items[0] : items[-1] + 1], lines[items[-1] + 1 :], room, limit)
        if fitted is not None:
            return fitted
    return _cut(text, room, limit)


def _fit_items(head: list[str], middle: list[str], tail: list[str], room: int, limit: Limit) -> str | None:
    """The head, the leading items that fit (a section's heading only with an item of it), the
    count of the others, the tail; None when not even the head, the count and the tail fit."""
    total = sum(1 for line in middle if ITEM.match(line))
    kept: list[str] = []
    pending: list[str] = []  # headings and blank lines waiting for an item of theirs
    listed = 0
    for line in middle:
        if not ITEM.match(line):
            pending.append(line)
            continue
        trial = kept + pending + [line]
        if limit.measure(_join(head, trial, total - listed - 1, tail)) > room:
            break
        kept, pending, listed = trial, [], listed + 1
    text = _join(head, kept, total - listed, tail)
    return text if limit.measure(text) <= room else None


def _join(head: list[str], kept: list[str], omitted: int, tail: list[str]) -> str:
    note = [omitted_line(omitted)] if omitted else []
    return "\n".join(head + kept + note + tail)


def _cut(text: str, room: int, limit: Limit) -> str:
    """The longest start of `text` that fits with 「…」 after it."""
    low, high = 0, len(text)
    while low < high:  # the measure grows with the length: bisect on characters
        middle = (low + high + 1) // 2
        if limit.measure(text[:middle] + "…") <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"
