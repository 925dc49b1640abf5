"""A message cut to what a group robot takes in one message (pure: no Apprise, no network).

企业微信's group robot refuses a text over 2,048 bytes of UTF-8 (errcode 40058), 钉钉's a request
over 20,000 bytes (errcode 460101) and 飞书's one over 20 KB; Apprise's plugins send what they are
given, and 钉钉's and 飞书's write each Chinese character as a 6-byte JSON escape. A department's
digest of a dozen items is past 企业微信's limit, and the send would fail every day it is retried.
So the robots get the digest's opening, as many whole items as fit (a section's heading only with
an item of it), a line saying how many were left out, and its closing (the portal's link, where
every item is); an email still carries it whole. A text that is not a numbered digest is cut
with 「…」. The size is measured as sent: the caller's `measure` converts the text to the channel's
format (HTML writes a line break as <br/>) before counting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

ITEM = re.compile(r"\d+\. ")  # a digest's numbered item (notifications/templates/digest/body.j2)
HEADING = re.compile(r"【[^】]+】（\d+项）$")  # a digest's section heading
Measure = Callable[[str], int]


@dataclass(frozen=True)
class Limit:
    size: int  # bytes
    json_escaped: bool  # counted as sent: json.dumps' escapes (6 bytes a Chinese character), else UTF-8

    def measure(self, text: str) -> int:
        return len(json.dumps(text)) - 2 if self.json_escaped else len(text.encode("utf-8"))


def omitted_line(count: int) -> str:
    return f"……另有{count}项未在此列出，请登录督办平台查看全部。"


def fit(text: str, room: int, measure: Measure) -> str:
    """`text` in at most `room` as `measure` counts it."""
    if measure(text) <= room:
        return text
    lines = text.split("\n")
    items = [i for i, line in enumerate(lines) if ITEM.match(line)]
    if items:
        first = next(i for i, line in enumerate(lines) if ITEM.match(line) or HEADING.match(line))
        head, middle, tail = lines[:first], lines[first : items[-1] + 1], lines[items[-1] + 1 :]
        fitted = _fit_items(head, middle, tail, room, measure)
        if fitted is not None:
            return fitted
    return _cut(text, room, measure)


def _fit_items(head: list[str], middle: list[str], tail: list[str], room: int, measure: Measure) -> str | None:
    """The head, the leading items that fit (a heading only with an item of its section), the
    count of the others, the tail; None when not even the head, the count and the tail fit.
    Sizes are added line by line (each line and line break measured once), then the result is
    measured whole, dropping one more item while a conversion made it larger than the sum."""
    total = sum(1 for line in middle if ITEM.match(line))
    cost = [measure(line) for line in middle]
    fixed = sum(map(measure, head)) + sum(map(measure, tail)) + measure("\n") * (len(head) + len(tail))
    gap = measure("\n")
    note = measure(omitted_line(total))  # the widest count: the sum stays an upper bound
    kept_until, used, pending = 0, 0, 0  # middle[:kept_until] kept; `pending` heading lines' cost waiting
    for index, line in enumerate(middle):
        if not ITEM.match(line):
            pending += cost[index] + gap
            continue
        more = pending + cost[index] + gap
        if fixed + used + more + note > room:
            break
        used, pending, kept_until = used + more, 0, index + 1
    while True:
        kept = middle[:kept_until]
        listed = sum(1 for line in kept if ITEM.match(line))
        text = "\n".join(head + kept + ([omitted_line(total - listed)] if listed < total else []) + tail)
        if measure(text) <= room:
            return text
        if listed == 0:
            return None
        kept_until = max(i for i, line in enumerate(kept) if ITEM.match(line))  # one item fewer
        while kept_until and not ITEM.match(middle[kept_until - 1]):
            kept_until -= 1  # and its section's heading, when no item of it is left


def _cut(text: str, room: int, measure: Measure) -> str:
    """The longest start of `text` that fits with 「…」 after it."""
    low, high = 0, len(text)
    while low < high:  # the measure grows with the length: bisect on characters
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…") <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low] + "…"
