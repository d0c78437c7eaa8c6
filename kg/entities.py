"""Entity, mention and relation tables of the store: writes inside a document's transaction, and reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.types import PLACE_WITHIN
from kg.records import (
    EntityInfo,
    Evidence,
    EvidencedRelation,
    NamedEntity,
    StoredMention,
    StoredRelation,
)


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


def _eid(conn: sqlite3.Connection, entity_id: str) -> int | None:
    row = conn.execute("SELECT eid FROM entities WHERE entity_id = ?", (entity_id,)).fetchone()
    return row[0] if row else None


# Places a place filter starts from, read in one recursive query each this many (a province's `within` may
# name thousands; SQLite allows 32,766 parameters, PostgreSQL 65,535).
ROOTS_PER_QUERY = 500


def alias_of(surface: str, name: str) -> str:
    """How the text writes a name, as an alias: the mention's surface without outer quotation marks, the
    marks inside balanced. A mention may start inside a quotation (三联三帮”机制 of “三联三帮”机制) or end
    inside one (层层打“折扣 of 层层打“折扣”); an odd number of straight marks, whose side cannot be told,
    are left out.

    >>> alias_of("三联三帮”机制", "三联三帮机制"), alias_of("层层打“折扣", "责任落实不到位")
    ('“三联三帮”机制', '层层打“折扣”')
    >>> alias_of('说、议"四步工作法', "四步工作法"), alias_of("“红色物业”", "红色物业"), alias_of("", "积分制")
    ('说、议四步工作法', '红色物业', '积分制')
    """
    text = surface.strip("“”\"'")
    depth, opened = 0, 0
    for ch in text:
        if ch == "“":
            depth += 1
        elif ch == "”":
            if depth:
                depth -= 1
            else:
                opened += 1  # a closing mark whose opening lies before the mention
    text = "“" * opened + text + "”" * depth
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text or name


def write_graph(conn: sqlite3.Connection, doc_id: str, nums: list[int], mentions: Iterable[NewMention],
                relations: Iterable[NewRelation]) -> None:
    """Insert a document's entities, aliases, mentions and relations (inside its transaction).

    Rows refer to entities by their integer `eid`; a mention's surface is stored empty when it is the name.
    """
    eids: dict[str, int] = {}
    for m in mentions:
        if m.entity_id not in eids and _eid(conn, m.entity_id) is None:
            # resolved again under the write lock: another writer may have stored this name's entity since
            # the mention was resolved (the same query as EntityReader.entity_for_key)
            row = conn.execute("SELECT eid FROM aliases WHERE key = ? LIMIT 1", (m.key,)).fetchone()
            if row:
                eids[m.entity_id] = row[0]
        if m.entity_id not in eids:
            conn.execute("INSERT INTO entities(entity_id, type, name, attributes) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT DO NOTHING",
                         (m.entity_id, m.type, m.name, json.dumps(m.attributes, ensure_ascii=False)))
            eids[m.entity_id] = _eid(conn, m.entity_id)
        eid = eids[m.entity_id]
        if m.attributes.get("by") != "meaning":  # a passage placed by meaning names nothing: no alias
            conn.execute("INSERT INTO aliases(eid, alias, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                         (eid, alias_of(m.surface, m.name), m.key))
        conn.execute("INSERT INTO aliases(eid, alias, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                     (eid, m.name, m.key))
        conn.execute("INSERT INTO mentions(eid, num, doc_id, start, \"end\", surface) VALUES (?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT DO NOTHING",
                     (eid, nums[m.passage_index], doc_id, m.start, m.end, "" if m.surface == m.name else m.surface))
    write_relations(conn, [EvidencedRelation(r.src, r.dst, r.type, r.weight,
                                             tuple(Evidence(nums[i], doc_id) for i in r.passage_indexes))
                           for r in relations], eids)


def write_relations(conn: sqlite3.Connection, relations: Iterable[EvidencedRelation],
                    eids: dict[str, int] | None = None) -> None:
    """Insert relations between stored entities with their evidence; a relation to an entity that is not
    stored is skipped. `eids` holds entity ids resolved to stored entities."""
    eids = eids or {}
    for r in relations:
        src_eid, dst_eid = eids.get(r.src) or _eid(conn, r.src), eids.get(r.dst) or _eid(conn, r.dst)
        if src_eid is None or dst_eid is None:
            continue
        rid = conn.execute("INSERT INTO relations(src, dst, type, weight) VALUES (?, ?, ?, ?)"
                           " ON CONFLICT(src, dst, type) DO UPDATE SET weight = CASE"
                           " WHEN excluded.weight > relations.weight THEN excluded.weight ELSE relations.weight END"
                           " RETURNING rid", (src_eid, dst_eid, r.type, r.weight)).fetchone()[0]
        conn.executemany("INSERT INTO relation_evidence(rid, num) VALUES (?, ?) ON CONFLICT DO NOTHING",
                         [(rid, e.num) for e in r.evidence])


def forget_document(conn: sqlite3.Connection, doc_id: str, removed: Iterable[int]) -> None:
    """Remove what only this document evidenced: its mentions, the evidence in its passages that no other
    document holds (`removed`), relations left without evidence, orphaned entities. Evidence rows carry no
    document (a passage kept for another document still evidences its relations), which keeps them small;
    removal scans them, which is rare and cheap next to ingest."""
    conn.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
    removed = list(removed)
    for i in range(0, len(removed), 500):
        chunk = removed[i : i + 500]
        conn.execute(f"DELETE FROM relation_evidence WHERE num IN ({','.join('?' * len(chunk))})", chunk)
    conn.execute("DELETE FROM relations WHERE NOT EXISTS"
                 " (SELECT 1 FROM relation_evidence e WHERE e.rid = relations.rid)")
    conn.execute("DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.eid = entities.eid)")
    conn.execute("DELETE FROM aliases WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.eid = aliases.eid)")
    conn.execute("DELETE FROM relations WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.eid = relations.src)"
                 " OR NOT EXISTS (SELECT 1 FROM entities e WHERE e.eid = relations.dst)")


class EntityReader:
    """Read side of the graph tables."""

    def __init__(self, conn_factory):
        self._conn = conn_factory

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn()

    def entity_for_key(self, key: str) -> str | None:
        row = self.conn.execute("SELECT e.entity_id FROM aliases a JOIN entities e ON e.eid = a.eid WHERE a.key = ?"
                                " LIMIT 1", (key,)).fetchone()
        return row[0] if row else None

    def place_family(self, name: str) -> list[tuple[str, str]]:
        """(entity id, name) of the place called `name` (or an alias of it) and every place inside it: linked to
        it by `part_of`, or holding it in the chain of places around it (`within`: 成都高新区 is inside 四川省
        though no report names the province), and the places inside those."""
        row = self.conn.execute(
            "SELECT e.eid FROM aliases a JOIN entities e ON e.eid = a.eid"
            " WHERE e.type = 'place' AND (a.alias = ? OR e.name = ?) LIMIT 1", (name, name)).fetchone()
        if row is None:  # a name without its suffix: 湖北 for 湖北省
            row = self.conn.execute(
                "SELECT eid FROM entities WHERE type = 'place' AND substr(name, 1, length(?)) = ?"
                " AND length(name) - length(?) <= 3 ORDER BY length(name), eid LIMIT 1", (name, name, name)).fetchone()
        roots = list(dict.fromkeys(([row[0]] if row else []) + self._held_by(name)))
        out: dict[str, str] = {}
        for i in range(0, len(roots), ROOTS_PER_QUERY):
            chunk = roots[i:i + ROOTS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            # BIGINT, the type of PostgreSQL's eid: a recursive query's terms must agree (SQLite reads INTEGER)
            out.update(self.conn.execute(
                f"WITH RECURSIVE inside(id) AS (SELECT CAST(eid AS BIGINT) FROM entities WHERE eid IN ({marks}) UNION"
                " SELECT r.src FROM relations r JOIN inside ON r.dst = inside.id"
                " JOIN entities s ON s.eid = r.src WHERE r.type = 'part_of' AND s.type = 'place')"
                " SELECT e.entity_id, e.name FROM inside JOIN entities e ON e.eid = inside.id", chunk).fetchall())
        return list(out.items())

    def _held_by(self, name: str) -> list[int]:
        """Places whose chain of holding places (`within`) names `name`, or a name it shortens (四川 of 四川省)."""
        if not name.strip():
            return []
        out = []
        for eid, attributes in self.conn.execute(
                "SELECT eid, attributes FROM entities WHERE type = 'place' AND attributes LIKE ? ORDER BY eid",
                (f"%{name}%",)):
            within = json.loads(attributes or "{}").get(PLACE_WITHIN, [])
            if any(w == name or (w.startswith(name) and len(w) - len(name) <= 3) for w in within):
                out.append(eid)
        return out

    def addressing(self, problem_ids: list[str]) -> list[str]:
        """Practices and measures with an `addresses` relation to any of these problems, strongest first."""
        if not problem_ids:
            return []
        marks = ",".join("?" * len(problem_ids))
        return [r[0] for r in self.conn.execute(
            "SELECT s.entity_id FROM relations r JOIN entities s ON s.eid = r.src JOIN entities d ON d.eid = r.dst"
            f" WHERE r.type = 'addresses' AND d.entity_id IN ({marks}) GROUP BY s.entity_id"
            " ORDER BY max(r.weight) DESC, s.entity_id", problem_ids)]

    def first_mention(self, entity_id: str) -> Evidence | None:
        """The passage and document of an entity's first mention (by document id, then passage number)."""
        row = self.conn.execute("SELECT m.num, m.doc_id FROM mentions m JOIN entities e ON e.eid = m.eid"
                                " WHERE e.entity_id = ? ORDER BY m.doc_id, m.num LIMIT 1", (entity_id,)).fetchone()
        return Evidence(row[0], row[1]) if row else None

    def nums_mentioning(self, entity_ids: Iterable[str]) -> set[int]:
        ids = list(entity_ids)
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {r[0] for r in self.conn.execute("SELECT DISTINCT m.num FROM mentions m JOIN entities e ON e.eid = m.eid"
                                                f" WHERE e.entity_id IN ({marks})", ids)}

    def document_counts(self) -> dict[str, int]:
        """Each mentioned entity's number of documents (`documents` of `get`), all in one query."""
        return dict(self.conn.execute("SELECT e.entity_id, count(DISTINCT m.doc_id) FROM entities e"
                                      " JOIN mentions m ON m.eid = e.eid GROUP BY e.eid"))

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        ents = dict(self.conn.execute("SELECT type, count(*) FROM entities GROUP BY type ORDER BY type"))
        rels = dict(self.conn.execute("SELECT type, count(*) FROM relations GROUP BY type ORDER BY type"))
        return ents, rels

    def list(self, entity_type: str | None = None, limit: int | None = None, offset: int = 0) -> list[EntityInfo]:
        """Entities with their aliases, mention and document counts and places, most documented first."""
        sql = ("SELECT e.entity_id, e.type, e.name, e.attributes, count(*), count(DISTINCT m.doc_id), e.eid"
               " FROM entities e JOIN mentions m ON m.eid = e.eid")
        args: list = []
        if entity_type:
            sql += " WHERE e.type = ?"
            args.append(entity_type)
        sql += " GROUP BY e.eid ORDER BY count(DISTINCT m.doc_id) DESC, count(*) DESC, e.entity_id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args.extend([limit, offset])
        rows = self.conn.execute(sql, args).fetchall()
        return [self._row(r) for r in rows]

    def get(self, entity_id: str) -> EntityInfo | None:
        row = self.conn.execute(
            "SELECT e.entity_id, e.type, e.name, e.attributes, count(m.num), count(DISTINCT m.doc_id), e.eid"
            " FROM entities e LEFT JOIN mentions m ON m.eid = e.eid WHERE e.entity_id = ? GROUP BY e.eid",
            (entity_id,)).fetchone()
        return self._row(row) if row else None

    def get_many(self, entity_ids: Iterable[str]) -> dict[str, EntityInfo]:
        """`get` of several entities in three statements per 500 (those that exist)."""
        ids = list(dict.fromkeys(entity_ids))
        out: dict[str, EntityInfo] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.conn.execute(
                "SELECT e.entity_id, e.type, e.name, e.attributes, count(m.num), count(DISTINCT m.doc_id), e.eid"
                " FROM entities e LEFT JOIN mentions m ON m.eid = e.eid"
                f" WHERE e.entity_id IN ({','.join('?' * len(chunk))}) GROUP BY e.eid", chunk).fetchall()
            eids = [r[6] for r in rows]
            if not eids:
                continue
            marks = ",".join("?" * len(eids))
            aliases: dict[int, list[str]] = {}
            for eid, alias in self.conn.execute(
                    f"SELECT eid, alias FROM aliases WHERE eid IN ({marks}) ORDER BY eid, alias", eids):
                aliases.setdefault(eid, []).append(alias)
            places: dict[int, list[str]] = {}
            for src, name in self.conn.execute(
                    "SELECT r.src, e.name FROM relations r JOIN entities e ON e.eid = r.dst WHERE r.src IN"
                    f" ({marks}) AND r.type = 'applied_in' ORDER BY r.src, r.weight DESC, e.name", eids):
                places.setdefault(src, []).append(name)
            for r in rows:
                out[r[0]] = EntityInfo(r[0], r[1], r[2], tuple(a for a in aliases.get(r[6], []) if a != r[2]),
                                       r[4], r[5], tuple(places.get(r[6], [])), json.loads(r[3] or "{}"))
        return out

    def _row(self, r) -> EntityInfo:
        aliases = tuple(a for (a,) in self.conn.execute("SELECT alias FROM aliases WHERE eid = ? ORDER BY alias",
                                                        (r[6],)) if a != r[2])
        places = tuple(p for (p,) in self.conn.execute(
            "SELECT e.name FROM relations r JOIN entities e ON e.eid = r.dst WHERE r.src = ? AND r.type ="
            " 'applied_in' ORDER BY r.weight DESC, e.name", (r[6],)))
        return EntityInfo(r[0], r[1], r[2], aliases, r[4], r[5], places, json.loads(r[3] or "{}"))

    def mentions(self, entity_id: str, limit: int = 50) -> list[StoredMention]:
        """An entity's mentions, by document and passage number."""
        return [StoredMention(*row) for row in self.conn.execute(
            "SELECT m.num, m.doc_id, m.start, m.\"end\", CASE WHEN m.surface = '' THEN e.name ELSE m.surface END"
            " FROM mentions m JOIN entities e ON e.eid = m.eid WHERE e.entity_id = ? ORDER BY m.doc_id, m.num LIMIT ?",
            (entity_id, limit))]

    def relations(self, entity_id: str | None = None) -> list[StoredRelation]:
        """The relations touching an entity, or all of them, strongest first."""
        sql = ("SELECT r.rid, s.entity_id, d.entity_id, r.type, r.weight FROM relations r"
               " JOIN entities s ON s.eid = r.src JOIN entities d ON d.eid = r.dst")
        args: tuple = ()
        if entity_id:
            eid = _eid(self.conn, entity_id)
            if eid is None:
                return []
            sql += " WHERE r.src = ? OR r.dst = ?"
            args = (eid, eid)
        out = []
        for rid, src, dst, rtype, weight in self.conn.execute(sql + " ORDER BY r.weight DESC, r.rid", args).fetchall():
            nums = tuple(n for (n,) in self.conn.execute(
                "SELECT DISTINCT num FROM relation_evidence WHERE rid = ? ORDER BY num", (rid,)))
            out.append(StoredRelation(src, dst, rtype, weight, nums))
        return out

    def first_mentions(self, num: int) -> list[NamedEntity]:
        """Each entity mentioned in one passage, at its first mention there, in order of that mention."""
        return [NamedEntity(*row) for row in self.conn.execute(
            "SELECT e.entity_id, e.name, e.type, min(m.start) AS first FROM mentions m JOIN entities e"
            " ON e.eid = m.eid WHERE m.num = ? GROUP BY e.eid ORDER BY first, e.type, e.entity_id", (num,))]

    def entities_in(self, nums: Iterable[int]) -> dict[int, list[NamedEntity]]:
        """The entities mentioned in each passage, in order of their first mention there."""
        nums = list(nums)
        out: dict[int, list[NamedEntity]] = {}
        for i in range(0, len(nums), 500):
            chunk = nums[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for num, eid, name, etype, first in self.conn.execute(
                    "SELECT m.num, e.entity_id, e.name, e.type, min(m.start) FROM mentions m JOIN entities e"
                    f" ON e.eid = m.eid WHERE m.num IN ({marks}) GROUP BY m.num, e.eid ORDER BY m.num, min(m.start),"
                    " e.entity_id", chunk):
                out.setdefault(num, []).append(NamedEntity(eid, name, etype, first))
        return out
