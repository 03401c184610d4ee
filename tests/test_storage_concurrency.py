"""Several processes on one database: overlapping imports, replicas, and kill -9 mid-import."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from gip_data.storage import load_frames
from gip_data.storage.rows import cell_values
from gip_data.storage.sql import SqlStore
from tests import dbs
from tests.storage_worker import worker_report

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend

ROOT = Path(__file__).resolve().parent.parent


def _worker(url: str, first: int, last: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage_worker", url, str(first), str(last)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stored_rows(path: Path) -> int:
    try:
        with sqlite3.connect(path) as raw:
            return raw.execute("SELECT count(*) FROM report").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _assert_complete(store: SqlStore) -> None:
    """Every stored report is whole: record, every cell column, its file and its audit entry."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM report")).all()
        files = dict(conn.execute(sa.text("SELECT sha256, size FROM report_file")).all())
        audited = {r for (r,) in conn.execute(sa.text("SELECT report_id FROM audit"))}
    for row in rows:
        record = store.get_report(row.id).record
        assert record == worker_report(int(record.agency[4:]))
        for column, value in cell_values(record).items():
            assert row._mapping[column] == value
        assert row.file_sha256 in files and row.id in audited


@pytest.mark.slow
def test_overlapping_concurrent_imports_store_each_report_once(store: SqlStore) -> None:
    # One walks 0→59, the other 89→30: they meet head-on inside 30..59.
    workers = [_worker(store.url, 0, 60), _worker(store.url, 90, 30)]
    statuses: list[str] = []
    for w in workers:
        out, err = w.communicate(timeout=180)
        assert w.returncode == 0, err[-2000:]
        statuses += [line.split()[1] for line in out.splitlines()]
    assert statuses.count("imported") == 90 and statuses.count("duplicate") == 30
    with store.engine.connect() as conn:
        keys = [k for (k,) in conn.execute(sa.text("SELECT identity_key FROM report"))]
    assert len(keys) == len(set(keys)) == 90
    assert store.count_reports() == 90
    _assert_complete(store)


def test_second_replica_sees_imports_at_next_load(store: SqlStore) -> None:
    before = load_frames(store)
    other = _worker(store.url, 0, 5)
    assert other.wait(timeout=120) == 0, other.stderr.read()
    after = load_frames(store)
    assert after.data_version > before.data_version
    assert after.wide.height == before.wide.height + 5


@pytest.mark.slow
def test_kill_9_during_import_leaves_no_partial_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    SqlStore(url).close()
    victim = _worker(url, 0, 3000)
    for _ in range(20):  # wait until it is importing, however loaded the machine is
        assert victim.stdout.readline(), victim.stderr.read()
    time.sleep(random.uniform(0.0, 1.5))
    assert victim.poll() is None, "the import finished before the kill"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    with sqlite3.connect(tmp_path / "gip.db") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = SqlStore(url)
    stored = store.count_reports()
    assert 0 < stored < 3000
    _assert_complete(store)
    rerun = _worker(url, 0, 300)  # the batch can be run again: duplicates are skipped, the rest stored
    assert rerun.wait(timeout=120) == 0
    assert store.count_reports() == max(stored, 300)
    store.close()


@pytest.mark.slow
def test_kill_9_during_gip_import_then_reimport_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import SEEDS

    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'gip.db'}"
    folder = tmp_path / "batch"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(400):  # distinct bytes, five bodies: a long chain of new versions
        source = seeds[i % len(seeds)]
        (folder / f"{i:04d}_{source.name}").write_bytes(source.read_bytes() + f"\n副本 {i}\n".encode())
    command = [sys.executable, "-m", "gip_data", "import", str(folder), "--db", url, "--jobs", "2", "--json"]
    victim = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _stored_rows(tmp_path / "gip.db") < 5 and time.monotonic() < deadline:
        time.sleep(0.1)  # wait until it is storing, however loaded the machine is
    time.sleep(random.uniform(0.0, 2.0))
    assert victim.poll() is None, "the import finished before the kill"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    with sqlite3.connect(tmp_path / "gip.db") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = raw.execute(
            "SELECT r.id, r.sha256, f.data FROM report r JOIN report_file f ON f.sha256 = r.file_sha256"
        ).fetchall()
        assert raw.execute("SELECT count(*) FROM report").fetchone()[0] == len(rows) < 400
    store = SqlStore(url)
    for report_id, sha, data in rows:
        assert __import__("hashlib").sha256(data).hexdigest() == sha
        assert store.get_report(report_id).record.applications["total"] is not None
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert summary["duplicate"] == len(rows) and summary["failed"] == 0
    assert summary["imported"] + summary["new_version"] == 400 - len(rows)
    assert store.count_reports() == len(seeds)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM report")).scalar_one() == 400
    store.close()
