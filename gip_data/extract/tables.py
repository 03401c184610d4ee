"""Document → the standard tables, whatever the file format or layout.

The stages, each kept on :class:`ExtractionStages` for ``gip debug``:

1. ``document_to_tokens``: blocks → one stream of label and number tokens;
2. ``align_table3``: label tokens → table-3 rows, the best chain over every layout;
3. ``assign_values``: value tokens → rows (7 cells each); layouts the labels
   do not tell apart are told apart by the value rows printed without labels;
4. ``row_candidates``: each row's possible readings (lost cells, digit runs);
5. ``decode_rows``: the readings and blank cells settled by the 勾稽 rules;
6. table 4 (15 cells in one row) and table 2 (items as printed) likewise.

The edition is read from the labels: every layout of every declared edition
(:data:`gip_data.schema.template.EDITION_SPECS`) is aligned with the labels and the
best one wins; a layout several editions print (the single （六） row) goes to
the one table 2's columns name, else to the first declared. Widths, in-row sums
and the rules all come from the template. Every printed cell of the result gets
its source (:mod:`gip_data.extract.provenance`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from gip_data.errors import NotAReportError, UnreadableTableError
from gip_data.extract.assign import Assignment, RowChunk, assign_values, find_case_values, table_end
from gip_data.extract.candidates import Candidate, row_readings
from gip_data.extract.decode import DecodedRows, Groups, decode_rows
from gip_data.extract.labels import Alignment, RowMatch, align_layouts, layouts_of, same_labels
from gip_data.extract.proactive import extract_proactive
from gip_data.extract.provenance import Address, Fields, as_sources, row_sources
from gip_data.extract.tokens import Token, document_to_tokens
from gip_data.readers.document import Document
from gip_data.schema.record import CaseOutcomes, CellRef, CellSource, ProactiveItem, Repair
from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    APPLICATION_ROW_SUMS,
    APPLICATION_WIDTH,
    CASE_BLOCK_LABELS,
    CASE_BLOCK_WIDTH,
    CASE_BLOCKS,
    CASE_ROW_SUMS,
    CASE_WIDTH,
    EDITION_SPECS,
    OUTCOMES,
    EditionSpec,
    Row,
    TableNumber,
)
from gip_data.validate.constraints import Cell, application_constraints, case_constraints

_COLUMN_INDEX = {column: i for i, column in enumerate(APPLICANT_COLUMNS)}
MIN_ROWS = 3
# Without table 3's heading or header note, one row in this many must be found: a few list items in prose
# (予以公开；部分公开；…) are no table.
MIN_ROW_SHARE = 3
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
    ambiguous: list[str] = field(default_factory=list)  # unlabeled rows position cannot place


@dataclass(slots=True)
class ExtractedTables:
    """Tables 2, 3 and 4 of one report, with repairs, assumptions, warnings and provenance.

    ``layout`` holds the table-3 rows the labels were aligned with (their roles
    give the rules); ``provenance`` where each printed cell of tables 3 and 4
    stands in the source.
    """

    template: int  # the edition of the declared spec that matched (a record's template is one of EDITIONS)
    applications: dict[str, list[int] | None]
    review: CaseOutcomes | None = None
    litigation_direct: CaseOutcomes | None = None
    litigation_after_review: CaseOutcomes | None = None
    proactive: list[ProactiveItem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    assumed_zero: list[CellRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    provenance: list[CellSource] = field(default_factory=list)
    layout: tuple[Row, ...] = ()
    stages: ExtractionStages = field(default_factory=ExtractionStages)


def extract_tables(doc: Document, editions: tuple[EditionSpec, ...] = EDITION_SPECS) -> ExtractedTables:
    """Find and decode the standard tables of ``doc`` against the declared ``editions``.

    Raises :class:`NotAReportError` when table 3 is not found, and
    :class:`UnreadableTableError` when it is found but holds no readable number.
    """
    stages = ExtractionStages(tokens=document_to_tokens(doc))
    tokens = stages.tokens
    alignments = align_layouts(tokens, layouts_of(editions))
    best = alignments[0]
    needed = MIN_ROWS if best.anchored else max(MIN_ROWS, len(best.rows) // MIN_ROW_SHARE)
    if len(best.matches) < needed:
        raise NotAReportError()
    stages.matches = best.matches
    stages.table_end = table_end(tokens, stages.matches)
    alignment, assignment = _choose_layout(tokens, alignments, stages)
    stages.chunks = assignment.chunks
    stages.ambiguous = assignment.ambiguous
    if not any(tokens[p].kind == "number" for chunk in stages.chunks for p in chunk.positions):
        raise UnreadableTableError("表三没有可读的数字 / no number in table 3")
    proactive = extract_proactive(tokens, stages.matches[0].position)
    edition = _edition(alignment.rows, proactive.edition, editions)
    tables = ExtractedTables(
        template=edition,
        applications={},
        proactive=proactive.items,
        layout=alignment.rows,
        stages=stages,
    )
    sources = _decode_applications(tables) + _decode_cases(tables)
    tables.provenance = as_sources(sources)
    return tables


def _choose_layout(
    tokens: list[Token], alignments: list[Alignment], stages: ExtractionStages
) -> tuple[Alignment, Assignment]:
    """The layout the value rows do not refute, the labels' best first (alignments come best first).

    The labels alone may prefer a layout the values refute: three value rows
    printed where （六） stands, without sub-row labels (pushed out of the table,
    or only the group label （六）其他处理 printed), leave two whole rows over under
    the single-row layout. So a layout that leaves fewer whole value rows over
    wins; among equal ones, layouts whose chains found the same labels are told
    apart by how well their rows fit the values, the rest by the labels' score.
    """
    best = alignments[0]
    fits = [(assign_values(tokens, best.matches, stages.table_end, best.rows), best)]
    left_over = fits[0][0].skipped >= APPLICATION_WIDTH  # a whole value row the labels' best has no row for
    for other in alignments[1:]:
        if same_labels(other, best):
            fits.append((assign_values(tokens, other.matches, stages.table_end, other.rows), other))
        elif left_over and len(other.matches) >= MIN_ROWS:
            end = table_end(tokens, other.matches)
            fits.append((assign_values(tokens, other.matches, end, other.rows), other))

    def key(fit: tuple[Assignment, Alignment]) -> tuple[int, float]:
        assignment, alignment = fit
        return assignment.skipped // APPLICATION_WIDTH, assignment.cost if same_labels(alignment, best) else 0.0

    assignment, chosen = min(fits, key=key)  # min keeps the first (the labels' order) of equal keys
    if chosen is not best:
        stages.matches = chosen.matches
        stages.table_end = table_end(tokens, chosen.matches)
        stages.decisions.append(f"表三：按无标签数值行的位置选用 {len(chosen.rows)} 行的版式")
    return chosen, assignment


def _edition(rows: tuple[Row, ...], table2: int | None, editions: tuple[EditionSpec, ...]) -> int:
    """The edition whose layouts include the aligned rows; table 2's columns break a tie."""
    having = [spec.edition for spec in editions if rows in spec.layouts]
    return next((edition for edition in having if edition == table2), having[0])


def _decode_applications(tables: ExtractedTables) -> list[Fields]:
    stages = tables.stages
    keys = [row.key for row in tables.layout]
    by_key = {chunk.key: [stages.tokens[p] for p in chunk.positions] for chunk in stages.chunks}
    incomplete: list[str] = []
    for key in keys:
        if key in by_key and key not in stages.ambiguous:
            chunk = by_key[key]
            if chunk:
                readings = row_readings(chunk, APPLICATION_WIDTH, APPLICATION_ROW_SUMS)
                stages.candidates[key] = readings.candidates
                if not readings.complete:
                    incomplete.append(key)
            else:
                stages.candidates[key] = [Candidate((None,) * APPLICATION_WIDTH, "printed")]
    labels = {row.key: row.label for row in tables.layout}
    decoded = decode_rows(
        stages.candidates,
        application_constraints(tables.layout),
        lambda cell: (cell[0], _COLUMN_INDEX[cell[1]]),
        describe=lambda key: labels[key],
        incomplete=incomplete,
    )
    for key in keys:
        tables.applications[key] = decoded.values.get(key)
        if key in stages.ambiguous:
            tables.warnings.append(f"{labels[key]}：数值行没有标签，无法确定属于哪一行，留空")
        elif key not in stages.candidates:
            tables.warnings.append(f"{labels[key]}：未找到该行")
    _record(tables, decoded, 3, lambda row, i: (row, APPLICANT_COLUMNS[i]))
    sources: list[Fields] = []
    for key, chosen in decoded.chosen.items():
        if decoded.values.get(key) is not None and key in by_key:
            sources += row_sources(3, by_key[key], chosen, _application_address(key))
    return sources


def _application_address(key: str) -> Address:
    return lambda index: (key, APPLICANT_COLUMNS[index])


def _decode_cases(tables: ExtractedTables) -> list[Fields]:
    stages = tables.stages
    found = find_case_values(stages.tokens, stages.table_end)
    if found is None:
        tables.warnings.append("未找到表四（行政复议、行政诉讼情况）")
        return []
    stages.case_positions = found[1]
    chunk = [stages.tokens[p] for p in found[1]]
    readings = row_readings(chunk, CASE_WIDTH, CASE_ROW_SUMS)
    stages.candidates[CASES_ROW] = readings.candidates
    decoded = decode_rows(
        {CASES_ROW: stages.candidates[CASES_ROW]},
        case_constraints(),
        _case_cell,
        describe=lambda _key: "表四",
        incomplete=() if readings.complete else (CASES_ROW,),
        groups=Groups(CASE_BLOCK_WIDTH, lambda _key, b: f"表四{CASE_BLOCK_LABELS[CASE_BLOCKS[b]]}"),
    )
    values = decoded.values.get(CASES_ROW)
    sources: list[Fields] = []
    if values is not None:
        for b, block in enumerate(CASE_BLOCKS):
            if (CASES_ROW, b) in decoded.unsettled:
                continue  # an unreadable cell the rules do not settle: the block stays null
            start = b * CASE_BLOCK_WIDTH
            cells = dict(zip(OUTCOMES, values[start : start + CASE_BLOCK_WIDTH], strict=True))
            setattr(tables, block, CaseOutcomes(**cells))
        sources = [
            f
            for f in row_sources(4, chunk, decoded.chosen[CASES_ROW], _case_address)
            if getattr(tables, f["row"]) is not None
        ]
    _record(tables, decoded, 4, lambda _row, i: _case_address(i))
    return sources


def _case_address(index: int) -> tuple[str, str]:
    return CASE_BLOCKS[index // CASE_BLOCK_WIDTH], OUTCOMES[index % CASE_BLOCK_WIDTH]


def _case_cell(cell: Cell) -> tuple[str, int]:
    return CASES_ROW, CASE_BLOCKS.index(cell[0]) * CASE_BLOCK_WIDTH + OUTCOMES.index(cell[1])


def _record(
    tables: ExtractedTables, decoded: DecodedRows, table: TableNumber, address: Callable[[str, int], tuple[str, str]]
) -> None:
    """Copy the decoder's repairs, assumptions and warnings onto the result."""
    for row, index, value, reason in decoded.repairs:
        key, column = address(row, index)
        tables.repairs.append(Repair(table=table, row=key, column=column, value=value, reason=reason))
    for row, index in decoded.assumed_zero:
        key, column = address(row, index)
        tables.assumed_zero.append(CellRef(table=table, row=key, column=column))
    tables.warnings.extend(decoded.warnings)
    tables.stages.decisions.extend(decoded.decisions)
