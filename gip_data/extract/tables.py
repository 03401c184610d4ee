"""Document → the standard tables, whatever the file format or layout.

The stages, each kept on :class:`ExtractionStages` for ``gip debug``:

1. ``document_to_tokens``: blocks → one stream of label and number tokens;
2. ``match_application_rows``: label tokens → table-3 rows, in template order;
3. ``assign_values``: value tokens → rows (7 cells each);
4. ``row_candidates``: each row's possible readings (lost cells, digit runs);
5. ``decode_rows``: the readings and blank cells settled by the 勾稽 rules;
6. table 4 (15 cells in one row) and table 2 (items as printed) likewise.

The edition is read from the labels: the three （六） sub-rows mean 2021; a
single （六） row means 2019 unless table 2 has the 2021 columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gip_data.errors import NotAReportError, UnreadableTableError
from gip_data.extract.assign import RowChunk, assign_values, find_case_values, table_end
from gip_data.extract.candidates import TABLE3_ROW_SUMS, TABLE4_ROW_SUMS, Candidate, row_candidates
from gip_data.extract.decode import DecodedRows, decode_rows
from gip_data.extract.labels import SPLIT_KEYS, RowMatch, match_application_rows
from gip_data.extract.proactive import extract_proactive
from gip_data.extract.tokens import Token, document_to_tokens
from gip_data.extract.unreadable import drop_cells, unsettled
from gip_data.readers.document import Document
from gip_data.schema.record import CaseOutcomes, CellRef, Edition, ProactiveItem, Repair
from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    OUTCOMES,
    ROW_BY_KEY,
    application_rows,
)
from gip_data.validate.constraints import Cell, application_constraints, case_constraints

MIN_ROWS = 3
CASES_ROW = "cases"


@dataclass(slots=True)
class ExtractionStages:
    """Every intermediate result, for ``gip debug`` and for tests of one stage."""

    tokens: list[Token] = field(default_factory=list)
    matches: list[RowMatch] = field(default_factory=list)
    table_end: int = 0
    chunks: list[RowChunk] = field(default_factory=list)
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    case_positions: list[int] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ExtractedTables:
    """Tables 2, 3 and 4 of one report, with repairs, assumptions and warnings."""

    template: Edition
    applications: dict[str, list[int] | None]
    review: CaseOutcomes | None = None
    litigation_direct: CaseOutcomes | None = None
    litigation_after_review: CaseOutcomes | None = None
    proactive: list[ProactiveItem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    assumed_zero: list[CellRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stages: ExtractionStages = field(default_factory=ExtractionStages)


def extract_tables(doc: Document) -> ExtractedTables:
    """Find and decode the standard tables of ``doc``.

    Raises :class:`NotAReportError` when table 3 is not found, and
    :class:`UnreadableTableError` when it is found but holds no readable number.
    """
    stages = ExtractionStages(tokens=document_to_tokens(doc))
    tokens = stages.tokens
    stages.matches = match_application_rows(tokens)
    if len(stages.matches) < MIN_ROWS:
        raise NotAReportError()
    stages.table_end = table_end(tokens, stages.matches)
    stages.chunks = assign_values(tokens, stages.matches, stages.table_end)
    if not any(tokens[p].kind == "number" for chunk in stages.chunks for p in chunk.positions):
        raise UnreadableTableError("表三没有可读的数字 / no number in table 3")
    proactive = extract_proactive(tokens, stages.matches[0].position)
    split = any(m.key in SPLIT_KEYS for m in stages.matches)
    edition: Edition = 2021 if split or proactive.edition == 2021 else 2019
    tables = ExtractedTables(template=edition, applications={}, proactive=proactive.items, stages=stages)
    _decode_applications(tables, split)
    _decode_cases(tables)
    return tables


def _decode_applications(tables: ExtractedTables, split: bool) -> None:
    stages = tables.stages
    keys = [row.key for row in application_rows(split)]
    by_key = {chunk.key: [stages.tokens[p] for p in chunk.positions] for chunk in stages.chunks}
    for key in keys:
        if key in by_key:
            chunk = by_key[key]
            found = row_candidates(chunk, 7, TABLE3_ROW_SUMS) if chunk else [Candidate((None,) * 7, "printed")]
            stages.candidates[key] = found
    decoded = decode_rows(
        stages.candidates,
        application_constraints(keys),
        lambda cell: (cell[0], APPLICANT_COLUMNS.index(cell[1])),
        describe=lambda key: ROW_BY_KEY[key].label,
    )
    for key, _ in drop_cells(decoded, unsettled(decoded, by_key, 7), 7, lambda key, _b: ROW_BY_KEY[key].label):
        decoded.values[key] = None
    for key in keys:
        tables.applications[key] = decoded.values.get(key)
        if key not in stages.candidates:
            tables.warnings.append(f"{ROW_BY_KEY[key].label}：未找到该行")
    _record(tables, decoded, 3, lambda row, i: (row, APPLICANT_COLUMNS[i]))


def _decode_cases(tables: ExtractedTables) -> None:
    stages = tables.stages
    found = find_case_values(stages.tokens, stages.table_end)
    if found is None:
        tables.warnings.append("未找到表四（行政复议、行政诉讼情况）")
        return
    stages.case_positions = found[1]
    chunk = [stages.tokens[p] for p in found[1]]
    stages.candidates[CASES_ROW] = row_candidates(chunk, 15, TABLE4_ROW_SUMS)
    decoded = decode_rows(
        {CASES_ROW: stages.candidates[CASES_ROW]},
        case_constraints(),
        _case_cell,
        describe=lambda _key: "表四",
    )
    names = ("表四行政复议", "表四未经复议直接起诉", "表四复议后起诉")
    dropped = {b for _, b in drop_cells(decoded, unsettled(decoded, {CASES_ROW: chunk}, 15), 5, lambda _r, b: names[b])}
    values = decoded.values.get(CASES_ROW)
    if values is not None:
        for b, block in enumerate(CASE_BLOCKS):
            if b in dropped:
                continue
            cells = dict(zip(OUTCOMES, values[b * 5 : b * 5 + 5], strict=True))
            setattr(tables, block, CaseOutcomes(**cells))
    _record(tables, decoded, 4, lambda _row, i: (CASE_BLOCKS[i // 5], OUTCOMES[i % 5]))


def _case_cell(cell: Cell) -> tuple[str, int]:
    return CASES_ROW, CASE_BLOCKS.index(cell[0]) * 5 + OUTCOMES.index(cell[1])


def _record(tables: ExtractedTables, decoded: DecodedRows, table: int, address) -> None:  # type: ignore[no-untyped-def]
    """Copy the decoder's repairs, assumptions and warnings onto the result."""
    for row, index, value, reason in decoded.repairs:
        key, column = address(row, index)
        tables.repairs.append(Repair(table=table, row=key, column=column, value=value, reason=reason))
    for row, index in decoded.assumed_zero:
        key, column = address(row, index)
        tables.assumed_zero.append(CellRef(table=table, row=key, column=column))
    tables.warnings.extend(decoded.warnings)
    tables.stages.decisions.extend(decoded.decisions)
