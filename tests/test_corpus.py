"""The adversarial corpus: reports never used to build the parser parse to their ground truth.

Every file in tests/data/corpus/ (written by make_corpus.py from hand-stated
specs and seeded numbers, never from the parser) has an ``.expected.json``:
metadata, tables 3 and 4, the checks the printed numbers fail, and the rows a
careful reader cannot decide (expected null). Non-reports expect
NotAReportError.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.errors import NotAReportError
from gip_data.parse import parse_file
from gip_data.schema.template import ROW_BY_KEY
from tests.conftest import DATA

CORPUS = DATA / "corpus"
DOCUMENTS = sorted(p for p in CORPUS.iterdir() if p.suffix in {".txt", ".html", ".docx", ".pdf"})
METADATA = ("agency", "year", "template", "level", "body", "region")
TABLES = ("applications", "review", "litigation_direct", "litigation_after_review")


def _expected(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def test_corpus_is_large_enough() -> None:
    reports = [p for p in DOCUMENTS if "error" not in _expected(p)]
    assert len(reports) >= 25
    assert {p.suffix for p in reports} == {".txt", ".html", ".docx", ".pdf"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_corpus_document(path: Path) -> None:
    expected = _expected(path)
    if "error" in expected:
        with pytest.raises(NotAReportError):
            parse_file(path)
        return
    record = parse_file(path)
    data = record.model_dump(mode="json")
    assert {k: data[k] for k in METADATA} == {k: expected[k] for k in METADATA}
    for key in TABLES:
        assert data[key] == expected[key], key
    for row in expected["undecidable_rows"]:
        label = "表四" if row == "cases" else ROW_BY_KEY[row].label
        assert any(w.startswith(label) for w in record.warnings), f"no warning for undecidable {row}"
    if expected["failed_checks"] is not None:
        failed = sorted(([c.code, c.row, c.column] for c in record.failed_checks), key=str)
        assert failed == sorted(expected["failed_checks"], key=str)
