"""Doubts on what OCR read from a scan: every record, and each word Tesseract was unsure of where it stands.

A scan's text is never trusted silently: each record read from a recognised page (not one a PDF's text layer
gives, in a PDF with both) asks a person to check it against the
paper, the plan says which pages were recognised and how confident the recognition was (naming the words
read with low confidence), and such a word of two characters or more (《市) is named again on the field it
stands in (its page's records only). Pictures inside a Word file or a web page are named the same way by
their number (第2张图片, `Recognition.unit`); there only the records read from a picture are flagged.
"""

from __future__ import annotations

import re

from wufei.importers.document import LowConfidence, Recognition
from wufei.importers.records import CellRecord, Doubt, IndicatorRecord, ParsedPlan, TaskRecord

RECORD = "由扫描件文字识别（OCR）读取，请对照原件核对名称、责任单位和完成期限"
RECORD_PICTURE = "由文件中的图片文字识别（OCR）读取，请对照原件核对名称、责任单位和完成期限"
SHOWN_WORDS = 12  # low-confidence words quoted in the plan's doubt
_READABLE = re.compile(r"[\w\u4e00-\u9fff]")  # a word with a letter, digit or character, not a stray mark


def flag_recognised(plan: ParsedPlan, recognition: Recognition) -> None:
    pages = page_names(recognition.pages, recognition.unit)
    low = [word for word in recognition.low if _READABLE.search(word.text)]
    scanned = recognition.unit == "页"
    message = (
        f"{pages}{'是扫描件，' if scanned else ''}由文字识别（OCR）读取，平均置信度 {recognition.mean_confidence:.0f}%"
        f"（{len(recognition.confidences)} 个词）"
    )
    if low:
        shown = "".join(f"「{word.text}」" for word in low[:SHOWN_WORDS]) + ("等" if len(low) > SHOWN_WORDS else "")
        message += f"；{len(low)} 处识别把握较低：{shown}"
    plan.doubts.append(Doubt("record", message + "。请对照原件逐条核对"))
    for turn in sorted(set(recognition.turned.values())):
        turned = page_names(sorted(n for n, t in recognition.turned.items() if t == turn), recognition.unit)
        how = "倒置" if turn == 180 else "横置"
        plan.doubts.append(Doubt("record", f"{turned}方向{how}，已顺时针旋转{turn}度转正后识别，请对照原件核对"))
    records: list[TaskRecord | IndicatorRecord | CellRecord] = [*plan.tasks, *plan.indicators, *plan.cells]
    for record in records:
        if not _on_recognised_page(record.where, recognition):
            continue
        record.doubts.append(Doubt("record", RECORD if scanned else RECORD_PICTURE))
        # A word of one character (废) stands in too many records to say which it belongs to.
        on_page = [word for word in _on_pages(low, record.where, recognition.unit) if len(word.text) >= 2]
        for field, text in _fields(record):
            for word in {word.text: word for word in on_page}.values():
                if text and word.text in text:
                    message = f"此处文字识别把握较低（置信度 {word.confidence:.0f}%），请对照原件核对「{word.text}」"
                    record.doubts.append(Doubt(field, message, word.text))


def page_names(numbers: list[int], unit: str = "页") -> str:
    """第3页, 第1-2页, 第1、3页 (or 第3张图片 … for pictures)."""
    if len(numbers) == 1:
        return f"第{numbers[0]}{unit}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第{numbers[0]}-{numbers[-1]}{unit}"
    return "第" + "、".join(str(n) for n in numbers) + unit


def _page_range(where: str | None, unit: str) -> tuple[int, int] | None:
    match = re.match(rf"^第(\d+)(?:-(\d+))?{unit}", where or "")
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2) or match.group(1))


def _on_recognised_page(where: str | None, recognition: Recognition) -> bool:
    """Whether a record stands on a recognised page or picture. A record of a scanned file whose page is not
    known is taken as being on one; in a Word file or web page, one not named by its picture is the
    document's own text."""
    span = _page_range(where, recognition.unit)
    if span is None:
        return recognition.unit == "页"
    return any(span[0] <= page <= span[1] for page in recognition.pages)


def _on_pages(low: list[LowConfidence], where: str | None, unit: str) -> list[LowConfidence]:
    span = _page_range(where, unit)
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
