"""Paragraphs collapsed into one line: a page copied without its line breaks keeps each paragraph's indent, two
ideographic spaces (　　), between the paragraphs. Such a line is cut there again, so that the title, the
headings and the paragraphs are lines of their own."""

from __future__ import annotations

import re

# A paragraph's indent: two or more ideographic spaces (maybe among other spaces) between two pieces of text.
_SPACES = re.compile(r"[ \xa0\u3000]+")
# A line holding at least this many indents between text is paragraphs run together; one indent alone may be
# a title's spacing (党建引领基层治理　　永兴镇探索新路径).
MIN_INDENTS = 2


def paragraph_spans(original: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, each line holding MIN_INDENTS or more paragraph indents between text cut at them.

    >>> text = "安吉县推行积分制\\u3000\\u3000今年以来,全县推行积分制。\\u3000\\u3000一、主要做法"
    >>> [text[a:b] for a, b in paragraph_spans(text, [(0, len(text))])]
    ['安吉县推行积分制', '今年以来,全县推行积分制。', '一、主要做法']
    >>> one = "\\u3000\\u3000今年以来,全县推行积分制。\\u3000\\u3000下一步将继续推广。"
    >>> [one[a:b] for a, b in paragraph_spans(one, [(0, len(one))])]  # one indent between text: a line
    ['\\u3000\\u3000今年以来,全县推行积分制。\\u3000\\u3000下一步将继续推广。']
    """
    out: list[tuple[int, int]] = []
    for a, b in spans:
        line = original[a:b]
        body_start = len(line) - len(line.lstrip(" \t\xa0\u3000"))
        body_end = len(line.rstrip(" \t\xa0\u3000"))
        cuts = [m.span() for m in _SPACES.finditer(line, body_start, body_end) if m.group().count("\u3000") >= 2]
        if len(cuts) < MIN_INDENTS:
            out.append((a, b))
            continue
        start = a
        for gap_start, gap_end in cuts:
            out.append((start, a + gap_start))
            start = a + gap_end
        out.append((start, b))
    return out
