"""Extract stage: part-of-speech segmentation with one lazily built jieba tokenizer per lexicon."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

PROPER_FLAGS = ("ns", "nr", "nrt", "nrfg", "nz", "nt")


@dataclass(frozen=True)
class Token:
    """A jieba word with its part-of-speech flag and its [start, end) offsets in the text."""

    word: str
    flag: str
    start: int
    end: int

    @property
    def proper(self) -> bool:
        return self.flag in PROPER_FLAGS


class Segmenter:
    """Owns one `jieba.Tokenizer()` and its POS tagger, built on first use (never at import time)."""

    def __init__(self) -> None:
        self._tagger = None
        self._lock = threading.Lock()

    def _build(self):
        import jieba
        import jieba.posseg

        # jieba logs its dictionary loading at DEBUG level on stderr; ingestion output stays quiet.
        jieba.setLogLevel(logging.WARNING)
        return jieba.posseg.POSTokenizer(jieba.Tokenizer())

    def _ensure(self):
        if self._tagger is None:
            with self._lock:
                if self._tagger is None:
                    self._tagger = self._build()
        return self._tagger

    def tokens(self, text: str) -> list[Token]:
        """Words of `text` with their POS flags and offsets into `text`."""
        if not text:
            return []
        out: list[Token] = []
        pos = 0
        for pair in self._ensure().cut(text):
            word = pair.word
            start = pos if text.startswith(word, pos) else text.find(word, pos)
            if start < 0:
                continue
            out.append(Token(word, pair.flag, start, start + len(word)))
            pos = start + len(word)
        return out

    def frequency(self, word: str) -> int:
        """How common `word` is in jieba's dictionary (0 when unknown): high counts mark common words."""
        return self._ensure().tokenizer.FREQ.get(word, 0) or 0
