"""Hypothesis strategies for valid records, built from the leaves up so every rule holds.

Reusable by any test: ``annual_reports()`` draws a consistent AnnualReport of
either edition (optionally with unknown agency/year, undetermined rows, table 2
items, failed checks and repairs); ``consistent_tables()`` draws just the
table-3 rows. ``make_report`` is a deterministic builder for example-based tests;
``with_provenance`` gives a record a source for every known cell, as a PDF, a
text or a grid reader would record them.
"""

from __future__ import annotations

import hashlib

from hypothesis import strategies as st

from gip_data.schema.meta import BODY_TYPES, LEVELS
from gip_data.schema.record import (
    AnnualReport,
    CaseOutcomes,
    CellRef,
    CellSource,
    Check,
    ProactiveItem,
    Repair,
    SourceInfo,
    SourceSpan,
)
from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_LEAVES,
    EDITIONS,
    OUTCOMES,
    ROW_BY_KEY,
    application_rows,
)

N_APPLICANTS = len(APPLICANT_COLUMNS) - 1


def leaves_for(split_other: bool) -> list[str]:
    """Disposition leaf rows of one edition, in print order."""
    keys = {row.key for row in application_rows(split_other)}
    return [key for key in DISPOSITION_LEAVES if key in keys]


def build_applications(
    new: list[int], carried: list[int], forward: list[int], leaves: dict[str, list[int]]
) -> dict[str, list[int]]:
    """Table 3 from per-applicant leaves: rows get their 总计, (七) is the sum, 一+二 = (七)+四."""
    total = [sum(values[i] for values in leaves.values()) for i in range(N_APPLICANTS)]

    def with_total(values: list[int]) -> list[int]:
        return [*values, sum(values)]

    # 一、新收 is what balances the table: (七) + 四 − 二 (kept non-negative by construction).
    new = new or [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    rows = {"new_received": with_total(new), "carried_over": with_total(carried)}
    rows.update({key: with_total(values) for key, values in leaves.items()})
    rows["total"] = with_total(total)
    rows["carried_forward"] = with_total(forward)
    return rows


def case_outcomes(values: list[int]) -> CaseOutcomes:
    """A table-4 block whose 总计 is the sum of its four outcomes."""
    upheld, corrected, other, pending = values
    return CaseOutcomes(upheld=upheld, corrected=corrected, other=other, pending=pending, total=sum(values))


counts = st.integers(min_value=0, max_value=5000)
applicant_counts = st.lists(st.integers(0, 300), min_size=N_APPLICANTS, max_size=N_APPLICANTS)
agency_names = st.text(alphabet="市县区镇街道人民政府办公室局委员会 abcＡＢ１２", min_size=1, max_size=20)


@st.composite
def consistent_tables(draw: st.DrawFn, split_other: bool) -> dict[str, list[int]]:
    """Table-3 rows of one edition satisfying rules 1–3."""
    leaves = {key: draw(applicant_counts) for key in leaves_for(split_other)}
    carried = draw(applicant_counts)
    total = [sum(values[i] for values in leaves.values()) for i in range(N_APPLICANTS)]
    # 四 ≤ (七) + 二 so that 一 = (七) + 四 − 二 stays non-negative... choose 四 ≤ 二 + (七).
    forward = [draw(st.integers(0, t + c)) for t, c in zip(total, carried, strict=True)]
    new = [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    if any(n < 0 for n in new):
        forward = [max(f, c - t) for f, c, t in zip(forward, carried, total, strict=True)]
        new = [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    return build_applications(new, carried, forward, leaves)


@st.composite
def annual_reports(draw: st.DrawFn, allow_unknown: bool = True) -> AnnualReport:
    """A valid AnnualReport of either edition with consistent tables 3 and 4."""
    template = draw(st.sampled_from(EDITIONS))
    split_other = template == 2021 and draw(st.booleans()) or (template == 2021 and not allow_unknown)
    applications: dict[str, list[int] | None] = dict(draw(consistent_tables(split_other)))
    if allow_unknown and draw(st.booleans()):
        applications[draw(st.sampled_from(sorted(applications)))] = None
    blocks = {
        block: (
            case_outcomes(draw(st.lists(st.integers(0, 50), min_size=4, max_size=4)))
            if draw(st.booleans()) or not allow_unknown
            else None
        )
        for block in ("review", "litigation_direct", "litigation_after_review")
    }
    agency = draw(agency_names | st.none()) if allow_unknown else draw(agency_names)
    year = draw(st.integers(2019, 2025) | st.none()) if allow_unknown else draw(st.integers(2019, 2025))
    digest = hashlib.sha256(repr((agency, year, applications)).encode()).hexdigest()
    return AnnualReport(
        agency=agency,
        year=year,
        template=template,
        level=draw(st.sampled_from(LEVELS) | st.none()),
        body=draw(st.sampled_from(BODY_TYPES) | st.none()),
        region=draw(st.sampled_from(["河南省郑州市", "广东省", None])),
        province=draw(st.sampled_from(["河南省", "广东省", None])),
        city=draw(st.sampled_from(["郑州市", None])),
        aggregate=draw(st.booleans()),
        applications=applications,
        **blocks,
        proactive=draw(st.lists(proactive_items(), max_size=2)),
        checks=draw(st.lists(checks(), max_size=3)),
        repairs=draw(st.lists(repairs(), max_size=2)),
        assumed_zero=draw(st.lists(cell_refs(), max_size=2)),
        provenance=draw(st.lists(cell_sources(), max_size=6)),
        warnings=draw(st.lists(st.text(max_size=10), max_size=2)),
        source=SourceInfo(file_name="x.txt", sha256=digest, format="txt", size=draw(st.integers(0, 10**6))),
    )


def proactive_items() -> st.SearchStrategy[ProactiveItem]:
    """A table-2 row with signed, decimal or blank values."""
    values = st.lists(
        st.integers(-100, 100) | st.floats(0, 1e6, allow_nan=False) | st.none(), min_size=1, max_size=3
    )
    return st.builds(
        ProactiveItem,
        item=st.just("第二十条第（一）项"),
        label=st.just("规章"),
        columns=st.just(["本年制发件数"]),
        values=values,
    )


def cell_refs() -> st.SearchStrategy[CellRef]:
    """The address of a table-3 cell."""
    return st.builds(
        CellRef,
        table=st.just(3),
        row=st.sampled_from(sorted(ROW_BY_KEY)),
        column=st.sampled_from(APPLICANT_COLUMNS),
    )


coordinates = st.floats(0, 2000, allow_nan=False, allow_infinity=False)
small = st.integers(0, 10_000)


def source_spans() -> st.SearchStrategy[SourceSpan]:
    """Where a number stood: page and box (PDF, with OCR confidence sometimes), line and span (text), grid cell."""
    printed = st.text(alphabet="0123456789 □", min_size=0, max_size=12)
    pdf = st.builds(
        SourceSpan,
        page=st.integers(1, 500),
        bbox=st.tuples(coordinates, coordinates, coordinates, coordinates),
        text=printed,
        confidence=st.none() | st.floats(0, 1, allow_nan=False),
    )
    text = st.builds(SourceSpan, line=small, start=small, end=small, text=printed)
    grid = st.builds(SourceSpan, grid_table=st.integers(0, 20), grid_row=small, grid_column=small, text=printed)
    return pdf | text | grid


def cell_sources() -> st.SearchStrategy[CellSource]:
    """The source of one table-3 or table-4 cell."""
    table3 = st.builds(
        CellSource,
        table=st.just(3),
        row=st.sampled_from(sorted(ROW_BY_KEY)),
        column=st.sampled_from(APPLICANT_COLUMNS),
        source=source_spans(),
    )
    table4 = st.builds(
        CellSource,
        table=st.just(4),
        row=st.sampled_from(CASE_BLOCKS),
        column=st.sampled_from(OUTCOMES),
        source=source_spans(),
    )
    return table3 | table4


def with_provenance(record: AnnualReport, kind: str = "pdf") -> AnnualReport:
    """``record`` with a source for every known table-3/4 cell, laid out as ``kind`` ("pdf", "text", "grid") would.

    PDF boxes use unrounded coordinates (as pdfplumber measures them) so sizes and
    round trips are tested on realistic floats.
    """
    cells = [
        (3, key, column, value)
        for key, values in record.applications.items()
        if values is not None
        for column, value in zip(APPLICANT_COLUMNS, values, strict=True)
    ]
    cells += [
        (4, block, outcome, getattr(outcomes, outcome))
        for block in CASE_BLOCKS
        if (outcomes := getattr(record, block)) is not None
        for outcome in OUTCOMES
    ]
    sources = []
    for i, (table, row, column, value) in enumerate(cells):
        line, position = divmod(i, 7)
        text = str(value)
        if kind == "pdf":
            x0, top = 90.0 + position * 61.37 + i * 0.013, 120.0 + line * 18.29 + i * 0.0071
            span = SourceSpan(page=2 + line // 30, bbox=(x0, top, x0 + 5.98 * len(text), top + 10.52), text=text)
        elif kind == "text":
            span = SourceSpan(line=40 + line, start=12 + position * 6, end=12 + position * 6 + len(text), text=text)
        else:
            span = SourceSpan(grid_table=table - 2, grid_row=line + 1, grid_column=position + 1, text=text)
        sources.append(CellSource(table=table, row=row, column=column, source=span))
    return record.model_copy(update={"provenance": sources})


def repairs() -> st.SearchStrategy[Repair]:
    """A repaired table-3 cell."""
    return st.builds(
        Repair,
        table=st.just(3),
        row=st.sampled_from(sorted(ROW_BY_KEY)),
        column=st.sampled_from(APPLICANT_COLUMNS),
        value=st.integers(0, 99),
        reason=st.just("rule-1"),
    )


def checks() -> st.SearchStrategy[Check]:
    """A rule outcome, holding or not."""
    return st.builds(
        Check,
        code=st.sampled_from(["balance", "row-total"]),
        holds=st.booleans(),
        expected=counts,
        found=counts,
    )


def make_report(
    agency: str | None = "某市人民政府", year: int | None = 2022, seed: int = 1, template: int = 2021
) -> AnnualReport:
    """A deterministic consistent report; ``seed`` changes the numbers (and hence the file)."""
    split_other = template == 2021
    leaves = {
        key: [(seed * (i + 3) + j) % 7 for j in range(N_APPLICANTS)]
        for i, key in enumerate(leaves_for(split_other))
    }
    carried = [seed % 3] * N_APPLICANTS
    total = [sum(v[i] for v in leaves.values()) for i in range(N_APPLICANTS)]
    forward = [c + 1 for c in carried]  # keeps 一 = (七) + 四 − 二 ≥ 0
    new = [t + f - c for t, f, c in zip(total, forward, carried, strict=True)]
    return AnnualReport(
        agency=agency,
        year=year,
        template=template,
        level="市级",
        body="政府",
        province="河南省",
        city="郑州市",
        applications=build_applications(new, carried, forward, leaves),
        review=case_outcomes([seed, 1, 0, 2]),
        litigation_direct=case_outcomes([0, 1, 0, 0]),
        litigation_after_review=case_outcomes([1, 0, 0, 0]),
        checks=[Check(code="balance", holds=True)],
    )


def report_bytes(report: AnnualReport) -> bytes:
    """Stand-in file bytes for a constructed report (unique per record content)."""
    return report.model_dump_json().encode()
