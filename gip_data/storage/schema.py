"""The database tables, declared once with SQLAlchemy Core (same DDL on SQLite and PostgreSQL).

``report`` is wide on purpose: one row per stored version with the metadata,
the lifecycle, every table-3/4 cell as an integer column named like the
frame column (``granted__total``) and the few facts of the text the quality
checks read (``fact_*``), so loading the analysis frame is one
``SELECT`` read straight into Arrow. The metadata columns are derived from
:data:`gip_data.schema.columns.REPORT_COLUMNS` (their SQL type and nullability
are facts of the model's fields). The full record (table 2, checks, repairs,
assumed zeros, warnings) is kept beside it as JSON, last in the row so that
reading the cells never walks through it, and a report reads back exactly as it
was stored. The cells' provenance is kept in ``cell_source``, one compressed
row per report version (see :mod:`gip_data.storage.provenance`). Original file
bytes live once per sha256 in ``report_file``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from gip_data.frames import CASE_COLUMNS, CELL_COLUMNS
from gip_data.schema.columns import REPORT_COLUMNS, ReportRow
from gip_data.schema.facts import FACT_COLUMNS
from gip_data.schema.meta import ColumnSpec

SCHEMA_VERSION = 5

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

_SQL_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "text": sa.Text(),
    "integer": sa.Integer(),
    "bigint": sa.BigInteger(),
    "boolean": sa.Boolean(),
    "timestamp": sa.DateTime(timezone=True),
}


def server_default(spec: ColumnSpec) -> sa.TextClause | None:
    """The database default of a NOT NULL count or flag: its field's default (0, false).

    Rows written without the column (bulk synthetic rows, rows that predate it)
    then hold what the model would have given them.
    """
    field = ReportRow.model_fields.get(spec.name)
    if spec.nullable or field is None or spec.facts.sql not in ("integer", "boolean"):
        return None
    default = field.default
    if isinstance(default, bool):
        return sa.text("true" if default else "false")
    return sa.text(str(default)) if isinstance(default, int) else None


def sql_column(spec: ColumnSpec) -> sa.Column[Any]:
    """The ``report`` column of one catalogue column (type, nullability and default from its facts)."""
    kind = spec.facts.sql
    assert kind is not None, f"{spec.name} is not a column of its own"
    sql_type = sa.String(spec.facts.width) if kind == "string" else _SQL_TYPES[kind]
    return sa.Column(spec.name, sql_type, nullable=spec.nullable, server_default=server_default(spec))


_FACT_SQL_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "text": sa.Text(),
    "integer": sa.Integer(),
    "boolean": sa.Boolean(),
    "date": sa.Date(),
    "binary": sa.LargeBinary(),
}


def fact_columns() -> list[sa.Column[Any]]:
    """The ``report`` columns of the facts the 年报质量 checks read (:data:`gip_data.schema.facts.FACT_COLUMNS`)."""
    return [sa.Column(name, _FACT_SQL_TYPES[spec.kind]) for name, spec in FACT_COLUMNS.items()]


# The catalogue's columns stored in ``report`` (report_id is the primary key ``id``).
REPORT_SQL_COLUMNS: tuple[str, ...] = tuple(n for n, s in REPORT_COLUMNS.items() if s.facts.sql is not None)

_LIFECYCLE_COLUMNS: list[sa.Column[Any]] = [
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Identity of "one body's report for one year" (see storage.identity).
    sa.Column("identity_key", sa.String(400), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    # The data version of the row's last change: frames refresh from a snapshot plus this delta.
    sa.Column("row_version", sa.BigInteger, nullable=False, default=0),
    sa.Column("supersedes_id", sa.Integer, sa.ForeignKey("report.id"), nullable=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    # NULL for synthetic reports, which have no original file.
    sa.Column("file_sha256", sa.String(64), sa.ForeignKey("report_file.sha256"), nullable=True),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("parser_version", sa.String(32), nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
    sa.Column("deleted_by", sa.Text),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
]

report = sa.Table(
    "report",
    metadata,
    *_LIFECYCLE_COLUMNS,
    *[sql_column(REPORT_COLUMNS[name]) for name in REPORT_SQL_COLUMNS],
    *[sa.Column(name, sa.Integer) for name in CELL_COLUMNS + CASE_COLUMNS],
    # What the quality checks read of the text (NULL without facts); before the JSON, so a read of the
    # wide frame never walks through it (databases upgraded from schema 3 have them after it).
    *fact_columns(),
    # The whole AnnualReport as JSON, without its provenance (in cell_source); NULL for
    # synthetic reports (rebuilt from the cells).
    sa.Column("record_json", sa.Text),
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

# The provenance of one report version's cells: one row per version, the sources of all its
# cells encoded together (storage.provenance), so "the source of this cell" is one primary-key
# read and a million reports with ~180 sourced cells each stay a million rows.
cell_source = sa.Table(
    "cell_source",
    metadata,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("report.id"), primary_key=True),
    sa.Column("cells", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
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
