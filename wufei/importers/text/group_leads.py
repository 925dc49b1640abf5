"""Projects listed a line each, each group closed by a sentence naming its lead (上述项目由区商务委牵头负责。).

A 实事 or project list may print its projects one a line and, after the last of a group, one sentence saying who
leads them all: the sentence is the group's owner clause. Each project line of the group gets it as its own closing
clause and an item mark (as a bullet would mark it), so the paragraph reader reads each line as an item of its own
closed by its owners, never as the tail of the heading paragraph above it; the sentence itself is no task.
"""

from __future__ import annotations

import re

from wufei.importers.text.normalize import fold_punct

# 上述项目由区商务委牵头负责。/ 以上两项工作由市城管局负责: the whole line is the sentence.
_GROUP_LEAD = re.compile(
    r"^(?:上述|以上)(?:各项|各|[一二三四五六七八九十两\d]+项)?(?:项目|工作|任务|事项|实事)均?由"
    r"(?P<clause>[^。；，,：]+?负责(?:实施|落实|推进)?)[。；]?$"
)
_ITEM_MARK = "★"  # the paragraph reader's bullet: an item of its own, its mark no part of its text
# A heading opens a group: 五、加强社区公共服务设施建设。… / （一）… / 〔公共设施〕.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|〔[^〕]{1,12}〕$)")


def with_group_leads(lines: list[str]) -> list[str]:
    """The lines with each group's closing lead sentence moved onto the group's project lines as their owner clause
    (★改建…。（区商务委牵头负责）); a sentence with no project line above it on the page is left as it is."""
    out = list(lines)
    start = 0  # the first line the current group may hold
    for index, line in enumerate(lines):
        text = fold_punct(line.strip())
        if not text:
            continue
        lead = _GROUP_LEAD.match(text)
        if lead is None:
            if _HEADING.match(text):
                start = index + 1
            continue
        members = [i for i in range(start, index) if lines[i].strip()]
        if members and all(fold_punct(lines[i].strip()).endswith("。") for i in members):
            for i in members:
                out[i] = f"{_ITEM_MARK}{lines[i].strip()}（{lead.group('clause')}）"
            out[index] = ""
        start = index + 1
    return out
