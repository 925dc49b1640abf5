"""Owner text (责任部门 / 责任主体 / 〔牵头部门…〕 / （…按职责分工负责）) split into leads and supporting units.

Shapes seen in the seeds:
- labelled: `牵头单位：A、B；配合单位：C，各县市区人民政府…` (001, also the typo `牵头单位门：`) and
  `〔牵头部门：A；责任部门：B…〕` (002, where 责任部门 plays the supporting role);
- duty: `省A、省B等部门按职责分工负责` / `省A负责` (003): every named unit is a co-lead; a clause
  `，各市政府、雄安新区管委会负责落实` names the implementers;
- a plain list `市商务局、市供销社，冀州区人民政府` (001 projects and some indicator rows): nothing
  says who leads, so the first-named unit leads and the rest support, which is how Chinese
  documents order owners (牵头 first). The office can change it after import;
- a single name, or `各相关部门` (nobody assigned yet: no leads at all).

Names are kept as written (after trimming stray spaces): collective names such as
`各县市区人民政府` or `各县（市、区）政府、开发区管委会` stay whole for the registry to expand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wufei.importers.text.normalize import fold_punct


@dataclass(frozen=True)
class OwnerSpec:
    leads: tuple[str, ...]
    supporting: tuple[str, ...]
    all_co_lead: bool  # "…按职责分工负责": every named unit leads
    raw: str | None
    implementers: tuple[str, ...] = ()  # "…负责落实" in 003: the cities carrying the task out

    @property
    def unassigned(self) -> bool:
        return not (self.leads or self.supporting or self.implementers)


_LABEL = re.compile(
    r"(?P<label>牵头(?:单位|部门)?门?|配合(?:单位|部门)|责任(?:单位|部门)|协办(?:单位|部门)|参与(?:单位|部门))"
    r"\s*："
)
_LEAD_LABEL = re.compile(r"^牵头")
_DUTY = re.compile(
    r"^(?P<leads>.+?)(?:等(?:有关|相关)?(?:部门|单位)?)?(?:按照?职责分工)?负责(?:落实)?"
    r"(?:，(?P<implementers>.+?)负责落实)?(?:[。；].*)?$"
)
# Text that names nobody: the office assigns owners later.
_UNASSIGNED = re.compile(r"^(?:各?(?:相关|有关)(?:部门|单位)(?:、单位)?|负责.*的相关(?:协调)?部门)$")
# Collective names whose own 、 is not a separator.
_COMPOUNDS = [re.compile(r"各县（市、区）(?:人民)?政府、开发区管委会")]
_SEPARATORS = re.compile(r"[、，；]+")
# A fragment of a space-separated list is a whole name when it ends like a unit's name;
# otherwise it is the first half of a name broken by a stray space.
_UNIT_END = re.compile(r"(?:局|委|厅|办|室|部|社|府|会|组|行|院|团|司|队|所|站|中心|企业|单位|部门|区|县)$")
# Stand-ins for separators that belong to a name while the list is split.
_HIDDEN = {"、": "\u0001", "，": "\u0002"}
_SHOWN = {v: k for k, v in _HIDDEN.items()}


def parse_owners(raw: str | None) -> OwnerSpec:
    """Leads, supporting units and implementers named in an owner text, names as written."""
    text = _clean(raw)
    if not text or _UNASSIGNED.match(text):
        return OwnerSpec((), (), False, raw)

    if _LABEL.search(text):
        return _labelled(text, raw)

    if match := _DUTY.match(text):
        leads = split_names(match["leads"])
        implementers = split_names(match["implementers"] or "")
        return OwnerSpec(leads, (), True, raw, implementers)

    names = split_names(text)
    return OwnerSpec(names[:1], names[1:], False, raw)


def split_names(text: str) -> tuple[str, ...]:
    """Unit names in a list, in order, without duplicates; 、 inside parentheses does not split."""
    text = _protect(_clean(text))
    names: list[str] = []
    for piece in _SEPARATORS.split(text):
        piece = "".join(_SHOWN.get(char, char) for char in piece).strip(" ：。")
        if not piece:
            continue
        if piece in ("单位", "部门") and names:
            names[-1] += "、" + piece  # 各相关部门、单位 is one phrase
            continue
        names += _split_spaces(piece)
    return tuple(dict.fromkeys(names))


def _labelled(text: str, raw: str | None) -> OwnerSpec:
    leads: list[str] = []
    supporting: list[str] = []
    matches = list(_LABEL.finditer(text))
    has_lead_label = any(_LEAD_LABEL.match(m["label"]) for m in matches)
    before = split_names(text[: matches[0].start()])
    (supporting if has_lead_label else leads).extend(before)
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        names = split_names(text[match.end() : end])
        (leads if _LEAD_LABEL.match(match["label"]) else supporting).extend(names)
    leads_t = tuple(dict.fromkeys(leads))
    supporting_t = tuple(name for name in dict.fromkeys(supporting) if name not in leads_t)
    return OwnerSpec(leads_t, supporting_t, False, raw)


def _clean(raw: str | None) -> str:
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", raw)
    # A line break inside a cell falls inside a word; a space may separate names (002).
    text = re.sub(r"[\r\n]+", "", text)
    text = fold_punct(text).replace("\u00a0", " ").replace("\u3000", " ")
    text = re.sub(r" {2,}", " ", text).strip(" 。；，")
    if text[:1] in "〔（" and text[-1:] in "〕）" and _balanced(text[1:-1]):
        text = text[1:-1].strip(" 。；，")
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"（": 1, "）": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _protect(text: str) -> str:
    """Hide separators that belong to a name: inside （）/“” and inside known compound names."""
    for pattern in _COMPOUNDS:
        text = pattern.sub(lambda m: m.group(0).replace("、", _HIDDEN["、"]), text)
    out, depth = [], 0
    for char in text:
        if char in "（“":
            depth += 1
        elif char in "）”":
            depth = max(depth - 1, 0)
        out.append(_HIDDEN[char] if depth and char in _HIDDEN else char)
    return "".join(out)


def _split_spaces(piece: str) -> list[str]:
    names, buffer = [], ""
    for fragment in piece.split():
        buffer += fragment
        if _UNIT_END.search(buffer):
            names.append(buffer)
            buffer = ""
    if buffer:
        names.append(buffer)
    return names
