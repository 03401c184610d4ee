"""OCR speed, memory and accuracy on a set of scans, and the engine choice measured against tesseract.

Usage: ``.venv/bin/python bench/ocr.py [--threads N] [--no-tesseract] [--quick]``

The scan set is the committed real scan plus scans made here from the seed
fixtures and the real PDF (the same makers as ``tests/test_ocr_scans.py``,
with more variants): 150/180/200/300 dpi, turned up to ±2°, specks, blur,
grey and colour with a seal, one page upside down, image-only PDF, PNG/JPEG
long images and TIFF. Every report is parsed in a fresh subprocess (this
script with ``--worker``) so its peak RSS is its own. Printed:

- seconds per table page (a page OCR'd in full that holds a ruled grid) and
  per report (whole parse: finding the table pages, OCR, extraction), on
  ``--threads`` onnxruntime threads (default: every core);
- peak RSS of the parsing process;
- the share of table-3/4 cells right, of cells flagged (null with a warning),
  and the count of wrong numbers presented as read (target 0);
- the same parse with tesseract ``chi_sim`` (Debian's ``tesseract-ocr`` +
  ``tesseract-ocr-chi-sim``) reading the same cell and line images, when it is
  installed: the engine comparison behind the choice of rapidocr.

Targets: ≤ 8 s per table page, ≤ 1.5 GB RSS, ≥ 98 % of cells right, 0 wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.data.ocr.scans import ScanSpec, make_scan  # noqa: E402
from tests.paths import FIXTURES, REAL, SEEDS  # noqa: E402

REAL_PDF = REAL / "huaian-city-2024.pdf"
SCAN_SET: list[tuple[Path, ScanSpec]] = [
    (FIXTURES / "seed_000.pdf", ScanSpec(dpi=200, angle=1.5, noise=0.002, blur=0.8, seed=1)),
    (FIXTURES / "seed_001.pdf", ScanSpec(dpi=150, angle=-2.0, noise=0.001, grey=False, stamp=True, fmt="png", seed=2)),
    (FIXTURES / "seed_002.pdf", ScanSpec(dpi=200, angle=0.7, blur=1.0, grey=False, fmt="jpeg", seed=3)),
    (FIXTURES / "seed_003.pdf", ScanSpec(dpi=300, angle=-1.2, noise=0.002, upside_down=(1,), seed=4)),
    (FIXTURES / "seed_004.pdf", ScanSpec(dpi=300, angle=2.0, blur=0.6, fmt="tiff", seed=5)),
    (FIXTURES / "seed_001.pdf", ScanSpec(dpi=200, angle=1.2, noise=0.003, blur=0.9, seed=8)),
    (FIXTURES / "seed_003.pdf", ScanSpec(dpi=150, angle=0.4, blur=1.2, fmt="jpeg", seed=9)),
    (REAL_PDF, ScanSpec(dpi=150, angle=-1.8, noise=0.002, blur=0.7, seed=6)),
    (REAL_PDF, ScanSpec(dpi=200, angle=1.0, noise=0.001, grey=False, stamp=True, fmt="jpeg", pages=(0, 3, 4), seed=7)),
    (REAL_PDF, ScanSpec(dpi=300, angle=-0.6, noise=0.001, blur=0.8, upside_down=(4,), seed=10)),
]
CASES = ("review", "litigation_direct", "litigation_after_review")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


def truth_of(source: Path) -> dict:
    """The hand-read truth of a scan's source."""
    if source.parent == REAL:
        return json.loads((REAL / source.name.replace(".pdf", ".truth.json")).read_text(encoding="utf-8"))
    number = source.stem.removeprefix("seed_")
    return json.loads(next(SEEDS.glob(f"{number}_*.expected.json")).read_text(encoding="utf-8"))


def score(record: dict | None, truth: dict) -> tuple[int, int, int, int]:
    """(cells right, cells flagged null, wrong numbers presented as read, cells) over tables 3 and 4."""
    right = flagged = wrong = total = 0
    got_rows = (record or {}).get("applications") or {}
    pairs = [(got_rows.get(row), cells) for row, cells in truth["applications"].items()]
    for block in CASES:
        got = (record or {}).get(block)
        pairs.append(([got[k] for k in OUTCOMES] if got else None, [truth[block][k] for k in OUTCOMES]))
    for got, want in pairs:
        for index, value in enumerate(want):
            total += 1
            if got is None:
                flagged += 1
            elif got[index] == value:
                right += 1
            else:
                wrong += 1
    return right, flagged, wrong, total


# --- worker: one parse in this process ----------------------------------------------------------


class _Tesseract:
    """Recognition by the tesseract CLI (chi_sim, one text line per image), for the comparison."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def detect(self, image):  # type: ignore[no-untyped-def]
        return self.inner.detect(image)  # type: ignore[attr-defined]

    def upside_down(self, lines):  # type: ignore[no-untyped-def]
        return self.inner.upside_down(lines)  # type: ignore[attr-defined]

    def recognize(self, lines):  # type: ignore[no-untyped-def]
        import cv2

        from gip_data.readers.ocr.engine import Reading

        if not lines:
            return []
        with tempfile.TemporaryDirectory() as folder:
            names = []
            for i, line in enumerate(lines):
                names.append(os.path.join(folder, f"{i:05d}.png"))
                cv2.imwrite(names[-1], line)
            listing = os.path.join(folder, "list.txt")
            Path(listing).write_text("\n".join(names) + "\n")
            run = subprocess.run(
                ["tesseract", listing, "stdout", "-l", "chi_sim", "--psm", "7", "tsv"],
                capture_output=True,
                text=True,
                check=False,
            )
        words: dict[int, list[tuple[str, float]]] = {}
        for row in run.stdout.splitlines()[1:]:
            parts = row.split("\t")
            if len(parts) == 12 and parts[0] == "5" and parts[11].strip():
                words.setdefault(int(parts[1]) - 1, []).append((parts[11].strip(), max(0.0, float(parts[10])) / 100))
        out = []
        for i in range(len(lines)):
            found = words.get(i, [])
            text = "".join(w for w, _ in found)
            probs = tuple(c for w, c in found for _ in w)
            out.append(Reading(text, probs))
        return out


def worker(path: str, name: str, engine_name: str) -> None:
    """Parse one scan; print JSON with the record, times and peak RSS."""
    from gip_data.errors import GipDataError
    from gip_data.parse import parse_bytes
    from gip_data.readers.ocr import engine as engine_module
    from gip_data.readers.ocr import page as page_module

    if engine_name == "tesseract":
        inner = engine_module.engine()
        engine_module._engine = _Tesseract(inner)  # type: ignore[assignment]
    page_times: list[tuple[float, bool]] = []
    read_page = page_module.read_page

    def timed(engine, page):  # type: ignore[no-untyped-def]
        from gip_data.readers.document import Table

        start = time.perf_counter()
        blocks = read_page(engine, page)
        page_times.append((time.perf_counter() - start, any(isinstance(b, Table) for b in blocks)))
        return blocks

    page_module.read_page = timed
    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        record = parse_bytes(data, name).model_dump(mode="json")
    except GipDataError as exc:
        record = {"error": exc.code}
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"record": record, "seconds": seconds, "pages": page_times, "rss_mb": rss}, ensure_ascii=False))


# --- driver -------------------------------------------------------------------------------------


def run_set(scans: list[tuple[str, Path, str]], engine_name: str, threads: int) -> dict:
    """Parse every scan in a fresh worker; the summed figures."""
    env = {**os.environ, "GIP_OCR_THREADS": str(threads)}
    totals = {"right": 0, "flagged": 0, "wrong": 0, "cells": 0, "reports": 0, "exact": 0}
    report_s: list[float] = []
    table_page_s: list[float] = []
    rss = 0.0
    for label, file, source in scans:
        run = subprocess.run(
            [sys.executable, __file__, "--worker", str(file), file.name, engine_name],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        record = result["record"] if "error" not in result["record"] else None
        right, flagged, wrong, cells = score(record, truth_of(Path(source)))
        for key, value in zip(("right", "flagged", "wrong", "cells"), (right, flagged, wrong, cells), strict=True):
            totals[key] += value
        totals["reports"] += 1
        totals["exact"] += right == cells
        report_s.append(result["seconds"])
        table_page_s += [s for s, table in result["pages"] if table]
        rss = max(rss, result["rss_mb"])
        print(f"  {engine_name:9} {label:48} {right:3}/{cells} right, {flagged:3} flagged, {wrong} wrong, "
              f"{result['seconds']:5.1f} s, {result['rss_mb']:5.0f} MB", flush=True)
    totals.update(
        report_s=sum(report_s) / len(report_s),
        table_page_s=sum(table_page_s) / max(1, len(table_page_s)),
        table_pages=len(table_page_s),
        rss_mb=rss,
    )
    return totals


def _print(name: str, t: dict) -> None:
    cells = max(1, t["cells"])
    print(
        f"{name:9} cells right {t['right']}/{t['cells']} ({100 * t['right'] / cells:.1f} %), "
        f"flagged {t['flagged']} ({100 * t['flagged'] / cells:.1f} %), wrong presented as read {t['wrong']}; "
        f"reports exact {t['exact']}/{t['reports']}; {t['table_page_s']:.1f} s per table page "
        f"({t['table_pages']} pages), {t['report_s']:.1f} s per report, peak RSS {t['rss_mb']:.0f} MB"
    )


def main() -> None:
    """Make the scan set, parse it with each engine, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-tesseract", action="store_true")
    parser.add_argument("--quick", action="store_true", help="the committed scan and three made ones only")
    args = parser.parse_args()
    chosen = SCAN_SET[:3] if args.quick else SCAN_SET
    with tempfile.TemporaryDirectory() as folder:
        scans = [("huaian-city-2024.scan.pdf (committed)", REAL / "huaian-city-2024.scan.pdf", str(REAL_PDF))]
        for i, (source, spec) in enumerate(chosen):
            file = Path(folder) / f"{i:02d}-{source.stem}{spec.suffix}"
            file.write_bytes(make_scan(source.read_bytes(), spec))
            scans.append((f"{source.stem} {spec.label()}", file, str(source)))
        print(f"{len(scans)} scans, {os.cpu_count()} cores, {args.threads} onnxruntime threads")
        results = {"rapidocr": run_set(scans, "rapidocr", args.threads)}
        if not args.no_tesseract and shutil.which("tesseract"):
            results["tesseract"] = run_set(scans, "tesseract", args.threads)
    print()
    for name, totals in results.items():
        _print(name, totals)
    print("targets: <= 8 s per table page, <= 1500 MB, >= 98 % of cells right, 0 wrong presented as read")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
