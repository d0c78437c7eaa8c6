"""Store: idempotent re-ingest, remove, model check, consistency after a killed ingest."""

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from kg.errors import ModelMismatchError
from kg.store import Store
from tests.conftest import CORPUS, FIXTURES


def test_reingest_is_a_noop(fake_engine):
    first = fake_engine.ingest([CORPUS])
    before = fake_engine.stats()
    second = fake_engine.ingest([CORPUS])
    assert sum(r.documents for r in first) >= 15
    assert sum(r.documents for r in second) == 0
    assert sum(r.unchanged for r in second) == sum(r.documents for r in first)
    assert fake_engine.stats() == before


def test_remove_deletes_document_and_orphans(fake_engine):
    fake_engine.ingest([CORPUS])
    docs = fake_engine.store.documents()
    target = docs[0]["doc_id"]
    own = fake_engine.store.document_passages(target)
    before = fake_engine.stats()["passages"]
    removed = fake_engine.remove(target)
    assert removed == len(own)
    assert fake_engine.stats()["passages"] == before - removed
    assert not fake_engine.store.has_document(target)
    conn = fake_engine.store.conn
    assert conn.execute("SELECT count(*) FROM occurrences WHERE doc_id = ?", (target,)).fetchone()[0] == 0
    hits = fake_engine.search(own[0].text[:30], k=10)
    assert all(h.doc_id != target for h in hits.hits)
    assert fake_engine.ingest([CORPUS])[0].documents >= 0  # the removed document can come back
    assert fake_engine.store.has_document(target)


def test_duplicate_passages_are_stored_once_with_all_sources(fake_engine, tmp_path):
    text = (CORPUS / "000_78f7f8700922f765.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text("关于基层党建工作的报告\n" + text, encoding="utf-8")
    fake_engine.ingest([CORPUS / "000_78f7f8700922f765.txt"])
    passages = fake_engine.stats()["passages"]
    report = fake_engine.ingest([copy])[0]
    assert report.documents == 1
    assert fake_engine.stats()["passages"] <= passages + 2
    shared = fake_engine.store.conn.execute(
        "SELECT num FROM occurrences GROUP BY num HAVING count(DISTINCT doc_id) > 1"
    ).fetchall()
    assert shared
    assert len(fake_engine.store.sources_of(shared[0][0])) == 2


def test_store_refuses_another_model(tmp_path):
    store = Store(tmp_path)
    store.check_model("m3e-small", 512)
    with pytest.raises(ModelMismatchError, match="m3e-small.*other-model"):
        store.check_model("other-model", 384)


def test_killed_ingest_leaves_a_consistent_store(tmp_path):
    """Kill a real ingest process mid-batch; the store must open and every document be whole."""
    db = tmp_path / "store"
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
        f"Engine(EngineConfig(db_dir=r'{db}', lexicon_dir=DEFAULT_LEXICON), encoder=FakeEncoder()).ingest([r'{many}'])"
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        if (db / "djkg.sqlite").exists():
            try:
                with sqlite3.connect(db / "djkg.sqlite", timeout=5) as conn:
                    if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 3:
                        break
            except sqlite3.OperationalError:
                continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(db)
    conn = store.conn
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < docs
    orphans = conn.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.doc_id = d.doc_id)"
    ).fetchone()[0]
    assert orphans == 0
    dangling = conn.execute("SELECT count(*) FROM occurrences WHERE num NOT IN (SELECT num FROM passages)").fetchone()[
        0
    ]
    assert dangling == 0
    assert FIXTURES.exists()


def test_near_duplicate_passages_are_stored_once(fake_engine, tmp_path):
    original = (CORPUS / "000_78f7f8700922f765.txt").read_text(encoding="utf-8")
    fake_engine.ingest([CORPUS / "000_78f7f8700922f765.txt"])
    before = fake_engine.stats()["passages"]
    # A re-post of the same report: other punctuation and a changed character or two per paragraph.
    variant = original.replace(",", "，").replace("工作", "工做", 3).replace("。", "！", 2)
    copy = tmp_path / "repost.txt"
    copy.write_text(variant, encoding="utf-8")
    report = fake_engine.ingest([copy])[0]
    assert report.documents == 1
    added = fake_engine.stats()["passages"] - before
    assert added <= 3, f"{added} of {report.passages} passages were stored again"
    shared = fake_engine.store.conn.execute(
        "SELECT count(*) FROM (SELECT num FROM occurrences GROUP BY num HAVING count(DISTINCT doc_id) = 2)"
    ).fetchone()[0]
    assert shared >= report.passages - 3
