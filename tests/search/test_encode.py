"""The real encoder: normalised rows, cached queries, and the int8 path agreeing with float32."""

import platform

import numpy as np
import pytest

from kg.errors import ModelMismatchError
from search.encode import SentenceEncoder

TEXTS = ["选派第一书记到软弱涣散村", "村集体经济收入低，发展路子窄", "组织生活流于形式"]


@pytest.fixture(scope="module")
def encoders():
    return SentenceEncoder(), SentenceEncoder(quantize="int8")


def test_rows_are_normalised_and_queries_cached(encoders):
    plain, _ = encoders
    rows = plain.encode(TEXTS)
    assert rows.shape == (3, plain.dim) and np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    first = plain.encode(["软弱涣散"], query=True)
    assert plain.encode(["软弱涣散"], query=True) is not first  # a copy from the cache, same values
    assert np.array_equal(plain.encode(["软弱涣散"], query=True), first)


def test_int8_agrees_with_float32_and_is_named_apart(encoders):
    plain, small = encoders
    assert small.name == f"{plain.name}+int8" and small.dim == plain.dim
    cosines = np.sum(plain.encode(TEXTS) * small.encode(TEXTS), axis=1)
    assert cosines.min() > 0.95
    query = "怎样选派第一书记"
    assert np.argmax(plain.encode(TEXTS) @ plain.encode([query], query=True)[0]) == 0
    assert np.argmax(small.encode(TEXTS) @ small.encode([query], query=True)[0]) == 0


def test_a_store_refuses_vectors_of_the_other_encoder(tmp_path, encoders):
    from kg.store import Store

    plain, small = encoders
    store = Store(tmp_path)
    store.check_model(plain.name, plain.dim)
    with pytest.raises(ModelMismatchError):
        store.check_model(small.name, small.dim)


def test_unknown_quantization_is_refused():
    with pytest.raises(ValueError, match="int8"):
        SentenceEncoder(quantize="int4")


def _resident_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_a_large_encode_hands_its_activations_back(encoders):
    from search import encode

    assert encode._TRIM is not None
    plain, _ = encoders
    sentence = "坚持把抓基层打基础作为长远之计和固本之举，推动村级组织全面进步全面过硬。"
    texts = [f"第{i}条：" + sentence * 6 for i in range(96)]
    plain.encode(texts)  # the first large call grows the heap for activations
    before = _resident_mib()
    plain.encode(texts)
    # without the trim the freed activations stay resident (+100 MiB and more for such a call)
    assert _resident_mib() - before < 60
