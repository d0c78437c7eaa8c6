"""Practices named as programmes: a practice verb, the programme's name and a head saying what kind of
programme or place of the work it is (实施…工程, 推行…计划, 创办流动党校). practices.py calls it and judges each
name (a generic word or a problem label names no practice)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..types import Mention
from .lexicon import Lexicon
from .spans import FUNCTION_CHARS

# A programme named after a practice verb (实施…工程, 推行…计划): its name runs from the verb to the head.
# A place of the work (工作室, 驿站, 课堂, 党校) is told apart by a word of two (田间课堂, 流动党校); a
# programme needs more. A rule (…制度) is no head: on devweb + seeds it named 26 more practices, most of them
# generic (党建工作制度, 定期培训制度), and no gold practice.
PLACE_HEADS = ("工作室", "驿站", "课堂", "党校")
# A standing council of several parties (楼院议事联席会, 链心联席会) is named like a place of the work: a word of two
# may name it.
COUNCIL_HEADS = ("联席会议", "联席会")
SHORT_NAME_HEADS = (*PLACE_HEADS, *COUNCIL_HEADS)
PROGRAMME_HEADS = ("工程", "工作法", "计划", "行动", *SHORT_NAME_HEADS)
# A programme's name between its verb and head: 4 to 12 characters (实施乡村电商助农增收工程), set with the rule in
# 44df6aa (devweb practice recall 0.70 -> 0.867); a place of the work or a council may have a name of 2 (田间课堂).
PROGRAMME_NAME_CHARS = (4, 12)
PLACE_NAME_MIN = 2
# What names no programme before its head: a determiner (各类课堂, 这项计划) or an organ (县委党校, 柳湾县委党校).
PROGRAMME_NOT_NAMES = re.compile(r"^(?:各|这|此|该|本|每|相关|有关|上述|以上|一系列|一[批套项些]|多项)"
                                 r"|(?:[省市县区镇乡]委|党[委组]|党工委|政府)$")


def programme_start(text: str, head_start: int, lexicon: Lexicon, low: int = PROGRAMME_NAME_CHARS[0]) -> int | None:
    """Start of a programme's name ending at `head_start` when a practice verb leads it (实施…工程), its name
    at least `low` characters: after the verb nearest the head and any verb right after it (建立健全…制度),
    not a determiner's (各项…制度) nor an organ's (县委党校)."""
    high = PROGRAMME_NAME_CHARS[1]
    window = text[max(0, head_start - high - 6) : head_start]
    offset = head_start - len(window)
    verbs = sorted(lexicon.words("practice_verb"), key=len, reverse=True)
    ends = sorted({offset + m.end() for verb in verbs for m in re.finditer(re.escape(verb), window)}, reverse=True)
    for name_start in ends:
        while True:  # a verb right after the verb (建立健全, 探索推行) is part of the action, not of the name
            more = next((v for v in verbs if text.startswith(v, name_start) and name_start + len(v) < head_start),
                        None)
            if more is None:
                break
            name_start += len(more)
        if text.startswith("了", name_start):
            name_start += 1  # 建立了三方议事联席会: the verb's aspect, not the name
        body = text[name_start:head_start]
        if not low <= len(body) <= high or body in verbs or body in lexicon.word_set("action_verb"):
            continue  # 健全联席会议, 召开联席会议: an action on a council, not its name
        if all("\u4e00" <= ch <= "\u9fff" and ch not in FUNCTION_CHARS for ch in body) \
                and not PROGRAMME_NOT_NAMES.search(body) and body not in lexicon.word_set("place_kind"):
            return name_start  # not a kind of place either (乡镇党校, 示范驿站)
    return None


def programme_mentions(text: str, lexicon: Lexicon, taken: list[tuple[int, int]],
                       good: Callable[[str], bool]) -> list[Mention]:
    """Programmes named between a practice verb and a programme head (实施乡村电商助农增收工程), outside the
    spans `taken`, each name passing `good` (the caller's judgement of a practice's name)."""
    mentions = []
    for head in PROGRAMME_HEADS:
        for match in re.finditer(head, text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            start = programme_start(text, match.start(), lexicon, PLACE_NAME_MIN if head in SHORT_NAME_HEADS else
                               PROGRAMME_NAME_CHARS[0])
            if start is None:
                continue
            name = text[start : match.end()]
            if good(name) and not any(name.startswith(w) for w in lexicon.words("adverb")):
                attributes = {"source": "programme", "core": name}
                mentions.append(Mention("practice", name, name, start, match.end(), attributes))
                taken = taken + [(start, match.end())]
    return mentions
