"""Extract stage: practices — named methods and models, found from the language around them, not from a list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Mention
from .lexicon import Lexicon
from .programmes import programme_mentions
from .segment import Token
from .spans import (
    CLAUSE_ENDS,
    FUNCTION_CHARS,
    SENTENCE_ENDS,
    Quote,
    clause_before,
    clean_quotes,
    find_quotes,
    group_quotes,
    has_placeholder,
)

# Three sources: quoted terms classified by the verb before and the noun after them (推行“…”, “…”工程);
# number slogans (“两学一做”: numeral + word + numeral + word) and plus-schemes (“1+X”, “支部+协会”);
# names ending in a practice head (经验, 模式, 工作法) after a place's or a person's name (小岗村经验).
# Problem labels (“空壳村”, “两张皮”) and generic words are never practices.
NUMERALS = "一二三四五六七八九十两双百千万"
_N = f"[{NUMERALS}]"
_W = f"(?:(?![{NUMERALS}])[\u4e00-\u9fff])"
SLOGAN_SHAPES = (
    re.compile(f"{_N}{_W}{{1,3}}{_N}{_W}{{1,3}}(?:{_N}{_W}{{1,3}})?"),
    re.compile(f"{_N}个{_N}"),
    re.compile(f"{_N}级{_W}{{2}}"),
    re.compile(f"[二三四五六七八九十两双百千](?![个项类大条种]){_W}{{2,6}}"),
    re.compile(r"(?=.*\d)[\dA-Za-z]{1,3}(?:\+[\dA-Za-z]{1,3}){1,3}"),
    re.compile(f"{_W}{{1,8}}(?:\\+{_W}{{1,8}}){{1,4}}"),
)
SLOGAN_PREFIXES = (
    (re.compile(f"({_N}{_W}{{1,2}}{_N})({_W}{{1,3}})"), False),
    (re.compile(f"({_N}级)({_W}{{2}})"), True),
    (re.compile(r"(\d{1,2}\+)(\d{1,2}|[A-Za-z])"), True),
)
UNQUOTED_SLOGAN = re.compile(f"(?={_N}{_W}{{1,2}}{_N}{_W}|{_N}级{_W}{{2}}|\\d{{1,2}}\\+(?:\\d|[A-Za-z]))")
COUNTED_QUOTE = re.compile(f"(?<![{NUMERALS}第每])[二三四五六七八九十两]个")
# Unquoted names that the language marks without quotation marks: a count before a method's head
# (四步工作法, 三联工作法; not 三个/三项/三大, which count things) and the old formula of where a branch sits
# (支部建在连上).
COUNTED_HEAD = re.compile(
    f"(?<![{NUMERALS}\\d第每这那该])[二三四五六七八九十两双](?![个项类大条种名位年月天次])"
    f"{_W}{{1,2}}(?:工作法|模式|工程)"
)
BRANCH_PLACED = re.compile("(?:党支部|支部|党小组|党组织)建在[\\u4e00-\\u9fff]{1,4}上")
# Heads that say what kind of thing a name is, generic enough that a generic word before them names nothing.
KIND_HEADS = ("品牌", "平台", "项目")
VILLAGE_ENDS = ("村", "镇", "乡", "街道", "社区")
NAME_HEADS = ("工作法", "模式", "经验", "工程", "机制", "体系", "计划", "行动", "长廊", "治理法")
_HEAD_FIRSTS = frozenset(h[0] for h in NAME_HEADS)
# A head that jieba also knows as a verb (服务) and the words that, right after it, are its object.
VERB_FLAGS = ("v", "vn")
OBJECT_FLAGS = ("n", "nr", "ns", "nt", "nz", "r")
OBJECT_WINDOW = 4
MAX_TERM_CHARS = 24
LONG_TERM_CHARS = 16
CLAUSE_STOPS = CLAUSE_ENDS + SENTENCE_ENDS + "、)”"


@dataclass(frozen=True)
class _Head:
    kind: str
    gap: str
    word: str
    end: int
    listed: bool = False


@dataclass(frozen=True)
class _Context:
    verb: bool
    problem: bool
    negative: bool
    head: _Head | None
    closed: bool
    framed: bool = False
    changed: bool = False  # a change between the quotes follows them (推动“要我做”和“我要做”的转变)


def clean_name(text: str) -> str:
    """Canonical form of a name: quotation marks and spaces removed, inner commas written 、.

    >>> clean_name("“抓班子,带队伍”")
    '抓班子、带队伍'
    """
    return clean_quotes(text).replace(",", "、").strip("、")


def slogan_shape(term: str) -> bool:
    """True for number slogans and plus-schemes: 两学一做-, 五个一-, 三级联建-, “1+X”-shaped terms."""
    return any(shape.fullmatch(term) for shape in SLOGAN_SHAPES)


def is_problem_label(term: str, lexicon: Lexicon) -> bool:
    """True when a problem cue names the term (空壳村, 两张皮) and no remedy verb leads it (消除…)."""
    if not lexicon.problem_pattern.search(term):
        return False
    return not any(term.startswith(v) for v in lexicon.words("remedy_verb"))


# A count between a verb and what it sets up (打造1个“…”, 开展一次“…”, 建成一批“…”), and the 的 of a clause naming what
# someone set up (退休党员组建的“…”): the verb still acts on the quote.
# Who a thing is made of, between its verb and its quote: at most this many characters (由党员、网格员、景区保安组成的).
MAX_MAKERS_CHARS = 16
VERB_OBJECT_GAP = re.compile(r"(?:(?:\d+|[一二三四五六七八九十两几百千万]+)[个支家批项次场处座所条套期名位]|"
                             # … or who it is made of or led by (组建了由23名渔嫂组成的“…”)
                             rf"由[^，,。；;：:“”]{{1,{MAX_MAKERS_CHARS}}}(?:组成|构成|牵头|参加|参与)的|的)$")
# A count right after a quote (设立“党员先锋门诊”28个): it counts what the quote names, so the term ends there.
COUNT_AFTER = re.compile(r"\d+[个支家项处座所条套次场期名]")
# 以“…”为 followed by a word naming a means of the work (以“精文减会”为突破口, 以“红色驿站”为载体): the quote is
# that means.
FRAME_MEANS = tuple("为" + w for w in ("抓手", "载体", "突破口", "切入点", "平台", "纽带", "依托", "路径", "途径",
                                       "手段"))


def _ends_with_verb(left: str, lexicon: Lexicon, kind: str, quoted: bool = False) -> int:
    """The length of the verb of this kind ending `left` (past adverbs and 了, and before a quote past a count or 的:
    VERB_OBJECT_GAP), 0 when none does. Unquoted, a slogan needs its verb right before it: 形成的一镇一品 tells a
    state of things, where a quote names what was made."""
    left = left.rstrip()
    if quoted:
        left = VERB_OBJECT_GAP.sub("", left).rstrip()
    verbs = lexicon.words(kind)
    adverbs = lexicon.words("adverb")
    for _ in range(4):
        found = max((len(v) for v in verbs if left.endswith(v)), default=0)
        if found:
            return found
        stripped = next((left[: -len(a)] for a in adverbs if left.endswith(a)), None)
        if stripped is None:
            return 0
        left = stripped.rstrip()
    return 0


# Before a quote, what a practice verb acts for may stand between it and the quote (落实发展党员“票决制”, 建立入党
# 积极分子“村级实践岗”): nouns of at most this many characters (a two-word object such as 入党积极分子; devweb practice
# recall 0.883 -> 0.90 with the rule, no listed non-practice typed as one).
MAX_OBJECT_GAP = 6
OBJECT_GAP_FLAGS = ("n", "vn", "nz", "j", "nt", "nr", "ns", "ng", "l")
COORDINATORS = ("和", "及", "与", "、")
HONOURS = ("最美", "十佳", "优秀", "模范", "先进个人", "劳动模范")
# A quote before one of these is the state a change leaves (推动党员“被动等群众上门”变为“主动…”), not a practice.
CHANGE_VERBS = ("变为", "变成", "转变为", "转为", "转变成", "改为", "变")


def _verb_across_nouns(left: str, lexicon: Lexicon) -> bool:
    """A practice verb, then nouns of at most MAX_OBJECT_GAP characters, ending `left` (落实发展党员)."""
    tokens = lexicon.segmenter.tokens(left.rstrip())
    gap = nouns = 0
    # … or a noun and the quote side by side (依托微信群和“云端支部”开展…): 和, 及, 与 and 、 join them
    while tokens and (tokens[-1].flag in OBJECT_GAP_FLAGS or tokens[-1].word in COORDINATORS) \
            and gap + len(tokens[-1].word) <= MAX_OBJECT_GAP:
        nouns += tokens[-1].word not in COORDINATORS
        gap += len(tokens.pop().word)
    verbs = lexicon.word_set("practice_verb")
    if not nouns or not tokens or tokens[-1].word not in verbs or len(tokens[-1].word) < 2:
        return False
    # the clause's own verb (探索实施, 三是建立), not a noun's first word after a verb of another kind (实现学习教育
    # “多样化”: 学习 of 学习教育, after 实现)
    before = tokens[-2] if len(tokens) > 1 else None
    return before is None or not before.flag.startswith("v") or before.word in verbs or before.word.endswith("是")


def _acts(text: str, at: int, word: str, lexicon: Lexicon) -> bool:
    """Whether a head word at `at` is a verb or an adverb here rather than the end of a name: one with -化 after
    it (项目化推进), or one that can be a verb with its object after it (“红色管家”打通服务群众, “积分超市”服务村民)."""
    end = at + len(word)
    if text.startswith("化", end):
        return True
    if lexicon.segmenter.flag(word) not in VERB_FLAGS:
        return False
    after = lexicon.segmenter.tokens(text[end : end + OBJECT_WINDOW])
    return bool(after) and after[0].flag in OBJECT_FLAGS and len(after[0].word) > 1


def _opens_a_word(text: str, at: int, head: str, lexicon: Lexicon) -> bool:
    """Whether a head word at `at` only opens a longer word (联席会 of 联席会议): no name ends inside a word."""
    tokens = lexicon.segmenter.tokens(text[at : at + len(head) + 2])
    return bool(tokens) and tokens[0].end > len(head)


def _head(text: str, pos: int, lexicon: Lexicon, max_gap: int) -> _Head | None:
    """The practice head (工程, 模式, 活动 …) that follows `pos` within `max_gap` characters, if any."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if text.startswith("的", pos):
        pos += 1
    listed = text.startswith("等", pos)
    pos += listed
    generic: _Head | None = None
    found: _Head | None = None
    for gap in range(max_gap + 1):
        tail = text[pos : pos + gap]
        if len(tail) < gap or any(not "\u4e00" <= ch <= "\u9fff" or ch in FUNCTION_CHARS for ch in tail):
            break
        word = next((h for h in lexicon.words("practice_head") if text.startswith(h, pos + gap)), None)
        if word and not _acts(text, pos + gap, word, lexicon) and not _opens_a_word(text, pos + gap, word, lexicon):
            found = _Head("practice_head", tail, word, pos + gap + len(word), listed)
            continue
        word = next((h for h in lexicon.words("generic_head") if text.startswith(h, pos + gap)), None)
        if word and gap <= 3 and generic is None:
            generic = _Head("generic_head", tail, word, pos + gap + len(word), listed)
    return found or generic


def _context(text: str, start: int, end: int, lexicon: Lexicon, max_gap: int = 4, quoted: bool = True) -> _Context:
    left = clause_before(text, start, 14)
    # the verb before who a thing is made of may stand further back (组建由党员、网格员、景区保安组成的“…”)
    reach = clause_before(text, start, 14 + MAX_MAKERS_CHARS) if quoted else left
    right = text[end : end + 14].lstrip()
    cut = next((i for i, ch in enumerate(right) if ch in CLAUSE_STOPS), len(right))
    after_de = right[1:cut] if right.startswith("的") else right[:cut]
    head = _head(text, end, lexicon, max_gap)
    verb = _ends_with_verb(reach, lexicon, "practice_verb", quoted)  # its length, 0 when none ends the clause
    # a name given to a way of working (我们叫“书记进楼栋”), not a nickname given to someone (被称为“和事佬”): the
    # quote is the name whatever follows it (我们的做法叫“…”两级吹哨)
    named = quoted and "被" not in left and left.rstrip().endswith(lexicon.words("naming_verb"))
    # a post a programme sets up, taken on by people (选派客户经理担任“金融村官”): a named role of four characters or
    # more (“调解员”, a trade, is none)
    named = named or quoted and left.rstrip().endswith(ROLE_VERBS) and _named_post(clean_name(text[start:end]))
    acts = verb > 0 or named or (quoted and _verb_across_nouns(left, lexicon))
    # 以“精文减会”为突破口: the frame 以…为 holds the means of the work when what follows 为 names a means, and
    # so does 以 + the quote + the action it serves (以“支部建在业务链上”打通组织末梢)
    framed = quoted and left.rstrip().endswith("以") and (right.startswith(FRAME_MEANS) or _verb_first(right, lexicon)
                                                          and not _principle(text[start:end]))
    # 把“…”作为关键举措: the same frame with 作为
    as_means = quoted and _AS_MEANS.match(right) is not None and left.rstrip().endswith(("把", "将")) \
        and not _principle(text[start:end])
    framed = framed or as_means
    # an item's heading opening with the quote and the action it takes (（三）“…”破解资金难题): the quote names
    # the means
    opening = quoted and _ITEM_OPENING.fullmatch(left) is not None and _verb_first(right, lexicon) \
        and not _principle(text[start:end]) and not right.startswith(HARM_VERBS)
    # … or a clause (a headline after its subject's colon) opening with the quote that solves a problem it names
    # (某街道：“…”破解老旧小区管理难题; not “…”整治到位, where the quote is what is dealt with): the quote names the
    # means
    opening = opening or quoted and _HEADLINE_SUBJECT.fullmatch(left) is not None \
        and _solves_named_problem(right, lexicon)
    negative = next((n for n in lexicon.words("negative_head") if after_de.startswith(n)), None)
    return _Context(
        verb=acts or opening or as_means,
        # a problem verb inside a longer practice verb is none (改造成 ends like 造成)
        problem=_ends_with_verb(left, lexicon, "problem_verb") > verb
        # … unless the words after the quote act on it (“…”破解资金难题)
        or any(0 <= after_de.find(n) <= 4 for n in lexicon.words("problem_noun"))
        and not after_de.startswith(lexicon.words("remedy_verb"))
        # a way of working the clause says the work is stuck at (仍停留在念文件的“灌输式”教育) is a shortfall
        or any(v in left for v in lexicon.words("stuck_verb")),
        # … unless a practice head ends the phrase (“一户一党员”责任包保机制: a mechanism, not a duty) or a head
        # longer than the word starts right there (“…”的组织架构: a structure, not an organisation)
        negative=negative is not None
        and not (head and (head.kind == "practice_head" or not head.gap and len(head.word) > len(negative)))
        or _HONOURED.search(left.rstrip()) is not None or _NICKNAMED.search(left.rstrip()) is not None
        or right.startswith(SELECTIONS),
        head=head,
        closed=not right or right[0] in CLAUSE_STOPS or right[0] in "等和及与“" or _acting_head(text, end, lexicon)
        or COUNT_AFTER.match(right) is not None or right.startswith(SERIES) or framed or named or opening
        # the action the quoted thing serves follows it (依托…“云上支部”开展学习)
        or quoted and (verb > 0 or acts) and _verb_first(right, lexicon) and not right.startswith(CHANGE_VERBS)
        and not _principle(text[start:end]),
        framed=framed,
        changed=right.startswith(("的转变", "转变", "的转化", "转化", "的变化")),
    )


# A title given to someone or something (被评为全县“…”, 荣获“…”称号): an honour, not a way of working.
_HONOURED = re.compile(r"(?:评为|评选为|获评|荣获|授予|命名为|获得|荣膺)"
                       r"(?:全[\u4e00-\u9fff]{1,2}|[省市县区州盟旗镇乡]级|国家级|[\u4e00-\u9fff]{1,6}[省市县区州盟旗])?$"
                       # … or a label a thing is said to be a case of (是典型的“…”, 沦为“…”)
                       r"|典型的$|沦为$")


# What may stand before a quote opening a clause: nothing, or a headline's subject and its colon (某街道：).
_HEADLINE_SUBJECT = re.compile(r"\s*(?:[\u4e00-\u9fff]{1,12}[：:])?\s*")


def _solves_named_problem(right: str, lexicon: Lexicon) -> bool:
    """`right` (what follows a quote) opens with a remedy verb whose object names a problem, with words of its own
    before the problem's noun (破解|老旧小区“没人管”|难题); not a problem compound right after the verb (清理问题
    突出: the quote is what is dealt with)."""
    verb = next((v for v in lexicon.words("remedy_verb") if right.startswith(v)), None)
    if verb is None:
        return False
    rest = _CLAUSE.match(right, len(verb)).group()
    return any(rest.find(n) > 0 for n in lexicon.words("problem_noun"))


# The rest of a clause, quotations included.
_CLAUSE = re.compile(r"[^，。；！？,;!?\n]*")
# Taking on a post (担任“…”), and a post's name: four characters or more ending as a post does (…员, …官, …长).
ROLE_VERBS = ("担任", "聘为", "聘任为", "注册成为", "选拔")
_ROLE = re.compile(r"[\u4e00-\u9fff]{3,10}[员官长]")
# What makes a post an ordinary one, not a programme's: a plain description before it (专职网格员, 村民小组长) or an
# office any firm or group has (董事长, 组长).
ORDINARY_POST_OPENINGS = ("专职", "村民", "企业", "公司", "常务", "执行", "副")
ORDINARY_POSTS = ("组长", "董事长", "总经理", "经理", "主任", "会长", "社长", "校长", "院长", "站长", "所长")


def _named_post(term: str) -> bool:
    """A post of its own name (柳湾金融官, 红色楼长), not an ordinary one (专职网格员, 村民小组长, 企业董事长).

    >>> _named_post("红色楼长"), _named_post("专职网格员"), _named_post("村民小组长"), _named_post("调解员")
    (True, False, False, False)
    """
    return _ROLE.fullmatch(term) is not None and not term.startswith(ORDINARY_POST_OPENINGS) \
        and not term.endswith(ORDINARY_POSTS)


# What after a quote says it names a series of measures (推出“…”系列举措).
SERIES = ("系列",)
# A nickname or a reputation given (被称为“…”的征拆工作, 素有“…”之称): what people call a thing, not a way of working.
_NICKNAMED = re.compile(r"(?:被称为|被称作|被誉为|誉为|号称|俗称|人称|素有|堪称|被叫做)$")
# Titles a contest awards, quoted before the contest (开展“…”“…”评选): honours, not ways of working.
SELECTIONS = ("评选", "评比")


# 作为 and a word naming a means of the work after a quote (把“…”作为关键举措, “…”作为突破口).
_AS_MEANS = re.compile(r"作为[\u4e00-\u9fff]{0,4}(?:抓手|举措|措施|载体|突破口|切入点|手段|路径|途径)")
# What stands before a quote opening an item's heading: the item's number ((三), 1., 二、).
_ITEM_OPENING = re.compile(r"\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*")
# What a quoted thing does that harms: a problem acting, not a means (（四）“…”加重基层负担).
HARM_VERBS = ("侵蚀", "侵害", "损害", "加重", "干扰", "制约", "影响", "困扰", "阻碍", "削弱", "破坏", "滋生", "助长")


# A quoted principle or awareness (以人民为中心, 四个意识) guides the action after it; it is no way of working.
_PRINCIPLE = re.compile(r"(?:为中心|意识|精神|思想|理念|观念|原则|自信)[”’\"']?$")


def _principle(quoted: str) -> bool:
    return _PRINCIPLE.search(quoted) is not None


def _verb_first(text: str, lexicon: Lexicon) -> bool:
    """Whether `text` opens with a verb of two or more characters (打通组织末梢), not with 为 or a noun."""
    tokens = lexicon.segmenter.tokens(text[:OBJECT_WINDOW + 2])
    return bool(tokens) and tokens[0].flag == "v" and len(tokens[0].word) > 1


def _acting_head(text: str, at: int, lexicon: Lexicon) -> bool:
    """A head word right at `at` that acts here (依托“邻里帮办”服务群众): the term before it ends there."""
    word = next((h for h in lexicon.words("practice_head") if text.startswith(h, at)), None)
    return word is not None and _acts(text, at, word, lexicon)


def _good_term(term: str, lexicon: Lexicon, framed: bool = False) -> bool:
    """Whether a quoted term can name a practice; `framed`: the text holds it as the means of the work (以“车轮上
    的支部”为抓手), so a phrase with 的 may name it too."""
    if not 2 <= len(term) <= MAX_TERM_CHARS or has_placeholder(term):
        return False
    if term in lexicon.word_set("generic_term") or re.fullmatch(r"[.%\s]*", term) or term.startswith(HONOURS):
        return False  # … and an honour given to people or places (最美村官, 优秀党员) is none
    if len(term) == 2 and term[0] not in NUMERALS and not term.isdigit():
        return False
    if len(term) > LONG_TERM_CHARS or ("的" in term and not framed and not any(term.endswith(h) for h in NAME_HEADS)):
        return False
    return not is_problem_label(term, lexicon) and not _generic_compound(term, lexicon)


def _generic_compound(term: str, lexicon: Lexicon) -> bool:
    """A generic word before a generic head names a kind of thing, not a practice: 党建品牌, 工作机制, 服务平台
    (but 党员积分制, 党员驿站 are names: their heads are specific)."""
    generic = lexicon.word_set("generic_term")
    heads = (*lexicon.words("generic_head"), *generic, *KIND_HEADS)
    return any(term.endswith(h) and term[: -len(h)] in generic for h in heads)


def _own_head(term: str, lexicon: Lexicon) -> bool:
    """True when a quoted term ends in a practice head itself (“十大惠民工程”, “红色课堂”)."""
    head = next((h for h in NAME_HEADS + lexicon.words("practice_head") if term.endswith(h)), None)
    if head is None or len(term) <= 3:
        return False
    return term[: -len(head)] not in lexicon.word_set("generic_term")


def _classify(term: str, ctx: _Context, single: bool, own_head: bool) -> str | None:
    """The practice name for a quoted term in its context, or None when it is not a practice."""
    if ctx.problem or ctx.negative:
        return None
    if term.isdigit() and not (ctx.head and ctx.head.kind == "practice_head" and single):
        return None
    if ctx.head:
        if len(term) == 2 and len(ctx.head.gap) > (2 if ctx.head.kind == "practice_head" else 1):
            return None
        if "、" in term and COUNTED_HEAD.fullmatch(ctx.head.gap + ctx.head.word):
            return ctx.head.gap + ctx.head.word
        if ctx.head.kind == "practice_head" and not ctx.head.listed and (single or len(term) <= 8):
            return term + ctx.head.gap + ctx.head.word
        return term
    if own_head or (ctx.verb and (ctx.closed or not single and not ctx.changed)):
        return term  # several quotes a practice verb acts on are names side by side (完善“…”和“…”的衔接)
    if slogan_shape(term) and len(term) >= 3:
        return term
    return None


def _quoted(text: str, lexicon: Lexicon) -> list[Mention]:
    mentions = []
    for group in group_quotes(text, find_quotes(text, MAX_TERM_CHARS + 2)):
        first = _counted(text, group[0], clean_name(group[0].inner))[1]
        ctx = _context(text, first, group[-1].end, lexicon)
        for quote in group:
            term, start = _counted(text, quote, clean_name(quote.inner))
            if _slogan_items(term):  # “一栋一支部、一层一小组、一舍一党员”: one scheme of slogans, named whole
                if not ctx.problem and not ctx.negative and (ctx.verb or ctx.head or ctx.closed) \
                        and not has_placeholder(term):
                    mentions.append(_mention(text, term, start, quote.end, "quote", term))
                continue
            good = _good_term(term, lexicon, ctx.framed)
            name = _classify(term, ctx, len(group) == 1, _own_head(term, lexicon)) if good else None
            if name:
                end = ctx.head.end if name != term and ctx.head and quote is group[-1] else quote.end
                mentions.append(_mention(text, name, start, end, "quote", term))
    return mentions


def _slogan_items(term: str) -> list[str]:
    """The items of a quotation listing two or more slogans apart by 、 (一栋一支部、一层一小组), each of a slogan's
    shape, within MAX_TERM_CHARS; [] for any other quotation (“双向进入、交叉任职”, two phrases of verbs, is read as
    any quotation is).

    >>> _slogan_items("一栋一支部、一层一小组"), _slogan_items("双向进入、交叉任职"), _slogan_items("一村一品")
    (['一栋一支部', '一层一小组'], [], [])
    """
    items = term.split("、")
    return items if len(items) >= 2 and len(term) <= MAX_TERM_CHARS and all(slogan_shape(i) for i in items) else []


def _counted(text: str, quote: Quote, term: str) -> tuple[str, int]:
    """A short quoted term counted right before its quote (四个“到位”) is named with its count: 四个到位."""
    count = COUNTED_QUOTE.search(text, max(0, quote.start - 3), quote.start)
    if count and count.end() == quote.start and len(term) <= 4 and term[0] not in NUMERALS:
        return count.group(0) + term, count.start()
    return term, quote.start


def _mention(text: str, name: str, start: int, end: int, source: str, core: str) -> Mention:
    return Mention("practice", name, text[start:end], start, end, {"source": source, "core": core})


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def _slogan_ends(text: str, start: int) -> list[int]:
    """Candidate ends of an unquoted slogan starting at `start`, shortest first."""
    for shape, whole in SLOGAN_PREFIXES:
        match = shape.match(text, start)
        if match:
            if whole:
                return [match.end()]
            return [match.end(1) + k for k in range(1, len(match.group(2)) + 1)]
    return []


def _unquoted(text: str, lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[Mention]:
    mentions: list[Mention] = []
    for match in UNQUOTED_SLOGAN.finditer(text):
        start = match.start()
        if _inside(taken, start, start + 1) or (mentions and mentions[-1].end > start):
            continue
        if start > 0 and text[start - 1] in NUMERALS + "第每":
            continue
        end = _slogan_end(text, start, lexicon)
        if end:
            mentions.append(_mention(text, text[start:end], start, end, "slogan", text[start:end]))
    return mentions


def _slogan_end(text: str, start: int, lexicon: Lexicon) -> int | None:
    """End of the unquoted slogan at `start`: a head right after it, or a practice verb before a closed one."""
    ends = _slogan_ends(text, start)
    for end in ends:
        ctx = _context(text, start, end, lexicon, max_gap=2, quoted=False)
        if ctx.problem or ctx.negative or not _good_term(text[start:end], lexicon):
            continue
        if (ctx.head and not ctx.head.gap) or (ctx.verb and ctx.closed):
            return end
    # Otherwise only the shortest reading may take a head a word or two away (三级联建组织体系).
    shortest = _context(text, start, ends[0], lexicon, max_gap=2, quoted=False) if ends else None
    if shortest and shortest.head and not (shortest.problem or shortest.negative):
        return ends[0] if _good_term(text[start : ends[0]], lexicon) else None
    return None


def _proper_name(token: Token, lexicon: Lexicon) -> bool:
    """A place (gazetteer, or a rare jieba `ns` word) or a person's name jieba does not know (`nr`)."""
    if len(token.word) < 2:
        return False
    gazetteer = lexicon.gazetteer
    if token.word in gazetteer.by_name or token.word in gazetteer.by_alias:
        return True
    frequency = lexicon.segmenter.frequency(token.word)
    if token.flag in ("ns", "nr", "nz") and token.word.endswith(VILLAGE_ENDS) and len(token.word) >= 3:
        return True
    if token.flag == "ns":
        return frequency < 1000
    return token.flag in ("nr", "nrfg", "nrt") and frequency == 0 and len(token.word) <= 4


def _proper_start(tokens: list[Token], index: int, lexicon: Lexicon) -> int | None:
    """Index of a place or person name at most six characters of nouns before tokens[index]."""
    gap = 0
    for j in range(index - 1, max(-1, index - 5), -1):
        token = tokens[j]
        if _proper_name(token, lexicon):
            return j
        if not token.flag.startswith(("n", "vn", "j", "b")) or token.word in lexicon.word_set("generic_term"):
            return None
        gap += len(token.word)
        if gap > 6:
            return None
    return None


def _named(text: str, tokens: list[Token], lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[Mention]:
    mentions = []
    for index, token in enumerate(tokens):
        if text[token.start] not in _HEAD_FIRSTS:
            continue
        head = next((h for h in NAME_HEADS if text.startswith(h, token.start)), None)
        if not head or _inside(taken, token.start, token.start + len(head)):
            continue
        first = _proper_start(tokens, index, lexicon)
        if first is None:
            continue
        start, end = tokens[first].start, token.start + len(head)
        name = text[start:end]
        if not has_placeholder(name) and not is_problem_label(name, lexicon):
            mentions.append(_mention(text, name, start, end, "named", name))
    return mentions


def _marked(text: str, lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[Mention]:
    """Unquoted counted methods (四步工作法) and branch-placement formulas (党小组建在车间上)."""
    mentions = []
    for pattern in (COUNTED_HEAD, BRANCH_PLACED):
        for match in pattern.finditer(text):
            name = match.group(0)
            if not _inside(taken, match.start(), match.end()) and _good_term(name, lexicon):
                mentions.append(_mention(text, name, match.start(), match.end(), "marked", name))
                taken = taken + [(match.start(), match.end())]
    return mentions


def _repeats(text: str, found: list[Mention]) -> list[Mention]:
    spans = [(m.start, m.end) for m in found]
    extra = []
    for core in sorted({m.attributes["core"] for m in found if len(m.attributes["core"]) >= 3}, key=len, reverse=True):
        for match in re.finditer(re.escape(core), text):
            if not _inside(spans, match.start(), match.end()):
                extra.append(_mention(text, core, match.start(), match.end(), "repeat", core))
                spans.append((match.start(), match.end()))
    return extra


def extract_practices(text: str, lexicon: Lexicon, tokens: list[Token] | None = None) -> list[Mention]:
    """Practice mentions in a passage's normalised text, ordered by position."""
    if not text:
        return []
    tokens = lexicon.segmenter.tokens(text) if tokens is None else tokens
    found = _quoted(text, lexicon)
    quotes = [(q.start, q.end) for q in find_quotes(text, MAX_TERM_CHARS + 2)]
    found += _unquoted(text, lexicon, quotes + [(m.start, m.end) for m in found])
    found += _named(text, tokens, lexicon, quotes + [(m.start, m.end) for m in found])
    found += _marked(text, lexicon, quotes + [(m.start, m.end) for m in found])
    found += programme_mentions(text, lexicon, quotes + [(m.start, m.end) for m in found],
                                lambda name: _good_term(name, lexicon))
    found += _repeats(text, found)
    return sorted(found, key=lambda m: (m.start, -m.end))
