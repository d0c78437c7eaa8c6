"""One factory for the store: a folder is a SQLite store, a postgresql:// URL a PostgreSQL one."""

from __future__ import annotations

from pathlib import Path

from kg.cache import LocalStore
from kg.store import Store


def is_url(db: str | Path) -> bool:
    """Whether `--db` names a PostgreSQL server rather than a folder."""
    return isinstance(db, str) and db.startswith(("postgresql://", "postgres://"))


def open_store(db: str | Path, create: bool = False) -> Store:
    """The store `db` names. A SQLite folder is created on first use; a PostgreSQL database gets its tables
    from `djkg init` (`create=True`), and opening one without them says so."""
    if is_url(db):
        from kg.postgres import PostgresStore  # psycopg is needed only for PostgreSQL

        return PostgresStore(str(db), create=create)
    return LocalStore(db)
