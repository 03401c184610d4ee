"""Report facts as a fixed-schema Polars frame (one row per report), from records or from the store.

The scorecard reads facts the way metrics read cells: as columns. Stated
numbers become one list column per kind (``said_<kind>``, the distinct values in
order of mention), the parts present a bit mask (bit ``k-1`` for part ``k`` of
:data:`gip_data.schema.facts.SECTION_NAMES`), the MinHash signature a fixed-size
array (zeros when the report has no sentence: ``sentences`` is then 0), so the
signatures of all reports read as one numpy matrix.
A report stored without facts (parsed before facts existed, or synthetic) has
no row: every check that needs facts is then *unknown* for it.

From the store the facts are cut out of the stored record JSON by the database
(SQLite ``json_extract``, PostgreSQL ``->``) and decoded by Polars in one
vectorised pass — no record is rebuilt in Python.
"""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa

from gip_data.schema.facts import FINGERPRINT_SIZE, STATED_KINDS, ReportFacts
from gip_data.schema.record import AnnualReport

DATE_FIELDS: tuple[str, ...] = ("published", "signed", "file_created", "file_modified")
FACTS_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.Int64(),
    **{f"said_{kind}": pl.List(pl.Int64()) for kind in STATED_KINDS},
    "sections": pl.UInt8(),
    "narrative_chars": pl.Int32(),
    "table2": pl.Boolean(),
    "fee_paragraph": pl.Boolean(),
    **{name: pl.Date() for name in DATE_FIELDS},
    "sentences": pl.Int32(),
    "fingerprint": pl.Array(pl.UInt32(), FINGERPRINT_SIZE),
}
# How the facts JSON decodes (the parts the frame needs; sentences of stated numbers stay in the record).
_JSON_DTYPE = pl.Struct({
    "stated": pl.List(pl.Struct({"kind": pl.String(), "value": pl.Int64()})),
    "sections": pl.List(pl.Int64()),
    "narrative_chars": pl.Int64(),
    "table2": pl.Boolean(),
    "fee_paragraph": pl.Boolean(),
    "dates": pl.Struct({name: pl.String() for name in DATE_FIELDS}),
    "sentences": pl.Int64(),
    "fingerprint": pl.List(pl.Int64()),
})


def empty_facts() -> pl.DataFrame:
    """A facts frame with no rows and the fixed schema."""
    return pl.DataFrame(schema=FACTS_SCHEMA)


def section_mask(sections: list[int]) -> int:
    """The bit mask of the parts present (bit k-1 for part k)."""
    return sum(1 << (k - 1) for k in set(sections) if 1 <= k <= 8)


def facts_row(report_id: int, facts: ReportFacts) -> dict[str, object]:
    """One facts-frame row for one report's facts."""
    return {
        "report_id": report_id,
        **{f"said_{kind}": facts.values(kind) for kind in STATED_KINDS},
        "sections": section_mask(facts.sections),
        "narrative_chars": facts.narrative_chars,
        "table2": facts.table2,
        "fee_paragraph": facts.fee_paragraph,
        **{name: getattr(facts.dates, name) for name in DATE_FIELDS},
        "sentences": facts.sentences,
        "fingerprint": facts.fingerprint if len(facts.fingerprint) == FINGERPRINT_SIZE else [0] * FINGERPRINT_SIZE,
    }


def records_to_facts(reports: list[tuple[int, AnnualReport]]) -> pl.DataFrame:
    """The facts frame of in-memory records given with their report ids (records without facts skipped)."""
    rows = [facts_row(i, r.facts) for i, r in reports if r.facts is not None]
    return pl.DataFrame(rows, schema=FACTS_SCHEMA) if rows else empty_facts()


def decode_facts(raw: pl.DataFrame) -> pl.DataFrame:
    """The facts frame from ``report_id`` and ``facts`` (the facts JSON text), vectorised."""
    if raw.height == 0:
        return empty_facts()
    decoded = raw.lazy().select(
        pl.col("report_id").cast(pl.Int64), pl.col("facts").str.json_decode(_JSON_DTYPE).alias("f")
    ).unnest("f")
    stated = pl.col("stated")
    out = decoded.select(
        "report_id",
        *(stated.list.eval(pl.element().filter(pl.element().struct.field("kind") == kind)
                           .struct.field("value").unique(maintain_order=True)).alias(f"said_{kind}")
          for kind in STATED_KINDS),
        pl.col("sections").list.eval(pl.lit(2, pl.Int64).pow(pl.element() - 1)).list.sum().alias("sections"),
        "narrative_chars", "table2", "fee_paragraph",
        *(pl.col("dates").struct.field(name).str.to_date(strict=False).alias(name) for name in DATE_FIELDS),
        "sentences",
        pl.when(pl.col("fingerprint").list.len() == FINGERPRINT_SIZE).then(pl.col("fingerprint"))
        .otherwise(pl.lit([0] * FINGERPRINT_SIZE, pl.List(pl.Int64))).list.to_array(FINGERPRINT_SIZE).alias("fingerprint"),
    )
    return out.collect().cast(FACTS_SCHEMA)  # type: ignore[arg-type]


def _facts_sql(engine: sa.Engine) -> str:
    """The SQL expression cutting the facts out of the stored record JSON (NULL when absent)."""
    if engine.dialect.name == "postgresql":
        return "(record_json::json -> 'facts')::text"
    return "json_extract(record_json, '$.facts')"


def facts_query(engine: sa.Engine) -> sa.TextClause:
    """SQL giving each current report's id and its facts JSON (reports stored without facts left out)."""
    extract = _facts_sql(engine)
    return sa.text(
        f"SELECT id AS report_id, {extract} AS facts FROM report "
        f"WHERE status = 'current' AND record_json IS NOT NULL AND {extract} IS NOT NULL "
        f"AND {extract} <> 'null' ORDER BY id"
    )


def load_facts(engine: sa.Engine) -> pl.DataFrame:
    """The facts frame of the current stored reports."""
    with engine.connect() as conn:
        raw = pl.read_database(facts_query(engine), conn, schema_overrides={"facts": pl.String})
    return decode_facts(raw)


def read_facts_delta(engine: sa.Engine, since: int) -> tuple[pl.Series, pl.DataFrame]:
    """The reports changed after data version ``since`` (ids) and the facts of those now current.

    With :func:`apply_facts_delta` this keeps a facts frame up to date after an
    upload without reading every stored record again (``row_version`` moves on
    every import, re-parse, correction and delete).
    """
    extract = _facts_sql(engine)
    query = sa.text(
        f"SELECT id AS report_id, status, CASE WHEN status = 'current' THEN {extract} END AS facts "
        "FROM report WHERE row_version > :since ORDER BY id"
    ).bindparams(since=since)
    with engine.connect() as conn:
        raw = pl.read_database(query, conn, schema_overrides={"facts": pl.String, "status": pl.String})
    changed = raw.get_column("report_id").cast(pl.Int64)
    current = raw.filter(pl.col("facts").is_not_null() & (pl.col("facts") != "null")).select("report_id", "facts")
    return changed, decode_facts(current)


def apply_facts_delta(old: pl.DataFrame, changed: pl.Series, new: pl.DataFrame) -> pl.DataFrame:
    """``old`` with the changed reports' rows replaced by ``new`` (report-id order kept)."""
    kept = old.filter(~pl.col("report_id").is_in(changed.implode()))
    merged = pl.concat([kept, new], rechunk=False) if new.height else kept
    return merged if merged["report_id"].is_sorted() else merged.sort("report_id")
