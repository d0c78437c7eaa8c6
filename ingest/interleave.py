"""Columns interleaved line by line: a PDF's text extraction that took two columns in turns, one line of
each. Found by how jieba's words span the joins between lines; the reading order puts the left column first."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ingest.noise import CLOSERS, ENUMERATED, SENTENCE_END

if TYPE_CHECKING:
    import jieba

_JOIN_GAIN = 2.0  # log-probability a jieba word across a join must add for "the text goes on here"
_JOIN_WINDOW = 4


def _join_gain(left: str, right: str, tokenizer: jieba.Tokenizer) -> float:
    """How much likelier jieba finds the joined text than its two halves; high when a word spans the join."""

    def best(text: str) -> float:
        if not text:
            return 0.0
        route: dict[int, tuple[float, int]] = {}
        tokenizer.calc(text, tokenizer.get_DAG(text), route)
        return route[0][0]

    a, b = left[-_JOIN_WINDOW:], right[:_JOIN_WINDOW]
    return best(a + b) - best(a) - best(b)


def interleaved_order(lines: list[str]) -> list[int] | None:
    """Reading order (left column, then right) of a block PDF extraction interleaved line by line, else None.

    Only a run of similar short lines that rarely end a sentence qualifies (headings before or after
    it keep their place); it is interleaved when jieba words span the joins i→i+2 clearly more often
    than the joins i→i+1, because a wrapped line usually cuts a word and two columns do not go on
    into each other.
    """
    texts = [unicodedata.normalize("NFKC", line).strip() for line in lines]
    count = len(texts)
    if count < 4 or not all(texts):
        return None
    median = sorted(len(t) for t in texts)[count // 2]
    head = 0
    while head < count and len(texts[head]) < 0.6 * median:
        head += 1
    tail = count
    while tail > head and ENUMERATED.match(texts[tail - 1]) and len(texts[tail - 1]) < 0.6 * median:
        tail -= 1
    order = _column_order(texts[head:tail]) if tail - head >= 4 else None
    return None if order is None else [*range(head), *(head + i for i in order), *range(tail, count)]


def _column_order(texts: list[str]) -> list[int] | None:
    """Even lines then odd lines, when the block reads as two columns taken in turns."""
    count = len(texts)
    median = sorted(len(t) for t in texts)[count // 2]
    similar = sum(1 for t in texts if abs(len(t) - median) <= 0.4 * median)
    sentence_ends = sum(1 for t in texts[:-1] if t.rstrip(CLOSERS).endswith(SENTENCE_END))
    enumerated = sum(1 for t in texts if ENUMERATED.match(t))
    if median < 6 or similar < 0.75 * count or sentence_ends > (count - 1) / 2 or enumerated >= count / 2:
        return None
    import jieba

    jieba.dt.check_initialized()
    adjacent = sum(_join_gain(texts[i], texts[i + 1], jieba.dt) > _JOIN_GAIN for i in range(count - 1))
    skipping = sum(_join_gain(texts[i], texts[i + 2], jieba.dt) > _JOIN_GAIN for i in range(count - 2))
    clear = skipping - adjacent >= 2 and skipping / (count - 2) - adjacent / (count - 1) >= 0.15
    if clear or (adjacent == 0 and skipping and 4 * skipping >= count - 2):
        return list(range(0, count, 2)) + list(range(1, count, 2))
    return None
