"""Loading: files → documents → embedded, indexed, extracted and stored passages."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.fingerprint import MAX_DISTANCE, distance, simhash
from ingest.pipeline import PipelineConfig, split_files, split_raw
from ingest.read import iter_paths
from ingest.types import Document, Passage, RawFile, Section
from kg.errors import DocumentExistsError
from kg.records import NewDocument, NewPassage, NewSection
from kg.store import Store
from kg.vectors import as_matrix, to_blob
from load.graphing import DocumentGraph, GraphBuilder, similar_practices
from load.types import FileReport
from load.words import StoreWords
from search.encode import Encoder

log = logging.getLogger(__name__)

# New passages of several files are embedded together once about this many are pending: the model sorts a
# call's texts by length, so larger calls pad less (10× benchmark: 38 passages/s inside ingest at 256 per call,
# 51 for one call over everything); 1024 passages of ≤ 230 characters stay far below a GiB of activations.
EMBED_BATCH = 1024

# A quoted name: 3–10 characters of Chinese, digits or + between quotation marks.
_QUOTED_NAME = re.compile(r"“([\u4e00-\u9fff0-9+]{3,10})”")


@lru_cache(maxsize=8192)  # ingest asks for each passage's key three times (fingerprints, embedding, writing)
def passage_key(text: str) -> str:
    """Id of a passage's content: the same words in two files give the same id (stored once)."""
    bare = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")
    return hashlib.sha256(bare.encode("utf-8")).hexdigest()[:16]


def index_text(doc: Document, section: Section, passage: Passage) -> str:
    """What the indexes see of a passage (adding title and heading path measured worse on the dev set)."""
    return passage.text


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready to be written: its store record, sections, passage rows and extracted graph."""

    record: NewDocument
    sections: list[NewSection]
    rows: list[NewPassage]
    graph: DocumentGraph


def _partly_extracted(unextracted: int, passages: int) -> str:
    if not unextracted:
        return ""
    return (f"partly extracted: {unextracted} of {passages} passages were stored and are searchable, but "
            "extraction's time budget ran out before them (no entities from them)")


class VectorSink(Protocol):
    """Where the vectors of newly stored passages go (the searcher's vector index)."""

    dim: int

    def add(self, nums: list[int], matrix: np.ndarray, generation_before: int) -> None: ...

    def save(self) -> None: ...


class Ingester:
    """Files into the store: read, clean and split (ingest/), embed, extract, write one document per
    transaction, and hand the new vectors to the vector index.

    `encoder` and `vectors` are called when first needed, so commands that store nothing load no model.
    """

    def __init__(self, store: Store, words: StoreWords, graph_builder: GraphBuilder, pipeline: PipelineConfig,
                 encoder: Callable[[], Encoder], vectors: Callable[[], VectorSink]):
        self.store = store
        self.words = words
        self.graph_builder = graph_builder
        self.pipeline = pipeline
        self._encoder = encoder
        self._vectors = vectors
        self._sink: VectorSink | None = None  # the vector index, once a document was written to it
        self._new_practices: set[str] = set()

    @property
    def tokenizer(self):
        return self.words.tokenizer

    def ingest(
        self, paths: Iterable[str | Path], progress: Callable[[FileReport], None] | None = None, workers: int = 1
    ) -> list[FileReport]:
        """Ingest files and folders; a bad file is reported and skipped, the rest still lands.

        Files are read, cleaned and split in `workers` processes (ingest/pipeline.py), then embedded together
        in batches of about EMBED_BATCH new passages (the model runs far faster on large, length-sorted
        batches), extracted and written one document per transaction, in the order of the files.
        """
        self.words.follow()
        reports: list[FileReport] = []
        pending: list[tuple[RawFile, list[Document]]] = []

        def land() -> None:
            for report in self._land(pending):
                reports.append(report)
                if progress:
                    progress(report)
            pending.clear()

        for split in split_files(iter_paths(paths), self.pipeline, workers):
            if split.error:
                land()
                reports.append(FileReport(split.path, error=split.error))
                if progress:
                    progress(reports[-1])
                continue
            pending.append((split.raw, list(split.documents)))
            if sum(len(d.passages) for _, docs in pending for d in docs) >= EMBED_BATCH:
                land()
        land()
        self._finish_batch()
        return reports

    def _finish_batch(self) -> None:
        """Work done once per batch: relations across documents, and saving the vector index."""
        if self._new_practices:
            self.store.add_relations(similar_practices(self.store, self._encoder(), self._new_practices))
            self._new_practices = set()
        if self._sink is not None:
            self._sink.save()

    def ingest_text(self, text: str, path: str, meta: dict | None = None) -> FileReport:
        """Ingest text given directly (HTTP uploads of JSON text)."""
        report = self._ingest_raw(RawFile(path=path, text=text, encoding="utf-8", fmt="txt", meta=meta or {}))
        self._finish_batch()
        return report

    def ingest_file(self, raw: RawFile,
                    write_lock: AbstractContextManager | None = None) -> tuple[FileReport, tuple[str, ...]]:
        """Ingest one file document by document, holding `write_lock` only while a document is written: the
        reading, splitting, embedding and extraction of a document happen outside it, so another writer (a
        removal, the next upload) waits for one document's transaction at most, and readers never wait.
        Returns the file's report and the ids of its documents (new or already stored)."""
        write_lock = write_lock if write_lock is not None else nullcontext()
        self.words.follow()
        prepared = self._prepare(raw)
        if isinstance(prepared, FileReport):
            return prepared, ()
        source_id = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:16]
        added = passages = unextracted = 0
        try:
            for doc in prepared:
                if self.store.has_document(doc.doc_id):
                    continue
                prints = {passage_key(p.text): simhash(p.text) for p in doc.passages}
                vectors, alias = self._embed_new([doc], prints)
                rows = self._document_rows(doc, raw, source_id, vectors, alias, prints)
                with write_lock:
                    if self.store.has_document(doc.doc_id):  # written meanwhile by another writer
                        continue
                    self._grow_dictionary([doc])
                    try:
                        written, skipped = self._commit(rows)
                    except DocumentExistsError:  # written meanwhile by another process
                        continue
                passages += written
                unextracted += skipped
                added += 1
            with write_lock:
                self._finish_batch()
        except Exception as exc:  # what landed stays; the report says what did not
            log.exception("cannot store %s", raw.path)
            report = FileReport(raw.path, documents=added, passages=passages, error=f"cannot store: {exc}")
            return report, tuple(d.doc_id for d in prepared)
        report = FileReport(raw.path, documents=added, unchanged=len(prepared) - added, passages=passages,
                            warning=_partly_extracted(unextracted, passages))
        return report, tuple(dict.fromkeys(d.doc_id for d in prepared))

    def _ingest_raw(self, raw: RawFile) -> FileReport:
        prepared = self._prepare(raw)
        return prepared if isinstance(prepared, FileReport) else self._land([(raw, prepared)])[0]

    def _prepare(self, raw: RawFile) -> list[Document] | FileReport:
        """Clean and split a file (pure); a FileReport with the reason when nothing can be taken from it."""
        split = split_raw(raw, self.pipeline)
        return FileReport(raw.path, error=split.error) if split.error else list(split.documents)

    def _land(self, batch: list[tuple[RawFile, list[Document]]]) -> list[FileReport]:
        """Embed the new passages of several files in one call, then write each document."""
        fresh = [[d for d in docs if not self.store.has_document(d.doc_id)] for _, docs in batch]
        every = [d for docs in fresh for d in docs]
        self._grow_dictionary(every)
        prints = {passage_key(p.text): simhash(p.text) for d in every for p in d.passages}
        vectors, alias = self._embed_new(every, prints)
        reports = []
        for (raw, docs), new in zip(batch, fresh, strict=True):
            source_id = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:16]
            added = passages = unextracted = 0
            try:
                for doc in new:
                    if self.store.has_document(doc.doc_id):  # the same report twice in one batch
                        continue
                    try:
                        written, skipped = self._write(doc, raw, source_id, vectors, alias, prints)
                    except DocumentExistsError:  # written meanwhile by another process
                        continue
                    passages += written
                    unextracted += skipped
                    added += 1
            except Exception as exc:  # one file's failure must not lose the others
                log.exception("cannot store %s", raw.path)
                reports.append(FileReport(raw.path, documents=added, passages=passages, error=f"cannot store: {exc}"))
                continue
            reports.append(FileReport(raw.path, documents=added, unchanged=len(docs) - added, passages=passages,
                                      warning=_partly_extracted(unextracted, passages)))
        return reports

    def _grow_dictionary(self, docs: list[Document]) -> None:
        """Keep quoted names (“两学一做”, “一村一品”) whole in the tokenizer from now on."""
        self.words.remember({m.group(1) for d in docs for p in d.passages for m in _QUOTED_NAME.finditer(p.text)})

    def _embed_new(self, docs: list[Document],
                   prints: dict[str, int | None]) -> tuple[dict[str, bytes], dict[str, str]]:
        """Vectors for passages new to the store, and the ids that near-duplicates resolve to.

        `prints` holds the SimHash of every passage of `docs` by passage key.
        """
        texts: dict[str, str] = {}
        for doc in docs:
            for section in doc.sections:
                for p in section.passages:
                    texts.setdefault(passage_key(p.text), index_text(doc, section, p))
        known = self.store.known_passages(texts)
        alias = self._near_duplicates([k for k in texts if k not in known], prints)
        todo = [(key, text) for key, text in texts.items() if key not in known and key not in alias]
        if not todo:
            return {}, alias
        matrix = self._encoder().encode([t for _, t in todo])
        return {key: to_blob(matrix[i]) for i, (key, _) in enumerate(todo)}, alias

    def _near_duplicates(self, keys: list[str], prints: dict[str, int | None]) -> dict[str, str]:
        """Map each new passage that nearly repeats a stored or earlier one to that passage's id."""
        alias: dict[str, str] = {}
        seen: list[tuple[int, str]] = []
        for key in keys:
            fp = prints[key]
            if fp is None:
                continue
            match = self.store.near_duplicate(fp)
            match = match or next((k for other, k in seen if distance(other, fp) <= MAX_DISTANCE), None)
            if match:
                alias[key] = match
            else:
                seen.append((fp, key))
        return alias

    def _write(self, doc: Document, raw: RawFile, source_id: str, vectors: dict[str, bytes],
               alias: dict[str, str], prints: dict[str, int | None]) -> tuple[int, int]:
        """Store one document; returns its passages and how many of them went unextracted."""
        return self._commit(self._document_rows(doc, raw, source_id, vectors, alias, prints))

    def _document_rows(self, doc: Document, raw: RawFile, source_id: str, vectors: dict[str, bytes],
                       alias: dict[str, str], prints: dict[str, int | None]) -> PreparedDocument:
        """Everything a document's write needs, computed without writing: passage rows and the extracted graph."""
        sections = [NewSection(s.path, s.role) for s in doc.sections]
        rows = []
        ordinal = 0
        for index, section in enumerate(doc.sections):
            for p in section.passages:
                own = passage_key(p.text)
                key = alias.get(own, own)
                # only a passage new to the store is indexed; a stored one (or its near-duplicate) keeps its terms
                tokens = tuple(self.tokenizer.terms(index_text(doc, section, p))) if key in vectors else ()
                rows.append(NewPassage(key, p.text, tokens, vectors.get(key), prints[own], index, ordinal,
                                       p.start, p.end))
                ordinal += 1
        dim = self._vectors().dim
        stored = self.store.vectors_by_id([r.passage_id for r in rows if r.vector is None])
        missing = [r for r in rows if r.vector is None and r.passage_id not in stored]
        if missing:  # removed since it was looked up (a concurrent removal): it is new again
            own_vectors = self._encoder().encode([r.text for r in missing])
            fresh = {r.passage_id: to_blob(v) for r, v in zip(missing, own_vectors, strict=True)}
            rows = [replace(r, passage_id=passage_key(r.text), vector=fresh[r.passage_id],
                            tokens=tuple(self.tokenizer.terms(r.text)))
                    if r.passage_id in fresh else r for r in rows]
        matrix = as_matrix([r.vector or stored[r.passage_id] for r in rows], dim)
        graph = self.graph_builder.build(doc, matrix)
        record = NewDocument(doc.doc_id, source_id, doc.title, raw.path, raw.text, doc.start, doc.end,
                             graph.place, dict(raw.meta))
        return PreparedDocument(record, sections, rows, graph)

    def _commit(self, prepared: PreparedDocument) -> tuple[int, int]:
        """Write a prepared document in one transaction and add its new vectors to the index."""
        graph, rows = prepared.graph, prepared.rows
        self._new_practices |= {m.entity_id for m in graph.mentions
                                if m.type == "practice" and self.store.graph.get(m.entity_id) is None}
        vectors_index = self._sink = self._vectors()
        before = self.store.generation()
        new_nums = self.store.add_document(prepared.record, prepared.sections, rows, graph.mentions, graph.relations)
        by_num = dict(self.store.vectors_of(new_nums))
        vectors_index.add(new_nums, as_matrix([by_num[n] for n in new_nums], vectors_index.dim), before)
        self.words.remember({m.name for m in graph.mentions if m.type == "practice"})
        return len(rows), graph.unextracted

