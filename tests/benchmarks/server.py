"""Server start-up: time from `djkg serve` to GET /health answering 200, then the first /search.

The server's peak RSS is read from /proc while it runs: RUSAGE_CHILDREN would report the forked
benchmark process's own size, which a child has for an instant before it execs.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

STARTUP_LIMIT_S = 120.0
POLL_S = 0.02


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def djkg_command() -> list[str]:
    """The `djkg` script next to this interpreter, else the CLI module."""
    script = Path(sys.executable).with_name("djkg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


def _get(url: str, timeout_s: float) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _wait_healthy(base: str, process: subprocess.Popen, started: float) -> float:
    while time.perf_counter() - started < STARTUP_LIMIT_S:
        if process.poll() is not None:
            raise RuntimeError(f"djkg serve exited with {process.returncode} before /health answered")
        if _get(base + "/health", timeout_s=1.0) == 200:
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise RuntimeError(f"djkg serve did not answer /health within {STARTUP_LIMIT_S:.0f} s")


def peak_rss_of(pid: int) -> int | None:
    """A live process's peak resident set size (VmHWM in /proc), in bytes; None where /proc is absent."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def measure_server(db_dir: Path | str, first_query: str, torch_threads: int = 0,
                   state_dir: Path | None = None) -> dict:
    """Start a server on a free port; time /health and the first /search (which loads the model); stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*djkg_command(), "serve", "--db", str(db_dir), "--port", str(port)]
    started = time.perf_counter()
    env = dict(os.environ, OMP_NUM_THREADS=str(torch_threads)) if torch_threads else dict(os.environ)
    if state_dir is not None:
        env["DJKG_STATE"] = str(state_dir)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        startup_s = _wait_healthy(base, process, started)
        query = urllib.parse.urlencode({"q": first_query, "k": 10})
        t0 = time.perf_counter()
        status = _get(f"{base}/search?{query}", timeout_s=STARTUP_LIMIT_S)
        first_search_s = time.perf_counter() - t0
        peak = peak_rss_of(process.pid)
    finally:
        process.terminate()
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    if status != 200:
        tail = stderr.decode("utf-8", "replace")[-500:]
        raise RuntimeError(f"first /search answered {status}: {json.dumps(tail, ensure_ascii=False)}")
    return {"startup_s": startup_s, "first_search_s": first_search_s, "peak_rss_bytes": peak}
