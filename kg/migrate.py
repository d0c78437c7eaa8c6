"""Copy a whole store into an empty one (SQLite → PostgreSQL, or back), ids and vectors included."""

from __future__ import annotations

from collections.abc import Callable

from kg.errors import StoreError
from kg.schema import TABLES
from kg.store import Store

BATCH = 1000
# meta rows that belong to the target store itself (its schema, its write counter) and are not copied
OWN_META = ("schema_version", "generation", "model", "dim")


def copy_store(source: Store, target: Store, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every row of `source` into `target`, which must hold no documents; one transaction, so a failed
    copy leaves the target empty. Returns the rows copied per table."""
    if target.counts().documents:
        raise StoreError(f"{target.location} already holds documents; migrate into an empty store")
    model, dim = source.get_meta("model"), source.get_meta("dim")
    if model is not None:
        target.check_model(model, int(dim or 0))
    copied: dict[str, int] = {}
    with target.transaction() as out:
        for table in TABLES:
            if table == "meta":
                continue
            columns = [d[0] for d in source.conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
            vector_at = columns.index(source.VECTOR_COLUMN) if table == "passages" else -1
            names = [target.VECTOR_COLUMN if i == vector_at else c for i, c in enumerate(columns)]
            quoted = ", ".join(f'"{c}"' for c in names)
            insert = f"INSERT INTO {table}({quoted}) VALUES ({', '.join('?' * len(names))})"
            cursor = source.conn.execute(f"SELECT * FROM {table} ORDER BY 1")
            copied[table] = 0
            while rows := cursor.fetchmany(BATCH):
                if vector_at >= 0:
                    rows = [(*r[:vector_at], target.vector_param(source.vector_blob(r[vector_at])), *r[vector_at + 1:])
                            for r in rows]
                out.executemany(insert, rows)
                copied[table] += len(rows)
                if progress:
                    progress(table, copied[table])
        for key, value in source.conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall():
            if key not in OWN_META:
                out.execute("INSERT INTO meta(key, value) VALUES (?, ?)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
        target.after_copy(out)
    return copied
