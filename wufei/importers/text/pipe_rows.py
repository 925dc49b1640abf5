"""A table typed in Markdown (a wiki's or an editor's pipe table), one row a line:

    | 序号 | 重点任务 | 牵头单位 | 完成时限 |
    | :--: | -------- | -------- | :------: |
    | 1 | 推进磷石膏综合利用 | 市经信局 | 2024.6 |

Read as tab-separated rows: a run of lines that start with `|`, the second of them the alignment row (dashes,
colons). The alignment row is no row of the table: the header moves down onto its line (the line above left
blank), so the rows follow their header as a typed tab table's do and every line keeps its number.
"""

from __future__ import annotations

import re

_ALIGNMENT_CELL = re.compile(r"^\s*:?-+:?\s*$")
_ESCAPED_PIPE = "\x00"


def pipe_rows(lines: list[str]) -> list[str]:
    """The lines with every Markdown pipe table's rows rewritten with tabs between the cells."""
    out = list(lines)
    i = 0
    while i + 1 < len(lines):
        header = _cells(lines[i])
        alignment = _cells(lines[i + 1])
        if (
            header is None
            or alignment is None
            or len(alignment) != len(header)
            or not all(_ALIGNMENT_CELL.match(cell) for cell in alignment)
        ):
            i += 1
            continue
        out[i] = ""
        out[i + 1] = "\t".join(header)
        j = i + 2
        while j < len(lines) and (row := _cells(lines[j])) is not None:
            out[j] = "\t".join(row)
            j += 1
        i = j
    return out


def _cells(line: str) -> list[str] | None:
    """The cells of a pipe-table line (`| a | b |`, the outer pipes optional at its end), or None."""
    text = line.strip(" \u3000\u00a0\r")
    if not text.startswith("|") or text.count("|") < 2:
        return None
    text = text.replace("\\|", _ESCAPED_PIPE).strip("|")
    return [cell.strip().replace(_ESCAPED_PIPE, "|") for cell in text.split("|")]
