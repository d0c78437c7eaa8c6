"""Entity, mention and relation tables of the store: writes inside a document's transaction, and reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NewMention:
    """A resolved mention to store: which entity, in which passage of the document, where."""

    entity_id: str
    type: str
    name: str
    key: str
    passage_index: int
    start: int
    end: int
    surface: str
    attributes: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class NewRelation:
    """A relation between two entities, with the document's passages that evidence it."""

    src: str
    dst: str
    type: str
    weight: float
    passage_indexes: tuple[int, ...]


def write_graph(conn: sqlite3.Connection, doc_id: str, nums: list[int], mentions: Iterable[NewMention],
                relations: Iterable[NewRelation]) -> None:
    """Insert a document's entities, aliases, mentions and relations (inside its transaction)."""
    for m in mentions:
        conn.execute("INSERT OR IGNORE INTO entities(entity_id, type, name, attributes) VALUES (?, ?, ?, ?)",
                     (m.entity_id, m.type, m.name, json.dumps(m.attributes, ensure_ascii=False)))
        if m.attributes.get("by") != "meaning":  # a passage placed by meaning names nothing: no alias
            conn.execute("INSERT OR IGNORE INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                         (m.entity_id, m.surface.strip("“”\"'") or m.name, m.key))
        conn.execute("INSERT OR IGNORE INTO aliases(entity_id, alias, key) VALUES (?, ?, ?)",
                     (m.entity_id, m.name, m.key))
        conn.execute("INSERT OR IGNORE INTO mentions(entity_id, num, doc_id, start, end, surface)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (m.entity_id, nums[m.passage_index], doc_id, m.start, m.end, m.surface))
    write_relations(conn, [(r.src, r.dst, r.type, r.weight, [(nums[i], doc_id) for i in r.passage_indexes])
                           for r in relations])


def write_relations(conn: sqlite3.Connection, relations: Iterable[tuple[str, str, str, float, list[tuple[int, str]]]]) -> None:
    """Insert relations between already stored entities, each with (passage number, doc_id) evidence."""
    for src, dst, rtype, weight, evidence in relations:
        rid = conn.execute("INSERT INTO relations(src, dst, type, weight) VALUES (?, ?, ?, ?)"
                           " ON CONFLICT(src, dst, type) DO UPDATE SET weight = max(weight, excluded.weight)"
                           " RETURNING rid",
                           (src, dst, rtype, weight)).fetchone()[0]
        conn.executemany("INSERT OR IGNORE INTO relation_evidence(rid, doc_id, num) VALUES (?, ?, ?)",
                         [(rid, doc_id, num) for num, doc_id in evidence])


def forget_document(conn: sqlite3.Connection, doc_id: str) -> None:
    """Remove what only this document evidenced: its mentions, relation evidence, orphaned entities."""
    conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM relation_evidence WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM relations WHERE NOT EXISTS"
                 " (SELECT 1 FROM relation_evidence e WHERE e.rid = relations.rid)")
    conn.execute("DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = entities.entity_id)")
    conn.execute("DELETE FROM aliases WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = aliases.entity_id)")
    conn.execute("DELETE FROM relations WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = relations.src)"
                 " OR NOT EXISTS (SELECT 1 FROM entities e WHERE e.entity_id = relations.dst)")


class EntityReader:
    """Read side of the graph tables."""

    def __init__(self, conn_factory):
        self._conn = conn_factory

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn()

    def entity_for_key(self, key: str) -> str | None:
        row = self.conn.execute("SELECT entity_id FROM aliases WHERE key = ? LIMIT 1", (key,)).fetchone()
        return row[0] if row else None

    def place_family(self, name: str) -> list[tuple[str, str]]:
        """(entity id, name) of the place called `name` (or an alias of it) and every place inside it."""
        row = self.conn.execute(
            "SELECT a.entity_id FROM aliases a JOIN entities e ON e.entity_id = a.entity_id"
            " WHERE e.type = 'place' AND (a.alias = ? OR e.name = ?) LIMIT 1", (name, name)).fetchone()
        if row is None:  # a name without its suffix: 湖北 for 湖北省
            row = self.conn.execute(
                "SELECT entity_id FROM entities WHERE type = 'place' AND name LIKE ? || '%'"
                " AND length(name) - length(?) <= 3 ORDER BY length(name) LIMIT 1", (name, name)).fetchone()
        if row is None:
            return []
        return self.conn.execute(
            "WITH RECURSIVE inside(id) AS (SELECT ? UNION SELECT r.src FROM relations r JOIN inside ON r.dst = inside.id"
            " WHERE r.type = 'part_of' AND r.src LIKE 'place:%') SELECT e.entity_id, e.name FROM inside"
            " JOIN entities e ON e.entity_id = inside.id", (row[0],)).fetchall()

    def addressing(self, problem_ids: list[str]) -> list[str]:
        """Practices and measures with an `addresses` relation to any of these problems, strongest first."""
        if not problem_ids:
            return []
        marks = ",".join("?" * len(problem_ids))
        return [r[0] for r in self.conn.execute(
            f"SELECT src FROM relations WHERE type = 'addresses' AND dst IN ({marks}) GROUP BY src"
            " ORDER BY max(weight) DESC", problem_ids)]

    def first_mention(self, entity_id: str) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT num, doc_id FROM mentions WHERE entity_id = ? ORDER BY doc_id, num LIMIT 1",
                                (entity_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def nums_mentioning(self, entity_ids: Iterable[str]) -> set[int]:
        ids = list(entity_ids)
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {r[0] for r in self.conn.execute(f"SELECT DISTINCT num FROM mentions WHERE entity_id IN ({marks})", ids)}

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        ents = dict(self.conn.execute("SELECT type, count(*) FROM entities GROUP BY type"))
        rels = dict(self.conn.execute("SELECT type, count(*) FROM relations GROUP BY type"))
        return ents, rels

    def list(self, entity_type: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Entities with their aliases, mention and document counts and places, most documented first."""
        sql = ("SELECT e.entity_id, e.type, e.name, e.attributes, count(*), count(DISTINCT m.doc_id) FROM entities e"
               " JOIN mentions m ON m.entity_id = e.entity_id")
        args: list = []
        if entity_type:
            sql += " WHERE e.type = ?"
            args.append(entity_type)
        sql += " GROUP BY e.entity_id ORDER BY count(DISTINCT m.doc_id) DESC, count(*) DESC, e.entity_id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args.extend([limit, offset])
        rows = self.conn.execute(sql, args).fetchall()
        return [self._row(r) for r in rows]

    def get(self, entity_id: str) -> dict | None:
        row = self.conn.execute(
            "SELECT e.entity_id, e.type, e.name, e.attributes, count(m.num), count(DISTINCT m.doc_id) FROM entities e"
            " LEFT JOIN mentions m ON m.entity_id = e.entity_id WHERE e.entity_id = ? GROUP BY e.entity_id",
            (entity_id,)).fetchone()
        return self._row(row) if row else None

    def _row(self, r) -> dict:
        aliases = [a for (a,) in self.conn.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias",
                                                   (r[0],)) if a != r[2]]
        places = [p for (p,) in self.conn.execute(
            "SELECT e.name FROM relations r JOIN entities e ON e.entity_id = r.dst WHERE r.src = ? AND r.type ="
            " 'applied_in' ORDER BY r.weight DESC, e.name", (r[0],))]
        return {"id": r[0], "type": r[1], "name": r[2], "aliases": aliases, "mentions": r[4], "documents": r[5],
                "places": places, "attributes": json.loads(r[3] or "{}")}

    def mentions(self, entity_id: str, limit: int = 50) -> list[tuple[int, str, int, int, str]]:
        """(passage number, doc_id, start, end, surface) of an entity's mentions."""
        return self.conn.execute("SELECT num, doc_id, start, end, surface FROM mentions WHERE entity_id = ?"
                                 " ORDER BY doc_id, num LIMIT ?", (entity_id, limit)).fetchall()

    def relations(self, entity_id: str | None = None) -> list[tuple[str, str, str, float, list[int]]]:
        """(src, dst, type, weight, evidence passage numbers) touching an entity, or all of them."""
        sql = "SELECT rid, src, dst, type, weight FROM relations"
        args: tuple = ()
        if entity_id:
            sql += " WHERE src = ? OR dst = ?"
            args = (entity_id, entity_id)
        out = []
        for rid, src, dst, rtype, weight in self.conn.execute(sql + " ORDER BY weight DESC", args).fetchall():
            nums = [n for (n,) in self.conn.execute(
                "SELECT DISTINCT num FROM relation_evidence WHERE rid = ? ORDER BY num", (rid,))]
            out.append((src, dst, rtype, weight, nums))
        return out

    def entities_in(self, nums: Iterable[int]) -> dict[int, list[tuple[str, str, str]]]:
        """(id, name, type) of the entities mentioned in each passage."""
        nums = list(nums)
        out: dict[int, list[tuple[str, str, str]]] = {}
        for i in range(0, len(nums), 500):
            chunk = nums[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for num, eid, name, etype in self.conn.execute(
                    "SELECT DISTINCT m.num, e.entity_id, e.name, e.type FROM mentions m JOIN entities e"
                    f" ON e.entity_id = m.entity_id WHERE m.num IN ({marks}) ORDER BY m.num, m.start", chunk):
                out.setdefault(num, []).append((eid, name, etype))
        return out
