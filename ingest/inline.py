"""Inline noise: pinyin glosses a converter stuck after characters (經(jīng)濟(jì)) and spaces inside Chinese
text (a space between every character, a space before a number), found as spans for the clean stage to
delete."""

from __future__ import annotations

import re
import unicodedata

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK symbols, full-width forms, and the dash, curly quotes and ellipsis Chinese text uses.
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c-\u201d\u2026"
_IS_CJK = re.compile(f"[{_CJK}]")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GROUP = re.compile(rf"(?<=[{_CJK}])[(（]\s*([a-zü{_TONED}]+(?:[ '][a-zü{_TONED}]+)*)\s*[)）]")
_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ong|iao|ian|ing|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|io"
    r"|ua|uo|ui|un|ve|ue|vn|a|o|e|i|u|v)"
)
_MAX_SYLLABLES = 4


def _syllables(group: str) -> int:
    """How many pinyin syllables the group splits into, tone marks aside (0 when it is not pinyin)."""
    bare = re.sub(r"[\u0300-\u036f]", "", unicodedata.normalize("NFD", group).replace("u\u0308", "v"))
    count = 0
    for word in re.split(r"[ ']", bare):
        fewest = {0: 0}  # end offset → fewest syllables covering word[:end]
        for start in range(len(word)):
            for end in range(start + 1, min(len(word), start + 6) + 1):
                if start in fewest and _SYLLABLE.fullmatch(word, start, end):
                    fewest[end] = min(fewest.get(end, len(word)), fewest[start] + 1)
        if len(word) not in fewest:
            return 0
        count += fewest[len(word)]
    return count


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses a bad converter stuck after characters, parentheses included.

    Toneless groups such as `(de)` count only when the text also has tone-marked ones.

    >>> pinyin_spans("經(jīng)濟(jì)的(de)發展(AI)")
    [(1, 7), (8, 12), (13, 17)]
    >>> pinyin_spans("第一(de)次")
    []
    """
    found = []
    for match in _PINYIN_GROUP.finditer(text):
        group = match.group(1)
        count, toned = _syllables(group), bool(set(_TONED) & set(group))
        if count == 1 or (toned and 0 < count <= _MAX_SYLLABLES):
            found.append((match.start(), match.end(), toned))
    if not any(toned for _, _, toned in found):
        return []
    return [(start, end) for start, end, _ in found]


_SPACE = " \t\u3000\xa0\u2002-\u200a\u202f\u205f"  # HTML &ensp; &emsp; &thinsp; arrive as U+2002…U+2009
_HSPACE = re.compile(f"[{_SPACE}]+")
_LETTER_SPACED = re.compile(rf"(?<!\S)(?:\S[{_SPACE}]{{1,3}}){{3,}}\S(?!\S)")
_IS_CHINESE = re.compile(f"[{_CJK}{_CJK_PUNCT}]")


def _chinese_side(text: str, at: int, step: int) -> bool:
    """Whether text[at] belongs to Chinese text: a CJK character or mark, or Latin punctuation beside one."""
    if _IS_CHINESE.match(text[at]):
        return True
    punct = ",.;:!?)]\"'" if step < 0 else "([\"'"
    beyond = at + step
    return text[at] in punct and 0 <= beyond < len(text) and bool(_IS_CJK.match(text[beyond]))


def spacing_spans(text: str) -> list[tuple[int, int]]:
    """Spans of spaces, tabs, U+3000 and no-break or typographic spaces to delete inside Chinese text (never "\\n").

    >>> spacing_spans("基 层 党 建")
    [(1, 2), (3, 4), (5, 6)]
    >>> spacing_spans("青川县推行院坝议事 村民的事村民议")  # a headline's two halves keep their space
    []
    >>> text = "安装 Windows 10 系统, 共 3 000 台"
    >>> "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spacing_spans(text)))
    '安装 Windows 10系统,共3 000台'
    """
    spans: set[tuple[int, int]] = set()
    for run in _LETTER_SPACED.finditer(text):
        if len(_IS_CJK.findall(run.group())) >= 2:
            spans.update((run.start() + m.start(), run.start() + m.end()) for m in _HSPACE.finditer(run.group()))
    for match in _HSPACE.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text) or "\n" in (text[start - 1], text[end]):
            continue
        before, after = text[start - 1], text[end]
        chinese = _chinese_side(text, start - 1, -1) and _chinese_side(text, end, 1) \
            and not _headline_halves(text, start, end)
        number = (_IS_CJK.match(before) and after.isdigit()) or (before.isdigit() and _IS_CJK.match(after))
        if chinese or number:
            spans.add((start, end))
    return sorted(spans)


# A headline's two halves set apart by a space ("某县推行院坝议事 村民的事村民议"): each side of the space is a
# run of at least this many Chinese characters, on a line of at most _MAX_HEADLINE_CHARS without a sentence's end.
_HALF_CHARS = 4
_MAX_HEADLINE_CHARS = 48
_HALF = re.compile(f"[{_CJK}“”‘’「」《》]+")


def _headline_halves(text: str, start: int, end: int) -> bool:
    """Whether the spaces at text[start:end] part the two halves of a headline (see _HALF_CHARS)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if len(line) > _MAX_HEADLINE_CHARS or re.search(r"[。！？!?；;]", line) or line.endswith(tuple(",，、:：")):
        return False  # a sentence, or a line wrapped inside one
    left = _HALF.search(text[max(line_start, start - 2 * _HALF_CHARS) : start][::-1])
    right = _HALF.match(text, end)
    return bool(left and left.start() == 0 and right and len(_IS_CJK.findall(right.group())) >= _HALF_CHARS
                and len(_IS_CJK.findall(left.group())) >= _HALF_CHARS)
