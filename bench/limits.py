"""How fast the input-safety limits stop bad files, against a plain sandboxed parse in the same run.

Run: .venv/bin/python bench/limits.py
The tests check *that* a limit stops each bad file (tests/test_bad_inputs.py, tests/test_sandbox.py,
tests/test_readers.py); the time it takes depends on the machine's load, so it is a figure printed here:
the sandbox round trip of a small good report is the baseline, every other time is also given as a
multiple of it.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gip_data.errors import GipDataError  # noqa: E402
from gip_data.readers.registry import ReadLimits, read_document  # noqa: E402
from gip_data.sandbox import parse_in_worker  # noqa: E402
from tests.paths import DATA, SEEDS  # noqa: E402
from tests.test_sandbox import sleeps, spins  # noqa: E402

BAD = DATA / "bad"


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes; a typed error is the expected outcome for the bad inputs."""
    started = time.perf_counter()
    with contextlib.suppress(GipDataError):
        action()
    return time.perf_counter() - started


def main() -> None:
    """Print the baseline, then each limit's time and its ratio to the baseline."""
    seed = sorted(SEEDS.glob("*.txt"))[0]
    parse_in_worker(seed.read_bytes(), seed.name)  # start the forkserver before any clock runs
    base = statistics.median(timed(lambda: parse_in_worker(seed.read_bytes(), seed.name)) for _ in range(5))
    print(f"baseline: sandboxed parse of {seed.name}: {base * 1000:.0f} ms")

    def show(label: str, seconds: float) -> None:
        print(f"{label:<58} {seconds * 1000:8.0f} ms  {seconds / base:6.1f}x baseline")

    manifest = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))
    bad = {
        name: timed(lambda name=name: parse_in_worker((BAD / name).read_bytes(), name, timeout_s=20))
        for name in manifest
    }
    slowest = max(bad, key=bad.get)  # type: ignore[arg-type]
    show(f"bad inputs ({len(bad)}), median refusal in the sandbox", statistics.median(bad.values()))
    show(f"bad inputs, slowest ({slowest})", bad[slowest])
    too_big = b"0 " * (600 * 1024)
    show(
        "size limit (1 MB), in the sandbox",
        timed(lambda: parse_in_worker(too_big, "big.txt", limits=ReadLimits(max_bytes=2**20))),
    )
    show(
        "size limit (1 MB), in-process",
        timed(lambda: read_document(too_big, "big.txt", ReadLimits(max_bytes=2**20))),
    )
    bomb = (DATA / "readers" / "zip_bomb.docx").read_bytes()
    show("DOCX zip bomb (120 MB member), in-process", timed(lambda: read_document(bomb, "zip_bomb.docx")))
    show(
        "wall-clock limit 1 s: until the worker is killed",
        timed(lambda: parse_in_worker(b"x", "a.pdf", timeout_s=1.0, parse=sleeps)),
    )
    show(
        "CPU limit 1 s: until the worker is stopped",
        timed(lambda: parse_in_worker(b"x", "a.pdf", timeout_s=60, cpu_s=1, parse=spins)),
    )


if __name__ == "__main__":
    main()
