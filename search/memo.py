"""Values derived from the store, kept until its next committed write (of this process or another)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class GenerationMemo:
    """`get(key, compute)` returns `compute()`, computed once per store generation: every value is dropped
    together when the store's generation moves."""

    def __init__(self, store):
        self.store = store
        self._generation = -1
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        generation = self.store.generation()
        if generation != self._generation:
            self._generation, self._values = generation, {}
        if key not in self._values:
            self._values[key] = compute()
        return self._values[key]
