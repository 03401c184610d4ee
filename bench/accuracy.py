"""Extraction accuracy over every report with a truth file (camelot-style bench).

Usage: ``.venv/bin/python bench/accuracy.py [--verbose]``

Inputs: the adversarial corpus (tests/data/corpus, expected JSON written from
ground truth), the layout fixtures (tests/data/layouts, tests/data/textlayouts)
and the shared seeds in all four formats. Prints, per set and overall:

- field exact-match rate: metadata fields (agency, year, template, level,
  body, region where the truth states them), each table-3 row, each table-4
  block, each compared as a whole;
- tables-found rate: table 3 read (no error) and table 4 located (an
  undecidable table 4 was still found);
- rule pass agreement: the failed checks equal the expected ones;
- rejection rate: non-reports refused with NotAReportError;
- mean parse time per document (ms).

Then, separately, the real development set (tests/data/real, published
reports with hand-read truth): cells right, reports exact (every cell right),
and each metadata field (year, template, level, agency), scored as
``shared/tools/score_real.py`` does (a ``level`` list accepts any of its
answers; a part of the agency in （） is optional; the 2021 sub-rows of （六）
are summed where the truth has the single 2019 row).

``--verbose`` lists every mismatching field.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gip_data.errors import GipDataError, NotAReportError  # noqa: E402
from gip_data.parse import parse_file  # noqa: E402
from tests.paths import FIXTURES, REAL, SEEDS, TEXT_LAYOUTS  # noqa: E402

SUFFIXES = {".txt", ".html", ".docx", ".pdf"}
METADATA = ("agency", "year", "template", "level", "body", "region")
CASES = ("review", "litigation_direct", "litigation_after_review")


def truth_sets() -> dict[str, list[tuple[Path, dict]]]:  # type: ignore[type-arg]
    """(document, expected) pairs per set."""
    corpus = ROOT / "tests/data/corpus"
    layouts = ROOT / "tests/data/layouts"
    seeds = SEEDS

    def load(path: Path) -> dict:  # type: ignore[type-arg]
        return json.loads(path.read_text(encoding="utf-8"))

    sets = {
        "corpus": [
            (p, load(p.with_name(p.stem + ".expected.json")))
            for p in sorted(corpus.iterdir())
            if p.suffix in SUFFIXES
        ],
        "layouts": [
            (p, load(p.with_name(p.stem + ".expected.json")))
            for folder in (layouts, TEXT_LAYOUTS)
            for p in sorted(folder.iterdir())
            if p.suffix in SUFFIXES | {".md"}
        ],
        "seeds": [],
    }
    for expected in sorted(seeds.glob("*.expected.json")):
        number = expected.name[:3]
        sets["seeds"].append(
            (expected.with_name(expected.name.replace(".expected.json", ".txt")), load(expected))
        )
        for fmt in ("html", "docx", "pdf"):
            sets["seeds"].append((FIXTURES / f"seed_{number}.{fmt}", load(expected)))
    return sets


def compare(record: dict, expected: dict) -> list[tuple[str, bool]]:  # type: ignore[type-arg]
    """(field, matched) for every field the truth states."""
    out = [(k, record.get(k) == expected[k]) for k in METADATA if k in expected]
    for row, values in expected.get("applications", {}).items():
        out.append((f"applications.{row}", record["applications"].get(row, "missing") == values))
    out += [(block, record.get(block) == expected[block]) for block in CASES if block in expected]
    return out


def score(pairs: list[tuple[Path, dict]], verbose: bool) -> Counter[str]:  # type: ignore[type-arg]
    """Counts of matched/total fields, tables found, rules agreeing, rejections, time."""
    tally: Counter[str] = Counter()
    for path, expected in pairs:
        start = time.perf_counter()
        try:
            record = parse_file(path)
        except GipDataError as exc:
            tally["seconds_x1000"] += round((time.perf_counter() - start) * 1e6)
            if "error" in expected:
                tally["non_reports"] += 1
                tally["rejected"] += isinstance(exc, NotAReportError)
            else:
                tally["documents"] += 1
                fields = compare({"applications": {}}, expected)
                tally["fields"] += len(fields)
                if verbose:
                    print(f"  {path.name}: {type(exc).__name__}")
            continue
        tally["seconds_x1000"] += round((time.perf_counter() - start) * 1e6)
        if "error" in expected:
            tally["non_reports"] += 1
            if verbose:
                print(f"  {path.name}: parsed, but is not a report")
            continue
        _score_record(path, record, expected, tally, verbose)
    return tally


def _score_record(path: Path, record, expected: dict, tally: Counter[str], verbose: bool) -> None:  # type: ignore[no-untyped-def,type-arg]
    data = record.model_dump(mode="json")
    fields = compare(data, expected)
    tally["documents"] += 1
    tally["fields"] += len(fields)
    tally["matched"] += sum(ok for _, ok in fields)
    tally["tables_found"] += int(any(v is not None for v in data["applications"].values()))
    tally["tables_found"] += int(not any(w.startswith("未找到表四") for w in record.warnings))
    if expected.get("failed_checks", []) is not None:
        wanted = sorted(expected.get("failed_checks", []), key=str)
        tally["rule_cases"] += 1
        tally["rule_agree"] += (
            sorted(([c.code, c.row, c.column] for c in record.failed_checks), key=str) == wanted
        )
    if verbose:
        for name, ok in fields:
            if not ok:
                print(f"  {path.name}: {name}")


SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_misc")
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
REAL_FIELDS = ("year", "template", "level", "agency")


def _norm(text: str | None) -> str:
    return re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", text or ""))


def agency_matches(got: str | None, want: str | None) -> bool:
    """The reporting body as score_real.py judges it: a part in （） optional, 人民政府/办事处 implied."""
    if want is None:
        return got is None
    core = re.sub(r"(人民政府|办事处)$", "", _norm(want))
    return bool(_norm(got)) and (core in _norm(got) or _norm(got) in _norm(want))


def real_score(record: dict, truth: dict) -> tuple[int, int, dict[str, bool], list[str]]:  # type: ignore[type-arg]
    """(cells right, cells, metadata field → right, wrong cells) for one real report."""
    applications = dict(record.get("applications") or {})
    sub_rows = all(isinstance(applications.get(k), list) for k in SUB_ROWS)
    if "other" in truth["applications"] and "other" not in applications and sub_rows:
        applications["other"] = [sum(applications[k][i] for k in SUB_ROWS) for i in range(7)]
    right, total, wrong = 0, 0, []
    for row, cells in truth["applications"].items():
        got = applications.get(row)
        for i, value in enumerate(cells):
            total += 1
            ok = isinstance(got, list) and got[i] == value
            right += ok
            wrong += [] if ok else [f"{row}[{i}]"]
    for block in CASES:
        for outcome in OUTCOMES:
            total += 1
            ok = (record.get(block) or {}).get(outcome) == truth[block][outcome]
            right += ok
            wrong += [] if ok else [f"{block}.{outcome}"]
    levels = truth["level"] if isinstance(truth["level"], list) else [truth["level"]]
    fields = {
        "year": record.get("year") == truth["year"],
        "template": record.get("template") == truth["template"],
        "level": record.get("level") in levels,
        "agency": agency_matches(record.get("agency"), truth["agency"]),
    }
    return right, total, fields, wrong


def score_real_set(verbose: bool) -> None:
    """Print the real development set's figures (module docstring)."""
    truths = sorted(REAL.glob("*.truth.json"))
    right = total = exact = 0
    fields = Counter[str]()
    for truth_path in truths:
        stem = truth_path.name[: -len(".truth.json")]
        source = next(p for p in REAL.iterdir() if p.stem == stem and p.suffix != ".json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            record = parse_file(source).model_dump(mode="json")
        except GipDataError as exc:
            record = {}
            if verbose:
                print(f"  {source.name}: {type(exc).__name__}")
        ok, cells, meta, wrong = real_score(record, truth)
        right, total, exact = right + ok, total + cells, exact + (ok == cells)
        fields.update(k for k, v in meta.items() if v)
        if verbose and (wrong or not all(meta.values())):
            bad = [k for k, v in meta.items() if not v]
            print(f"  {source.name}: cells {ok}/{cells} {' '.join(wrong[:4])} {' '.join(bad)}")
    n = len(truths)
    print(f"\nreal development set ({n} reports, tests/data/real)")
    print(f"  cells right   {right}/{total} ({100 * right / max(total, 1):.1f}%)")
    print(f"  reports exact {exact}/{n}")
    print("  " + ", ".join(f"{k} {fields[k]}/{n}" for k in REAL_FIELDS))


def main() -> None:
    """Print the figures per set and overall, then the real development set."""
    verbose = "--verbose" in sys.argv
    total: Counter[str] = Counter()
    print(
        f"{'set':<8} {'docs':>5} {'field exact':>12} {'tables found':>13} {'rules agree':>12} {'rejected':>9} {'ms/doc':>7}"
    )
    for name, pairs in truth_sets().items():
        if verbose:
            print(f"[{name}]")
        tally = score(pairs, verbose)
        total.update(tally)
        _print_line(name, tally)
    _print_line("all", total)
    if verbose:
        print("[real]")
    score_real_set(verbose)


def _print_line(name: str, t: Counter[str]) -> None:
    docs = t["documents"] + t["non_reports"]
    rate = lambda a, b: f"{t[a] / t[b]:.3f}" if t[b] else "-"  # noqa: E731
    found = f"{t['tables_found'] / (2 * t['documents']):.3f}" if t["documents"] else "-"
    ms = t["seconds_x1000"] / 1000 / docs if docs else 0
    print(f"{name:<8} {docs:>5} {rate('matched', 'fields'):>12} {found:>13} {rate('rule_agree', 'rule_cases'):>12}"
          f" {rate('rejected', 'non_reports'):>9} {ms:>7.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
