"""Table cells printed one per line with nothing marking where a cell starts, cut into rows.

Text copied from a web page often gives every cell of a table on a line of its own, without the
leading tab that seed 001 has. Nothing then tells a cell from the rest of the cell above, an empty
cell from a blank line between rows, or where one row ends:

    1                  the row's number: 序号 runs 1, 2, 3 …
    固体废物源头减量
                       an empty cell (a merged 二级指标), or only a blank line
    …
    99.1
                       a blank line inside a cell
    （2021年）          the rest of the cell above

The rows are cut by the header's width and by the shape of the data. Rows start at their numbers
(an increasing run of numbers standing alone on their lines). Between one number and the next, each
text line either starts the next cell or continues the one above, each blank line is an empty cell
or nothing, a merged cell may be left out altogether, and the lines may hold a second row under a
merged 序号. Of all the cuts that fit the header's width, the one that costs least is taken: a cost
says how unlike its column a cell is (what the header says the column holds, and what the rows that
need no choice hold), and how unusual a continuation line, a blank line inside a row, a left-out cell
or a row without its own number is. What had to be guessed (a row without a number, a number skipped,
a stretch that fits the columns poorly) is reported, for a person to confirm.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise

from wufei.importers.document import Row
from wufei.importers.headers import column_roles
from wufei.importers.text.normalize import join_lines, normalize_cell
from wufei.importers.text.table_lines import row_number
from wufei.indicators.units import is_unit

# Costs, in the units of -log(probability) the column profiles give.
CONTINUATION = 2.5  # a text line that continues the cell above
BRACKET_CONTINUATION = 0.2  # …when it opens with a bracket: （2021年）
LONG_TEXT_CONTINUATION = 0.6  # …in a column of long text (主要内容, 指标说明)
AFTER_BLANK = 1.0  # …for each blank line before it (up to three)
MAX_BLANKS_COUNTED = 3
NEW_CELL_OPENING = 3.0  # …when it opens the way a column's cells do (牵头单位：, 指标解释：)
UNFINISHED_SENTENCE = 1.5  # …when it is no sentence, in a column of sentences
GROUP_SENTENCE = 4.0  # a sentence in a column of group names (领域, 类别), which are headings
STRAY_SENTENCE = 2.0  # …when it is a sentence longer than the cells of its column, which are none
OTHER_OPENING = 3.0  # a cell that opens the way another column's cells do
NOT_OPENING = 1.0  # a cell that does not open the way its column's cells do
NOISE_BLANK = 1.0  # a blank line inside a row that is not an empty cell
LEFT_OUT = 1.0  # a cell left out altogether, beyond what an empty cell costs
LEFT_OUT_UNLIKE = 4.0  # …in a text that prints its empty cells as blank lines
LATE_LEFT_OUT = 3.0  # …after a cell of text in the same row
UNNUMBERED_ROW = 3.0  # a second row between two numbers (a merged 序号)
LEFTOVER = 1.0  # a text line after the last row, left out of the table
UNMARKED_LEFTOVER = 3.0  # …when no blank line stands between (a copy whose every line had one)
UNLIKE_UNIT = 3.0  # a cell in a unit column that is no unit (%, 万吨), number or placeholder (-)
VALUE_SERIES = 0.5  # a value continuing a cell of a column of values (one target per area: ≥60 / ≥40)
# The most a row's number may jump by (rows lost their numbers in between: 13 to 52 in 001).
MAX_JUMP = 100
WHOLE_ROW = 0.3  # a row number after exactly one line per cell: 17 after 16 | 名称 | % | 14.4 | 17 (a value)
# Candidates for a row's number looked back over (besides the best one numbered one less).
ANCHOR_WINDOW = 32
# Rows whose lines cost more than this on average are reported as a rough fit (rows that fit cost some 0.2
# to 0.5 a line).
ROUGH_FIT = 1.5

# A labelled part of a cell of owners: 牵头单位：… / 配合部门：…
_OWNER_LABEL = re.compile(r"^\s*(?:牵头|配合|协办|协同|参与|参加|责任|主办|主责)(?:单位|部门)\s*[:：]")
_OWNER_WORDS = re.compile(r"牵头|配合|负责|参与|参加|协助|协办|协同|主办|落实")
_VALUE = re.compile(r"^\s*[<>≤≥＜＞=≈约~]*\s*[-+]?\d")
_PLACEHOLDERS = {"/", "／", "-", "—", "——", "－", "无", "×"}
_LONG_TEXT = 20  # median length of a column of long text
_PLAIN = re.compile(r"[\s\d.,，。、；;：:（）()%‰/／\-—~≥≤<>＜＞★※△✦“”\"']")

# What a column holds before any row is seen, by the header's role: (empty, value-like, length).
_PRIORS: dict[str | None, tuple[float, float, float]] = {
    "number": (0.05, 0.95, 2),
    "level1": (0.6, 0.05, 8),
    "level2": (0.5, 0.05, 8),
    "category": (0.5, 0.05, 6),
    "name": (0.05, 0.05, 14),
    "task_name": (0.05, 0.05, 14),
    "baseline": (0.1, 0.8, 4),
    "target": (0.05, 0.8, 4),
    "count": (0.05, 0.8, 3),
    "unit": (0.1, 0.05, 2),
    "deadline": (0.05, 0.6, 6),
    "content": (0.1, 0.05, 60),
    "definition": (0.1, 0.05, 80),
    "status": (0.1, 0.05, 5),
    None: (0.15, 0.1, 12),
}
# Characters a column's cells use, by the header's role, before any row is seen.
_UNIT_WORDS = "市省区县局委厅办会府政人民中心公司部行社"
_PRIOR_CHARS: dict[str | None, str] = {
    "deadline": "年月日底前中旬季度完成持续推进长期坚持常态化每逐步",
    "unit": "个万吨元亿项家所处座公里平方米立方千克户人次辆台套件",
    "baseline": "逐年递增提高降低完成省定任务基本完善推进",
    "target": "逐年递增提高降低完成省定任务基本完善推进",
    "lead": _UNIT_WORDS,
    "supporting": _UNIT_WORDS,
    "owners": _UNIT_WORDS,
    "entity": _UNIT_WORDS,
    "data_source": _UNIT_WORDS,
}
_PRIOR_WEIGHT = 2.0  # the prior counts as this many rows
_MIN_LEARNT = 3  # rows needed before a column's characters say anything
_OPENING_CHARS = 4  # 牵头单位, 指标解释
_OPENING_SHARE = 0.6  # of a column's cells that open alike for the opening to mark a cell's start
_SENTENCE_ENDS = ("。", "；", ";", "！")


@dataclass(frozen=True)
class Piece:
    line: int  # 0-based index of the line in the document
    text: str | None  # the line as printed; None for a blank line


@dataclass
class Grouping:
    rows: list[Row]
    used: int  # how many pieces belong to the table; the rest follow it
    unnumbered: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text) of rows without a number
    skipped: list[tuple[int, int, int]] = field(default_factory=list)  # (line, expected number, number found)
    rough: list[tuple[int, int]] = field(default_factory=list)  # (first, last) lines of a poorly fitting stretch


def is_value(text: str) -> bool:
    """A number-like cell (0.5, ≥30, 15（2021年）, 2025年) or a placeholder (/)."""
    return bool(_VALUE.match(text)) or text.strip() in _PLACEHOLDERS


@dataclass
class _Column:
    empty: float  # share of rows where the cell is empty
    value: float  # share of filled cells that are number-like
    length: float  # typical length of a filled cell
    chars: frozenset[str]  # characters its cells use (empty: not known)
    opening: str | None = None  # how most of its cells open (牵头单位, 指标解释)
    sentences: bool = False  # whether its cells are sentences (most end with 。)
    role: str | None = None  # what the header says the column holds
    spans_group: bool = False  # an overall owner's column (总牵头单位): one cell for a group's rows, like 类别

    def fill_cost(self, text: str) -> float:
        """How unlike this column's cells a cell of this text is."""
        empty = min(max(self.empty, 0.02), 0.95)
        cost = -math.log(1 - empty)
        cost += 0.6 * abs(math.log(max(len(text.strip()), 1) / max(self.length, 1)))
        cost += self._likeness(text)
        if self.opening is not None and not text.strip().startswith(self.opening):
            cost += NOT_OPENING
        if self.role == "unit" and not is_unit(text) and not is_value(text):
            cost += UNLIKE_UNIT
        owners = self.role in ("lead", "supporting", "owners")  # never sentences, whatever a first cut learnt
        if (
            self.role in _SHORT_ROLES
            and (owners or not self.sentences)
            and _is_stray_sentence(text, self.length, self.role)
        ):
            cost += STRAY_SENTENCE  # a sentence of a task or a paragraph after the table, not owners or a date
        if self.role in _GROUP_ROLES and text.rstrip().endswith(_SENTENCE_ENDS):
            cost += GROUP_SENTENCE  # a group's name is a heading, not a sentence
        return cost

    def part_cost(self, text: str) -> float:
        """How unlike this column's cells a line continuing one of them is (whether the cell is number-like
        was judged on its first line): a line of a cell of sentences is a sentence, long, not a stray word."""
        cost = 0.5 * self._char_cost(text)
        if self.length >= _LONG_TEXT:
            cost += 0.5 * abs(math.log(max(len(text.strip()), 1) / self.length))
        if self.sentences and not text.rstrip().endswith(_SENTENCE_ENDS):
            cost += UNFINISHED_SENTENCE
        elif not self.sentences and _is_long_sentence(text, self.length):
            cost += STRAY_SENTENCE  # a paragraph after the table, not the rest of a cell (names, a date)
        return cost

    def _likeness(self, text: str) -> float:
        value = min(max(self.value, 0.05), 0.95)
        return -math.log(value if is_value(text) else 1 - value) + self._char_cost(text)

    def _char_cost(self, text: str) -> float:
        own = _characters(text)
        if not self.chars or not own:
            return 0.0
        return 1.5 * (1 - len(own & self.chars) / len(own))

    @cached_property
    def empty_cost(self) -> float:
        return -math.log(min(max(self.empty, 0.02), 0.95))


_ROW_CLOSE = re.compile(r"^\s*\|{2,}\s*$")
# Columns whose cell often spans the rows of a group (领域, 类别).
_GROUP_ROLES = ("level1", "level2", "category")
# The overall lead of a group of tasks (总牵头单位, 总负责单位): merged over the group's rows as its name is.
_OVERALL_OWNER = re.compile(r"^总(?:牵头|负责|责任)")
# Columns whose cells are names, dates or values, never a paragraph's sentence.
_SHORT_ROLES = ("lead", "supporting", "owners", "deadline", "unit", "number")


def _is_stray_sentence(text: str, length: float, role: str | None) -> bool:
    """A sentence in a column of names, dates or values: longer than its cells, or, in a column of owners,
    clauses that name no role (加强统筹协调，细化工作措施。)."""
    if _is_long_sentence(text, length):
        return True
    text = text.strip()
    owners = role in ("lead", "supporting", "owners")
    return owners and text.endswith(_SENTENCE_ENDS) and "，" in text and not _OWNER_WORDS.search(text)


def _is_long_sentence(text: str, length: float) -> bool:
    text = text.strip()
    return text.endswith(_SENTENCE_ENDS) and len(text) > max(length, 1)


@lru_cache(maxsize=4096)
def _characters(text: str) -> frozenset[str]:
    return frozenset(_PLAIN.sub("", text))


def _profiles(header: list[str], samples: list[list[str | None]]) -> list[_Column]:
    """Each column's profile: the header's role as a prior, sharpened by rows that needed no choice."""
    columns = []
    for k, role in enumerate(column_roles(header, strict=True)):
        empty, value, length = _PRIORS.get(role, _PRIORS[None])
        cells = [row[k] for row in samples]
        filled = [c for c in cells if c]
        n = len(cells)
        empty = (empty * _PRIOR_WEIGHT + (n - len(filled))) / (_PRIOR_WEIGHT + n)
        value = (value * _PRIOR_WEIGHT + sum(1 for c in filled if is_value(c))) / (_PRIOR_WEIGHT + len(filled))
        if len(filled) >= _MIN_LEARNT:
            length = statistics.median(len(c) for c in filled)
        chars = frozenset(_PRIOR_CHARS.get(role, ""))
        if len(filled) >= _MIN_LEARNT:
            chars = chars.union(*(_characters(c) for c in filled))
        sentences = len(filled) >= _MIN_LEARNT and sum(c.endswith(_SENTENCE_ENDS) for c in filled) >= 0.6 * len(filled)
        columns.append(
            _Column(
                empty=empty,
                value=value,
                length=length,
                chars=chars,
                opening=_opening(filled),
                sentences=sentences,
                role=role,
                spans_group=_OVERALL_OWNER.match(re.sub(r"\s+", "", header[k])) is not None,
            )
        )
    return columns


def _opening(cells: list[str]) -> str | None:
    """The words most of a column's cells open with, when they do (not numbers: 2025年 is no opening)."""
    openings = Counter(
        c[:_OPENING_CHARS]
        for c in cells
        if len(c) > _OPENING_CHARS and not any(ch.isdigit() for ch in c[:_OPENING_CHARS])
    )
    if len(cells) < _MIN_LEARNT or not openings:
        return None
    opening, count = openings.most_common(1)[0]
    return opening if count >= _OPENING_SHARE * len(cells) else None


# ------------------------------------------------------------------ rows


def group_cells(header: list[str], pieces: list[Piece], *, double_spaced: bool = False) -> Grouping:
    """Cut the pieces after a header into rows of the header's width; the last rows may end before the
    pieces do (text after the table). `double_spaced`: the pieces of a copy that had a blank line after every
    line, those blank lines removed (see tables._single_spaced): a blank line left is an empty cell, and no
    blank line marks where the table ends."""
    width = len(header)
    if all(p.text is None for p in pieces):
        return Grouping(rows=[], used=0)
    numbered = column_roles(header, strict=True)[0] == "number"
    anchors = _anchors(pieces, width) if numbered else []
    segments: list[tuple[int, int, bool]] = []  # (start, end, starts with its number)
    if anchors:
        if any(p.text is not None for p in pieces[: anchors[0]]):
            segments.append((0, anchors[0], False))
        bounds = [*anchors, len(pieces)]
        segments += [(a, b, True) for a, b in pairwise(bounds)]
    else:
        segments.append((0, len(pieces), False))
    left_out = LEFT_OUT_UNLIKE if _prints_empty_cells(pieces, segments, width) else LEFT_OUT
    # Columns are learnt twice: from the rows that need no choice, then from every row cut with that.
    samples = _clean_rows(pieces, segments, width, numbered)
    if double_spaced and any(role in _GROUP_ROLES for role in column_roles(header, strict=True)):
        # A copy that leaves out group cells spanning rows: a row of the header's width may be one whose
        # group cell is left out and another cell broken over two lines, so no row is beyond doubt.
        samples = []
    # Owners printed as labelled lines (牵头单位：… / 配合单位：…): an owners cell opens with its label.
    labelled = sum(1 for p in pieces if p.text is not None and _OWNER_LABEL.match(p.text)) >= 2
    first = _Aligner(
        _profiles(header, samples), numbered=numbered, left_out=left_out, double_spaced=double_spaced, labelled=labelled
    )
    last = len(segments) - 1
    cut = [
        first.align(pieces[a:b], anchored=anchored, final=k == last)[0] for k, (a, b, anchored) in enumerate(segments)
    ]
    learnt = _profiles(header, [row.cells for rows in cut for row in rows])
    aligner = _Aligner(learnt, numbered=numbered, left_out=left_out, double_spaced=double_spaced, labelled=labelled)
    grouping = Grouping(rows=[], used=len(pieces))
    for k, (start, end, anchored) in enumerate(segments):
        final = k == len(segments) - 1
        rows, used, cost = aligner.align(pieces[start:end], anchored=anchored, final=final)
        unnumbered = (rows[1:] if anchored else rows) if numbered else []
        grouping.unnumbered += [(row.line, next((c for c in row.cells if c), "")) for row in unnumbered]
        taken = [p for p in pieces[start : start + used] if p.text is not None]
        if taken and not unnumbered and cost / len(taken) > ROUGH_FIT:
            grouping.rough.append((taken[0].line + 1, taken[-1].line + 1))
        grouping.rows += rows
        if final:
            grouping.used = start + used
    for previous, anchor in pairwise(anchors):
        expected, found = row_number(pieces[previous].text), row_number(pieces[anchor].text)
        if expected is not None and found is not None and found != expected + 1:
            grouping.skipped.append((pieces[anchor].line + 1, expected + 1, found))
    return grouping


def _anchors(pieces: list[Piece], width: int) -> list[int]:
    """Indexes of the pieces that start rows: the best increasing run of numbers standing alone on their lines.
    A number one more than the last is a row's; a number after a blank line more likely a row's than a
    cell's; a jump (13 to 52) is taken only after a blank line, so a value (100) is not taken for a row."""
    candidates = [(k, n) for k, p in enumerate(pieces) if (n := row_number(p.text)) is not None]
    texts_before = [0]  # text lines before each piece
    for piece in pieces:
        texts_before.append(texts_before[-1] + (piece.text is not None))
    best: list[float] = []
    back: list[int | None] = []
    best_of_number: dict[int, int] = {}  # the best-scoring candidate of each number so far
    for j, (k, n) in enumerate(candidates):
        own = 1.0 if k == 0 or pieces[k - 1].text is None else 0.2
        score, link = own + (0.5 if n == 1 else 0.0), None
        # The row before is among the last few candidates, or is the best candidate numbered one less.
        earlier = set(range(max(0, j - ANCHOR_WINDOW), j))
        if n - 1 in best_of_number:
            earlier.add(best_of_number[n - 1])
        for i in sorted(earlier):
            previous_k, previous_n = candidates[i]
            if previous_n >= n:
                continue
            if n - previous_n > MAX_JUMP:
                continue  # 2020 is a year in a cell, not the number of a row
            step = 1.0 if n == previous_n + 1 else -0.5
            # A row holds at least a few cells: a number right behind the last one is a cell's value.
            if texts_before[k] - texts_before[previous_k + 1] < max(1, (width - 1) // 3):
                step -= 1.0
            elif texts_before[k] - texts_before[previous_k] == width:
                step += WHOLE_ROW  # the row before holds as many lines as the header has cells
            if best[i] + own + step > score:
                score, link = best[i] + own + step, i
        best.append(score)
        back.append(link)
        if n not in best_of_number or score > best[best_of_number[n]]:
            best_of_number[n] = j
    if not candidates:
        return []
    last: int | None = max(range(len(candidates)), key=lambda i: (best[i], -i))
    chosen: list[int] = []
    while last is not None:
        chosen.append(candidates[last][0])
        last = back[last]
    return chosen[::-1]


def _prints_empty_cells(pieces: list[Piece], segments: list[tuple[int, int, bool]], width: int) -> bool:
    """Whether the text prints an empty cell as a blank line (rows of exactly the header's width, blank lines
    counted) rather than leaving merged cells out (rows shorter than the header, no blank line inside)."""
    blank, left_out = 0, 0
    for start, end, anchored in segments:
        if not anchored:
            continue
        texts = [p.text for p in pieces[start:end]]
        while texts and texts[-1] is None:
            texts.pop()
        inner_blanks = texts.count(None)
        if inner_blanks and len(texts) == width:
            blank += 1
        elif not inner_blanks and len(texts) < width:
            left_out += 1
    return blank > left_out


def _clean_rows(
    pieces: list[Piece], segments: list[tuple[int, int, bool]], width: int, numbered: bool
) -> list[list[str | None]]:
    """Rows whose cut needs no choice: as many lines (a blank one an empty cell) as the header has cells."""
    samples: list[list[str | None]] = []
    if numbered:
        for start, end, anchored in segments:
            if not anchored:
                continue
            texts: list[str | None] = [p.text for p in pieces[start:end]]
            while texts and texts[-1] is None:
                texts.pop()
            if len(texts) == width:
                samples.append([normalize_cell(t) for t in texts])
        return samples
    run: list[str] = []
    for piece in [*pieces, Piece(-1, None)]:
        if piece.text is not None:
            run.append(piece.text)
            continue
        if len(run) == width:
            samples.append([normalize_cell(t) for t in run])
        run = []
    return samples


# ------------------------------------------------------------- alignment

# Steps of an alignment.
_CELL, _MORE, _EMPTY, _BLANK, _LEFT_OUT = range(5)
# What the current row has used: nothing yet, pieces (its number, blank cells) but no text, text.
_NOTHING, _PIECES, _TEXT = range(3)
_INF = float("inf")


class _Aligner:
    """The least costly cut of a stretch of pieces into rows (dynamic programming over pieces × column).

    A state is (pieces used, next column, whether the last cell holds text that a line may continue,
    what the current row has used: nothing, pieces (its number, blank cells) or text); column 0 is also
    "a row is complete"."""

    def __init__(
        self,
        columns: list[_Column],
        *,
        numbered: bool,
        left_out: float,
        double_spaced: bool = False,
        labelled: bool = False,
    ):
        self.columns = columns
        self.double_spaced = double_spaced
        self.labelled = labelled
        self.width = len(columns)
        self.numbered = numbered
        self.left_out = left_out
        self.openings = tuple(c.opening for c in columns if c.opening)
        self._fills: dict[tuple[str, int], float] = {}
        self._left_out = left_out
        self._cut_at = -1
        self._cut_inside_cell = False

    def align(self, pieces: list[Piece], *, anchored: bool, final: bool) -> tuple[list[Row], int, float]:
        n, w = len(pieces), self.width
        # Several rows' lines with hardly a blank line among them: here merged cells are left out, whatever
        # the rest of the text does.
        texts = [p.text for p in pieces]
        while texts and texts[-1] is None:
            texts.pop()
        several_rows = len(texts) > 2 * w
        self._left_out = LEFT_OUT if several_rows and texts.count(None) * 2 * w < len(texts) else self.left_out
        # Where the text ends inside a row (a copy cut short), the cells it lacks are its last ones.
        self._cut_at = n if final else -1
        last = pieces[-1].text if pieces else None
        self._cut_inside_cell = final and last is not None and not _ROW_CLOSE.match(last)
        cost = [[[[_INF] * 3 for _ in range(2)] for _ in range(w)] for _ in range(n + 1)]
        back: dict[tuple[int, int, int, int], tuple[tuple[int, int, int, int], int, int]] = {}
        if anchored:
            start = (1, 1 % w, 0, _PIECES)
        else:
            start = (0, 0, 0, 0)
        cost[start[0]][start[1]][start[2]][start[3]] = 0.0

        def relax(state: tuple[int, int, int, int], new: tuple[int, int, int, int], step: int, extra: float) -> None:
            i, c, o, f = state
            value = cost[i][c][o][f] + extra
            ni, nc, no, nf = new
            if value < cost[ni][nc][no][nf]:
                cost[ni][nc][no][nf] = value
                back[new] = (state, step, c)

        for i in range(start[0], n + 1):
            row_start = [list(pair) for pair in cost[i][0]]
            columns = list(range(w))
            # A state's steps at the cost they were last taken from: taken again from the same cost they
            # would improve nothing, so the second pass takes only the states whose cost fell.
            taken: dict[tuple[int, int, int], float] = {}
            # A left-out last cell completes a row without using a piece: column 0 again, seen once more.
            while columns:
                for c in columns:
                    for o in range(2):
                        for f in (_NOTHING, _PIECES, _TEXT):
                            value = cost[i][c][o][f]
                            if value < _INF and taken.get((c, o, f)) != value:
                                taken[(c, o, f)] = value
                                self._steps(pieces, (i, c, o, f), relax)
                again = cost[i][0] != row_start
                row_start = [list(pair) for pair in cost[i][0]]
                columns = list(range(w)) if again else []
        ends = []
        for i in range(n + 1):
            if i == start[0] and not anchored:
                continue  # nothing read
            if i < n and not final:
                continue
            ends_here = i == n or pieces[i].text is None or (i > 0 and pieces[i - 1].text is None)
            if not ends_here and not self.double_spaced:
                continue  # a table ends at a blank line
            # In a copy with a blank line after every line no blank line marks the end (those left are empty
            # cells): the table's last rows are kept unless the text after them fits its columns poorly.
            per_line = UNMARKED_LEFTOVER if self.double_spaced else LEFTOVER
            leftover = per_line * sum(1 for p in pieces[i:] if p.text is not None)
            for o in range(2):
                if cost[i][0][o][0] < _INF:
                    ends.append((cost[i][0][o][0] + leftover, -i, (i, 0, o, 0)))
        # Left-out cells complete any row that has used a piece, and blank lines cost nothing between rows,
        # so some end is always reached when there is text.
        total, negative_used, state = min(ends)
        steps: list[tuple[int, int, int]] = []  # (step, piece index, column)
        while state in back:
            previous, step, column = back[state]
            steps.append((step, previous[0], column))
            state = previous
        steps.reverse()
        return self._rows(pieces, steps, anchored), -negative_used, total

    def _steps(self, pieces: list[Piece], state: tuple[int, int, int, int], relax) -> None:
        i, c, o, f = state
        w = self.width
        column = self.columns[c]
        nc = (c + 1) % w
        # f: what the row has used so far (_NOTHING, _PIECES: only its number or blank cells, _TEXT); a new
        # row has used nothing.
        with_text = _TEXT if nc else _NOTHING
        kept = f if nc else _NOTHING
        with_piece = max(f, _PIECES) if nc else _NOTHING
        # The number column of a row that has none: a second row under a merged 序号.
        unnumbered = c == 0 and self.numbered
        if i < len(pieces):
            text = pieces[i].text
            if text is not None and _ROW_CLOSE.match(text):
                # || after a row's cells: the bars of the cells merged from a row above, printed after the row
                # rather than where they stand; it closes the row, those cells left out where they fit best
                if c == 0:
                    relax(state, (i + 1, 0, 0, _NOTHING), _BLANK, 0.0)
            elif text is not None:
                if not unnumbered:  # a number column holds only the numbers rows start at
                    relax(state, (i + 1, nc, 1, with_text), _CELL, self._fill_cost(text, c))
                if o:
                    relax(state, (i + 1, c, 1, f), _MORE, self._continuation_cost(pieces, i, c))
            else:
                relax(state, (i + 1, nc, 0, with_piece), _EMPTY, UNNUMBERED_ROW if unnumbered else column.empty_cost)
                # In a copy with a blank line after every line, a blank line left is most likely an empty cell.
                noise = NOISE_BLANK if c or self.double_spaced else 0.0
                relax(state, (i + 1, c, o, f), _BLANK, noise)
        if c == w - 1 and f == _NOTHING:
            return  # a row of nothing but left-out cells
        # A cell is left out where a merged cell spans rows: in a column often empty, hardly elsewhere; and
        # merged cells are the first columns (一级指标, 类别), so the cells a row prints are its last ones.
        if unnumbered:
            left_out = UNNUMBERED_ROW
        elif (self.double_spaced and column.role in _GROUP_ROLES) or column.spans_group:
            # A browser's copy prints an empty cell (&nbsp;) but leaves out a group cell spanning rows; an overall
            # lead's cell spans its group's rows wherever it stands (舟山: 工作任务 and 总牵头单位 merged).
            left_out = LEFT_OUT
        elif f == _TEXT and i == self._cut_at and self._cut_inside_cell:
            # The text ends inside this row on a cell's line (a copy cut short, no blank line or `||` closing the
            # row): the cells it lacks are its last ones, cut rather than merged. In a numbered table (the row opened
            # by its number) they cost nothing: costing as empty cells, a deadline column's cut cell pushed the row
            # one cell right. Without numbers a paragraph after the table would be a row of free cells.
            left_out = 0.0 if self.numbered else 2 * column.empty_cost
        else:
            late = LATE_LEFT_OUT if f == _TEXT else 0.0
            left_out = 2 * column.empty_cost + self._left_out + late
        relax(state, (i, nc, 0, kept), _LEFT_OUT, left_out)

    def _fill_cost(self, text: str, c: int) -> float:
        key = (text, c)
        if key not in self._fills:
            cost = self.columns[c].fill_cost(text)
            opening = self.columns[c].opening
            if any(text.lstrip().startswith(other) for other in self.openings if other != opening):
                cost += OTHER_OPENING  # opens the way another column's cells do
            if self.labelled and self.columns[c].role == "owners" and not _OWNER_LABEL.match(text):
                cost += OTHER_OPENING  # the owners' cells open with their labels here
            self._fills[key] = cost
        return self._fills[key]

    def _continuation_cost(self, pieces: list[Piece], i: int, c: int) -> float:
        text = pieces[i].text or ""
        column = self.columns[(c - 1) % self.width]  # the column of the cell above
        after_blank = AFTER_BLANK * min(_blanks_before(pieces, i), MAX_BLANKS_COUNTED)
        if text.lstrip().startswith(("（", "(")):
            # （2021年） after a blank line inside a row; after a complete row, more likely a title.
            return BRACKET_CONTINUATION + (after_blank if c == 0 else 0.0)
        if column.role != "unit" and _is_number(text) and _is_number(_text_above(pieces, i)):
            return VALUE_SERIES + after_blank
        if _OWNER_LABEL.match(text):
            # 牵头单位：… / 配合单位：… lines make one cell of an owners column, and no other column's text.
            if column.role == "owners":
                return BRACKET_CONTINUATION + after_blank
            if any(c.role == "owners" for c in self.columns):
                return NEW_CELL_OPENING + CONTINUATION + after_blank
        cost = LONG_TEXT_CONTINUATION if column.length >= _LONG_TEXT else CONTINUATION
        if self.openings and text.lstrip().startswith(self.openings):
            cost += NEW_CELL_OPENING
        return cost + after_blank + column.part_cost(text)

    def _rows(self, pieces: list[Piece], steps: list[tuple[int, int, int]], anchored: bool) -> list[Row]:
        w = self.width
        rows: list[tuple[int | None, list[list[str] | None]]] = []  # (first text line, cells)
        last: list[str] | None = None  # the cell a continuation line goes to
        if anchored:
            rows.append((pieces[0].line, [[pieces[0].text or ""]] + [None] * (w - 1)))
        for step, i, column in steps:
            if step == _BLANK:
                continue
            if column == 0 and step in (_CELL, _EMPTY, _LEFT_OUT):
                rows.append((None, [None] * w))
            line, cells = rows[-1]
            if step == _CELL:
                last = [pieces[i].text or ""]
                cells[column] = last
                if line is None:
                    rows[-1] = (pieces[i].line, cells)
            elif step == _MORE and last is not None:
                last.append(pieces[i].text or "")
            elif step in (_EMPTY, _LEFT_OUT):
                last = None
        return [_row(cells, line) for line, cells in rows if line is not None]


def _join_cell(parts: list[str]) -> str:
    """A cell's lines joined; a value under a value stays apart (one target per area: ≥60 ≥40)."""
    joined = join_lines(parts[:1])
    for above, part in pairwise(parts):
        joined += (" " if _is_number(above) and _is_number(part) else "") + join_lines([part])
    return joined


def _is_number(text: str | None) -> bool:
    """A number-like line (≥60, 0.5), not a placeholder."""
    return text is not None and bool(_VALUE.match(text))


def _text_above(pieces: list[Piece], i: int) -> str | None:
    """The text line above piece i, blank lines skipped."""
    while i > 0:
        i -= 1
        if pieces[i].text is not None:
            return pieces[i].text
    return None


def _blanks_before(pieces: list[Piece], i: int) -> int:
    count = 0
    while i - count - 1 >= 0 and pieces[i - count - 1].text is None:
        count += 1
    return count


def _row(cells: list[list[str] | None], line: int) -> Row:
    return Row(
        cells=[normalize_cell(_join_cell(parts)) if parts else None for parts in cells],
        line=line + 1,
        raw=["\n".join(parts) if parts else None for parts in cells],
    )
