"""Loading: files → documents → embedded, indexed, extracted and stored passages."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.fingerprint import MAX_DISTANCE, distance
from ingest.pipeline import PipelineConfig, SplitFile, split_files, split_raw
from ingest.read import iter_paths
from ingest.types import RawFile
from kg.errors import DocumentExistsError
from kg.records import NewPassage
from kg.store import Store
from kg.vectors import as_matrix, to_blob
from load.graphing import DocumentGraph, GraphBuilder, similar_practices
from load.prepare import PreparedDocument, PreparedFile, passage_identity, prepare_files
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


@dataclass(frozen=True)
class StoreMatches:
    """What the store already holds of a batch, read before preparing it (the writer checks again inside its
    transaction): stored documents, passages whose vectors need not be computed (stored, or near-duplicates
    of stored or earlier ones), and the passage each near-duplicate resolves to."""

    documents: frozenset[str]
    reuse: frozenset[str]
    alias: dict[str, str]


@dataclass(frozen=True)
class DocumentWrite:
    """A prepared document with what its write needs from the store: passage rows and the resolved graph."""

    prepared: PreparedDocument
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

        Files are read, cleaned, split and extracted in `workers` processes (ingest/pipeline.py), then
        prepared together in batches of about EMBED_BATCH new passages (load/prepare.py: the model runs far
        faster on large, length-sorted batches), resolved against the store and written one document per
        transaction, in the order of the files.
        """
        self.words.follow()
        reports: list[FileReport] = []
        pending: list[SplitFile] = []

        def land() -> None:
            for report in self._land(pending):
                reports.append(report)
                if progress:
                    progress(report)
            pending.clear()

        stored = frozenset(self.store.document_ids())  # not extracted again; the writer checks each anyway
        for split in split_files(iter_paths(paths), self.pipeline, workers, stored):
            if split.error:
                land()
                reports.append(FileReport(split.path, error=split.error))
                if progress:
                    progress(reports[-1])
                continue
            pending.append(split)
            if sum(len(d.passages) for s in pending for d in s.documents) >= EMBED_BATCH:
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
        raw = RawFile(path=path, text=text, encoding="utf-8", fmt="txt", meta=meta or {})
        split = split_raw(raw, self.pipeline)
        report = FileReport(raw.path, error=split.error) if split.error else self._land([split])[0]
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
        split = split_raw(raw, self.pipeline)
        if split.error:
            return FileReport(raw.path, error=split.error), ()
        added = passages = unextracted = 0
        try:
            for doc in split.documents:
                if self.store.has_document(doc.doc_id):
                    continue
                one = SplitFile(split.path, split.raw, (doc,))
                matches = self._matches([one])
                prepared = self._prepare([one], matches)[0].documents[0]
                write = self._document_write(prepared, matches.alias, _vectors_of([prepared]))
                with write_lock:
                    if self.store.has_document(doc.doc_id):  # written meanwhile by another writer
                        continue
                    self._grow_dictionary([prepared])
                    try:
                        written, skipped = self._commit(write)
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
            return report, tuple(d.doc_id for d in split.documents)
        report = FileReport(raw.path, documents=added, unchanged=len(split.documents) - added, passages=passages,
                            warning=_partly_extracted(unextracted, passages))
        return report, tuple(dict.fromkeys(d.doc_id for d in split.documents))

    def _matches(self, splits: list[SplitFile]) -> StoreMatches:
        """Read what the store holds of these files' documents and passages (before preparing them)."""
        docs = {d.doc_id for s in splits for d in s.documents}
        stored = frozenset(doc_id for doc_id in docs if self.store.has_document(doc_id))
        prints: dict[str, int | None] = {}
        for split in splits:
            for doc in split.documents:
                if doc.doc_id not in stored:
                    for p in doc.passages:
                        key, simhash = passage_identity(doc, p)
                        prints.setdefault(key, simhash)
        known = self.store.known_passages(prints)
        alias = self._near_duplicates([k for k in prints if k not in known], prints)
        return StoreMatches(stored, frozenset(known) | frozenset(alias), alias)

    def _prepare(self, splits: list[SplitFile], matches: StoreMatches) -> list[PreparedFile]:
        """prepare_files, loading the model only when something is new."""
        if all(d.doc_id in matches.documents for s in splits for d in s.documents):
            return [PreparedFile(s.path, s.raw, (), len(s.documents)) for s in splits]
        return prepare_files(splits, self._encoder(), self.graph_builder.lexicon, matches.documents, matches.reuse)

    def _land(self, batch: list[SplitFile]) -> list[FileReport]:
        """Prepare several files (their new passages embedded in one call), then write each document."""
        matches = self._matches(batch)
        prepared = self._prepare(batch, matches)
        self._grow_dictionary([d for f in prepared for d in f.documents])
        vectors = _vectors_of([d for f in prepared for d in f.documents])
        reports = []
        for file in prepared:
            added = passages = unextracted = 0
            try:
                for doc in file.documents:
                    if self.store.has_document(doc.record.doc_id):  # the same report twice in one batch
                        continue
                    try:
                        written, skipped = self._commit(self._document_write(doc, matches.alias, vectors))
                    except DocumentExistsError:  # written meanwhile by another process
                        continue
                    passages += written
                    unextracted += skipped
                    added += 1
            except Exception as exc:  # one file's failure must not lose the others
                log.exception("cannot store %s", file.path)
                reports.append(FileReport(file.path, documents=added, passages=passages, error=f"cannot store: {exc}"))
                continue
            reports.append(FileReport(file.path, documents=added, unchanged=file.skipped + len(file.documents) - added,
                                      passages=passages, warning=_partly_extracted(unextracted, passages)))
        return reports

    def _grow_dictionary(self, docs: list[PreparedDocument]) -> None:
        """Keep quoted names (“两学一做”, “一村一品”) whole in the tokenizer from now on."""
        self.words.remember({m.group(1) for d in docs for p in d.passages for m in _QUOTED_NAME.finditer(p.text)})

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

    def _document_write(self, doc: PreparedDocument, alias: dict[str, str],
                        vectors: dict[str, bytes]) -> DocumentWrite:
        """What a prepared document's write needs from the store, computed without writing: passage rows (a
        stored passage or near-duplicate keeps its id, vector and terms) and the resolved graph.

        `vectors` holds the vectors the batch computed, by passage key."""
        rows = []
        for p in doc.passages:
            key = alias.get(p.key, p.key)
            # only a passage new to the store is indexed; a stored one (or its near-duplicate) keeps its terms
            tokens = tuple(self.tokenizer.terms(p.index_text)) if key in vectors else ()
            rows.append(NewPassage(key, p.text, tokens, vectors.get(key), p.simhash, p.section_index, p.ordinal,
                                   p.start, p.end))
        dim = self._vectors().dim
        stored = self.store.vectors_by_id([r.passage_id for r in rows if r.vector is None])
        missing = [r for r in rows if r.vector is None and r.passage_id not in stored]
        if missing:  # removed since it was looked up (a concurrent removal): it is new again
            own_vectors = self._encoder().encode([r.text for r in missing])
            fresh = {r.passage_id: to_blob(v) for r, v in zip(missing, own_vectors, strict=True)}
            rows = [replace(r, passage_id=p.key, vector=fresh[r.passage_id],
                            tokens=tuple(self.tokenizer.terms(p.index_text)))
                    if r.passage_id in fresh else r for r, p in zip(rows, doc.passages, strict=True)]
        matrix = as_matrix([r.vector or stored[r.passage_id] for r in rows], dim)
        return DocumentWrite(doc, rows, self.graph_builder.build(doc, matrix))

    def _commit(self, write: DocumentWrite) -> tuple[int, int]:
        """Write a prepared document in one transaction and add its new vectors to the index."""
        graph, rows = write.graph, write.rows
        self._new_practices |= {m.entity_id for m in graph.mentions
                                if m.type == "practice" and self.store.graph.get(m.entity_id) is None}
        vectors_index = self._sink = self._vectors()
        before = self.store.generation()
        new_nums = self.store.add_document(write.prepared.record, list(write.prepared.sections), rows,
                                           graph.mentions, graph.relations)
        by_num = dict(self.store.vectors_of(new_nums))
        vectors_index.add(new_nums, as_matrix([by_num[n] for n in new_nums], vectors_index.dim), before)
        self.words.remember({m.name for m in graph.mentions if m.type == "practice"})
        return len(rows), graph.unextracted


def _vectors_of(docs: list[PreparedDocument]) -> dict[str, bytes]:
    """The vectors prepared documents carry, by passage key."""
    return {p.key: p.vector for d in docs for p in d.passages if p.vector is not None}
