"""Every seed, in all four forms, parses exactly to its expected JSON.

The expected files (``tests/data/seeds/NNN_*.expected.json``, copied from ../shared) hold the truth for
the seed's text; the HTML, DOCX and PDF fixtures typeset the same report, so
they must give the same record. Every key of the expected file is compared
(metadata included), except the free-text ``notes``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.parse import parse_file
from tests.conftest import FIXTURES, SEEDS


def _expected_for(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.expected.json"))


def _cases() -> list[tuple[Path, Path]]:
    cases = [(path, path.with_name(path.name.replace(".txt", ".expected.json"))) for path in sorted(SEEDS.glob("*.txt"))]
    for path in sorted(FIXTURES.glob("seed_*.*")):
        if path.suffix in {".html", ".docx", ".pdf"}:
            cases.append((path, _expected_for(path.stem.removeprefix("seed_"))))
    return cases


CASES = _cases()


def test_every_seed_and_fixture_is_covered() -> None:
    assert len(CASES) == 20, [c[0].name for c in CASES]


@pytest.mark.parametrize(("source", "expected_path"), CASES, ids=[c[0].name for c in CASES])
def test_parse_matches_expected(source: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    record = parse_file(source).model_dump(mode="json")
    compared = [key for key in expected if key != "notes"]
    assert {k: record.get(k) for k in compared} == {k: expected[k] for k in compared}
    assert list(record["applications"]) == list(expected["applications"]), "row keys and their order"


@pytest.mark.parametrize(("source", "expected_path"), CASES, ids=[c[0].name for c in CASES])
def test_seed_tables_pass_every_rule(source: Path, expected_path: Path) -> None:
    """The seeds' tables are consistent, so every hard check must hold."""
    record = parse_file(source)
    assert record.checks, "checks were computed"
    assert record.consistent, [c.message for c in record.failed_checks]
