"""Reads of a shared store kept in memory until the store's generation moves: what a question reads (passages,
their sections and entities, entity details) does not change between writes, and on a database server each
read is a round trip."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from kg.entities import EntityReader

# The store's reads of many numbers go in chunks of this many (kg/store.py, kg/entities.py); a cached read
# keeps the order they give.
CHUNK = 500


class GenerationCache:
    """Least-recently-used values per kind of read, all dropped when `generation()` returns a new number.

    A value is read after the generation it is filed under, so it is never older than that generation; a
    store that caches its generation for a while (kg/postgres.py) serves other processes' writes after at
    most that while, as its keyword index and role sets do.

    >>> generation = [1]
    >>> cache = GenerationCache(lambda: generation[0], max_items=2)
    >>> reads = []
    >>> def load(keys):
    ...     reads.extend(keys)
    ...     return {k: k * 10 for k in keys if k != 3}
    >>> cache.get_many("x", [1, 2, 3], load), cache.get_many("x", [2, 3], load), reads
    ({1: 10, 2: 20}, {2: 20}, [1, 2, 3])
    >>> generation[0] = 2
    >>> cache.get_many("x", [2], load), reads
    ({2: 20}, [1, 2, 3, 2])
    """

    def __init__(self, generation: Callable[[], int], max_items: int):
        self._generation = generation
        self.max_items = max_items
        self._seen: int | None = None
        self._kinds: dict[str, OrderedDict] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._kinds = {}

    def _values(self, kind: str) -> OrderedDict:
        generation = self._generation()
        with self._lock:
            if generation != self._seen:
                self._kinds, self._seen = {}, generation
            return self._kinds.setdefault(kind, OrderedDict())

    def get_many(self, kind: str, keys: Iterable[Hashable], load: Callable[[list], dict]) -> dict:
        """The values of `keys` (those that exist), reading the missing ones with one call of `load` (which
        returns a dict of the keys it found; a key it leaves out is remembered as absent)."""
        keys = list(dict.fromkeys(keys))
        values = self._values(kind)
        out: dict = {}
        missing = []
        with self._lock:
            for key in keys:
                if key in values:
                    values.move_to_end(key)
                    out[key] = values[key]
                else:
                    missing.append(key)
        if missing:
            found = load(missing)
            with self._lock:
                for key in missing:
                    values[key] = found.get(key, _ABSENT)
                    out[key] = values[key]
                while len(values) > self.max_items:
                    values.popitem(last=False)
        return {key: value for key, value in out.items() if value is not _ABSENT}

    def get(self, kind: str, key: Hashable, load: Callable[[], object]) -> object:
        """The value of one key, read by `load()` when missing (None is remembered too)."""
        found = self.get_many(kind, [key], lambda keys: {keys[0]: load()})
        return found.get(key)


_ABSENT = object()


class CachedEntityReader(EntityReader):
    """The graph reads a question makes, served from a GenerationCache while `active()` says the caller may
    use it (see PostgresStore.cached_reads); other reads, such as ingest's, go to the store."""

    def __init__(self, conn_factory, cache: GenerationCache, active: Callable[[], bool]):
        super().__init__(conn_factory)
        self._cache = cache
        self._active = active

    def get(self, entity_id: str):
        if not self._active():
            return super().get(entity_id)
        load = super().get
        return copy.copy(self._cache.get("entity", entity_id, lambda: load(entity_id)))

    def first_mentions(self, num: int):
        if not self._active():
            return super().first_mentions(num)
        load = super().first_mentions
        return list(self._cache.get("first_mentions", num, lambda: load(num)))

    def mentions(self, entity_id: str, limit: int = 50):
        if not self._active():
            return super().mentions(entity_id, limit)
        load = super().mentions
        return list(self._cache.get("mentions", (entity_id, limit), lambda: load(entity_id, limit)))

    def addressing(self, problem_ids: list[str]) -> list[str]:
        if not self._active():
            return super().addressing(problem_ids)
        load = super().addressing
        return list(self._cache.get("addressing", tuple(problem_ids), lambda: load(problem_ids)))

    def entities_in(self, nums: Iterable[int]):
        """As EntityReader.entities_in, in the same order (by number within each chunk of 500)."""
        if not self._active():
            return super().entities_in(nums)
        nums = list(nums)
        found = self._cache.get_many("entities_in", nums, super().entities_in)
        out: dict = {}
        for i in range(0, len(nums), CHUNK):
            for num in sorted(set(nums[i : i + CHUNK])):
                if num in found:
                    out.setdefault(num, []).extend(found[num])
        return out
