"""The pure first half of ingest: one file → its documents (read, clean, split) and what extraction finds in
them, with no store or model, so that worker processes can run it (`djkg ingest --workers N`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from ingest.clean import CleanRules, clean, clean_title, load_clean_rules
from ingest.extract import Lexicon, load_lexicon
from ingest.extract.document import DocumentMentions, extract_document
from ingest.headings import load_role_cues
from ingest.read import read_file
from ingest.split import SplitConfig, split_documents
from ingest.types import Document, FileError, RawFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitFile:
    """A file read and split into documents, or the reason nothing could be taken from it. `mentions` is
    what extraction found in each document (in the order of `documents`; None where it did not run: a
    document already stored, or a file only split)."""

    path: str
    raw: RawFile | None
    documents: tuple[Document, ...] = ()
    error: str = ""
    mentions: tuple[DocumentMentions | None, ...] = ()

    def mentions_of(self, index: int) -> DocumentMentions | None:
        """What extraction found in document `index`, if it ran."""
        return self.mentions[index] if index < len(self.mentions) else None


@dataclass(frozen=True)
class PipelineConfig:
    """What the pure stages need: the lexicon (cleaning rules, section cues) and the reading bounds. It names
    the lexicon's folder rather than holding the rules, so that it pickles small for worker processes."""

    lexicon_dir: Path
    max_bytes: int
    max_inflated_bytes: int


@lru_cache(maxsize=4)  # once per process and lexicon: the rules compile a few hundred patterns
def lexicon_rules(lexicon_dir: Path) -> tuple[CleanRules, SplitConfig]:
    """The cleaning rules and split configuration of a lexicon folder."""
    return load_clean_rules(lexicon_dir), SplitConfig(cues=load_role_cues(lexicon_dir))


@lru_cache(maxsize=4)  # once per process and lexicon: its jieba tokenizer takes a second to build
def pipeline_lexicon(lexicon_dir: Path) -> Lexicon:
    """The extraction lexicon of a lexicon folder (cues, problem categories, the gazetteer)."""
    return load_lexicon(lexicon_dir)


def extraction_lexicon(lexicon_dir: Path) -> Lexicon | None:
    """pipeline_lexicon, or None (logged) when the extractors cannot read it: documents still land,
    searchable, without entities."""
    try:
        return pipeline_lexicon(lexicon_dir)
    except Exception:  # extraction must never block ingestion
        log.exception("cannot read the extraction lexicon in %s", lexicon_dir)
        return None


def split_raw(raw: RawFile, config: PipelineConfig) -> SplitFile:
    """Clean and split a file already read; a file without report text carries the reason."""
    rules, split = lexicon_rules(config.lexicon_dir)
    try:
        cleaned = clean(raw.text, rules)
        meta = {**raw.meta, "title": clean_title(str(raw.meta["title"]), rules, cleaned.converted)} \
            if raw.meta.get("title") else raw.meta
        docs = split_documents(cleaned, raw.path, meta, split)
    except Exception as exc:  # a cleaning bug must not stop the batch
        log.exception("cannot split %s", raw.path)
        return SplitFile(raw.path, raw, error=f"cannot split into documents: {exc}")
    if not docs:
        return SplitFile(raw.path, raw, error="no report text found (only boilerplate or too short)")
    return SplitFile(raw.path, raw, tuple(docs))


def extract_split(split: SplitFile, config: PipelineConfig, stored: frozenset[str] = frozenset()) -> SplitFile:
    """The file with what extraction finds in each of its documents that is not in `stored` (doc ids)."""
    lexicon = extraction_lexicon(config.lexicon_dir)
    return replace(split, mentions=tuple(None if d.doc_id in stored else extract_document(d, lexicon)
                                         for d in split.documents))


def split_file(item: Path | FileError, config: PipelineConfig, stored: frozenset[str] = frozenset()) -> SplitFile:
    """Read, clean, split and extract one file of `iter_paths`; documents in `stored` are not extracted."""
    raw = item if isinstance(item, FileError) else read_file(item, config.max_bytes, config.max_inflated_bytes)
    if isinstance(raw, FileError):
        return SplitFile(raw.path, None, error=raw.reason)
    split = split_raw(raw, config)
    return split if split.error else extract_split(split, config, stored)


# The documents a worker process need not extract: set once per worker by the pool's initializer, rather
# than sent along with every file.
_worker_stored: frozenset[str] = frozenset()


def _remember_stored(stored: frozenset[str]) -> None:
    global _worker_stored
    _worker_stored = stored


def _split_in_worker(item: Path | FileError, config: PipelineConfig) -> SplitFile:
    return split_file(item, config, _worker_stored)


def split_files(items: Iterable[Path | FileError], config: PipelineConfig, workers: int = 1,
                stored: frozenset[str] = frozenset()) -> Iterator[SplitFile]:
    """split_file over `items`, in their order, in `workers` processes (1: in this one). Documents whose ids
    are in `stored` (already in the store when ingest began) are split but not extracted."""
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    if workers == 1:
        yield from map(partial(split_file, config=config, stored=stored), items)
        return
    work: Callable[[Path | FileError], SplitFile] = partial(_split_in_worker, config=config)
    with ProcessPoolExecutor(max_workers=workers, initializer=_remember_stored, initargs=(stored,)) as pool:
        # a few files in flight per worker: memory stays bounded by them, not by the corpus
        yield from pool.map(work, items, chunksize=4)
