"""`djkg ingest --workers N` and several ingest processes on one PostgreSQL give the store one command gives."""

from __future__ import annotations

import subprocess

from kg.backends import open_store
from tests.conftest import CORPUS, djkg_command


def summary(db) -> dict:
    """What a store holds, without its row numbers and times: documents with their passages' texts, entities
    with their aliases and evidence, relations with their weights."""
    store = open_store(db)
    try:
        docs = sorted((d.doc_id, d.title, d.place) for d in store.documents())
        passages = {doc_id: [p.text for p in store.document_passages(doc_id)] for doc_id, *_ in docs}
        entities = sorted((e.id, e.type, tuple(sorted(e.aliases)), e.mentions, e.documents)
                          for e in store.graph.list(None))
        relations = sorted((r.src, r.dst, r.type, round(r.weight, 6)) for e in entities
                           for r in store.graph.relations(e[0]))
        return {"documents": docs, "passages": passages, "entities": entities, "relations": relations,
                "words": sorted(store.user_words()), "counts": store.counts()}
    finally:
        store.close()


def ingest(db, paths, env, *extra) -> subprocess.Popen:
    return subprocess.Popen([*djkg_command(), "ingest", *map(str, paths), "--db", str(db), "--quiet", *extra],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0 and "\nskip " not in "\n" + out, out + err
    return out


def test_workers_give_the_store_of_one_process(demo_store, tmp_path, cli_env):
    finished(ingest(tmp_path / "store", [CORPUS], cli_env, "--workers", "2"))
    assert summary(tmp_path / "store") == summary(demo_store)


def test_two_ingest_processes_on_one_postgresql_give_the_store_of_one(postgres, demo_pg, cli_env):
    """Half the corpus each, at the same time, plus one file both take: documents, passages, entities and
    relations as one `djkg ingest` of the whole corpus stores them (demo_pg)."""
    url = postgres.database()
    subprocess.run([*djkg_command(), "init", "--db", url], env=cli_env, check=True, capture_output=True)
    files = sorted(CORPUS.iterdir())
    both = [ingest(url, files[0::2] + files[3:], cli_env), ingest(url, files[1::2], cli_env, "--workers", "2")]
    for proc in both:
        finished(proc)
    assert summary(url) == summary(demo_pg)
    postgres.drop(url)
