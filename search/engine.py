"""The engine: one object for the CLI and HTTP, composed of an ingester (load/), a searcher, the experience
finder and the graph queries, all over one store, tokenizer and (lazily loaded) model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from ingest.pipeline import PipelineConfig
from ingest.tokenize import Tokenizer, load_stopwords
from ingest.types import RawFile
from kg.backends import open_store
from kg.records import EntityInfo
from load.graphing import GraphBuilder
from load.ingester import Ingester
from load.types import FileReport
from load.words import StoreWords
from search.config import EngineConfig
from search.encode import Encoder, SentenceEncoder
from search.entities import GraphQueries
from search.errors import NotFoundError
from search.experience import ExperienceFinder
from search.searcher import MAX_K, MAX_QUERY_CHARS, Searcher, validate_query
from search.types import EntityEvidence, ExperienceAnswer, Neighbor, SearchResult
from search.vectors import StoreVectorIndex, VectorIndex

__all__ = ["MAX_K", "MAX_QUERY_CHARS", "Engine", "EngineConfig", "validate_query"]


class Engine:
    """The parts over one store: `ingester` writes, `searcher` searches, `experience_finder` answers
    problems with comparable practices, `graph` reads entities; this class only wires them and forwards."""

    def __init__(self, config: EngineConfig, encoder: Encoder | None = None):
        self.config = config
        self.store = open_store(config.db)
        self._encoder = encoder
        tokenizer = Tokenizer(self.store.user_words(), stopwords=load_stopwords(config.lexicon_dir))
        self.words = StoreWords(self.store, tokenizer)
        self.searcher = Searcher(config, self.store, self.words, lambda: self.encoder)
        self.graph_builder = GraphBuilder(self.store, config.lexicon_dir, lambda: self.encoder)
        pipeline = PipelineConfig(Path(config.lexicon_dir), config.max_bytes, config.max_inflated_bytes)
        self.ingester = Ingester(self.store, self.words, self.graph_builder, pipeline, lambda: self.encoder,
                                 lambda: self.searcher.vectors)
        self.experience_finder = ExperienceFinder(self.searcher, lambda: self.graph_builder.problems,
                                                  config.lexicon_dir)
        self.graph = GraphQueries(self.store)

    @property
    def encoder(self) -> Encoder:
        """The model, loaded on first use: commands that do not embed never load it."""
        if self._encoder is None:
            self._encoder = SentenceEncoder(self.config.model, query_prefix=self.config.query_prefix,
                                            quantize=self.config.quantize, onnx_cache=self.config.onnx_cache)
        return self._encoder

    @property
    def tokenizer(self) -> Tokenizer:
        return self.words.tokenizer

    @property
    def vectors(self) -> VectorIndex | StoreVectorIndex:
        return self.searcher.vectors

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
        self.words.follow()

    # -- writes -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: Callable[[FileReport], None] | None = None,
               workers: int = 1) -> list[FileReport]:
        """Ingest files and folders (load/ingester.py); a bad file is reported and skipped."""
        return self.ingester.ingest(paths, progress, workers)

    def ingest_text(self, text: str, path: str, meta: dict | None = None) -> FileReport:
        """Ingest text given directly (HTTP uploads of JSON text)."""
        return self.ingester.ingest_text(text, path, meta)

    def ingest_file(self, raw: RawFile,
                    write_lock: AbstractContextManager | None = None) -> tuple[FileReport, tuple[str, ...]]:
        """Ingest one file, holding `write_lock` only while a document is written (load/ingester.py)."""
        return self.ingester.ingest_file(raw, write_lock)

    def remove(self, doc_id: str) -> int:
        """Remove a document and what only it supported; returns passages removed from the store."""
        try:
            removed = self.store.remove_document(doc_id)
        except KeyError:
            raise NotFoundError(f"no document {doc_id!r}; `djkg stats --json` or GET /documents lists them") from None
        self.searcher.removed()
        return len(removed)

    # -- reads ------------------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, place: str | None = None, role: str | None = None,
               explain: bool = False) -> SearchResult:
        """Hybrid search (search/searcher.py); a question's store reads are cached (Store.cached_reads)."""
        with self.store.cached_reads():
            return self.searcher.search(query, k, place, role, explain)

    def experience(self, problem: str, k: int = 10, place: str | None = None, exclude_place: str | None = None,
                   explain: bool = False) -> ExperienceAnswer:
        """Comparable experience for a problem (search/experience/); its store reads are cached."""
        with self.store.cached_reads():
            return self.experience_finder.answer(problem, k, place, exclude_place, explain)

    def entities(self, entity_type: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[EntityInfo]:
        return self.graph.entities(entity_type, limit, offset)

    def entity(self, entity_id: str, evidence: int = 5) -> EntityEvidence:
        return self.graph.entity(entity_id, evidence)

    def neighbors(self, entity_id: str) -> list[Neighbor]:
        return self.graph.neighbors(entity_id)

    def stats(self) -> dict:
        return self.graph.stats()
