"""Understanding a question: the problem categories it states (never a precondition) and whether it is about
party-building work at all, decided against the store itself, not against a cosine of one model."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.tokenize import is_repetitive
from load.problems import ProblemMatcher
from search.searcher import Searcher

# A word is domain vocabulary when it is at least this many times as frequent in the store as in general
# Chinese (jieba's dictionary counts): 社区, 书记, 集体, 换届 are (12–60×), 考试, 天气, 股票 are not (≤ 2.5×).
DOMAIN_LIFT = 10.0
# A word seen fewer times than this in the whole store says nothing about the store's domain (one stray
# mention of 红烧肉 in a menu line).
MIN_STORE_COUNT = 3
# jieba's count of a word it has never seen, so that a word new to it is not infinitely distinctive.
UNSEEN_COUNT = 5


@dataclass(frozen=True)
class Problem:
    """A problem category the question states: by a lexicon cue (score 1.0) or by meaning (its cosine)."""

    id: str
    name: str
    score: float
    by: str
    topics: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 4), "by": self.by,
                "topics": list(self.topics)}


@dataclass(frozen=True)
class Domain:
    """Why a question is (or is not) one this store can answer.

    `store_similarity` is the question's best cosine to a passage, `background_similarity` its best cosine
    to the everyday sentences of `data/lexicon/background.txt` (weather, sport, cooking, health, money,
    gadgets, travel, school work…); `domain_words` the question's words that are domain vocabulary.
    """

    store_similarity: float
    background_similarity: float
    domain_words: tuple[str, ...]
    is_language: bool = True

    @property
    def in_domain(self) -> bool:
        """Words, not random or repeated characters, and nearer to some passage of the store than to any
        everyday topic, or naming the store's vocabulary."""
        return self.is_language and (self.store_similarity >= self.background_similarity or bool(self.domain_words))

    def reason(self) -> str:
        if not self.is_language:
            return ("the question is not Chinese words: random or repeated characters; ask in words, "
                    "e.g. 村里开会党员叫不来怎么办")
        return ("the question is not about party-building work in this store: it is nearer to everyday topics "
                f"(cosine {self.background_similarity:.2f}) than to any passage ({self.store_similarity:.2f}), and "
                f"none of its words is much more frequent here than in general Chinese (≥ {DOMAIN_LIFT:g}×)")


@dataclass(frozen=True)
class Understanding:
    problems: tuple[Problem, ...]
    domain: Domain
    vector: np.ndarray = field(repr=False, compare=False)


def read_background(lexicon_dir: Path) -> list[str]:
    """The everyday sentences, one per line; `#` starts a comment line."""
    path = Path(lexicon_dir) / "background.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def word_lift(store_count: int, store_tokens: int, general_count: int, general_total: int) -> float:
    """How many times more frequent a word is in the store than in general Chinese (0 if too rare to say).

    >>> word_lift(40, 100_000, 300, 60_000_000)
    80.0
    >>> word_lift(2, 100_000, 0, 60_000_000)
    0.0
    """
    if store_count < MIN_STORE_COUNT or not store_tokens:
        return 0.0
    return (store_count / store_tokens) / (max(general_count, UNSEEN_COUNT) / general_total)


class Understander:
    """Problem categories and the domain test over one searcher's store; background vectors are encoded once.

    `problems` gives the problem matcher (built when first needed: it encodes the categories' prototypes).
    """

    def __init__(self, searcher: Searcher, problems: Callable[[], ProblemMatcher], lexicon_dir: Path):
        self.searcher = searcher
        self._problems = problems
        self.lexicon_dir = lexicon_dir
        self._background: np.ndarray | None = None
        self._lock = threading.Lock()

    def background(self) -> np.ndarray:
        if self._background is None:
            with self._lock:
                if self._background is None:
                    sentences = read_background(self.lexicon_dir)
                    self._background = self.searcher.encoder.encode(sentences)
        return self._background

    def domain_words(self, text: str) -> tuple[str, ...]:
        """The question's words (two characters or more) that are domain vocabulary of the store."""
        tokenizer = self.searcher.tokenizer
        words = [w for w in dict.fromkeys(tokenizer.tokens(text)) if len(w) >= 2]
        counts, tokens = self.searcher.keyword.frequencies(words)
        found = []
        for word in words:
            general, total = tokenizer.frequency(word)
            if word_lift(counts.get(word, 0), tokens, general, total) >= DOMAIN_LIFT:
                found.append(word)
        return tuple(found)

    def domain(self, text: str, vector: np.ndarray) -> Domain:
        if not self.searcher.tokenizer.is_language(text) or is_repetitive(text):
            return Domain(0.0, 0.0, (), is_language=False)
        best = self.searcher.vectors.search(vector, 1)
        store = float(best[0][1]) if best else -1.0
        background = float(np.max(self.background() @ vector))
        return Domain(store, background, self.domain_words(text))

    def problems(self, text: str, vector: np.ndarray, domain: Domain) -> tuple[Problem, ...]:
        """Categories stated by cue, and the one nearest in meaning when the question is nearer to it than to
        every everyday sentence and to every passage of the store (a category is a short description of a
        problem, so a question about it is nearer to it than to any long passage; no model's cosine scale is
        assumed)."""
        matcher = self._problems()
        found = {name: Problem(f"problem:{name}", name, 1.0, "cue") for name in matcher.by_cue(text)}
        meaning = matcher.by_meaning(vector)
        if meaning:
            name, cosine = max(meaning.items(), key=lambda item: item[1])
            if cosine > max(domain.background_similarity, domain.store_similarity) and name not in found:
                found[name] = Problem(f"problem:{name}", name, cosine, "meaning")
        ranked = sorted(found.values(), key=lambda p: -p.score)
        return tuple(ranked)

    def understand(self, text: str) -> Understanding:
        vector = self.searcher.encoder.encode([text], query=True)[0]
        domain = self.domain(text, vector)
        problems = self.problems(text, vector, domain) if domain.in_domain else ()
        return Understanding(problems, domain, vector)
