"""Extract stage: indicators — a number with a unit, the noun phrase it measures, its comparator and kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Mention
from .lexicon import Lexicon
from .segment import Token
from .spans import clean_quotes, split_sentences

# “全县村干部中年龄55岁及以上的占42.5%” gives subject 村干部中年龄55岁及以上的, value 42.5, unit %,
# comparator 占; a number that only qualifies a subject (the 55岁 there) is not an indicator itself.
# A count's noun may follow its unit (抽调41名干部 → subject 抽调干部).
BOUNDARIES = ",;:。!?\n、()"
RATE_WORDS = ("覆盖率", "比例", "占比", "比重", "率", "比率", "增长率", "达标率", "满意度")
SHARE_UNITS = ("%", "‰")
# A share's clause may open with its comparator (达到总数的80%); a relative one with its base (较上年).
SHARE_LEADS = ("占", "达到", "超过")
RELATIVE_LEADS = ("占", "较", "比", "同比", "环比")
NOUN_FLAGS = ("n", "vn", "j", "an", "s")
# Words that may lead a counted noun phrase before its noun: distinguishing words, adjectives, verbs.
MODIFIER_FLAGS = ("b", "a", "v")
QUALIFIER = re.compile(r"(?:及|或)?(?:以上|以下|以内)?的|(?:及|或)?(?:以上|以下|以内)(?=[\u4e00-\u9fff])")
MAX_SUBJECT_CHARS = 24
MAX_NOUN_CHARS = 12
# A quoted name right after a count (8个“红色驿站”), at most MAX_NOUN_CHARS long.
QUOTED_AFTER = re.compile(rf"“([\u4e00-\u9fff+]{{2,{MAX_NOUN_CHARS}}})”")
# Conjunctions joining two nouns that one count counts (党员和公职人员).
NOUN_JOINERS = ("和", "及")  # not 与: 党员与群众一起劳动 is "with"
LOOSE_ENDS = "了均都已还再共约仅近"
JOINERS = "和及与、"
REPORTING = re.compile(r"表明|显示|指出|可见|据统计|统计")
PLACEHOLDER_COUNT = r"(?:[Xx]{2,}|\*{2,}|_{2,})[多余]?[万亿]?[个名人户家项件次所元]"
EXAMPLE_WORDS = frozenset({"如", "例如", "比如", "譬如", "诸如"})  # 如积分1000分以上: an example's marker, no subject
LOOSE_WORDS = ("全部", "已经", "累计", "分别", "总共", "一共")
PERIOD = re.compile(r"(?:每人)?每(?:人)?(年|月|季度|季|周|天|日)$")
YEAR = re.compile(r"((?:19|20)\d\d)年")
# A change from one figure to another: 比例由63%提高到95%, 从12个增加至30个. 由/从 before the first figure is
# the change's start only when a change to a second figure follows it right after its unit (由12名退休教师组成
# is who makes it up; 由10名党员到村走访, who goes).
# … with the time it starts from between them (由原来的不足60%提高到93%, 从去年的12个增加到30个).
CHANGE_FROM_END = re.compile(r"[由从](?:(?:原来|过去|以前|此前|之前|去年|上年|年初|\d{4}年(?:底|末|初)?)的?)?$")
# The year a figure of a change stood at, right before it (由2021年的86%提高到2023年的97.3%).
YEAR_BEFORE = re.compile(r"\d{4}年(?:底|末|初)?的?$")
CHANGE_TO = re.compile(r"(?:提高|增加|增长|上升|提升|扩大|下降|降低|减少|缩小|精简|压减|压缩|缩减|削减|增|升|降)"
                       r"(?:到|至)")
# One-character nouns counted as places (23个村, 5个乡): a subject of their own when they end the clause.
PLACE_COUNTED = ("村", "镇", "乡")
# The hour of a time of day, right before its minutes (8时|30分, 9点|05分).
CLOCK = re.compile(r"\d[时点:：]\d*$")
# How far before a change (提高到93%) its start (由41%) may be written.
CHANGE_FROM_REACH = 12
LEADING_TIME = re.compile(r"到?(?:(?:19|20)\d\d|今|去|明)年(?:以来|底|初|末)?")


@dataclass(frozen=True)
class _Context:
    lexicon: Lexicon
    role: str
    places: list[Mention]
    tokens: list[Token]
    number: re.Pattern


# A number written in Chinese numerals (十二, 两千, 一万二千, 三百零五), two characters or more: one alone (一名党员
# 就是一面旗帜, 五个一, 两个确立) is a slogan's count more often than a measurement, unless 万 or 亿 follows. A
# trailing 万 or 亿 stays the unit's multiplier, as with digits (三万名 → 3 万名, like 3万名).
CN_DIGITS = "零〇一二两三四五六七八九"
_CN = f"[{CN_DIGITS}十百千]"
CN_NUMBER = (rf"(?<![{CN_DIGITS}十百千万亿第])"
             rf"(?P<cn>{_CN}{{2,}}(?:万{_CN}+)?|{_CN}+万{_CN}+|[{CN_DIGITS}](?=[万亿]))")
_CN_VALUE = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """The value of a number written in Chinese numerals; None for digits in a row, which give a range or a
    name (五六个, 十二五, 二〇二五), not one number.

    >>> chinese_number("十二"), chinese_number("两千"), chinese_number("一万二千"), chinese_number("三百零五")
    (12, 2000, 12000, 305)
    >>> chinese_number("五六"), chinese_number("十二五"), chinese_number("二〇二五")
    (None, None, None)
    """
    total, section, digit, last_digit = 0, 0, None, False
    for ch in text:
        if ch in _CN_VALUE:
            if last_digit and digit != 0:
                return None  # a digit right after another (五六), not after 零 (三百零五)
            digit, last_digit = _CN_VALUE[ch], True
        elif ch in _CN_POWER:
            section += (digit if digit else 1) * _CN_POWER[ch]
            digit, last_digit = None, False
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit, last_digit = 0, None, False
        else:
            return None
    return total + section + (digit or 0)


# A figure in digits, its thousands set apart by commas as pages often write them (14,207名, 2,350万元).
_DIGITS = r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?"


def figure(text: str) -> float:
    """The value of a figure `_DIGITS` matched.

    >>> figure("14,207"), figure("1,236.5"), figure("98.5")
    (14207.0, 1236.5, 98.5)
    """
    return float(text.replace(",", ""))


def _number_pattern(lexicon: Lexicon) -> str:
    unit = lexicon.alternation("unit")
    return (
        rf"(?:(?<![\d.A-Za-z])(?<!\d,)(?P<value>{_DIGITS})|{CN_NUMBER})"
        rf"(?:(?:{unit})?\s*(?:至|-|~|—|到)\s*(?P<high>{_DIGITS}))?\s*"
        rf"(?P<approx>多|余)?(?P<mult>{lexicon.alternation('unit_multiplier')})?(?P<approx2>多|余)?"
        rf"(?P<unit>{unit}|(?:(?<=\d)|(?<=\d[万千亿]))(?:{lexicon.alternation('digit_unit')})"
        # 3:7分成, 3分地, 分配, 分批, 分期: 分 dividing or measuring land, not a score (60-69分为一星级 is one);
        # 1对1, 1对多: pairing, no count
        rf"(?![钟成红配别批期组类地钱\d多NnXx一二三四五六七八九十]))"
    )


def _clause_start(text: str, pos: int, floor: int) -> int:
    for i in range(pos - 1, floor - 1, -1):
        if text[i] in BOUNDARIES:
            return i + 1
    return floor


def _strip_end(phrase: str, words: tuple[str, ...]) -> tuple[str, str | None]:
    word = next((w for w in words if phrase.endswith(w)), None)
    return (phrase[: -len(word)], word) if word else (phrase, None)


def _strip_start(phrase: str, lexicon: Lexicon) -> str:
    leads = lexicon.words("scope") + lexicon.words("status_cue") + lexicon.words("target_cue")
    for _ in range(4):
        year = LEADING_TIME.match(phrase)
        if year:
            phrase = phrase[year.end() :]
            continue
        word = next((w for w in leads if phrase.startswith(w) and len(phrase) > len(w)), None)
        if word is None:
            break
        phrase = phrase[len(word) :]
    return phrase


def _qualifies(text: str, end: int, next_start: int) -> bool:
    """True when the number ending at `end` only qualifies what the number at `next_start` measures."""
    between = text[end:next_start]
    match = QUALIFIER.match(between)
    return bool(match) and len(between) <= 12 and not any(ch in JOINERS for ch in between[match.end() :])


def _phrase_start(text: str, clause: int, start: int, context: _Context) -> tuple[int, int | None]:
    """(start of the subject phrase before `start`, start of the earlier number it follows, if any)."""
    begin, earlier = clause, None
    for number in context.number.finditer(text, clause, start):
        if number.group("cn") and chinese_number(number.group("cn")) is None:
            continue  # 十四五期间: a name, not a count
        if not _qualifies(text, number.end(), start):
            begin, earlier = number.end(), number.start()
    for reported in REPORTING.finditer(text, begin, start):
        begin = reported.end()
    token = next((t for t in context.tokens if t.start == begin), None)
    if token and (token.flag == "p" or token.word in EXAMPLE_WORDS) and token.end <= start:
        begin = token.end
    return begin, earlier


def _before(text: str, start: int, floor: int, context: _Context, depth: int = 0) -> tuple[str, str | None, str | None]:
    """(phrase, comparator, period) from the clause before the number at `start`."""
    lexicon = context.lexicon
    begin, earlier = _phrase_start(text, _clause_start(text, start, floor), start, context)
    phrase = clean_quotes(text[begin:start])
    comparator = period = None
    for _ in range(3):
        phrase = YEAR_BEFORE.sub("", phrase)  # 提高到2023年的|97.3%: the year the figure stood at
        match = PERIOD.search(phrase)
        if match:
            phrase, period = phrase[: match.start()], match.group(1)
        phrase, word = _strip_end(phrase.rstrip(LOOSE_ENDS), lexicon.words("comparator_before"))
        comparator = comparator or word
        phrase, _ = _strip_end(phrase.rstrip(LOOSE_ENDS), lexicon.words("target_cue"))
        phrase, _ = _strip_end(phrase, LOOSE_WORDS)
    if not phrase and earlier is not None and depth == 0:
        # 将…规划的90平方米扩大到170平方米: the second number measures what the first one did
        phrase = _before(text, earlier, floor, context, depth + 1)[0]
    change_from = CHANGE_FROM_END.search(phrase)
    if change_from and (depth or _changes_on(text, start, context)):
        phrase, comparator = phrase[:change_from.start()], comparator or phrase[change_from.start()]
    return _strip_start(phrase, lexicon), comparator, period


def _change_from(text: str, match: re.Match, comparator: str | None) -> str:
    """The figure a change starts from, as written right before the change to `match` (由41%|提高到93%): the
    name of where a change ends tells where it began. "" when `comparator` is no change or none is written."""
    if not comparator or not CHANGE_TO.fullmatch(comparator):
        return ""
    year = YEAR_BEFORE.search(text, max(0, match.start() - 8), match.start())
    end = year.start() if year else match.start()
    at = text.rfind(comparator, max(0, end - len(comparator) - 4), end)  # 提高到了93%, 提高到2023年的97.3%
    if at < 0:
        return ""
    before = text[max(0, at - CHANGE_FROM_REACH) : at]
    start = max(before.rfind("由"), before.rfind("从"))
    written = before[start:] if start >= 0 else ""
    return written if re.fullmatch(rf"[由从](?:\d{{4}}年(?:底|末|初)?的?)?(?:{_DIGITS})[^\d，,。；;]{{0,4}}", written) \
        else ""


def _changes_on(text: str, start: int, context: _Context) -> bool:
    """Whether the figure at `start` is where a change starts: a change to another figure follows it."""
    number = context.number.match(text, start)
    return number is not None and CHANGE_TO.match(text, number.end()) is not None


def _noun_after(text: str, end: int, tokens: list[Token], modifiers: bool = True) -> str:
    """The noun phrase right after a count (41名干部 → 干部, 560个老旧小区 → 老旧小区), or after 的.

    Modifiers (adjectives, distinguishing words, a verb or two-character adverb as in 外出…/非公…) may lead
    the phrase; once a noun is reached only nouns follow, or an adjective between two nouns
    (集体经济薄弱村); the phrase ends on a noun and holds at least two characters of nouns, else it is empty,
    except a village, town or township counted at the end of its clause (分布在23个村).
    """
    quoted = QUOTED_AFTER.match(text, end)
    if quoted:  # 建成8个“游客服务红色驿站”, 132个“柳湾共建”示范基地: what the quote names, and its head noun
        return quoted.group(1) + _noun_after(text, quoted.end(), tokens, modifiers=False)  # not 负责管理 after it
    after = [t for t in tokens if t.start >= end]
    if after and after[0].word == "的" and after[0].start == end:
        after = after[1:]
    words: list[tuple[str, bool]] = []
    for i, token in enumerate(after):
        word = text[max(end, token.start) : token.end]
        if sum(len(w) for w, _ in words) + len(word) > MAX_NOUN_CHARS:
            break
        noun = token.flag.startswith(NOUN_FLAGS) and word != "的"
        seen_noun = any(n for _, n in words)
        following = after[i + 1] if i + 1 < len(after) else None
        next_noun = bool(following) and following.start == token.end and following.flag.startswith(NOUN_FLAGS)
        # a two-character adverb may lead a noun it qualifies (非公企业), a one-character one (都, 已) not
        leading_adverb = token.flag == "d" and len(word) > 1 and next_noun
        if noun:
            words.append((word, True))
        elif token.flag.startswith("a") and next_noun:
            words.append((word, False))
        elif seen_noun and word in NOUN_JOINERS and _joined_fits(after[i + 1 :], token.end,
                                                               MAX_NOUN_CHARS - sum(len(w) for w, _ in words) - 1):
            words.append((word, False))  # 1046名党员和公职人员: the count counts both
        elif not seen_noun and modifiers and (token.flag.startswith(MODIFIER_FLAGS) or leading_adverb):
            words.append((word, False))
        else:
            break
    while words and not words[-1][1]:
        words.pop()
    phrase = "".join(w for w, _ in words)
    if phrase in PLACE_COUNTED and text[end + 1 : end + 2] in ("", *BOUNDARIES, "，", "；", "：") \
            and not CHANGE_TO.search(text, max(0, end - 8), end):  # 示范村由3个增加到15个村: the subject has it
        return phrase  # 分布在23个村。: a count of places, ending its clause
    return phrase if sum(len(w) for w, noun in words if noun) >= 2 else ""


def _joined_fits(rest: list[Token], at: int, room: int) -> bool:
    """The nouns joined to a counted noun (党员和|公职人员) run from `at` to the clause's next word that is no noun,
    within `room` characters, and no 的 follows them (和|选派的第一书记 is a phrase of its own)."""
    length = 0
    for token in rest:
        if token.start != at or not token.flag.startswith("n"):
            break
        length += len(token.word)
        at = token.end
    nxt = next((t for t in rest if t.start == at), None)
    return 2 <= length <= room and (nxt is None or nxt.word != "的")


def _counted_by_action(text: str, end: int, sentence_end: int, tokens: list[Token]) -> str:
    """A count of a one-character noun that the rest of its clause acts in (在128个村建立议事会 → 建立议事会的村):
    the subject is what was done there, not the clause before. Empty when no verb follows the noun.

    >>> from ingest.extract.segment import Token
    >>> text = "在128个村建立村民议事会,"
    >>> toks = [Token("村", "n", 5, 6), Token("建立", "v", 6, 8), Token("村民", "n", 8, 10),
    ...         Token("议事会", "n", 10, 13)]
    >>> _counted_by_action(text, 5, len(text), toks)
    '建立村民议事会的村'
    """
    noun = next((t for t in tokens if t.start == end), None)
    if noun is None or len(noun.word) != 1 or not noun.flag.startswith("n"):
        return ""
    verb = next((t for t in tokens if t.start == noun.end), None)
    if verb is None or not verb.flag.startswith("v"):
        return ""
    clause_end = next((i for i in range(noun.end, sentence_end) if text[i] in BOUNDARIES), sentence_end)
    action = text[noun.end:clause_end].rstrip(LOOSE_ENDS)
    if not action or len(action) > MAX_SUBJECT_CHARS - 2:
        return ""
    return f"{action}的{noun.word}"


def _previous_subject(text: str, clause_start: int, floor: int, context: _Context) -> str:
    """The noun phrase of the nearest earlier clause that is not itself relative, its count removed."""
    phrase = ""
    for _ in range(3):
        if clause_start - 1 <= floor:
            return ""
        start = _clause_start(text, clause_start - 1, floor)
        phrase = clean_quotes(text[start : clause_start - 1]).strip()
        phrase = re.sub(rf"(?:{context.number.pattern}|{PLACEHOLDER_COUNT})$", "", phrase)
        phrase, _ = _strip_end(phrase.rstrip(LOOSE_ENDS), context.lexicon.words("comparator_before"))
        phrase = _strip_start(phrase.rstrip(LOOSE_ENDS), context.lexicon)
        if not phrase.startswith(RELATIVE_LEADS):
            return phrase
        clause_start = start
    return ""


def _fit(subject: str) -> str:
    """A subject of at most MAX_SUBJECT_CHARS characters, cut after a joiner rather than inside a word."""
    subject = subject.strip(" ,、").lstrip("的")
    if len(subject) <= MAX_SUBJECT_CHARS:
        return subject
    tail = subject[-MAX_SUBJECT_CHARS:]
    cut = max(tail.find(ch) for ch in JOINERS + "的")
    return (tail[cut + 1 :] if cut >= 0 else tail).lstrip("0123456789.%")


def _subject(
    text: str, match: re.Match, sentence: tuple[int, int], context: _Context
) -> tuple[str, str | None, str | None, str | None, str]:
    """(subject, comparator, period, lead, counted) of `match`; a leading 占/达到 (the lead) joins the subject;
    `counted` is the noun after a count that ends the subject (6个|渔船党小组), "" when none does."""
    phrase, comparator, period = _before(text, match.start(), sentence[0], context)
    counted = ""
    lead = next((w for w in SHARE_LEADS if phrase.startswith(w)), None)
    if lead in context.lexicon.words("comparator_before") and match.group("unit") in SHARE_UNITS:
        phrase = "占" + phrase[len(lead) :].rstrip("的")
    else:
        lead = None
    # what is counted follows the count (6个|渔船党小组), and so does what is measured when nothing stands
    # before the figure (针对1860亩|农田受淹的情况)
    if match.group("unit") in context.lexicon.words("count_unit") or text.startswith("的", match.end()) \
            or not phrase.strip():
        counted = _noun_after(text, match.end(), context.tokens)
        phrase += counted
        if not phrase and match.group("unit") in context.lexicon.words("count_unit"):
            phrase = _counted_by_action(text, match.end(), sentence[1], context.tokens)  # not 2小时|内响应…
    if not phrase or phrase in RATE_WORDS or phrase.startswith(RELATIVE_LEADS):
        clause = _clause_start(text, match.start(), sentence[0])
        phrase = _previous_subject(text, clause, sentence[0], context) + phrase
    return _fit(phrase), comparator, period, lead, counted


def _qualifier(text: str, end: int, clause_end: int, context: _Context) -> bool:
    """True when the value only qualifies a subject that a later number measures (60岁以上的…占42.5%)."""
    later = context.number.search(text, end, clause_end)
    return bool(later) and _qualifies(text, end, later.start())


def _comparator_after(text: str, end: int, lexicon: Lexicon) -> tuple[str | None, int]:
    rest = text[end : end + 4]
    rest_word = rest[1:] if rest.startswith("及") else rest
    word = next((w for w in lexicon.words("comparator_after") if rest_word.startswith(w)), None)
    if not word:
        return None, end
    return word, end + len(word) + (rest != rest_word)


def _kind(sentence: str, role: str, lexicon: Lexicon) -> str:
    if any(cue in sentence for cue in lexicon.words("target_cue")) or re.search(r"到(?:19|20)\d\d年", sentence):
        return "target"
    if role == "plan" and not any(cue in sentence for cue in lexicon.words("status_cue")):
        return "target"
    return "status"


def _year(text: str, sentence: tuple[int, int], pos: int) -> int | None:
    before = list(YEAR.finditer(text, sentence[0], pos)) or list(YEAR.finditer(text, sentence[0], sentence[1]))
    return int(before[-1].group(1)) if before else None


def _place(places: list[Mention], sentence: tuple[int, int], pos: int) -> str | None:
    inside = [p for p in places if sentence[0] <= p.start < sentence[1]]
    before = [p for p in inside if p.start < pos]
    chosen = before[-1] if before else (inside[0] if inside else None)
    return chosen.name if chosen else None


def _indicator(text: str, match: re.Match, sentence: tuple[int, int], context: _Context) -> Mention | None:
    lexicon = context.lexicon
    clause_end = next((i for i in range(match.end(), sentence[1]) if text[i] in BOUNDARIES), sentence[1])
    ordinal = text[max(0, match.start() - 1) : match.start()] in ("第", "前")
    if match.group("unit") == "分" and CLOCK.search(text, max(0, match.start() - 4), match.start()):
        return None  # 8时30分, 8:30分: a time of day, not a score
    if match.group("unit") == "起" and (text[max(0, match.start() - 1):match.start()] in ("自", "从")
                                       or re.fullmatch(r"(?:19|20)\d\d", match.group("value") or "")):
        return None  # 自2024起: when something starts
    if ordinal or _qualifier(text, match.end(), clause_end, context):
        return None
    subject, comparator, period, lead, counted = _subject(text, match, sentence, context)
    if len(subject) < 2:
        return None
    trailing, end = _comparator_after(text, match.end(), lexicon)
    if match.group("approx") or match.group("approx2"):
        trailing = trailing or "超过"
    per = f"/{period}" if period else ""
    unit = (match.group("mult") or "") + match.group("unit") + per
    value_text = match.group("value") or match.group("cn")
    value = figure(value_text) if match.group("value") else chinese_number(value_text)
    if value is None:
        return None
    attributes = {
        "subject": subject,
        "value": float(value),
        "unit": unit,
        "comparator": comparator or lead or trailing,
        "kind": _kind(text[sentence[0] : sentence[1]], context.role, lexicon),
        "year": _year(text, sentence, match.start()),
        "place": _place(context.places, sentence, match.start()),
    }
    if match.group("high"):
        attributes["value_max"] = figure(match.group("high"))
    approx = match.group("approx") or match.group("approx2") or ""
    after = trailing if trailing and trailing not in (approx, "超过") else ""
    # 多/余 stays where the page wrote it: 1万多名 and 300余名, never 1多万名
    written = f"{match.group('approx') or ''}{match.group('mult') or ''}{match.group('approx2') or ''}"
    # the counted noun stays after its count as the page wrote it: 划分为6个渔船党小组, not 划分渔船党小组为6个
    head, counted = (subject[: -len(counted)], counted) if counted and subject.endswith(counted) else (subject, "")
    if counted and text.startswith("的", match.end()):
        counted = "的" + counted  # 80%的示范点
    name = f"{head}{_change_from(text, match, comparator)}{comparator or ''}{value_text}{written}" \
        f"{match.group('unit')}{per}{counted}{after}"
    return Mention("indicator", name, text[match.start() : end], match.start(), end, attributes)


def extract_indicators(
    text: str,
    lexicon: Lexicon,
    role: str = "other",
    places: list[Mention] | None = None,
    tokens: list[Token] | None = None,
) -> list[Mention]:
    """Indicator mentions: numbers with units, each with subject, value, unit, comparator, kind, year, place."""
    if not text:
        return []
    tokens = lexicon.segmenter.tokens(text) if tokens is None else tokens
    number = lexicon.pattern("indicator:number", lambda: _number_pattern(lexicon))
    context = _Context(lexicon, role, places or [], tokens, number)
    out = []
    for sentence in split_sentences(text):
        for match in number.finditer(text, *sentence):
            mention = _indicator(text, match, sentence, context)
            if mention:
                out.append(mention)
    return out
