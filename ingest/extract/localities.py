"""Extract stage: places below the county — a name before 村/社区/街道/镇/乡 (桂花村, 王家岭镇, 望岳街道), told
by the suffix and guarded by what a name is not: a determiner (全村, 该镇, 各街道, 本社区), a number (一个村),
a function word, or a common word of the language (贫困村, 示范村, 城市社区, 新农村, 乡村)."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon
from .segment import Token
from .spans import has_placeholder

SUFFIX_KINDS = (("place_street", "street"), ("place_town", "town"), ("place_village", "village"))
PROPER = ("ns", "nr", "nrt", "nrfg", "nz")
# Flags of words that never make part of a place name: prepositions, pronouns, conjunctions, adverbs,
# particles, measure words, interjections, punctuation.
FUNCTION_FLAGS = ("p", "r", "c", "d", "u", "uj", "ul", "uz", "ug", "uv", "ud", "q", "y", "e", "o", "w", "x", "zg")
# Flags of words that describe rather than name: idioms, phrases, adjectives, verbs (幸福, 软弱涣散).
NOT_NAME_FLAGS = ("i", "l", "a", "ad", "an", "v", "vn", "vd", "t", "z", "j", "h", "k")
# A single character that is a verb or preposition joins no name (报到社区, 城带乡).
SINGLE_NOT_NAME_FLAGS = ("v", "vn", "vg", "h", "k")
SUFFIX_CHARS = frozenset("村镇乡")
COUNTY_CHARS = frozenset("县市区省")
# Characters that join a name to what comes before it and never open a recurring name (的营盘村, 和营盘村).
STEM_NOT_FIRST = frozenset("的和与及是为对在把被从向到往于由给让使将")
# A token holding a numeral character counts or orders things when jieba reads it as a number (十多, 两个), not
# when it reads a word (百合 of 百合苑, 万家 of 万家村).
NUMBER_FLAGS = ("m", "mq", "q")
NUMERALS = frozenset("0123456789一二三四五六七八九十百千万两几多数")
# Numerals spelled out that a name may open with, before a character of its own (十八洞村, 三道沟镇).
SPELLED_NUMERALS = frozenset("一二三四五六七八九十百千")
# A dictionary word this common is a word of the language, not a name (城市 25,084; 中心 23,969; jieba's
# counts), whatever its flag; one not tagged as a proper name is a common word from COMMON_WORD on (示范 and
# 贫困 are counted in the thousands; 王家 979, 黄家 800 and 石门 672 head real names). The words that classify places
# rather than name them (空壳村, 文明村, 智慧社区) are the lexicon's `place_kind`: jieba counts some of them
# rarely and tags others as names.
COMMON_ANY = 10_000
COMMON_WORD = 1_000
# A name of one dictionary word must be rarer still unless tagged as a name (枫林 ns, 柳营 nr pass; 专业化
# 362, 选派 309 and 负债 343, nouns to jieba, do not).
COMMON_ALONE = 50
MAX_STEM_CHARS = 4
# Characters that start no place name: they point at a place already named or say where one goes
# (驻村, 进村, 到村, 回村…), beyond the lexicon's place determiners (各, 该, 本, 全…).
NOT_A_START = frozenset("驻进到入在回返出下留离包联帮扶强治")
# Flags of a common word that still names a place where the text vouches for it: right after the place that
# holds it (城关镇青石村) or right before its own organ (东风社区党委, 青石镇党委): nouns and names, never a verb
# or an adjective (选举村两委, 优秀村党组织). Nouns that class places (产业村, 典型村) are the lexicon's
# `place_kind`. Vouching by the organ added one place on devweb + seeds (a class noun, now a kind) and none
# on the seeds alone.
VOUCHABLE_FLAGS = ("n", "nz", "ns", "nr", "nrt", "nrfg", "nt", "s")


@dataclass(frozen=True)
class Locality:
    """A place name below the county found by its suffix, with its [start, end) in the text."""

    start: int
    end: int
    name: str
    level: str


def _suffix_levels(lexicon: Lexicon) -> tuple[tuple[str, str], ...]:
    """(suffix, level), longest suffix first (街道办事处 before 街道)."""
    return lexicon.memo("localities:suffixes", lambda: tuple(sorted(
        ((w, level) for kind, level in SUFFIX_KINDS for w in lexicon.words(kind)), key=lambda s: -len(s[0]))))


def _suffix_at(token: Token, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """Where a place suffix sits in `token`: (its start, its end, level), when the token is the suffix, ends
    with it after a name (坪村 of 刘家/坪村: a token jieba tags as a proper name or does not know), or begins with it
    followed by an organ (镇党委)."""
    word = token.word
    for suffix, level in _suffix_levels(lexicon):
        if word == suffix:
            return token.start, token.end, level
        if word.endswith(suffix):
            if token.flag in PROPER or lexicon.segmenter.frequency(word) == 0 and token.flag not in NOT_NAME_FLAGS:
                return token.end - len(suffix), token.end, level
            return None  # 回村, 返乡, 全镇, 本村, 贫困村: a word that ends so
        if word.startswith(suffix) and word[len(suffix):] in lexicon.word_set("place_organ"):
            return token.start, token.start + len(suffix), level
    return None


def _dictionary_name(token: Token, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """Where a place suffix ends a noun jieba's dictionary holds whole (竹园村, 桥头镇): the suffix's position
    and level, when what comes before it would name a place (`_name_ok`) and the suffix does not close a word of
    the language of its own (家乡, 他乡, 农村, 乡镇). Such a name is taken only where the text vouches for it
    (see `localities`): the dictionary also holds 民俗村 and 度假村.
    """
    if token.flag != "n":
        return None
    for suffix, level in _suffix_levels(lexicon):
        stem = token.word[:-len(suffix)]
        if not token.word.endswith(suffix) or len(stem) < 2:
            continue
        closing = token.word[-len(suffix) - 1:]
        if lexicon.segmenter.frequency(closing) >= COMMON_WORD or not _name_ok(stem, lexicon):
            return None
        return token.end - len(suffix), token.end, level
    return None


def _common(word: str, lexicon: Lexicon, limit: int = COMMON_WORD, vouched: bool = False) -> bool:
    """A word of the language rather than a name (see COMMON_ANY, COMMON_WORD); where the text vouches for a
    name, only a word of COMMON_ANY or one that is no noun (VOUCHABLE_FLAGS) is."""
    frequency = lexicon.segmenter.frequency(word)
    if frequency >= COMMON_ANY:
        return True
    flag = lexicon.segmenter.flag(word)
    if vouched:
        return frequency >= limit and flag not in VOUCHABLE_FLAGS
    return frequency >= limit and flag not in PROPER


# Characters naming a feature of the land that end so many place names (栖霞湾, 桃坳, 杨柳畈, 青岗岭, 石门坎): jieba
# often leaves one alone and tags it a measure word or a bound morpheme; before a place suffix it is part of the name.
TOPONYM_ENDS = frozenset("湾坳畈冲岭坪沟坡塘垭洼嘴岗岩峪滩洲坝寨屯堡铺甸坎垸圩墩"
                         # … and a housing estate's, which names so many communities (百合苑社区, 桂花园社区)
                         "苑园庭府坊")


def _part_ok(token: Token, lexicon: Lexicon, alone: bool, vouched: bool = False) -> bool:
    """Whether a token can be part of a place name; `alone`: it would be the whole name (选派, 空白 and
    负债 are nouns to jieba, but common ones: a name is a proper noun or a rare word). A number counts or
    orders things (两个村, 十多个乡镇), except in a name jieba knows (三河 ns) or before a name's own
    character (十八 of 十八洞村)."""
    if token.word in TOPONYM_ENDS:  # never a whole name: the walk goes on to the word before it
        return True
    if token.flag in FUNCTION_FLAGS or has_placeholder(token.word):
        return False
    if any(ch in NUMERALS for ch in token.word) and (token.flag in NUMBER_FLAGS or token.word[0].isdigit()):
        spelled = all(ch in SPELLED_NUMERALS for ch in token.word)
        return token.flag in PROPER or (spelled and not alone)
    if len(token.word) == 1:
        return token.flag not in SINGLE_NOT_NAME_FLAGS
    if token.flag in NOT_NAME_FLAGS:
        return False
    return not _common(token.word, lexicon, COMMON_ALONE if alone else COMMON_WORD, vouched)


def _stem(tokens: list[Token], index: int, start: int, text: str, lexicon: Lexicon,
          vouched: bool = False) -> int | None:
    """Where the name before a suffix starting at `start` begins: the characters of tokens[index] before
    the suffix (坪 of 坪村), then whole tokens before them until the name has two characters, a token of two
    or more ending the walk (刘家 + 坪 of 坪村); None when the name would hold what no name holds. `vouched`:
    the text vouches for a name here (see VOUCHABLE_FLAGS), so a common noun (东风, 青石) or a start that
    elsewhere says where someone goes (下庄村 against 下村) may name it."""
    own = text[tokens[index].start:start]
    if own and ((own[0] in NOT_A_START and not vouched) or own[0] in lexicon.word_set("place_determiner")):
        return None  # 回村, 全镇
    begin, j = tokens[index].start, index - 1
    while start - begin < 2 and j >= 0 and tokens[j].end == begin:
        token = tokens[j]
        # after a name's own ending (百合|苑), a word of the language is the name's first part, not the name
        ended = start - begin == 1 and text[begin] in TOPONYM_ENDS
        if not _part_ok(token, lexicon, alone=begin == start, vouched=vouched or ended):
            return None
        begin = token.start
        j -= 1
        if len(token.word) > 1:
            break
    if start - begin > 2 and text[begin] in SUFFIX_CHARS:
        begin += 1  # 镇双河村: the town's suffix before the village's name
    return begin if _name_ok(text[begin:start], lexicon, vouched) else None


def _name_ok(name: str, lexicon: Lexicon, vouched: bool = False) -> bool:
    if not 2 <= len(name) <= MAX_STEM_CHARS or not all("\u3400" <= ch <= "\u9fff" for ch in name):
        return False
    if any(name == suffix for suffix, _ in _suffix_levels(lexicon)):
        return False  # 苏木镇 (5个苏木镇: townships and towns together), 乡镇: a kind of place before another
    if _kind_of_area(name, lexicon):
        return False
    if name[0] in SUFFIX_CHARS and not lexicon.segmenter.flag(name).startswith("ns"):
        return False  # 村屯街道, 乡镇社区: kinds of place side by side, not a name (镇南, a place, is one)
    words = lexicon.segmenter.tokens(name) if len(name) >= 3 else []  # a two-character name (丰胜乡) is
    last = words[-1].word if words else ""  # read in its context
    if len(words) > 1 and len(last) == 1 and words[-1].flag.startswith("v") and last not in TOPONYM_ENDS:
        return False  # 能人治村, 产业兴村: a slogan (a word, then how it runs the village); not 杨家冲村
    determiners = lexicon.words("place_determiner")
    if name[0] in determiners or name.startswith(tuple(d for d in determiners if len(d) > 1)):
        return False  # 全镇, 个别村
    if (name[0] in NOT_A_START and not vouched) or _common(name, lexicon, vouched=vouched):
        return False
    if any(organ in name for organ in lexicon.words("place_organ")):
        return False  # 党工委街道: an organ, not a name
    if name.startswith(tuple(w for w in lexicon.words("action_verb") if len(w) > 1)):
        return False  # 建立健全, 选派: what was done, not where
    kinds = lexicon.word_set("place_kind")
    if name in kinds or any(name.startswith(k) or name.endswith(k) for k in kinds if len(k) > 1):
        return False
    return not all(ch in kinds for ch in name)  # 老旧, 大小: single-character kinds together


# A word ending in 区 that names a kind of area (牧区, 林区, 库区, 矿区, 辖区) rather than one place: a dictionary
# word of two characters that the gazetteer does not hold (牧区嘎查 is a pastoral area's village, not a name).
AREA_END = "区"


def _kind_of_area(name: str, lexicon: Lexicon) -> bool:
    """A kind of area before a place's suffix (see AREA_END).

    The gazetteer's districts (朝阳区) are places; 社区 and 小区 are never a stem here (社区 is a suffix)."""
    if len(name) != 2 or not name.endswith(AREA_END) or not lexicon.segmenter.frequency(name):
        return False
    gazetteer = lexicon.gazetteer
    return name not in gazetteer.by_name and name not in gazetteer.by_alias


def _straddling_suffix(tokens: list[Token], index: int, text: str, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """A two-character suffix that jieba split across a name and the next token (长安街/道, 新华社/区): it
    starts on the last character of tokens[index] and ends where the next token ends."""
    token = tokens[index]
    if index + 1 >= len(tokens) or tokens[index + 1].start != token.end:
        return None
    after = tokens[index + 1]
    for suffix, level in _suffix_levels(lexicon):
        if len(suffix) == 2 and len(token.word) >= 3 and text[token.end - 1:after.end] == suffix:
            return token.end - 1, after.end, level
        # … or cut in two characters of their own (巴音塔拉|嘎|查): the suffix is both, after a name
        if len(suffix) == 2 and len(token.word) == 1 and len(after.word) == 1 and token.word + after.word == suffix \
                and index > 0 and tokens[index - 1].end == token.start:
            return token.start, after.end, level
    return None


def _village_runs_on(tokens: list[Token], index: int) -> bool:
    """A two-character token whose second character opens a village jieba read as the next token (镇高|坎村: the
    town's suffix, then 高坎村)."""
    token = tokens[index]
    if len(token.word) != 2 or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    return after.start == token.end and after.flag in PROPER and after.word.endswith(("村", "社区", "嘎查")) \
        and 2 <= len(after.word) <= 3


def _leading_suffix(tokens: list[Token], index: int, text: str, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """A one-character suffix that jieba glued to the start of the next name (石盘|镇龙溪坝|村): it ends the name
    before it when that token is a name to jieba and the word before it may be part of a name."""
    token = tokens[index]
    if index == 0 or token.flag not in PROPER or tokens[index - 1].end != token.start:
        return None
    if len(token.word) < 3 and not _village_runs_on(tokens, index):
        return None
    before = tokens[index - 1]
    if not "\u4e00" <= before.word[-1] <= "\u9fff" or before.flag in FUNCTION_FLAGS or before.flag in NOT_NAME_FLAGS:
        return None
    for suffix, level in _suffix_levels(lexicon):
        if len(suffix) == 1 and token.word.startswith(suffix) and level != "village":
            return token.start, token.start + 1, level
    return None


def _doubled_suffix(tokens: list[Token], index: int, lexicon: Lexicon) -> tuple[int, int, str] | None:
    """A one-character suffix jieba read doubled with the next word's first character (高坡|村村|级, 鹿鸣|村村|医: 村村,
    every village, is a word to jieba): its first character ends the name before it when that is a name to jieba,
    or a rare noun that could name a place (岭头|村村|监委: 岭头 is a noun jieba has seen only a few times)."""
    token = tokens[index]
    word = token.word
    if index == 0 or len(word) != 2 or word[0] != word[1] or word[0] not in SUFFIX_CHARS:
        return None
    before = tokens[index - 1]
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    # … where an organ or another noun follows (岭头村|村监委), not an action or a degree (电商村村全覆盖, 公厕村村建:
    # a facility in every village)
    organ_after = after is not None and after.start == token.end and after.flag.startswith("n") and len(after.word) > 1
    rare = before.flag == "n" and len(before.word) >= 2 and lexicon.segmenter.frequency(before.word) < COMMON_ALONE \
        and _name_ok(before.word, lexicon) and organ_after
    if before.end != token.start or (before.flag not in PROPER and not rare):
        return None
    level = next((lv for suffix, lv in _suffix_levels(lexicon) if suffix == word[0]), None)
    return (token.start, token.start + 1, level) if level else None


# A name's first characters that jieba cut off as a character of their own (湾 of 清原县湾甸子镇, 大 of 大苏河乡)
# join it when a place ends right before them: at most this many characters between that place and the name.
MAX_LEFT_OVER = 2
# Flags of a left-over character that still joins no name: prepositions, pronouns, conjunctions, adverbs,
# particles, numerals and measure words (江苏省在村, 上海市各街道).
LEFT_OVER_NOT_FLAGS = ("p", "r", "c", "d", "u", "uj", "ul", "uz", "ug", "uv", "ud", "m", "q", "y", "e", "o", "w", "x")


def _back_to_place(tokens: list[Token], begin: int, place_ends: set[int], text: str, lexicon: Lexicon) -> int:
    """Where the name starting at `begin` really starts: at the end of a place named just before it, when only
    MAX_LEFT_OVER characters of jieba's cutting lie between (清原县|湾|甸子镇 → 湾甸子镇); else `begin`."""
    for end in sorted(place_ends):
        if 0 < begin - end <= MAX_LEFT_OVER:
            gap = [t for t in tokens if end <= t.start < begin]
            if not gap or gap[0].start != end or gap[-1].end != begin:
                continue
            if text[end] in NOT_A_START or text[end] in lexicon.word_set("place_determiner"):
                continue
            if all(len(t.word) == 1 and t.flag not in LEFT_OVER_NOT_FLAGS and "\u3400" <= t.word <= "\u9fff"
                   for t in gap):
                return end
    return begin


# A single character jieba cut off a name's start (东|河湾|村, 白|水寨|村, 桂|花园|社区) where nothing stands before
# it but a clause's start: jieba reads it as a noun, place, direction or quality, and the name stays this short.
FIRST_CHAR_FLAGS = ("n", "ns", "nr", "nrt", "nz", "ng", "a", "ag", "b", "f", "s")


def _clause_first_char(tokens: list[Token], begin: int, end: int, text: str, lexicon: Lexicon) -> int:
    """Where the name ending at `end` and starting at `begin` really starts: one character earlier when a
    single character that may open a name (FIRST_CHAR_FLAGS, not 在, 到, 全…) stands alone between a clause's
    start (the text's start, punctuation, a space or a digit) and the name, and the name stays at most
    MAX_STEM_CHARS long before its suffix; else `begin`."""
    token = next((t for t in tokens if t.end == begin), None)
    if token is None or len(token.word) != 1 or not "\u4e00" <= token.word <= "\u9fff":
        return begin
    # before a transliteration (托|格拉|克村) the character is its first syllable whatever jieba tags it
    transliterated = any(t.start == begin and t.flag == "nrt" for t in tokens) and token.flag not in FUNCTION_FLAGS
    if (token.flag not in FIRST_CHAR_FLAGS and not transliterated) or token.word in NOT_A_START \
            or token.word in lexicon.word_set("place_determiner"):
        return begin
    opens = token.start == 0 or not "\u3400" <= text[token.start - 1] <= "\u9fff"
    return token.start if opens and end - token.start <= MAX_STEM_CHARS else begin


# A transliterated name jieba cut in two names (巴音|塔拉|嘎查, 阿热|布拉克|乡: Mongolian, Tibetan, Uyghur names), of
# at most this many characters.
TRANSLITERATED_FLAGS = ("ns", "nrt", "nr")
MAX_TRANSLITERATED_CHARS = 6


def _transliterated(tokens: list[Token], begin: int, end: int, places: set[int], lexicon: Lexicon) -> int:
    """Where the name starting at `begin` really starts: at the two-character token before it, when both are
    names to jieba (TRANSLITERATED_FLAGS), one of them a transliteration or a place, the name before its suffix is
    at most MAX_TRANSLITERATED_CHARS long, and the first is no place of the gazetteer (北京|石桥村 is two places,
    not one name); else `begin`."""
    first = next((t for t in tokens if t.start == begin), None)
    before = next((t for t in tokens if t.end == begin), None)
    if first is None or before is None or end - before.start > MAX_TRANSLITERATED_CHARS:
        return begin
    if len(before.word) not in (2, 3) or len(first.word) < 2 or first.end != end \
            or "nrt" not in (first.flag, before.flag) and "ns" not in (first.flag, before.flag):
        return begin  # two names of people (王|建国) make no village's name
    if first.flag not in TRANSLITERATED_FLAGS or before.flag not in TRANSLITERATED_FLAGS:
        return begin
    known = before.word in lexicon.gazetteer.by_name or before.word in lexicon.gazetteer.by_alias
    # … unless the name's second half is a transliteration and the first no place to jieba (巴彦|乌拉|镇: 巴彦 is
    # also a county's short name, but a Mongolian name's common first word)
    known = known and not (first.flag == "nrt" and before.flag != "ns")
    return begin if known or begin in places else before.start  # 石桥镇|镇南社区: a place, then the name


def _chained(begin: int, found: list[Locality], after: frozenset[int]) -> bool:
    """A place ends right at `begin` (城关镇|青石村)."""
    return begin in after or bool(found and found[-1].end == begin)


# The mark that sets the items of a list apart (青杠镇、石板乡、红岩街道): a name listed right after a place is one of
# the places listed.
LIST_MARK = "、"


def _listed(begin: int, found: list[Locality], after: frozenset[int], text: str) -> bool:
    """A place ends right before the list mark before `begin` (青杠镇、石板乡)."""
    return begin > 0 and text[begin - 1] == LIST_MARK and _chained(begin - 1, found, after)


def _unworded_stem(stem: str, lexicon: Lexicon) -> bool:
    """A dictionary place name whose stem is no word of the language (后营|村, 店张|镇) names one place: a kind of
    village is made of a word (民俗村, 示范村, 中心村), and so is a phrase (华侨之乡, 客死他乡)."""
    return 2 <= len(stem) <= 3 and lexicon.segmenter.frequency(stem) == 0 and stem[-1] not in "之他异" \
        and not any(ch in SUFFIX_CHARS for ch in stem)


def _vouched(begin: int, end: int, found: list[Locality], after: frozenset[int], text: str, lexicon: Lexicon,
             marks: frozenset[tuple[int, str]] = frozenset(), level: str = "") -> bool:
    """The text vouches for a name at text[begin:end]: a place ends right before it (城关镇青石村) or right before
    the list mark before it (青杠镇、石板乡), a place of the same suffix follows the list mark after it (`marks`:
    石门村、杨柳坪村, where 杨柳坪村 vouched for itself), or its own organ follows it (竹园村党总支)."""
    return _chained(begin, found, after) or _listed(begin, found, after, text) or (end, level) in marks \
        or text.startswith(lexicon.words("place_organ"), end)


def _after_place(tokens: list[Token], index: int, suffix_start: int, found: list[Locality], after: frozenset[int],
                 text: str, lexicon: Lexicon) -> int | None:
    """Where a name starts whose first character jieba took for a verb, right after the place holding it
    (高岭镇|弄|怀村: 怀村 a name to jieba, 弄 a verb): the name is that character and the rest of the token, when
    the rest is one character tagged as a name and the character may start a name (not 驻, 进, 到…)."""
    token = tokens[index]
    own = text[token.start:suffix_start]
    if index == 0 or len(own) != 1 or token.flag not in PROPER:
        return None
    before = tokens[index - 1]
    if len(before.word) != 1 or before.end != token.start or not "\u4e00" <= before.word <= "\u9fff":
        return None
    if before.word in NOT_A_START or before.word in lexicon.word_set("place_determiner"):
        return None
    if before.flag in FUNCTION_FLAGS or not _chained(before.start, found, after):
        return None
    return before.start if _name_ok(text[before.start:suffix_start], lexicon, vouched=True) else None


def _single_characters(tokens: list[Token], index: int, suffix_start: int, found: list[Locality],
                       after: frozenset[int], lexicon: Lexicon) -> int | None:
    """Where a name of two characters starts that jieba read as two words of one character each, right after
    the place holding it and right before its suffix (朝阳区|清|和|街道: 和 a conjunction to jieba); None unless
    neither character is a determiner or a start that says where someone goes, and the first is no preposition
    or conjunction (朝阳区和各街道 names nothing)."""
    if index < 2 or tokens[index].start != suffix_start:
        return None
    first, second = tokens[index - 2], tokens[index - 1]
    if len(first.word) != 1 or len(second.word) != 1 or second.end != suffix_start or first.end != second.start:
        return None
    if not _chained(first.start, found, after) or first.flag in ("p", "c", "r", "u", "uj", "m", "q"):
        return None
    if any(ch in NOT_A_START or ch in lexicon.word_set("place_determiner") or not "\u4e00" <= ch <= "\u9fff"
           for ch in first.word + second.word):
        return None
    name = first.word + second.word
    return first.start if not _common(name, lexicon) and _name_ok(name, lexicon, vouched=True) else None


def localities(text: str, tokens: list[Token], lexicon: Lexicon, after: frozenset[int] = frozenset()) -> list[Locality]:
    """Places below the county in a passage, by position; `after`: where places named by other means end (a
    name starting there is vouched for, see `_stem`). A list's items are places of one kind: where a place
    follows a list mark, the name before the mark with the same suffix is read again as vouched for
    (石门村、杨柳坪村: 石门 is a common word, 杨柳坪 a name)."""
    found = _localities(text, tokens, lexicon, after)
    marks = frozenset((f.start - 1, f.level) for f in found if f.start > 0 and text[f.start - 1] == LIST_MARK)
    if not marks:
        return found
    again = _localities(text, tokens, lexicon, after, marks)
    return again if len(again) > len(found) else found


def _localities(text: str, tokens: list[Token], lexicon: Lexicon, after: frozenset[int],
                marks: frozenset[tuple[int, str]] = frozenset()) -> list[Locality]:
    found: list[Locality] = []
    for index, token in enumerate(tokens):
        at = _suffix_at(token, lexicon) or _straddling_suffix(tokens, index, text, lexicon) \
            or _leading_suffix(tokens, index, text, lexicon) or _doubled_suffix(tokens, index, lexicon)
        if at is None:
            whole = _dictionary_name(token, lexicon)
            if whole and not (found and found[-1].end > token.start) and (
                    _unworded_stem(token.word[:whole[0] - token.start], lexicon)
                    or _vouched(token.start, whole[1], found, after, text, lexicon, marks, whole[2])):
                found.append(Locality(token.start, whole[1], token.word, whole[2]))
            continue
        suffix_start, suffix_end, level = at
        grown = found[-1] if found and found[-1].end == suffix_start and found[-1].name.endswith("村") else None
        if grown is not None and suffix_end - suffix_start >= 2:  # 中关村街道, 石桥村社区: named after the village
            found[-1] = Locality(grown.start, suffix_end, text[grown.start:suffix_end], level)  # it grew from
            continue
        begin = _stem(tokens, index, suffix_start, text, lexicon)
        if begin is None:
            begin = _stem(tokens, index, suffix_start, text, lexicon, vouched=True)
            if begin is not None and not _vouched(begin, suffix_end, found, after, text, lexicon, marks, level):
                begin = None
        if begin is None:
            begin = _after_place(tokens, index, suffix_start, found, after, text, lexicon)
        if begin is None:
            begin = _single_characters(tokens, index, suffix_start, found, after, lexicon)
        if begin is None or (found and found[-1].end > begin):
            continue
        ends = set(after) | {f.end for f in found}
        begin = _back_to_place(tokens, begin, ends, text, lexicon)
        begin = _clause_first_char(tokens, begin, suffix_start, text, lexicon)
        begin = _transliterated(tokens, begin, suffix_start, ends, lexicon)
        if any(k in text[begin:suffix_end] for k in lexicon.word_set("place_kind") if len(k) > 1):
            continue  # 小城镇, 城中村: a kind of place across the name and the suffix
        found.append(Locality(begin, suffix_end, text[begin:suffix_end], level))
    return found


# A name the text writes this many times, always whole, is a name even where jieba cut it apart (同|心苑|社区).
MIN_RECURRENCE = 3
RECURRING_STEM_CHARS = (2, 3, 4)


def recurring_localities(texts: list[str], lexicon: Lexicon) -> dict[str, str]:
    """Places below the county a document writes again and again (name → level): a stem of two to four
    characters before a place suffix, written at least MIN_RECURRENCE times, whose left edge is where the text
    varies (what comes before it differs from one occurrence to the next; 心苑社区 is always after 同, so the
    name is 同心苑社区), and that is no word of the language (安置社区, 城市社区 and 示范村 are made of words) and
    passes the checks any name passes (`_name_ok`: no slogan, determiner or organ)."""
    text = "\n".join(texts)
    counts: dict[str, int] = {}
    lefts: dict[str, dict[str, int]] = {}
    levels: dict[str, str] = {}
    suffixes = _suffix_levels(lexicon)
    for suffix, level in suffixes:
        at = text.find(suffix)
        while at >= 0:
            if _closes_a_word(text, at, at + len(suffix), lexicon):
                at = text.find(suffix, at + len(suffix))
                continue  # 农村, 乡村, 小镇: the suffix's character is part of a word here
            for n in RECURRING_STEM_CHARS:
                stem = text[at - n:at] if at >= n else ""
                if len(stem) != n or not all("\u4e00" <= ch <= "\u9fff" for ch in stem):
                    break
                name = stem + suffix
                if levels.setdefault(name, level) != level:
                    continue
                counts[name] = counts.get(name, 0) + 1
                left = text[at - n - 1] if at > n else ""
                seen = lefts.setdefault(name, {})
                seen[left] = seen.get(left, 0) + 1
            at = text.find(suffix, at + len(suffix))
    found: dict[str, str] = {}
    for name, count in counts.items():
        if count < MIN_RECURRENCE or max(lefts[name].values()) == count:
            continue  # too rare, or always after the same character: the name starts earlier
        stem = name[: -len(next(s for s, _ in suffixes if name.endswith(s)))]
        if _recurring_stem_ok(stem, lexicon):
            found[name] = levels[name]
    return found


def _closes_a_word(text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether the suffix at text[start:end] joins the character before it in a word of the language (农村, 小镇,
    古镇: COMMON_ALONE, as strict as for a name standing alone) or the character after it in a common one (乡村)."""
    before = text[start - 1:start + 1] if start else ""
    after = text[end - 1:end + 1] if end < len(text) else ""
    return len(before) == 2 and lexicon.segmenter.frequency(before) >= COMMON_ALONE \
        or len(after) == 2 and lexicon.segmenter.frequency(after) >= COMMON_WORD


def _recurring_stem_ok(stem: str, lexicon: Lexicon) -> bool:
    """A recurring stem names a place when it is no word and no phrase of words (党建引领), holds no place's
    suffix (临禾县|乡, 向街道|社区), does not end in a determiner (平均每|村), and passes `_name_ok`."""
    if lexicon.segmenter.frequency(stem) or any(ch in SUFFIX_CHARS or ch in COUNTY_CHARS for ch in stem):
        return False
    if any(s in stem for s, _ in _suffix_levels(lexicon)) or stem[-1] in lexicon.word_set("place_determiner"):
        return False
    words = lexicon.segmenter.tokens(stem)
    if stem[0] in STEM_NOT_FIRST or words and words[0].flag.startswith("v") and len(words[0].word) > 1:
        return False  # 的|营盘村, 走进|岚垭村: what comes before a name, not its start
    if len(words) > 1 and all(len(w.word) > 1 and w.flag not in PROPER for w in words):
        return False
    return _name_ok(stem, lexicon)
