"""Several `djkg serve` processes on one PostgreSQL: a write through one is seen by the other within seconds."""

from __future__ import annotations

import time

import httpx

from tests.api.conftest import TOKEN, free_port
from tests.api.test_http import AUTH, report_text, wait_for
from tests.conftest import pg_copy, serve_process

# A write reaches another server's caches within the generation's max age (1 s) plus a request.
FOLLOW_S = 5.0
QUESTIONS = ["软弱涣散党组织整顿", "村集体经济薄弱怎么办", "三会一课流于形式"]


def _answer(base: str, query: str) -> list[tuple]:
    hits = httpx.get(f"{base}/search", params={"q": query, "k": 10}, timeout=60).json()["hits"]
    return [(h["passage_id"], h["doc_id"], h["score"]) for h in hits]


def _until(check, timeout_s: float = FOLLOW_S) -> float:
    """Seconds until `check()` holds; fails after `timeout_s`."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout_s, f"not within {timeout_s} s"
        time.sleep(0.1)
    return time.monotonic() - started


def test_two_servers_on_one_postgresql_see_each_others_writes(postgres, demo_store, cli_env, tmp_path):
    url = pg_copy(postgres, demo_store)
    servers = []
    try:
        for name in ("a", "b"):
            env = {**cli_env, "DJKG_API_TOKEN": TOKEN, "DJKG_STATE": str(tmp_path / name)}
            port = free_port()
            servers.append((serve_process(url, port, env), f"http://127.0.0.1:{port}"))
        (_, a), (_, b) = servers
        for query in QUESTIONS:
            assert _answer(a, query) == _answer(b, query)

        text = report_text(91, "关于晨光议事会建设情况的调研报告", "晨光议事会")
        job = httpx.post(f"{a}/documents", json={"text": text}, headers=AUTH, timeout=60).json()
        with httpx.Client(base_url=a, timeout=60) as http:
            done = wait_for(http, job["job_id"])
        doc_id = done["doc_ids"][0]
        assert _answer(a, "晨光议事会")[0][1] == doc_id
        # b answers as a does: the new passages, and the new word “晨光议事会” kept whole by its tokenizer
        _until(lambda: _answer(b, "晨光议事会") == _answer(a, "晨光议事会"))
        for query in QUESTIONS:
            assert _answer(a, query) == _answer(b, query)
        assert httpx.get(f"{b}/documents/{doc_id}").status_code == 200

        assert httpx.delete(f"{b}/documents/{doc_id}", headers=AUTH, timeout=60).status_code == 200
        _until(lambda: all(d != doc_id for _, d, _ in _answer(a, "晨光议事会")))
        _until(lambda: _answer(a, "晨光议事会") == _answer(b, "晨光议事会"))
        assert httpx.get(f"{a}/documents/{doc_id}").status_code == 404
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=30)
        postgres.drop(url)
