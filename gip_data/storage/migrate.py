"""Schema creation and the migration path between schema versions.

The database records its schema version in ``gip_meta``. Opening a database
creates the tables when it is new, applies every step in :data:`MIGRATIONS`
from its version up to :data:`~gip_data.storage.schema.SCHEMA_VERSION`, and
refuses a database written by a newer release rather than damaging it. Each
step is one function ``vN_to_vN+1(conn)`` run in the same transaction as the
version bump, so a migration is applied whole or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from gip_data.errors import StorageError
from gip_data.review import review_counts
from gip_data.schema.columns import REPORT_COLUMNS
from gip_data.schema.facts import FACT_COLUMNS, ReportFacts, fact_values
from gip_data.schema.record import AnnualReport, CellSource
from gip_data.storage import schema
from gip_data.storage.engine import is_sqlite, run_write
from gip_data.storage.provenance import read_sources, write_sources


def v1_to_v2(conn: Connection) -> None:
    """Add ``report.row_version`` (the data version of a row's last change) for incremental frame loads."""
    conn.execute(sa.text("ALTER TABLE report ADD COLUMN row_version BIGINT NOT NULL DEFAULT 0"))
    conn.execute(sa.text("CREATE INDEX ix_report_row_version ON report (row_version)"))
    # Rows written before the column existed count as changed at the current version.
    conn.execute(
        sa.text(
            "UPDATE report SET row_version = (SELECT CAST(value AS BIGINT) FROM gip_meta WHERE key = 'data_version')"
        )
    )


def v2_to_v3(conn: Connection) -> None:
    """Add ``cell_source`` and move any provenance out of ``record_json`` into it.

    Only rows whose JSON holds a non-empty provenance are rewritten (release 2
    wrote ``"provenance":[]`` everywhere), so upgrading a million reports reads
    the few that have one. The wide frame's metadata columns are now ordered
    by ``ReportRow``: frame snapshots of release 2 are void, so the data version
    moves and a full read is forced (``rebuild_version``).
    """
    schema.cell_source.create(conn)
    report = schema.report
    query = sa.select(report.c.id, report.c.record_json).where(
        report.c.record_json.like('%"provenance":[{%')
    )
    for report_id, text in conn.execute(query).all():
        record = json.loads(text)
        sources = [CellSource.model_validate(item) for item in record.pop("provenance")]
        write_sources(conn, report_id, sources)
        stripped = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        conn.execute(report.update().where(report.c.id == report_id).values(record_json=stripped))
    version = str(int(read_meta(conn, "data_version") or 0) + 1)
    write_meta(conn, "data_version", version)
    write_meta(conn, "rebuild_version", version)


# The report columns release 4 added (gip_data.review counts and the staff marks).
V4_COLUMNS: tuple[str, ...] = (
    "unknown_cells", "assumed_in_total", "low_confidence_cells", "corrected_cells", "manual_entry",
)


def v3_to_v4(conn: Connection) -> None:
    """Add the review counts and the 人工更正/人工录入 marks to ``report``; count them for stored reports.

    No report had a correction or a manual entry before, so those start at 0
    and false. The review counts can be non-zero only for a report that fails a
    rule (an unknown cell fails every rule it is in), has an assumed zero, or
    has a provenance (OCR confidence): only those records are read. The frame's
    columns changed, so frame snapshots are void (``rebuild_version``).
    """
    report = schema.report
    for name in V4_COLUMNS:
        column = report.c[name]
        default = schema.server_default(REPORT_COLUMNS[name])
        assert default is not None, f"{name}: every V4 column is a NOT NULL count or flag with a default"
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE report ADD COLUMN {name} {kind} NOT NULL DEFAULT {default.text}"))
    has_sources = sa.select(schema.cell_source.c.report_id)
    query = sa.select(report.c.id, report.c.record_json).where(
        report.c.record_json.is_not(None),
        report.c.synthetic.is_(False),
        sa.or_(report.c.consistent.is_(False), report.c.assumed_zeros > 0, report.c.id.in_(has_sources)),
    )
    for report_id, text in conn.execute(query).all():
        sources = read_sources(conn, [report_id]).get(report_id, [])
        record = AnnualReport.model_validate_json(text).model_copy(update={"provenance": sources})
        counts = review_counts(record)
        values = {name: getattr(counts, name) for name in ("unknown_cells", "assumed_in_total", "low_confidence_cells")}
        if any(values.values()):
            conn.execute(report.update().where(report.c.id == report_id).values(**values))
    version = str(int(read_meta(conn, "data_version") or 0) + 1)
    write_meta(conn, "data_version", version)
    write_meta(conn, "rebuild_version", version)


_FACT_BATCH = 1000


def add_fact_columns(conn: Connection) -> None:
    """Add the ``fact_*`` columns (what the 年报质量 checks read of the text) and fill them from the records.

    Independent of the other steps (it only adds its own columns and reads
    ``record_json``), so it can be renumbered when steps of other changes are
    ordered before it. Only records holding facts are read; synthetic rows and
    records parsed before facts existed keep NULL. The frame's columns changed,
    so frame snapshots are void (``rebuild_version``).
    """
    for column in schema.fact_columns():
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE report ADD COLUMN {column.name} {kind}"))
    cut = ("(record_json::json -> 'facts')::text" if not is_sqlite(conn.engine)
           else "json_extract(record_json, '$.facts')")
    found = conn.execute(sa.text(
        f"SELECT id, {cut} FROM report WHERE record_json IS NOT NULL AND {cut} IS NOT NULL AND {cut} <> 'null'"))
    update = schema.report.update().where(schema.report.c.id == sa.bindparam("_id")).values(
        {name: sa.bindparam(name) for name in FACT_COLUMNS})
    batch: list[dict[str, object]] = []
    for report_id, text in found.all():
        batch.append({"_id": report_id, **fact_values(ReportFacts.model_validate_json(text))})
        if len(batch) >= _FACT_BATCH:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)
    version = str(int(read_meta(conn, "data_version") or 0) + 1)
    write_meta(conn, "data_version", version)
    write_meta(conn, "rebuild_version", version)


# from_version -> step; SCHEMA_VERSION is the last step's target.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: v1_to_v2, 2: v2_to_v3, 3: v3_to_v4, 4: add_fact_columns}

_MIGRATION_LOCK_ID = 74_711_2021  # pg_advisory_xact_lock key: one migrator at a time


def write_meta(conn: Connection, key: str, value: str) -> None:
    """Set one value of the ``gip_meta`` table."""
    updated = conn.execute(schema.meta.update().where(schema.meta.c.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(schema.meta.insert().values(key=key, value=value))


def read_meta(conn: Connection, key: str) -> str | None:
    """One value of the ``gip_meta`` table."""
    return conn.execute(sa.select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar_one_or_none()


def _create_or_migrate(conn: Connection) -> None:
    if not is_sqlite(conn.engine):
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID})
    if not sa.inspect(conn).has_table("gip_meta"):
        schema.metadata.create_all(conn)
        write_meta(conn, "schema_version", str(schema.SCHEMA_VERSION))
        write_meta(conn, "data_version", "0")
        # Distinguishes two databases whose data versions happen to match (snapshot keys).
        write_meta(conn, "instance_id", uuid.uuid4().hex[:16])
        return
    version = int(read_meta(conn, "schema_version") or 0)
    if version > schema.SCHEMA_VERSION:
        raise StorageError(
            f"数据库版本 {version} 高于本程序支持的 {schema.SCHEMA_VERSION}，请升级 / "
            f"database schema {version} is newer than this release supports ({schema.SCHEMA_VERSION})"
        )
    while version < schema.SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StorageError(f"没有从版本 {version} 升级的路径 / no migration from schema {version}")
        step(conn)
        version += 1
        write_meta(conn, "schema_version", str(version))


def ensure_schema(engine: Engine) -> None:
    """Create a new database or bring an existing one to the current schema version."""
    run_write(engine, _create_or_migrate)


def schema_version(engine: Engine) -> int:
    """The schema version recorded in the database."""
    with engine.connect() as conn:
        return int(read_meta(conn, "schema_version") or 0)
