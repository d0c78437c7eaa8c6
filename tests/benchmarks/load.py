"""HTTP load test: concurrent mixed requests against a running `djkg serve` on 127.0.0.1, with an ingest.

    python -m tests.benchmarks.load [--db DIR] [--seconds 60] [--concurrency 8] [--out bench-results/load.json]
                                    [--backend sqlite|postgresql] [--servers N]

Starts the server on a copy of the store (writes allowed with a throw-away token), or with `--backend
postgresql` copies the store into a PostgreSQL (started in a temporary folder by tests/pg.py, or DJKG_TEST_PG)
and starts `--servers` servers on it, each client thread using one of them; runs `concurrency`
client threads for `seconds` (search 60 %, experience 20 %, entity reads 20 %, distinct queries so the
query-embedding cache does not flatter the figures), uploads a document half-way so reads are measured
while an ingest runs, and reports req/s, p50/p95/p99 per kind, errors and 5xx. Loopback only; bounded
in time and count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.benchmarks.queries import benchmark_queries
from tests.benchmarks.server import djkg_command, free_port

TOKEN = "load-test-token"
MAX_REQUESTS = 100_000
UPLOAD = ("关于推进村级组织建设的调研报告\n一、存在的问题\n部分村集体经济薄弱,村级组织运转经费不足。\n"
          "二、主要做法\n推行“村社合一”模式,组建村级股份经济合作社,当年村集体经营性收入平均增长18%。\n")


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _start(db: Path | str, port: int, state: Path) -> subprocess.Popen:
    env = dict(os.environ, DJKG_API_TOKEN=TOKEN, DJKG_STATE=str(state))
    proc = subprocess.Popen([*djkg_command(), "serve", "--db", str(db), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not become ready")


def _requests(n: int) -> list[tuple[str, str, dict]]:
    _, searches, problems = benchmark_queries(min(n, 400))
    rng = random.Random(0)
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.6:
            out.append(("search", "/search", {"q": searches[i % len(searches)], "k": 10}))
        elif roll < 0.8:
            out.append(("experience", "/experience", {"problem": problems[i % len(problems)], "k": 10}))
        else:
            out.append(("entities", "/entities", {"type": rng.choice(["practice", "problem", "place"]),
                                                   "limit": 20, "offset": rng.randrange(0, 20)}))
    return out


@contextmanager
def _store_copy(db: Path, backend: str, folder: Path) -> Iterator[Path | str]:
    """A copy of the store `db` on `backend` that the load may write to."""
    if backend == "sqlite":
        shutil.copytree(db, folder / "store")
        yield folder / "store"
        return
    from kg.backends import open_store
    from kg.migrate import copy_store
    from tests.pg import PostgresForTests

    server = PostgresForTests()
    try:
        url = server.database()
        copy_store(open_store(db), open_store(url, create=True))
        yield url
    finally:
        server.close()


# Questions the load does not ask: a query the load asked is in each server's embedding cache as embedded in
# a batch of that server's (api/routes/batching.py), and a batch's padding moves the vector's last digits.
CHECK_QUESTIONS = ("村社合一", "村集体经营性收入怎么增长", "村级组织运转经费不足怎么办", "软弱涣散党组织如何整顿",
                   "组织生活会走过场", "流动党员管理难", "党建引领基层治理的做法", "第一书记驻村帮扶")


def _answers(bases: list[str], queries: tuple[str, ...]) -> bool:
    """Whether every server gives the same hits, with the same scores, for each query."""
    def hits(base: str, query: str) -> list:
        body = httpx.get(f"{base}/search", params={"q": query, "k": 10}, timeout=60).json()
        return [(h["passage_id"], h["score"]) for h in body["hits"]]

    return all(len({json.dumps(hits(b, q)) for b in bases}) == 1 for q in queries)


def run_load(db: Path, seconds: float, concurrency: int, backend: str = "sqlite", servers: int = 1) -> dict:
    """Run the load against a copy of `db` on `backend` served by `servers` processes; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="djkg-load-") as tmp, _store_copy(db, backend, Path(tmp)) as store:
        ports = [free_port() for _ in range(servers)]
        procs = [_start(store, port, Path(tmp) / f"state{i}") for i, port in enumerate(ports)]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        plan = _requests(MAX_REQUESTS)
        cursor = iter(range(len(plan)))
        lock = threading.Lock()
        latencies: dict[str, list[float]] = {}
        codes: dict[int, int] = {}
        stop = time.perf_counter() + seconds

        def worker(base: str) -> None:
            with httpx.Client(base_url=base, timeout=60) as client:
                while time.perf_counter() < stop:
                    with lock:
                        i = next(cursor, None)
                    if i is None:
                        return
                    kind, path, params = plan[i]
                    t0 = time.perf_counter()
                    status = client.get(path, params=params).status_code
                    with lock:
                        latencies.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                        codes[status] = codes.get(status, 0) + 1

        threads = [threading.Thread(target=worker, args=(bases[i % servers],)) for i in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(seconds / 2)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        job = httpx.post(f"{bases[0]}/documents", json={"text": UPLOAD, "name": "load.txt"}, headers=headers).json()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        job_status = httpx.get(f"{bases[0]}/jobs/{job.get('job_id')}").json().get("status")
        time.sleep(2)  # the other servers follow the upload within the generation's max age
        same = _answers(bases, CHECK_QUESTIONS)
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)
    total = sum(codes.values())
    return {
        "backend": backend, "servers": servers,
        "seconds": round(wall, 1), "concurrency": concurrency, "requests": total,
        "req_per_s": round(total / wall, 1), "status_codes": codes,
        "errors_5xx": sum(n for c, n in codes.items() if c >= 500), "upload_job": job_status,
        "same_answers_on_every_server": same,
        "latency_ms": {kind: {"n": len(v), "p50": _percentile(v, 0.5), "p95": _percentile(v, 0.95),
                              "p99": _percentile(v, 0.99)} for kind, v in latencies.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="data/store", help="an ingested store (make demo builds data/store)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", default="bench-results/load.json")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="serve a copy of the store from this backend (default sqlite)")
    parser.add_argument("--servers", type=int, default=1, help="servers on the one store (PostgreSQL; default 1)")
    args = parser.parse_args()
    if args.servers > 1 and args.backend != "postgresql":
        parser.error("several servers share one store on PostgreSQL only: add --backend postgresql")
    result = run_load(Path(args.db), args.seconds, args.concurrency, args.backend, args.servers)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{result['backend']}, {result['servers']} server(s), concurrency {result['concurrency']}: "
          f"{result['requests']} requests in {result['seconds']} s: {result['req_per_s']} req/s, "
          f"5xx {result['errors_5xx']}, codes {result['status_codes']}, upload job {result['upload_job']}, "
          f"same answers on every server: {result['same_answers_on_every_server']}")
    print("| kind | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for kind, lat in sorted(result["latency_ms"].items()):
        print(f"| {kind} | {lat['n']} | {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} |")


if __name__ == "__main__":
    main()
