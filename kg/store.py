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

from ingest.fingerprint import MAX_DISTANCE, bands, distance
from kg.entities import EntityReader, NewMention, NewRelation, forget_document, write_graph, write_relations
from kg.errors import DocumentExistsError, ModelMismatchError, StoreError
from kg.records import (
    DocumentSummary,
    EvidencedRelation,
    NewDocument,
    NewPassage,
    NewSection,
    PassageSource,
    StoreCounts,
    StoredDocument,
    StoredPassage,
)
from kg.schema import ADDED_INDEXES, SCHEMA, SCHEMA_VERSION
from kg.terms import Vocabulary, packed_terms

log = logging.getLogger(__name__)

DB_NAME = "djkg.sqlite"
MASK = (1 << 64) - 1


def _signed(value: int | None) -> int | None:
    """SQLite integers are signed 64-bit; store a 64-bit fingerprint in two's complement."""
    if value is None:
        return None
    return value - (1 << 64) if value >= 1 << 63 else value


class Store:
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

    # -- reads ----------------------------------------------------------------------------------
    def counts(self) -> StoreCounts:
        conn = self.conn
        return StoreCounts(conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                           conn.execute("SELECT count(*) FROM passages").fetchone()[0])

    def documents(self) -> list[DocumentSummary]:
        """Every stored document, oldest first."""
        rows = self.conn.execute("SELECT doc_id, title, path, place FROM documents ORDER BY added_at, doc_id")
        return [DocumentSummary(*r) for r in rows]

    def document(self, doc_id: str) -> StoredDocument | None:
        row = self.conn.execute(
            "SELECT d.doc_id, d.title, d.path, d.start, d.\"end\", d.meta, s.original, d.place FROM documents d"
            " JOIN sources s ON s.source_id = d.source_id WHERE d.doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return StoredDocument(row[0], row[1], row[2], row[3], row[4], json.loads(row[5] or "{}"), row[6], row[7])

    def original_text(self, doc_id: str) -> str:
        row = self.conn.execute(
            "SELECT s.original FROM documents d JOIN sources s ON s.source_id = d.source_id WHERE d.doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def passages(self, nums: Iterable[int]) -> dict[int, StoredPassage]:
        """Passages by number, each with its first occurrence (earliest document, then offset)."""
        nums = list(dict.fromkeys(nums))
        out: dict[int, StoredPassage] = {}
        for i in range(0, len(nums), 500):
            chunk = nums[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT p.num, p.passage_id, p.text, o.doc_id, d.title, s.heading, s.role, o.ordinal,"
                " o.start, o.\"end\", d.path, d.place FROM passages p"
                " JOIN occurrences o ON o.num = p.num JOIN documents d ON d.doc_id = o.doc_id"
                f" JOIN sections s ON s.section_id = o.section_id WHERE p.num IN ({marks})"
                " ORDER BY d.added_at DESC, o.start DESC",
                chunk,
            )
            for r in rows:
                out[r[0]] = StoredPassage(*r)
        return out

    def passage_by_id(self, passage_id: str) -> StoredPassage | None:
        row = self.conn.execute("SELECT num FROM passages WHERE passage_id = ?", (passage_id,)).fetchone()
        return self.passages([row[0]]).get(row[0]) if row else None

    def sources_of(self, num: int) -> list[PassageSource]:
        """Every occurrence of a passage, oldest document first."""
        rows = self.conn.execute(
            "SELECT o.doc_id, d.title, o.start, o.\"end\" FROM occurrences o JOIN documents d ON d.doc_id = o.doc_id"
            " WHERE o.num = ? ORDER BY d.added_at, o.start",
            (num,),
        )
        return [PassageSource(*r) for r in rows]

    def sources_of_many(self, nums: Iterable[int]) -> dict[int, list[PassageSource]]:
        """sources_of for several passages in one statement per 500 (a page of hits)."""
        nums = list(dict.fromkeys(nums))
        out: dict[int, list[PassageSource]] = {n: [] for n in nums}
        for i in range(0, len(nums), 500):
            chunk = nums[i : i + 500]
            rows = self.conn.execute(
                "SELECT o.num, o.doc_id, d.title, o.start, o.\"end\" FROM occurrences o JOIN documents d"
                f" ON d.doc_id = o.doc_id WHERE o.num IN ({','.join('?' * len(chunk))})"
                " ORDER BY o.num, d.added_at, o.start", chunk)
            for r in rows:
                out[r[0]].append(PassageSource(*r[1:]))
        return out

    def document_passages(self, doc_id: str) -> list[StoredPassage]:
        nums = [
            r[0] for r in self.conn.execute("SELECT num FROM occurrences WHERE doc_id = ? ORDER BY start", (doc_id,))
        ]
        found = self.passages(nums)
        return [found[n] for n in nums if n in found]

    def siblings(self, num: int) -> list[int]:
        """Passages of the same section as this passage's first occurrence, in order."""
        return [r[0] for r in self.conn.execute(
            "SELECT num FROM occurrences WHERE section_id = (SELECT o.section_id FROM occurrences o"
            " JOIN documents d ON d.doc_id = o.doc_id WHERE o.num = ? ORDER BY d.added_at, o.start LIMIT 1)"
            " AND num != ? ORDER BY ordinal", (num, num))]

    def nums_with(self, role: str | None = None, doc_ids: Iterable[str] | None = None) -> set[int]:
        """Passage numbers having an occurrence with the given section role and/or in the given documents."""
        sql = "SELECT o.num FROM occurrences o JOIN sections s ON s.section_id = o.section_id WHERE 1=1"
        args: list = []
        if role:
            sql += " AND s.role = ?"
            args.append(role)
        if doc_ids is not None:
            ids = list(doc_ids)
            if not ids:
                return set()
            sql += f" AND o.doc_id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        return {r[0] for r in self.conn.execute(sql, args)}

    # -- indexes --------------------------------------------------------------------------------
    def vectors(self) -> Iterator[tuple[int, bytes]]:
        for num, value in self.conn.execute(f"SELECT num, {self.VECTOR_COLUMN} FROM passages ORDER BY num"):
            yield num, self.vector_blob(value)

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
