"""Line shapes of Chinese work reports: numbered headings, unnumbered headings, title lines, section roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.types import ROLES

_NUM = "一二三四五六七八九十"
# 一、 as written; 一, where a converter turned the enumeration comma into a half-width comma.
# A post's parts numbered 01, 02… with the heading run on (01刚来那天, 02 | 先当学生). Such a number also opens a
# table's row, a building's or a group's number, a count or a date (02栋, 05年), so only a short line with no
# sentence end that the number heads is a heading (classify_line), and never before a unit or a date's part.
_L1 = re.compile(rf"^\s*(?:([{_NUM}]{{1,3}})\s*(?:[、.．]|,(?!\d))|第([{_NUM}]{{1,3}})(?:部分|章|节|篇)\s*|"
                 r"0([1-9])(?![年月日时点号版期级届后栋楼层室组户名个万元])\s*[、.．|丨]?\s*(?=[\u4e00-\u9fff“]))")
_L2 = re.compile(rf"^\s*\(([{_NUM}]{{1,3}})\)\s*")
_L3 = re.compile(r"^\s*(?:(\d{1,2})\s*[、．](?!\d)|(\d{1,2})\.(?!\d)\s*|\((\d{1,2})\)\s*)")
_SENTENCE_END = re.compile(r"[。!?;！？；]")
_INLINE_HEAD = re.compile(r"^(.{2,40}?)[。:;!?](?![”\"])")
_TITLE_TAIL = re.compile(
    r"(报告|讲话|发言|思考|总结|汇报|材料|综述|浅析|浅谈|探析|探讨|研究|体会|心得|调查|调研|纪实|"
    r"经验|做法|启示|情况|方案|意见|通知|稿|讲稿|对策|建议|实践|探索|要点|细则|纪要"
    # 某镇驻村工作队管理办法(试行): rules in force on trial (not 严格执行中央八项规定, a line of a report)
    r"|(?:办法|规定|规则|条例|准则)[(（](?:试行|暂行|修订|修订稿|征求意见稿|草案)[)）])$"
)
_TITLE_HEAD = re.compile(r"^(关于|在|浅谈|浅析|论|试论|对)")
_MAX_TITLE = 40
_MAX_HEADING = 30
# A heading in two halves set apart by one comma, each half of at least _HALF_HEADING Chinese characters and
# quotation marks, none a sentence's end (支部领办合作社,把荒山“盘”起来).
_HALF_HEADING = 5
_TWO_HALVES = re.compile(rf"[\u4e00-\u9fff“”]{{{_HALF_HEADING},}},[\u4e00-\u9fff“”]{{{_HALF_HEADING},}}")
# A page collecting several reports (a download site's model texts) marks each one: 篇一:, 【篇二】, 第三篇:,
# 范文四, with the report's title after the marker or on the next line.
_COLLECTION = re.compile(
    rf"^\s*(?:【\s*)?(?:篇\s*[{_NUM}]{{1,3}}|第[{_NUM}]{{1,3}}篇|(?:范文|案例)\s*[{_NUM}\d]{{1,3}})(?:\s*】)?\s*[:、.．]?\s*")


@dataclass(frozen=True)
class Line:
    """One line of normalised text with its shape."""

    start: int
    end: int
    text: str
    level: int  # 0 body, 1..3 heading level
    number: int  # the heading's ordinal (一 = 1), 0 when unnumbered
    head_end: int  # for headings, where the heading text ends inside the line (inline headings)


def chinese_numeral(text: str) -> int:
    """Value of a small Chinese numeral.

    >>> chinese_numeral("十二"), chinese_numeral("三"), chinese_numeral("二十")
    (12, 3, 20)
    """
    digits = {c: i + 1 for i, c in enumerate(_NUM)}
    if "十" not in text:
        return digits.get(text, 0)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _heading_end(text: str, prefix: int) -> int:
    """Where an inline heading stops: its first sentence, if short, else the whole short line."""
    body = text[prefix:]
    if len(body) <= 2 * _MAX_HEADING and not _SENTENCE_END.search(body[:-1]):
        return len(text)
    match = _INLINE_HEAD.match(text[prefix:])
    if match:
        return prefix + len(match.group(1))
    return -1


def numbering_end(text: str, levels: int = 3) -> int:
    """Where the number of a numbered heading ends (一、 or 一, and 第一部分; then (一); then 1. and (1)), looking
    at the first `levels` of these; 0 when the line opens none.

    >>> numbering_end("二、主要做法"), numbering_end("(三)强化保障"), numbering_end("第一书记")
    (2, 3, 0)
    >>> numbering_end("1. 构建格局"), numbering_end("1. 构建格局", levels=2)
    (3, 0)
    >>> numbering_end("02先当学生,把脚板走热"), numbering_end("03 | 办好第一件实事"), numbering_end("05年以来")
    (2, 5, 0)
    """
    for pattern in (_L1, _L2, _L3)[:levels]:
        match = pattern.match(text)
        if match:
            return match.end()
    return 0


def is_unnumbered_heading(text: str, next_text: str) -> bool:
    """A short line without sentence punctuation followed by a longer body line.

    >>> is_unnumbered_heading("主要做法", "村党支部推行积分制管理，每月公示一次，党员参与明显增多。")
    True
    >>> is_unnumbered_heading("联系电话:0797-1234567", "村党支部推行积分制管理，每月公示一次，党员参与明显增多。")
    False
    >>> body = "转机出现在新一届村“两委”班子上任后,村里开始统一经营荒山。"
    >>> is_unnumbered_heading("支部领办合作社,把荒山“盘”起来", body), is_unnumbered_heading("近年来,我们坚持", body)
    (True, False)
    """
    t = text.strip()
    if _TWO_HALVES.fullmatch(t):
        t = t.replace(",", " ", 1)  # a heading in two halves (支部领办合作社,把荒山“盘”起来)
    if not 2 <= len(t) <= _MAX_HEADING or re.search(r"[。,;!?:、,]$|[。;!?,]", t):
        return False
    if re.fullmatch(r"[\d\s.\-:/年月日]+", t):
        return False
    label = re.search(r"[:：]", t)
    if label and not re.search(r"[\u4e00-\u9fff]", t[label.end():]):
        return False  # a form's field and its value (联系电话:0797-1234567, 编号:XXXX), not a heading
    return len(next_text.strip()) > len(t) + 10


def names_report_kind(text: str) -> bool:
    """Whether a phrase ends in the kind of text it titles (讲话, 调研报告, 工作总结…), as a title does.

    >>> names_report_kind("在基层党建推进会上的讲话"), names_report_kind("推行积分制管理")
    (True, False)
    """
    return bool(_TITLE_TAIL.search(text.strip()))


# A section numbered as papers number them, 2 or 2.1 then its heading (2 “网格+党小组”模式的主要做法): no title
# line, and on a short line without a sentence's end a heading; not a count (12个村, 3名党员) nor a date.
_PAPER_HEADING = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,2})\s*(?=[\u4e00-\u9fff“])"
                            r"(?![年月日号期届个名人户项次万元岁支家座所件条处天小点分倍])")


def is_title_line(text: str) -> bool:
    """A line shaped like a report's title: short, unpunctuated, naming a kind of report.

    >>> is_title_line("柳湾县推行积分制管理的主要做法"), is_title_line("2 “网格+党小组”模式的主要做法")
    (True, False)
    """
    t = text.strip().strip("《》")
    if not 6 <= len(t) <= _MAX_TITLE or _SENTENCE_END.search(t) or "," in t:
        return False
    if _L1.match(t) or _L2.match(t) or _L3.match(t) or _PAPER_HEADING.match(t):
        return False
    return bool(_TITLE_TAIL.search(t)) and (len(t) >= 10 or bool(_TITLE_HEAD.match(t)))


# A news item's title led by its place and a colon (青石镇:“红色管家”打通服务群众最后一米), as digests and news
# lists print several items one after another.
_PLACE_HEADLINE = re.compile(
    r"^[\u4e00-\u9fff]{1,10}(?:省|市|县|区|旗|盟|州|镇|乡|街道|社区|村)\s*[:：]\s*(?P<head>[^。;!?；！？]{4,30})$")


def is_place_headline(text: str) -> bool:
    """A short news title led by a place and a colon, not a sentence (no sentence punctuation, no comma).

    >>> is_place_headline("青石镇:“红色管家”打通服务群众最后一米"), is_place_headline("青石镇:积极推进,成效明显")
    (True, False)
    """
    match = _PLACE_HEADLINE.match(text.strip())
    return bool(match) and "," not in match.group("head")


# The ends of a county's, city's or province's name: a digest's items come from such places, while a report that
# lists what its towns and villages did (一、城关镇:…) numbers places below the county.
_DIVISION_END = re.compile(r"(?:省|市|县|区|旗|盟|州)\s*[:：]")


def numbered_place_item(text: str) -> bool:
    """A numbered news title led by a county, city or province and a colon (1. 青石县:“一表通”让村干部减负), as a
    digest numbers its items.

    >>> numbered_place_item("1. 青石县:“一表通”让村干部减负"), numbered_place_item("2. 东湖区:党员“下网格”,服务到家")
    (True, True)
    >>> numbered_place_item("一、城关镇:推行积分制管理"), numbered_place_item("青石县:“一表通”让村干部减负")
    (False, False)
    """
    end = numbering_end(text)
    if not end:
        return False
    rest = text[end:].strip()
    match = _PLACE_HEADLINE.match(rest)
    return bool(match) and bool(_DIVISION_END.search(rest[: match.start("head")]))


# A digest's item headed by its place in brackets (【某区】全市首个外卖骑手联合党支部成立), or by the departments
# directly under a city or county (【市直】): the label ends as a place's name ends.
_BRACKETED_ITEM = re.compile(r"^【(?P<label>[\u4e00-\u9fff]{1,8}?(?:省|市|县|区|旗|州|盟|镇|乡|街道)|[省市县区]直)】\s*"
                             r"(?P<head>[^。;!?；！？]{6,40})$")


def bracketed_place_item(text: str) -> bool:
    """A news title after its place in brackets, as digests print their items.

    >>> bracketed_place_item("【柳湾区】全市首个骑手党支部成立"), bracketed_place_item("【市直】红色骑手变身探头")
    (True, True)
    >>> bracketed_place_item("【主要做法】"), bracketed_place_item("【党课讲稿】咱们村的党员,要让群众看得见")
    (False, False)
    """
    return bool(_BRACKETED_ITEM.match(text.strip()))


def run_on_place_headline(text: str) -> str:
    """The place-led headline opening a paragraph, with the item's text run on after its full stop, else "".

    >>> run_on_place_headline("石桥县:“冬闲夜校”点亮黑土地。入冬以来,石桥县利用农闲开办夜校。")
    '石桥县:“冬闲夜校”点亮黑土地'
    >>> run_on_place_headline("石桥镇:推行积分制,成效明显。"), run_on_place_headline("石桥县:“冬闲夜校”点亮黑土地")
    ('', '')
    """
    head, stop, rest = text.strip().partition("。")
    return head if stop and rest.strip() and is_place_headline(head) else ""


def collection_marker_end(text: str) -> int:
    """Where the marker of one report in a collection ends (篇一:, 【篇二】, 第三篇:, 范文四, 案例二:), when the line
    holds the marker alone or the marker and a title (no sentence, at most _MAX_TITLE characters); else 0.

    >>> collection_marker_end("篇一:关于加强社区党建工作的调研报告"), collection_marker_end("【篇二】")
    (3, 4)
    >>> collection_marker_end("第一篇:学校实施培育工程,成效明显。"), collection_marker_end("第一书记驻村")
    (0, 0)
    >>> collection_marker_end("第一篇 基本情况"), collection_marker_end("第二篇:某高校教工党支部工作总结")
    (0, 4)
    >>> collection_marker_end("案例二:柳湾村“积分超市”激活乡村治理"), collection_marker_end("案例分析")
    (4, 0)
    """
    match = _COLLECTION.match(text)
    if not match:
        return 0
    rest = text[match.end():].strip()
    if len(rest) > _MAX_TITLE or _SENTENCE_END.search(rest) or "," in rest:
        return 0
    if match.group().lstrip(" 【").startswith("第") and not is_title_line(rest):
        return 0  # 第一篇 基本情况: a part of one report; 第一篇:…调研报告 is a report of a collection
    return match.end()


def classify_line(start: int, text: str, next_text: str) -> Line:
    """Shape one line: heading level and number, or body (a collection's report marker is no heading: it
    opens a report)."""
    if collection_marker_end(text):
        return Line(start, start + len(text), text, 0, 0, 0)
    for level, pattern in ((1, _L1), (2, _L2), (3, _L3)):
        match = pattern.match(text)
        if not match:
            continue
        if level == 1 and match.group(3) and (_SENTENCE_END.search(text) or len(text) > _MAX_HEADING):
            continue  # 01 村党支部推行积分制管理。: a numbered row or item, not a post's part
        raw = next(g for g in match.groups() if g)
        number = int(raw) if raw.isdigit() else chinese_numeral(raw)
        end = _heading_end(text, match.end())
        if end > 0:
            return Line(start, start + len(text), text, level, number, end)
    paper = _PAPER_HEADING.match(text)
    if paper and len(text) <= _MAX_HEADING and not _SENTENCE_END.search(text):
        # a paper's section (2 主要做法, 2.1 以网格为单元…): its depth is the number of its parts
        level = min(paper.group(1).count(".") + 1, 3)
        return Line(start, start + len(text), text, level, int(paper.group(1).split(".")[-1]), len(text))
    if is_unnumbered_heading(text, next_text):
        return Line(start, start + len(text), text, 1, 0, len(text))
    return Line(start, start + len(text), text, 0, 0, 0)


# sections.tsv's line of verbs that act on a problem: a problem cue after one of them in a heading is the object
# of an action ("破解…难题", "补齐短板"), and the heading tells what was done, not what went wrong.
ACTING = "acting"
# A heading's later clause telling what its action brings about (…，让矛盾化下去; …，使难题得到解决).
_RESULT_CLAUSE = re.compile(r"[,，;；]\s*(?:让|使(?![命用者馆]))[^,，;；]*")  # not 使命担当不足


# 把/将 opening the clause that holds a problem word: the object is set before the verb acting on it (把矛盾化解在基层).
_DISPOSAL = re.compile(r"(?<![即必终])[把将](?![关握手])[^,，;；]*$")  # not 即将, 把关


@dataclass(frozen=True)
class RoleCues:
    """Cue words for section roles, read from the lexicon's sections.tsv."""

    cues: tuple[tuple[str, str], ...]  # (cue, role)
    acting: tuple[str, ...] = ()  # verbs acting on a problem (ACTING)

    def role_of(self, heading: str) -> str | None:
        """The role of the cue that appears last in a heading, or None without a cue; a problem cue that an
        acting verb stands before makes the heading a practice.

        A clause telling what the action is to bring about (开展…，让矛盾化下去) gives no role: its problem word is
        what the action ends.

        >>> roles = (("问题", "problem"), ("难题", "problem"), ("措施", "plan"), ("矛盾", "problem"))
        >>> cues = RoleCues(roles, ("破解",))
        >>> cues.role_of("存在的主要问题"), cues.role_of("着力破解发展难题"), cues.role_of("存在问题及整改措施")
        ('problem', 'practice', 'plan')
        >>> cues.role_of("开展积案清零行动,让矛盾化下去"), cues.role_of("矛盾突出,让群众不满")
        (None, 'problem')
        >>> cues.role_of("理想信念有所淡化,使命担当不够,矛盾较多")
        'problem'
        >>> cues.role_of("红色安全哨,把矛盾破解在萌芽"), cues.role_of("将问题清单交给支部")
        ('practice', 'problem')

        """
        heading = _RESULT_CLAUSE.sub("", heading)
        best: tuple[int, int, str] | None = None  # (end, start, role)
        for cue, role in self.cues:
            pos = heading.rfind(cue)
            if pos >= 0 and (best is None or pos + len(cue) > best[0]):
                best = (pos + len(cue), pos, role)
        if best is None:
            return None
        if best[2] == "problem" and any(verb in heading[: best[1]] for verb in self.acting):
            return "practice"
        # … and so does one after it when 把/将 set the problem before its verb (把隐患消除在萌芽)
        if best[2] == "problem" and _DISPOSAL.search(heading[: best[1]]) \
                and any(verb in heading[best[0] :] for verb in self.acting):
            return "practice"
        return best[2]


def load_role_cues(lexicon_dir: Path) -> RoleCues:
    """Read sections.tsv: role<TAB>space-separated cue words (and the ACTING line of verbs)."""
    cues, acting = [], []
    for line in (Path(lexicon_dir) / "sections.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        role, words = line.split("\t", 1)
        if role == ACTING:
            acting.extend(words.split())
            continue
        if role not in ROLES:
            raise ValueError(f"sections.tsv: unknown role {role!r}; valid roles: {', '.join(ROLES)}, or {ACTING}")
        cues.extend((w, role) for w in words.split())
    return RoleCues(tuple(cues), tuple(acting))
