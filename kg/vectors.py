"""How passage vectors are stored: float16 BLOBs, and their conversion to and from float32 matrices."""

from __future__ import annotations

import numpy as np

# Vectors are stored as float16: half the bytes of float32, and cosines of normalised m3e vectors move by
# less than 1e-3 (tests/search/test_vectors.py), far below the gaps between ranked passages.
STORED_DTYPE = np.float16


def to_blob(row: np.ndarray) -> bytes:
    """One vector as the BLOB stored with its passage."""
    return np.asarray(row, dtype=STORED_DTYPE).tobytes()


def as_matrix(blobs: list[bytes], dim: int) -> np.ndarray:
    """Stack stored vector BLOBs into an (n, dim) float32 matrix."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=STORED_DTYPE).reshape(len(blobs), dim).astype(np.float32)
