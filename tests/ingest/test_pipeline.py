"""ingest/pipeline.py: reading, splitting and extraction by rules in worker processes give what one process gives."""

from __future__ import annotations

from api.settings import DEFAULT_LEXICON
from ingest.pipeline import PipelineConfig, split_files
from ingest.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES, iter_paths
from tests.conftest import CORPUS

CONFIG = PipelineConfig(DEFAULT_LEXICON, DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES)


def test_two_workers_extract_what_one_process_extracts():
    serial = list(split_files(iter_paths([CORPUS]), CONFIG, workers=1))
    parallel = list(split_files(iter_paths([CORPUS]), CONFIG, workers=2))
    assert [s.path for s in parallel] == [s.path for s in serial]
    assert [s.documents for s in parallel] == [s.documents for s in serial]
    assert [s.mentions for s in parallel] == [s.mentions for s in serial]
    mentions = [m for s in serial for d in s.mentions for p in d.passages for m in p.mentions]
    assert {m.type for m in mentions} >= {"place", "practice", "measure", "problem", "indicator"}
    assert all(d.unextracted == 0 for s in serial for d in s.mentions)


def test_documents_already_stored_are_split_but_not_extracted():
    files = sorted(CORPUS.iterdir())[:3]
    first = next(split_files(iter_paths(files[:1]), CONFIG))
    stored = frozenset(d.doc_id for d in first.documents)
    for workers in (1, 2):
        splits = list(split_files(iter_paths(files), CONFIG, workers, stored))
        assert splits[0].documents == first.documents and set(splits[0].mentions) == {None}
        assert all(m is not None for s in splits[1:] for m in s.mentions)
