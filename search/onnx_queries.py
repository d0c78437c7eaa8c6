"""Questions embedded by ONNX Runtime: the same model, exported once per model folder and kept in a cache.

A new question's embedding was the largest part of a search's time, and on two cores it ran slower inside a
search than alone: PyTorch runs a BERT's hundred-odd operators one by one from Python, and each needs the
interpreter that BM25 holds on the other thread. ONNX Runtime runs the whole graph in one call that releases
the interpreter. Measured with m3e-small, one question of 30 characters, idle machine: 11–18 ms p50 with
PyTorch, 4–5 ms with ONNX Runtime; the vectors agree within 2e-7.

The export (`torch.onnx.export`, dynamo) takes a few seconds the first time a model is used; the graph is
written into `<cache>/onnx/<key>/`, where the key covers the model folder's files and the exporting versions,
so another model, another copy of the weights or an upgraded PyTorch exports anew. A model the exporter
cannot take is reported once on stderr and its questions stay with PyTorch.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import warnings
from pathlib import Path

import numpy as np

# The tokenizer outputs the graph may take, in the order of BERT-like models' forward signatures.
_FEATURES = ("input_ids", "attention_mask", "token_type_ids")
_OUTPUT = "djkg_sentence_vector"  # not "embedding": that name is taken inside BERT graphs
_GRAPH = "model.onnx"


def cache_key(model_folder: str) -> str:
    """A digest of the model folder's files (names, sizes, modification times) and the exporting versions."""
    import onnxruntime
    import torch

    digest = hashlib.sha256(f"{torch.__version__}|{onnxruntime.__version__}".encode())
    root = Path(model_folder)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = path.stat()
            digest.update(f"{path.relative_to(root)}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def _preprocessor(model):
    """The model's tokenizer call (`preprocess` since sentence-transformers 5, `tokenize` before)."""
    return getattr(model, "preprocess", None) or model.tokenize


def _forward_module(model, names: tuple[str, ...]):
    """The sentence-transformers pipeline (transformer, pooling, dense layers) as a module of named tensors."""
    import torch

    class Forward(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            given = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model({name: given[name] for name in names})["sentence_embedding"]

    return Forward().eval()


def export(model, folder: Path) -> Path:
    """Write the model's graph into `folder` (created whole or not at all) and return the graph's path."""
    import torch
    from torch.export import Dim

    example = _preprocessor(model)(["示例", "一个长一些的示例句子"])  # two rows of two lengths: padding is traced
    names = tuple(name for name in _FEATURES if name in example)
    batch, tokens = Dim("batch"), Dim("tokens")
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    print(f"djkg: exporting the model for questions to ONNX in {folder} (once per model, a few seconds)",
          file=sys.stderr, flush=True)
    try:
        # The exporter reports its steps on stdout, which carries the CLI's JSON.
        with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _forward_module(model, names), tuple(example[name] for name in names), str(scratch / _GRAPH),
                input_names=list(names), output_names=[_OUTPUT],
                dynamic_shapes={name: {0: batch, 1: tokens} for name in names}, dynamo=True,
            )
        try:
            os.rename(scratch, folder)  # another process may have exported the same model meanwhile
        except OSError:
            if not (folder / _GRAPH).is_file():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder / _GRAPH


class OnnxQueries:
    """The model's forward pass in ONNX Runtime for a few texts at a time; rows come back L2-normalised."""

    def __init__(self, model, graph: Path, threads: int = 1):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread: BM25 or the database has the other core while the question is embedded. At 100× (200 new
        # questions) two threads gave search p95 46.9 ms on PostgreSQL and 28.1 on SQLite, one 45.1 and 26.5.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Waiting threads would spin on the core that BM25 and the database need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._names = tuple(i.name for i in self._session.get_inputs())
        self._tokenize = _preprocessor(model)

    def encode(self, texts: list[str]) -> np.ndarray:
        features = self._tokenize(texts)
        feeds = {name: features[name].numpy() for name in self._names}
        rows = self._session.run([_OUTPUT], feeds)[0].astype(np.float32, copy=False)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)


_warned: set[str] = set()
_warn_lock = threading.Lock()


def load(model, model_folder: str, cache_dir: Path) -> OnnxQueries | None:
    """The model's ONNX runner, exported into the cache on first use; None (said once) where export fails."""
    try:
        folder = cache_dir / "onnx" / cache_key(model_folder)
        graph = folder / _GRAPH if (folder / _GRAPH).is_file() else export(model, folder)
        return OnnxQueries(model, graph)
    except Exception as error:  # noqa: BLE001 - any exporter or runtime failure leaves questions with PyTorch
        with _warn_lock:
            if model_folder not in _warned:
                _warned.add(model_folder)
                print(f"djkg: questions stay with PyTorch; ONNX export of {model_folder} failed: "
                      f"{type(error).__name__}: {error}", file=sys.stderr)
        return None
