"""A notice setting one date for all the problems listed under it: the deadline of each problem that names none.

A supervision office's 督查通知单 opens with a notice asking the units to fix every problem below by one date
(请各事涉部门对存在的问题立即进行整改，并于5月20日前将问题整改完成), then lists the problems, each closed by its owners
only (1.春江医院附近北侧胡同内垃圾。（责任单位：英雄街道）). That date is every problem's deadline; a problem naming
its own keeps it. A date for a report (于5月20日前报送整改情况) is no deadline of the problems: the sentence must ask
for the problems to be fixed by then. Only the notice above the list is read: a sentence inside a problem's own
text speaks for that problem alone.
"""

from __future__ import annotations

import re

from wufei.importers.records import Doubt, TaskRecord
from wufei.importers.text.normalize import fold_punct

_DATE = r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|中旬|上旬|下旬)?"
_BEFORE = r"(?:前|之前|以前)"
_FIXED = r"(?:全部)?(?:整改完成|整改完毕|整改到位|完成整改)"
# 于5月20日前将问题整改完成 / 对存在的问题务必于4月19日前整改完毕: the problems, fixed by a date.
_ALL_FIXED_BY = (
    re.compile(rf"(?P<deadline>{_DATE}{_BEFORE})(?:将|把)?[^。；]{{0,12}}?问题[^。；]{{0,6}}?{_FIXED}"),
    re.compile(rf"问题[^。；]{{0,8}}?(?:于|在)(?P<deadline>{_DATE}{_BEFORE}){_FIXED}"),
)


def with_notice_deadline(tasks: list[TaskRecord], lines: list[str]) -> list[TaskRecord]:
    """The tasks, each without a deadline given the one the notice above them sets for all (index 0 of `lines` is
    line 1; a task's `line` is 1-based)."""
    first = min((task.line for task in tasks if 0 < task.line <= len(lines)), default=0)
    if not first:
        return tasks
    notice = fold_punct("".join(line.strip() for line in lines[: first - 1]))
    for sentence in re.split(r"[。；]", notice):
        found = next((match for pattern in _ALL_FIXED_BY if (match := pattern.search(sentence))), None)
        if found is None:
            continue
        deadline = re.sub(r"\s+", "", found.group("deadline"))
        message = f"完成期限取自通知对全部问题的要求「{found.group(0)}」，请核对"
        for task in tasks:
            if task.deadline_raw is None:
                task.deadline_raw = deadline
                task.doubts.append(Doubt("deadline", message, deadline))
        break
    return tasks
