"""Time metadata inference per report, against reading the same document (the baseline).

Prints, for the seed TXT files and their HTML/DOCX/PDF fixtures: the one-off cost
of the first call (gazetteer + OpenCC load), then the median time of
``infer_metadata`` and of ``read_document`` per file, and their ratio.

Run: ``.venv/bin/python bench/bench_metadata.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gip_data.extract.metadata import infer_metadata  # noqa: E402
from gip_data.readers.registry import read_document  # noqa: E402
from tests.paths import FIXTURES, SEEDS  # noqa: E402

ROUNDS = 20


def median_ms(action) -> float:
    """Median wall time of ``action`` over ROUNDS runs, in milliseconds."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print the figures."""
    files = sorted(SEEDS.glob("*.txt")) + sorted(FIXTURES.glob("seed_*.*"))
    docs = [(path, read_document(path.read_bytes(), path.name)) for path in files]
    start = time.perf_counter()
    infer_metadata(*docs[0][1:], docs[0][0].name)
    print(f"first call (loads gazetteer and OpenCC): {(time.perf_counter() - start) * 1000:.1f} ms")
    ratios = []
    for path, doc in docs:
        meta_ms = median_ms(lambda d=doc, p=path: infer_metadata(d, p.name))
        read_ms = median_ms(lambda p=path: read_document(p.read_bytes(), p.name))
        ratios.append(meta_ms / read_ms)
        print(
            f"{path.name:32} metadata {meta_ms:6.2f} ms   read {read_ms:7.2f} ms   ratio {meta_ms / read_ms:5.2f}"
        )
    print(f"median metadata/read ratio: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
