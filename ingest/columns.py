"""Side-by-side columns: a page dumped as text (a browser's text view, a PDF's layout text) puts two
columns on one line, the article on the left and a sidebar (a ranked list, a column of links) on the right,
set apart by a run of spaces. Such a run of lines is read column by column, each line's left part first,
then each line's right part, so that the article's lines follow one another and the sidebar's lines do too
(where the chrome rules then find them)."""

from __future__ import annotations

import re

# Columns are set apart by a run of half-width spaces (three or more) or a tab; Chinese prose has no such run
# inside a sentence, and "a space between every character" has single ones. Two ideographic spaces are a
# paragraph's indent (indents.py), not a gap.
_GAP = re.compile(r"(?:[ \xa0]{3,}|\t)[ \t\xa0\u3000]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A run of at least this many lines, each split in two, is a two-column layout; fewer is a table row or
# an aligned label.
MIN_LINES = 3
# Both columns carry text: a two-column table of labels and values (党员人数    126人) has short values,
# and the median part of a real column holds at least this many Chinese characters.
MIN_CHINESE = 4
# The article's column is prose cut at the column's width: its lines hold this many Chinese characters
# (median), and at most half of them end a sentence. A table's first column (石桥村党支部) is shorter, and a
# bold lead sentence before its paragraph (一、加强组织领导。   成立…) ends one.
MIN_LEFT_CHINESE = 10
_SENTENCE_END = re.compile(r"[。.!?;！？；:：][”’」)）]*\s*$")


def _split(line: str) -> tuple[int, int, int] | None:
    """(end of the left part, start of the right part, end of the right part) of a line holding exactly one
    gap with text on both sides, else None."""
    body_end = len(line.rstrip())
    start = len(line) - len(line.lstrip())
    gaps = [m for m in _GAP.finditer(line, start, body_end)]
    if len(gaps) != 1:
        return None
    gap = gaps[0]
    return gap.start(), gap.end(), body_end


def _median(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def reading_spans(original: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The line spans of `original` in reading order: a run of MIN_LINES or more lines that each hold one
    wide gap, with Chinese text on both sides, becomes its left parts followed by its right parts.

    >>> text = "镇党委推行积分制管理      热点排行\\n全镇十八个村参与评比活动      1.全市召开会议\\n" \\
    ...        "群众满意度明显提升      2.我市开展冬训"
    >>> spans, pos = [], 0
    >>> for line in text.split("\\n"):
    ...     spans.append((pos, pos + len(line))); pos += len(line) + 1
    >>> [text[a:b] for a, b in reading_spans(text, spans)]  # doctest: +NORMALIZE_WHITESPACE
    ['镇党委推行积分制管理', '全镇十八个村参与评比活动', '群众满意度明显提升',
     '热点排行', '1.全市召开会议', '2.我市开展冬训']
    """
    out: list[tuple[int, int]] = []
    run: list[tuple[tuple[int, int], tuple[int, int, int]]] = []

    def flush() -> None:
        parts = [(original[a: a + cut[0]], original[a + cut[1]: a + cut[2]]) for (a, _), cut in run]
        wide = len(run) >= MIN_LINES and all(
            _median([len(_CJK.findall(part[side])) for part in parts]) >= MIN_CHINESE for side in (0, 1)) \
            and _median([len(_CJK.findall(left)) for left, _ in parts]) >= MIN_LEFT_CHINESE \
            and 2 * sum(bool(_SENTENCE_END.search(left)) for left, _ in parts) <= len(parts)
        if wide:
            out.extend((a, a + cut[0]) for (a, _), cut in run)
            out.extend((a + cut[1], a + cut[2]) for (a, _), cut in run)
        else:
            out.extend(span for span, _ in run)
        run.clear()

    for span in spans:
        cut = _split(original[span[0]: span[1]])
        if cut is not None and _CJK.search(original[span[0]: span[0] + cut[0]]) \
                and _CJK.search(original[span[0] + cut[1]: span[0] + cut[2]]):
            run.append((span, cut))
            continue
        flush()
        out.append(span)
    flush()
    return out
