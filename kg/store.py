"""Store of record: one SQLite file (WAL) holding documents, passages, vectors, index terms and the graph."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ingest.fingerprint import MAX_DISTANCE, bands, distance
from kg.entities import EntityReader, NewMention, NewRelation, forget_document, write_graph, write_relations
from kg.errors import DocumentExistsError, ModelMismatchError, StoreError
from kg.reads import StoreReads
from kg.records import (
    EvidencedRelation,
    NewDocument,
    NewPassage,
    NewSection,
)
from kg.schema import ADDED_INDEXES, SCHEMA, SCHEMA_VERSION
from kg.terms import Vocabulary, packed_terms
from kg.vectors import as_matrix

log = logging.getLogger(__name__)

DB_NAME = "djkg.sqlite"
MASK = (1 << 64) - 1


def _signed(value: int | None) -> int | None:
    """SQLite integers are signed 64-bit; store a 64-bit fingerprint in two's complement."""
    if value is None:
        return None
    return value - (1 << 64) if value >= 1 << 63 else value


class Store(StoreReads):
    """Narrow interface over the SQLite file; every SQL statement of djkg lives here or in kg/.

    The statements are portable SQL with `?` placeholders: kg/postgres.py runs the same ones on PostgreSQL.
    """

    # the engine keeps its own vector index (search/vectors.py) over a store that does not search vectors
    serves_vectors = False

    def __init__(self, db_dir: Path | str):
        self.db_dir = Path(db_dir)
        self.db_dir.mkdir(parents=True, exist_ok=True)
        self.location = str(self.db_dir)
        self.path = self.db_dir / DB_NAME
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._vocabulary = Vocabulary()
        with self._init_lock:
            self._migrate(self.conn)
        self.graph = EntityReader(lambda: self.conn)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            # 16 KiB pages hold ~8 passage rows (vector + terms + text ≈ 1.9 KB) where 4 KiB pages held 2 with
            # a fifth of each page unused; only takes effect when the file is created (before WAL).
            conn.execute("PRAGMA page_size=16384")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer djkg (schema {version} > {SCHEMA_VERSION})")
        if 0 < version < SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by an older djkg (schema {version} < {SCHEMA_VERSION}); "
                             "ingest the documents again into a new --db directory")
        if version < SCHEMA_VERSION:
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        for statement in ADDED_INDEXES:
            try:
                conn.execute(statement)
            except sqlite3.OperationalError as exc:  # a read-only store still serves, only slower
                log.warning("cannot add an index to %s: %s", self.path, exc)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside lands together or not at all."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            self._vocabulary.forget()
            raise
        conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'")
        conn.execute("COMMIT")

    # -- settings -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)"
                          " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def generation(self) -> int:
        """A number that changes with every committed write of any process (a key for derived caches)."""
        return int(self.get_meta("generation") or 0)

    def expire_generation(self) -> None:
        """Make the next generation() read the store (a store that caches it: kg/postgres.py)."""

    @contextmanager
    def cached_reads(self) -> Iterator[None]:
        """Inside, this thread's reads may come from a cache of the store's current generation (a store on a
        server keeps one, kg/postgres.py: a question reads the same passages and entities many times); reads
        that lead to writes stay outside."""
        yield

    def check_model(self, model: str, dim: int) -> None:
        """Remember the embedding model on first use; refuse a different one afterwards."""
        stored = self.get_meta("model")
        if stored is None:
            self.set_meta("model", model)
            self.set_meta("dim", str(dim))
            return
        if stored != model or int(self.get_meta("dim") or 0) != dim:
            raise ModelMismatchError(
                f"store {self.location} was built with model {stored!r} (dim {self.get_meta('dim')}), "
                f"but the current model is {model!r} (dim {dim}); use the same DJKG_MODEL or a new --db"
            )

    # -- documents ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def document_ids(self) -> list[str]:
        """The ids of every stored document."""
        return [r[0] for r in self.conn.execute("SELECT doc_id FROM documents")]

    def known_passages(self, passage_ids: Iterable[str]) -> set[str]:
        ids = list(set(passage_ids))
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"SELECT passage_id FROM passages WHERE passage_id IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def near_duplicate(self, fingerprint: int) -> str | None:
        """Id of a stored passage whose SimHash is within MAX_DISTANCE of this one, if any."""
        marks = ",".join("?" * len(bands(fingerprint)))
        rows = self.conn.execute(
            "SELECT p.passage_id, p.simhash FROM fingerprints f JOIN passages p ON p.num = f.num"
            f" WHERE f.band IN ({marks}) ORDER BY p.num", bands(fingerprint)).fetchall()
        for passage_id, stored in rows:
            if stored is not None and distance(stored & MASK, fingerprint) <= MAX_DISTANCE:
                return passage_id
        return None

    def add_document(self, doc: NewDocument, sections: list[NewSection], passages: list[NewPassage],
                     mentions: Iterable[NewMention] = (), relations: Iterable[NewRelation] = ()) -> list[int]:
        """Write one document with its source, sections, passages, postings and graph in one transaction.

        Returns the numeric ids of passages that are new to the store (to add to the vector index). Writers
        look for a stored document, passage or entity before their transaction; inside it, with the write
        lock held, the same checks run again, so concurrent writers store each once.

        Raises:
            DocumentExistsError: another writer stored this document since the caller looked.
        """
        new_nums: list[int] = []
        meta = json.dumps(doc.meta, ensure_ascii=False)
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone():
                raise DocumentExistsError(doc.doc_id)
            conn.execute(
                "INSERT INTO sources(source_id, path, original, meta) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (doc.source_id, doc.path, doc.original, meta),
            )
            conn.execute(
                "INSERT INTO documents(doc_id, source_id, title, path, start, \"end\", place, meta, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.doc_id, doc.source_id, doc.title, doc.path, doc.start, doc.end, doc.place, meta, time.time()),
            )
            section_ids = []
            for ordinal, section in enumerate(sections):
                section_ids.append(conn.execute(
                    "INSERT INTO sections(doc_id, ordinal, heading, role) VALUES (?, ?, ?, ?) RETURNING section_id",
                    (doc.doc_id, ordinal, section.heading, section.role),
                ).fetchone()[0])
            nums = []
            for p in passages:
                num = self._upsert_passage(conn, p, new_nums)
                nums.append(num)
                conn.execute(
                    "INSERT INTO occurrences(num, doc_id, section_id, ordinal, start, \"end\")"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (num, doc.doc_id, section_ids[p.section_index], p.ordinal, p.start, p.end),
                )
            write_graph(conn, doc.doc_id, nums, mentions, relations)
        return new_nums

    def _upsert_passage(self, conn: sqlite3.Connection, p: NewPassage, new_nums: list[int]) -> int:
        row = conn.execute("SELECT num FROM passages WHERE passage_id = ?", (p.passage_id,)).fetchone()
        if row is None and p.simhash is not None:  # a near-duplicate stored by another writer meanwhile
            match = self.near_duplicate(p.simhash)
            row = match and conn.execute("SELECT num FROM passages WHERE passage_id = ?", (match,)).fetchone()
        if row:
            return row[0]
        if p.vector is None:
            raise StoreError(f"passage {p.passage_id} is new to the store but has no vector")
        num = conn.execute(
            f"INSERT INTO passages(passage_id, text, ntokens, {self.VECTOR_COLUMN}, terms, simhash)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING num",
            (p.passage_id, p.text, len(p.tokens), self.vector_param(p.vector),
             packed_terms(conn, self._vocabulary, p.tokens), _signed(p.simhash)),
        ).fetchone()[0]
        if p.simhash is not None:
            conn.executemany("INSERT INTO fingerprints(band, num) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             [(band, num) for band in bands(p.simhash)])
        new_nums.append(num)
        return num

    def remove_document(self, doc_id: str) -> list[int]:
        """Delete a document and everything only it supported; returns the passage numbers removed."""
        with self.transaction() as conn:
            if not conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
                raise KeyError(doc_id)
            nums = [r[0] for r in conn.execute("SELECT DISTINCT num FROM occurrences WHERE doc_id = ?", (doc_id,))]
            conn.execute("DELETE FROM occurrences WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM sections WHERE doc_id = ?", (doc_id,))
            source = conn.execute("SELECT source_id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            orphans = [n for n in nums if not conn.execute("SELECT 1 FROM occurrences WHERE num = ?", (n,)).fetchone()]
            for num in orphans:
                conn.execute("DELETE FROM fingerprints WHERE num = ?", (num,))
                conn.execute("DELETE FROM passages WHERE num = ?", (num,))
            conn.execute(
                "DELETE FROM sources WHERE source_id = ? AND NOT EXISTS (SELECT 1 FROM documents WHERE source_id = ?)",
                (source, source),
            )
            forget_document(conn, doc_id, orphans)
        return orphans

    def add_relations(self, relations: Iterable[EvidencedRelation]) -> None:
        """Relations found across documents (similar_to), with their evidence, in one transaction."""
        with self.transaction() as conn:
            write_relations(conn, relations)

    def user_words(self) -> list[str]:
        """Words the tokenizer keeps whole (names found in ingested text)."""
        return [r[0] for r in self.conn.execute("SELECT word FROM user_words ORDER BY word")]

    def add_user_words(self, words: Iterable[str]) -> None:
        self.conn.executemany("INSERT INTO user_words(word) VALUES (?) ON CONFLICT DO NOTHING", [(w,) for w in words])

    # -- indexes --------------------------------------------------------------------------------
    def vectors(self) -> Iterator[tuple[int, bytes]]:
        for num, value in self.conn.execute(f"SELECT num, {self.VECTOR_COLUMN} FROM passages ORDER BY num"):
            yield num, self.vector_blob(value)

    def inner_products(self, query: np.ndarray, nums: list[int]) -> np.ndarray:
        """Inner product (cosine: both normalised) of a query vector with each passage of `nums`, in their
        order, as float32."""
        by_num = dict(self.vectors_of(nums))
        dim = len(query)
        return as_matrix([by_num[n] for n in nums], dim) @ np.asarray(query, dtype=np.float32).ravel()

    def vectors_of(self, nums: Iterable[int]) -> list[tuple[int, bytes]]:
        nums = list(nums)
        out = []
        for i in range(0, len(nums), 500):
            chunk = nums[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.extend((num, self.vector_blob(value)) for num, value in self.conn.execute(
                f"SELECT num, {self.VECTOR_COLUMN} FROM passages WHERE num IN ({marks})", chunk))
        return out

    def vectors_by_id(self, passage_ids: Iterable[str]) -> dict[str, bytes]:
        ids = list(set(passage_ids))
        out: dict[str, bytes] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update((pid, self.vector_blob(value)) for pid, value in self.conn.execute(
                f"SELECT passage_id, {self.VECTOR_COLUMN} FROM passages WHERE passage_id IN ({marks})", chunk))
        return out

    # A backend keeps vectors its own way; these convert to and from the float16 bytes the engine handles.
    VECTOR_COLUMN = "vector"

    def after_copy(self, conn) -> None:
        """Called inside the transaction that copied rows with their ids (kg/migrate.py); SQLite's
        AUTOINCREMENT counters already follow explicit ids."""

    def vector_param(self, blob: bytes):
        return blob

    def vector_blob(self, value) -> bytes:
        return value

    def passage_terms(self, after: int = 0) -> Iterator[tuple[int, int, bytes]]:
        """(passage number, length in tokens, packed terms) of every passage numbered above `after`, in
        order, for the keyword index."""
        yield from self.conn.execute("SELECT num, ntokens, terms FROM passages WHERE num > ? ORDER BY num", (after,))

    def passage_count(self, upto: int) -> int:
        """How many passages are numbered up to `upto`."""
        return self.conn.execute("SELECT count(*) FROM passages WHERE num <= ?", (upto,)).fetchone()[0]

    def passage_nums(self, upto: int) -> Iterator[int]:
        """Numbers of the passages numbered up to `upto`, ascending."""
        for (num,) in self.conn.execute("SELECT num FROM passages WHERE num <= ? ORDER BY num", (upto,)):
            yield num

    def term_ids(self, terms: Iterable[str]) -> dict[str, int]:
        """Vocabulary ids of the known terms among `terms`."""
        return Vocabulary.lookup(self.conn, terms)
