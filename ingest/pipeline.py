"""The pure first half of ingest: one file → its documents (read, clean, split), with no store or model, so
that worker processes can run it (`djkg ingest --workers N`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from ingest.clean import CleanRules, clean, load_clean_rules
from ingest.headings import load_role_cues
from ingest.read import read_file
from ingest.split import SplitConfig, split_documents
from ingest.types import Document, FileError, RawFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitFile:
    """A file read and split into documents, or the reason nothing could be taken from it."""

    path: str
    raw: RawFile | None
    documents: tuple[Document, ...] = ()
    error: str = ""


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


def split_raw(raw: RawFile, config: PipelineConfig) -> SplitFile:
    """Clean and split a file already read; a file without report text carries the reason."""
    rules, split = lexicon_rules(config.lexicon_dir)
    try:
        docs = split_documents(clean(raw.text, rules), raw.path, raw.meta, split)
    except Exception as exc:  # a cleaning bug must not stop the batch
        log.exception("cannot split %s", raw.path)
        return SplitFile(raw.path, raw, error=f"cannot split into documents: {exc}")
    if not docs:
        return SplitFile(raw.path, raw, error="no report text found (only boilerplate or too short)")
    return SplitFile(raw.path, raw, tuple(docs))


def split_file(item: Path | FileError, config: PipelineConfig) -> SplitFile:
    """Read, clean and split one file of `iter_paths`."""
    raw = item if isinstance(item, FileError) else read_file(item, config.max_bytes, config.max_inflated_bytes)
    if isinstance(raw, FileError):
        return SplitFile(raw.path, None, error=raw.reason)
    return split_raw(raw, config)


def split_files(items: Iterable[Path | FileError], config: PipelineConfig,
                workers: int = 1) -> Iterator[SplitFile]:
    """split_file over `items`, in their order, in `workers` processes (1: in this one)."""
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    work: Callable[[Path | FileError], SplitFile] = partial(split_file, config=config)
    if workers == 1:
        yield from map(work, items)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # a few files in flight per worker: memory stays bounded by them, not by the corpus
        yield from pool.map(work, items, chunksize=4)
