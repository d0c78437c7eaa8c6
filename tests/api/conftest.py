"""Real servers for the HTTP tests: uvicorn on 127.0.0.1 and a free port, over the demo store on each backend."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.protocol import HttpProtocol
from api.settings import DEFAULT_LEXICON, Settings
from search.engine import EngineConfig
from tests.conftest import BACKENDS, pg_copy

TOKEN = "djkg-test-token"
UPLOAD_LIMIT = 256 * 1024


class Server:
    """A uvicorn server on its own thread, bound to a socket chosen by the OS."""

    def __init__(self, db: Path | str, token: str | None, max_upload_bytes: int = UPLOAD_LIMIT,
                 state_dir: Path | None = None):
        config = EngineConfig(db=db, lexicon_dir=DEFAULT_LEXICON, state_dir=state_dir)
        settings = Settings(config, token, max_upload_bytes)
        self.app = create_app(settings)
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", http=HttpProtocol))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 120
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.socket.close()


@pytest.fixture(scope="session", params=BACKENDS)
def read_server(request, tmp_path_factory) -> Iterator[Server]:
    """The demo store on each backend, writes disabled (no token configured)."""
    db = request.getfixturevalue("demo_store" if request.param == "sqlite" else "demo_pg")
    state = tmp_path_factory.mktemp("read-state") if request.param == "postgresql" else None
    with Server(db, token=None, state_dir=state) as server:
        yield server


@pytest.fixture(scope="session")
def page_server(demo_store) -> Iterator[Server]:
    """The demo store on SQLite for the browser: the page sees only HTTP, which `read_server` tests on both."""
    with Server(demo_store, token=None) as server:
        yield server


@pytest.fixture(params=BACKENDS)
def write_db(request, tmp_path) -> Iterator[Path | str]:
    """A private copy of the demo store on each backend (PostgreSQL: copied by `djkg migrate`'s code)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("demo_copy")
        return
    postgres = request.getfixturevalue("postgres")
    url = pg_copy(postgres, request.getfixturevalue("demo_store"))
    yield url
    postgres.drop(url)


@pytest.fixture
def write_server(write_db, tmp_path) -> Iterator[Server]:
    """A private copy of the demo store, writes allowed with TOKEN, uploads up to UPLOAD_LIMIT."""
    with Server(write_db, token=TOKEN, state_dir=tmp_path / "state") as server:
        yield server


@pytest.fixture(scope="session")
def client(read_server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=read_server.url, timeout=60) as http:
        yield http


@pytest.fixture
def writer(write_server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=write_server.url, timeout=60) as http:
        yield http


def free_port() -> int:
    """A port nobody listens on now (for a server started as a subprocess)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
