"""Hard-wrapped lines: a PDF's text, a download site's page view or a text dump breaks every line at a fixed
width, inside sentences and words (…组织生活难以开 / 展的问题…). Such lines are joined again, so that words,
names and figures across a break are whole (网格党小组”工作法, 由63%提高到95%)."""

from __future__ import annotations

import re
import unicodedata

from ingest.headings import is_title_line, numbering_end

# A line ending a sentence: a full stop, question or exclamation mark, semicolon or ellipsis, maybe followed
# by a closing quote or bracket.
_SENTENCE_END = re.compile(r"[。．.!?;…:][”’」』)\]》]*\s*$")
# A fixed width shows when at least this many lines of a run of lines reach it.
MIN_WRAPPED = 3
# A line reaches the width when it is at least this share of the run's widest line: a break falls before a
# word or figure that does not fit, so wrapped lines of one width differ by a few columns (measured on the
# fixture wrapped at 26 characters: 46–52 columns).
WIDTH_SHARE = 0.85
# Narrower text is no paragraph (menus, lists of names, short headings): 15 Chinese characters.
MIN_WIDTH = 30


def display_width(text: str) -> int:
    """Columns the text takes: two for a wide (Chinese) character, one for the others.

    >>> display_width("党建2025"), display_width("“院坝议事”")
    (8, 10)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _opens_heading(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return numbering_end(t) > 0 or t.startswith(("——", "第"))


def wrapped_breaks(lines: list[str]) -> set[int]:
    """Indices i of lines that go on in line i + 1: in a run of non-empty lines where at least MIN_WRAPPED lines
    reach one width (WIDTH_SHARE of the widest, at least MIN_WIDTH columns), a line that reaches it and does not
    end a sentence, followed by a line that opens no heading. A title line ends no line it reaches.

    >>> lines = ["今年以来,白沙镇针对农村党员居住分散、组织生活难以开",
    ...          "展的问题,创新推行“网格党小组”工作法,在全镇21个",
    ...          "行政村划分网格126个,每个网格建立一个党小组,由党", "性强、威信高的党员担任组长。", "一、主要做法"]
    >>> sorted(wrapped_breaks(lines))
    [0, 1, 2]
    >>> sorted(wrapped_breaks(["白沙镇推行积分制管理。", "党员参与率达到百分之九十五。", "一、主要做法"]))
    []
    """
    breaks: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        widths = {i: display_width(lines[i].strip()) for i in run}
        widest = max(widths.values(), default=0)
        reach = {i for i in run if widths[i] >= max(WIDTH_SHARE * widest, MIN_WIDTH)}
        if len(reach) >= MIN_WRAPPED:
            for i in run[:-1]:
                text = unicodedata.normalize("NFKC", lines[i]).strip()  # ；！？： as ;!?:
                if i in reach and not _SENTENCE_END.search(text) and not is_title_line(text) \
                        and not _opens_heading(lines[i + 1]):
                    breaks.add(i)
        run.clear()

    for i, line in enumerate(lines):
        if line.strip():
            run.append(i)
        else:
            flush()
    flush()
    return breaks
