"""Child process for concurrency and crash tests: ``python -m tests.storage_worker URL FIRST LAST``.

Imports the constructed reports FIRST..LAST-1 (one body each, so every report
has its own identity) through the public store API, one transaction each, and
prints one line per outcome.
"""

from __future__ import annotations

import sys

from gip_data.storage import open_store
from tests.strategies import make_report, report_bytes


def worker_report(i: int):
    """The i-th report of the test population."""
    return make_report(agency=f"测试机关{i:05d}", year=2020 + i % 5, seed=i)


def main(url: str, first: int, last: int) -> int:
    """Import reports first..last-1 (or downwards) into the database at ``url``."""
    store = open_store(url)
    # LAST < FIRST walks downwards, so two workers can meet head-on in a shared range.
    for i in range(first, last) if first <= last else range(first - 1, last - 1, -1):
        record = worker_report(i)
        outcome = store.import_bytes(
            report_bytes(record), f"r{i}.txt", uploaded_by=f"worker{first}", report=record
        )
        if outcome.status == "failed":
            print(f"FAILED {i} {outcome.message}", flush=True)
            return 1
        print(f"{i} {outcome.status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
