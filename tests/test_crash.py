"""kill -9 at random moments of an import of 200 files, twenty times.

Half the trials kill ``gip import``; the other half kill a process that stores
files the way the app's upload page does (sandboxed parse, then save). After
each kill the database must pass SQLite's integrity check, open, hold only
complete reports, and a re-run of ``gip import`` must finish with exactly 200.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner

from gip_data.storage import open_store
from tests.conftest import ROOT, SEEDS

N_FILES = 200
TRIALS = 20
SEED_REPORT = SEEDS / "000_0280ff8d4c297c03.txt"
SEED_AGENCY_PART = "沟赵"
# The app-like victim: what pages/upload.py does for each file, in a loop.
APP_VICTIM = """
import sys
from pathlib import Path
from gip_data.storage import open_store
from gip_data.ui import upload
store = open_store(sys.argv[1])
for path in sorted(Path(sys.argv[2]).iterdir()):
    data = path.read_bytes()
    upload.save_upload(store, data, path.name, upload.parse_upload(data, path.name), uploaded_by="crash-test")
"""

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("crash")]


def write_reports(folder: Path) -> None:
    """200 text reports: the seed report under 200 distinct agency names."""
    text = SEED_REPORT.read_text(encoding="utf-8")
    assert SEED_AGENCY_PART in text
    first, second = "东西南北中新老上下前后左右金银青红白黄紫", "山水林田湖河桥港湾岭"
    names = [a + b for a in first for b in second][:N_FILES]
    assert len(set(names)) == N_FILES
    folder.mkdir()
    for i, name in enumerate(names):
        (folder / f"{i:03d}.txt").write_text(text.replace(SEED_AGENCY_PART, name), encoding="utf-8")


def report_rows(db: Path) -> int:
    """Stored report rows, read without the store (the victim may hold the write lock)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as raw:
            return raw.execute("SELECT count(*) FROM report").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet, or momentarily locked


def start_victim(kind: str, url: str, folder: Path) -> subprocess.Popen[bytes]:
    if kind == "gip-import":
        command = [
            sys.executable,
            "-m",
            "gip_data",
            "import",
            str(folder),
            "--db",
            url,
            "--jobs",
            "2",
            "--json",
        ]
    else:
        command = [sys.executable, "-c", APP_VICTIM, url, str(folder)]
    # Its own session, so the helpers it leaves behind (pool workers, forkserver) can be reaped as a group.
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_at_random_moment(victim: subprocess.Popen[bytes], db: Path, rng: random.Random) -> None:
    """Wait until the victim is storing, then kill -9 it after a random delay."""
    deadline = time.monotonic() + 60
    threshold = rng.randint(1, 40)
    while report_rows(db) < threshold and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 0.3))
    assert victim.poll() is None, "the import finished before the kill"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert_group_empties(victim.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(victim.pid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of one process group."""
    members = []
    for proc in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error, ProcessLookupError):  # it may end while we look
            if os.getpgid(proc.pid) == pgid and proc.status() != psutil.STATUS_ZOMBIE:
                members.append(proc.pid)
    return members


def assert_group_empties(pgid: int, within_s: float = 120.0) -> None:
    """The killed process leaves no worker behind: its helpers die with it.

    ``within_s`` only bounds the wait (it ends as soon as the group is empty): generous, so that a loaded
    machine cannot fail it.
    """
    deadline = time.monotonic() + within_s
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_members(pgid), "workers outlived the killed process"


def assert_consistent(url: str, db: Path) -> int:
    """Integrity check passes, the store opens, every stored report is whole; the report count."""
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in raw.execute("SELECT id FROM report")]
    store = open_store(url)
    for report_id in ids:
        stored = store.get_report(report_id)
        assert stored.record.applications["total"] is not None and stored.record.review is not None
        name, data = store.original_file(report_id)
        assert hashlib.sha256(data).hexdigest() == stored.sha256
    assert len(ids) < N_FILES
    return len(ids)


def reimport(url: str, folder: Path) -> dict:
    """Run ``gip import`` again (in this process: the same command, without a second interpreter start)."""
    from gip_data.cli import cli

    done = CliRunner().invoke(cli, ["import", str(folder), "--db", url, "--jobs", "2", "--json"])
    assert done.exit_code == 0, done.output[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_twenty_kill_9_points_during_an_import_of_200_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "reports"
    write_reports(folder)
    rng = random.Random(5)
    clean = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.db"
        url = f"sqlite:///{db}"
        victim = start_victim(("gip-import", "app-upload")[trial % 2], url, folder)
        kill_at_random_moment(victim, db, rng)
        stored = assert_consistent(url, db)
        summary = reimport(url, folder)
        assert summary["failed"] == 0
        assert summary["duplicate"] == stored
        store = open_store(url)
        assert store.count_reports() == N_FILES
        assert report_rows(db) == N_FILES
        clean += 1
    assert clean == TRIALS
