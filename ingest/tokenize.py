"""Tokenizer: one jieba.Tokenizer with our dictionary, shared by keyword indexing and query parsing."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from pathlib import Path

_WORD = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_PLACEHOLDER = re.compile(r"^(x+|X+|_+|\*+)$")


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def load_stopwords(lexicon_dir: Path) -> frozenset[str]:
    """Function words and report filler that carry no meaning for retrieval (stopwords.txt)."""
    path = Path(lexicon_dir) / "stopwords.txt"
    words = path.read_text(encoding="utf-8").split() if path.exists() else []
    return frozenset(w for w in words if not w.startswith("#"))


class Tokenizer:
    """jieba in search mode over normalised simplified text, with user words kept whole.

    The jieba dictionary loads on first use, not at import, and the instance is thread-safe.
    """

    def __init__(self, user_words: Iterable[str] = (), stopwords: frozenset[str] = frozenset()):
        self._words = {w for w in user_words if len(w) >= 2}
        self._stop = stopwords
        self._jieba = None
        self._lock = threading.Lock()

    def _engine(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    engine = jieba.Tokenizer()
                    engine.initialize()
                    for word in sorted(self._words):
                        engine.add_word(word, freq=max(engine.suggest_freq(word), 2000))
                    self._jieba = engine
        return self._jieba

    def user_words(self) -> frozenset[str]:
        return frozenset(self._words)

    def add_words(self, words: Iterable[str]) -> None:
        """Grow the dictionary (names of extracted entities) so they stay one token."""
        new = {w for w in words if len(w) >= 2} - self._words
        self._words |= new
        if self._jieba is not None:
            with self._lock:
                for word in sorted(new):
                    self._jieba.add_word(word, freq=max(self._jieba.suggest_freq(word), 2000))

    def frequency(self, word: str) -> tuple[int, int]:
        """How often jieba's dictionary, counted over general Chinese text, saw `word`, and its total count.

        >>> count, total = Tokenizer().frequency("天气")
        >>> 0 < count < total
        True
        """
        engine = self._engine()
        return int(engine.FREQ.get(word, 0) or 0), int(engine.total)

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text: jieba search-mode words, minus stopwords and punctuation.

        >>> Tokenizer(["两学一做"]).tokens("推进“两学一做”规范化")
        ['推进', '两学一做', '规范', '范化', '规范化']
        """
        out = []
        for word in self._engine().cut_for_search(text):
            word = word.strip().lower()
            if not word or word in self._stop or not _WORD.search(word) or _PLACEHOLDER.match(word):
                continue
            out.append(word)
        return out

    def is_language(self, text: str) -> bool:
        """Whether `text` reads as Chinese words rather than random or repeated characters (MIN_WORD_COVERAGE).

        >>> Tokenizer().is_language("村里开会没人来怎么办"), Tokenizer().is_language("党" * 50)
        (True, False)
        """
        return word_coverage(text, self._engine().cut(text, HMM=False)) >= MIN_WORD_COVERAGE

    def terms(self, text: str) -> list[str]:
        """Keyword-index terms: words plus character bigrams (marked "#"), so that a segmentation that
        differs between a question and a passage still matches.

        >>> Tokenizer().terms("流动党员")
        ['流动', '党员', '#流动', '#动党', '#党员']
        """
        return self.tokens(text) + bigram_terms(text)


# Text whose Chinese characters are covered by dictionary words of two or more characters for less than this
# share is not language (random or repeated characters): on the raw lines of devweb + seeds (traditional script
# included) the lowest share was 0.20; random hanzi scored at most 0.02, 党 × 500 scores 0.
MIN_WORD_COVERAGE = 0.1


def word_coverage(text: str, words: Iterable[str]) -> float:
    """Share of the Chinese characters of `text` that lie in `words` (its segmentation) of two or more
    characters; 1.0 for text without Chinese characters.

    >>> word_coverage("党建引领", ["党建", "引领"]), word_coverage("党党党", ["党", "党", "党"])
    (1.0, 0.0)
    """
    hanzi = len(_CJK_CHAR.findall(text))
    if not hanzi:
        return 1.0
    return sum(len(w) for w in words if len(w) > 1 and _CJK_CHAR.match(w)) / hanzi


# A text of at least REPETITION_MIN_CHARS characters whose distinct character pairs number less than this share
# of its pairs repeats itself (支部支部支部…); natural sentences repeat few pairs (devweb's and the dev set's questions:
# at least 0.92 distinct).
REPETITION_MIN_CHARS = 20
MIN_DISTINCT_PAIRS = 0.3


def is_repetitive(text: str) -> bool:
    """Whether a long text is mostly one short piece repeated.

    >>> is_repetitive("支部" * 50), is_repetitive("村里开会没人来，党员都在外地打工，留下的年纪大了怎么办")
    (True, False)
    """
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < REPETITION_MIN_CHARS:
        return False
    pairs = {(a, b) for a, b in zip(chars, chars[1:], strict=False)}
    return len(pairs) < MIN_DISTINCT_PAIRS * (len(chars) - 1)


def bigram_terms(text: str) -> list[str]:
    """The character-bigram terms of a text's Chinese runs, as the keyword index stores them.

    >>> bigram_terms("集体经济")
    ['#集体', '#体经', '#经济']
    """
    return ["#" + run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]
