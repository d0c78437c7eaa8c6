"""Near-duplicate fingerprints: 64-bit SimHash over character 3-grams (Charikar, STOC 2002)."""

from __future__ import annotations

import hashlib
import unicodedata

import numpy as np

BITS = 64
BANDS = 4
# Manku, Jain & Das Sarma (WWW 2007) find 64-bit SimHashes within Hamming distance 3 to be near-duplicate
# web pages; with 4 bands of 16 bits, two such fingerprints always share at least one band exactly.
MAX_DISTANCE = 3
MIN_CHARS = 50


def _bare(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZSC")


def simhash(text: str) -> int | None:
    """Fingerprint of a passage, or None when it is too short to compare reliably.

    >>> a = simhash("对25个软弱涣散的村和社区党组织班子作了调整,对村和社区党组织负责人和班子进行了帮扶教育。" * 2)
    >>> b = simhash("对25个软弱涣散的村和社区党组织班子作了调整，对村和社区党组织负责人和班子进行了帮扶教育！" * 2)
    >>> a == b
    True
    """
    bare = _bare(text)
    if len(bare) < MIN_CHARS:
        return None
    grams = {bare[i : i + 3] for i in range(len(bare) - 2)}
    digests = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams)
    hashes = np.frombuffer(digests, dtype=">u8").astype(np.uint64)
    ones = ((hashes[:, None] >> np.arange(BITS, dtype=np.uint64)) & np.uint64(1)).sum(axis=0)
    return sum(1 << bit for bit in range(BITS) if 2 * int(ones[bit]) > len(hashes))


def bands(fingerprint: int) -> list[int]:
    """The 16-bit bands used to look up candidates; band i is tagged with i in its top bits."""
    width = BITS // BANDS
    return [(i << width) | (fingerprint >> (i * width) & ((1 << width) - 1)) for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    """Hamming distance between two fingerprints."""
    return (a ^ b).bit_count()
