"""Extract stage: counties and cities no gazetteer lists, named where the text itself says they are divisions.

Three ways of writing say so, whatever the name: a division written right after the division holding it
(某省|某某市, 某某市|某某县, 某某盟|某某旗: an address is written from the top down), a party committee or
government named after its place (中共某某县委, 某某县人民政府), and a list of three or more names of that shape
(甲岭县、乙坪县、丙溪区). Everything else about an unknown name is
guesswork, so nothing else is taken: a bare 某某县 stays unnamed unless the document named it one of these ways
(document.py then finds it throughout the document).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon
from .localities import COMMON_ALONE, COMMON_WORD, FUNCTION_FLAGS, NOT_NAME_FLAGS, STEM_NOT_FIRST
from .segment import Token
from .spans import has_placeholder, occurrences

# The suffixes of the divisions a level holds: a province holds cities (市, 州, 盟), a city counties (县, 区, 旗)
# and county-level cities (市).
HELD_SUFFIXES = {"province": "市州盟", "city": "县区市旗"}
# The level of a division by its suffix, under its holder's level.
LEVEL_OF = {("province", "市"): "city", ("province", "州"): "city", ("province", "盟"): "city"}
# A division's own name before its suffix: two to four characters (石岭县, 哈拉图旗, 锡林郭勒盟).
STEM_CHARS = (2, 3, 4)
# Characters that end or join divisions and so never stand inside a stem (市县两级, 省市区).
DIVISION_CHARS = frozenset("省市县区旗州盟镇乡村")
# Flags of a word that makes no part of a division's name: function words, descriptions and verbs, and
# directions (西部 of 某市西部山区 says where in the city, it names nothing).
NOT_STEM_FLAGS = FUNCTION_FLAGS + NOT_NAME_FLAGS + ("f", "m", "b")
# A division's organs, written right after its suffix (县委, 县政府, 市人大): the suffix ends the name there.
ORGAN_TAILS = ("委", "政府", "人民政府", "人大", "政协", "纪委")
# Characters that count or point and so stand in no unlisted division's name (九市, 各市); flags of a proper name.
NOT_NAME_CHARS = frozenset("一二三四五六七八九十百千两几多各每该本全诸")
PROPER_FLAGS = ("ns", "nr", "nz", "nt")
# The party committee or government named after its place: 中共某某县委(员会), 某某县人民政府, and the people's
# institutions a division keeps (某某县人民医院, 某某区人民法院), matched where a word starts (the committee's form
# after 中共).
_ORGAN = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,4}?)(?P<suffix>[县市区旗])"
                    r"(?P<organ>委|工委|人民(?:政府|医院|法院|检察院|代表大会))")


# A list of divisions of one shape (桐岭县、大坪县、凤溪区): at least this many items, each a stem of two or three
# characters and a division's suffix, set apart by 、.
# The last item may follow 和/及/与, and a redacted item (XX县) counts for the shape but names nothing.
MIN_LISTED = 3
_ITEM = r"(?:[\u4e00-\u9fff]{2,3}?|[Xx×*]{2,3})[县区旗市]"  # 和, 及, 与 may stand in a name (和平县)
_LISTED = re.compile(rf"(?:{_ITEM}、){{{MIN_LISTED - 2},}}{_ITEM}[、和及与]{_ITEM}")


@dataclass(frozen=True)
class Division:
    """A county or city named by the text, with its [start, end), level and the division holding it, if written."""

    start: int
    end: int
    name: str
    level: str
    parent: str | None = None


def _owner(tokens: list[Token], pos: int) -> Token | None:
    return next((t for t in tokens if t.start <= pos < t.end), None)


def _stem_ok(text: str, start: int, end: int, tokens: list[Token], lexicon: Lexicon, organ: bool = False,
             held: bool = False) -> bool:
    """text[start:end] may be a division's own name: Chinese characters, no determiner or joining character
    first, no division character, no placeholder, and made of words that may name (no function word, verb,
    direction or number), not running into a common word that ends after the suffix (山区 of 西部山区). With
    `held` (right after its holder's suffix) a stem may begin inside a word that the holder's suffix opens:
    jieba glues a suffix to what follows (某市东|礁县 as 市东|礁|县, 某盟查干|淖尔旗 as 盟查干|淖尔|旗), and
    the holder found there already ends at that suffix."""
    stem = text[start:end]
    if not stem or not all("\u4e00" <= ch <= "\u9fff" for ch in stem) or has_placeholder(stem):
        return False
    if stem[0] in STEM_NOT_FIRST or stem.startswith(lexicon.words("place_determiner")):
        return False
    # 州 may end a city's own name (某州市, as 杭州市 or 广州市 are written)
    inner = stem[:-1] if stem.endswith("州") and text.startswith("市", end) else stem
    if any(ch in DIVISION_CHARS for ch in inner) or any(ch in NOT_NAME_CHARS for ch in stem):
        return False  # 珠三角九市, 省内各市: a count or a determiner, no name
    if any(text.startswith(zone, end + 1 - len(zone)) for zone in lexicon.words("place_zone")):
        return False  # 高新区, 天府新区: a zone (places.py reads it with the city holding it)
    for token in tokens:
        if token.end <= start or token.start >= end:
            continue
        if token.start < start and not (held and token.start == start - 1 and text[token.start] in DIVISION_CHARS
                                        and token.end <= end):
            return False  # the stem begins inside a word (市中心|区 is one word: no 中心区 under the city)
        if token.end <= end and (token.flag in FUNCTION_FLAGS or len(token.word) > 1 and token.flag in NOT_STEM_FLAGS):
            return False  # a name's single character may be any word to jieba (明|港区, 新|滩区), no function word
        if token.end <= end and len(token.word) > 1 and not token.flag.startswith(PROPER_FLAGS) \
                and lexicon.segmenter.frequency(token.word) >= COMMON_WORD:
            return False  # 当地县, 基层区, 试点县: a common word before the suffix names no division
        if token.end > end + 1 and not token.flag.startswith(PROPER_FLAGS) \
                and lexicon.segmenter.frequency(token.word) >= (COMMON_ALONE if token.start < end else COMMON_WORD):
            return False  # 示范区域: the suffix opens a common word; 农贸|市场: a word runs through it
    suffix = _owner(tokens, end)
    organ = organ or text.startswith(ORGAN_TAILS, end + 1)  # 某某县委, 某某县政府: the division's own organ
    if not organ and suffix is not None and suffix.start == end and len(suffix.word) > 1 \
            and lexicon.segmenter.frequency(suffix.word) >= COMMON_WORD:
        return False  # 区域, 市场, 县城: the suffix opens a common word
    if suffix is not None and suffix.start < end and suffix.start >= start and len(suffix.word) > 1 \
            and suffix.end == end + 1 and (lexicon.segmenter.frequency(suffix.word) >= COMMON_WORD
                                           or suffix.word in lexicon.word_set("area_word")):
        return False  # 山区, 城区, 社区, 老旧|小区: the suffix ends a common word or a kind of area
    whole = next((t for t in tokens if t.start == start and t.end == end + 1), None)
    if whole is not None and not whole.flag.startswith(("ns", "nr", "nz")):
        return False  # 主城区: a word of the language for a kind of area, not a name
    return lexicon.segmenter.frequency(stem + text[end]) < COMMON_WORD


def _autonomous(lexicon: Lexicon) -> re.Pattern:
    """An autonomous division's full name: its own name, the peoples it is for and 自治州/自治县/自治旗."""
    def build() -> str:
        # a people may be written without 族 (巴音郭楞蒙古自治州)
        nations = sorted({form for n in lexicon.gazetteer.nations for form in (n, n[:-1]) if len(form) >= 2},
                         key=len, reverse=True)
        peoples = "|".join(re.escape(n) for n in nations) or "(?!)"
        return rf"(?P<stem>[\u4e00-\u9fff]{{2,4}}?)(?P<peoples>(?:{peoples}){{1,3}})自治(?P<suffix>州|县|旗)"
    return lexicon.pattern("divisions:autonomous", build)


def autonomous_short(name: str, lexicon: Lexicon) -> str | None:
    """The short name an autonomous division goes by after its full name (某某土家族苗族自治州 → 某某州), or None
    for any other name.

    >>> from api.settings import DEFAULT_LEXICON
    >>> from ingest.extract import load_lexicon
    >>> lex = load_lexicon(DEFAULT_LEXICON)
    >>> [autonomous_short(n, lex) for n in ("柳江土家族苗族自治州", "柳岚满族自治县", "柳岚县")]
    ['柳江州', '柳岚县', None]
    """
    match = _autonomous(lexicon).fullmatch(name)
    return match.group("stem") + match.group("suffix") if match else None


def _past_holder(stem: str, lexicon: Lexicon) -> tuple[int, str | None]:
    """Where an autonomous division's own name starts in what its pattern took as the stem: after a province or
    city written before it without a break (云南|某某, 新疆|伊犁) or after 中国; with the holder's full name."""
    for size in range(min(len(stem) - 2, 4), 1, -1):
        head = stem[:size]
        if head in ("中国", "我国"):
            return size, None
        places = [p for p in (*lexicon.gazetteer.by_name.get(head, ()), *lexicon.gazetteer.by_alias.get(head, ()))
                  if p.level in ("province", "city")]
        if places:
            return size, places[0].name
    return 0, None


def _department(text: str, at: int, lexicon: Lexicon, flag: str) -> bool:
    """A committee's department or post is written at `at` (组织部, 宣传部, 书记: the lexicon's `organ_department`)
    after a stem whose first word jieba flags `flag`. A post (书记, 常委) follows a person's name as readily as a
    place's (王某某|县委书记), so before a post the stem must read as a place or another name, not a person's."""
    word = next((w for w in lexicon.words("organ_department") if text.startswith(w, at)), None)
    if word is None:
        return False
    return word not in POSTS or flag.startswith(("ns", "nz"))


# The posts among the committee's departments and posts (the rest are departments: 组织部, 宣传部, 办公室).
POSTS = ("书记", "副书记", "常委")


def _suffix_apart(text: str, at: int, tokens: list[Token]) -> bool:
    """The suffix at `at` is a token of its own or ends a proper name's token, not a common word's (强县)."""
    owner = _owner(tokens, at)
    return owner is None or owner.start == at or owner.flag.startswith(PROPER_FLAGS)


def _rare_stem(start: int, end: int, tokens: list[Token], lexicon: Lexicon) -> bool:
    """A listed name's stem holds no word of the language (法治县、文明县 are slogans of what to build): each word
    of two or more characters in it is a place name to jieba or rarer than COMMON_ALONE."""
    return all(len(t.word) < 2 or t.flag.startswith("ns") or lexicon.segmenter.frequency(t.word) < COMMON_ALONE
               for t in tokens if start <= t.start and t.end <= end)


def _held(text: str, at: int, level: str, parent: str, tokens: list[Token], lexicon: Lexicon) -> Division | None:
    """The division written right at `at` under a division of `level` named `parent`, or None."""
    suffixes = HELD_SUFFIXES.get(level, "")
    for chars in STEM_CHARS:
        end = at + chars
        if end >= len(text):
            return None
        if text[end] in suffixes and _stem_ok(text, at, end, tokens, lexicon, held=True):
            name = text[at : end + 1]
            return Division(at, end + 1, name, LEVEL_OF.get((level, text[end]), "county"), parent)
    return None


def unlisted_divisions(text: str, tokens: list[Token], lexicon: Lexicon,
                       holders: list[tuple[int, str, str]], taken: list[tuple[int, int]],
                       beside: list[tuple[int, int, str]] = ()) -> list[Division]:
    """Counties and cities the gazetteer does not list, in the order of the text: below a division the passage
    names (`holders`: (end, level, name) of the places found, provinces and cities), listed beside a county or city
    found (`beside`: (start, end, level) of the counties and cities found otherwise), and as the place of a party
    committee or government. `taken`: (start, end) of places already found, which none of these overlaps.

    >>> from api.settings import DEFAULT_LEXICON
    >>> from ingest.extract import load_lexicon
    >>> lex = load_lexicon(DEFAULT_LEXICON)
    >>> t = "江西省赣州市岚溪县遭遇强降雨"
    >>> found = unlisted_divisions(t, lex.segmenter.tokens(t), lex, [(6, "city", "赣州市")], [])
    >>> [(d.name, d.level, d.parent) for d in found]
    [('岚溪县', 'county', '赣州市')]
    """
    found: list[Division] = []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in (*taken, *((d.start, d.end) for d in found)))

    queue = sorted(holders)
    while queue:
        at, level, parent = queue.pop(0)
        held = _held(text, at, level, parent, tokens, lexicon)
        if held is not None and free(held.start, held.end):
            found.append(held)
            if held.level == "city":  # 某省某某市某某县: the chain goes on, here and where the city is written again
                queue += [(at + len(held.name), "city", held.name) for at in occurrences(text, held.name, held.start)]
                queue.sort()
    for token in tokens:  # 某某土家族苗族自治州, 某某满族自治县: the peoples and 自治 say it is a division
        match = _autonomous(lexicon).match(text, token.start)
        if match is None or not token.flag.startswith(PROPER_FLAGS):
            continue
        begin, above = _past_holder(match.group("stem"), lexicon)  # 云南|某某彝族自治州: the province written first
        start = match.start() + begin
        name = text[start : match.end()]
        stem = match.group("stem")[begin:]
        if len(stem) < 2 or any(ch in DIVISION_CHARS or ch in NOT_NAME_CHARS for ch in stem) or has_placeholder(stem) \
                or name in lexicon.gazetteer.by_name or not free(start, match.end()):
            continue
        level = "city" if match.group("suffix") == "州" else "county"
        holder = "province" if level == "city" else "city"
        parent = above or next((n for end, kind, n in holders if end == start and kind == holder), None)
        found.append(Division(start, match.end(), name, level, parent or None))
        county = _held(text, match.end(), "city", name, tokens, lexicon) if level == "city" else None
        if county is not None and free(county.start, county.end):
            found.append(county)  # 某某自治州某某县: the chain goes on
    for token in tokens:  # 某某市某某县 with neither listed: the address vouches for both
        if not token.flag.startswith(PROPER_FLAGS):
            continue
        city = _held(text, token.start, "province", "", tokens, lexicon)
        if city is None or city.level != "city" or not text.endswith("市", 0, city.end) \
                or not free(city.start, city.end):
            continue
        county = _held(text, city.end, "city", city.name, tokens, lexicon)
        if county is not None and county.level == "county" and free(county.start, county.end):
            found += [Division(city.start, city.end, city.name, "city"), county]
    for token in tokens:
        match = _ORGAN.match(text, token.start)
        if match is None:
            continue
        start, end = match.start("stem"), match.end("stem")
        if not match.group("organ").startswith("人民") and not text.endswith("中共", 0, token.start) \
                and not (_department(text, match.end(), lexicon, token.flag) and token.flag.startswith(PROPER_FLAGS)):
            continue  # 书面报告|市委组织部: without 中共 the stem opens with what jieba reads as a name
        if _stem_ok(text, start, end, tokens, lexicon, organ=True) and free(start, end + 1):
            level = "city" if match.group("suffix") == "市" else "county"
            found.append(Division(start, end + 1, text[start : end + 1], level))
    starts = {t.start for t in tokens}
    done = 0
    for token in tokens:
        match = _LISTED.match(text, token.start) if token.start >= done else None
        if match is None:
            continue
        items = [(match.start() + m.start(), match.start() + m.end())
                 for m in re.finditer(_ITEM, match.group(0))]
        named = [(a, b) for a, b in items if not has_placeholder(text[a:b])]
        # each item a name to itself: its suffix its own character or the end of a name, not of a word such as
        # 强县 or 名区 (经济强县、工业大县 are slogans)
        if len(named) >= 2 and all(a in starts and _stem_ok(text, a, b - 1, tokens, lexicon, organ=True)
                                   and _suffix_apart(text, b - 1, tokens) and _rare_stem(a, b - 1, tokens, lexicon)
                                   for a, b in named):
            done = match.end()
            found += [Division(a, b, text[a:b], "city" if text[b - 1] == "市" else "county")
                      for a, b in named if free(a, b)]
    # every place a found county or city is written, for the lists beside it (其中|凤岭县 … 途经凤岭县、柳北县)
    written = [(at, at + len(d.name), d.level) for d in found for at in occurrences(text, d.name)]
    found += _listed_beside(text, tokens, lexicon, [*beside, *written], free)
    return sorted(found, key=lambda d: d.start)


def divisions_above(text: str, tokens: list[Token], lexicon: Lexicon, below: list[int],
                    taken: list[tuple[int, int]]) -> list[Division]:
    """Counties and cities written right before a town, street, village or community found at one of `below` (its
    start): an address is written from the top down (以某某县同心苑社区为例, 某某区槐安街道后屯村), so the place
    before the lower one is the division holding it, whatever its name. Each a stem of two to four characters
    passing the checks of a division's own name; none overlapping `taken`."""
    out: list[Division] = []
    starts = {t.start for t in tokens}
    for at in sorted(set(below)):
        if at < 3 or text[at - 1] not in "县区旗市" or any(a < at and at <= b for a, b in taken):
            continue
        for chars in STEM_CHARS:
            begin = at - 1 - chars
            if begin < 0 or begin not in starts or any(a < at and begin < b for a, b in taken):
                continue
            if _stem_ok(text, begin, at - 1, tokens, lexicon) and _suffix_apart(text, at - 1, tokens):
                level = "city" if text[at - 1] == "市" else "county"
                out.append(Division(begin, at, text[begin:at], level))
                break
    return out


# What joins two items of a list (甲县、乙县, 甲县和乙县).
LIST_JOINERS = "、和及与"


def _listed_beside(text: str, tokens: list[Token], lexicon: Lexicon, named: list[tuple[int, int, str]],
                   free) -> list[Division]:
    """Counties and cities listed right beside a division found (凤岭县、柳北县, 柳北县、凤岭县): one list holds
    names of one kind, as a list's village vouches for the next (localities.py). Each item a stem of two or three
    characters and the same suffix, a name to itself (its suffix not a common word's end)."""
    out: list[Division] = []
    starts = {t.start for t in tokens}

    def vacant(start: int, end: int) -> bool:  # neither found before nor by another item of the list
        return free(start, end) and not any(d.start < end and start < d.end for d in out)

    for a, b, level in sorted(named):
        suffix = text[b - 1] if b > a else ""
        if suffix not in "县区旗市" or level not in ("city", "county"):
            continue
        after = b + 1 if b < len(text) and text[b] in LIST_JOINERS else -1
        for chars in STEM_CHARS[:2]:
            if after > 0 and text.startswith(suffix, after + chars) and after in starts \
                    and _stem_ok(text, after, after + chars, tokens, lexicon, organ=True) \
                    and _suffix_apart(text, after + chars, tokens) and vacant(after, after + chars + 1):
                out.append(Division(after, after + chars + 1, text[after : after + chars + 1], level))
                break
            before = a - 1 - chars - 1  # …乙县、|甲县: the item ending right before the joiner
            if a > 0 and text[a - 1] == "、" and before >= 0 and text[a - 2] == suffix and before in starts \
                    and _stem_ok(text, before, a - 2, tokens, lexicon, organ=True) \
                    and _suffix_apart(text, a - 2, tokens) and vacant(before, a - 1):
                out.append(Division(before, a - 1, text[before : a - 1], level))
                break
    return out
