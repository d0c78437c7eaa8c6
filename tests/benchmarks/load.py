"""HTTP load test: concurrent mixed requests against a running `djkg serve` on 127.0.0.1, with an ingest.

    python -m tests.benchmarks.load [--db DIR] [--seconds 60] [--concurrency 8] [--out bench-results/load.json]

Starts the server on a copy of the store (writes allowed with a throw-away token), runs `concurrency`
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


def _start(db: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, DJKG_API_TOKEN=TOKEN)
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


def run_load(db: Path, seconds: float, concurrency: int) -> dict:
    """Run the load against a copy of `db`; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="djkg-load-") as tmp:
        store = Path(tmp) / "store"
        shutil.copytree(db, store)
        port = free_port()
        proc = _start(store, port)
        base = f"http://127.0.0.1:{port}"
        plan = _requests(MAX_REQUESTS)
        cursor = iter(range(len(plan)))
        lock = threading.Lock()
        latencies: dict[str, list[float]] = {}
        codes: dict[int, int] = {}
        stop = time.perf_counter() + seconds

        def worker() -> None:
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

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(seconds / 2)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        job = httpx.post(f"{base}/documents", json={"text": UPLOAD, "name": "load.txt"}, headers=headers).json()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        job_status = httpx.get(f"{base}/jobs/{job.get('job_id')}").json().get("status")
        proc.terminate()
        proc.wait(timeout=30)
    total = sum(codes.values())
    return {
        "seconds": round(wall, 1), "concurrency": concurrency, "requests": total,
        "req_per_s": round(total / wall, 1), "status_codes": codes,
        "errors_5xx": sum(n for c, n in codes.items() if c >= 500), "upload_job": job_status,
        "latency_ms": {kind: {"n": len(v), "p50": _percentile(v, 0.5), "p95": _percentile(v, 0.95),
                              "p99": _percentile(v, 0.99)} for kind, v in latencies.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="data/store", help="an ingested store (make demo builds data/store)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", default="bench-results/load.json")
    args = parser.parse_args()
    result = run_load(Path(args.db), args.seconds, args.concurrency)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{result['requests']} requests in {result['seconds']} s: {result['req_per_s']} req/s, "
          f"5xx {result['errors_5xx']}, codes {result['status_codes']}, upload job {result['upload_job']}")
    print("| kind | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
    for kind, lat in sorted(result["latency_ms"].items()):
        print(f"| {kind} | {lat['n']} | {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} |")


if __name__ == "__main__":
    main()
