"""Where a document belongs: the place named by its issuing body, its title, its document number
or, failing those, its body.

The issuing body names its place in full (深圳市生态环境局, 北京市朝阳区人民政府办公室), and so does
a plan's title (深圳市“无废城市”建设实施方案). A document number begins with a place's one-character
name (冀政办字 is Hebei's, 衡政办字 Hengshui's, but 衡 is also 衡阳's). A name several places bear
(朝阳区) is settled by the places the document names around it; what stays uncertain becomes a
plan-level doubt (`Doubt(field="jurisdiction")`) for a person, never a silent guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wufei.importers.records import Doubt
from wufei.importers.text.normalize import clean_spaces
from wufei.places import Divisions, Place, divisions

_NAMED_MAX = 4  # places named in a doubt before 等N处
_BODY_CHARS = 20_000  # the place of a document is named early; a long annex adds only noise
_OFFICE = re.compile(r"(?:人民政府|办公室|办公厅|管理委员会|管委会|局|厅|委员会|委)$")
_SIGNED_DATE = re.compile(
    r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)$"
)
_NOTICE_ISSUER = re.compile(r"^(.{2,40}?)关于")
_NOTICE_ENDS = ("的通知", "的意见", "的决定", "的通报", "的批复", "关于")
# 关于铁东区…的公示: a title saying what it is about names its place after 关于.
_LEADING_NOISE = re.compile(r"^(?:中共|中国共产党|关于|\d{4}(?:[-—–至]\d{4})?年度?|[《“\"「（(])+")
# After a two-character name (景县, 城区) a title goes on like this (攸县2024年…); 城区生活垃圾… is no place.
_AFTER_SHORT_NAME = re.compile(r"^(?:$|[“\"《（(「]|关于|人民政府|政府|十[一二三四五六七八九]|\d{4}年)")


@dataclass(frozen=True)
class DocumentPlace:
    name: str | None  # the jurisdiction's name as wufei stores it (深圳市, 北京市朝阳区); None if unknown
    doubts: tuple[Doubt, ...] = ()
    found_in: str | None = None  # 发文机关 / 标题 / 落款 / 文号 / 正文: where it was read


def document_place(
    *, issuer: str | None, title: str | None, doc_number: str | None, lines: Sequence[str], cells: Sequence[str] = ()
) -> DocumentPlace:
    """The place a document belongs to, with a doubt when it is uncertain or not found. `cells`, the text of
    its tables, count as its body (never as a title or a signature)."""
    return _Reader(divisions(), issuer, title, doc_number, lines, cells).read()


class _Reader:
    def __init__(
        self,
        china: Divisions,
        issuer: str | None,
        title: str | None,
        doc_number: str | None,
        lines: Sequence[str],
        cells: Sequence[str],
    ):
        self.china, self.doc_number = china, doc_number
        texts = [clean_spaces(line) for line in lines]
        nonblank = [text for text in texts if text]
        self.named: list[tuple[str, str]] = []  # (where, text) that may begin with a place, in trust order
        if issuer:
            self.named.append(("发文机关", issuer))
        for text in nonblank[:25]:
            if (notice := _NOTICE_ISSUER.match(text)) and ("印发" in text or _issued_notice(notice.group(1), text)):
                self.named.append(("发文机关", notice.group(1)))
        if title:
            self.named.append(("标题", title))
        self.named += [("落款", text) for text in _signatures(nonblank)]
        self._body = "".join([*nonblank, *(clean_spaces(cell) for cell in cells)])[:_BODY_CHARS]
        self._mentions: dict[str, int] | None = None

    @property
    def mentions(self) -> dict[str, int]:
        if self._mentions is None:
            self._mentions = self.china.mentions(self._body)
        return self._mentions

    def read(self) -> DocumentPlace:
        hinted = self._abbreviated()
        for where, text in self.named:
            written, candidates = self._leading(text, title=where == "标题")
            if not candidates:
                continue
            if len(candidates) == 1:
                return self._found(candidates[0], where)
            chosen = self._settle(candidates, hinted)
            if chosen is not None:
                return self._found(chosen, where)
            names = "、".join(self.china.unique_name(c) for c in candidates)
            return DocumentPlace(
                None, (_doubt(f"「{written}」有{len(candidates)}处同名地区（{names}），请确认", written),)
            )
        if hinted:
            return self._from_number(hinted)
        return self._from_body()

    # --- the sources ----------------------------------------------------------------------

    def _leading(self, text: str, *, title: bool) -> tuple[str, tuple[Place, ...]]:
        """The place written at the start of `text`: 广东省深圳市南山区… reads as one path, each
        name narrowing the next (北京市朝阳区 is Beijing's 朝阳区)."""
        text = _LEADING_NOISE.sub("", clean_spaces(text).replace(" ", ""))
        position, written = 0, ""
        candidates: tuple[Place, ...] = ()
        while (match := self.china.match_at(text, position)) is not None:
            name, places = match
            rest = text[position + len(name) :]
            if title and len(name) == 2 and not _AFTER_SHORT_NAME.match(rest):
                break
            narrowed = self.china.narrow(places, candidates) if candidates else places
            if candidates and not narrowed:
                break  # 衡水市市… : not a place under the one before
            written, candidates = name, narrowed
            position += len(name)
        return written, tuple(candidates)

    def _abbreviated(self) -> tuple[Place, ...]:
        """The places the document number's first character may stand for (冀 → 河北省)."""
        if not self.doc_number:
            return ()
        return self.china.abbreviated(self.doc_number[0])

    def _settle(self, candidates: Sequence[Place], hinted: Sequence[Place]) -> Place | None:
        """One of several namesakes: the one under the place the document number names, else the
        one whose parents the document names (and the others' not)."""
        if hinted:
            under = self.china.narrow(candidates, hinted)
            if len(under) == 1:
                return under[0]
        scores = {c.key: sum(self.mentions.get(p.key, 0) for p in self.china.chain(c)[1:]) for c in candidates}
        return _best(candidates, scores)

    def _from_number(self, hinted: Sequence[Place]) -> DocumentPlace:
        assert self.doc_number is not None
        if len(hinted) == 1:
            return self._found(hinted[0], "文号")
        # 衡 is 衡水 or 衡阳: the one the text names (with what lies under it) decides.
        scores = {
            h.key: sum(n for key, n in self.mentions.items() if h in self.china.chain(self.china.get(key)))
            for h in hinted
        }
        chosen = _best(hinted, scores)
        if chosen is not None:
            return self._found(chosen, "文号")
        names = "、".join(self.china.unique_name(h) for h in hinted)
        message = f"文号「{self.doc_number}」的「{self.doc_number[0]}」可指{names}，请确认文件所属地区"
        return DocumentPlace(None, (_doubt(message, self.doc_number),))

    def _from_body(self) -> DocumentPlace:
        """The place the body names most, if it stands out: named twice or more, and more than
        twice as often as any place that is neither above nor under it (a national text naming
        many provinces gives none); or named once in a text naming no other place apart from
        those above or under it (a fragment of a city's plan naming its 红庙岭 park once). Failing
        that, when the body gives work to the governments of two or more places (古浪县人民政府, 民勤县人民政府),
        the nearest place all the places named lie in: a city's list naming its counties. Two places named
        otherwise (推进福州市…，学习厦门市经验) give none."""
        ranked = sorted(self.mentions.items(), key=lambda item: -item[1])
        if ranked and ranked[0][1] >= 1:
            top, count = self.china.get(ranked[0][0]), ranked[0][1]
            related = {p.key for p in self.china.chain(top)}
            rivals = [
                n for key, n in ranked[1:] if key not in related and top not in self.china.chain(self.china.get(key))
            ]
            if (count >= 2 or not rivals) and count > 2 * max(rivals, default=0):
                # 上海市 and 静安区 named as often: the place under the other is the more precise.
                under = [self.china.get(key) for key, n in ranked[1:] if n == count]
                top = max(
                    [top, *(p for p in under if top in self.china.chain(p))], key=lambda p: len(self.china.chain(p))
                )
                name = self.china.unique_name(top)
                message = (
                    f"文件未写明所属地区，按正文中出现最多的「{name}」（{count}次）识别，请核对"
                    if count > 1
                    else f"文件未写明所属地区，按正文中唯一提到的「{name}」识别，请核对"
                )
                return DocumentPlace(name, (_doubt(message, name),), "正文")
        governed = [key for key, _ in ranked if self._names_government(self.china.get(key))]
        shared = self._shared_parent([self.china.get(key) for key, _ in ranked]) if len(governed) >= 2 else None
        if shared is not None:
            # 古浪县人民政府 and 民勤县人民政府 given tasks, no place outside 武威市 named: the city's list.
            names = [self.china.unique_name(self.china.get(key)) for key, _ in ranked]
            named = "、".join(names[:_NAMED_MAX]) + (f"等{len(names)}处" if len(names) > _NAMED_MAX else "")
            name = self.china.unique_name(shared)
            message = f"文件未写明所属地区，正文提到的{named}同属{name}，按{name}识别，请核对"
            return DocumentPlace(name, (_doubt(message, name),), "正文")
        message = "无法确定文件所属地区：发文机关、标题、文号和正文均未写明，请指定地区"
        return DocumentPlace(None, (_doubt(message, None),))

    def _names_government(self, place: Place) -> bool:
        """Whether the body names the place's government (古浪县人民政府, 古浪县政府) as a body given work."""
        names = (place.name, *place.short)
        return any(f"{name}{body}" in self._body for name in names for body in ("人民政府", "政府"))

    def _shared_parent(self, places: Sequence[Place]) -> Place | None:
        """The nearest place every one of several places the body names lies in (or is), if any."""
        if len(places) < 2:
            return None
        chains = [self.china.chain(place) for place in places]
        others = [{p.key for p in chain} for chain in chains[1:]]
        return next((p for p in chains[0] if all(p.key in keys for keys in others)), None)

    def _found(self, place: Place, where: str) -> DocumentPlace:
        return DocumentPlace(self.china.unique_name(place), (), where)


def _issued_notice(issuer: str, text: str) -> bool:
    """内蒙古自治区人民政府关于推动…的通知 (or its first line, broken after 关于): a notice's heading naming its
    office, not a sentence citing one."""
    return bool(_OFFICE.search(issuer)) and text.endswith(_NOTICE_ENDS)


def _signatures(lines: Sequence[str]) -> list[str]:
    """Office names signed just above a date line (衡水市人民政府办公室 / 2022年10月7日)."""
    found = []
    for index, text in enumerate(lines):
        if _SIGNED_DATE.match(text):
            found += [o for o in lines[max(0, index - 2) : index] if len(o) <= 40 and _OFFICE.search(o)]
    return found


def _best(candidates: Sequence[Place], scores: dict[str, int]) -> Place | None:
    """The candidate with the highest score, if it is above nought and alone there."""
    top = max(scores.values(), default=0)
    leaders = [c for c in candidates if scores.get(c.key) == top]
    return leaders[0] if top > 0 and len(leaders) == 1 else None


def _doubt(message: str, text: str | None) -> Doubt:
    return Doubt(field="jurisdiction", message=message, text=text)
