"""Extract stage: sentence, clause and quotation spans of a passage's normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_ENDS = "。!?;\n"
CLAUSE_ENDS = ",;:"
# Characters that are words of grammar, never inside a name (因为, 在, 的, 把…).
FUNCTION_CHARS = "因为在和是对把被从向与及等了的也都就还又将以所而或并"
OPENERS = {"“": "”", "(": ")", "《": "》", "‘": "’", "「": "」", "『": "』"}
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("「", "」"), ("『", "』"))
QUOTE_JOINERS = ("", "、", "和", "及", "与", "或", ",")
# A count written after each item of a list of quotations (建立“甲”1个、“乙”6个) still joins them.
_COUNTED_JOIN = re.compile(r"\d+[个支家项处座所条套次场期户名人]?[、，,和及与]")
# Anonymised names and years in published reports: XX县, xx市, ***市, ___, 201x年.
PLACEHOLDER = re.compile(r"[Xx×*_]{2,}|[Xx][县市区省州乡镇村]|20\d[Xx]")


@dataclass(frozen=True)
class Quote:
    """A “quoted term”: `start`/`end` span the marks, `inner` is the text between them."""

    start: int
    end: int
    inner: str


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: cut after 。!?; and line breaks, and after a '.' between Chinese characters.

    >>> split_sentences("一是开展培训。二是建立制度")
    [(0, 7), (7, 13)]
    """
    spans, start = [], 0
    for i, ch in enumerate(text):
        end_here = ch in SENTENCE_ENDS or (
            ch == "." and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1])
        )
        if end_here:
            spans.append((start, i + 1))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if b > a]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_clauses(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Clause spans inside [start, end): cut at , ; : and sentence ends, never inside quotes or brackets.

    >>> split_clauses("坚持“抓班子,带队伍”,加大投入")
    [(0, 11), (12, 16)]
    """
    end = len(text) if end is None else end
    spans, clause_start, closers = [], start, []
    for i in range(start, end):
        ch = text[i]
        if ch in OPENERS:
            closers.append(OPENERS[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif not closers and (ch in CLAUSE_ENDS or ch in SENTENCE_ENDS):
            spans.append((clause_start, i))
            clause_start = i + 1
        if len(closers) > 3:
            closers.clear()
    spans.append((clause_start, end))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if b > a]


def find_quotes(text: str, max_chars: int = 30) -> list[Quote]:
    """Balanced “…”, "…", 「…」 or 『…』 quotations of at most `max_chars` characters, no sentence end inside."""
    quotes = []
    pairs = "|".join(rf"{a}([^{a}{b}\n]{{1,{max_chars}}}){b}" for a, b in QUOTE_PAIRS)
    for match in re.finditer(pairs, text):
        inner = next(group for group in match.groups() if group is not None)
        if "。" in inner:
            continue
        quotes.append(Quote(match.start(), match.end(), inner.strip()))
    return quotes


def group_quotes(text: str, quotes: list[Quote]) -> list[list[Quote]]:
    """Runs of quotations joined by nothing, 、, 和, 及, 与 or a comma (“甲”“乙”、“丙”), each perhaps with its count
    (“甲”1个、“乙”6个), as one group.

    >>> t = "建立“甲支部”1个、“乙小组”6个"
    >>> [[q.inner for q in g] for g in group_quotes(t, find_quotes(t))]
    [['甲支部', '乙小组']]
    """
    groups: list[list[Quote]] = []
    for quote in quotes:
        if groups:
            gap = text[groups[-1][-1].end : quote.start].strip()
            if gap in QUOTE_JOINERS or _COUNTED_JOIN.fullmatch(gap):
                groups[-1].append(quote)
                continue
        groups.append([quote])
    return groups


def clause_before(text: str, pos: int, max_chars: int = 16) -> str:
    """The text between the last clause boundary before `pos` and `pos` (at most `max_chars`)."""
    start = max(0, pos - max_chars)
    for i in range(pos - 1, start - 1, -1):
        if text[i] in CLAUSE_ENDS or text[i] in SENTENCE_ENDS or text[i] in "”":
            return text[i + 1 : pos]
    return text[start:pos]


def clean_quotes(text: str) -> str:
    """`text` without quotation marks, book-title marks and spaces.

    >>> clean_quotes("推行“一村一品”")
    '推行一村一品'
    """
    return re.sub(r"[“”‘’《》〈〉「」『』\"\s]", "", text)


def occurrences(text: str, name: str, start: int = 0) -> list[int]:
    """Where `name` is written in `text` from `start` on, each after the one before it ends.

    >>> occurrences("柳湾县、柳湾县和柳湾县", "柳湾县"), occurrences("柳湾县、柳湾县", "柳湾县", 1)
    ([0, 4, 8], [4])
    """
    out, at = [], text.find(name, start)
    while at >= 0:
        out.append(at)
        at = text.find(name, at + len(name))
    return out


def has_placeholder(text: str) -> bool:
    """True when `text` holds an anonymised name such as XX县, xx市, ___ or **市."""
    return bool(PLACEHOLDER.search(text))
