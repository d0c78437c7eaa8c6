"""Micro-batching of query embeddings: the queries of searches waiting for the model go through it together."""

from __future__ import annotations

import threading
from collections.abc import Callable

from search.encode import Encoder

# One forward pass over 8 short queries costs about 2.5 of one (m3e-small on 2 CPU cores).
MAX_BATCH = 16


class Pending:
    """A query waiting to be embedded; `done` once some search has embedded it."""

    __slots__ = ("done", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.done = False


class QueryBatcher:
    """Queues the normalised queries of searches waiting for the model, and embeds them in one call.

    It only warms the encoder's query cache (SentenceEncoder keeps recent query embeddings), so the
    engine's own search then finds each embedding ready; nothing else about a search changes.
    """

    def __init__(self, encoder: Callable[[], Encoder], max_batch: int = MAX_BATCH):
        self._encoder = encoder
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queued: list[Pending] = []

    def queue(self, text: str) -> Pending:
        """Queue a normalised query (before waiting for the model); hand the result to embed()."""
        pending = Pending(text)
        with self._lock:
            self._queued.append(pending)
        return pending

    def embed(self, pending: Pending) -> None:
        """Embed this query with every other one queued, unless an earlier batch held it already.

        Call with the model to yourself: the searches queued meanwhile are waiting for it.
        """
        with self._lock:
            if pending.done:
                return
            self._queued.remove(pending)
            batch = [pending, *self._queued[: self._max_batch - 1]]
            del self._queued[: self._max_batch - 1]
            for item in batch:
                item.done = True
        if len(batch) > 1:
            self._encoder().encode(list(dict.fromkeys(item.text for item in batch)), query=True)
