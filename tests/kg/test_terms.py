"""Packed index terms: exact round trip, small blobs, a vocabulary that survives rollbacks."""

from dataclasses import replace

import numpy as np
import pytest

from kg.errors import StoreError
from kg.records import NewDocument, NewPassage, NewSection
from kg.store import Store
from kg.terms import pack, unpack


@pytest.mark.parametrize("size", [0, 1, 7, 300, 2000])
def test_pack_round_trip(size):
    rng = np.random.default_rng(size)
    ids = rng.choice(3_000_000, size=size, replace=False)
    counts = {int(i): int(rng.integers(1, 400)) for i in ids}
    got_ids, got_tfs = unpack(pack(counts))
    assert got_ids.tolist() == sorted(counts)
    assert got_tfs.tolist() == [min(counts[i], 255) for i in sorted(counts)]


def test_blob_is_small_for_a_typical_passage():
    rng = np.random.default_rng(1)
    counts = {int(i): 1 for i in rng.choice(200_000, size=250, replace=False)}
    assert len(pack(counts)) < 4 * 250  # well under the 5 bytes per term of plain arrays


def test_vocabulary_ids_stay_consistent_after_a_rolled_back_write(tmp_path):
    store = Store(tmp_path)
    doc = NewDocument("d", "s", "t", "p", "x", 0, 1)
    bad = [NewPassage("p1", "a", ("新词", "整顿"), b"\0" * 4, None, 0, 0, 0, 1),
           NewPassage("p2", "b", ("班子",), None, None, 0, 1, 0, 1)]  # no vector: the write fails
    with pytest.raises(StoreError, match="no vector"):
        store.add_document(doc, [NewSection("", "other")], bad)
    good = [NewPassage("p3", "c", ("整顿", "班子"), b"\0" * 4, None, 0, 0, 0, 1)]
    store.add_document(replace(doc, doc_id="e"), [NewSection("", "other")], good)
    ids = store.term_ids(["整顿", "班子", "新词"])
    assert set(ids) == {"整顿", "班子"}
    ((num, ntokens, blob),) = list(store.passage_terms())
    assert sorted(unpack(blob)[0].tolist()) == sorted(ids.values()) and ntokens == 2
