"""Parse jobs that run in the background: the upload page submits files and polls their progress.

OCR of a scan takes tens of seconds, so the upload page never parses in its
script thread. :class:`JobBoard` (one per server process, shared by every
session) runs each submitted file on a background thread that only waits on a
sandboxed worker process (:func:`gip_data.sandbox.parse_in_worker`): the CPU
work happens in the worker, the thread relays its progress into the job's
state, and every user's page stays responsive while scans are read. The
sandbox lets at most one worker per core run at once; further jobs queue.

``gip import`` parses many files on a process pool with :func:`parse_many`:
scans are read in parallel with the other files, and each scan's OCR progress
comes back to the importing process for its progress bar.

A job is keyed by the file's content hash, so the same file uploaded twice (by
one user or two) is parsed once. Finished jobs are kept for
:data:`KEEP_FINISHED_S` seconds and then forgotten.
"""

from __future__ import annotations

import functools
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, Literal, TypedDict, TypeVar, Unpack

from gip_data.errors import GipDataError
from gip_data.schema.record import AnnualReport

R = TypeVar("R")
FileProgress = Callable[[str, float, str], None]
JobStatus = Literal["queued", "running", "done", "failed"]
ParseWithProgress = Callable[..., AnnualReport]
KEEP_FINISHED_S = 3600.0
MAX_THREADS = 32


@dataclass(frozen=True, slots=True)
class Job:
    """A snapshot of one job: its file, status, progress and outcome."""

    key: str
    file_name: str
    status: JobStatus = "queued"
    fraction: float = 0.0
    message: str = "排队等待 / queued"
    report: AnnualReport | None = None
    error: GipDataError | None = None
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        """True when the job has a record or an error."""
        return self.status in ("done", "failed")


class JobChanges(TypedDict, total=False):
    """The fields of a :class:`Job` a running job updates."""

    status: JobStatus
    fraction: float
    message: str
    report: AnnualReport | None
    error: GipDataError | None
    finished_at: float | None


class JobBoard:
    """Background parse jobs of one server process (module docstring)."""

    def __init__(self, parse: ParseWithProgress | None = None, threads: int = MAX_THREADS) -> None:
        self._parse = parse
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gip-parse-job")

    def submit(self, key: str, data: bytes, file_name: str) -> Job:
        """Start parsing ``data`` unless a job with ``key`` exists; the job's current state."""
        with self._lock:
            self._forget_old()
            existing = self._jobs.get(key)
            if existing is not None:
                return existing
            job = Job(key, file_name)
            self._jobs[key] = job
        self._pool.submit(self._run, key, data, file_name)
        return job

    def get(self, key: str) -> Job | None:
        """The job's current state (None when unknown or forgotten)."""
        with self._lock:
            return self._jobs.get(key)

    def forget(self, key: str) -> None:
        """Drop a job's state (a running job still finishes; its result is then kept again)."""
        with self._lock:
            self._jobs.pop(key, None)

    def _update(self, key: str, **changes: Unpack[JobChanges]) -> None:
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                self._jobs[key] = replace(job, **changes)

    def _run(self, key: str, data: bytes, file_name: str) -> None:
        """Thread body: parse in the sandbox, relaying progress into the job."""
        self._update(key, status="running", message="解析中 / parsing")

        def progress(fraction: float, text: str) -> None:
            self._update(key, fraction=fraction, message=text)

        parse = self._parse or _sandboxed
        try:
            report = parse(data, file_name, on_progress=progress)
        except GipDataError as exc:
            self._update(key, status="failed", error=exc, fraction=1.0, message=exc.message_zh, finished_at=time.time())
        except Exception as exc:  # noqa: BLE001 - a job thread must always end in a state
            error = GipDataError(f"{type(exc).__name__}", source=file_name)
            self._update(key, status="failed", error=error, fraction=1.0, message=error.message_zh, finished_at=time.time())
        else:
            self._update(key, status="done", report=report, fraction=1.0, message="完成 / done", finished_at=time.time())

    def _forget_old(self) -> None:
        now = time.time()
        for key, job in list(self._jobs.items()):
            if job.finished_at is not None and now - job.finished_at > KEEP_FINISHED_S:
                del self._jobs[key]


def _sandboxed(data: bytes, file_name: str, on_progress: Callable[[float, str], None]) -> AnnualReport:
    from gip_data.sandbox import parse_in_worker

    return parse_in_worker(data, file_name, on_progress=on_progress)


_board_lock = threading.Lock()
_board: JobBoard | None = None


def board() -> JobBoard:
    """The server process's job board (created on first use)."""
    global _board
    with _board_lock:
        if _board is None:
            _board = JobBoard()
        return _board


# --- many files on a process pool (``gip import``) ---------------------------------------------

_relay: Any = None


def _pool_start(queue: Any) -> None:
    """Pool worker start: die with the parent, keep the queue OCR progress goes to."""
    global _relay
    from gip_data._proc import die_with_parent

    die_with_parent()
    _relay = queue


def _run_one(parse_one: Callable[[str], R], path: str) -> R:
    """Pool worker: parse one file, its OCR progress sent to the parent as (path, fraction, text)."""
    from gip_data.readers.ocr import report_progress

    queue = _relay
    report_progress(None if queue is None else (lambda fraction, text: queue.put((path, fraction, text))))
    try:
        return parse_one(path)
    finally:
        report_progress(None)


def parse_many(
    paths: list[str], workers: int, parse_one: Callable[[str], R], on_progress: FileProgress | None = None
) -> Iterator[R]:
    """``parse_one`` of every path on ``workers`` processes, results as they finish.

    Scans are read in parallel with the other files; while one is read by OCR
    its progress comes to ``on_progress(path, fraction, text)`` in this process.
    ``parse_one`` must be a module-level function (it is sent to the workers).
    """
    if workers <= 1 or len(paths) <= 1:
        from gip_data.readers.ocr import report_progress

        for path in paths:
            report_progress(None if on_progress is None else functools.partial(on_progress, path))
            try:
                yield parse_one(path)
            finally:
                report_progress(None)
        return
    # Forked straight from this process (as before), so die_with_parent ties each worker to the
    # importing process: a `gip import` killed with -9 leaves no worker behind.
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()  # put() writes to the pipe at once: a file's progress precedes its result
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_pool_start, initargs=(queue,))
    try:
        pending = {pool.submit(_run_one, parse_one, path) for path in paths}
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            _drain(queue, on_progress)
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(cancel_futures=True)
        queue.close()


def _drain(queue: Any, on_progress: FileProgress | None) -> None:
    """Hand every progress message waiting in ``queue`` to ``on_progress``."""
    while not queue.empty():
        try:
            path, fraction, text = queue.get()
        except (OSError, EOFError):
            return
        if on_progress is not None:
            on_progress(path, fraction, text)
