"""Crafted records for the quality tests: consistent tables from a few totals, facts written by hand.

Every count sits in the 自然人 column (and 总计), so the arithmetic rules hold
unless a test breaks a cell on purpose; the checks are computed by the real
validator.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from gip_data.frames import empty_wide, records_to_wide
from gip_data.quality.checks import scorecard
from gip_data.schema.facts import ReportDates, ReportFacts, StatedNumber
from gip_data.schema.record import AnnualReport, CaseOutcomes
from gip_data.schema.template import N_COLUMNS, application_rows
from gip_data.storage.frames_io import conform_wide
from gip_data.synth import synth_chunks
from gip_data.validate.rules import check_tables


def _row(value: int) -> list[int]:
    return [value] + [0] * (N_COLUMNS - 2) + [value]


def record(
    agency: str | None = "某某县财政局",
    year: int | None = 2022,
    *,
    new: int = 10,
    carried_over: int = 0,
    carried_forward: int = 0,
    review: int = 0,
    litigation: int = 0,
    template: int | None = None,
    level: str | None = "县级",
    body: str | None = "部门",
    province: str | None = "河南省",
    city: str | None = "平顶山市",
    aggregate: bool = False,
    facts: ReportFacts | None = None,
    break_total: bool = False,
    no_table3: bool = False,
) -> AnnualReport:
    """A consistent record for the given totals (granted = everything closed)."""
    edition = template or (2019 if (year or 2021) <= 2020 else 2021)
    closed = new + carried_over - carried_forward
    rows: dict[str, list[int] | None] = {row.key: _row(0) for row in application_rows(edition == 2021)}
    rows.update(new_received=_row(new), carried_over=_row(carried_over), granted=_row(closed),
                total=_row(closed + (1 if break_total else 0)), carried_forward=_row(carried_forward))
    if no_table3:
        rows = dict.fromkeys(rows)
    report = AnnualReport(
        agency=agency, year=year, template=edition, level=level, body=body, province=province, city=city,  # type: ignore[arg-type]
        region=(province or "") + (city or "") or None, aggregate=aggregate, applications=rows,
        review=CaseOutcomes(upheld=review, total=review),
        litigation_direct=CaseOutcomes(upheld=litigation, total=litigation),
        litigation_after_review=CaseOutcomes(),
        facts=facts,
    )
    return report.model_copy(update={"checks": check_tables(report)})


def facts(
    *,
    stated: dict[str, list[int]] | None = None,
    sections: tuple[int, ...] = (1, 2, 3, 4, 5, 6),
    table2: bool = True,
    fee: bool = True,
    published: date | None = None,
    signed: date | None = None,
    file_created: date | None = None,
    sentences: int = 40,
    fingerprint: list[int] | None = None,
    narrative_chars: int = 2000,
) -> ReportFacts:
    """Facts as the extractor would give them."""
    numbers = [StatedNumber(kind=k, value=v, sentence=f"{k}{v}件。") for k, vs in (stated or {}).items() for v in vs]  # type: ignore[arg-type]
    return ReportFacts(
        stated=numbers, sections=list(sections), narrative_chars=narrative_chars, table2=table2, fee_paragraph=fee,
        dates=ReportDates(published=published, signed=signed, file_created=file_created),
        sentences=sentences, fingerprint=list(fingerprint if fingerprint is not None else range(1, 33)),
    )


def card_of(*records: AnnualReport):  # noqa: ANN201 - a polars DataFrame
    """The scorecard of in-memory records (ids 1..n)."""
    wide = records_to_wide(list(records))
    return scorecard(wide), wide


def synthetic_wide(n: int, seed: int = 1) -> pl.DataFrame:
    """``n`` synthetic reports as the wide frame (with their synthetic facts, see gip_data.synth.facts)."""
    chunks = list(synth_chunks(n, list(range(2019, 2025)), seed))
    raw = pl.concat(chunks).with_row_index("report_id", offset=1).with_columns(pl.col("report_id").cast(pl.Int64))
    return conform_wide(raw) if raw.height else empty_wide()
