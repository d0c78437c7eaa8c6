"""Store: idempotent re-ingest, remove, model check, consistency after a killed ingest."""

import signal
import sqlite3
import subprocess
import sys
import time

import psycopg
import pytest

from kg.backends import open_store
from kg.errors import ModelMismatchError
from tests.conftest import CORPUS


def test_reingest_is_a_noop(backend_engine):
    first = backend_engine.ingest([CORPUS])
    before = backend_engine.stats()
    second = backend_engine.ingest([CORPUS])
    assert sum(r.documents for r in first) >= 15
    assert sum(r.documents for r in second) == 0
    assert sum(r.unchanged for r in second) == sum(r.documents for r in first)
    assert backend_engine.stats() == before


def test_remove_deletes_document_and_orphans(backend_engine):
    backend_engine.ingest([CORPUS])
    docs = backend_engine.store.documents()
    target = docs[0].doc_id
    own = backend_engine.store.document_passages(target)
    before = backend_engine.stats()["passages"]
    removed = backend_engine.remove(target)
    assert removed == len(own)
    assert backend_engine.stats()["passages"] == before - removed
    assert not backend_engine.store.has_document(target)
    conn = backend_engine.store.conn
    assert conn.execute("SELECT count(*) FROM occurrences WHERE doc_id = ?", (target,)).fetchone()[0] == 0
    hits = backend_engine.search(own[0].text[:30], k=10)
    assert all(h.doc_id != target for h in hits.hits)
    assert backend_engine.ingest([CORPUS])[0].documents >= 0  # the removed document can come back
    assert backend_engine.store.has_document(target)


def test_duplicate_passages_are_stored_once_with_all_sources(backend_engine, tmp_path):
    text = (CORPUS / "000_78f7f8700922f765.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text("关于基层党建工作的报告\n" + text, encoding="utf-8")
    backend_engine.ingest([CORPUS / "000_78f7f8700922f765.txt"])
    passages = backend_engine.stats()["passages"]
    report = backend_engine.ingest([copy])[0]
    assert report.documents == 1
    assert backend_engine.stats()["passages"] <= passages + 2
    shared = backend_engine.store.conn.execute(
        "SELECT num FROM occurrences GROUP BY num HAVING count(DISTINCT doc_id) > 1"
    ).fetchall()
    assert shared
    assert len(backend_engine.store.sources_of(shared[0][0])) == 2


def test_store_refuses_another_model(store_db):
    store = open_store(store_db)
    store.check_model("m3e-small", 512)
    with pytest.raises(ModelMismatchError, match="m3e-small.*other-model"):
        store.check_model("other-model", 384)


def _documents(db) -> int:
    """Documents committed so far, read without creating the store."""
    if isinstance(db, str):
        with psycopg.connect(db, autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    if not (db / "djkg.sqlite").exists():
        return 0
    try:
        with sqlite3.connect(db / "djkg.sqlite", timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_ingest_leaves_a_consistent_store(store_db, tmp_path):
    """Kill a real ingest process mid-batch; the store must open and every document be whole."""
    db = store_db
    many = tmp_path / "many"
    many.mkdir()
    base = (CORPUS / "001_bd97441f39be4d57.txt").read_text(encoding="utf-8")
    for i in range(40):
        (many / f"r{i:02d}.txt").write_text(
            f"第{i}号调研报告\n" + base.replace("2024", str(1990 + i)), encoding="utf-8"
        )
    script = (
        "import sys; from tests.conftest import FakeEncoder; from search.engine import Engine, EngineConfig;"
        "from api.settings import DEFAULT_LEXICON;"
        f"Engine(EngineConfig(db={str(db)!r}, lexicon_dir=DEFAULT_LEXICON, state_dir={str(tmp_path / 'state')!r}),"
        f" encoder=FakeEncoder()).ingest([r'{many}'])"
    )
    if not isinstance(db, str):
        script = script.replace(f"db={str(db)!r}", f"db=__import__('pathlib').Path({str(db)!r})")
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while time.time() < deadline and _documents(db) < 3:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = open_store(db)
    conn = store.conn
    if not isinstance(db, str):
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < docs < 40
    orphans = conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.doc_id = d.doc_id)"
    ).fetchone()[0]
    assert orphans == 0
    dangling = conn.execute("SELECT count(*) FROM occurrences WHERE num NOT IN (SELECT num FROM passages)").fetchone()[
        0
    ]
    assert dangling == 0
    store.close()


def test_near_duplicate_passages_are_stored_once(backend_engine, tmp_path):
    original = (CORPUS / "000_78f7f8700922f765.txt").read_text(encoding="utf-8")
    backend_engine.ingest([CORPUS / "000_78f7f8700922f765.txt"])
    before = backend_engine.stats()["passages"]
    # A re-post of the same report: other punctuation and a changed character or two per paragraph.
    variant = original.replace(",", "，").replace("工作", "工做", 3).replace("。", "！", 2)
    copy = tmp_path / "repost.txt"
    copy.write_text(variant, encoding="utf-8")
    report = backend_engine.ingest([copy])[0]
    assert report.documents == 1
    added = backend_engine.stats()["passages"] - before
    assert added <= 3, f"{added} of {report.passages} passages were stored again"
    shared = backend_engine.store.conn.execute(
        "SELECT count(*) FROM (SELECT num FROM occurrences GROUP BY num HAVING count(DISTINCT doc_id) = 2)"
    ).fetchone()[0]
    assert shared >= report.passages - 3
