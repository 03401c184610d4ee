"""Concurrent uploads from several sessions and processes, on SQLite and PostgreSQL.

Each "session" takes the app's upload path (gip_data.ui.upload: sandboxed parse,
then save) for every file of one overlapping batch, in its own order. Sessions
run as threads (one app process serves many sessions) inside two processes
(replicas or a second app). Every report must be stored exactly once, none
lost, and no session may see an error (no "database is locked").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gip_data.storage import open_store
from tests.conftest import ROOT, SEEDS
from tests.dbs import db_url  # noqa: F401  (fixture: a fresh database per backend)

N_FILES = 20
PROCESSES = 2
SESSIONS_PER_PROCESS = 3
# One app process: SESSIONS threads upload every file of the folder, each in its own shuffled order.
APP_PROCESS = """
import json, random, sys, threading
from pathlib import Path
from gip_data.storage import open_store
from gip_data.ui import upload

url, folder, process, sessions = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
store = open_store(url)
files = sorted(folder.iterdir())
results, errors = [], []

def session(number):
    order = files[:]
    random.Random(process * 100 + number).shuffle(order)
    for path in order:
        try:
            data = path.read_bytes()
            report = upload.parse_upload(data, path.name)
            outcome = upload.save_upload(store, data, path.name, report, uploaded_by=f"p{process}s{number}")
            results.append((path.name, outcome.status, outcome.message))
        except Exception as exc:
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")

threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"results": results, "errors": errors}, ensure_ascii=False))
"""

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("concurrency-uploads")]


def write_reports(folder: Path) -> None:
    """N_FILES text reports: the seed report under distinct agency names."""
    text = (SEEDS / "000_0280ff8d4c297c03.txt").read_text(encoding="utf-8")
    names = [a + b for a in "东西南北中" for b in "山水林田"][:N_FILES]
    folder.mkdir()
    for i, name in enumerate(names):
        (folder / f"{i:03d}.txt").write_text(text.replace("沟赵", name), encoding="utf-8")


def test_concurrent_sessions_store_every_report_exactly_once(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    folder = tmp_path / "reports"
    write_reports(folder)
    open_store(db_url)  # create the schema once, as the running app would have
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", APP_PROCESS, db_url, str(folder), str(p), str(SESSIONS_PER_PROCESS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(PROCESSES)
    ]
    results, errors = [], []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        payload = json.loads(out.strip().splitlines()[-1])
        results += payload["results"]
        errors += payload["errors"]
    assert errors == []
    assert len(results) == N_FILES * PROCESSES * SESSIONS_PER_PROCESS
    assert [status for _, status, _ in results if status not in {"imported", "duplicate"}] == []
    imported = sorted(name for name, status, _ in results if status == "imported")
    assert imported == sorted(p.name for p in folder.iterdir())  # each file stored once, none lost
    store = open_store(db_url)
    assert store.count_reports() == N_FILES
    assert len(store.audit_log(limit=1000)) >= N_FILES
