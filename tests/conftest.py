"""Shared fixtures: the demo corpus, the lexicon, a fake encoder for unit tests, a real demo store."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from api.settings import DEFAULT_LEXICON, REPO_ROOT
from kg.backends import open_store
from kg.migrate import copy_store
from search.engine import Engine, EngineConfig
from tests.pg import PostgresForTests

CORPUS = REPO_ROOT / "data" / "corpus"
SHARED = REPO_ROOT.parent / "shared"
FIXTURES = REPO_ROOT / "tests" / "fixtures"


class FakeEncoder:
    """Hashes character bigrams into a normalised vector: fast, deterministic, similar texts stay close."""

    name = "fake-bigram-64"
    dim = 64

    def encode(self, texts: list[str], *, query: bool = False) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for a, b in zip(text, text[1:], strict=False):
                h = int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16)
                rows[i, h % self.dim] += 1.0
            norm = np.linalg.norm(rows[i]) or 1.0
            rows[i] /= norm
        return rows


@pytest.fixture
def lexicon_dir() -> Path:
    return DEFAULT_LEXICON


@pytest.fixture
def fake_engine(tmp_path) -> Engine:
    engine = Engine(EngineConfig(db=tmp_path / "store", lexicon_dir=DEFAULT_LEXICON), encoder=FakeEncoder())
    yield engine
    engine.store.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A store with the demo corpus ingested by the real CLI path and the real model (built once)."""
    db = tmp_path_factory.mktemp("demo") / "store"
    engine = Engine(EngineConfig(db=db, lexicon_dir=DEFAULT_LEXICON))
    reports = engine.ingest([CORPUS])
    assert all(r.ok for r in reports), reports
    engine.store.close()
    return db


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    """A real PostgreSQL with pgvector for the session (started in a temporary folder, or DJKG_TEST_PG)."""
    server = PostgresForTests()
    yield server
    server.close()


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def store_db(request, tmp_path) -> Iterator[Path | str]:
    """An empty store on each backend: a SQLite folder, or a new PostgreSQL database with djkg's tables."""
    if request.param == "sqlite":
        yield tmp_path / "store"
        return
    postgres = request.getfixturevalue("postgres")
    url = postgres.database()
    open_store(url, create=True).close()
    yield url
    postgres.drop(url)


@pytest.fixture
def backend_engine(store_db, tmp_path) -> Iterator[Engine]:
    """fake_engine on each backend."""
    engine = Engine(EngineConfig(db=store_db, lexicon_dir=DEFAULT_LEXICON, state_dir=tmp_path / "state"),
                    encoder=FakeEncoder())
    yield engine
    engine.store.close()


@pytest.fixture(scope="session")
def demo_pg(postgres) -> str:
    """The demo corpus ingested into PostgreSQL by the real model and the real CLI (built once). A process of
    its own: jieba's dictionary is global, and the words learnt by an earlier ingest in this process would
    tokenize the corpus otherwise than a fresh `djkg ingest` does."""
    url = postgres.database()
    for args in (["init", "--db", url], ["ingest", str(CORPUS), "--db", url, "--quiet"]):
        proc = subprocess.run([*djkg_command(), *args], capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0 and "\nskip " not in "\n" + proc.stdout, proc.stdout + proc.stderr
    return url


@pytest.fixture(params=BACKENDS)
def demo_db(request) -> Path | str:
    """The demo store on each backend (read only)."""
    return request.getfixturevalue("demo_store" if request.param == "sqlite" else "demo_pg")


def pg_copy(postgres: PostgresForTests, source: Path | str) -> str:
    """A private PostgreSQL copy of a store, by `djkg migrate`'s code."""
    url = postgres.database()
    copy_store(open_store(source), open_store(url, create=True))
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_store) -> Engine:
    return Engine(EngineConfig(db=demo_store, lexicon_dir=DEFAULT_LEXICON))


@pytest.fixture
def demo_copy(demo_store, tmp_path) -> Path:
    """A private copy of the demo store for tests that write."""
    target = tmp_path / "store"
    shutil.copytree(demo_store, target)
    return target


def djkg_command() -> list[str]:
    exe = REPO_ROOT / ".venv" / "bin" / "djkg"
    return [str(exe)] if exe.exists() else ["djkg"]


def serve_process(db: Path, port: int, env: dict, timeout_s: float = 120) -> subprocess.Popen:
    """A real `djkg serve` subprocess on `port`, returned once /health answers."""
    proc = subprocess.Popen([*djkg_command(), "serve", "--db", str(db), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("djkg serve did not become ready")


@pytest.fixture
def cli_env() -> dict:
    env = dict(os.environ)
    env.pop("DJKG_HOME", None)
    env.pop("DJKG_DB", None)
    return env
