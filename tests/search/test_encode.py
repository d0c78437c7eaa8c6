"""The real encoder: normalised rows, cached queries, the int8 path agreeing with float32, and questions in
ONNX Runtime agreeing with PyTorch."""

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


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("onnx-cache")


QUESTIONS = ["我们村党员大多外出务工，组织生活怎么过", "短", "怎样选派第一书记", "机关党建与业务“两张皮”如何破解" * 40]


def test_questions_in_onnx_runtime_agree_with_pytorch(encoders, onnx_cache, capsys):
    plain, _ = encoders
    fast = SentenceEncoder(onnx_cache=onnx_cache)
    assert fast.query_runtime == "onnx" and plain.query_runtime == "torch"
    said = capsys.readouterr()
    assert "exporting the model for questions to ONNX" in said.err and "[torch.onnx]" not in said.out
    # one at a time, and a batch of four with padding and a question beyond the model's length
    for batch in ([QUESTIONS[0]], QUESTIONS):
        ours, theirs = fast.encode(batch, query=True), plain.encode(batch, query=True)
        assert ours.shape == theirs.shape and ours.dtype == np.float32
        assert np.abs(ours - theirs).max() < 1e-5
    graphs = [p for p in (onnx_cache / "onnx").iterdir() if not p.name.startswith(".")]
    assert len(graphs) == 1 and (graphs[0] / "model.onnx").is_file()


def test_a_second_encoder_reuses_the_exported_graph(onnx_cache, capsys):
    SentenceEncoder(onnx_cache=onnx_cache).encode(["预热"], query=True)
    graph = next((onnx_cache / "onnx").iterdir()) / "model.onnx"
    written = graph.stat().st_mtime_ns
    again = SentenceEncoder(onnx_cache=onnx_cache)
    assert again.query_runtime == "onnx"
    assert graph.stat().st_mtime_ns == written and "exporting" not in capsys.readouterr().err
    assert sorted(p.name for p in (onnx_cache / "onnx").iterdir()) == [graph.parent.name]  # no scratch left


def test_an_unusable_cache_leaves_questions_in_pytorch_and_says_so(tmp_path, encoders, capsys):
    plain, _ = encoders
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    encoder = SentenceEncoder(onnx_cache=blocked)
    rows = encoder.encode(QUESTIONS[:2], query=True)
    assert encoder.query_runtime == "torch"
    assert np.array_equal(rows, plain.encode(QUESTIONS[:2], query=True))
    said = capsys.readouterr().err
    assert said.count("questions stay with PyTorch") == 1 and "ONNX export" in said


def test_a_quantized_model_keeps_its_questions_in_pytorch(onnx_cache):
    assert SentenceEncoder(quantize="int8", onnx_cache=onnx_cache).query_runtime == "torch"


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
