"""A database as release 2 (schema version 2) wrote it, for the migration tests.

The DDL is a frozen copy of ``gip_data/storage/schema.py`` at schema version 2
(the cell columns are the template's, unchanged since); rows are written the
way that release wrote them: the whole record, provenance included, as JSON in
``record_json``; synthetic rows without JSON.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa

from gip_data.frames import CASE_COLUMNS, CELL_COLUMNS, cell_values
from gip_data.schema.columns import ReportRow
from gip_data.schema.record import AnnualReport
from gip_data.storage.rows import identity_key

metadata = sa.MetaData()
meta = sa.Table(
    "gip_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
report_file = sa.Table(
    "report_file",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
report = sa.Table(
    "report",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("identity_key", sa.String(400), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("row_version", sa.BigInteger, nullable=False, default=0),
    sa.Column("supersedes_id", sa.Integer, sa.ForeignKey("report.id"), nullable=True),
    sa.Column("agency", sa.Text),
    sa.Column("agency_key", sa.Text),
    sa.Column("year", sa.Integer),
    sa.Column("template", sa.Integer, nullable=False),
    sa.Column("level", sa.String(8)),
    sa.Column("body", sa.String(4)),
    sa.Column("region", sa.Text),
    sa.Column("province", sa.Text),
    sa.Column("city", sa.Text),
    sa.Column("aggregate", sa.Boolean, nullable=False),
    sa.Column("sample", sa.Boolean, nullable=False),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.Column("consistent", sa.Boolean, nullable=False),
    sa.Column("failed_checks", sa.Integer, nullable=False),
    sa.Column("repairs", sa.Integer, nullable=False),
    sa.Column("assumed_zeros", sa.Integer, nullable=False),
    sa.Column("missing_tables", sa.Integer, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("file_sha256", sa.String(64), sa.ForeignKey("report_file.sha256"), nullable=True),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("parser_version", sa.String(32), nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_by", sa.Text),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    sa.Column("record_json", sa.Text),
    *[sa.Column(name, sa.Integer) for name in CELL_COLUMNS + CASE_COLUMNS],
    sa.Index(
        "uq_report_current_identity",
        "identity_key",
        unique=True,
        sqlite_where=sa.text("status = 'current'"),
        postgresql_where=sa.text("status = 'current'"),
    ),
    sa.Index("ix_report_identity", "identity_key"),
    sa.Index("ix_report_sha256", "sha256"),
    sa.Index("ix_report_status", "status"),
    sa.Index("ix_report_row_version", "row_version"),
)
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("report.id"), nullable=True),
    sa.Column("file_name", sa.Text),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Index("ix_audit_report", "report_id"),
)
shared_view = sa.Table(
    "shared_view",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("page", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("data_version", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False, default=""),
)

DATA_VERSION = 7  # a database that has seen some changes


def _row(record: AnnualReport, data: bytes, synthetic: bool) -> dict[str, object]:
    sha256 = hashlib.sha256(data).hexdigest()
    values = {k: v for k, v in ReportRow.of(record).record_values().items() if k in report.c}  # release 2's columns
    return {
        **values,
        **cell_values(record),
        "identity_key": identity_key(record.agency, record.year, sha256),
        "status": "current",
        "row_version": DATA_VERSION,
        "sample": False,
        "synthetic": synthetic,
        "file_name": "synthetic" if synthetic else f"{sha256[:8]}.txt",
        "sha256": sha256,
        "file_sha256": None if synthetic else sha256,
        "format": "txt",
        "parser_version": "1.0.0",
        "uploaded_by": "release-2",
        "uploaded_at": datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
        "record_json": None if synthetic else record.model_dump_json(exclude={"corrections"}),
    }


def write_v2_database(url: str, files: list[tuple[AnnualReport, bytes]], synthetic: list[AnnualReport]) -> None:
    """Create a schema-2 database at ``url`` holding ``files`` (record, bytes) and ``synthetic`` records."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        metadata.create_all(conn)
        for key, value in (("schema_version", "2"), ("data_version", str(DATA_VERSION)), ("instance_id", "v2db")):
            conn.execute(meta.insert().values(key=key, value=value))
        for record, data in files:
            sha256 = hashlib.sha256(data).hexdigest()
            conn.execute(report_file.insert().values(sha256=sha256, size=len(data), data=data))
            conn.execute(report.insert().values(**_row(record, data, synthetic=False)))
        for i, record in enumerate(synthetic):
            conn.execute(report.insert().values(**_row(record, f"synthetic-{i}".encode(), synthetic=True)))
    engine.dispose()
