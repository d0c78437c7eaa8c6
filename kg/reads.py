"""Reads of a store's documents and passages: portable SQL over `self.conn`, shared by both backends."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kg.records import DocumentSummary, PassageSource, StoreCounts, StoredDocument, StoredPassage


class StoreReads:
    """What the engine reads of documents and passages; mixed into Store (kg/store.py), which gives `conn`."""

    conn: object

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

