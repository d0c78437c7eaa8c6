"""Extract stage: places — gazetteer names and aliases, and names before 街道/镇/乡/村/社区 (localities.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..types import Mention
from .gazetteer import LEVELS, Place
from .lexicon import Lexicon
from .localities import localities
from .segment import Token
from .spans import has_placeholder

# Full names (邓州市, 河南省) are matched on word boundaries; short aliases (上海 → 上海市) only where jieba
# tags the word as a proper name; anonymised names (XX县, xx市) never match. Every mention carries its
# `level` and, when the gazetteer or the text says, its `parent`.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# Taiwan's cities and districts (codes 71…) share their short names with mainland villages and
# communities (桃园, 新竹): only their full names are matched.
NO_ALIAS_CODE_PREFIXES = ("71",)


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
    """A name ends on a word boundary, or jieba glued it to an organ (邓州/市委, 上海市委, 上海/市政府)."""
    if end == len(text):
        return True
    token = tokens[owner[end - 1]]
    return token.end == end or text[end : token.end] in lexicon.word_set("admin_tail")


def _full_names(text: str, tokens: list[Token], lexicon: Lexicon) -> list[_Raw]:
    gazetteer = lexicon.gazetteer
    starts = gazetteer.name_starts
    owner = _owners(tokens, len(text))
    found: list[_Raw] = []
    for token in tokens:
        start = token.start
        if found and found[-1].end > start:
            continue
        if text[start : start + 2] not in starts and text[start] not in starts:
            continue  # no full name begins here
        for length in gazetteer.name_lengths:
            candidate = text[start : start + length]
            if len(candidate) < length or candidate not in gazetteer.by_name:
                continue
            if length == 2 and (start + 2 != token.end or not candidate.endswith("县")):
                continue
            if _end_ok(text, start + length, tokens, owner, lexicon) and not _after_placeholder(text, start):
                found.append(_Raw(start, start + length, gazetteer.by_name[candidate]))
                break
    return found


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
        if token.flag.startswith("ns") and (confirmed or following[1:] in lexicon.word_set("admin_tail")):
            found.append(_Raw(token.start, token.end, candidates))
    return found


def _below_county(text: str, tokens: list[Token], lexicon: Lexicon, taken: list[_Raw]) -> list[_Raw]:
    """Towns, streets, communities and villages (localities.py), each with the place named just before it
    as its parent (吴店镇 of 枣阳市吴店镇, 光明村 of 城关镇光明村)."""
    found: list[_Raw] = []
    for place in localities(text, tokens, lexicon, frozenset(r.end for r in taken)):
        if _taken(taken, place.start, place.end):
            continue
        parent = next((r.candidates[0].name for r in (*taken, *found) if r.end == place.start), None)
        found.append(_Raw(place.start, place.end, (Place(place.name, place.level, None, parent),)))
    return found


def _choose(raw: _Raw, names: set[str], lexicon: Lexicon) -> tuple[Place, bool]:
    """The candidate whose ancestors the text also names; otherwise the coarsest one (flagged ambiguous)."""
    if len(raw.candidates) == 1:
        return raw.candidates[0], False
    for place in raw.candidates:
        if names & set(lexicon.gazetteer.ancestors(place)):
            return place, False
    return raw.candidates[0], True


def _mention(text: str, raw: _Raw, place: Place, ambiguous: bool) -> Mention:
    attributes = {"level": place.level}
    if place.parent and not ambiguous:
        attributes["parent"] = place.parent
    if place.code and not ambiguous:
        attributes["code"] = place.code
    if ambiguous:
        attributes["ambiguous"] = True
    return Mention("place", place.name, text[raw.start : raw.end], raw.start, raw.end, attributes)


def extract_places(text: str, lexicon: Lexicon, tokens: list[Token] | None = None) -> list[Mention]:
    """Place mentions in a passage's normalised text, ordered by position."""
    if not text:
        return []
    tokens = lexicon.segmenter.tokens(text) if tokens is None else tokens
    raws = _full_names(text, tokens, lexicon)
    raws += _below_county(text, tokens, lexicon, raws)
    raws += _aliases(text, tokens, lexicon, raws)
    mentions = []
    for raw in raws:
        names = {p.name for other in raws if other is not raw for p in other.candidates}
        mentions.append(_mention(text, raw, *_choose(raw, names, lexicon)))
    return sorted(mentions, key=lambda m: m.start)


def main_place(mentions: Iterable[Mention]) -> str | None:
    """The place a text is about: the most mentioned one, the finer level winning ties; None if none."""
    places = [m for m in mentions if m.type == "place"]
    if not places:
        return None
    counts = Counter(m.name for m in places)
    rank = {m.name: LEVEL_RANK.get(m.attributes.get("level", ""), -1) for m in places}
    return max(counts, key=lambda name: (counts[name], rank[name]))
