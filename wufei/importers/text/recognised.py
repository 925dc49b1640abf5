"""Doubts on what OCR read from a scan: every record, and each word Tesseract was unsure of where it stands.

A scan's text is never trusted silently: each record read from a recognised page (not one a PDF's text layer
gives, in a PDF with both) asks a person to check it against the
paper, the plan says which pages were recognised and how confident the recognition was (naming the words
read with low confidence), and such a word of two characters or more (《市) is named again on the field it
stands in (its page's records only).
"""

from __future__ import annotations

import re

from wufei.importers.document import LowConfidence, Recognition
from wufei.importers.records import CellRecord, Doubt, IndicatorRecord, ParsedPlan, TaskRecord

RECORD = "由扫描件文字识别（OCR）读取，请对照原件核对名称、责任单位和完成期限"
SHOWN_WORDS = 12  # low-confidence words quoted in the plan's doubt
_PAGE = re.compile(r"^第(\d+)(?:-(\d+))?页")
_READABLE = re.compile(r"[\w\u4e00-\u9fff]")  # a word with a letter, digit or character, not a stray mark


def flag_recognised(plan: ParsedPlan, recognition: Recognition) -> None:
    pages = page_names(recognition.pages)
    low = [word for word in recognition.low if _READABLE.search(word.text)]
    message = (
        f"{pages}是扫描件，由文字识别（OCR）读取，平均置信度 {recognition.mean_confidence:.0f}%"
        f"（{len(recognition.confidences)} 个词）"
    )
    if low:
        shown = "".join(f"「{word.text}」" for word in low[:SHOWN_WORDS]) + ("等" if len(low) > SHOWN_WORDS else "")
        message += f"；{len(low)} 处识别把握较低：{shown}"
    plan.doubts.append(Doubt("record", message + "。请对照原件逐条核对"))
    records: list[TaskRecord | IndicatorRecord | CellRecord] = [*plan.tasks, *plan.indicators, *plan.cells]
    for record in records:
        if not _on_recognised_page(record.where, recognition.pages):
            continue
        record.doubts.append(Doubt("record", RECORD))
        # A word of one character (废) stands in too many records to say which it belongs to.
        on_page = [word for word in _on_pages(low, record.where) if len(word.text) >= 2]
        for field, text in _fields(record):
            for word in {word.text: word for word in on_page}.values():
                if text and word.text in text:
                    message = f"此处文字识别把握较低（置信度 {word.confidence:.0f}%），请对照原件核对「{word.text}」"
                    record.doubts.append(Doubt(field, message, word.text))


def page_names(numbers: list[int]) -> str:
    """第3页, 第1-2页, 第1、3页."""
    if len(numbers) == 1:
        return f"第{numbers[0]}页"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第{numbers[0]}-{numbers[-1]}页"
    return "第" + "、".join(str(n) for n in numbers) + "页"


def _page_range(where: str | None) -> tuple[int, int] | None:
    match = _PAGE.match(where or "")
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or match.group(1))


def _on_recognised_page(where: str | None, pages: list[int]) -> bool:
    """Whether a record stands on a recognised page; one whose page is not known is taken as being on one."""
    span = _page_range(where)
    return span is None or any(span[0] <= page <= span[1] for page in pages)


def _on_pages(low: list[LowConfidence], where: str | None) -> list[LowConfidence]:
    span = _page_range(where)
    if span is None:
        return low
    return [word for word in low if span[0] <= word.page <= span[1]]


def _fields(record: TaskRecord | IndicatorRecord | CellRecord) -> list[tuple[str, str | None]]:
    if isinstance(record, TaskRecord):
        return [("title", record.title), ("leads", record.owners_raw), ("deadline", record.deadline_raw)]
    if isinstance(record, IndicatorRecord):
        return [
            ("title", record.name),
            ("baseline", record.baseline_raw),
            ("target", record.target_raw),
            ("leads", record.owners_raw),
        ]
    return [("title", record.category), ("count", record.count_raw), ("leads", record.lead_raw)]
