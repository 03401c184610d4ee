"""Cell corrections (人工更正), manual entry (人工录入) and review marks: the records, then the store (both backends)."""

from __future__ import annotations

import polars as pl
import pytest

from gip_data.corrections import apply_cells, describe_changes, empty_values, keep_corrections, manual_record
from gip_data.export import export_frame
from gip_data.frames import records_to_wide
from gip_data.layout import cell_values
from gip_data.review import assumed_in_total, low_confidence, review_counts, unknown_cells
from gip_data.schema.meta import ReportMeta
from gip_data.schema.record import MANUAL_READING, CellRef, Repair, SourceInfo
from gip_data.storage import load_frames
from gip_data.storage.sql import SqlStore
from tests import dbs
from tests.strategies import make_report, report_bytes, with_provenance

GRANTED = (3, "granted", "natural_person")
GRANTED_TOTAL = (3, "granted", "total")


def _bumped(values: dict, key: tuple[int, str, str], by: int = 1) -> dict:
    return {**values, key: values[key] + by}


# ------------------------------------------------------------------------------------------------ the records


def test_a_changed_cell_is_a_correction_and_the_rules_are_checked_again() -> None:
    record = make_report(seed=3)
    values = cell_values(record)
    fixed = apply_cells(record, _bumped(values, GRANTED))
    assert [(c.row, c.column, c.parsed, c.value) for c in fixed.corrections] == [
        ("granted", "natural_person", values[GRANTED], values[GRANTED] + 1)
    ]
    assert fixed.applications["granted"][0] == values[GRANTED] + 1  # type: ignore[index]
    failed = {(c.code, c.row, c.column) for c in fixed.failed_checks}
    # The row's 总计 and the column's （七）总计 as printed no longer add up (the balance uses the printed （七）).
    assert failed == {("row-total", "granted", "total"), ("disposition-total", "total", "natural_person")}
    assert describe_changes(record, _bumped(values, GRANTED)) == f"表三·（一）予以公开·自然人：{values[GRANTED]} → {values[GRANTED] + 1}"
    # Changing the total with it makes the row add up again, and both cells are corrections.
    both = apply_cells(record, _bumped(_bumped(values, GRANTED), GRANTED_TOTAL))
    assert {c.column for c in both.corrections} == {"natural_person", "total"}
    assert ("row-total", "granted", "total") not in {(c.code, c.row, c.column) for c in both.failed_checks}


def test_corrections_add_up_over_versions_and_a_cell_set_back_is_none() -> None:
    record = make_report(seed=4)
    values = cell_values(record)
    once = apply_cells(record, _bumped(values, GRANTED, 2))
    twice = apply_cells(once, _bumped(cell_values(once), GRANTED, 3))
    assert [(c.parsed, c.value) for c in twice.corrections] == [(values[GRANTED], values[GRANTED] + 5)]
    back = apply_cells(twice, {**cell_values(twice), GRANTED: values[GRANTED]})
    assert back.corrections == [] and back.consistent
    assert back.applications == record.applications


def test_blanks_in_a_row_are_assumed_zero_a_blank_row_stays_unknown() -> None:
    record = make_report(seed=5)
    values = cell_values(record)
    unknown = record.model_copy(update={"applications": {**record.applications, "unable_unclear": None}})
    assert len(unknown_cells(unknown)) == 7
    typed = {**cell_values(unknown), (3, "unable_unclear", "natural_person"): 4, (3, "unable_unclear", "total"): 4}
    filled = apply_cells(unknown, typed)
    assert filled.applications["unable_unclear"] == [4, 0, 0, 0, 0, 0, 4]
    zeros = {(z.row, z.column) for z in filled.assumed_zero}
    assert zeros == {("unable_unclear", c) for c in ("business", "research", "public_interest", "legal_service",
                                                     "other_org")}
    assert {(c.column, c.parsed, c.value) for c in filled.corrections} == {("natural_person", None, 4), ("total", None, 4)}
    # Clearing a whole known row makes it unknown again.
    cleared = apply_cells(record, {**values, **{(3, "granted", c): None for c in
                                                ("natural_person", "business", "research", "public_interest",
                                                 "legal_service", "other_org", "total")}})
    assert cleared.applications["granted"] is None and len(unknown_cells(cleared)) == 7


def test_a_corrected_repair_or_assumed_zero_is_no_longer_marked() -> None:
    record = make_report(seed=6).model_copy(update={
        "repairs": [Repair(table=3, row="granted", column="natural_person", value=1, reason="row-total")],
        "assumed_zero": [CellRef(table=3, row="granted", column="business")],
    })
    values = cell_values(record)
    fixed = apply_cells(record, _bumped(_bumped(values, GRANTED), (3, "granted", "business")))
    assert fixed.repairs == [] and fixed.assumed_zero == []


def test_manual_entry_is_a_checked_record_marked_as_typed() -> None:
    parsed = make_report(seed=7)
    source = SourceInfo(file_name="scan.pdf", sha256="0" * 64, format="pdf")
    typed = manual_record(ReportMeta(agency="某县人民政府", year=2022), 2021, cell_values(parsed), source)
    assert typed.source is not None and typed.source.reading == MANUAL_READING and typed.manual_entry
    assert typed.applications == parsed.applications and typed.review == parsed.review
    assert typed.consistent and typed.corrections == [] and typed.checks
    assert review_counts(typed).manual_entry
    blank = manual_record(ReportMeta(), 2019, empty_values(2019), source)
    assert "other" in blank.applications and all(v is None for v in blank.applications.values())
    assert not blank.consistent  # nothing typed: every rule lacks data


def test_review_counts() -> None:
    record = make_report(seed=8)
    row = record.applications["granted"]
    assert row is not None and row[-1] > 0
    zero_total = record.model_copy(update={"applications": {**record.applications, "carried_over": [0] * 7}})
    marked = zero_total.model_copy(update={"assumed_zero": [CellRef(table=3, row="granted", column="business"),
                                                            CellRef(table=3, row="carried_over", column="research")]})
    assert [(r.row, r.column) for r in assumed_in_total(marked)] == [("granted", "business")]  # not under a 0 total
    sourced = with_provenance(record, "pdf")
    unsure = [s.model_copy(update={"source": s.source.model_copy(update={"confidence": c})})
              for s, c in zip(sourced.provenance[:3], (0.2, 0.95, None), strict=True)]
    assert len(low_confidence(sourced.model_copy(update={"provenance": unsure}))) == 1


def test_frames_and_export_carry_the_correction_flag() -> None:
    record = make_report(seed=9)
    fixed = apply_cells(record, _bumped(cell_values(record), GRANTED))
    wide = records_to_wide([record, fixed])
    assert wide["corrected_cells"].to_list() == [0, 1] and wide["manual_entry"].to_list() == [False, False]
    exported = export_frame(wide, "zh")
    assert exported["人工更正单元格数"].to_list() == [0, 1] and "人工录入" in exported.columns


def test_a_reparse_keeps_staff_numbers() -> None:
    record = make_report(seed=10)
    fixed = apply_cells(record, _bumped(cell_values(record), GRANTED))
    again = keep_corrections(record, fixed)  # the parser still reads the old number
    assert again.applications == fixed.applications and again.corrections == fixed.corrections
    improved = record.model_copy(update={"applications": fixed.applications})  # now it reads the staff number
    assert keep_corrections(improved, fixed).corrections == []


# ------------------------------------------------------------------------------------------------ the store

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


def _stored(store: SqlStore, seed: int) -> int:
    record = make_report(agency=f"测试{seed}县人民政府", seed=seed)
    outcome = store.import_bytes(report_bytes(record), f"r{seed}.txt", uploaded_by="loader", report=record)
    assert outcome.report_id is not None
    return outcome.report_id


def test_store_cell_correction_keeps_the_parsed_version_and_moves_the_totals(store: SqlStore) -> None:
    first = _stored(store, 11)
    before = load_frames(store).wide
    record = store.get_report(first).record
    values = _bumped(_bumped(cell_values(record), GRANTED, 5), GRANTED_TOTAL, 5)
    fixed = apply_cells(record, values)
    detail = describe_changes(record, values) + "；理由：原件第3页为 8"
    outcome = store.correct(first, fixed, by="审核员", detail=detail, action="correct-cells")
    assert outcome.status == "new_version" and outcome.report_id != first
    new = store.get_report(outcome.report_id)
    assert new.record.corrections and new.record == fixed
    old = store.get_report(first)
    assert old.status == "superseded" and old.record.corrections == [] and old.record == record
    entry = store.audit_log(outcome.report_id)[0]
    assert (entry.action, entry.actor) == ("correct-cells", "审核员") and "理由" in entry.detail and "→" in entry.detail
    after = load_frames(store).wide
    column = "granted__total"
    assert after[column].sum() == before[column].sum() + 5
    assert after.filter(pl.col("report_id") == outcome.report_id)["corrected_cells"].to_list() == [2]
    with pytest.raises(ValueError, match="not a correction"):
        store.correct(outcome.report_id, fixed, by="x", detail="", action="delete")


def test_store_reparse_keeps_cell_corrections(store: SqlStore) -> None:
    first = _stored(store, 12)
    record = store.get_report(first).record
    fixed = apply_cells(record, _bumped(cell_values(record), GRANTED))
    corrected = store.correct(first, fixed, by="审核员", detail="x", action="correct-cells").report_id
    assert corrected is not None
    outcome = store.reparse(corrected, by="审核员", parse=lambda _data, _name: record)
    assert outcome.status == "duplicate"  # the parse plus the kept correction is the stored record


def test_store_review_marks_and_manual_entry(store: SqlStore) -> None:
    first, second = _stored(store, 13), _stored(store, 14)
    version = store.data_version()
    store.mark_reviewed(first, by="审核员", note="已核对原件")
    assert store.reviewed_ids() == {first} and store.reviewed_ids([second]) == set()
    assert store.data_version() == version  # a review changes no number
    assert store.audit_log(first)[0].action == "review"
    source = SourceInfo(file_name="scan.pdf", sha256="1" * 64, format="pdf")
    typed = manual_record(ReportMeta(agency="手录县人民政府", year=2023), 2021,
                          cell_values(make_report(seed=15)), source)
    outcome = store.import_bytes(b"scan bytes", "scan.pdf", uploaded_by="录入员", report=typed, action="manual-entry")
    assert outcome.status == "imported" and outcome.report_id is not None
    assert store.audit_log(outcome.report_id)[0].action == "manual-entry"
    row = load_frames(store).wide.filter(pl.col("report_id") == outcome.report_id)
    assert row["manual_entry"].to_list() == [True] and row["consistent"].to_list() == [True]


# ------------------------------------------------------------------------------------------------ manual entry drafts


def test_manual_entry_draft_shows_text_or_pages() -> None:
    from gip_data.manual import offers_manual_entry, read_draft
    from tests.paths import DATA

    text = read_draft((DATA / "bad" / "txt_tables_missing.txt").read_bytes(), "txt_tables_missing.txt")
    assert text.shown_as == "text" and "政府信息公开" in text.text
    assert (text.meta.agency, text.meta.year, text.template) == ("郑州高新区沟赵办事处", 2020, 2019)
    for name in ("bad/pdf_image_only.pdf", "wps/wps_unmapped_font.pdf"):  # a scan; glyphs without text
        draft = read_draft((DATA / name).read_bytes(), name.split("/")[-1])
        assert draft.shown_as == "pages" and draft.pages and draft.pages >= 1 and draft.text == ""
    readable = read_draft((DATA / "bad" / "pdf_not_a_report.pdf").read_bytes(), "pdf_not_a_report.pdf")
    assert readable.shown_as == "text" and readable.text.startswith("关于召开")
    assert offers_manual_entry("not-a-report") and offers_manual_entry("no-text-layer")
    assert not offers_manual_entry("corrupt-file") and not offers_manual_entry("encrypted-file")
