"""Extract stage: places — gazetteer names and aliases, and names before 街道/镇/乡/村/社区 (localities.py)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..types import PLACE_WITHIN, Mention
from .divisions import autonomous_short, divisions_above, unlisted_divisions
from .gazetteer import LEVELS, Place
from .lexicon import Lexicon
from .localities import COMMON_WORD, LEFT_OVER_NOT_FLAGS, Locality, localities
from .segment import Token
from .spans import has_placeholder, occurrences

# Full names (邓州市, 河南省) are matched on word boundaries; short aliases (上海 → 上海市) only where jieba
# tags the word as a proper name; anonymised names (XX县, xx市) never match. Every mention carries its
# `level` and, when the gazetteer or the text says, its `parent`.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# Taiwan's cities and districts (codes 71…) share their short names with mainland villages and
# communities (桃园, 新竹): only their full names are matched.
NO_ALIAS_CODE_PREFIXES = ("71",)
# Levels of the places below the county that localities.py finds by their suffix.
LOCAL_LEVELS = ("town", "street", "village")
# The last character of a division's full name (双流区, 安吉县, 襄阳市, 正蓝旗, 甘孜州, 锡林郭勒盟).
DIVISION_ENDS = "区县市旗州盟"
# The suffix of a place that holds others, as it opens what follows an anonymised name (XX乡|柳石村).
_HELD_SUFFIX = re.compile(r"街道|[省市县区旗州盟镇乡]")
# What an anonymised name is written with (XX县, ××村, **市).
PLACEHOLDER_CHARS = "Xx×*"
# The attribute of a county or city no gazetteer lists, which the text named as a division (divisions.py).
UNLISTED = "unlisted"


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    candidates: tuple[Place, ...]


def _owners(tokens: list[Token], length: int) -> list[int]:
    owner = [0] * length
    for index, token in enumerate(tokens):
        for i in range(token.start, min(token.end, length)):
            owner[i] = index
    return owner


def _end_ok(text: str, end: int, tokens: list[Token], owner: list[int], lexicon: Lexicon) -> bool:
    """A name ends on a word boundary, or jieba glued it to an organ (邓州/市委, 上海市委, 上海/市政府), or a
    division's suffix to a name jieba did not know (双流/区金桐/开发区: 区金桐 is no word, its own guess)."""
    if end == len(text):
        return True
    token = tokens[owner[end - 1]]
    if token.end == end or text[end : token.end] in lexicon.word_set("admin_tail"):
        return True
    return text[end - 1] in DIVISION_ENDS and token.start == end - 1 and not lexicon.segmenter.frequency(token.word)


def _full_names(text: str, tokens: list[Token], lexicon: Lexicon) -> list[_Raw]:
    gazetteer = lexicon.gazetteer
    starts = gazetteer.name_starts
    owner = _owners(tokens, len(text))
    found: list[_Raw] = []
    for index, token in enumerate(tokens):
        start = token.start
        if found and found[-1].end > start:
            continue
        if text[start : start + 2] not in starts and text[start] not in starts:
            continue  # no full name begins here
        for length in gazetteer.name_lengths:
            candidate = text[start : start + length]
            if len(candidate) < length or candidate not in gazetteer.by_name:
                continue
            if length == 2 and (start + 2 != token.end or not candidate.endswith("县")
                                or _tail_of_a_name(tokens, index)):
                continue
            if _end_ok(text, start + length, tokens, owner, lexicon) and not _after_placeholder(text, start):
                found.append(_Raw(start, start + length, gazetteer.by_name[candidate]))
                break
    return found


# Flags of a single character that may open a place's name (青 of 青|岚县, a county no gazetteer holds, is no 岚县).
NAME_START_FLAGS = ("ns", "nr", "nz", "n", "ng", "g", "a", "ag", "b", "j")


def _tail_of_a_name(tokens: list[Token], index: int) -> bool:
    """A two-character county's name (岚县, 沁县) that ends a longer name jieba cut after its first character
    (青|岚县): a single character that may open a name stands right before it (not 在, 赴, 和 or a place's end)."""
    if index == 0:
        return False
    before = tokens[index - 1]
    return (len(before.word) == 1 and before.end == tokens[index].start and before.flag in NAME_START_FLAGS
            and "\u4e00" <= before.word <= "\u9fff")


def _after_placeholder(text: str, start: int) -> bool:
    return start > 0 and (text[start - 1] in "Xx×*_" or has_placeholder(text[max(0, start - 3) : start + 1]))


def _taken(raws: Iterable[_Raw], start: int, end: int) -> bool:
    return any(r.start < end and start < r.end for r in raws)


def _aliases(text: str, tokens: list[Token], lexicon: Lexicon, taken: list[_Raw]) -> list[_Raw]:
    """Short names: a province's or city's where jieba tags a proper name; a county's only when confirmed."""
    named = {p.name for r in taken for p in r.candidates}
    found = []
    for index, token in enumerate(tokens):
        aliased = lexicon.gazetteer.by_alias.get(token.word, ())
        candidates = tuple(p for p in aliased if not (p.code or "").startswith(NO_ALIAS_CODE_PREFIXES))
        if not candidates or _taken(taken, token.start, token.end) or _after_placeholder(text, token.start):
            continue
        if candidates[0].level in ("province", "city"):
            if token.flag.startswith("ns") or token.proper:
                found.append(_Raw(token.start, token.end, candidates))
            continue
        following = tokens[index + 1].word if index + 1 < len(tokens) else ""
        confirmed = any(named & set(lexicon.gazetteer.ancestors(p)) for p in candidates)
        # a town, street or village named right after it is inside it (安吉天荒坪镇; jieba may take 安吉 for a
        # person's name there)
        if any(r.start == token.end and r.candidates[0].level in LOCAL_LEVELS for r in taken):
            found.append(_Raw(token.start, token.end, candidates))
        elif token.flag.startswith("ns") and (confirmed or following[1:] in lexicon.word_set("admin_tail")):
            found.append(_Raw(token.start, token.end, candidates))
    return found


def _below_county(text: str, tokens: list[Token], lexicon: Lexicon, taken: list[_Raw],
                  known: dict[str, str] | None = None) -> list[_Raw]:
    """Towns, streets, communities and villages (localities.py), each with the place named just before it
    as its parent (吴店镇 of 枣阳市吴店镇, 光明村 of 城关镇光明村); and where `known` names are written (see
    `_known_places`), those places, unless a name found here covers them; a known name covering one found here
    replaces it."""
    again = _known_places(text, tokens, known or {}, taken, lexicon)
    found: list[_Raw] = []
    for place in localities(text, tokens, lexicon, frozenset(r.end for r in (*taken, *again))):
        if _taken(taken, place.start, place.end):
            continue
        suffix = _HELD_SUFFIX.match(place.name) if place.start > 0 and text[place.start - 1] in PLACEHOLDER_CHARS \
            else None
        if suffix:  # XX县|柳石镇, XX乡|柳石村: the anonymised place's suffix is no part of the name after it
            cut = suffix.end()
            if len(place.name) - cut < 3:
                continue  # XX镇|村: no name of its own is left
            place = Locality(place.start + cut, place.end, place.name[cut:], place.level)
        parent = next((r.candidates[0].name for r in (*taken, *again, *found) if r.end == place.start), None)
        found.append(_Raw(place.start, place.end, (Place(place.name, place.level, None, parent),)))
    # a known name holding one found here is the whole name (同心苑社区 over the 心苑社区 jieba's cut left)
    found = [f for f in found if not any(a.start <= f.start and f.end <= a.end and a.end - a.start > f.end - f.start
                                         for a in again)]
    found += [r for r in again if not _taken(found, r.start, r.end)]
    return sorted(found, key=lambda r: r.start)


def known_forms(name: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The ways a text writes a place its document named: its name, and an autonomous division's short name (某某
    土家族苗族自治州 goes on as 某某州, divisions.autonomous_short)."""
    short = autonomous_short(name, lexicon)
    return (name, short) if short else (name,)


def _known_places(text: str, tokens: list[Token], known: dict[str, str], taken: list[_Raw],
                  lexicon: Lexicon) -> list[_Raw]:
    """Where the text writes a place below the county that its document named where the text vouched for it
    (one sense per discourse: 石板乡 found in 青杠镇、石板乡 is that town again in 石板乡水井村, where nothing before
    it vouches): name → level in `known`. A name counts where it starts a word to jieba and is not inside a
    place already found."""
    if not known:
        return []
    starts = {t.start for t in tokens}
    found: list[_Raw] = []
    forms = sorted(((form, name, level) for name, level in known.items() for form in known_forms(name, lexicon)),
                   key=lambda item: -len(item[0]))
    for form, name, level in forms:
        for at in occurrences(text, form):
            end = at + len(form)
            if at in starts and not _taken(taken, at, end) and not _taken(found, at, end):
                found.append(_Raw(at, end, (Place(name, level, None, None),)))
    return found


# A zone's own words between its place and its suffix (东湖新技术 of 武汉东湖新技术开发区): at most this many.
MAX_ZONE_WORDS = 8
# Flags of words that make no part of a zone's name: function words and verbs (成都推进开发区建设).
ZONE_NOT_FLAGS = LEFT_OVER_NOT_FLAGS + ("v", "vn", "vd", "ad", "a", "i", "l")


def _zone_suffixes(lexicon: Lexicon):
    return lexicon.pattern("places:zones", lambda: "|".join(sorted(lexicon.words("place_zone"), key=len, reverse=True))
                           or "(?!)")


@dataclass(frozen=True)
class _ZoneHead:
    """Where a zone starts, where its own words start (after the place holding it), that place's name, and the
    place's mention when it has one of its own (成都 of 成都高新区)."""

    start: int
    own_start: int
    parent: str
    holder: _Raw | None


def _zone_head(text: str, tokens: list[Token], owner: list[int], lexicon: Lexicon, raws: list[_Raw],
               suffix_start: int) -> _ZoneHead | None:
    """The head of the zone whose suffix starts at `suffix_start`: a province, city or county named right before
    it, or at the start of the word holding it (武汉东湖新技术开发区 is one word)."""
    for raw in sorted(raws, key=lambda r: -r.end):
        if raw.end <= suffix_start and suffix_start - raw.end <= MAX_ZONE_WORDS \
                and raw.candidates[0].level in ("province", "city", "county"):
            return _ZoneHead(raw.start, raw.end, raw.candidates[0].name, raw)
    token = tokens[owner[suffix_start]]
    gazetteer = lexicon.gazetteer
    for length in (4, 3, 2):
        head = text[token.start:token.start + length]
        places = gazetteer.by_name.get(head) or gazetteer.by_alias.get(head) or ()
        places = tuple(p for p in places if p.level in ("province", "city", "county"))
        if places and token.start + length <= suffix_start:
            holder = next((r for r in raws if r.start == token.start), None)
            return _ZoneHead(token.start, holder.end if holder else token.start + length, places[0].name, holder)
    return None


# A zone named by a word of its own, with no place before it (楚峰高新区, 澄溪智能装备产业园): a proper name jieba
# tags as a place, a person or another name, of this many characters, maybe with nouns saying what the zone
# makes (智能装备) up to MAX_ZONE_WORDS characters in all. A word jieba counts OWN_ZONE_COMMON times or more is
# a word of the language (美丽 3,036, 智慧 1,581, 红旗 1,052), not a zone's name (a rare one: 临港 9).
OWN_ZONE_NAME_CHARS = (2, 4)
OWN_ZONE_COMMON = COMMON_WORD  # the bar localities sets for a common word, for the same reason
OWN_ZONE_FLAGS = ("ns", "nr", "nz", "nrt", "nrfg")
ZONE_WORD_FLAGS = ("n", "vn", "j")


def _own_zone_name(tokens: list[Token], owner: list[int], suffix_start: int, lexicon: Lexicon) -> Token | None:
    """The proper name opening a zone's name before its suffix, where no place precedes it (see
    OWN_ZONE_NAME_CHARS)."""
    if suffix_start == 0:
        return None
    index = owner[suffix_start - 1]
    if tokens[index].end != suffix_start:
        return None
    low, high = OWN_ZONE_NAME_CHARS
    while index >= 0 and suffix_start - tokens[index].start <= MAX_ZONE_WORDS:
        token = tokens[index]
        if token.flag in OWN_ZONE_FLAGS and low <= len(token.word) <= high \
                and all("\u4e00" <= ch <= "\u9fff" for ch in token.word):
            return token if lexicon.segmenter.frequency(token.word) < OWN_ZONE_COMMON else None
        if token.flag not in ZONE_WORD_FLAGS:
            return None
        index -= 1
    return None


def _zones(text: str, tokens: list[Token], lexicon: Lexicon, raws: list[_Raw]) -> tuple[list[_Raw], set[int]]:
    """Development zones (青川县经济开发区, 成都高新区, 武汉东湖新技术开发区): a zone suffix after the place that holds
    it, with words of the zone's own between (none needed for the bare suffixes: 高新区, 开发区), ending a word
    or before an organ. Returns the zones (each with its place as parent) and the ids of the raws they take
    the place of (成都 of 成都高新区 is the zone's parent, not a mention of its own)."""
    owner = _owners(tokens, len(text))
    found: list[_Raw] = []
    replaced: set[int] = set()
    bare = lexicon.word_set("place_zone_bare")
    for match in _zone_suffixes(lexicon).finditer(text):
        suffix_start, end = match.span()
        if not _end_ok(text, end, tokens, owner, lexicon) and not text.startswith(lexicon.words("place_organ"), end):
            continue
        if _taken(raws, suffix_start, end):
            continue  # a division the gazetteer knows by its full name (雄安新区, 浦东新区)
        head = _zone_head(text, tokens, owner, lexicon, raws, suffix_start)
        if head is None:
            own = _own_zone_name(tokens, owner, suffix_start, lexicon)
            if own is not None and not _taken(found, own.start, end):
                found.append(_Raw(own.start, end, (Place(text[own.start:end], "zone", None, None),)))
            continue
        start, own_start, parent, holder = head.start, head.own_start, head.parent, head.holder
        words = text[own_start:suffix_start]
        if not words and match.group() not in bare:
            continue  # 上海市新区: no zone's name
        if any("\u3400" > ch or ch > "\u9fff" for ch in words):
            continue
        inside = [t for t in tokens if own_start <= t.start and t.end <= suffix_start]
        if any(t.flag in ZONE_NOT_FLAGS for t in inside) or _taken(found, start, end):
            continue
        if holder is not None and holder.end == own_start and text[own_start - 1] in DIVISION_ENDS and inside \
                and inside[0].start == own_start and inside[0].flag.startswith(OWN_ZONE_FLAGS):
            start, holder = own_start, None  # 某某市|武阳高新区: a zone of its own name in a city written in full
        if holder is not None:
            replaced.add(id(holder))
        known = lexicon.gazetteer.by_name.get(text[own_start:end], ())
        if known:  # 上海浦东新区, one word to jieba: the division 浦东新区, not a zone of 上海
            found.append(_Raw(own_start, end, known))
            continue
        found.append(_Raw(start, end, (Place(text[start:end], "zone", None, parent),)))
    return found, replaced


# The level that holds a county or city no gazetteer lists, when written right before it.
HOLDER_LEVEL = {"county": "city", "city": "province"}


def _under(raw: _Raw, raws: list[_Raw]) -> _Raw:
    """A place below the county without a parent, given the place named right before it as parent (one found
    after it was: a short name, 安吉 of 安吉天荒坪镇, or a zone); a county or city its document named, written again
    right after the division holding it (某某州|某某县), given that division."""
    place = raw.candidates[0]
    if place.parent or place.level not in (*LOCAL_LEVELS, *HOLDER_LEVEL) or len(raw.candidates) > 1 or place.code:
        return raw
    holder = next((a for a in raws if a.end == raw.start and a is not raw and (
        place.level in LOCAL_LEVELS or a.candidates[0].level == HOLDER_LEVEL[place.level])), None)
    if holder is None:
        return raw
    return _Raw(raw.start, raw.end, (Place(place.name, place.level, place.code, holder.candidates[0].name),))


def _choose(raw: _Raw, names: set[str], lexicon: Lexicon) -> tuple[Place, bool]:
    """The candidate whose ancestors the text also names; otherwise the coarsest one (flagged ambiguous)."""
    if len(raw.candidates) == 1:
        return raw.candidates[0], False
    for place in raw.candidates:
        if names & set(lexicon.gazetteer.ancestors(place)):
            return place, False
    return raw.candidates[0], True


def _mention(text: str, raw: _Raw, place: Place, ambiguous: bool, within: list[str], unlisted: bool = False,
             ) -> Mention:
    attributes: dict = {"level": place.level}
    if unlisted:
        attributes[UNLISTED] = True  # named by the text alone (divisions.py)
    if place.parent and not ambiguous:
        attributes["parent"] = place.parent
    if place.code and not ambiguous:
        attributes["code"] = place.code
    if ambiguous:
        attributes["ambiguous"] = True
    if within:
        attributes[PLACE_WITHIN] = within  # every place holding it, nearest first (search's place filter)
    return Mention("place", place.name, text[raw.start : raw.end], raw.start, raw.end, attributes)


def extract_places(text: str, lexicon: Lexicon, tokens: list[Token] | None = None,
                   known: dict[str, str] | None = None) -> list[Mention]:
    """Place mentions in a passage's normalised text, ordered by position; `known`: places below the county
    (name → level) that other passages of the document name (see `_known_places`)."""
    if not text:
        return []
    tokens = lexicon.segmenter.tokens(text) if tokens is None else tokens
    raws = _full_names(text, tokens, lexicon)
    holders = [(r.end, r.candidates[0].level, r.candidates[0].name) for r in raws
               if r.candidates[0].level in ("province", "city")]
    holders += _known_holders(text, known or {}, raws, lexicon) + _placeholder_holders(text)
    again = _known_places(text, tokens, {n: lv for n, lv in (known or {}).items() if lv in ("city", "county")},
                          raws, lexicon)
    named = [(r.start, r.end, r.candidates[0].level) for r in (*raws, *again)]
    unlisted = unlisted_divisions(text, tokens, lexicon, holders, [(r.start, r.end) for r in (*raws, *again)], named)
    raws += [_Raw(d.start, d.end, (Place(d.name, d.level, None, d.parent),)) for d in unlisted]
    raws += _below_county(text, tokens, lexicon, raws, known)
    above = divisions_above(text, tokens, lexicon, [r.start for r in raws if r.candidates[0].level in LOCAL_LEVELS],
                            [(r.start, r.end) for r in raws])
    raws += [_Raw(d.start, d.end, (Place(d.name, d.level, None, d.parent),)) for d in above]
    unlisted += above
    raws += _aliases(text, tokens, lexicon, raws)
    zones, replaced = _zones(text, tokens, lexicon, raws)
    raws = [r for r in raws if id(r) not in replaced and not _taken(zones, r.start, r.end)] + zones
    named_by_text = {d.start for d in unlisted}
    raws = [_under(r, raws) for r in raws]
    chosen = []
    for raw in raws:
        names = {p.name for other in raws if other is not raw for p in other.candidates}
        chosen.append((raw, *_choose(raw, names, lexicon)))
    chosen.sort(key=lambda item: item[0].start)
    within: dict[str, list[str]] = {}
    mentions = []
    for raw, place, ambiguous in chosen:
        chain = [] if ambiguous else _within(place, within, lexicon)
        within[place.name] = chain
        mentions.append(_mention(text, raw, place, ambiguous, chain, raw.start in named_by_text))
    return mentions


def _known_holders(text: str, known: dict[str, str], taken: list[_Raw],
                   lexicon: Lexicon) -> list[tuple[int, str, str]]:
    """Where the text writes a city its document named by the text alone (divisions.py): it holds the division
    written right after it, as a listed city does (某某市 found in 某省某某市, then 某某市某某县 elsewhere)."""
    return [(at + len(form), level, name) for name, level in known.items() if level == "city"
            for form in known_forms(name, lexicon) for at in occurrences(text, form)
            if not _taken(taken, at, at + len(form))]


# An anonymised province or city (**省, XX市): what is written right after it is a division it holds (XX市某某区).
_PLACEHOLDER_HOLDER = re.compile(rf"(?:[{PLACEHOLDER_CHARS}]{{2,}}|[Xx])(?P<suffix>[省市州盟])")


def _placeholder_holders(text: str) -> list[tuple[int, str, str]]:
    """Anonymised provinces and cities as holders (end, level, name): a redaction hides the holder's name, not
    that the next name is a division under it."""
    return [(m.end(), "province" if m.group("suffix") == "省" else "city", "")
            for m in _PLACEHOLDER_HOLDER.finditer(text)]


def _within(place: Place, known: dict[str, list[str]], lexicon: Lexicon) -> list[str]:
    """The places holding `place`, nearest first (湾甸子镇: 安吉县, 湖州市, 浙江省): its parent and the parent's own
    chain, as the passage named it before (a village's town) or as the gazetteer knows it."""
    chain = lexicon.gazetteer.ancestors(place)
    if chain and chain[-1] in known:
        chain += [name for name in known[chain[-1]] if name not in chain]
    return chain


def main_place(mentions: Iterable[Mention]) -> str | None:
    """The place a text is about: the most mentioned one, the finer level winning ties; None if none."""
    places = [m for m in mentions if m.type == "place"]
    if not places:
        return None
    counts = Counter(m.name for m in places)
    rank = {m.name: LEVEL_RANK.get(m.attributes.get("level", ""), -1) for m in places}
    return max(counts, key=lambda name: (counts[name], rank[name]))
