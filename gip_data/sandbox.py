"""Parse untrusted files in a separate, resource-limited worker process.

:func:`parse_in_worker` runs :func:`gip_data.parse.parse_bytes` in a child
process started from a *forkserver* that has the parser preloaded, so a worker
costs a fork, not a Python start-up. The child sets ``RLIMIT_AS`` (memory) and
``RLIMIT_CPU`` before touching the bytes; the parent kills it when the
wall-clock timeout passes. Whatever happens in the child, the caller gets either
an :class:`~gip_data.schema.record.AnnualReport` or a typed
:class:`~gip_data.errors.GipDataError`:

- timeout, CPU limit, memory limit → :class:`ParseTimeoutError`;
- a typed error raised in the child → the same type, code and detail;
- a crash or an unexpected exception in the child → :class:`CorruptFileError`.

At most ``os.cpu_count()`` workers run at once per process; further uploads
wait their turn, so one user's file cannot starve the others.

Scans are read by OCR, which needs far more time and memory than text: a file
is first parsed with the text budget and OCR turned off; when it needs OCR (an
image file, or a PDF without a usable text layer: :class:`NoTextLayerError`)
it is parsed again in a fresh worker with the OCR budget (:data:`OCR_TIMEOUT_S`,
:data:`OCR_CPU_S`, :data:`OCR_MEMORY_MB`; see ``docs/SECURITY.md``). An OCR
worker sends its progress (fraction done, what it is doing) to ``on_progress``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from gip_data import errors
from gip_data._proc import die_with_parent
from gip_data.errors import CorruptFileError, GipDataError, NoTextLayerError, ParseTimeoutError
from gip_data.schema.record import AnnualReport

if TYPE_CHECKING:
    from gip_data.readers.registry import ReadLimits

log = logging.getLogger(__name__)

ParseFunction = Callable[[bytes, str, "ReadLimits | None"], AnnualReport]
ProgressFunction = Callable[[float, str], None]

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_CPU_S = 30
DEFAULT_MEMORY_MB = 1024
# OCR: a six-page scan takes about 12 s of CPU and 0.8 GB resident on this machine's cores;
# a 200-page scan's cheap pass plus its table pages stays well inside these. RLIMIT_AS counts
# address space, which onnxruntime's threads and mapped models make larger than the resident set.
OCR_TIMEOUT_S = 600.0
OCR_CPU_S = 300
OCR_MEMORY_MB = 2048
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Modules the forkserver imports once, so each worker starts with them loaded. "__main__"
# makes the forkserver import the host's main script once (multiprocessing requires it to
# be guarded by ``if __name__ == "__main__"``, as streamlit's, gip's and pytest's are);
# without it every worker would re-import that script (for `streamlit run`: all of streamlit).
_PRELOAD = [
    "__main__",
    "gip_data.parse",
    "gip_data.readers.txt",
    "gip_data.readers.html",
    "gip_data.readers.docx",
    "gip_data.readers.pdf",
    "gip_data.readers.ocr",
]

_context_lock = threading.Lock()
_context: Any = None
_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def _worker_context() -> Any:
    """The forkserver context, created once with the parser preloaded."""
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _context = context
        return _context


def _apply_limits(cpu_s: int, memory_mb: int) -> None:
    """Limits for this (child) process: CPU seconds, address space, no core dumps.

    It also dies with its forkserver, which exits when the app does, so a killed
    app never leaves a parse running.
    """
    die_with_parent()
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _worker_main(
    conn: Connection,
    parse: ParseFunction | None,
    data: bytes,
    file_name: str,
    limits: ReadLimits | None,
    cpu_s: int,
    memory_mb: int,
    progress: bool = False,
) -> None:
    """Child side: parse and send back ("ok", json) or ("error", class, detail, source).

    With ``progress``, OCR progress goes to the parent first as ("progress", fraction, text).
    """
    try:
        _apply_limits(cpu_s, memory_mb)
        if progress:
            from gip_data.readers.ocr import report_progress

            report_progress(lambda fraction, text: conn.send(("progress", fraction, text)))
        if parse is None:
            from gip_data.parse import parse_bytes

            parse = parse_bytes
        report = parse(data, file_name, limits)
        message: tuple[str, ...] = ("ok", report.model_dump_json())
    except GipDataError as exc:
        message = ("error", type(exc).__name__, exc.detail, exc.source or "")
    except MemoryError:
        message = ("error", ParseTimeoutError.__name__, "memory limit", file_name)
    except Exception as exc:  # a parser bug: the user gets a typed error, the log gets the type
        message = ("crash", f"{type(exc).__name__}: {exc}"[:500])
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("error", ParseTimeoutError.__name__, "memory limit", file_name))
    finally:
        conn.close()


def _error_from_child(class_name: str, detail: str, source: str) -> GipDataError:
    """Rebuild a typed error sent by the child; only GipDataError subclasses are accepted."""
    error_type = getattr(errors, class_name, None)
    if not (isinstance(error_type, type) and issubclass(error_type, GipDataError)):
        error_type = CorruptFileError
    return error_type(detail, source=source or None)


def parse_in_worker(
    data: bytes,
    file_name: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cpu_s: int = DEFAULT_CPU_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    limits: ReadLimits | None = None,
    parse: ParseFunction | None = None,
    on_progress: ProgressFunction | None = None,
    ocr_budget: tuple[float, int, int] = (OCR_TIMEOUT_S, OCR_CPU_S, OCR_MEMORY_MB),
) -> AnnualReport:
    """Parse one untrusted file in a limited worker process; typed errors only.

    ``parse`` defaults to :func:`gip_data.parse.parse_bytes`; another module-level
    function with the same signature may be given (the tests pass stand-ins that
    hang or allocate). With the default parser a file that needs OCR is parsed
    again with ``ocr_budget`` (wall seconds, CPU seconds, MB) and its progress
    reported to ``on_progress`` (module docstring).

    Raises :class:`ParseTimeoutError` when the worker exceeds ``timeout_s``
    (wall clock), ``cpu_s`` or ``memory_mb``; re-raises the worker's own typed
    error; raises :class:`CorruptFileError` when the worker dies otherwise.
    """
    if parse is not None:
        return _parse_once(parse, data, file_name, (timeout_s, cpu_s, memory_mb), limits, None)
    from gip_data.readers.registry import ReadLimits

    base = limits or ReadLimits()
    if not base.allow_ocr:
        return _parse_once(None, data, file_name, (timeout_s, cpu_s, memory_mb), base, None)
    if not data.startswith(_IMAGE_MAGIC):
        try:
            return _parse_once(None, data, file_name, (timeout_s, cpu_s, memory_mb), replace(base, allow_ocr=False), None)
        except NoTextLayerError:
            pass  # a scan: read it by OCR, with the OCR budget
    return _parse_once(None, data, file_name, ocr_budget, base, on_progress or (lambda _f, _t: None))


def _parse_once(
    parse: ParseFunction | None,
    data: bytes,
    file_name: str,
    budget: tuple[float, int, int],
    limits: ReadLimits | None,
    on_progress: ProgressFunction | None,
) -> AnnualReport:
    """One worker run: the record, or the worker's typed error."""
    timeout_s = budget[0]
    with _slots:
        message, exitcode = _run_worker(parse, data, file_name, budget, limits, on_progress)
    if message is None:
        raise _death_error(exitcode, file_name, timeout_s)
    kind = message[0]
    if kind == "ok":
        return AnnualReport.model_validate_json(message[1])
    if kind == "error":
        raise _error_from_child(message[1], message[2], message[3])
    log.warning("parser crashed on %r: %s", file_name, message[1])
    raise CorruptFileError(f"parser failure ({message[1].split(':', 1)[0]})", source=file_name)


def _run_worker(
    parse: ParseFunction | None,
    data: bytes,
    file_name: str,
    budget: tuple[float, int, int],
    limits: ReadLimits | None,
    on_progress: ProgressFunction | None = None,
) -> tuple[tuple[str, ...] | None, int | None]:
    """Start one parse worker, wait for its message or its deadline; (message or None, exit code)."""
    timeout_s, cpu_s, memory_mb = budget
    args = (parse, data, file_name, limits, cpu_s, memory_mb, on_progress is not None)
    return run_worker_process(_worker_main, args, timeout_s, on_progress)


def run_worker_process(
    target: Callable[..., None], args: tuple[Any, ...], timeout_s: float, on_progress: ProgressFunction | None = None
) -> tuple[Any, int | None]:
    """Run ``target(sender, *args)`` in a fresh worker; wait for its result message until the deadline.

    Progress messages (``("progress", fraction, text)``) go to ``on_progress``
    on the way; the first other message is the result. A worker that sends
    nothing by the deadline is killed. Returns (message or None, exit code).
    """
    context = _worker_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(sender, *args), daemon=True)
    deadline = time.monotonic() + timeout_s
    process.start()
    sender.close()  # the child holds the only write end: EOF on receiver means the child is gone
    message = None
    try:
        while receiver.poll(max(0.0, deadline - time.monotonic())):
            message = receiver.recv()
            if message[0] != "progress":
                break
            if on_progress is not None:
                on_progress(float(message[1]), str(message[2]))
            message = None
    except (EOFError, OSError):
        message = None
    finally:
        receiver.close()
        if message is None and process.is_alive():
            process.kill()
        process.join(max(1.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    return message, process.exitcode


def _death_error(exitcode: int | None, file_name: str, timeout_s: float) -> GipDataError:
    """The typed error for a worker that sent nothing: killed on time, out of CPU/memory, or crashed."""
    if exitcode in (None, -signal.SIGKILL):
        # Killed by us at the deadline (or by the kernel's OOM killer): a resource limit either way.
        return ParseTimeoutError(f"no result within {timeout_s:g} s", source=file_name)
    if exitcode == -signal.SIGXCPU:
        return ParseTimeoutError("CPU time limit", source=file_name)
    # A C library hitting RLIMIT_AS may abort or segfault instead of raising MemoryError.
    return CorruptFileError(f"parser worker died (exit code {exitcode})", source=file_name)
