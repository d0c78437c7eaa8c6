"""Extract stage: measures — concrete actions in practice and plan sections, one per action clause."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..types import Mention
from .lexicon import Lexicon
from .localities import localities
from .practices import clean_name
from .segment import Token
from .shortfall import states_shortfall
from .spans import split_clauses, split_sentences

# A clause is a measure when, once its enumerator (一是, (二)), subject (我市, 县委) and adverbs are
# stripped, an action verb leads it, directly or after a prepositional phrase (对18个…村进行集中整顿,
# 从…机关选派30名干部…). Its label is that clause, at most MAX_LABEL_CHARS characters.
# "other" covers sections whose heading has no cue word (a report titled by topic, "扩大…覆盖"): they
# mostly tell what was done; problem and background sections do not.
MEASURE_ROLES = ("practice", "plan", "other")
MAX_LABEL_CHARS = 30
MIN_LABEL_CHARS = 5
# A longer clause is cut where a next action starts; one with no such place is kept whole up to this length.
MAX_WHOLE_LABEL_CHARS = 48
PREPOSITION_REACH = 24
MAX_ACTOR_CHARS = 12
# A clause opening with one of these and ending in a word for a rule or a plan states the basis of the action
# that follows (按照县委要求, 根据…的思路), not an action.
BASIS_PREPOSITIONS = ("按照", "根据", "依据", "依照", "遵照", "遵循", "本着", "结合")
BASIS_END = re.compile(r"(?:要求|部署|精神|思路|原则|标准|规定|安排|意见|指示|办法|方针|目标|思想|决定"
                       r"|实际|情况|特点|实情)[\s,，]*$")
# The last characters of a place's name acting as a subject (柳湾村, 东风社区, 城关镇, 化隆县, 望岳街道).
PLACE_ENDS = frozenset("村区镇乡道县市旗州")
_ACTOR_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9×]+")
_CN_DIGIT = "[一二三四五六七八九十]"
ENUMERATOR = re.compile(rf"\(?(?:{_CN_DIGIT}|\d){{1,2}}[)、.](?!\d)\s*|{_CN_DIGIT}[是要]|第{_CN_DIGIT}{{1,2}}[,、]?")
# A clause ending like this names a topic or a circumstance, not an action taken.
NOT_ACTION_ENDS = (
    "的同时",
    "之际",
    "过程中",
    "的关键",
    "的意见",
    "的建议",
    "意见和建议",
    "的要求",
    "的现实",
    "的现状",
    "的情况",
    "的问题",
    "的重要性",
    "的意义",
    "的目的",
    "的必然要求",
    "的话",
    "情况下",
    "前提下",
    "条件下",
    "背景下",
    "形势下",
)
# … or ending in an outcome the action brought (开创抓党建促业务的良好局面, 营造比学赶超的浓厚氛围), or in a change
# told by its degree, with nothing it acts on after it (组织力明显增强, 群众满意度大幅提升).
_OUTCOME_END = re.compile(r"的[\u4e00-\u9fff]{0,4}(?:局面|格局|氛围|态势|新貌)$"
                          r"|(?:明显|显著|大幅|大大|稳步|进一步|有效|持续|不断)(?:得到)?"
                          r"(?:增强|提升|提高|改善|加强|增加|扩大|好转|减少|下降|降低|激发|凸显|彰显)$"
                          r"|(?:取得|收到|见到)了?[\u4e00-\u9fff]{0,4}(?:成绩|成效|效果|实效|进展|突破)$")


def states_outcome(clause: str) -> bool:
    """True when a clause tells what an action brought about rather than the action.

    >>> states_outcome("组织力明显增强"), states_outcome("形成抓党建促业务的良好局面")
    (True, True)
    >>> states_outcome("进一步增强党组织组织力"), states_outcome("推行积分制管理")
    (False, False)
    >>> states_outcome("这项工作在帮扶方面取得了显著成绩"), states_outcome("取得实效")
    (True, True)
    """
    return bool(_OUTCOME_END.search(clause.strip().rstrip("。；;，,.")))
# … or ending in a place or circumstance of something (选拔村干部的标准中, 推进…的基础上): 的 + noun + 中/上.
_LOCATIVE_END = re.compile(r"的[\u4e00-\u9fff]{1,6}(?:中|之中|当中|里|内|上)$")
# … unless the verb puts something there (落实到…的岗位上, 纳入…的考核中, 把党支部建在…的产业链上).
# A verb with its complement of place (落实到, 纳入, 建在) or a disposal (把, 将); single characters would match
# inside words (推进, 收入).
_COMPLEMENT = re.compile(r"[把将]|(?:落实|落|建|纳|融|列|写|放|延伸|下沉|覆盖|深入|扩展|推广)(?:到|入|在|进|于)")
# … or only stating the field an action is in (在规范组织生活方面, 在党员教育上, 在党费收缴、党徽佩戴、组织关系转接等
# 日常工作中): 在 … 方面/领域/上/中.
_SCOPE = re.compile(r"^在[^，,]{2,40}(?:方面|领域|层面|上|中)$")
# A clause opening like this states what follows from the action before it (从而使…, 进而推动…), not an action.
RESULT_OPENERS = ("从而", "进而", "使得", "以便", "以期")
# A clause ending like this before a comma tells when the next one happens (推行院坝议事以后,…): the action is
# what precedes it. Not a word ending in 后 (落后, 善后, 事后, 争先恐后).
_AFTER = re.compile(r"(?:以后|之后|(?<![落滞背最今此然善事恐随先前以之])后)$")


def _skip_leaders(text: str, pos: int, end: int, lexicon: Lexicon) -> int:
    """Position after the enumerators, subjects and adverbs that open the clause at `pos`."""
    leaders = lexicon.starter("measure_lead")
    while pos < end:
        match = ENUMERATOR.match(text, pos, end)
        if match and match.end() > pos:
            pos = match.end()
            continue
        word = leaders.match(text, pos, end - 1)  # a leader that leaves at least one character
        if word is None:
            return pos
        pos = word.end()
    return pos


def _verb_at(text: str, pos: int, lexicon: Lexicon, starts: Mapping[int, str] | None = None) -> str | None:
    """The action verb at `pos`; given word `starts` (start → POS flag), one that begins a word, not a noun."""
    if starts is not None and starts.get(pos, "vn") == "vn":
        return None
    verb = lexicon.starter("action_verb").match(text, pos)
    return verb.group() if verb else None


def _action_start(
    text: str, pos: int, end: int, lexicon: Lexicon, starts: Mapping[int, str] | None
) -> tuple[int, str] | None:
    """(start, verb) of the action that leads the clause body at `pos`, if one does."""
    verb = _verb_at(text, pos, lexicon)
    if verb:
        return pos, verb
    found = lexicon.starter("preposition").match(text, pos)
    if not found:
        return None
    preposition = found.group()
    if preposition in BASIS_PREPOSITIONS and BASIS_END.search(text, pos, end):
        return None  # 按照…要求, 根据…的思路: what the action follows, stated before the action itself
    for i in range(pos + len(preposition) + 1, min(end, pos + PREPOSITION_REACH)):
        verb = _verb_at(text, i, lexicon, starts)
        if verb and text[i - 1] not in "的之":
            return pos, verb
    return None


def _counted_things(lexicon: Lexicon) -> re.Pattern:
    """A clause ending "…的 + noun + number + unit" counts the things that did the action (建立党组织的社会
    组织321个: 321 organisations that have one): a statistic, not an action taken."""

    def build() -> str:
        unit = lexicon.alternation("unit_multiplier") + "?" + lexicon.alternation("unit")
        return rf"的[^的,，、]{{1,12}}?\d+(?:\.\d+)?\s*(?:多|余)?{unit}$"

    return lexicon.pattern("measure:counted", build)


def _label(text: str, start: int, end: int, verb: str, lexicon: Lexicon) -> str | None:
    """The clause as a label: quotes removed, 了 after the verb dropped, cut at 、/和 when too long."""
    label = clean_name(text[start:end]).rstrip(".")
    if text[end:end + 1] in ",，":
        label = _AFTER.sub("", label)
    if label.endswith("的"):
        return None  # a relative clause cut from its noun (新增事项需要街道承担的)
    if "是" in label[len(verb) :] or label.endswith(NOT_ACTION_ENDS) or states_outcome(label) \
            or _counted_things(lexicon).search(label):
        return None
    if (_LOCATIVE_END.search(label) and not _COMPLEMENT.search(label, 1)) or _SCOPE.match(label):
        return None
    if states_shortfall(label, verb):  # 组织活动不经常: a problem mention, not a measure
        return None
    label = re.sub(f"^(.{{0,{PREPOSITION_REACH}}}?{re.escape(verb)})了", r"\1", label, count=1)
    if len(label) > MAX_LABEL_CHARS:
        # cut where the next action starts (建立…、开展…; …并…), not inside a list of what it acts on
        # (推动在美团、饿了么等平台建立党支部 is one action)
        words = {t.start: t for t in lexicon.segmenter.tokens(label)}
        starts = {at: t.flag for at, t in words.items()}
        cuts = [i for i in range(len(verb) + 3, min(len(label), MAX_LABEL_CHARS)) if i in words
                and (words[i].word == "并" or words[i].word in ("、", "和", "及")
                     and _verb_at(label, i + 1, lexicon, starts))]
        if cuts:
            label = label[: cuts[-1]]
        elif len(label) > MAX_WHOLE_LABEL_CHARS:
            return None
    return label if len(label) >= MIN_LABEL_CHARS and len(label) - len(verb) >= 3 else None


def _pieces(text: str, start: int, end: int, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Split a clause at 、 when every piece is itself an action (建立…、开展…)."""
    cuts = [start] + [i + 1 for i in range(start, end) if text[i] == "、"] + [end + 1]
    pieces = [(a, b - 1) for a, b in zip(cuts, cuts[1:], strict=False)]
    if len(pieces) > 1 and all(_verb_at(text, _skip_leaders(text, a, b, lexicon), lexicon) for a, b in pieces):
        return pieces
    return [(start, end)]


def _count(label: str, lexicon: Lexicon) -> dict:
    """The first number with a unit in the label, as `count` and `count_unit`."""

    def build() -> str:
        unit = lexicon.alternation("unit_multiplier") + "?" + lexicon.alternation("unit")
        return rf"(\d+(?:\.\d+)?)\s*(?:多|余)?({unit})"

    match = lexicon.pattern("measure:count", build).search(label)
    if not match:
        return {}
    return {"count": float(match.group(1)), "count_unit": match.group(2)}


def _skip_actor(text: str, pos: int, end: int, lexicon: Lexicon, starts: Mapping[int, str] | None) -> int | None:
    """Position of the action after a subject that names who acts ("某村党支部还建立了…", "支部书记带头领办…"):
    at most MAX_ACTOR_CHARS word characters ending, on a word boundary, with an actor word (党支部, 公司, 村),
    then adverbs, then an action verb or a preposition. None when the clause does not open so."""
    heads = lexicon.word_set("actor_head")
    longest = max(map(len, heads), default=0)
    stop = min(end, pos + MAX_ACTOR_CHARS)
    for cut in range(stop, pos + 1, -1):  # the longest subject first
        if not _ACTOR_CHARS.fullmatch(text, pos, cut) or (starts is not None and cut not in starts):
            continue
        if not any(text[cut - n : cut] in heads for n in range(1, longest + 1) if cut - n >= pos) \
                and not _names_place(text[pos:cut], lexicon):
            continue
        after = _skip_leaders(text, cut, end, lexicon)
        action = _action_start(text, after, end, lexicon, starts)
        if action and not text.startswith("的", action[0] + len(action[1])):  # "部署的任务" names no action
            return after
    return None


def _names_place(subject: str, lexicon: Lexicon) -> bool:
    """A subject that is a place's name (柳湾村, 东风社区, 城关镇, 化隆县): the place acts through its organs
    ("柳湾村建立了…"). A word that only ends like a place (美丽乡村, 城市社区) is none."""
    if subject[-1] not in PLACE_ENDS:
        return False
    if any(subject.endswith(name) for name in _county_names(subject, lexicon)):
        return True
    found = localities(subject, lexicon.segmenter.tokens(subject), lexicon)
    return bool(found) and found[-1].end == len(subject)


def _county_names(subject: str, lexicon: Lexicon) -> list[str]:
    """The gazetteer's full names that `subject` ends with."""
    return [subject[-n:] for n in lexicon.gazetteer.name_lengths if n <= len(subject)
            and subject[-n:] in lexicon.gazetteer.by_name]


def _states_a_purpose(text: str, pos: int, lexicon: Lexicon, starts: Mapping[int, str] | None) -> bool:
    """A clause opening with 为了 or 为 + a verb ("为适应…趋势,应加大…") states what the next clause is for;
    为 + who benefits ("为党员搭建平台") is an action."""
    if text.startswith("为了", pos):
        return True
    if not text.startswith("为", pos):
        return False
    return _verb_at(text, pos + 1, lexicon) is not None or (starts or {}).get(pos + 1, "").startswith("v")


def _clause_measures(
    text: str, start: int, end: int, lexicon: Lexicon, starts: Mapping[int, str] | None, last: bool = True
) -> list[Mention]:
    body = _skip_leaders(text, start, end, lexicon)
    if (not last and _states_a_purpose(text, body, lexicon, starts)) or text.startswith(RESULT_OPENERS, body):
        return []
    found = _action_start(text, body, end, lexicon, starts)
    if not found:
        after = _skip_actor(text, body, end, lexicon, starts)
        found = _action_start(text, after, end, lexicon, starts) if after is not None else None
    if not found:
        return []
    out = []
    for piece_start, piece_end in _pieces(text, found[0], end, lexicon):
        piece_start = _skip_leaders(text, piece_start, piece_end, lexicon)
        action = _action_start(text, piece_start, piece_end, lexicon, starts)
        label = _label(text, piece_start, piece_end, action[1], lexicon) if action else None
        if label:
            attributes = {"verb": action[1], **_count(label, lexicon)}
            out.append(Mention("measure", label, text[piece_start:piece_end], piece_start, piece_end, attributes))
    return out


def _link(measure: Mention, practices: list[Mention]) -> Mention:
    inside = [p for p in practices if p.start < measure.end and measure.start < p.end]
    if not inside:
        return measure
    attributes = {**measure.attributes, "practice": inside[0].name}
    return Mention(measure.type, measure.name, measure.surface, measure.start, measure.end, attributes)


def extract_measures(
    text: str,
    role: str,
    lexicon: Lexicon,
    practices: list[Mention] | None = None,
    tokens: list[Token] | None = None,
) -> list[Mention]:
    """Measure mentions of a passage in a practice or plan section; other roles give none."""
    if role not in MEASURE_ROLES or not text:
        return []
    tokens = lexicon.segmenter.tokens(text) if tokens is None else tokens
    starts = {t.start: t.flag for t in tokens}
    practices = [p for p in practices or [] if p.type == "practice"]
    out = []
    for sentence in split_sentences(text):
        clauses = split_clauses(text, *sentence)
        for i, (start, end) in enumerate(clauses):
            last = i == len(clauses) - 1
            out.extend(_link(m, practices) for m in _clause_measures(text, start, end, lexicon, starts, last))
    return out


def states_basis(clause: str) -> bool:
    """Whether a clause only states the basis of the action that follows it, maybe after who acts (按照县委统一
    部署, 某市根据上级要求): a basis preposition within MAX_ACTOR_CHARS of its start, a word for a rule or plan
    at its end.

    >>> states_basis("某市按照省委组织部要求"), states_basis("按照“四邻联动”建立台账")
    (True, False)
    >>> states_basis("结合本村实际"), states_basis("根据群众反映的情况"), states_basis("结合主题党日开展志愿服务")
    (True, True, False)
    """
    at = min((clause.find(p) for p in BASIS_PREPOSITIONS if p in clause), default=-1)
    return 0 <= at <= MAX_ACTOR_CHARS and BASIS_END.search(clause) is not None
