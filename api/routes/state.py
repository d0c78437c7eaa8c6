"""Shared state of the app: a reader engine for requests, a writer engine for ingest, and their locks."""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from api.routes.batching import QueryBatcher
from api.routes.joblog import scratch_prefix
from api.settings import Settings
from ingest.types import RawFile
from load.types import FileReport
from search.encode import Encoder
from search.engine import Engine, validate_query

# Texts per model call while ingesting; between two calls a waiting search gets the model.
INGEST_BATCH = 8


class GatedEncoder:
    """The reader's encoder lent to the writer: each batch holds the gate, so searches run in between."""

    def __init__(self, inner: Encoder, gate: threading.Lock, batch: int = INGEST_BATCH):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._gate = gate
        self._batch = batch

    def encode(self, texts: list[str], *, query: bool = False) -> np.ndarray:
        parts = []
        for i in range(0, len(texts), self._batch):
            with self._gate:
                parts.append(self.inner.encode(texts[i : i + self._batch], query=query))
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)


@dataclass
class AppState:
    """What requests share. `gate` guards the reader engine (its model and vector index, which are not
    safe for concurrent use); `write_lock` lets one writer at a time change the store.

    Ingest runs on a second engine over the same store and never holds the gate for long: only its
    model calls take it, batch by batch, so searches keep being answered while a report is ingested.
    """

    settings: Settings
    engine: Engine
    gate: threading.Lock = field(default_factory=threading.Lock)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    _writer: Engine | None = None
    _scratch: tempfile.TemporaryDirectory | None = None
    batcher: QueryBatcher = field(init=False)

    def __post_init__(self) -> None:
        self.batcher = QueryBatcher(self._query_encoder)

    def _query_encoder(self) -> Encoder:
        return self.engine.encoder

    def _writer_engine(self) -> Engine:
        if self._writer is None:
            # The writer's copy of the faiss index is only bookkeeping; saved beside the store it would
            # race with the reader's saves, so its files go to a private folder.
            self._scratch = tempfile.TemporaryDirectory(prefix=scratch_prefix("writer"))
            config = replace(self.engine.config, state_dir=Path(self._scratch.name))
            self._writer = Engine(config, encoder=GatedEncoder(self.engine.encoder, self.gate))
        return self._writer

    def ingest(self, raw: RawFile) -> tuple[FileReport, tuple[str, ...]]:
        """Ingest one file on the writer engine, taking the write lock for each document's transaction only;
        returns its report and the ids of its documents."""
        with self.write_lock:
            writer = self._writer_engine()
        report, doc_ids = writer.ingest_file(raw, self.write_lock)
        with self.gate:
            self.engine.store.expire_generation()  # the writer's store committed: read the generation now
            self.engine.tokenizer.add_words(writer.tokenizer.user_words())
            self.engine.vectors.sync()
        return report, doc_ids

    def remove(self, doc_id: str) -> int | None:
        """Remove a document; None if there is no such document."""
        with self.write_lock, self.gate:
            if not self.engine.store.has_document(doc_id):
                return None
            return self.engine.remove(doc_id)

    def search(self, query: str, k: int, place: str | None, role: str | None) -> dict:
        """engine.search; the queries of searches waiting for the gate are embedded in one model call."""
        pending = self.batcher.queue(validate_query(query, k))
        with self.gate:
            self.batcher.embed(pending)
            return self.engine.search(query, k=k, place=place, role=role).to_json()

    def warm(self) -> None:
        """Load the model, the vector index and the jieba dictionary before the first request."""
        self.search("预热", 1, None, None)

    def close(self) -> None:
        """Close the writer's store and remove its scratch folder."""
        if self._writer is not None:
            self._writer.store.close()
        if self._scratch is not None:
            self._scratch.cleanup()
