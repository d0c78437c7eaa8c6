"""Background ingest jobs: a registry with one worker thread, its states kept on disk (joblog.py), and
GET /jobs/{job_id}."""

from __future__ import annotations

import logging
import queue
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam

from api.errors import ERROR_RESPONSES, not_found
from api.routes.joblog import Job, JobLog, remove_leftovers, scratch_prefix
from api.routes.state import AppState
from api.schemas import JobOut
from ingest.read import read_file
from ingest.types import FileError, RawFile

log = logging.getLogger(__name__)

KEEP_JOBS = 500
UPLOAD_PREFIX = "upload/"


@dataclass(frozen=True)
class Upload:
    """What a POST /documents hands the worker: text, or the bytes of a file to read by its suffix."""

    name: str
    text: str | None = None
    data: bytes | None = None
    meta: dict = field(default_factory=dict)


class JobRegistry:
    """Queued ingest jobs run one at a time on a worker thread; their states are kept for polling."""

    def __init__(self, state: AppState, keep: int = KEEP_JOBS):
        self._state = state
        self._keep = keep
        self._log = JobLog(state.settings.engine.local_dir)
        self._jobs: OrderedDict[str, Job] = OrderedDict((j.job_id, j) for j in self._log.recover(keep))
        if removed := remove_leftovers():
            log.info("removed the scratch folders of stopped servers: %s", ", ".join(removed))
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, Upload] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def submit(self, upload: Upload) -> Job:
        """Queue an upload for ingest and return its job (status "queued")."""
        job = Job(uuid.uuid4().hex, "queued", upload.name, time.time())
        self._log.save(job)
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].status in ("queued", "running"):
                    break
                self._jobs.popitem(last=False)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="djkg-ingest", daemon=True)
                self._thread.start()
        self._queue.put((job.job_id, upload))
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None (the last KEEP_JOBS finished jobs are kept)."""
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Stop the worker after the job it is running; jobs still queued fail (their uploads are gone)."""
        self._stopping.set()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=60)
        self._log.close()

    def _set(self, job_id: str, **changes) -> None:
        with self._lock:
            if job_id not in self._jobs:
                return
            job = self._jobs[job_id] = replace(self._jobs[job_id], **changes)
        self._log.save(job)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, upload = item
            if self._stopping.is_set():
                self._set(job_id, status="failed", finished_at=time.time(),
                          error="the server stopped before this job ran; upload the file again")
                continue
            self._set(job_id, status="running")
            try:
                changes = self._ingest(upload)
            except Exception as exc:  # a failing upload must not stop the worker
                log.exception("ingest job %s (%s) failed", job_id, upload.name)
                changes = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
            self._set(job_id, finished_at=time.time(), **changes)

    def _ingest(self, upload: Upload) -> dict:
        config = self._state.engine.config
        raw = _raw_of(upload, config.max_bytes, config.max_inflated_bytes)
        if isinstance(raw, FileError):
            return {"status": "failed", "error": raw.reason}
        report, doc_ids = self._state.ingest(raw)
        if not report.ok:
            return {"status": "failed", "error": report.error}
        return {"status": "done", "documents": report.documents, "unchanged": report.unchanged,
                "passages": report.passages, "doc_ids": doc_ids, "warning": report.warning}


def _raw_of(upload: Upload, max_bytes: int, max_inflated_bytes: int) -> RawFile | FileError:
    """The upload as a RawFile: text as given, or a file decoded by the same reader as `djkg ingest`."""
    path = UPLOAD_PREFIX + upload.name
    if upload.data is None:
        return RawFile(path=path, text=upload.text or "", encoding="utf-8", fmt="txt", meta=dict(upload.meta))
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("upload")) as folder:
        local = Path(folder) / ("upload" + Path(upload.name).suffix.lower())
        local.write_bytes(upload.data)
        raw = read_file(local, max_bytes, max_inflated_bytes)
    if isinstance(raw, FileError):
        return FileError(path, raw.reason)
    return replace(raw, path=path, meta={**raw.meta, **upload.meta})


async def get_jobs(request: Request) -> JobRegistry:
    """The app's job registry."""
    return request.app.state.jobs


JobsDep = Annotated[JobRegistry, Depends(get_jobs)]
router = APIRouter(tags=["documents"])


def job_json(job: Job) -> dict:
    """A job as the JobOut body."""
    return {**asdict(job), "doc_ids": list(job.doc_ids)}


@router.get("/jobs/{job_id}", response_model=JobOut, responses=ERROR_RESPONSES)
def job_status(job_id: Annotated[str, PathParam(max_length=64)], jobs: JobsDep) -> dict:
    """State of an ingest job started by POST /documents."""
    job = jobs.get(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job_json(job)
