"""load/prepare.py: a split file → records ready to write, with only the real model and the lexicon (no store,
no index): passage keys, fingerprints and vectors, and mentions with their resolution keys."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from api.settings import DEFAULT_LEXICON
from ingest.extract import main_place
from ingest.fingerprint import simhash
from ingest.pipeline import PipelineConfig, pipeline_lexicon, split_file
from ingest.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES
from kg.resolve import resolution_key
from kg.vectors import as_matrix
from load.prepare import passage_key, prepare, prepare_files
from search.encode import SentenceEncoder
from tests.conftest import CORPUS

CONFIG = PipelineConfig(DEFAULT_LEXICON, DEFAULT_MAX_BYTES, DEFAULT_MAX_INFLATED_BYTES)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.fixture(scope="module")
def splits():
    return [split_file(path, CONFIG) for path in sorted(CORPUS.iterdir())[:2]]


def test_a_file_is_prepared_from_the_encoder_and_lexicon_alone(encoder, splits):
    split = splits[0]
    prepared = prepare(split, encoder, pipeline_lexicon(DEFAULT_LEXICON))
    assert [d.record.doc_id for d in prepared.documents] == [d.doc_id for d in split.documents]
    assert prepared.skipped == 0
    for doc, source in zip(prepared.documents, split.documents, strict=True):
        assert [p.text for p in doc.passages] == [p.text for p in source.passages]
        assert [p.ordinal for p in doc.passages] == list(range(len(source.passages)))
        for p in doc.passages:
            # a passage is stored under its indexed text: the first one with its report's title, never merged
            # with a near-duplicate
            titled = p.index_text != p.text
            assert p.key == passage_key(p.index_text) and p.simhash == (None if titled else simhash(p.text))
            assert split.raw.text[p.start : p.end]  # offsets into the file's own text
        # the vectors are the model's for each passage's text, one by one; the keyword index also reads the
        # report's title before its first passage
        assert doc.passages[0].index_text == f"{doc.record.title}\n{doc.passages[0].text}" or source.title_from_text
        assert all(p.index_text == p.text for p in doc.passages[1:])
        own = encoder.encode([p.text for p in doc.passages[:4]])
        np.testing.assert_allclose(as_matrix([p.vector for p in doc.passages[:4]], encoder.dim), own, atol=1e-3)
        mentions = [k.mention for p in doc.passages for k in p.mentions]
        assert mentions, "the demo reports name practices, places and problems"
        assert doc.record.place == (main_place(mentions) or "")
        for k in (k for p in doc.passages for k in p.mentions):  # unscoped, or an ambiguous name in its place
            assert k.key in {resolution_key(k.mention.type, k.mention.name),
                             resolution_key(k.mention.type, k.mention.name, doc.record.place)}


def test_stored_documents_are_left_out_and_reused_passages_not_embedded(encoder, splits):
    split = splits[0]
    lexicon = pipeline_lexicon(DEFAULT_LEXICON)
    skipped = prepare(split, encoder, lexicon, stored={d.doc_id for d in split.documents})
    assert skipped.documents == () and skipped.skipped == len(split.documents)
    first = split.documents[0].passages[0]
    reused = prepare(split, encoder, lexicon, reuse={passage_key(first.text)})
    assert reused.documents[0].passages[0].vector is None
    assert all(p.vector is not None for p in reused.documents[0].passages[1:] if p.key != passage_key(first.text))


def test_a_batch_prepares_what_each_file_prepares(encoder, splits):
    """Embedding several files in one call changes no record (vectors within float error)."""
    lexicon = pipeline_lexicon(DEFAULT_LEXICON)
    together = prepare_files(splits, encoder, lexicon)
    for split, batch in zip(splits, together, strict=True):
        alone = prepare(split, encoder, lexicon)
        for a, b in zip(alone.documents, batch.documents, strict=True):
            assert a.record == b.record and a.sections == b.sections
            assert [(p.key, p.mentions) for p in a.passages] == [(p.key, p.mentions) for p in b.passages]
            np.testing.assert_allclose(as_matrix([p.vector for p in a.passages], encoder.dim),
                                       as_matrix([p.vector for p in b.passages], encoder.dim), atol=1e-3)


def test_a_file_only_split_is_extracted_while_preparing(encoder, splits):
    """Uploads are split in the server's process and extracted by prepare: the same mentions as the workers'."""
    lexicon = pipeline_lexicon(DEFAULT_LEXICON)
    split = splits[1]
    unextracted = replace(split, mentions=())
    a, b = prepare(split, encoder, lexicon), prepare(unextracted, encoder, lexicon)
    assert [[p.mentions for p in d.passages] for d in a.documents] == [[p.mentions for p in d.passages]
                                                                        for d in b.documents]
