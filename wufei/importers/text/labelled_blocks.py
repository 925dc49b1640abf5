"""Records printed as blocks of labelled lines, each label alone on its line over its value (a progress summary of
a county's projects, a list of 办实事 items): ``01 项目名称：提升县域生态环境`` / ``项目内容：`` / ``连通城区河道…`` /
``责任单位`` / ``水务局、城管局`` / ``进展与成效：`` / ``…``, then ``02 项目名称：…`` and the same labels again.

Each block is one record, so the blocks become the rows of one table whose header is the first block's labels
(`labelled_blocks`), read by the table reader as a form's rows are. A label is a short word closed by its colon and
alone on its line, a word of the header vocabulary alone on its line (a copy may lose the colon: ``责任单位``), or the
block's first label with its value after the colon, perhaps after the block's number (``01 项目名称：…``). The first
label met again opens the next block. Like a form, the labels must name a task's text and who does it or by when
(table_forms.form_labels_name_a_task), and there must be two blocks at least: a single labelled record is left to
the readers of forms and labelled sections.
"""

from __future__ import annotations

import re

from wufei.importers.document import CELLS, Row, Table
from wufei.importers.headers import column_role, header_key
from wufei.importers.text.normalize import normalize_cell
from wufei.importers.text.table_forms import LABEL_MAX, form_labels_name_a_task

# 01 项目名称：title / 项目内容： / 责任单位 — the number, the label, the colon and the value on its line.
_LABEL_LINE = re.compile(
    r"^\s*(?:(?P<number>\d{1,3})\s+)?(?P<label>[\u4e00-\u9fff、]{2,12})\s*(?P<colon>[：:])?\s*(?P<value>.*)$"
)
MIN_BLOCKS = 2
_CONTACT = re.compile(r"^联系(?:人|电话|方式)$")


def labelled_blocks(lines: list[str]) -> Table | None:
    """The blocks of labelled lines as a table, one row a block (index 0 of `lines` is line 1), or None."""
    labels: list[str] = []  # the first block's, in order
    blocks: list[tuple[int, dict[str, list[str]]]] = []  # each block's line index and its values by label
    current: str | None = ""  # the label whose value the lines are; None under a contact line, whose value is none
    last = 0
    blank_inside = False  # blank lines between a block's lines: a copy's rhythm, no paragraph break
    longest = 0  # the longest value line in the blocks
    for k, line in enumerate(lines):
        if not line.strip():
            blank_inside = blank_inside or (bool(blocks) and k > 0 and _next_is_value(lines, k))
            continue
        label, value = _label(line, opening=not labels or _opens(line, labels[0]))
        if label is None:
            has_value = bool(blocks and current is not None and blocks[-1][1].get(current))
            if has_value and _closes_blocks(lines, k, blank_inside, longest):
                break  # the closing paragraph, the signature and date after it belong to no block
            if blocks and current is not None:
                blocks[-1][1][current].append(line.strip())
                longest = max(longest, len(line.strip()))
                last = k
            continue
        if blocks and _CONTACT.match(label):
            current = None  # 联系人： alone among the blocks: the contact, no label of theirs
            continue
        key = header_key(label)
        if not blocks and column_role(label, strict=True) != "task_name":
            continue  # a block opens with the label naming its record (项目名称, 工作任务)
        if not labels or key == header_key(labels[0]):
            blocks.append((k, {}))
        elif key in blocks[-1][1]:
            return None  # a label twice in one block: no blocks of one record each
        if len(blocks) == 1:
            labels.append(label)
        elif key not in {header_key(seen) for seen in labels}:
            return None  # a later block with a label the first lacks
        blocks[-1][1][key] = [value] if value else []
        current, last = key, k
    if len(blocks) < MIN_BLOCKS or len(labels) < 3 or not form_labels_name_a_task(labels):
        return None
    rows = []
    for k, values in blocks:
        raw = ["\n".join(values.get(header_key(label), [])) or None for label in labels]
        rows.append(Row(cells=[normalize_cell(cell) for cell in raw], line=k + 1, raw=raw))
    return Table(header=labels, rows=rows, caption=[], start_line=blocks[0][0] + 1, end_line=last + 1, layout=CELLS)


def _next_is_value(lines: list[str], k: int) -> bool:
    """Whether the blank line k stands between a block's label and its value (a copy blank-lining every line)."""
    before = lines[k - 1]
    return bool(_LABEL_LINE.match(before)) and before.rstrip().endswith(("：", ":"))


def _closes_blocks(lines: list[str], k: int, blank_inside: bool, longest: int) -> bool:
    """Whether line k, no label, after a value is a paragraph closing the blocks (下一步，我们将…。 after a blank
    line): a sentence closed by its full stop after a blank line the blocks do not print between their lines, or
    longer than any of their values."""
    line = lines[k].strip()
    after_blank = k > 0 and not lines[k - 1].strip()
    return after_blank and line.endswith("。") and (not blank_inside or len(line) > longest)


def _opens(line: str, first: str) -> bool:
    """Whether a line prints the label opening every block."""
    match = _LABEL_LINE.match(line)
    return bool(match and header_key(match["label"]) == header_key(first))


def _label(line: str, *, opening: bool) -> tuple[str | None, str]:
    """The label a line prints and the value after it on the line. Only the line opening a block (its first
    label) may carry a number before the label or a value after it; any other label stands alone."""
    match = _LABEL_LINE.match(line)
    if match is None or len(match["label"]) > LABEL_MAX:
        return None, ""
    label, value = match["label"], match["value"].strip()
    known = column_role(label, strict=True) is not None
    if value or match["number"]:
        return (label, value) if opening and known and match["colon"] else (None, "")
    return (label, "") if match["colon"] or known else (None, "")
