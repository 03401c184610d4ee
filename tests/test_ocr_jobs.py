"""OCR as a job: the upload job board, the sandbox's OCR budget and progress, ``gip import``'s pool and bar.

The job board and the pool are tested with stand-in parsers (their bookkeeping
is what is checked); the sandbox route runs the real OCR engine on a small
image in a real limited worker.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from rich.console import Console
from rich.progress import Progress

from gip_data.cli import cli
from gip_data.cli.importing import ImportBar
from gip_data.errors import NotAReportError, ParseTimeoutError
from gip_data.jobs import JobBoard, parse_many
from gip_data.readers import ocr
from gip_data.sandbox import parse_in_worker
from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from tests.data.ocr.scans import ScanSpec, make_scan
from tests.paths import FIXTURES, SEEDS


def _record() -> AnnualReport:
    return AnnualReport.model_validate_json(next(SEEDS.glob("*.expected.json")).read_text(encoding="utf-8"))


def _wait(board: JobBoard, key: str, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = board.get(key)
        if job is not None and job.finished:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {key} did not finish")


def test_job_board_runs_in_the_background_and_relays_progress() -> None:
    release = threading.Event()
    seen: list[float] = []

    def slow_parse(data: bytes, file_name: str, on_progress) -> AnnualReport:  # type: ignore[no-untyped-def]
        on_progress(0.5, "识别第 1 页")
        release.wait(10)
        return _record()

    board = JobBoard(parse=slow_parse, threads=2)
    job = board.submit("k1", b"scan", "scan.png")
    assert job.status in ("queued", "running")  # submit returned at once
    deadline = time.monotonic() + 10
    while (board.get("k1") or job).fraction < 0.5 and time.monotonic() < deadline:
        time.sleep(0.01)
    running = board.get("k1")
    assert running is not None and running.status == "running" and running.message == "识别第 1 页"
    seen.append(running.fraction)
    assert board.submit("k1", b"scan", "scan.png").status == "running"  # the same file is not parsed twice
    release.set()
    done = _wait(board, "k1")
    assert done.status == "done" and done.report == _record() and done.fraction == 1.0 and seen == [0.5]


def test_job_board_keeps_typed_errors() -> None:
    def refuses(data: bytes, file_name: str, on_progress) -> AnnualReport:  # type: ignore[no-untyped-def]
        raise ParseTimeoutError("no result within 600 s", source=file_name)

    board = JobBoard(parse=refuses, threads=1)
    board.submit("k2", b"x", "big.pdf")
    job = _wait(board, "k2")
    assert job.status == "failed" and isinstance(job.error, ParseTimeoutError) and job.message == job.error.message_zh


def _text_image() -> bytes:
    """A photo-like PNG of a page with two printed lines and no report tables."""
    page = np.full((900, 700, 3), 250, np.uint8)
    cv2.putText(page, "ANNUAL MEETING 2024", (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (20, 20, 20), 3)
    cv2.putText(page, "Room 3119, 9:30", (60, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (20, 20, 20), 3)
    out = io.BytesIO()
    Image.fromarray(page).save(out, "PNG", dpi=(100, 100))
    return out.getvalue()


def test_sandbox_reads_an_image_by_ocr_with_progress() -> None:
    seen: list[tuple[float, str]] = []
    with pytest.raises(NotAReportError):
        parse_in_worker(_text_image(), "photo.png", on_progress=lambda f, t: seen.append((f, t)))
    assert seen and seen[-1][0] == 1.0
    assert all(0.0 <= f <= 1.0 for f, _ in seen)


def test_sandbox_ocr_budget_is_enforced() -> None:
    with pytest.raises(ParseTimeoutError):
        parse_in_worker(_text_image(), "photo.png", ocr_budget=(30.0, 1, 2048))


def fake_ocr_parse(path: str) -> str:
    """Pool stand-in (module level, so workers can import it): reports OCR progress, returns its path."""
    ocr._tell(0.5, f"识别 {path}")
    return path


def test_parse_many_runs_in_parallel_and_relays_each_files_progress() -> None:
    paths = [f"scan-{i}.png" for i in range(4)]
    progress: list[tuple[str, float, str]] = []
    results = list(parse_many(paths, 2, fake_ocr_parse, lambda p, f, t: progress.append((p, f, t))))
    assert sorted(results) == paths
    assert sorted(progress) == [(p, 0.5, f"识别 {p}") for p in paths]
    sequential: list[tuple[str, float, str]] = []
    assert list(parse_many(paths[:1], 1, fake_ocr_parse, lambda p, f, t: sequential.append((p, f, t)))) == paths[:1]
    assert sequential == [(paths[0], 0.5, f"识别 {paths[0]}")]


@pytest.mark.slow
def test_gip_import_takes_scans_from_a_folder_beside_other_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder with a PNG scan, a text report and files not taken: the scan is read by OCR on the pool."""
    folder = tmp_path / "in"
    folder.mkdir()
    seed = FIXTURES / "seed_001.pdf"
    (folder / "scan.png").write_bytes(make_scan(seed.read_bytes(), ScanSpec(dpi=150, angle=0.8, fmt="png", seed=3)))
    shutil.copy(FIXTURES / "seed_000.html", folder / "report.html")
    (folder / "anim.gif").write_bytes(b"GIF89a")
    (folder / "~$draft.docx").write_bytes(b"lock")
    monkeypatch.setenv("GIP_DATABASE_URL", f"sqlite:///{tmp_path / 'gip.db'}")
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["import", str(folder), "--jobs", "2", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["failed"], summary["skipped"]) == (2, 0, 2)
    scan_id = next(f["report_id"] for f in summary["files"] if f["source"].endswith("scan.png"))
    record = open_store(f"sqlite:///{tmp_path / 'gip.db'}").get_report(scan_id).record
    truth = json.loads(next(SEEDS.glob("001_*.expected.json")).read_text(encoding="utf-8"))
    assert record.source.format == "image" and record.source.reading in ("ocr", "ocr-all-pages")
    assert record.applications == truth["applications"] and all(s.source.confidence for s in record.provenance)


def test_import_bar_shows_each_scans_ocr_line_until_the_file_is_done() -> None:
    progress = Progress(console=Console(file=io.StringIO()), disable=True)
    bar = ImportBar(progress, total=2)
    bar.ocr_progress("in/scan.png", 0.4, "识别第 2 页 / OCR page 2 (1/2)")
    (scan_task,) = bar.scans.values()
    assert progress.tasks[scan_task].completed == 0.4 and "scan.png" in progress.tasks[scan_task].description
    bar.advance("in/report.html")
    assert bar.scans and progress.tasks[bar.task].completed == 1
    bar.advance("in/scan.png")
    assert not bar.scans and [t.id for t in progress.tasks] == [bar.task] and "2/2" in progress.tasks[0].description
