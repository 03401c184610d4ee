"""Child process for large SQLite reads: ``python -m gip_data.storage.read_worker URI SQL OUT``.

Runs connectorx away from the parent's SQLite connections (see frames_io) and
writes the result as an Arrow IPC file for the parent to read.
"""

from __future__ import annotations

import sys

import polars as pl


def main(argv: list[str]) -> int:
    """Read ``SQL`` from ``URI`` with connectorx and write it to ``OUT``."""
    uri, query, out = argv
    pl.read_database_uri(query, uri, engine="connectorx").write_ipc(out, compression="uncompressed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
