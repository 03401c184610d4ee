"""Old Word (.doc, Word 97–2003) and WPS (.wps) files: converted to DOCX by LibreOffice, read as DOCX.

Many offices still publish their reports as .doc, and WPS Office saves .wps
(the same OLE2 binary format as Word's; Microsoft Works' .wps is OLE2 too).
No maintained pure-Python reader handles their tables, so LibreOffice converts
them headless, and :func:`gip_data.readers.docx.read_docx` reads the result
with all its checks. The content was sniffed as OLE2 before we get here
(:mod:`gip_data.readers.sniff`); the suffix given to LibreOffice follows that.

The conversion is a separate process, treated like the sandboxed parse
(:mod:`gip_data.sandbox`): a wall-clock timeout that kills its whole process
group, a CPU limit, no core dumps, death with its parent, and its own throwaway
user profile, ``HOME`` and ``TMPDIR`` inside one temporary directory that is
removed afterwards, so two conversions never share state and nothing is left
behind. Inside a sandbox worker it also inherits the worker's memory limit.

Without LibreOffice a :class:`~gip_data.errors.ConverterMissingError` says how
to get it. ``GIP_SOFFICE`` names the binary explicitly (then no search).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gip_data.errors import ConverterMissingError, CorruptFileError, ParseTimeoutError
from gip_data.readers.docx import read_docx

if TYPE_CHECKING:
    from gip_data.readers.document import Document, DocumentFormat
    from gip_data.readers.registry import ReadLimits

SOFFICE_ENV = "GIP_SOFFICE"
_SOFFICE_NAMES = ("soffice", "libreoffice")
# Below the sandbox's 30 s for the whole parse; a report converts in 1–3 s (cold profile).
CONVERT_TIMEOUT_S = 20.0
GROUP_EXIT_S = 5.0  # how long a killed converter may take to be gone (a SIGKILLed soffice.bin exits in ms)
_DOCX_FILTER = "docx:MS Word 2007 XML"
_PR_SET_PDEATHSIG = 1
# Looked up before any fork: the child between fork and exec must not import or search for libraries.
_PRCTL: Callable[..., object] | None
try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _PRCTL = None


def find_converter() -> str:
    """The LibreOffice binary: ``$GIP_SOFFICE`` when set, else ``soffice``/``libreoffice`` on PATH."""
    named = os.environ.get(SOFFICE_ENV)
    candidates = [named] if named else [shutil.which(name) for name in _SOFFICE_NAMES]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    where = f"{SOFFICE_ENV}={named}" if named else "soffice/libreoffice not on PATH"
    raise ConverterMissingError(where)


def convert_to_docx(
    data: bytes, source: str, kind: DocumentFormat, timeout_s: float = CONVERT_TIMEOUT_S
) -> bytes:
    """The DOCX bytes LibreOffice makes of an old Word/WPS file's ``data``.

    Raises :class:`ConverterMissingError` without LibreOffice, :class:`ParseTimeoutError`
    when it runs past ``timeout_s``, :class:`CorruptFileError` when it cannot load the file.
    """
    binary = find_converter()
    with tempfile.TemporaryDirectory(prefix="gip-convert-") as work:
        root = Path(work)
        source_path, out_dir = root / f"input.{kind}", root / "out"
        source_path.write_bytes(data)
        for folder in ("profile", "home", "tmp", "out"):
            (root / folder).mkdir()
        command = [
            binary,
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            *("--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck"),
            *("--convert-to", _DOCX_FILTER, "--outdir", str(out_dir), str(source_path)),
        ]
        _run(command, root, timeout_s, source)
        converted = out_dir / "input.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise CorruptFileError("LibreOffice could not read this Word/WPS file", source=source)
        return converted.read_bytes()


def _run(command: list[str], root: Path, timeout_s: float, source: str) -> None:
    """Run LibreOffice in its own session; kill the whole group at the deadline."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root / "home"),
        "TMPDIR": str(root / "tmp"),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",  # headless rendering plugin: never look for a display
    }
    cpu_s = max(1, int(timeout_s))
    with subprocess.Popen(
        command,
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=lambda: _limit_child(cpu_s),  # only setrlimit and prctl: no locks, no imports
    ) as process:
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise ParseTimeoutError(f"LibreOffice conversion took over {timeout_s:g} s", source=source) from exc
        finally:
            _kill_group(process)


def _limit_child(cpu_s: int) -> None:
    """In the converter process: CPU limit, no core dumps, die when the parser dies."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill what is left of the converter's process group (soffice starts soffice.bin) and wait until it is gone.

    SIGKILL is asynchronous: a large soffice.bin takes a moment to unmap its
    memory, and meanwhile it still runs as far as the system is concerned.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has already gone
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + GROUP_EXIT_S
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_alive(group: int) -> bool:
    """Whether a process of this group is still running (zombies waiting for their parent do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp …
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                return True
    return False


def _read_converted(data: bytes, source: str, limits: ReadLimits, kind: DocumentFormat) -> Document:
    """Convert, then read with the DOCX reader and its limits; the document keeps its own format."""
    document = read_docx(convert_to_docx(data, source, kind), source, limits)
    if not document.blocks:  # LibreOffice salvages what it can of a damaged file, often nothing
        raise CorruptFileError("no text in this Word/WPS file; it may be damaged", source=source)
    document.format = kind
    return document


def read_doc(data: bytes, source: str, limits: ReadLimits) -> Document:
    """A Word 97–2003 document, converted to DOCX and read as one."""
    return _read_converted(data, source, limits, "doc")


def read_wps(data: bytes, source: str, limits: ReadLimits) -> Document:
    """A WPS Office (or Works) document, converted to DOCX and read as one."""
    return _read_converted(data, source, limits, "wps")
