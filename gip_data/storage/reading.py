"""The read side of the store: one report with its provenance, its versions, listings, the audit log.

:class:`SqlReader` opens (and migrates) the database and answers every
question without writing; :class:`~gip_data.storage.sql.SqlStore` adds the
writes (imports, corrections, re-parses, deletes) on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gip_data.errors import ReportNotFoundError
from gip_data.schema.record import CellSource, SourceSpan
from gip_data.storage import schema
from gip_data.storage.api import AuditEntry, ReportSummary, SharedView, StoredReport
from gip_data.storage.engine import create_engine_for
from gip_data.storage.migrate import ensure_schema, read_meta
from gip_data.storage.provenance import decode_source, read_encoded, read_sources
from gip_data.storage.rows import as_utc, row_to_record

R = schema.report
REVIEW_ACTION = "review"  # the audit action of "a person checked this version" (复核)


class SqlReader:
    """Reading reports from a SQL database (SQLite file by default, PostgreSQL for several replicas)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine_for(url)
        ensure_schema(self.engine)

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()

    def data_version(self) -> int:
        """A number that changes on every import, edit or delete."""
        with self.engine.connect() as conn:
            return int(read_meta(conn, "data_version") or 0)

    def instance_id(self) -> str:
        """A random id fixed when the database was created (keys frame snapshots)."""
        with self.engine.connect() as conn:
            return read_meta(conn, "instance_id") or "unknown"

    def _stored(self, row: Any, provenance: list[CellSource] | None = None) -> StoredReport:
        return StoredReport(
            id=row.id,
            record=row_to_record(row, provenance),
            status=row.status,
            file_name=row.file_name,
            sha256=row.sha256,
            format=row.format,
            parser_version=row.parser_version,
            uploaded_by=row.uploaded_by,
            uploaded_at=as_utc(row.uploaded_at),
            sample=bool(row.sample),
            synthetic=bool(row.synthetic),
            deleted_by=row.deleted_by,
            deleted_at=as_utc(row.deleted_at),
        )

    def get_report(self, report_id: int) -> StoredReport:
        """One stored report with its cells' provenance, whatever its status; ReportNotFoundError if unknown."""
        _require_storable_id(report_id)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(R).where(R.c.id == report_id)).one_or_none()
            sources = read_sources(conn, [report_id]) if row is not None else {}
        if row is None:
            raise ReportNotFoundError(f"id={report_id}")
        return self._stored(row, sources.get(report_id))

    def cell_sources(self, report_id: int) -> list[CellSource]:
        """The provenance of every cell of one stored report version ([] when none was recorded).

        ReportNotFoundError when there is no such report.
        """
        _require_storable_id(report_id)
        with self.engine.connect() as conn:
            sources = read_sources(conn, [report_id]).get(report_id)
            if sources is None:
                self._require(conn, report_id)
        return sources or []

    def cell_source(self, report_id: int, table: int, row: str, column: str) -> SourceSpan | None:
        """Where one cell of a stored report came from (table 3 or 4, row and column keys), or None.

        One primary-key read; only this cell's span is decoded. ReportNotFoundError when there is no such report.
        """
        _require_storable_id(report_id)
        with self.engine.connect() as conn:
            data = read_encoded(conn, report_id)
            if data is None:
                self._require(conn, report_id)
                return None
        return decode_source(data, table, row, column)

    def _require(self, conn: Connection, report_id: int) -> None:
        if conn.execute(sa.select(R.c.id).where(R.c.id == report_id)).first() is None:
            raise ReportNotFoundError(f"id={report_id}")

    def report_versions(self, report_id: int) -> list[StoredReport]:
        """Every version of the same body and year, newest first.

        Versions linked by ``supersedes_id`` count too: a metadata correction
        that changed the agency or year starts a new identity, and its history
        must still show the version it replaced.
        """
        _require_storable_id(report_id)
        with self.engine.connect() as conn:
            ids = self._lineage_ids(conn, report_id)
            rows = conn.execute(sa.select(R).where(R.c.id.in_(ids)).order_by(R.c.id.desc())).all()
            sources = read_sources(conn, ids)
        if not rows:
            raise ReportNotFoundError(f"id={report_id}")
        return [self._stored(row, sources.get(row.id)) for row in rows]

    def _lineage_ids(self, conn: Connection, report_id: int) -> set[int]:
        """Ids sharing an identity with, or linked by supersedes_id to, ``report_id`` (transitively)."""
        found: set[int] = set()
        frontier = {report_id}
        while frontier:
            keys = sa.select(R.c.identity_key).where(R.c.id.in_(frontier))
            links = sa.select(R.c.supersedes_id).where(R.c.id.in_(frontier))
            query = sa.select(R.c.id).where(
                sa.or_(
                    R.c.id.in_(frontier),
                    R.c.identity_key.in_(keys),
                    R.c.id.in_(links),
                    R.c.supersedes_id.in_(frontier),
                )
            )
            reached = set(conn.execute(query).scalars())
            found |= frontier & reached
            frontier = reached - found
        return found

    def original_file(self, report_id: int) -> tuple[str, bytes]:
        """The uploaded file's name and bytes."""
        query = (
            sa.select(R.c.file_name, schema.report_file.c.data)
            .select_from(R.join(schema.report_file, R.c.file_sha256 == schema.report_file.c.sha256))
            .where(R.c.id == report_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise ReportNotFoundError(f"id={report_id}（无原始文件 / no original file）")
        return row.file_name, bytes(row.data)

    def list_reports(
        self, *, include_inactive: bool = False, limit: int | None = None
    ) -> list[ReportSummary]:
        """Stored reports, newest first (only current ones unless ``include_inactive``)."""
        columns = [R.c[name] for name in ReportSummary.model_fields]
        query = sa.select(*columns).order_by(R.c.id.desc()).limit(limit)
        if not include_inactive:
            query = query.where(R.c.status == "current")
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            ReportSummary.model_validate({**row._mapping, "uploaded_at": as_utc(row.uploaded_at)})
            for row in rows
        ]

    def count_reports(self, *, status: str = "current", synthetic: bool | None = None) -> int:
        """How many reports have ``status`` (optionally only synthetic or only real ones)."""
        query = sa.select(sa.func.count()).select_from(R).where(R.c.status == status)
        if synthetic is not None:
            query = query.where(R.c.synthetic == synthetic)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def audit_log(self, report_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """Recent changes, for one report or all, newest first."""
        query = sa.select(schema.audit).order_by(schema.audit.c.id.desc()).limit(limit)
        if report_id is not None:
            query = query.where(schema.audit.c.report_id == report_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [AuditEntry.model_validate({**row._mapping, "at": as_utc(row.at)}) for row in rows]

    def find_by_sha(self, sha256: str) -> int | None:
        """The id of a kept (current or superseded) report stored from the file with this sha256."""
        with self.engine.connect() as conn:
            return self._stored_with_sha(conn, sha256)

    def _stored_with_sha(self, conn: Connection, sha256: str) -> int | None:
        # Newest first, so the current version wins over superseded ones of the same file.
        query = (
            sa.select(R.c.id)
            .where(R.c.sha256 == sha256, R.c.status != "deleted")
            .order_by(R.c.id.desc())
            .limit(1)
        )
        return conn.execute(query).scalar_one_or_none()

    def was_corrected(self, report_id: int) -> bool:
        """Whether staff corrected the metadata of this report or of an earlier version of it."""
        with self.engine.connect() as conn:
            ids = self._lineage_ids(conn, report_id)
            query = sa.select(schema.audit.c.id).where(
                schema.audit.c.report_id.in_(ids), schema.audit.c.action == "correct"
            )
            return conn.execute(query.limit(1)).first() is not None

    def reviewed_ids(self, report_ids: Iterable[int] | None = None) -> set[int]:
        """The report versions a person marked as reviewed (of ``report_ids``, or all)."""
        query = sa.select(schema.audit.c.report_id).where(schema.audit.c.action == REVIEW_ACTION).distinct()
        if report_ids is not None:
            ids = list(report_ids)
            if not ids:
                return set()
            query = query.where(schema.audit.c.report_id.in_(ids))
        with self.engine.connect() as conn:
            return {i for i in conn.execute(query).scalars() if i is not None}

    def load_shared_view(self, view_id: str) -> SharedView | None:
        """The stored view, or None when the id is unknown."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(schema.shared_view).where(schema.shared_view.c.id == view_id)
            ).one_or_none()
        if row is None:
            return None
        return SharedView.model_validate({**row._mapping, "created_at": as_utc(row.created_at)})


MAX_ID = 2**63 - 1  # no stored id is larger; a larger one cannot even be sent to SQLite (OverflowError)


def _require_storable_id(report_id: int) -> None:
    """ReportNotFoundError for an id no database could hold: it must not even be sent to the driver."""
    if not 0 < report_id <= MAX_ID:
        raise ReportNotFoundError(f"id={report_id}")
