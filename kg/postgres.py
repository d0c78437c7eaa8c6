"""Store of record on PostgreSQL with pgvector: the same tables and statements as the SQLite store, shared by
several servers and ingest processes; vectors in a pgvector column searched by the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
from pgvector import Vector
from pgvector.psycopg import register_vector

from kg.cache import CACHED_READS, CachingStore
from kg.errors import StoreError
from kg.pgscan import VectorScan
from kg.schema import ADDED_INDEXES, PG_SCHEMA, SCHEMA_VERSION
from kg.terms import Vocabulary
from kg.vectors import STORED_DTYPE

# One key for the transaction-level advisory lock every write takes: writers of several processes and
# machines then run one at a time, as SQLite's BEGIN IMMEDIATE makes them, so vocabulary ids, near-duplicate
# passages and entity resolution stay consistent; reads never wait for it.
WRITE_LOCK = 0x646A6B67  # "djkg"
# Below this many passages a vector query is exact (a sequential scan; as the SQLite store's flat index);
# from it on the HNSW index answers (search/vectors.py HNSW_THRESHOLD chose the same size for faiss).
EXACT_BELOW = 100_000
# Candidates the HNSW scan keeps (pgvector's ef_search, which also bounds how many rows a scan returns; 200
# is above the deepest list djkg asks for); filtered queries scan iteratively so a filter cannot starve them.
EF_SEARCH = 200
# How long a server trusts the generation it last read outside a question (each question reads it afresh,
# kg/cache.py): the caches of several servers (keyword index, user words, role sets) follow another server's
# write within this much time, at one small query per interval.
GENERATION_MAX_AGE_S = 1.0


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _top(nums: np.ndarray, distances: np.ndarray, k: int, allowed: set[int] | None) -> list[tuple[int, float]]:
    """The k smallest distances among the allowed passages, ties by number (as ORDER BY d, num LIMIT k), as
    (number, inner product)."""
    if k < 1:
        return []
    if allowed is not None:
        keep = np.isin(nums, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        nums, distances = nums[keep], distances[keep]
    if k < len(distances):  # only the passages at or below the k-th distance can be among the first k
        keep = distances <= np.partition(distances, k - 1)[k - 1]
        nums, distances = nums[keep], distances[keep]
    order = np.lexsort((nums, distances))[:k]
    return [(int(nums[i]), -float(distances[i])) for i in order]


def int_array(nums: Iterable[int]) -> str:
    """A set of passage numbers as one array literal: psycopg adapts a Python list element by element, which
    costs about a millisecond for the few thousand numbers of a role filter.

    >>> int_array({3, 1, 2})
    '{1,2,3}'
    """
    return "{" + ",".join(map(str, sorted(nums))) + "}"


@lru_cache(maxsize=1024)
def _paramstyle(sql: str) -> str:
    """The store's statements use `?` placeholders (SQLite's); psycopg takes `%s`. No statement of djkg has
    `?` or `%` in a literal, so the translation is a plain substitution."""
    return sql.replace("%", "%%").replace("?", "%s")


class Connection:
    """A psycopg connection that takes the SQLite store's statements (autocommit; explicit transactions)."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw

    def execute(self, sql: str, params: Iterable = ()) -> psycopg.Cursor:
        params = tuple(params)
        return self.raw.execute(_paramstyle(sql) if params else sql, params or None)

    def executemany(self, sql: str, rows: Iterable[Iterable]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(_paramstyle(sql), rows)

    def executescript(self, script: str) -> None:
        self.raw.execute(script)

    def close(self) -> None:
        self.raw.close()


class PostgresStore(CachingStore):
    """The store on a PostgreSQL server with the pgvector extension (`--db postgresql://…`)."""

    VECTOR_COLUMN = "embedding"
    serves_vectors = True

    def __init__(self, url: str, create: bool = False):
        self.url = url
        self.location = redacted(url)
        self.db_dir = None
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._vocabulary = Vocabulary()
        self._generation: tuple[int, float] | None = None  # (value, time.monotonic() when read)
        # (generation, estimated passages, smallest and largest num): the vector scan's plan, read per generation
        self._shape: tuple[int, int, tuple[int, int] | None] = (-1, 0, None)
        self._scanner = VectorScan(self._connect)
        with self._init_lock:
            if create:
                self._create()
            self._check_schema()
        self.start_cache(CACHED_READS)

    @property
    def conn(self) -> Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.raw.closed:
            conn = Connection(self._connect())
            self._local.conn = conn
        return conn

    def _connect(self) -> psycopg.Connection:
        try:
            raw = psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.location}: {exc}".strip()) from exc
        try:
            register_vector(raw)
        except psycopg.ProgrammingError:  # the extension is not there yet: `djkg init` creates it
            pass
        return raw

    def _create(self) -> None:
        """Create the extension and the tables (idempotent), and record the schema version."""
        conn = self.conn
        conn.execute("SELECT pg_advisory_lock(?)", (WRITE_LOCK,))
        try:
            found = self._version(conn)
            if found is None:
                conn.executescript(PG_SCHEMA)
                conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                             (str(SCHEMA_VERSION),))
            elif found == SCHEMA_VERSION:
                self._inline_vectors(conn)
                for statement in ADDED_INDEXES:
                    conn.execute(statement)
        finally:
            conn.execute("SELECT pg_advisory_unlock(?)", (WRITE_LOCK,))
        register_vector(conn.raw)

    @staticmethod
    def _inline_vectors(conn: Connection) -> None:
        """A store whose vectors are stored out of line (made before check_model kept them in the row) is
        rewritten with them in the row: `djkg init` on an existing store does it once."""
        storage = conn.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'passages'::regclass"
                               " AND attname = 'embedding'").fetchone()[0]
        if storage != "p" and conn.execute("SELECT 1 FROM meta WHERE key = 'model'").fetchone():
            conn.execute("ALTER TABLE passages ALTER COLUMN embedding SET STORAGE PLAIN")
            conn.execute("VACUUM FULL passages")

    @staticmethod
    def _version(conn: Connection) -> int | None:
        if conn.execute("SELECT to_regclass('meta')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _check_schema(self) -> None:
        version = self._version(self.conn)
        if version is None:
            raise StoreError(f"{self.location} has no djkg store yet; create it with `djkg init --db {self.location}`")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.location} was written by a newer djkg (schema {version} > {SCHEMA_VERSION})")
        if version < SCHEMA_VERSION:
            raise StoreError(f"{self.location} was written by an older djkg (schema {version} < {SCHEMA_VERSION});"
                             " ingest the documents again into a new database")

    def close(self) -> None:
        self._scanner.close()
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            yield conn
            conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'")
        except BaseException:
            conn.execute("ROLLBACK")
            self._vocabulary.forget()
            raise
        conn.execute("COMMIT")
        self._generation = None

    def generation(self) -> int:
        """The store's generation as read at most GENERATION_MAX_AGE_S ago (at once after this store's own
        writes): a server does not ask the database before every read."""
        now = time.monotonic()
        seen = self._generation
        if seen is not None and now - seen[1] < GENERATION_MAX_AGE_S:
            return seen[0]
        value = super().generation()
        self._generation = (value, now)
        return value

    def expire_generation(self) -> None:
        self._generation = None

    def add_user_words(self, words: Iterable[str]) -> None:
        """As the SQLite store, in a transaction of its own: the generation moves, so other servers learn the
        words."""
        words = list(words)
        if words:
            with self.transaction():
                super().add_user_words(words)

    def check_model(self, model: str, dim: int) -> None:
        """As the SQLite store; the first model also fixes the vector column's dimension and builds its index."""
        if self.get_meta("model") is None:
            with self.transaction() as conn:
                if conn.execute("SELECT value FROM meta WHERE key = 'model'").fetchone() is None:
                    conn.execute(f"ALTER TABLE passages ALTER COLUMN embedding TYPE vector({int(dim)})")
                    # pgvector's type is stored out of line (TOAST) by default: an exact scan then looks up
                    # every vector in the TOAST table. Kept in the row it reads 4.5x faster (2,900 passages:
                    # 9.4 → 2.1 ms), same values.
                    conn.execute("ALTER TABLE passages ALTER COLUMN embedding SET STORAGE PLAIN")
                    conn.execute("CREATE INDEX IF NOT EXISTS passages_embedding ON passages"
                                 " USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 64)")
                    conn.execute("INSERT INTO meta(key, value) VALUES ('model', ?), ('dim', ?)", (model, str(dim)))
        super().check_model(model, dim)

    # -- vectors --------------------------------------------------------------------------------
    def vector_param(self, blob: bytes | None):
        return None if blob is None else np.frombuffer(blob, dtype=STORED_DTYPE).astype(np.float32)

    def vector_blob(self, value) -> bytes:
        return np.asarray(value.to_numpy() if isinstance(value, Vector) else value, dtype=STORED_DTYPE).tobytes()

    def nearest(self, query: np.ndarray, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The k passages of largest inner product with a normalised query, as (number, inner product).

        Exact while the store is small or the allowed passages are few (as the SQLite store's faiss index
        decides, search/vectors.py), from the HNSW index otherwise, filtered by pgvector's iterative scan."""
        if allowed is not None and not allowed:
            return []
        q = np.asarray(query, dtype=np.float32).ravel()
        conn = self.conn
        total = self._passage_count(conn)
        k = int(k)
        scored = self._all_scores(q) if total < EXACT_BELOW else None
        if scored is not None:
            return _top(*scored, k, allowed)
        if total < EXACT_BELOW or (allowed is not None and len(allowed) < max(4 * k, total // 4)):
            # A materialised scan: the planner would otherwise order by the HNSW index (an incremental sort on
            # (distance, num)), which returns at most hnsw.ef_search rows and is approximate.
            where, args = ("", (q,)) if allowed is None else (" WHERE num = ANY(CAST(? AS BIGINT[]))",
                                                              (q, int_array(allowed)))
            rows = conn.execute(f"WITH scored AS MATERIALIZED (SELECT num, embedding <#> ? AS d FROM passages{where})"
                                " SELECT num, d FROM scored ORDER BY d, num LIMIT ?", (*args, k)).fetchall()
            return [(int(num), -float(d)) for num, d in rows]
        conn.execute("BEGIN")
        try:
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, k)}")
            if allowed is None:
                rows = conn.execute("SELECT num, embedding <#> ? AS d FROM passages ORDER BY embedding <#> ? LIMIT ?",
                                    (q, q, k)).fetchall()
            else:
                conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                rows = conn.execute("SELECT num, d FROM (SELECT num, embedding <#> ? AS d FROM passages"
                                    " WHERE num = ANY(CAST(? AS BIGINT[])) ORDER BY embedding <#> ? LIMIT ?) hits"
                                    " ORDER BY d", (q, int_array(allowed), q, k)).fetchall()
        finally:
            conn.execute("COMMIT")
        return [(int(num), -float(d)) for num, d in rows]

    def vectors_of(self, nums: Iterable[int]) -> list[tuple[int, bytes]]:
        """As the SQLite store, in one statement, the vectors sent in binary: pgvector's text form takes
        longer to parse than the query takes to run (100 vectors of 512 floats: ~5 ms)."""
        nums = list(nums)
        if not nums:
            return []
        rows = self.conn.raw.execute("SELECT num, embedding FROM passages WHERE num = ANY(CAST(%s AS BIGINT[]))",
                                     (int_array(nums),), binary=True).fetchall()
        return [(num, self.vector_blob(value)) for num, value in rows]

    def _all_scores(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Inside cached_reads: the inner product of every passage with the question, read in one scan and kept
        for the rest of the question, as (numbers ascending, distances). A search question scans once, as the
        ordered top k would (22 vs 25 ms at 25,790 passages, tests.benchmarks on this machine); an experience
        question searches its vector seven times with different filters and now scans once rather than
        twice; the reranker's cosines of any candidate come from it too (`inner_products`)."""
        question = self.question_memo()
        if question is None:
            return None
        memo = question.setdefault("scores", {})
        key = q.tobytes()
        if key not in memo:
            memo[key] = self._scan(q)
        return memo[key]

    def _scan(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every passage's number and distance (negative inner product) to `q` (kg/pgscan.py)."""
        conn = self.conn
        count, bounds = self._passage_shape(conn)
        return self._scanner.scores(conn.raw, q, bounds, count)

    def inner_products(self, query: np.ndarray, nums: list[int]) -> np.ndarray:
        """As Store.inner_products; inside a question whose vector was scanned, from that scan."""
        q = np.asarray(query, dtype=np.float32).ravel()
        question = self.question_memo()
        scored = (question or {}).get("scores", {}).get(q.tobytes())
        if scored is None:
            return super().inner_products(q, nums)
        all_nums, distances = scored
        wanted = np.asarray(nums, dtype=np.int64)
        at = np.searchsorted(all_nums, wanted)
        if len(wanted) and (at.max() >= len(all_nums) or not np.array_equal(all_nums[at], wanted)):
            return super().inner_products(q, nums)  # a passage written after the scan
        return (-distances[at]).astype(np.float32)

    def _passage_count(self, conn: Connection) -> int:
        """An estimate, enough to choose exact or HNSW, read once per generation."""
        return self._passage_shape(conn)[0]

    def _passage_shape(self, conn: Connection) -> tuple[int, tuple[int, int] | None]:
        """The estimated number of passages and the smallest and largest passage number (None: no passage),
        read in one statement once per generation."""
        generation = self.generation()
        if self._shape[0] != generation:
            estimate, low, high = conn.execute(
                "SELECT (SELECT reltuples FROM pg_class WHERE oid = 'passages'::regclass), min(num), max(num)"
                " FROM passages").fetchone()
            if estimate is None or estimate < 0:  # reltuples is -1 before the first ANALYZE
                estimate = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
            self._shape = (generation, int(estimate), None if low is None else (int(low), int(high)))
        return self._shape[1], self._shape[2]

    def after_copy(self, conn: Connection) -> None:
        """After rows were copied with their ids, new rows continue after the largest id of each table."""
        for table, column in (("sections", "section_id"), ("passages", "num"), ("entities", "eid"),
                              ("relations", "rid")):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
                         f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")
