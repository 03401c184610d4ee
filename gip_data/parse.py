"""The parse pipeline: bytes → Document(s) → tables + metadata → checked AnnualReport.

This module only wires the stages together; each stage lives in its own package
and is tested there. A file that can be read more than one way (see
:func:`gip_data.readers.registry.read_readings`) is extracted once per reading,
cheapest first; the reading under which the most rules hold with the fewest
unknown and assumed cells is kept, and its name is recorded in
``source.reading``. A reading that satisfies every rule with nothing unknown
ends the search: the dearer readings are never made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from gip_data.errors import GipDataError
from gip_data.extract.facts import extract_facts
from gip_data.extract.metadata import infer_metadata
from gip_data.extract.tables import ExtractedTables, extract_tables
from gip_data.readers.document import Document
from gip_data.readers.registry import ReadLimits, read_readings
from gip_data.schema.record import AnnualReport, Check, SourceInfo
from gip_data.schema.template import APPLICATION_WIDTH, CASE_BLOCK_WIDTH, CASE_BLOCKS, as_edition
from gip_data.validate.rules import check_tables


@dataclass(frozen=True, slots=True, order=True)
class ReadingScore:
    """How well the rules like one reading; smaller is better (compared field by field)."""

    failed_rules: int
    unknown_cells: int
    assumed_zero: int
    rules_not_held: int  # negated count of rules that hold: more holding rules is better
    repairs: int

    @property
    def clean(self) -> bool:
        """Every rule holds and no cell is unknown or assumed: no other reading can do better."""
        return self.failed_rules == 0 and self.unknown_cells == 0 and self.assumed_zero == 0


def score_reading(tables: ExtractedTables, checks: list[Check]) -> ReadingScore:
    """The score of one reading's extraction (see :class:`ReadingScore`)."""
    unknown = sum(APPLICATION_WIDTH for values in tables.applications.values() if values is None)
    unknown += sum(CASE_BLOCK_WIDTH for block in CASE_BLOCKS if getattr(tables, block) is None)
    return ReadingScore(
        failed_rules=sum(1 for c in checks if not c.holds),
        unknown_cells=unknown,
        assumed_zero=len(tables.assumed_zero),
        rules_not_held=-sum(1 for c in checks if c.holds),
        repairs=len(tables.repairs),
    )


@dataclass(slots=True)
class Extraction:
    """One reading of a file with its extracted tables, their checks and its score."""

    document: Document
    tables: ExtractedTables
    checks: list[Check]
    score: ReadingScore


def best_reading(data: bytes, file_name: str, limits: ReadLimits | None = None) -> Extraction:
    """Extract every reading until one is clean; the best one, or the first error when none is a report."""
    best: Extraction | None = None
    first_error: GipDataError | None = None
    readings = read_readings(data, file_name, limits)
    while True:
        try:
            document = next(readings)
        except StopIteration:
            break
        except GipDataError as exc:
            # A later reading failing (a converter missing, a limit) leaves the earlier ones standing.
            first_error = first_error or exc
            break
        try:
            tables = extract_tables(document)
        except GipDataError as exc:
            first_error = first_error or exc
            continue
        checks = check_tables(tables)
        found = Extraction(document, tables, checks, score_reading(tables, checks))
        if best is None or found.score < best.score:
            best = found
        if best.score.clean:
            break
    if best is None:
        assert first_error is not None  # read_readings yields at least one document or raises
        raise first_error
    return best


def parse_bytes(data: bytes, file_name: str, limits: ReadLimits | None = None) -> AnnualReport:
    """Parse one report file's bytes into a checked record.

    Raises a :class:`~gip_data.errors.GipDataError` subclass when the bytes are
    not a readable annual report. Arithmetic failures do not raise: they are
    listed in ``checks``.
    """
    return build_record(best_reading(data, file_name, limits), data, file_name)


def build_record(chosen: Extraction, data: bytes, file_name: str) -> AnnualReport:
    """The checked record of one extracted reading: its tables, its metadata, its source."""
    document, tables = chosen.document, chosen.tables
    meta = infer_metadata(document, file_name)
    return AnnualReport(
        **meta.meta_values(),
        template=as_edition(tables.template),
        applications=tables.applications,
        review=tables.review,
        litigation_direct=tables.litigation_direct,
        litigation_after_review=tables.litigation_after_review,
        proactive=tables.proactive,
        checks=chosen.checks,
        repairs=tables.repairs,
        assumed_zero=tables.assumed_zero,
        provenance=tables.provenance,
        warnings=tables.warnings + meta.warnings,
        source=SourceInfo(
            file_name=Path(file_name).name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=document.format,
            size=len(data),
            reading=document.reading or None,
        ),
        facts=extract_facts(document, data, has_table2_rows=bool(tables.proactive)),
    )


def parse_file(path: str | Path, limits: ReadLimits | None = None) -> AnnualReport:
    """Parse the report file at ``path``."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name, limits)
