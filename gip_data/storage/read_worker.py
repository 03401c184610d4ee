"""Child process for large SQLite reads: ``python -m gip_data.storage.read_worker URI SQL OUT``.

Runs connectorx away from the parent's SQLite connections (see frames_io),
casts to the wide schema here (SQLite integers arrive as Int64: halving them
before the hand-over halves the file and the parent's memory) and writes an
Arrow IPC file the parent memory-maps.
"""

from __future__ import annotations

import sys

import polars as pl


def main(argv: list[str]) -> int:
    """Read ``SQL`` from ``URI`` with connectorx and write it to ``OUT``."""
    uri, query, out = argv
    from gip_data.storage.frames_io import conform_wide

    raw = pl.read_database_uri(query, uri, engine="connectorx")
    conform_wide(raw).write_ipc(out, compression="uncompressed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
