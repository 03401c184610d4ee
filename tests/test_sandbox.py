"""The parse worker: limits, kills and error mapping (gip_data.sandbox).

The stand-in parse functions below run inside the worker process (they are
pickled by reference, so they must live at module level).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import threading
import time

import psutil
import pytest

from gip_data.errors import CorruptFileError, NotAReportError, ParseTimeoutError
from gip_data.sandbox import parse_in_worker
from gip_data.schema.record import AnnualReport
from tests.conftest import SEEDS

SEED_TXT = sorted(SEEDS.glob("*.txt"))[0]


def _seed_record() -> AnnualReport:
    return AnnualReport.model_validate(
        json.loads(SEED_TXT.with_suffix("").with_suffix(".expected.json").read_text())
    )


def returns_record(data, file_name, limits):  # type: ignore[no-untyped-def]
    return _seed_record()


def spins(data, file_name, limits):  # type: ignore[no-untyped-def]
    while True:
        pass


def sleeps(data, file_name, limits):  # type: ignore[no-untyped-def]
    time.sleep(3600)


def allocates(data, file_name, limits):  # type: ignore[no-untyped-def]
    hog = [bytearray(64 * 1024 * 1024) for _ in range(1000)]
    return hog


def raises_typed(data, file_name, limits):  # type: ignore[no-untyped-def]
    raise NotAReportError("no table 3", source=file_name)


def raises_bug(data, file_name, limits):  # type: ignore[no-untyped-def]
    raise KeyError("secret internal detail")


def exits(data, file_name, limits):  # type: ignore[no-untyped-def]
    os._exit(3)


def segfaults(data, file_name, limits):  # type: ignore[no-untyped-def]
    ctypes.string_at(0)


def echoes_rlimits(data, file_name, limits):  # type: ignore[no-untyped-def]
    import resource

    cpu = resource.getrlimit(resource.RLIMIT_CPU)[0]
    memory = resource.getrlimit(resource.RLIMIT_AS)[0]
    raise NotAReportError(f"{cpu} {memory}")


def test_result_comes_back_as_the_same_record() -> None:
    assert parse_in_worker(b"x", "a.txt", parse=returns_record) == _seed_record()


def test_limits_are_applied_in_the_child() -> None:
    with pytest.raises(NotAReportError) as info:
        parse_in_worker(b"x", "a.txt", cpu_s=7, memory_mb=900, parse=echoes_rlimits)
    assert info.value.detail == f"7 {900 * 1024 * 1024}"


def test_typed_error_keeps_its_type_detail_and_source() -> None:
    with pytest.raises(NotAReportError) as info:
        parse_in_worker(b"x", "年报.txt", parse=raises_typed)
    assert (info.value.code, info.value.detail, info.value.source) == (
        "not-a-report",
        "no table 3",
        "年报.txt",
    )


@pytest.mark.parametrize("stand_in", [raises_bug, exits, segfaults], ids=["exception", "exit", "segfault"])
def test_crash_becomes_corrupt_file_error(stand_in) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CorruptFileError) as info:
        parse_in_worker(b"x", "a.pdf", parse=stand_in)
    assert "secret internal detail" not in info.value.message


def test_wall_clock_timeout_kills_the_worker() -> None:
    # The wall-clock limit is what stops it (its detail says so), and no worker is left behind; how long
    # the kill takes is a figure for bench/limits.py, not an assertion that fails on a loaded machine.
    before = _workers()
    with pytest.raises(ParseTimeoutError) as info:
        parse_in_worker(b"x", "a.pdf", timeout_s=1.0, parse=sleeps)
    assert info.value.detail == "no result within 1 s"
    assert _workers() - before == set()


def _workers() -> set[int]:
    """Live processes below this one, the long-lived forkserver and resource tracker excepted."""
    out = set()
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = " ".join(child.cmdline())
            if child.status() != psutil.STATUS_ZOMBIE and "forkserver" not in command and "resource_tracker" not in command:
                out.add(child.pid)
    return out


def test_cpu_limit_stops_a_spinning_parser_before_the_wall_clock() -> None:
    with pytest.raises(ParseTimeoutError) as info:
        parse_in_worker(b"x", "a.pdf", timeout_s=600, cpu_s=1, parse=spins)  # the CPU limit, never the clock
    assert info.value.detail == "CPU time limit"


def test_memory_limit_gives_a_typed_error() -> None:
    with pytest.raises(ParseTimeoutError):
        parse_in_worker(b"x", "a.pdf", memory_mb=512, parse=allocates)


def test_a_hanging_upload_does_not_block_another() -> None:
    """While one worker hangs until its deadline, another file is parsed and returned."""
    parse_in_worker(b"x", "warm.txt", parse=returns_record)  # the forkserver is up, as in a running app
    hung: list[BaseException] = []

    def hang() -> None:
        try:
            parse_in_worker(b"x", "hang.pdf", timeout_s=20, parse=sleeps)
        except ParseTimeoutError as exc:
            hung.append(exc)

    thread = threading.Thread(target=hang)
    thread.start()
    time.sleep(0.3)
    assert parse_in_worker(b"x", "a.txt", parse=returns_record).agency
    assert thread.is_alive()  # the other upload finished while the first still hangs
    thread.join()
    assert len(hung) == 1


def test_real_parser_in_worker_matches_in_process() -> None:
    from gip_data.parse import parse_bytes

    data = SEED_TXT.read_bytes()
    assert parse_in_worker(data, SEED_TXT.name) == parse_bytes(data, SEED_TXT.name)
