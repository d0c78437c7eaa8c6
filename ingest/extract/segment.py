"""Extract stage: part-of-speech segmentation with one lazily built jieba tokenizer per lexicon."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ingest.tokenize import MIN_WORD_COVERAGE, word_coverage

PROPER_FLAGS = ("ns", "nr", "nrt", "nrfg", "nz", "nt")
# Out-of-vocabulary runs ("墟沟", a person's name) go through jieba's part-of-speech HMM, pure Python and the
# slowest step of extraction; the same run recurs throughout a report and across reports, and its tagging
# depends only on the run (the HMM tables are fixed), so results are memoised, up to this many runs.
HMM_CACHE_SIZE = 200_000
# A run the dictionary does not cover that is longer than this is not language (random characters, a table of
# codes): its characters are tagged one by one, as jieba tags a covered run, instead of by the HMM, whose cost
# per character is about a thousand times the dictionary's (230 random hanzi took 0.7–1.4 s). Unknown words are
# names of two to six characters; on devweb + seeds 5 of 2,910 uncovered runs were longer than 16 characters.
MAX_HMM_RUN = 16


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
        return _memoised_tagger(jieba.posseg.POSTokenizer)(jieba.Tokenizer())

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
        tagger = self._ensure()
        for pair in tagger.cut(text, HMM=self.is_language(text)):
            word = pair.word
            start = pos if text.startswith(word, pos) else text.find(word, pos)
            if start < 0:
                continue
            out.append(Token(word, pair.flag, start, start + len(word)))
            pos = start + len(word)
        return out

    def is_language(self, text: str) -> bool:
        """Whether `text` reads as Chinese (ingest.tokenize.MIN_WORD_COVERAGE); text that does not is tagged
        without the HMM at all.

        >>> s = Segmenter()
        >>> s.is_language("村党支部建立了党员联系户制度"), s.is_language("鑫齉龘靐爩麤鸾")
        (True, False)
        """
        return word_coverage(text, self._ensure().tokenizer.cut(text, HMM=False)) >= MIN_WORD_COVERAGE

    def flag(self, word: str) -> str:
        """The part-of-speech flag jieba's dictionary gives `word` ("" when it is not a dictionary word)."""
        return self._ensure().word_tag_tab.get(word, "")

    def frequency(self, word: str) -> int:
        """How common `word` is in jieba's dictionary (0 when unknown): high counts mark common words."""
        tokenizer = self._ensure().tokenizer
        tokenizer.check_initialized()  # jieba loads its counts on first use, not when the tagger is built
        return tokenizer.FREQ.get(word, 0) or 0


def _memoised_tagger(base: type) -> type:
    """A subclass of jieba's POSTokenizer whose HMM tagging of an unknown run is computed once per run.

    jieba calls `self.__cut(run)` (name-mangled to `_POSTokenizer__cut`) for each run of characters its
    dictionary does not cover; the override returns the remembered (word, flag) pairs. Output is identical
    (tested against the plain tagger) except for runs longer than MAX_HMM_RUN, tagged character by character;
    the user dictionary is consulted before this step, so it still applies.
    """
    from jieba.posseg import pair

    plain = base._POSTokenizer__cut  # type: ignore[attr-defined]

    class MemoisedPOSTokenizer(base):
        def __init__(self, tokenizer=None):
            super().__init__(tokenizer)
            self.hmm_runs: dict[str, tuple] = {}

        def _POSTokenizer__cut(self, sentence):  # noqa: N802 (jieba's mangled name)
            if len(sentence) > MAX_HMM_RUN:
                return iter([pair(ch, self.word_tag_tab.get(ch, "x")) for ch in sentence])
            runs = self.hmm_runs
            pairs = runs.get(sentence)
            if pairs is None:
                pairs = tuple(plain(self, sentence))
                if len(runs) >= HMM_CACHE_SIZE:
                    runs.clear()
                runs[sentence] = pairs
            return iter(pairs)

    return MemoisedPOSTokenizer
