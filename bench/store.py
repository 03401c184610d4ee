"""Storage benchmark: import throughput, synthetic bulk write, frame load time and memory.

    .venv/bin/python bench/store.py [--reports 1000000] [--copies 4] [--skip-synth]

Prints
- import throughput (reports/s) of ``gip import`` on copies of the shared
  fixtures, PDF only and all formats, with 1 and 2 parser jobs, and the ratio
  2 jobs / 1 job measured in the same run (target: ≥ 20 PDF reports/s with 2 jobs);
- the time to write N synthetic reports into SQLite (target for 1,000,000: < 10 min);
- the time and peak RSS to load the N reports into the Polars frames, first from
  the database (cold: read + long frames + snapshot), then from the
  data-version snapshot (warm), then after one more upload (older snapshot +
  changed rows), each in a fresh process (target: ≤ 3 s, ≤ 2 GB).
Work files go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.paths import FIXTURES, SEEDS  # noqa: E402

OUT = ROOT / "bench" / "out"

_LOAD_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from gip_data.storage import load_frames, open_store
t1 = time.perf_counter()
frames = load_frames(open_store(sys.argv[1]))
t2 = time.perf_counter()
rows = {name: getattr(frames, name).height for name in ("wide", "dispositions", "applicants", "cases")}
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": rows}))
"""


def make_copies(folder: Path, suffixes: tuple[str, ...], copies: int) -> int:
    """Distinct copies of the fixtures: bytes appended after the document end keep them readable."""
    folder.mkdir(parents=True)
    n = 0
    for source in sorted(FIXTURES.iterdir()):
        if source.suffix not in suffixes:
            continue
        for i in range(copies):
            tail = (
                f"\n% copy {i}\n".encode() if source.suffix == ".pdf" else f"\n<!-- copy {i} -->\n".encode()
            )
            data = source.read_bytes() + (tail if source.suffix != ".docx" or i == 0 else b"")
            if source.suffix == ".docx" and i > 0:
                continue  # a zip with trailing bytes is still one file; keep one copy per DOCX
            (folder / f"{source.stem}_{i}{source.suffix}").write_bytes(data)
            n += 1
    return n


def import_throughput(files: Path, jobs: int) -> tuple[float, dict[str, int]]:
    """Reports per second of ``gip import --jobs N`` into a fresh SQLite database."""
    db = OUT / f"import-{files.name}-{jobs}.db"
    db.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "gip_data",
        "import",
        str(files),
        "--jobs",
        str(jobs),
        "--json",
        "--db",
        f"sqlite:///{db}",
    ]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    counts = {k: summary[k] for k in ("imported", "new_version", "duplicate", "failed")}
    stored = counts["imported"] + counts["new_version"]
    counts["cpu_s_per_report"] = round((_children_cpu() - cpu_before) / max(stored, 1), 4)
    return stored / elapsed, counts


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_imports(copies: int) -> None:
    # The machine may be shared: the load average says how much CPU the run really had.
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for label, suffixes in (("PDF", (".pdf",)), ("all formats", (".pdf", ".docx", ".html"))):
        folder = OUT / f"copies-{label.replace(' ', '-')}"
        n = make_copies(folder, suffixes, copies)
        one, counts1 = import_throughput(folder, 1)
        two, counts2 = import_throughput(folder, 2)
        print(
            f"import {label:11s} {n:4d} files: 1 job {one:6.1f} reports/s, 2 jobs {two:6.1f} reports/s, ratio {two / one:4.2f}  {counts2}"
        )


def bench_synth_and_load(reports: int, skip_synth: bool) -> None:
    db = OUT / f"synth-{reports}.db"
    url = f"sqlite:///{db}"
    if not skip_synth or not db.exists():
        for path in OUT.glob(f"synth-{reports}.db*"):
            path.unlink()
        shutil.rmtree(OUT / "data", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "gip_data",
                "synth",
                "--reports",
                str(reports),
                "--seed",
                "1",
                "--db",
                url,
            ],
            check=True,
            env=_env(),
            stdout=subprocess.DEVNULL,
        )
        print(
            f"synth {reports} reports into SQLite (incl. warming the snapshot): {time.perf_counter() - start:6.1f} s, "
            f"database {db.stat().st_size / 1e6:.0f} MB"
        )
    shutil.rmtree(OUT / "data" / "snapshots", ignore_errors=True)
    for label in ("cold (database read)", "warm (snapshot)", "after 1 upload (delta)"):
        if label.startswith("after"):
            fresh = OUT / f"upload-{time.time_ns()}.txt"  # new bytes every run: a real new version
            fresh.write_bytes(next(SEEDS.glob("*.txt")).read_bytes() + f"\n{fresh.name}\n".encode())
            upload = [sys.executable, "-m", "gip_data", "import", str(fresh), "--db", url]
            subprocess.run(upload, check=True, env=_env(), capture_output=True)
        done = subprocess.run(
            [sys.executable, "-c", _LOAD_CHILD, url], capture_output=True, text=True, check=True, env=_env()
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"load {reports} reports into frames, {label:20s}: {figures['load_s']:5.2f} s, peak RSS {figures['peak_rss_mb']:6.0f} MB "
            f"(package import {figures['import_s']:.2f} s) rows {figures['rows']}"
        )


def _env() -> dict[str, str]:
    return {**os.environ, "GIP_DATA_DIR": str(OUT / "data")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000, help="synthetic reports (0: skip)")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--skip-synth", action="store_true", help="reuse bench/out/synth-N.db when it exists")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    shutil.rmtree(OUT / "copies-PDF", ignore_errors=True)
    shutil.rmtree(OUT / "copies-all-formats", ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.skip_import:
        bench_imports(args.copies)
    if args.reports:
        bench_synth_and_load(args.reports, args.skip_synth)


if __name__ == "__main__":
    main()
