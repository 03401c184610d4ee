"""Parse throughput per format, PDF speed against bare pdfplumber, peak memory.

Usage: ``.venv/bin/python bench/parse.py [--copies N] [--baseline-files M]``

Every measurement runs in a fresh subprocess (this script with ``--worker``), so
imports, caches and peak RSS of one do not leak into another. Each worker
parses every distinct input once before the clock starts (warm-up: imports and
lazy loading), then parses its list of files and reports seconds and peak RSS.

- Throughput: the 5 seed reports per format (TXT seeds, HTML/DOCX/PDF
  fixtures), cycled to ``--copies`` files, through ``gip_data.parse.parse_bytes``
  (the whole pipeline). While the extractor is not importable the script falls
  back to ``read_document`` and says so in the "stage" column.
- PDF ratio: our full parse vs pdfplumber ``extract_tables()`` +
  ``extract_text()`` on every page, on the same ``--baseline-files`` PDFs in the
  same run. Target: ratio ≤ 0.5, peak RSS ≤ 300 MB.
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
from tests.paths import FIXTURES, SEEDS  # noqa: E402

FORMATS = ("txt", "html", "docx", "pdf")


def inputs(fmt: str) -> list[Path]:
    """The 5 seed reports in one format."""
    if fmt == "txt":
        return sorted(SEEDS.glob("*.txt"))
    return sorted(FIXTURES.glob(f"seed_*.{fmt}"))


def _our_parser() -> tuple[str, object]:
    """The full pipeline when it imports, else the reader alone."""
    try:
        from gip_data.parse import parse_bytes

        return "parse_bytes", parse_bytes
    except ImportError:
        from gip_data.readers.registry import read_document

        return "read_document", read_document


def _parse_ours(parse: object, data: bytes, name: str) -> None:
    """One parse; a report the extractor rejects still counts (the time was spent)."""
    from gip_data.errors import GipDataError

    with contextlib.suppress(GipDataError):
        parse(data, name)  # type: ignore[operator]


def _parse_pdfplumber(data: bytes, name: str) -> None:
    """The baseline: bare pdfplumber tables and text of every page."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()


def worker(fmt: str, engine: str, count: int) -> dict[str, object]:
    """Time ``count`` parses of the format's inputs (cycled) in this process."""
    files = [(p.name, p.read_bytes()) for p in inputs(fmt)]
    if engine == "pdfplumber":
        stage, parse = "pdfplumber", None
    else:
        stage, parse = _our_parser()
    run = _parse_pdfplumber if parse is None else (lambda d, n: _parse_ours(parse, d, n))
    for name, data in files:  # warm-up
        run(data, name)
    start = time.perf_counter()
    for i in range(count):
        name, data = files[i % len(files)]
        run(data, name)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"stage": stage, "files": count, "seconds": seconds, "peak_mb": peak_kb / 1024}


def spawn(fmt: str, engine: str, count: int) -> dict[str, object]:
    """Run one worker in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--worker", fmt, "--engine", engine, "--copies", str(count)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure every format, then the PDF ratio, and print two small tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="files per format (cycling the 5 seeds)")
    parser.add_argument("--baseline-files", type=int, default=10, help="PDFs for the pdfplumber ratio")
    parser.add_argument("--worker", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="ours", choices=("ours", "pdfplumber"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.engine, args.copies)))
        return
    print(f"{'format':<6} {'stage':<14} {'files':>6} {'seconds':>8} {'reports/s':>10} {'peak RSS MB':>12}")
    for fmt in FORMATS:
        r = spawn(fmt, "ours", args.copies)
        rate = r["files"] / r["seconds"]
        print(
            f"{fmt:<6} {r['stage']:<14} {r['files']:>6} {r['seconds']:>8.2f} {rate:>10.1f} {r['peak_mb']:>12.0f}"
        )
    ours = spawn("pdf", "ours", args.baseline_files)
    plumber = spawn("pdf", "pdfplumber", args.baseline_files)
    ratio = ours["seconds"] / plumber["seconds"]
    print()
    print(f"PDF on the same {args.baseline_files} files, same run:")
    print(f"  ours ({ours['stage']}): {ours['seconds']:.3f} s, peak RSS {ours['peak_mb']:.0f} MB")
    print(
        f"  pdfplumber extract_tables+extract_text: {plumber['seconds']:.3f} s, "
        f"peak RSS {plumber['peak_mb']:.0f} MB"
    )
    verdict = "meets" if ratio <= 0.5 and ours["peak_mb"] <= 300 else "MISSES"
    print(f"  ratio ours/pdfplumber = {ratio:.3f}  ({verdict} target ratio ≤ 0.5, peak ≤ 300 MB)")


if __name__ == "__main__":
    main()
