"""Search: BM25 and vector lists fused by RRF, reranked, filtered by place and role, as citable hits."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ingest.clean import to_simplified
from ingest.inline import spacing_spans
from ingest.types import ROLES
from kg.records import StoredPassage
from kg.store import Store
from load.words import StoreWords
from search.config import EngineConfig
from search.encode import Encoder
from search.errors import QueryError
from search.fusion import rrf
from search.hits import Ranked, make_hits
from search.keyword import KeywordIndex
from search.memo import GenerationMemo
from search.question import topic
from search.rerank import Candidate, Question, Reranker, asks_problems, char_pairs, features, load_reranker
from search.types import Hit, SearchResult
from search.vectors import StoreVectorIndex, VectorIndex

MAX_QUERY_CHARS = 500
MAX_K = 100
CANDIDATES = 100
# BM25 is the stronger of the two lists on Chinese report text (dev set: recall@10 0.88 vs 0.73 for
# m3e vectors alone), so its ranks count double; k = 15 rather than RRF's 60 lets the first ranks of
# each list decide more (recall and nDCG were flat for weights 0.4–0.5 and k 10–20 on the dev set).
KEYWORD_WEIGHT = 1.0
VECTOR_WEIGHT = 0.5
FUSION_K = 15
# Questions embedded at once (one thread each, while their callers run BM25), for the whole process: an API
# server's worker threads each have one question in flight.
EMBEDDING_THREADS = 4
# Passages naming a quoted name that the question also names (“两学一做”) get this much more; dev set:
# nDCG@10 0.854 → 0.863 at 0.2, no change in recall, flat above.
NAME_BOOST = 0.2
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CJK_ONLY = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def validate_query(query: str, k: int) -> str:
    """Normalise a query or raise QueryError saying what to fix."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("query is empty: give a question or keywords, e.g. 软弱涣散党组织整顿")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query has {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    if _CONTROL.search(query.replace("\t", " ").replace("\n", " ")):
        raise QueryError("query contains control characters; remove them")
    text = _despaced(to_simplified(unicodedata.normalize("NFKC", query)).strip())
    if not _WORDY.search(text):
        raise QueryError("query has no words, only punctuation or spaces")
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, got {k}")
    return text


def _despaced(text: str) -> str:
    """The query without spaces inside Chinese text (a question copied from a page with a space between
    every character), by the rule ingest cleans pages with.

    >>> _despaced("农 村 党 员 老 龄 化"), _despaced("Windows 10 系统")
    ('农村党员老龄化', 'Windows 10系统')
    """
    spans = spacing_spans(text)
    return "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))


@dataclass(frozen=True)
class Retrieved:
    """The first stage's output for one question: fused candidates and the lists they came from."""

    question: Question
    candidates: list[Candidate]
    fused: dict[int, float]
    keyword: list[tuple[int, float]]
    vector: list[tuple[int, float]]
    cosines: np.ndarray   # each candidate's cosine to the question, in the order of `candidates`


class Searcher:
    """The keyword and vector indexes of one store, the reranker, and the searches built on them.

    `encoder` is called when the model is first needed, so commands that do not search never load it.
    """

    def __init__(self, config: EngineConfig, store: Store, words: StoreWords, encoder: Callable[[], Encoder]):
        self.config = config
        self.store = store
        self.words = words
        self._encoder = encoder
        self.keyword = KeywordIndex(store)
        self.reranker: Reranker | None = load_reranker(config.lexicon_dir)
        self._vectors: VectorIndex | StoreVectorIndex | None = None
        self._memo = GenerationMemo(store)

    @property
    def tokenizer(self):
        return self.words.tokenizer

    @property
    def encoder(self) -> Encoder:
        return self._encoder()

    @property
    def vectors(self) -> VectorIndex | StoreVectorIndex:
        """The vector index, built on first use after checking that the store holds this model's vectors."""
        if self._vectors is None:
            encoder = self.encoder
            self.store.check_model(encoder.name, encoder.dim)
            if self.store.serves_vectors:
                self._vectors = StoreVectorIndex(self.store, encoder.dim)
            else:
                self._vectors = VectorIndex(self.store, encoder.dim, kind=self.config.index_kind,
                                            folder=self.config.local_dir)
        return self._vectors

    def embed_soon(self, text: str) -> Future:
        """The question's vector, computed in another thread while the caller does what needs none (BM25, reading
        the keyword candidates): the model's matrix products release the interpreter, so the two overlap on
        two cores (100x store, new queries: search p50 35.3 -> 32.8 ms on SQLite, 57.5 -> 53.9 on PostgreSQL)."""
        return _embedding_threads().submit(lambda: self.encoder.encode([text], query=True)[0])

    def removed(self) -> None:
        """After a removal: the vector index, when built, is built again without the removed passages."""
        if self._vectors is not None:
            self._vectors.rebuild()

    def follow(self) -> None:
        """Take in the words other processes stored (the indexes follow the store's generation themselves)."""
        self.words.follow()

    def hits(self, ranked: list[Ranked]) -> list[Hit]:
        """A page of passages as citable hits, read together (search/hits.py)."""
        return make_hits(self.store, ranked)

    def search(
        self, query: str, k: int = 10, place: str | None = None, role: str | None = None, explain: bool = False
    ) -> SearchResult:
        """Hybrid search: BM25 and vectors fused by RRF, then filtered and cited."""
        started = time.perf_counter()
        text = validate_query(query, k)
        self.follow()
        if role is not None and role not in ROLES:
            raise QueryError(f"role {role!r} is not one of {', '.join(ROLES)}")
        allowed = self._allowed(place, role)
        pending = self.embed_soon(text)
        keyword = self.keyword_list(text, CANDIDATES, allowed)
        self.store.passages([n for n, _ in keyword])  # read while the model runs (kept for the question)
        got = self.retrieved(text, pending.result(), allowed, keyword=keyword)
        scores = self.ranked(got)
        ranked = sorted(scores, key=lambda n: (-scores[n], n))[:k]
        found = self.store.passages(ranked)
        page = []
        for rank, num in enumerate((n for n in ranked if n in found), start=1):
            why = ({"keyword_rank": _rank_of(got.keyword, num), "vector_rank": _rank_of(got.vector, num),
                    "fused": round(got.fused[num], 6)} if explain else {})
            page.append(Ranked(rank, scores[num], found[num], why))
        return SearchResult(query, (time.perf_counter() - started) * 1000, tuple(self.hits(page)))

    def fused(self, text: str, vector, allowed: set[int] | None, depth: int = CANDIDATES,
              expansion: tuple[str, ...] = (), expansion_weight: float = 0.0) -> dict[int, float]:
        """Fused hybrid scores of the best `depth` passages of each list, for callers that rank further;
        `expansion` terms (pseudo-relevance feedback) add a third BM25 list at `expansion_weight` of the
        keyword list's weight."""
        _, _, fused = self._lists(text, vector, allowed, depth, expansion, expansion_weight)
        return self.boost_names(fused, text)

    def retrieved(self, text: str, vector, allowed: set[int] | None, depth: int = CANDIDATES,
                  expansion: tuple[str, ...] = (), expansion_weight: float = 0.0,
                  keyword: list[tuple[int, float]] | None = None) -> Retrieved:
        """The first stage's candidates with what the reranker reads of them; `keyword`, when the caller has it,
        is keyword_list(text, depth, allowed)."""
        kw, vec, fused = self._lists(text, vector, allowed, depth, expansion, expansion_weight, keyword)
        found = self.store.passages(fused)
        names = self._names_in(text)
        fused = self.boost_names(fused, text, found, names)
        candidates = [Candidate(n, p.text, p.doc_id, p.title, p.section, p.role, p.ordinal)
                      for n, p in found.items()]
        subject = topic(text)
        words = self.tokenizer.tokens(subject)
        question = Question(_CJK_ONLY.sub("", text), self.keyword.idf(words), char_pairs(subject), names,
                            asks_problems(text))
        return Retrieved(question, candidates, fused, kw, vec, self.similarity(vector, [c.num for c in candidates]))

    def ranked(self, retrieved: Retrieved) -> dict[int, float]:
        """Candidate number → final score: the reranker's when the lexicon has fitted weights, else the
        fused score."""
        if self.reranker is None or not retrieved.candidates:
            return dict(retrieved.fused)
        rows = features(retrieved.question, retrieved.candidates, retrieved.fused, retrieved.keyword,
                        retrieved.vector, retrieved.cosines)
        return self.reranker.rank(retrieved.candidates, rows)

    def keyword_list(self, text: str, depth: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        """The BM25 list of a question's topic words."""
        return self.keyword.search(self.tokenizer.terms(topic(text)), depth, allowed)

    def _lists(self, text: str, vector, allowed: set[int] | None, depth: int, expansion: tuple[str, ...],
               expansion_weight: float, keyword: list[tuple[int, float]] | None = None,
               ) -> tuple[list[tuple[int, float]], list[tuple[int, float]], dict[int, float]]:
        """The BM25 and vector lists and their RRF fusion (before the name boost)."""
        kw = self.keyword_list(text, depth, allowed) if keyword is None else keyword
        extra = self.keyword.search(expansion, depth, allowed) if expansion and expansion_weight > 0 else []
        vec = self.vectors.search(vector, depth, allowed)
        lists, weights = [[n for n, _ in kw], [n for n, _ in vec]], [KEYWORD_WEIGHT, VECTOR_WEIGHT]
        if extra:
            lists.append([n for n, _ in extra])
            weights.append(expansion_weight * KEYWORD_WEIGHT)
        return kw, vec, rrf(lists, weights=weights, k=FUSION_K)

    def similarity(self, vector, nums: list[int]):
        """Cosine of a normalised vector to stored passages, in the order of `nums`."""
        return self.store.inner_products(vector, nums)

    def _names_in(self, question: str) -> tuple[str, ...]:
        """The registered names (quoted and practice names) a question holds."""
        return tuple(w for w in self.tokenizer.user_words() if w in question)

    def boost_names(self, fused: dict[int, float], question: str, found: dict[int, StoredPassage] | None = None,
                     names: tuple[str, ...] | None = None) -> dict[int, float]:
        """Passages that name what the question names (“两学一做”) rank a little higher; `found` and `names`,
        when the caller has them, save reading them again."""
        names = self._names_in(question) if names is None else names
        if not names or not fused:
            return fused
        found = self.store.passages(fused) if found is None else found
        return {n: s * (1.0 + NAME_BOOST) if n in found and any(w in found[n].text for w in names) else s
                for n, s in fused.items()}

    def _allowed(self, place: str | None, role: str | None) -> set[int] | None:
        if not place and not role:
            return None
        nums = set(self.role_passages(role)) if role else None
        if place:
            place_nums = self.place_passages(place)
            nums = place_nums if nums is None else nums & place_nums
        return nums

    def role_passages(self, role: str | None) -> frozenset[int]:
        """Passages with an occurrence in a section of this role (None: all), cached until the next write."""
        return self._memo.get(("role", role), lambda: frozenset(self.store.nums_with(role=role)))

    def place_passages(self, place: str) -> set[int]:
        """Passages about a place or any place inside it (上海 covers its districts and streets): in a report
        whose main place it is, or naming it."""
        place = to_simplified(unicodedata.normalize("NFKC", place)).strip()
        family = self.store.graph.place_family(place)
        names = {name for _, name in family} | {place}
        docs = [d.doc_id for d in self.store.documents() if d.place in names or place in d.title]
        nums = self.store.nums_with(doc_ids=docs) if docs else set()
        nums |= self.store.graph.nums_mentioning(eid for eid, _ in family)
        return nums | self.keyword.containing(place)


@lru_cache(maxsize=1)
def _embedding_threads() -> ThreadPoolExecutor:
    """The threads that embed questions, one pool for every searcher of the process (a test run makes many)."""
    return ThreadPoolExecutor(EMBEDDING_THREADS, thread_name_prefix="djkg-embed")


def _rank_of(ranked: list[tuple[int, float]], num: int) -> int | None:
    return next((i + 1 for i, (n, _) in enumerate(ranked) if n == num), None)

