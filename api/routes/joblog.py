"""Ingest jobs on disk: each job's state is written beside the store (jobs.sqlite), so that a server started
after a crash reports the jobs it interrupted as failed, and the scratch folders of killed servers are
removed."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

JOBS_FILE = "jobs.sqlite"
INTERRUPTED = ("interrupted: the server stopped while this job was queued or running; "
               "upload the file again (documents it had stored are kept)")
# Scratch folders are named PREFIX + the owning process id + "-": a folder whose process is gone is a leftover.
SCRATCH_PREFIXES = ("djkg-writer-", "djkg-upload-")
_SCRATCH = re.compile(r"^(?:djkg-writer-|djkg-upload-)(\d+)-")


@dataclass(frozen=True)
class Job:
    """One ingest job as GET /jobs/{job_id} reports it."""

    job_id: str
    status: str
    name: str
    created_at: float
    finished_at: float | None = None
    documents: int = 0
    unchanged: int = 0
    passages: int = 0
    doc_ids: tuple[str, ...] = ()
    error: str = ""
    warning: str = ""


class JobLog:
    """Job states in a small SQLite file of their own (the store's schema is not touched)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / JOBS_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("CREATE TABLE IF NOT EXISTS jobs(job_id TEXT PRIMARY KEY, created_at REAL NOT NULL,"
                         " body TEXT NOT NULL)")
            self._conn = conn
        return self._conn

    def save(self, job: Job) -> None:
        """Write a job's state; a failure to write is logged, never raised (the job itself goes on)."""
        try:
            with self._lock:
                self._connection().execute("INSERT OR REPLACE INTO jobs(job_id, created_at, body) VALUES (?, ?, ?)",
                                           (job.job_id, job.created_at, json.dumps(asdict(job), ensure_ascii=False)))
        except sqlite3.Error as error:
            log.warning("cannot record job %s in %s: %s", job.job_id, self.path, error)

    def recover(self, keep: int) -> list[Job]:
        """The last `keep` jobs, oldest first; those a stopped server left queued or running are failed now."""
        if not self.path.exists():
            return []
        try:
            with self._lock:
                rows = self._connection().execute(
                    "SELECT body FROM jobs ORDER BY created_at DESC LIMIT ?", (keep,)).fetchall()
                self._connection().execute(
                    "DELETE FROM jobs WHERE job_id NOT IN (SELECT job_id FROM jobs ORDER BY created_at DESC LIMIT ?)",
                    (keep,))
        except sqlite3.Error as error:
            log.warning("cannot read the jobs of %s: %s", self.path, error)
            return []
        jobs = []
        for (body,) in reversed(rows):
            fields = json.loads(body)
            job = Job(**{**fields, "doc_ids": tuple(fields.get("doc_ids", ()))})
            if job.status in ("queued", "running"):
                job = Job(**{**asdict(job), "status": "failed", "error": INTERRUPTED,
                             "finished_at": job.finished_at or job.created_at})
                self.save(job)
            jobs.append(job)
        return jobs

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def scratch_prefix(kind: str) -> str:
    """The prefix of a scratch folder of this process (`kind` is "writer" or "upload")."""
    return f"djkg-{kind}-{os.getpid()}-"


def remove_leftovers(folder: str | None = None) -> list[str]:
    """Remove the scratch folders of djkg processes that no longer run; returns their names."""
    folder = folder or tempfile.gettempdir()
    removed = []
    for entry in os.scandir(folder):
        match = _SCRATCH.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False) or _alive(int(match.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
