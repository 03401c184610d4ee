"""Run one library function on untrusted file bytes in a limited worker process.

Parsing is not the only work the app does on an uploaded file's bytes: the
source view renders a PDF page, re-reads a document to show the line a number
came from, and manual entry reads the text of a file in which no table was
found. Each of these goes through a library (pdfium, lxml, the DOCX reader)
that a hostile file can hang or exhaust, so each runs like a parse: in a child
of the sandbox's forkserver (:mod:`gip_data.sandbox`), under its CPU and
memory limits and a wall-clock deadline, sharing its cap on concurrent
workers. The caller gets the function's (picklable) result or a typed
:class:`~gip_data.errors.GipDataError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from gip_data.errors import CorruptFileError, GipDataError, ParseTimeoutError
from gip_data.sandbox import _apply_limits, _death_error, _error_from_child, _slots, run_worker_process

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_CPU_S = 30
DEFAULT_MEMORY_MB = 1024


def _child(conn: Connection, function: Callable[..., Any], data: bytes, args: tuple[Any, ...], limits: tuple[int, int]) -> None:
    """Child side: apply the limits, call, send ("ok", result) or the typed error."""
    try:
        _apply_limits(*limits)
        message: tuple[Any, ...] = ("ok", function(data, *args))
    except GipDataError as exc:
        message = ("error", type(exc).__name__, exc.detail, exc.source or "")
    except MemoryError:
        message = ("error", ParseTimeoutError.__name__, "memory limit", "")
    except Exception as exc:  # a library bug on this file: the caller gets a typed error
        message = ("crash", f"{type(exc).__name__}: {exc}"[:500])
    try:
        conn.send(message)
    finally:
        conn.close()


def run_isolated(
    function: Callable[..., T],
    data: bytes,
    *args: Any,
    source: str = "",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cpu_s: int = DEFAULT_CPU_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> T:
    """``function(data, *args)`` in a limited worker; its result, or a typed error (see the module docstring).

    ``function`` must be a module-level function (the worker imports it by name).
    """
    with _slots:
        message, exitcode = run_worker_process(_child, (function, data, args, (cpu_s, memory_mb)), timeout_s)
    if message is None:
        raise _death_error(exitcode, source, timeout_s)
    if message[0] == "ok":
        return cast(T, message[1])  # what function returned, unpickled
    if message[0] == "error":
        raise _error_from_child(message[1], message[2], message[3] or source)
    log.warning("%s crashed on %r: %s", getattr(function, "__name__", function), source, message[1])
    raise CorruptFileError(f"worker failure ({message[1].split(':', 1)[0]})", source=source or None)

