"""Parse throughput per format, PDF speed against bare pdfplumber, peak memory.

Usage: ``.venv/bin/python bench/parse.py [--copies N] [--rounds M]``

Every measurement runs in a fresh subprocess (this script with ``--worker``), so
imports, caches and peak RSS of one do not leak into another. Each worker
parses every distinct input once before the clock starts (warm-up: imports and
lazy loading), then parses its list of files and reports seconds and peak RSS.

- Throughput: the 5 seed reports per format (TXT seeds, HTML/DOCX/PDF
  fixtures), cycled to ``--copies`` files, through ``gip_data.parse.parse_bytes``
  (the whole pipeline: every reading it makes, extraction, checks).
- PDF ratio: our full parse vs pdfplumber ``extract_tables()`` +
  ``extract_text()`` on every page, on the same files in the same run, each
  file ``--rounds`` times: the real WPS report (target ratio ≤ 0.7) and the
  fixture PDFs (seed fixtures and WPS-style fixtures; target ≤ 0.5). Peak RSS of
  our parse ≤ 300 MB. The reading that won is listed per file.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.paths import DATA, FIXTURES, REAL, SEEDS  # noqa: E402

FORMATS = ("txt", "html", "docx", "pdf")
TARGETS = {"real": 0.7, "fixtures": 0.5}
PEAK_MB = 300


def inputs(fmt: str) -> list[Path]:
    """The 5 seed reports in one format."""
    if fmt == "txt":
        return sorted(SEEDS.glob("*.txt"))
    return sorted(FIXTURES.glob(f"seed_*.{fmt}"))


def pdf_groups() -> dict[str, list[Path]]:
    """The real WPS PDF, and the fixture PDFs that are reports (not the needs-OCR one)."""
    wps = [
        p for p in sorted((DATA / "wps").glob("*.pdf"))
        if "error" not in json.loads(p.with_name(p.stem + ".truth.json").read_text(encoding="utf-8"))
    ]
    return {"real": [REAL / "huaian-city-2024.pdf"], "fixtures": sorted(FIXTURES.glob("seed_*.pdf")) + wps}


def _parse_ours(data: bytes, name: str) -> str:
    """One full parse; the reading that won (a report the extractor rejects still counts: the time was spent)."""
    from gip_data.errors import GipDataError
    from gip_data.parse import parse_bytes

    with contextlib.suppress(GipDataError):
        return parse_bytes(data, name).source.reading or ""
    return "rejected"


def _parse_pdfplumber(data: bytes, name: str) -> str:
    """The baseline: bare pdfplumber tables and text of every page."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
    return "pdfplumber"


def worker(paths: list[Path], engine: str, count: int) -> dict[str, object]:
    """Time ``count`` parses of ``paths`` (cycled) in this process."""
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # the baseline's font warnings are not figures
    files = [(p.name, p.read_bytes()) for p in paths]
    run = _parse_pdfplumber if engine == "pdfplumber" else _parse_ours
    readings = {name: run(data, name) for name, data in files}  # warm-up
    start = time.perf_counter()
    for i in range(count):
        name, data = files[i % len(files)]
        run(data, name)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"files": count, "seconds": seconds, "peak_mb": peak_kb / 1024, "readings": readings}


def spawn(paths: list[Path], engine: str, count: int) -> dict:  # type: ignore[type-arg]
    """Run one worker in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--worker", json.dumps([str(p) for p in paths]),
               "--engine", engine, "--copies", str(count)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def throughput(copies: int) -> None:
    print(f"{'format':<6} {'files':>6} {'seconds':>8} {'reports/s':>10} {'peak RSS MB':>12}")
    for fmt in FORMATS:
        r = spawn(inputs(fmt), "ours", copies)
        rate = r["files"] / r["seconds"]
        print(f"{fmt:<6} {r['files']:>6} {r['seconds']:>8.2f} {rate:>10.1f} {r['peak_mb']:>12.0f}")


def pdf_ratios(rounds: int) -> None:
    print()
    print("PDF: full parse vs bare pdfplumber extract_tables()+extract_text(), same files, same run")
    for group, paths in pdf_groups().items():
        count = rounds * len(paths)
        ours = spawn(paths, "ours", count)
        plumber = spawn(paths, "pdfplumber", count)
        ratio = ours["seconds"] / plumber["seconds"]
        ok = ratio <= TARGETS[group] and ours["peak_mb"] <= PEAK_MB
        print(f"  {group} ({len(paths)} files × {rounds}): ours {ours['seconds']:.3f} s, peak RSS {ours['peak_mb']:.0f} MB; "
              f"pdfplumber {plumber['seconds']:.3f} s, peak RSS {plumber['peak_mb']:.0f} MB")  # fmt: skip
        verdict = "meets" if ok else "MISSES"
        print(f"    ratio ours/pdfplumber = {ratio:.3f}  ({verdict} target ≤ {TARGETS[group]}, peak ≤ {PEAK_MB} MB)")
        print("    reading used: " + ", ".join(f"{name}={reading}" for name, reading in ours["readings"].items()))


def main() -> None:
    """Measure every format, then the PDF ratios, and print small tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="files per format (cycling the 5 seeds)")
    parser.add_argument("--rounds", type=int, default=5, help="parses of each PDF for the pdfplumber ratio")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="ours", choices=("ours", "pdfplumber"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker([Path(p) for p in json.loads(args.worker)], args.engine, args.copies)))
        return
    throughput(args.copies)
    pdf_ratios(args.rounds)


if __name__ == "__main__":
    main()
