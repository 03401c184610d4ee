"""Provenance storage benchmark: one compressed row per report (what the store does) vs one row per cell.

    .venv/bin/python bench/provenance.py [--reports 2000] [--kind pdf|text|grid] [--lookups 2000]

Writes the same provenance (every cell of a 2021 report, as a PDF, text or grid
reader records it) into two SQLite databases under bench/out/:

- ``blob``: the store's ``cell_source`` table (one row per report, column-wise
  JSON compressed with zlib, storage.provenance);
- ``rows``: the alternative, one ``WITHOUT ROWID`` row per cell keyed by
  (report id, table, row, column).

Prints bytes per report of each (database file growth over an empty one),
their ratio, the projection to 1,000,000 reports, and the time of one "source
of this cell" lookup (random report and cell: primary-key read, and for
``blob`` the decoding) for both, with the ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gip_data.storage.provenance import decode_source, encode_sources  # noqa: E402
from tests.strategies import make_report, with_provenance  # noqa: E402

OUT = ROOT / "bench" / "out" / "provenance"
_BLOB_DDL = "CREATE TABLE cell_source (report_id INTEGER PRIMARY KEY, cells INTEGER NOT NULL, data BLOB NOT NULL)"
_ROWS_DDL = """
CREATE TABLE cell_row (
    report_id INTEGER, tbl INTEGER, row_key TEXT, column_key TEXT,
    page INTEGER, x0 REAL, top REAL, x1 REAL, bottom REAL, line INTEGER, start INTEGER, "end" INTEGER,
    grid_table INTEGER, grid_row INTEGER, grid_column INTEGER, text TEXT, confidence REAL,
    PRIMARY KEY (report_id, tbl, row_key, column_key)
) WITHOUT ROWID
"""


def _records(n: int, kind: str) -> list:
    return [with_provenance(make_report(seed=i + 1), kind) for i in range(n)]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _blob_db(records: list, folder: Path) -> tuple[sqlite3.Connection, int]:
    path = folder / "blob.db"
    conn = sqlite3.connect(path)
    conn.execute(_BLOB_DDL)  # the DDL SQLAlchemy emits for storage.schema.cell_source, without the foreign key
    conn.commit()
    empty = _size(path)
    rows = [(i, len(r.provenance), encode_sources(r.provenance)) for i, r in enumerate(records, start=1)]
    conn.executemany("INSERT INTO cell_source VALUES (?, ?, ?)", rows)
    conn.commit()
    return conn, _size(path) - empty


def _rows_db(records: list, folder: Path) -> tuple[sqlite3.Connection, int]:
    path = folder / "rows.db"
    conn = sqlite3.connect(path)
    conn.execute(_ROWS_DDL)
    conn.commit()
    empty = _size(path)
    for i, record in enumerate(records, start=1):
        rows = []
        for cell in record.provenance:
            s = cell.source
            box = s.bbox or (None, None, None, None)
            rows.append((i, cell.table, cell.row, cell.column, s.page, *box, s.line, s.start, s.end,
                         s.grid_table, s.grid_row, s.grid_column, s.text, s.confidence))
        conn.executemany(f"INSERT INTO cell_row VALUES ({', '.join('?' * 17)})", rows)
    conn.commit()
    return conn, _size(path) - empty


def _lookups(records: list, n: int, seed: int = 7) -> list[tuple[int, int, str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        i = rng.randrange(len(records))
        cell = rng.choice(records[i].provenance)
        out.append((i + 1, cell.table, cell.row, cell.column))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--kind", choices=["pdf", "text", "grid"], default="pdf")
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    records = _records(args.reports, args.kind)
    blob, blob_bytes = _blob_db(records, OUT)
    rows, rows_bytes = _rows_db(records, OUT)
    queries = _lookups(records, args.lookups)
    t0 = time.perf_counter()
    for report_id, table, row, column in queries:
        data = blob.execute("SELECT data FROM cell_source WHERE report_id=?", (report_id,)).fetchone()[0]
        assert decode_source(data, table, row, column) is not None
    blob_time = (time.perf_counter() - t0) / len(queries)
    t0 = time.perf_counter()
    for key in queries:
        found = rows.execute(
            "SELECT * FROM cell_row WHERE report_id=? AND tbl=? AND row_key=? AND column_key=?", key
        ).fetchone()
        assert found is not None
    rows_time = (time.perf_counter() - t0) / len(queries)
    n, cells = args.reports, len(records[0].provenance)
    print(f"provenance of {n} reports × {cells} cells ({args.kind} sources), SQLite")
    print(f"  one row per report (store): {blob_bytes / n:8.0f} B/report → {blob_bytes / n * 1e6 / 1e9:6.1f} GB per 1,000,000")
    print(f"  one row per cell:           {rows_bytes / n:8.0f} B/report → {rows_bytes / n * 1e6 / 1e9:6.1f} GB per 1,000,000")
    print(f"  size ratio rows/blob: {rows_bytes / blob_bytes:.1f}")
    print(f"  one cell's source: per report {blob_time * 1e3:.3f} ms (read + decode), "
          f"per cell {rows_time * 1e3:.3f} ms; ratio {blob_time / rows_time:.1f}")
    rows.close()
    blob.close()


if __name__ == "__main__":
    main()
