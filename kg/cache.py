"""Reads of a shared store kept in memory until the store's generation moves: what a question reads (passages,
their sections and entities, entity details) does not change between writes, and on a database server each
read is a round trip."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from kg.entities import EntityReader
from kg.records import PassageSource, StoreCounts, StoredDocument, StoredPassage
from kg.store import Store
from kg.terms import Vocabulary

# The store's reads of many numbers go in chunks of this many (kg/store.py, kg/entities.py); a cached read
# keeps the order they give.
CHUNK = 500
# Reads a question may take from memory (cached_reads), per kind of read: passages, entities, documents …
# 20,000 passages with their text take about 30 MB.
CACHED_READS = 20_000


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

    def get_many(self, entity_ids: Iterable[str]):
        if not self._active():
            return super().get_many(entity_ids)
        return {k: copy.copy(v) for k, v in self._cache.get_many("entity", entity_ids, super().get_many).items()
                if v is not None}

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

    def nums_mentioning(self, entity_ids: Iterable[str]) -> set[int]:
        ids = list(entity_ids)
        if not self._active():
            return super().nums_mentioning(ids)
        load = super().nums_mentioning
        return set(self._cache.get("nums_mentioning", tuple(ids), lambda: load(ids)))

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


class CachingStore(Store):
    """A store whose questions may read from a GenerationCache (a store on a server, kg/postgres.py, where a
    read is a round trip): inside `cached_reads()` the reads below come from it, with the same values in the
    same order as the store gives; outside, as ingest's reads, from the store. A subclass calls
    `start_cache` when it is set up."""

    def start_cache(self, max_items: int) -> None:
        self._cache = GenerationCache(self.generation, max_items)
        self.graph = CachedEntityReader(lambda: self.conn, self._cache, self._caching)

    @contextmanager
    def cached_reads(self) -> Iterator[None]:
        depth = getattr(self._local, "cached", 0)
        if depth == 0:
            # The generation is read afresh for each question (one small query): cached values then never
            # mix with fresh reads of an older or newer store (another server's removal would otherwise leave
            # cached passages whose vectors are gone, for as long as the generation is trusted).
            self.expire_generation()
            self._local.question = {}
        self._local.cached = depth + 1
        try:
            yield
        finally:
            self._local.cached = depth
            if depth == 0:
                self._local.question = None

    def question_memo(self) -> dict | None:
        """A dict that lives as long as the current question (outermost cached_reads), or None outside."""
        return getattr(self._local, "question", None)

    def _caching(self) -> bool:
        return getattr(self._local, "cached", 0) > 0

    def passages(self, nums: Iterable[int]) -> dict[int, StoredPassage]:
        if not self._caching():
            return super().passages(nums)
        nums = list(dict.fromkeys(nums))
        found = self._cache.get_many("passage", nums, self._ordered_passages)
        out: dict[int, StoredPassage] = {}
        for i in range(0, len(nums), CHUNK):
            chunk = [n for n in nums[i : i + CHUNK] if n in found]
            out.update((n, found[n][1]) for n in sorted(chunk, key=lambda n: found[n][0], reverse=True))
        return out

    def _ordered_passages(self, nums: list[int]) -> dict[int, tuple[tuple[float, int], StoredPassage]]:
        """Passages by number with the key that orders them in Store.passages, whose rows come latest
        occurrence first: (added_at, start) of that occurrence; the passage itself is its first occurrence."""
        out: dict[int, tuple[tuple[float, int], StoredPassage]] = {}
        for i in range(0, len(nums), CHUNK):
            chunk = nums[i : i + CHUNK]
            rows = self.conn.execute(
                "SELECT p.num, p.passage_id, p.text, o.doc_id, d.title, s.heading, s.role, o.ordinal, o.start,"
                " o.\"end\", d.path, d.place, d.added_at FROM passages p JOIN occurrences o ON o.num = p.num"
                " JOIN documents d ON d.doc_id = o.doc_id JOIN sections s ON s.section_id = o.section_id"
                f" WHERE p.num IN ({','.join('?' * len(chunk))}) ORDER BY d.added_at DESC, o.start DESC", chunk)
            for r in rows:
                key = out[r[0]][0] if r[0] in out else (r[12] or 0.0, r[8])
                out[r[0]] = (key, StoredPassage(*r[:12]))
        return out

    def siblings(self, num: int) -> list[int]:
        if not self._caching():
            return super().siblings(num)
        return list(self._cache.get("siblings", num, lambda: Store.siblings(self, num)))

    def document(self, doc_id: str) -> StoredDocument | None:
        if not self._caching():
            return super().document(doc_id)
        found = self._cache.get("document", doc_id, lambda: Store.document(self, doc_id))
        # a frozen record, but its meta is a dict: a caller's change must not reach the cached one
        return None if found is None else replace(found, meta=dict(found.meta))

    def sources_of(self, num: int) -> list[PassageSource]:
        if not self._caching():
            return super().sources_of(num)
        return list(self._cache.get("sources", num, lambda: Store.sources_of(self, num)))

    def sources_of_many(self, nums: Iterable[int]) -> dict[int, list[PassageSource]]:
        if not self._caching():
            return super().sources_of_many(nums)
        found = self._cache.get_many("sources", nums, lambda missing: Store.sources_of_many(self, missing))
        return {n: list(v) for n, v in found.items()}

    def counts(self) -> StoreCounts:
        if not self._caching():
            return super().counts()
        return self._cache.get("counts", None, lambda: Store.counts(self))

    def term_ids(self, terms: Iterable[str]) -> dict[str, int]:
        """As Store.term_ids, in the same order (by term within each chunk): BM25 adds terms in it."""
        if not self._caching():
            return super().term_ids(terms)
        terms = list(dict.fromkeys(terms))
        found = self._cache.get_many("term", terms, lambda missing: Vocabulary.lookup(self.conn, missing))
        out: dict[str, int] = {}
        for i in range(0, len(terms), CHUNK):
            out.update((t, found[t]) for t in sorted(t for t in terms[i : i + CHUNK] if t in found))
        return out


class LocalStore(CachingStore):
    """The SQLite store with the same per-generation cache for questions: a read is no round trip here, but
    experience reads the same passages, entities and mentions for many questions (at 100x the demo corpus,
    460 statements a question, 82 of its 170 ms). The generation is read from the file on every cached read,
    so another process's write is seen at once."""

    def __init__(self, db_dir: Path | str):
        super().__init__(db_dir)
        self.start_cache(CACHED_READS)
