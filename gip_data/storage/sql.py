"""The :class:`~gip_data.storage.api.Store` over SQLAlchemy Core, for SQLite and PostgreSQL.

Every change (import, reparse, delete) is one transaction that first bumps the
data version. On PostgreSQL that row lock also serialises writers, so the
duplicate/version checks that follow see every earlier import; on SQLite
``BEGIN IMMEDIATE`` does the same. A partial unique index (one *current* row per
identity) backs this up, and a losing writer retries (engine.run_write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from gip_data.corrections import keep_corrections
from gip_data.errors import GipDataError, ReportNotFoundError
from gip_data.schema.meta import KEPT_ON_REPARSE
from gip_data.schema.record import PARSER_VERSION, AnnualReport
from gip_data.storage import schema
from gip_data.storage.api import ImportOutcome, ImportStatus, SharedView, StoredReport
from gip_data.storage.engine import run_write
from gip_data.storage.migrate import read_meta, write_meta
from gip_data.storage.provenance import write_sources
from gip_data.storage.reading import REVIEW_ACTION, SqlReader
from gip_data.storage.rows import record_to_row

R = schema.report
SAMPLE_UPLOADER = "示例数据"
CORRECTION_ACTIONS: tuple[str, ...] = ("correct", "correct-cells")
_FORMATS = {"txt", "html", "htm", "docx", "pdf"}


def _now() -> datetime:
    return datetime.now(UTC)


def bump_data_version(conn: Connection) -> int:
    """Increase the data version in the current transaction and return the new value."""
    value = sa.cast(sa.cast(schema.meta.c.value, sa.BigInteger) + 1, sa.String)
    conn.execute(schema.meta.update().where(schema.meta.c.key == "data_version").values(value=value))
    return int(read_meta(conn, "data_version") or 0)


def write_audit(
    conn: Connection, actor: str, action: str, report_id: int | None, file_name: str | None, detail: str = ""
) -> None:
    """Append one entry to the audit table (same transaction as the change)."""
    conn.execute(
        schema.audit.insert().values(
            at=_now(), actor=actor, action=action, report_id=report_id, file_name=file_name, detail=detail
        )
    )


def _apply_overrides(record: AnnualReport, overrides: dict[str, Any] | None) -> AnnualReport:
    if not overrides:
        return record
    return AnnualReport.model_validate({**record.model_dump(), **overrides})


def _parse(data: bytes, file_name: str) -> AnnualReport:
    # Imported here so storage stays importable while the parser is replaced or broken.
    from gip_data.parse import parse_bytes

    return parse_bytes(data, file_name)


def keep_metadata(parsed: AnnualReport, stored: AnnualReport) -> AnnualReport:
    """A fresh parse with the stored (staff-corrected) metadata put back."""
    return parsed.model_copy(update={name: getattr(stored, name) for name in KEPT_ON_REPARSE})


def _file_format(record: AnnualReport, file_name: str) -> str:
    if record.source is not None:
        return record.source.format
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return suffix if suffix in _FORMATS else "txt"


class SqlStore(SqlReader):
    """Reports in a SQL database: the reads of :class:`SqlReader` plus every change, one transaction each."""

    # -- importing ---------------------------------------------------------

    def import_bytes(
        self,
        data: bytes,
        file_name: str,
        *,
        uploaded_by: str,
        report: AnnualReport | None = None,
        overrides: dict[str, Any] | None = None,
        sample: bool = False,
        action: str = "import",
    ) -> ImportOutcome:
        """Parse (unless ``report`` is given) and store one file in one transaction.

        A byte-identical copy of a kept (current or superseded, not deleted)
        version is a duplicate (nothing written); another file for the same body and year becomes a new version
        that supersedes the current one. Parse failures become a ``failed``
        outcome with the error's code; nothing is written for them. ``action``
        names the change in the audit table when it is not a plain import
        (``manual-entry``: numbers staff typed from the file).
        """
        sha256 = hashlib.sha256(data).hexdigest()
        with self.engine.connect() as conn:
            existing = self._stored_with_sha(conn, sha256)
        if existing is not None:
            return ImportOutcome(
                source=file_name, status="duplicate", report_id=existing, message="重复文件 / duplicate file"
            )
        try:
            record = _apply_overrides(report if report is not None else _parse(data, file_name), overrides)
        except GipDataError as exc:
            return ImportOutcome(source=file_name, status="failed", error_code=exc.code, message=exc.message)
        except ValidationError as exc:
            return ImportOutcome(
                source=file_name,
                status="failed",
                error_code="invalid-record",
                message=str(exc.errors()[0]["msg"]),
            )
        return run_write(
            self.engine,
            lambda conn: self._store_version(
                conn, record, data, file_name, sha256, uploaded_by=uploaded_by, sample=sample, action=action
            ),
        )

    def _store_version(
        self,
        conn: Connection,
        record: AnnualReport,
        data: bytes,
        file_name: str,
        sha256: str,
        *,
        uploaded_by: str,
        sample: bool,
        action: str = "import",
        replaces: int | None = None,
        detail: str = "",
    ) -> ImportOutcome:
        version = bump_data_version(conn)
        if replaces is None and (existing := self._stored_with_sha(conn, sha256)) is not None:
            return ImportOutcome(
                source=file_name, status="duplicate", report_id=existing, message="重复文件 / duplicate file"
            )
        row = record_to_row(record, sha256)
        previous = conn.execute(
            sa.select(R.c.id).where(R.c.identity_key == row["identity_key"], R.c.status == "current")
        ).scalar_one_or_none()
        superseded = [i for i in {previous, replaces} if i is not None]
        if superseded:
            conn.execute(
                R.update()
                .where(R.c.id.in_(superseded), R.c.status == "current")
                .values(status="superseded", row_version=version)
            )
        self._ensure_file(conn, sha256, data)
        inserted = conn.execute(
            R.insert().values(
                **row,
                status="current",
                row_version=version,
                # The replaced version first: a correction may also supersede another body's row.
                supersedes_id=replaces if replaces is not None else previous,
                sample=sample,
                synthetic=False,
                file_name=file_name,
                sha256=sha256,
                file_sha256=sha256,
                format=_file_format(record, file_name),
                parser_version=PARSER_VERSION,
                uploaded_by=uploaded_by,
                uploaded_at=_now(),
            )
        ).inserted_primary_key
        assert inserted is not None, "a single-row INSERT has a primary key"
        new_id: int = inserted[0]
        write_sources(conn, new_id, record.provenance)
        replaced = ", ".join(f"#{i}" for i in sorted(superseded))
        status: ImportStatus = "new_version" if superseded else "imported"
        detail = "；".join(t for t in (detail, f"替代 / supersedes {replaced}" if replaced else "") if t)
        write_audit(conn, uploaded_by, action if action != "import" else status, new_id, file_name, detail)
        first = replaces if replaces is not None else previous
        return ImportOutcome(source=file_name, status=status, report_id=new_id, previous_id=first)

    def _ensure_file(self, conn: Connection, sha256: str, data: bytes) -> None:
        present = conn.execute(
            sa.select(schema.report_file.c.sha256).where(schema.report_file.c.sha256 == sha256)
        ).first()
        if present is None:
            conn.execute(schema.report_file.insert().values(sha256=sha256, size=len(data), data=data))

    def reparse(
        self, report_id: int, *, by: str, parse: Callable[[bytes, str], AnnualReport] | None = None
    ) -> ImportOutcome:
        """Parse a current report's original file again and store the result as a new version if it changed.

        ``parse`` replaces the in-process parser (the app passes its sandboxed one).
        When staff corrected this report's metadata earlier (any version of it),
        the correction is kept (:data:`~gip_data.schema.meta.KEPT_ON_REPARSE`):
        only the tables, checks and provenance come from the new parse.
        """
        stored, file_name, data = self._current_with_file(report_id)
        corrected = self.was_corrected(report_id)
        try:
            record = (parse or _parse)(data, file_name)
        except GipDataError as exc:
            return ImportOutcome(
                source=file_name,
                status="failed",
                report_id=report_id,
                error_code=exc.code,
                message=exc.message,
            )
        if corrected:
            record = keep_metadata(record, stored.record)
        record = keep_corrections(record, stored.record)  # staff numbers win over the parser too
        if record == stored.record and stored.parser_version == PARSER_VERSION:
            return ImportOutcome(
                source=file_name, status="duplicate", report_id=report_id, message="结果未变 / unchanged"
            )
        return self._replace_current(stored, record, data, file_name, by=by, action="reparse")

    def correct(
        self, report_id: int, record: AnnualReport, *, by: str, detail: str, action: str = "correct"
    ) -> ImportOutcome:
        """Store a staff-corrected record of a current report as its new version (same original file).

        ``detail`` says what changed (and why), for the audit table; ``action`` is
        ``correct`` for metadata and ``correct-cells`` for table cells (人工更正,
        listed in the record's ``corrections``). Unlike an import, the unchanged
        file is no duplicate here: the record is what is new. The version
        before, as parsed, stays in the report's history.
        """
        if action not in CORRECTION_ACTIONS:
            raise ValueError(f"not a correction: {action!r}")
        stored, file_name, data = self._current_with_file(report_id)
        return self._replace_current(stored, record, data, file_name, by=by, action=action, detail=detail)

    def mark_reviewed(self, report_id: int, *, by: str, note: str = "") -> None:
        """Record in the audit that a person checked this version of the report (复核); the data is unchanged."""

        def work(conn: Connection) -> None:
            row = conn.execute(sa.select(R.c.file_name).where(R.c.id == report_id)).one_or_none()
            if row is None:
                raise ReportNotFoundError(f"id={report_id}")
            write_audit(conn, by, REVIEW_ACTION, report_id, row.file_name, note)

        run_write(self.engine, work)

    def _current_with_file(self, report_id: int) -> tuple[StoredReport, str, bytes]:
        """A current report with its original file's name and bytes; an older or deleted version is refused."""
        stored = self.get_report(report_id)
        if stored.status != "current":
            raise ReportNotFoundError(f"id={report_id} 不是当前版本 / is not the current version")
        file_name, data = self.original_file(report_id)
        return stored, file_name, data

    def _replace_current(
        self, stored: StoredReport, record: AnnualReport, data: bytes, file_name: str, *, by: str, action: str,
        detail: str = "",
    ) -> ImportOutcome:
        """Store ``record`` as the new version of the current report ``stored`` (same original file)."""
        return run_write(
            self.engine,
            lambda conn: self._store_version(
                conn,
                record,
                data,
                file_name,
                stored.sha256,
                uploaded_by=by,
                sample=stored.sample,
                action=action,
                replaces=stored.id,
                detail=detail,
            ),
        )

    # -- deleting ----------------------------------------------------------

    def delete(self, report_id: int, *, by: str) -> None:
        """Soft-delete one report (kept, marked deleted with who and when)."""

        def work(conn: Connection) -> None:
            row = conn.execute(sa.select(R.c.status, R.c.file_name).where(R.c.id == report_id)).one_or_none()
            if row is None:
                raise ReportNotFoundError(f"id={report_id}")
            if row.status == "deleted":
                return
            version = bump_data_version(conn)
            conn.execute(
                R.update()
                .where(R.c.id == report_id)
                .values(status="deleted", deleted_by=by, deleted_at=_now(), row_version=version)
            )
            write_audit(conn, by, "delete", report_id, row.file_name, f"原状态 / was {row.status}")

        run_write(self.engine, work)

    def delete_where(self, condition: sa.ColumnElement[bool], *, by: str, action: str) -> int:
        """Soft-delete every not-yet-deleted report matching ``condition``; returns how many."""

        def work(conn: Connection) -> int:
            version = bump_data_version(conn)
            changed = conn.execute(
                R.update()
                .where(condition, R.c.status != "deleted")
                .values(status="deleted", deleted_by=by, deleted_at=_now(), row_version=version)
            ).rowcount
            write_audit(conn, by, action, None, None, f"{changed} reports")
            return int(changed)

        return run_write(self.engine, work)

    def delete_sample(self, *, by: str) -> int:
        """Soft-delete the bundled sample reports (示例)."""
        return self.delete_where(R.c.sample.is_(True), by=by, action="delete-sample")

    def purge_synthetic(self, *, by: str) -> int:
        """Remove synthetic reports for good (they are demo data without files or history)."""

        def work(conn: Connection) -> int:
            version = bump_data_version(conn)
            # Rows vanish, so no delta can describe this change: frame snapshots older than it are void.
            write_meta(conn, "rebuild_version", str(version))
            ids = sa.select(R.c.id).where(R.c.synthetic.is_(True)).scalar_subquery()
            conn.execute(
                schema.audit.update().where(schema.audit.c.report_id.in_(ids)).values(report_id=None)
            )
            conn.execute(schema.cell_source.delete().where(schema.cell_source.c.report_id.in_(ids)))
            removed = conn.execute(R.delete().where(R.c.synthetic.is_(True))).rowcount
            write_audit(conn, by, "purge-synthetic", None, None, f"{removed} reports")
            return int(removed)

        return run_write(self.engine, work)

    # -- shared views and sample data -------------------------------------

    def save_shared_view(self, page: str, query: str, *, created_by: str = "") -> SharedView:
        """Store a view for a short link; the same page and query (in any order) give the same id."""
        canonical = urlencode(sorted(parse_qsl(query.lstrip("?"), keep_blank_values=True)))
        view_id = hashlib.sha256(f"{page}?{canonical}".encode()).hexdigest()[:12]
        view = SharedView(
            id=view_id,
            page=page,
            query=canonical,
            data_version=self.data_version(),
            created_at=_now(),
            created_by=created_by,
        )

        def work(conn: Connection) -> SharedView:
            if (
                conn.execute(
                    sa.select(schema.shared_view.c.id).where(schema.shared_view.c.id == view_id)
                ).first()
                is None
            ):
                conn.execute(schema.shared_view.insert().values(**view.model_dump()))
            return view

        run_write(self.engine, work)
        return self.load_shared_view(view_id) or view

    def import_sample(self) -> list[ImportOutcome]:
        """Import the bundled sample reports (marked 示例); duplicates are no-ops."""
        from gip_data.readers.registry import supported_suffixes

        folder = resources.files("gip_data") / "sample"
        suffixes = tuple(supported_suffixes())
        outcomes = []
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.lower().endswith(suffixes):
                outcomes.append(
                    self.import_bytes(
                        entry.read_bytes(), entry.name, uploaded_by=SAMPLE_UPLOADER, sample=True
                    )
                )
        return outcomes

    def ensure_sample(self) -> int:
        """Fill an empty database with the bundled sample reports once; return how many were added."""
        with self.engine.connect() as conn:
            done = read_meta(conn, "sample_offered")
            empty = conn.execute(sa.select(R.c.id).limit(1)).first() is None
        if done or not empty:
            return 0
        added = sum(o.status == "imported" for o in self.import_sample())
        if not added:
            return 0  # e.g. the parser failed: offer the samples again next start

        def mark(conn: Connection) -> None:
            if read_meta(conn, "sample_offered") is None:
                conn.execute(schema.meta.insert().values(key="sample_offered", value=_now().isoformat()))

        run_write(self.engine, mark)
        return added
