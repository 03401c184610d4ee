"""The database tables, declared once with SQLAlchemy Core (same DDL on SQLite and PostgreSQL).

``report`` is wide on purpose: one row per stored version with the metadata, the
provenance and every table-3/4 cell as an integer column named like the frame
column (``granted__total``), so loading the analysis frame is one ``SELECT``
read straight into Arrow. The full record (table 2, checks, repairs, assumed
zeros, warnings) is kept beside it as JSON so a report reads back exactly as
it was stored. Original file bytes live once per sha256 in ``report_file``.
"""

from __future__ import annotations

import sqlalchemy as sa

from gip_data.frames import CASE_COLUMNS, CELL_COLUMNS

SCHEMA_VERSION = 2

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

_META_COLUMNS = [
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Identity of "one body's report for one year" (see storage.identity).
    sa.Column("identity_key", sa.String(400), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    # The data version of the row's last change: frames refresh from a snapshot plus this delta.
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
    # NULL for synthetic reports, which have no original file.
    sa.Column("file_sha256", sa.String(64), sa.ForeignKey("report_file.sha256"), nullable=True),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("parser_version", sa.String(32), nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_by", sa.Text),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    # The whole AnnualReport as JSON; NULL for synthetic reports (rebuilt from the cells).
    sa.Column("record_json", sa.Text),
]

report = sa.Table(
    "report",
    metadata,
    *_META_COLUMNS,
    *[sa.Column(name, sa.Integer) for name in CELL_COLUMNS + CASE_COLUMNS],
    # At most one current version per identity: concurrent importers of the same
    # report collide here and retry instead of storing it twice.
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
