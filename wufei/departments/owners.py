"""Owner text (责任部门 / 责任主体 / 〔牵头部门…〕 / （…按职责分工负责）) split into leads and supporting units.

Shapes read:
- labelled: `牵头单位：A、B；配合单位：C，各县市区人民政府…` (001, also the typo `牵头单位门：`),
  `〔牵头部门：A；责任部门：B…〕` (002, where 责任部门 beside a lead label plays the supporting role),
  `（牵头单位：X 参加单位：Y）`, labels 主办/协办/参与/参加/协助/协同; `责任单位：A、B、C` alone lists
  the lead first and the units supporting it after (how Chinese documents order owners), while after leads a
  clause already stated (`A、B等按职责分工负责。责任单位：C、D`, `A牵头，责任单位：B`) every unit it lists supports;
- clauses ending in a role: `A、B牵头，C、D参与`, `A牵头，B配合`, `A负责`, `A、B分别牵头`, `（A牵头）`,
  `A为牵头单位`, `…负责落实` (implementers), `A（牵头）、B、C` (a mark after a name);
- duty: `省A、省B等部门按职责分工负责` / `省A负责` (003): every named unit is a co-lead; a clause
  `，各市政府、雄安新区管委会负责落实` names the implementers; beside a 牵头 clause the units
  responsible by duty support;
- a plain list `市商务局、市供销社，冀州区人民政府` (001 projects and some indicator rows): nothing
  says who leads, so the first-named unit leads and the rest support, which is how Chinese
  documents order owners (牵头 first). The office can change it after import;
- a single name, or `各相关部门` (nobody assigned yet: no leads at all);
- words that are not owners: a person or a post under a label (`责任领导：张三`, `分管副市长：…`,
  `牵头领导：常务副区长`) names nobody; verbs such as 指导/统筹 read like 负责 (`A指导，B负责落实`:
  A leads), `A、B等按职责分工，C、D` (the duty without its verb) makes A and B lead and C, D support;
  `A会同B` is A leading with B's support; 由 before the first name is no part of it; a convention in
  brackets after the names (`A、B（列第一位的为牵头单位）`) applies to them.

A document may state its convention once (`除标注“分别牵头”外，列第一位为牵头单位，下同`, `排在第一位
的为牵头单位`): `owner_convention` recognises it, `parse_owners` drops it from the owner text (it
names nobody), and callers pass it on to every following row (`convention=FIRST_LEADS`), where it
decides a lead column listing several units.

Names are kept as written (after trimming stray spaces): collective names such as
`各县市区人民政府`, `各县（市、区）政府、开发区管委会`, `各县、市、区政府` or `相关县市区人民政府（含…）`
stay whole for the registry to expand; two units joined by 及/和 are two names; a closing 等部门, a
manner such as 按职责 before the verb, `具体任务均涉及X` (X implements) and `不再做分工` name nobody.
The words are in `owner_words.yaml`. A name that still carries role words, or is too long to be one unit, is kept
with a doubt for the office.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wufei.config import parse_yaml
from wufei.importers.records import Doubt
from wufei.importers.text.normalize import fold_punct

FIRST_LEADS = "first_leads"  # the document says the first unit listed leads
# Words of owner lists that are not names (collective fragments, joiners, trailing 等部门, 按职责).
OWNER_WORDS = Path(__file__).resolve().parent / "owner_words.yaml"
_WORDS: dict[str, list[str]] = parse_yaml(OWNER_WORDS.read_text(encoding="utf-8"))


def _alternatives(key: str) -> str:
    return "|".join(re.escape(word) for word in sorted(_WORDS[key], key=len, reverse=True))


@dataclass(frozen=True)
class OwnerSpec:
    leads: tuple[str, ...]
    supporting: tuple[str, ...]
    all_co_lead: bool  # "…按职责分工负责": every named unit leads
    raw: str | None
    implementers: tuple[str, ...] = ()  # "…负责落实" in 003: the cities carrying the task out
    doubts: tuple[Doubt, ...] = ()  # names that could not be split with confidence
    convention: str | None = None  # a convention stated in this very text (…，下同)

    @property
    def unassigned(self) -> bool:
        return not (self.leads or self.supporting or self.implementers)


_LEAD, _SUPPORT, _DUTY, _IMPLEMENT, _RESPONSIBLE, _IGNORED = (
    "lead",
    "supporting",
    "duty",
    "implementer",
    "responsible",
    "ignored",
)

# 责任领导：张三 / 分管副市长：李四 / 牵头市领导：…: a person or a post, never a unit.
_PERSON_LABEL = (
    r"(?:[省市区县镇乡]级)?(?:责任|分管|牵头|联系|包保|包联|协调|督导|主管|挂点|挂钩)?[省市区县]?"
    rf"(?:{_alternatives('people')})(?:同志)?"
)
# 完成时限 / 时间节点 / 办结时间 / 时限要求 / 进度安排: a deadline's label (public: the paragraph reader
# finds deadlines under the same labels).
DEADLINE_LABEL = (
    r"(?:(?:完成|办结|截止|计划完成|实施|推进|整改)?(?:时限|时间|期限|年限|节点)(?:要求|安排|节点)?|进度安排|进度要求)"
)
PERSON_LABEL = _PERSON_LABEL
_LABEL = re.compile(
    rf"(?P<label>{_PERSON_LABEL}"
    r"|(?:牵头|主要|配合|其他|协同)责任(?:单位|部门)"
    r"|牵头(?:单位|部门|处室)?门?|主办(?:单位|部门)?|主责(?:单位|部门)|承办(?:单位|部门)|责任(?:单位|部门|主体|处室)|实施主体"
    r"|(?:部门|责任)分工"
    r"|配合(?:单位|部门)?|协办(?:单位|部门)?|参与(?:单位|部门)?|参加(?:单位|部门)?|协助(?:单位|部门)?"
    rf"|协同(?:单位|部门)|落实(?:单位|部门)|{DEADLINE_LABEL})\s*："
)
_DEADLINE = re.compile(DEADLINE_LABEL)
_LABEL_ROLES: list[tuple[str, str]] = [
    ("牵头", _LEAD),
    ("主要", _LEAD),
    ("主办", _LEAD),
    ("主责", _LEAD),
    ("承办", _LEAD),  # 承办单位 in a supervision office's 交办 list: the unit that takes the matter on
    ("责任", _RESPONSIBLE),
    ("部门分工", _RESPONSIBLE),  # 部门分工：A牵头，B配合 — read by its own grammar; a plain list: the first leads
    ("实施主体", _RESPONSIBLE),
    ("落实", _IMPLEMENT),
]
# 【牵头单位】A【配合单位】B: a label in brackets instead of before a colon.
_BRACKETED_LABEL = re.compile(
    r"〔\s*((?:牵头|主要|配合|其他|协同|主办|主责|协办|参与|参加|协助|落实)?(?:责任)?(?:单位|部门|主体)"
    rf"|牵头|配合|{DEADLINE_LABEL})\s*〕\s*：?"
)


def unbracket_labels(text: str) -> str:
    """【牵头单位】A【配合单位】B (folded 〔牵头单位〕…) as 牵头单位：A；配合单位：B."""
    if "〔" not in text and "【" not in text and "[" not in text:
        return text
    text = _BRACKETED_LABEL.sub(lambda m: "；" + m.group(1) + "：", fold_punct(text))
    return re.sub(r"^；|(?<=[。；，])；", "", text)


# A clause that ends in the role its units play. Longer verbs first.
_CLAUSE = re.compile(
    r"^(?P<names>.*?)(?:等(?:有关|相关)?(?:部门|单位)?)?(?:为|作为)?"
    rf"(?:{_alternatives('manner')})?"
    r"(?P<verb>按照?职责(?:分工)?负责落实|负责落实|抓好落实|组织落实|具体落实|落实"
    r"|分别牵头|牵头负责|负责牵头|牵头实施|牵头落实|牵头|主办|主责"
    r"|按照?职责(?:分工)?负责|分工负责|各负其责|按职能负责|负责实施|分别负责|负责"
    rf"|{_alternatives('guides')}"
    r"|配合实施|配合落实|配合推进|配合|参与|参加|协助|协办"
    # 市生态环境局、市工信局等按职责分工，各县（市）区政府: the duty stated without its verb
    r"|按照?职责(?:分工)?)"
    r"(?:单位|部门)?$"
)
_VERB_ROLES: list[tuple[str, str]] = [
    ("落实", _IMPLEMENT),
    ("负责实施", _IMPLEMENT),  # A、B牵头，C负责实施: C carries it out
    ("牵头", _LEAD),
    ("主办", _LEAD),
    ("主责", _LEAD),
    ("负责", _DUTY),
    ("各负其责", _DUTY),
    ("职责", _DUTY),
    *((word, _DUTY) for word in _WORDS["guides"]),
]
_PERSON = re.compile(_PERSON_LABEL)
# 杨某某副市长 / 常务副区长 / 分管副县长: a person by name and post, never a unit.
_PERSON_NAME = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{2,3}}(?:同志)?)?(?:常务|分管)?(?:{_alternatives('people')})(?:同志)?$"
)
# 市政府副市长张伟 / 市生态环境局局长李强 / 副市长王芳: a post after the body it serves, or a deputy's post, and
# the person's name after it (as lists of owners name the leader answering for a task).
_POST_AND_NAME = re.compile(
    r"^(?:(?:[省市区县州](?:人民)?政府|[省市区县州]委|[\u4e00-\u9fff]{2,14}?(?:局|委|厅|办|中心))"
    rf"(?:常务|分管)?(?:{_alternatives('people')})(?:同志)?(?:[\u4e00-\u9fff]{{2,3}})?"
    r"|(?:常务|分管)?副[省市区县州]长[\u4e00-\u9fff]{2,3})$"
)
# 市住建局会同市自然资源局(负责): the first leads, the one it works with supports.
_TOGETHER = re.compile(
    r"(?P<lead>[^，；。、：]+?)会同(?P<with>[^，；。：]+?)(?:共同|联合)?(?:负责|落实|实施|推进|组织实施)?(?=$|[，；。])"
)
# 由市城管局牵头: the preposition before a name is no part of it.
_BEFORE_NAME = re.compile(r"^(?:由|请|责成)(?=[\u4e00-\u9fff]{3,})")
# A mark after a name: 市生态环境局（牵头）
_NAME_MARK = re.compile(r"（(?:牵头|主办|牵头单位|牵头部门)）$")
# The document's own convention: 列第一位为牵头单位 / 排在第一位的为牵头单位 / 第一个单位为牵头单位
_CONVENTION = re.compile(
    r"(?:列|排|排列|排名|排在|位列|列在|名列)(?:在)?(?:第一位|首位|第一)(?:的|者)?(?:单位|部门)?(?:为|是)?牵头"
    r"|(?:第一个|首个|首位|第一)(?:单位|部门)(?:为|是)牵头"
)
# Clauses that name nobody: the convention, its exception, an announcement for later tasks.
_NOT_OWNERS = re.compile(r"^(?:下同|除标注.*外|除注明.*外|以下.*均需.*|不再(?:做|作|进行)?(?:分工|列出)|以下同|后同)$")
_ANNOUNCEMENT = re.compile(r"(?:^|(?<=。))以下[^。]*(?:。|$)")
# 具体任务均涉及相关市（州）人民政府: the units every task involves carry it out (implementers).
_INVOLVES = re.compile(r"^(?:具体|各项)?(?:任务|工作)?(?:均|都)?涉及(?P<names>.+)$")
_CONVENTION_HINTS = ("第一", "首", "下同", "以下", "不再", "除标注", "除注明", "后同")
# Text that names nobody: the office assigns owners later.
_UNASSIGNED = re.compile(r"^(?:各?(?:相关|有关)(?:部门|单位)(?:、单位)?|负责.*的相关(?:协调)?部门)$")
# Collective names whose own 、 is not a separator.
_COMPOUNDS = [re.compile(r"各县（市、区）(?:人民)?政府、开发区管委会")]
_SEPARATORS = re.compile(r"[、，；]+")
_SEPARATOR_KEPT = re.compile(r"([、，；]+)")
# 各县 / 市 / 各区（市）: a fragment of a collective name; 区政府: the collective's last part.
_LEVEL_FRAGMENT = re.compile(rf"^[各全]?(?:{_alternatives('levels')})(?:（[^）]*）)?$")
_LEVEL_START = re.compile(
    rf"^(?:{_alternatives('levels')})(?:（[^）]*）)?(?:$|(?:{_alternatives('levels')})|(?:{_alternatives('bodies')}))"
)
# 各镇、街道、工业园区: a kind of zone named bare (no place before it) after a collective's levels is
# one more kind its 各 covers; a zone is a unit only with its place's name (青浦工业园区).
_BARE_ZONE = re.compile(r"^(?:工业园区|产业园区|园区|开发区|经开区|高新区|工业集中区)(?:（[^）]*）)?$")
_JOINER = re.compile(_alternatives("joiners"))
# A body named without its place (人民政府, 管委会, 党工委): the place is the one named before it.
_BODY_ALONE = re.compile(rf"^(?:{_alternatives('bodies')}|党工委|工委)$")
# 城乡一体化示范区、高新区党工委和管委会: places before the bodies they share, one collective.
_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,12}(?:示范区|开发区|高新区|新区|园区|经开区)$")
_SHARED_BODIES = re.compile(rf"^[\u4e00-\u9fff]{{2,12}}区(?:{_alternatives('bodies')}|党工委|工委)(?:和|及)管委会$")
# 宿马园区党工委、管委会: a place's governing body, then another of the same place named without it (one
# collective); 县人民政府、有关部门 names two.
_GOVERNING_BODIES = "党工委|工委|党委|管委会|人民政府|政府"
# 各市（地）党委、政府（行署）: a place and a body may carry a short gloss in brackets.
_PLACE_BODY = re.compile(rf"^(?:[\u4e00-\u9fff]|（[^（）]{{1,6}}）){{2,12}}(?:{_GOVERNING_BODIES})$")
_ANOTHER_BODY = re.compile(rf"^(?:{_GOVERNING_BODIES})(?:（[^（）]{{1,6}}）)?$")
_NOT_AFTER_JOINER = re.compile(rf"^(?:{_alternatives('not_after_joiner')})")
_JOINED_NAME_MIN = 3  # 党委和政府 is a phrase, not two units
_TRAILING = re.compile(rf"(?<=[\u4e00-\u9fff）0-9]{{2}})(?:{_alternatives('trailing')})$")
_CLAUSE_SEPARATORS = re.compile(r"[，；。]+")
# 市生态环境局督促各县（市、区）落实 / 督促各县（市、区）落实: who urges (maybe nobody named), then the units urged.
# The urger's brackets closed before 督促 (各县（市、区）政府督促…); a 督促 inside a bracket is a gloss, no match.
_URGING = re.compile(r"^(?P<urger>(?:[^（）]|（[^（）]*）)*?)(?:负责|指导)?督促(?:指导|检查)?(?P<urged>.+)$")
_URGING_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff）])（(?P<urging>(?:负责|指导)?督促(?:[^（）]|（[^（）]*）)+)）")
# 督促各县（市、区）落实 urges someone; 市政府办公室（督促检查科） names the office's section: a gloss urging nobody (no
# object of two characters at least after 督促/督促检查, or ending like a section) is part of the name.
_URGED_OBJECT = re.compile(r"^(?:负责|指导)?督促(?:指导|检查)?(?:[^（）]|（[^（）]*）){2,}$")
_SECTION_END = re.compile(r"[科处室股组]$")


def _urges_someone(gloss: str) -> bool:
    return bool(_URGED_OBJECT.match(gloss)) and not _SECTION_END.search(gloss)


def _has_urging(text: str) -> bool:
    """Whether the text urges someone: 督促 outside a bracket, or in a gloss naming whom it urges."""
    return "督促" in _URGING_GLOSS.sub(lambda m: m[0] if _urges_someone(m["urging"]) else "", text)


_COUNT = re.compile(r"^\d{1,3}个")  # 10个县（市、区）: a count of the units urged, named as 各县（市、区）
# Where the units urged end and the work they are urged to do begins (各县（市、区）|落实, 区农业农村局|2025年…,
# 各县|于2025年底前…); a count (10个县) and a unit named for its work (市整改办) are part of the units urged.
_URGED_WORK = re.compile(
    rf"\d{{4}}\s*年|\d{{1,2}}\s*月|[于在](?=\s*\d)|认真|切实|及时|全面|按照?|整改(?!办|组|领导小组|指挥部)|抓好|做好"
    rf"|{_alternatives('task_verbs')}"
)
# 区政府督查室 / 市委督查办 / 督导组 urging a unit checks the work; the unit urged does it and leads.
SUPERVISOR = re.compile(r"督查|督办|督导|督察")
# A fragment of a space-separated list is a whole name when it ends like a unit's name;
# otherwise it is the first half of a name broken by a stray space.
# What follows 等 when it names a collective the units before it belong to: 省直有关部门, 市直各单位, 各成员单位
_COLLECTIVE_AFTER_SUCH_AS = re.compile(
    r"^[\u4e00-\u9fff（）]{0,6}(?:有关|相关|各|成员)(?:部门|单位|机构)$|^[\u4e00-\u9fff（）]{0,6}各(?:部门|单位)$"
)
_UNIT_END = re.compile(r"(?:局|委|厅|办|室|部|社|府|会|组|行|院|团|司|队|所|站|中心|企业|单位|部门|区|县)$")
# Words that do not belong in a unit's name: what is left of a clause nobody could read.
_ROLE_WORDS = re.compile(r"牵头|配合|参与|参加|协助|协办|主办|负责(?!“)|：")
_NAME_MAX = 30  # characters outside parentheses; longer is several names run together
_RUN_TOGETHER = re.compile(r"(?:局|厅)(?=[市省][\u4e00-\u9fff]{2,})")  # 市生态环境局市统计局
# Stand-ins for separators that belong to a name while the list is split.
_HIDDEN = {"、": "\u0001", "，": "\u0002", "；": "\u0003", "。": "\u0004"}
_SHOWN = {v: k for k, v in _HIDDEN.items()}
_HIDE = str.maketrans(_HIDDEN)
_ENCLOSED = re.compile(r"（[^（）]*）|“[^“”]*”")


_UNIT_NAME = re.compile(rf"(?:{_alternatives('unit_ends')})(?:（[^（）]*）)?$")
_NAME_BREAK = re.compile(r"[、，。；：,（）]")
# A clause of a task's text opening with the units that answer for it (see `owners_in_sentences`).
_IN_SENTENCE = re.compile(
    r"(?:^|(?<=[，。；：]))(?P<by>由|请|责成)?(?P<names>[^，。；：（）〔〕“”]{2,80}?)(?:等(?:有关|相关)?(?:部门|单位))?"
    r"(?P<verb>牵头负责|负责牵头|牵头|负责|主办|要(?!求))"  # …部署要求的行动: 要求 is a noun, asking nobody
)
# 主要责任单位要… / 牵头单位要…: a role a plan gives, nobody's name.
_ROLE_WORD = re.compile(r"^(?:主要|其他|牵头|配合|协同|协办|主办|承办|责任)*(?:责任)?(?:单位|部门)$")
# 包片单位县气象局 / 陈家坝沿线包片单位县职教中心: a label before the name, ending in 单位/部门.
_LABEL_BEFORE_NAME = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:单位|部门)(?=[\u4e00-\u9fff]{2,})")
# What a unit does that is checking someone else's work, not doing it.
_CHECKING = re.compile(r"^(?:对[^，。；]{0,30})?(?:进行)?(?:督查|督导|督办|检查|抽查|考核|监督|验收|巡查|暗访)")
_EVERYONE = ("各", "有关", "相关", "全")
_SUPPORT_CLAUSE = re.compile(
    r"^(?P<names>[^，。；：]{2,80}?)(?:等(?:有关|相关)?(?:部门|单位))?(?:配合|参与|参加|协助|协办)(?:单位|部门)?$"
)
_UNIT_NAME_MAX = 20  # characters outside brackets: longer is a sentence, not a name
_NOT_IN_A_NAME = re.compile(r"[。；：！？\d%％≥≤]")
# A verb ending in 行 only ends like a bank (银行, 支行, 农发行): 能够履行, 严格执行 are pieces of sentences.
_VERB_ENDING_LIKE_A_BANK = re.compile(r"(?:履|执|进|运|实|推|施|试|践|先|可|通|出|步|并|自|另|暂|例)行$")
_TASK_VERB = re.compile(rf"^(?:{_alternatives('task_verbs')})")
_TASK_TEXT_MIN = 6


def looks_like_unit(name: str) -> bool:
    """Whether a name reads as a unit by its shape alone: short, ending like a unit (…局, …委, …政府,
    …管委会, …中心, …公司), no sentence or figure in it. 市直相关单位 and 各区县市 do; 建立监管平台 does not."""
    bare = _ENCLOSED.sub("", name)
    if len(bare) >= _TASK_TEXT_MIN and _TASK_VERB.match(bare):
        return False
    if _VERB_ENDING_LIKE_A_BANK.search(bare):
        return False
    return 2 <= len(bare) <= _UNIT_NAME_MAX and not _NOT_IN_A_NAME.search(bare) and bool(_UNIT_NAME.search(name))


def units_at_start(text: str, *, longest: int = 20) -> list[str]:
    """The units a text opens with, as a list joined by 、 (市农委、科技局、财政局，拟定… / 市太湖办上半年组织…):
    each name is the shortest run reading as a unit that no longer run extends (市相关部|门 and
    市发展和改革委|员会 go on; 市太湖办|上半年组织 and 市有关部门|根据省住建厅部署 do not)."""
    names: list[str] = []
    index = 0
    while True:
        ends = {
            end
            for end in range(index + 2, min(index + longest, len(text)) + 1)
            if not _NAME_BREAK.search(text[index:end]) and looks_like_unit(text[index:end])
        }
        end = min((end for end in ends if end + 1 not in ends and end + 2 not in ends), default=0)
        if not end:
            break
        names.append(text[index:end])
        index = end
        if index >= len(text) or text[index] != "、":
            break
        index += 1
    return names


def owners_in_sentences(text: str | None) -> str | None:
    """The owners a task's own text names inside a sentence, as an owner text `parse_owners` reads, or None.

    For a task that has no owner column, bracket or label: `整改要求：由县环卫站负责清除…` (县环卫站 leads),
    `由包片单位A、B负责…` (a label such as 包片单位 before the first name is no part of it), `请A牵头抓好…`,
    `由A牵头，B、C配合，…` (B and C support), `A要会同B加快…` (A leads, B supports). Only a clause opening with
    its units does: units the text sends reports to (`报X`) or that check the work (`X对…进行抽查`,
    `X负责督查`) own nothing, and a person (`由张某某副市长负责`) is no unit. The first such clause counts.
    """
    if not text:
        return None
    folded = re.sub(r"\s+", "", fold_punct(text))
    for match in _IN_SENTENCE.finditer(folded):
        names = [_LABEL_BEFORE_NAME.sub("", name) for name in split_names(match["names"])]
        if not names or not all(
            looks_like_unit(name) and not is_person(name) and not _ROLE_WORD.match(name) for name in names
        ):
            continue
        if match["verb"] == "要" and (match["by"] or any(name.startswith(_EVERYONE) for name in names)):
            continue  # 各地各部门要加强组织领导: everyone is asked, nobody is named
        after = folded[match.end() :]
        if _CHECKING.match(after):
            continue  # 县双创办负责督查: the unit checking the work owns nothing
        verb = "牵头" if match["verb"] in ("要", "牵头负责", "负责牵头") else match["verb"]
        owners = [f"{'、'.join(names)}{verb}"]
        if after.startswith("会同") and (partners := units_at_start(after[len("会同") :])):
            owners.append(f"{'、'.join(partners)}配合")  # A要会同B加快…: B works with A
        clauses = re.split(r"[，；]", after)[1:] if "，" in after.split("。")[0] else []
        for clause in clauses:
            support = _SUPPORT_CLAUSE.match(clause)
            if support is None or not all(looks_like_unit(name) for name in split_names(support["names"])):
                break
            owners.append(clause)  # 由A牵头，B、C配合，…
        return "，".join(owners)
    return None


# A duty item names a matter, then who manages it (a county's 职责 notice):
#   人车分行按照《…》规定应由公安部门负责管理，现由县公安局委托县城管办负责管理，并行使行政处罚权。
#   废品收购站点按照《…》规定，行业管理为县商务局。 / 两轮摩托车非法载客由县公安局负责牵头管理，县交通局协管。
_STATUTE = r"按照?(?:《[^》]{1,40}》(?:的|有关)?(?:规定)?|(?:有关)?规定)"  # 按照《…》规定 / 按照《…条例》
_DUTY_START = re.compile(rf"{_STATUTE}|(?:应|现)?由|(?:行业|日常)?(?:管理|主管|监管)(?:部门|单位)?为")
_DUTY_STATUTE = re.compile(rf"^{_STATUTE}")
_DUTY_BY = re.compile(
    r"^(?P<now>现将[^，。；]{0,20}?|应|现)?由(?P<names>[^，。；：]{2,40}?)(?P<verb>负责牵头|牵头负责|牵头|负责|主管)"
)
_DUTY_IS = re.compile(r"^(?:行业|日常)?(?:管理|主管|监管)(?:部门|单位)?为(?P<names>[^，。；：]{2,40})$")
_DUTY_HELPS = re.compile(r"^(?P<names>[^，。；：]{2,40}?)(?:协管|配合|协助|参与)$")
_DUTY_MATTER_MAX = 60


def duty_attribution(text: str | None) -> tuple[str, str] | None:
    """(matter, owners) of a one-sentence duty item that names its matter and then who manages it, as an owner
    text `parse_owners` reads; None when the sentence is no such item.

    `A委托B负责管理`: B manages (A only entrusts its power, owning nothing); a duty stated now (`现由…`) overrides
    the one the law assigns (`应由X负责管理`); `行业管理为X`: X leads; `由X负责牵头管理，Y协管`: Y supports.
    Clauses after them that name no unit (`并行使行政处罚权`) are the duty's content.
    """
    if not text:
        return None
    folded = fold_punct(text).strip().rstrip("。；")
    if "。" in folded or "；" in folded:
        return None
    start = _DUTY_START.search(folded)
    if start is None or start.start() < 2:
        return None
    matter = folded[: start.start()].strip()
    if len(matter) > _DUTY_MATTER_MAX or "，" in matter or "：" in matter:
        return None
    statutory: str | None = None
    present: str | None = None
    helpers: list[str] = []
    for index, clause in enumerate(folded[start.start() :].split("，")):
        clause = _DUTY_STATUTE.sub("", clause, count=1).strip() if index == 0 else clause.strip()
        if not clause:
            continue
        if by := _DUTY_BY.match(clause):
            if _CHECKING.match(clause[by.end() :]):
                return None  # 由县双创办负责督查: checking the work is no owning it
            names = by["names"].rsplit("委托", 1)[-1]
            if not _all_units(names):
                return None
            if by["now"] == "应":
                statutory = names
            else:
                present = names
        elif owned := _DUTY_IS.match(clause):
            if not _all_units(owned["names"]):
                return None
            present = owned["names"]
        elif (helps := _DUTY_HELPS.match(clause)) and _all_units(helps["names"]):
            helpers.append(helps["names"])
        elif index == 0:
            return None  # the sentence does not go on to say who manages it
    lead = present or statutory
    if lead is None:
        return None
    owners = [f"{lead}牵头", *(f"{names}配合" for names in helpers)]
    return matter, "，".join(owners)


def _all_units(names: str) -> bool:
    found = split_names(names)
    return bool(found) and all(looks_like_unit(name) and not is_person(name) for name in found)


def is_person(name: str) -> bool:
    """Whether a name is a person by name and post (张某某副市长, 常务副区长), not a unit."""
    return bool(_PERSON_NAME.match(name) or _POST_AND_NAME.match(name))


def lists_units(text: str | None) -> bool:
    """Whether a text is a list of units and nothing else (市城管局、区住建委，各街道): every name looks
    like a unit, or the text reads as owners by its grammar (A牵头，B配合)."""
    if not text or "。" in text:
        return False
    spec = parse_owners(text)
    names = [*spec.leads, *spec.supporting, *spec.implementers]
    return bool(names) and all(looks_like_unit(name) for name in names)


def owner_convention(text: str | None) -> str | None:
    """FIRST_LEADS when the text states that the first unit listed leads, else None."""
    if text and "牵头" in text and _CONVENTION.search(re.sub(r"\s+", "", fold_punct(text))):
        return FIRST_LEADS
    return None


@lru_cache(maxsize=8192)  # plans repeat the same owner texts; an OwnerSpec is immutable
def parse_owners(raw: str | None, *, convention: str | None = None) -> OwnerSpec:
    """Leads, supporting units and implementers named in an owner text, names as written."""
    text, stated = _without_conventions(_clean(raw))
    text = _urging(_together(text))
    convention = stated or convention
    if not text or _UNASSIGNED.match(text):
        return OwnerSpec((), (), False, raw, convention=stated)
    if _LABEL.search(text):
        spec = _labelled(text, first_leads=convention == FIRST_LEADS)
    elif any(_CLAUSE.match(clause) for clause in _clauses(text)):
        spec = _by_clauses(text)
        if convention == FIRST_LEADS and spec.all_co_lead and "分别牵头" not in text:
            # 列第一位为牵头单位: units responsible "by duty" are led by the first of them.
            spec = _Spec(spec.leads[:1], spec.leads[1:], spec.implementers)
    else:
        spec = _marked_list(_units(split_names(text)))
    return _finish(spec, raw, stated)


def _units(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names of a plain list without the persons in it (市政府副市长张伟，市生态环境局…: the leader answering
    for the task is named first, the units after; the first unit leads). A list of persons only is kept."""
    units = tuple(name for name in names if not is_person(name))
    return units or names


@lru_cache(maxsize=8192)
def parse_owner_columns(lead: str | None, supporting: str | None, *, convention: str | None = None) -> OwnerSpec:
    """Owners from a table's lead column (牵头单位, or 责任单位 standing alone) and supporting column.

    Every unit in a lead column leads, unless the document says the first listed leads (then
    the others support); a cell with its own grammar (`A牵头，B配合`) is read by it.
    """
    text, stated = _without_conventions(_clean(lead))
    text = _together(text)
    convention = stated or convention
    # A cell with its own grammar (A牵头，B配合; A（督促B落实）) is read by it.
    if text and not _UNASSIGNED.match(text) and (_LABEL.search(text) or _has_clause(text) or _has_urging(text)):
        parsed = parse_owners(text, convention=convention)
        spec = _Spec(list(parsed.leads), list(parsed.supporting), list(parsed.implementers), parsed.all_co_lead)
    else:
        names = _units(split_names(text)) if text and not _UNASSIGNED.match(text) else ()
        if convention == FIRST_LEADS and supporting is None:
            spec = _Spec(list(names[:1]), list(names[1:]))
        else:
            spec = _marked_list(names, all_lead=True)
    extra = parse_owners(supporting) if supporting else None
    if extra is not None:
        spec.supporting += [*extra.leads, *extra.supporting]
        spec.implementers += extra.implementers
    raw = "；".join(part for part in (lead, supporting) if part) or None
    return _finish(spec, raw, stated)


# A name holds a character or a letter: a run of bars or dashes is what a copy printed for an empty cell.
_NAMES_SOMETHING = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@lru_cache(maxsize=8192)
def split_names(text: str) -> tuple[str, ...]:
    """Unit names in a list, in order, without duplicates.

    、 inside parentheses or inside a collective (各县、市、区政府) does not split; two units joined
    by 及/和 are two names (区城管大队法制办及街道城管中队); a closing 等/等部门 is not a name.
    """
    names: list[str] = []
    for piece in _collectives_kept(_protect(_clean(text))):
        piece = _TRAILING.sub("", _show(piece).strip(" ：。")).strip(" ：。")
        piece = _BEFORE_NAME.sub("", piece)
        piece = _unmatched_brackets_off(piece)
        if not _NAMES_SOMETHING.search(piece):
            continue  # || / —— / ／: a copy's padding or an empty cell's mark, no name
        if piece in ("单位", "部门") and names:
            names[-1] += "、" + piece  # 各相关部门、单位 is one phrase
            continue
        names += [
            name for part in _split_spaces(piece) for name in _split_joined(part) for name in _split_such_as(name)
        ]
    return tuple(dict.fromkeys(names))


def _unmatched_brackets_off(name: str) -> str:
    """A name without a bracket it does not pair: 县城管局） (the clause's own bracket, left on the name
    where a label followed it: （牵头单位：县城管局）完成时限：…) is 县城管局; 市委宣传部（市文明办） stays."""
    while name and name[-1] in "）〕)" and not _balanced(name):
        name = name[:-1].rstrip()
    while name and name[0] in "（〔(" and not _balanced(name):
        name = name[1:].lstrip()
    return name


def _split_such_as(name: str) -> list[str]:
    """省财政厅等省直有关部门 → 省财政厅, 省直有关部门: a unit given as an example of the collective after 等
    is a name of its own, and so is the collective (a bare 等有关部门 closing a list is dropped before)."""
    left, such_as, right = name.partition("等")
    if not such_as or not _balanced(left):
        return [name]
    bare_left = _ENCLOSED.sub("", left)
    if len(bare_left) >= _JOINED_NAME_MIN and _UNIT_END.search(bare_left) and _COLLECTIVE_AFTER_SUCH_AS.match(right):
        return [left, right]
    return [name]


def _collectives_kept(text: str) -> list[str]:
    """The list's items, a collective's fragments (各县 | 市 | 区政府) joined again by their 、."""
    parts = _SEPARATOR_KEPT.split(text)
    items = [parts[0]]
    open_collective = bool(_LEVEL_FRAGMENT.match(_show(parts[0]).strip()))
    for separator, piece in zip(parts[1::2], parts[2::2]):
        shown = _show(piece).strip()
        if (
            (open_collective and separator == "、" and (_LEVEL_START.match(shown) or _BARE_ZONE.match(shown)))
            or (separator == "、" and _PLACE_ONLY.match(_show(items[-1]).strip()) and _SHARED_BODIES.match(shown))
            or (separator == "、" and _PLACE_BODY.match(_show(items[-1]).strip()) and _ANOTHER_BODY.match(shown))
        ):
            items[-1] += _HIDDEN["、"] + piece
        else:
            items.append(piece)
        open_collective = bool(_LEVEL_FRAGMENT.match(shown))  # 区政府 closes the collective
    return items


def _split_joined(name: str) -> list[str]:
    """区城管大队法制办及街道城管中队 → two names; a 和 inside one unit's name (区自然资源和规划局) stays."""
    for match in _JOINER.finditer(name):
        left, right = name[: match.start()], name[match.end() :]
        if _joins_units(left, right):
            return _split_joined(left) + _split_joined(right)
    return [name]


def _joins_units(left: str, right: str) -> bool:
    bare_left, bare_right = _ENCLOSED.sub("", left), _ENCLOSED.sub("", right)
    return (
        _balanced(left)
        and min(len(bare_left), len(bare_right)) >= _JOINED_NAME_MIN
        and bool(_UNIT_END.search(bare_left) and _UNIT_END.search(bare_right))
        and not _NOT_AFTER_JOINER.match(right)
        and not _BODY_ALONE.match(bare_right)  # 各县（市、区）党委和人民政府: one place's two bodies
    )


# --- the shapes ---------------------------------------------------------------------------------


@dataclass
class _Spec:
    leads: list[str]
    supporting: list[str]
    implementers: list[str] = field(default_factory=list)
    all_co_lead: bool = False
    doubts: list[Doubt] = field(default_factory=list)


def _labelled(text: str, *, first_leads: bool = False) -> _Spec:
    """Owners under labels; `first_leads` when the document says the first unit listed leads."""
    spec = _Spec([], [])
    matches = list(_LABEL.finditer(text))
    roles = [_label_role(m["label"]) for m in matches]
    has_lead_label = _LEAD in roles
    before_text = text[: matches[0].start()]
    if _has_clause(before_text):  # 省审计厅牵头，协同单位：… — the text before the labels has its own grammar
        inner = _by_clauses(before_text)
        spec.leads += inner.leads
        spec.supporting += inner.supporting
        spec.implementers += inner.implementers
        # A、B等按职责分工负责。责任单位：C、D / A牵头，责任单位：B: the leads are stated, so a 责任单位 list after
        # them supports, as it does beside a 牵头单位 label.
        has_lead_label = has_lead_label or bool(inner.leads)
    else:
        (spec.supporting if has_lead_label else spec.leads).extend(split_names(before_text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        part = text[match.end() : end]
        role = roles[i]
        if role == _IGNORED:
            continue
        if _has_clause(part):  # 牵头单位：A牵头，B配合 — the part has its own grammar
            inner = _by_clauses(part)
            spec.leads += inner.leads
            spec.supporting += inner.supporting
            spec.implementers += inner.implementers
            continue
        names = list(split_names(part))
        if role == _RESPONSIBLE:
            if has_lead_label:
                spec.supporting += names  # 002: 责任部门 beside 牵头部门 supports
            elif _SUPPORT in roles and not first_leads:
                # 责任单位：A，B，C；配合单位：D: the units supporting have their own label, so every unit the
                # 责任单位 label lists answers for the task — unless the document says its first unit leads
                spec.leads += names
            else:
                # 责任单位 alone lists the lead first, then the units supporting it (how owners are ordered).
                spec.leads += names[:1]
                spec.supporting += names[1:]
        elif role == _LEAD:
            spec.leads += names
        elif role == _IMPLEMENT:
            spec.implementers += names
        else:
            spec.supporting += names
    return spec


def _label_role(label: str) -> str:
    if _PERSON.fullmatch(label) or _DEADLINE.fullmatch(label):
        return _IGNORED  # a person or a post names no unit; a deadline is read apart
    for word, role in _LABEL_ROLES:
        if label.startswith(word):
            return role
    return _SUPPORT


def _by_clauses(text: str) -> _Spec:
    """`A、B牵头，C、D参与`, `省A、省B按职责分工负责，各市政府负责落实`, `A，B配合`."""
    parsed: list[tuple[str | None, tuple[str, ...]]] = []
    for clause in _clauses(text):
        match = _CLAUSE.match(clause)
        if involves := _INVOLVES.match(clause):
            parsed.append((_IMPLEMENT, split_names(involves["names"])))
        elif match is None:
            parsed.append((None, split_names(clause)))
        else:
            parsed.append((_verb_role(match["verb"]), split_names(match["names"])))
    # 由张某某副市长负责，A牵头: the vice-mayor answers for it as a person; the units are the owners.
    persons_lead = [n for role, names in parsed if role in (_LEAD, _DUTY) for n in names if is_person(n)]
    parsed = [(role, kept) for role, names in parsed if (kept := tuple(n for n in names if not is_person(n)))]
    has_lead = any(role == _LEAD for role, _ in parsed)
    spec = _Spec([], [])
    for role, names in parsed:
        if role == _LEAD or (role == _DUTY and not has_lead):
            spec.leads += names
        elif role == _IMPLEMENT:
            spec.implementers += names
        elif role is None:
            spec.leads += names  # settled below: unmarked names lead only if nobody else does
        else:
            spec.supporting += names
    unmarked = [name for role, names in parsed if role is None for name in names]
    if unmarked and any(role in (_LEAD, _DUTY) for role, _ in parsed):
        spec.leads = [name for name in spec.leads if name not in unmarked]
        spec.supporting = unmarked + spec.supporting
    spec.all_co_lead = bool(spec.leads) and not spec.supporting and not has_lead
    if not spec.leads and not spec.supporting and spec.implementers:
        # 各市政府、雄安新区管委会负责落实 on its own: those who carry it out answer for it.
        spec.leads, spec.implementers, spec.all_co_lead = spec.implementers, [], True
    if persons_lead and not spec.leads and spec.supporting:
        # 市政府副市长张伟牵头，A、B配合: a person leads and no unit does; the task is followed through a unit,
        # so the first unit the clause names leads, for the office to confirm.
        first = spec.supporting.pop(0)
        spec.leads = [first]
        spec.doubts.append(
            Doubt(
                "leads",
                f"「{'、'.join(persons_lead)}」是个人，未写牵头单位，已按其后第一个单位「{first}」牵头，请核对",
                first,
            )
        )
    return spec


def _verb_role(verb: str) -> str:
    for word, role in _VERB_ROLES:
        if word in verb:
            return role
    return _SUPPORT


def _marked_list(names: tuple[str, ...], *, all_lead: bool = False) -> _Spec:
    """A list; `A（牵头）、B、C` marks its lead, otherwise the first leads (or all, in a lead column)."""
    marked = [_NAME_MARK.sub("", name) for name in names if _NAME_MARK.search(name)]
    if marked:
        rest = [name for name in names if not _NAME_MARK.search(name)]
        return _Spec(marked, rest)
    if all_lead:
        return _Spec(list(names), [])
    return _Spec(list(names[:1]), list(names[1:]))


# An owner label the store or a page break cut (…等项目。（牵头单), or a name cut after its level (责任单位：区): no
# unit's name.
_CUT_LABEL = re.compile(r"^(?:(?:牵头|责任|配合|主办|协办|参与|参加|协助|落实)(?:单|部)?|[省市区县州旗盟])$")
_CUT_LEVEL = re.compile(r"^[省市区县州旗盟]$")


def _finish(spec: _Spec, raw: str | None, stated: str | None) -> OwnerSpec:
    leads = tuple(name for name in dict.fromkeys(spec.leads) if not _CUT_LABEL.match(name))
    supporting = tuple(
        name for name in dict.fromkeys(spec.supporting) if name not in leads and not _CUT_LABEL.match(name)
    )
    implementers = tuple(name for name in dict.fromkeys(spec.implementers or ()) if not _CUT_LABEL.match(name))
    # 责任单位：县农业农村局，县: the name cut after its level is no unit, but which unit was meant a person decides
    cut = dict.fromkeys(name for name in [*spec.leads, *spec.supporting, *spec.implementers] if _CUT_LEVEL.match(name))
    doubts = [*spec.doubts, *(_cut_doubt("leads" if name in spec.leads else "supporting", name) for name in cut)]
    doubts += [_doubt("leads", name) for name in leads if _doubtful(name)]
    doubts += [_doubt("supporting", name) for name in supporting + implementers if _doubtful(name)]
    return OwnerSpec(leads, supporting, spec.all_co_lead, raw, implementers, tuple(doubts), stated)


def _doubtful(name: str) -> bool:
    bare = re.sub(r"（[^）]*）|“[^”]*”", "", name)
    return bool(_ROLE_WORDS.search(bare) or _RUN_TOGETHER.search(bare)) or len(bare) > _NAME_MAX or len(name) < 2


def _cut_doubt(field: str, name: str) -> Doubt:
    return Doubt(field, f"「{name}」只写了行政层级，单位名称可能被截断，请核对并补全", name)


def _doubt(field: str, name: str) -> Doubt:
    return Doubt(field, f"「{name}」未能可靠拆分为单位名称，请核对并改为一个或几个单位", name)


# --- text ---------------------------------------------------------------------------------------


def _clean(raw: str | None) -> str:
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", raw)
    # A line break inside a cell falls inside a word; a space may separate names (002).
    text = re.sub(r"[\r\n]+", "", text)
    text = unbracket_labels(fold_punct(text)).replace("\u00a0", " ").replace("\u3000", " ")
    text = re.sub(r" {2,}", " ", text).strip(" 。；，")
    while len(text) >= 2 and text[0] in "〔（" and text[-1] in "〕）" and _balanced(text[1:-1]):
        text = text[1:-1].strip(" 。；，")
    return text


def _without_conventions(text: str) -> tuple[str, str | None]:
    """The owner text without clauses stating the document's convention, and the convention."""
    if not text or not any(word in text for word in _CONVENTION_HINTS):
        return text, None
    stated = owner_convention(text)
    # …负责落实。以下均需各县政府落实，区政府无相关职能的，由市直部门负责，不再列出: a sentence announcing
    # what holds for the tasks after this one names none of this task's owners.
    text = _ANNOUNCEMENT.sub("", text).strip(" ，；。")
    # A／B（列第一位的为牵头单位）: the convention in brackets after the names
    text = _ENCLOSED.sub(lambda m: "" if _states_convention(m.group(0)[1:-1]) else m.group(0), text).strip(" ，；")
    clauses = _clauses(text)
    kept = [clause for clause in clauses if not (_CONVENTION.search(clause) or _NOT_OWNERS.match(clause))]
    if len(kept) == len(clauses):
        return text, stated
    return "，".join(kept), stated


def _states_convention(text: str) -> bool:
    return bool(_CONVENTION.search(text) or _NOT_OWNERS.match(text.strip()))


def _urging(text: str) -> str:
    """A督促B落实…: A answers for the work (as A负责) and B, the unit urged, at most supports (B配合); 督促B落实
    after another clause (A牵头，督促B落实) or alone names B supporting only. A 督促 inside brackets is a gloss, left
    as is."""
    if "督促" not in text:
        return text
    # 市生态环境局（督促各县（市、区）落实）: a bracket opening with 督促 after a unit is no part of its name but what
    # the unit does, read as the clause after it (A，督促B落实): A keeps the place the list gives it, B supports.
    text = _URGING_GLOSS.sub(lambda m: f"，{m['urging']}" if _urges_someone(m["urging"]) else m[0], text)
    pieces = re.split(r"([，；。]+)", _protect(text))  # clauses and the separators between them, kept
    for index in range(0, len(pieces), 2):
        clause = _show(pieces[index])
        match = _URGING.match(clause.strip())
        if match is None:
            continue
        urger, urged = match["urger"], match["urged"]
        if (verb := _URGED_WORK.search(urged)) is not None:
            urged = urged[: verb.start()]
        names = [name for name in split_names(urged) if looks_like_unit(_COUNT.sub("各", name))]
        if urger and names and SUPERVISOR.search(urger.split("：")[-1]):
            parts = [f"{'、'.join(names)}负责"]  # the supervisor is no owner of the work it checks
        elif "：" in urger and "牵头" in urger.split("：")[0]:
            # 牵头单位：A督促B落实: the label names who leads, A; the units urged at most support
            parts = [urger, f"{'、'.join(names)}配合"] if names else [urger]
        elif "：" in urger:
            # 责任单位：A督促B落实: a list after its label, A named first (the label says their roles)
            parts = ["、".join([urger, *names])]
        else:
            parts = [f"{urger}负责"] if urger else []
            parts += [f"{'、'.join(names)}配合"] if names else []
        pieces[index] = _protect("，".join(parts)) if parts else pieces[index]
    return _show("".join(pieces))


def _together(text: str) -> str:
    """A会同B(负责): A leads and B works with it, as A牵头，B配合."""
    if "会同" not in text:
        return text
    return _TOGETHER.sub(lambda m: f"{m['lead']}牵头，{m['with']}配合", text)


def _clauses(text: str) -> list[str]:
    """Clauses split at ，；。 outside parentheses and quotes."""
    return [_show(part).strip(" ") for part in _CLAUSE_SEPARATORS.split(_protect(text)) if part.strip(" ")]


def _has_clause(text: str) -> bool:
    return any(_CLAUSE.match(clause) for clause in _clauses(text))


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"（": 1, "）": -1, "〔": 1, "〕": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _protect(text: str) -> str:
    """Hide separators that belong to a name: inside （）/“” and inside known compound names."""
    if "（" not in text and "“" not in text:
        return text  # nothing to hide: the compounds all have a parenthesis
    for pattern in _COMPOUNDS:
        text = pattern.sub(lambda m: m.group(0).replace("、", _HIDDEN["、"]), text)
    # Innermost first, so （含高新区（东区）、滨湖新区） is hidden whole.
    while True:
        hidden = _ENCLOSED.sub(
            lambda m: m.group(0).translate(_HIDE).replace("（", "\u0005").replace("）", "\u0006"), text
        )
        if hidden == text:
            return hidden.replace("\u0005", "（").replace("\u0006", "）")
        text = hidden


_SHOW = str.maketrans(_SHOWN)


def _show(text: str) -> str:
    return text.translate(_SHOW)


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
