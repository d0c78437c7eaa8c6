"""The engine: ingest files into the store and indexes, and answer searches with citable hits."""

from __future__ import annotations

import functools
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.clean import to_simplified
from ingest.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES
from ingest.tokenize import Tokenizer, load_stopwords
from ingest.types import ENTITY_TYPES, ROLES
from kg.backends import is_url, open_store
from kg.records import StoredPassage
from search.cite import gbt7714, short_citation
from search.encode import Encoder, SentenceEncoder
from search.errors import NotFoundError, QueryError
from search.experience import ExperienceFinder
from search.fusion import rrf
from search.graphing import GraphBuilder
from search.ingestion import IngestMixin, index_text, passage_key  # noqa: F401 (re-exported)
from search.keyword import KeywordIndex
from search.question import topic
from search.rerank import Candidate, Question, Reranker, asks_problems, char_pairs, features, load_reranker
from search.types import ExperienceAnswer, ExperienceResult, Hit, SearchResult
from search.vectors import StoreVectorIndex, VectorIndex, as_matrix

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_K = 100
CANDIDATES = 100
# BM25 is the stronger of the two lists on Chinese report text (dev set: recall@10 0.88 vs 0.73 for
# m3e vectors alone), so its ranks count double; k = 15 rather than RRF's 60 lets the first ranks of
# each list decide more (recall and nDCG were flat for weights 0.4–0.5 and k 10–20 on the dev set).
KEYWORD_WEIGHT = 1.0
VECTOR_WEIGHT = 0.5
FUSION_K = 15
# Passages naming a quoted name that the question also names (“两学一做”) get this much more; dev set:
# nDCG@10 0.854 → 0.863 at 0.2, no change in recall, flat above.
NAME_BOOST = 0.2
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CJK_ONLY = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs, read from the environment by api/settings.py only."""

    db: str | Path           # a store folder (SQLite) or a postgresql:// URL
    lexicon_dir: Path
    model: str | None = None
    query_prefix: str = ""
    index_kind: str = "auto"
    quantize: str = ""
    max_bytes: int = DEFAULT_MAX_BYTES
    max_inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES
    state_dir: Path | None = None  # this machine's files (job log, saved vector index); default: the store folder

    @property
    def local_dir(self) -> Path:
        """Where this process keeps files of its own: the store folder, or `state_dir` for a server store."""
        if self.state_dir is not None:
            return Path(self.state_dir)
        if is_url(self.db):
            raise ValueError("a PostgreSQL store needs a state_dir for this machine's files")
        return Path(self.db)





def validate_query(query: str, k: int) -> str:
    """Normalise a query or raise QueryError saying what to fix."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("query is empty: give a question or keywords, e.g. 软弱涣散党组织整顿")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query has {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    if _CONTROL.search(query.replace("\t", " ").replace("\n", " ")):
        raise QueryError("query contains control characters; remove them")
    text = to_simplified(unicodedata.normalize("NFKC", query)).strip()
    if not _WORDY.search(text):
        raise QueryError("query has no words, only punctuation or spaces")
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise QueryError(f"k must be between 1 and {MAX_K}, got {k}")
    return text


def cached_reads(method):
    """Run an engine method with the store's reads cached (Store.cached_reads): a question reads the same
    passages and entities many times, and on a database server each read is a round trip."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self.store.cached_reads():
            return method(self, *args, **kwargs)

    return run


@dataclass(frozen=True)
class Retrieved:
    """The first stage's output for one question: fused candidates and the lists they came from."""

    question: Question
    candidates: list[Candidate]
    fused: dict[int, float]
    keyword: list[tuple[int, float]]
    vector: list[tuple[int, float]]
    cosines: np.ndarray   # each candidate's cosine to the question, in the order of `candidates`


class Engine(IngestMixin):
    """Store, tokenizer, keyword and vector indexes behind one object shared by the CLI and HTTP."""

    def __init__(self, config: EngineConfig, encoder: Encoder | None = None):
        self.config = config
        self.store = open_store(config.db)
        self._encoder = encoder
        self.tokenizer = Tokenizer(self.store.user_words(), stopwords=load_stopwords(config.lexicon_dir))
        self.keyword = KeywordIndex(self.store)
        self.graph_builder = GraphBuilder(self.store, config.lexicon_dir, lambda: self.encoder)
        self._new_practices: set[str] = set()
        self._vectors: VectorIndex | None = None
        self._roles: tuple[int, dict[str | None, frozenset[int]]] = (-1, {})
        self._followed = self.store.generation()
        self.reranker: Reranker | None = load_reranker(config.lexicon_dir)
        self.experience_finder = ExperienceFinder(self)

    # -- lazily built parts: commands that do not search never load the model -------------------
    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = SentenceEncoder(self.config.model, query_prefix=self.config.query_prefix,
                                            quantize=self.config.quantize)
        return self._encoder

    @property
    def vectors(self) -> VectorIndex | StoreVectorIndex:
        if self._vectors is None:
            encoder = self.encoder
            self.store.check_model(encoder.name, encoder.dim)
            if self.store.serves_vectors:
                self._vectors = StoreVectorIndex(self.store, encoder.dim)
            else:
                self._vectors = VectorIndex(self.store, encoder.dim, kind=self.config.index_kind,
                                            folder=self.config.local_dir)
        return self._vectors

    def warm(self) -> None:
        """Load the model, the vector index, the jieba dictionary and the problem prototypes now, so that
        `took_ms` of the first query measures the query, not the loading."""
        self.encoder.encode(["预热"], query=True)
        self.vectors.ready()
        self.tokenizer.tokens("预热")
        self.graph_builder.problems.by_meaning(self.encoder.encode(["预热"], query=True)[0])
        self.experience_finder.warm()

    def follow(self) -> None:
        """Take in what other processes wrote since the last look (several servers on one store): the words
        they added to the tokenizer. The keyword index, the role sets and the vector index follow the store's
        generation themselves."""
        generation = self.store.generation()
        if generation != self._followed:
            self.tokenizer.add_words(set(self.store.user_words()) - self.tokenizer.user_words())
            self._followed = generation

    def remove(self, doc_id: str) -> int:
        """Remove a document and what only it supported; returns passages removed from the store."""
        try:
            removed = self.store.remove_document(doc_id)
        except KeyError:
            raise NotFoundError(f"no document {doc_id!r}; `djkg stats --json` or GET /documents lists them") from None
        if self._vectors is not None:
            self._vectors.rebuild()
        return len(removed)

    # -- search ---------------------------------------------------------------------------------
    @cached_reads
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
        vector = self.encoder.encode([text], query=True)[0]
        got = self.retrieved(text, vector, allowed)
        scores = self.ranked(got)
        ranked = sorted(scores, key=lambda n: (-scores[n], n))[:k]
        found = self.store.passages(ranked)
        hits = []
        for rank, num in enumerate((n for n in ranked if n in found), start=1):
            why = ({"keyword_rank": _rank_of(got.keyword, num), "vector_rank": _rank_of(got.vector, num),
                    "fused": round(got.fused[num], 6)} if explain else {})
            hits.append(self._hit(rank, scores[num], found[num], why))
        return SearchResult(query, (time.perf_counter() - started) * 1000, tuple(hits))

    def fused(self, text: str, vector, allowed: set[int] | None, depth: int = CANDIDATES,
              expansion: tuple[str, ...] = (), expansion_weight: float = 0.0) -> dict[int, float]:
        """Fused hybrid scores of the best `depth` passages of each list, for callers that rank further;
        `expansion` terms (pseudo-relevance feedback) add a third BM25 list at `expansion_weight` of the
        keyword list's weight."""
        _, _, fused = self._lists(text, vector, allowed, depth, expansion, expansion_weight)
        return self._boost_names(fused, text)

    def retrieved(self, text: str, vector, allowed: set[int] | None, depth: int = CANDIDATES,
                  expansion: tuple[str, ...] = (), expansion_weight: float = 0.0) -> Retrieved:
        """The first stage's candidates with what the reranker reads of them."""
        kw, vec, fused = self._lists(text, vector, allowed, depth, expansion, expansion_weight)
        found = self.store.passages(fused)
        names = self._names_in(text)
        fused = self._boost_names(fused, text, found, names)
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

    def _lists(self, text: str, vector, allowed: set[int] | None, depth: int, expansion: tuple[str, ...],
               expansion_weight: float) -> tuple[list[tuple[int, float]], list[tuple[int, float]], dict[int, float]]:
        """The BM25 and vector lists and their RRF fusion (before the name boost)."""
        kw = self.keyword.search(self.tokenizer.terms(topic(text)), depth, allowed)
        extra = self.keyword.search(expansion, depth, allowed) if expansion and expansion_weight > 0 else []
        vec = self.vectors.search(vector, depth, allowed)
        lists, weights = [[n for n, _ in kw], [n for n, _ in vec]], [KEYWORD_WEIGHT, VECTOR_WEIGHT]
        if extra:
            lists.append([n for n, _ in extra])
            weights.append(expansion_weight * KEYWORD_WEIGHT)
        return kw, vec, rrf(lists, weights=weights, k=FUSION_K)

    def similarity(self, vector, nums: list[int]):
        """Cosine of a normalised vector to stored passages, in the order of `nums`."""
        by_num = dict(self.store.vectors_of(nums))
        return as_matrix([by_num[n] for n in nums], self.vectors.dim) @ vector

    def _names_in(self, question: str) -> tuple[str, ...]:
        """The registered names (quoted and practice names) a question holds."""
        return tuple(w for w in self.tokenizer.user_words() if w in question)

    def _boost_names(self, fused: dict[int, float], question: str, found: dict[int, StoredPassage] | None = None,
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
        generation = self.store.generation()
        if self._roles[0] != generation:
            self._roles = (generation, {})
        cache = self._roles[1]
        if role not in cache:
            cache[role] = frozenset(self.store.nums_with(role=role))
        return cache[role]

    def place_passages(self, place: str) -> set[int]:
        """Passages about a place or any place inside it (上海 covers its districts and streets): in a report
        whose main place it is, or naming it."""
        place = to_simplified(unicodedata.normalize("NFKC", place)).strip()
        family = self.store.graph.place_family(place)
        names = {name for _, name in family} | {place}
        docs = [d["doc_id"] for d in self.store.documents() if d["place"] in names or place in d["title"]]
        nums = self.store.nums_with(doc_ids=docs) if docs else set()
        nums |= self.store.graph.nums_mentioning(eid for eid, _ in family)
        return nums | self.keyword.containing(place)

    def _hit(self, rank: int, score: float, p: StoredPassage, explain: dict) -> Hit:
        doc = self.store.document(p.doc_id)
        original = doc["original"] if doc else ""
        meta = doc["meta"] if doc else {}
        named = self.store.graph.entities_in([p.num]).get(p.num, [])
        entities = tuple({"id": e, "name": n, "type": t} for e, n, t in named)
        return Hit(
            rank=rank,
            score=round(score, 6),
            passage_id=p.passage_id,
            doc_id=p.doc_id,
            title=p.title,
            section=p.section,
            role=p.role,
            text=p.text,
            quote=original[p.start : p.end],
            start=p.start,
            end=p.end,
            citation=short_citation(p.title, p.section, p.ordinal + 1),
            reference=gbt7714(p.title, meta),
            sources=tuple(self.store.sources_of(p.num)),
            entities=entities,
            explain=explain,
        )

    @cached_reads
    def experience(self, problem: str, k: int = 10, place: str | None = None, exclude_place: str | None = None,
                   explain: bool = False) -> ExperienceAnswer:
        """Comparable experience for a problem: practices and measures from other reports, with evidence."""
        started = time.perf_counter()
        text = validate_query(problem, k)
        self.follow()
        allowed = self.place_passages(place) if place else None
        if exclude_place:
            excluded = self.place_passages(exclude_place)
            allowed = (allowed if allowed is not None else set(self.role_passages(None))) - excluded
        answer = self.experience_finder.find(text, k, allowed)
        results = []
        for rank, case in enumerate(answer.cases, start=1):
            hits = tuple(self._hit(i + 1, c.score, c.passage, {"found_by": c.why} if explain else {})
                         for i, c in enumerate(case.evidence))
            results.append(ExperienceResult(rank, case.score, case.entity_id, case.name, case.type, case.places,
                                            tuple(i.to_json() for i in case.indicators), hits,
                                            case.explain() if explain else {}))
        took = (time.perf_counter() - started) * 1000
        return ExperienceAnswer(problem, took, tuple(p.to_json() for p in answer.problems), tuple(results),
                                answer.reason)

    # -- graph --------------------------------------------------------------------------------------
    def entities(self, entity_type: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Entities in the DESIGN.md shape, most documented first; `entity_type` one of ENTITY_TYPES."""
        if entity_type is not None and entity_type not in ENTITY_TYPES:
            raise QueryError(f"type {entity_type!r} is not one of {', '.join(ENTITY_TYPES)}")
        return self.store.graph.list(entity_type, limit, offset)

    def entity(self, entity_id: str, evidence: int = 5) -> dict:
        """One entity with its evidence hits (quote and citation) and its neighbours."""
        found = self.store.graph.get(entity_id)
        if found is None:
            raise NotFoundError(f"no entity {entity_id!r}; `djkg entities` lists them")
        nums = list(dict.fromkeys(n for n, *_ in self.store.graph.mentions(entity_id)))[:evidence]
        passages = self.store.passages(nums)
        hits = [self._hit(i + 1, 1.0, passages[n], {}) for i, n in enumerate(nums) if n in passages]
        found["evidence"] = [h.to_json() for h in hits]
        found["neighbors"] = self.neighbors(entity_id)
        return found

    def neighbors(self, entity_id: str) -> list[dict]:
        """Entities related to this one: relation type, direction, weight and evidence passage ids."""
        if self.store.graph.get(entity_id) is None:
            raise NotFoundError(f"no entity {entity_id!r}; `djkg entities` lists them")
        out = []
        for src, dst, rtype, weight, nums in self.store.graph.relations(entity_id):
            other = dst if src == entity_id else src
            info = self.store.graph.get(other) or {"name": other, "type": other.split(":", 1)[0]}
            ids = [p.passage_id for p in self.store.passages(nums[:5]).values()]
            out.append({"id": other, "name": info["name"], "type": info["type"], "relation": rtype,
                        "direction": "out" if src == entity_id else "in", "weight": weight, "evidence": ids})
        return out

    def stats(self) -> dict:
        counts = self.store.counts()
        entities, relations = self.store.graph.counts()
        return {
            "documents": counts["documents"],
            "passages": counts["passages"],
            "entities": entities,
            "relations": relations,
            "model": self.store.get_meta("model"),
            "dim": int(self.store.get_meta("dim") or 0),
        }


def _rank_of(ranked: list[tuple[int, float]], num: int) -> int | None:
    return next((i + 1 for i, (n, _) in enumerate(ranked) if n == num), None)

