"""The storage interface the CLI and the app program against.

One implementation (``gip_data.storage.sql``) serves SQLite and PostgreSQL. The
types here are the boundary: pages and commands see these, never SQL rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from gip_data.schema.record import AnnualReport, CellSource, SourceSpan

ImportStatus = Literal["imported", "new_version", "duplicate", "failed"]
ReportStatus = Literal["current", "superseded", "deleted"]


class ImportOutcome(BaseModel):
    """What happened to one file handed to the store."""

    model_config = ConfigDict(frozen=True)

    source: str
    status: ImportStatus
    report_id: int | None = None
    previous_id: int | None = None
    error_code: str | None = None
    message: str = ""


class StoredReport(BaseModel):
    """A stored report: the record (with its cells' provenance), where the file came from, its lifecycle."""

    id: int
    record: AnnualReport
    status: ReportStatus
    file_name: str
    sha256: str
    format: str
    parser_version: str
    uploaded_by: str
    uploaded_at: datetime
    sample: bool = False
    synthetic: bool = False
    deleted_by: str | None = None
    deleted_at: datetime | None = None


class AuditEntry(BaseModel):
    """One change to the data: who, when, what, from which file."""

    id: int
    at: datetime
    actor: str
    action: str
    report_id: int | None
    file_name: str | None
    detail: str = ""


class SharedView(BaseModel):
    """A dashboard view stored for a short link ``/s/<id>``."""

    id: str
    page: str
    query: str
    data_version: int
    created_at: datetime
    created_by: str = ""


class Store(Protocol):
    """Operations on the report database."""

    url: str

    def data_version(self) -> int:
        """A number that changes on every import, edit or delete."""
        ...

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
        """Parse (unless ``report`` is given) and store one file in one transaction (``action`` for the audit)."""
        ...

    def get_report(self, report_id: int) -> StoredReport:
        """One stored report, whatever its status; ReportNotFoundError if unknown."""
        ...

    def report_versions(self, report_id: int) -> list[StoredReport]:
        """Every version of the same body and year, newest first."""
        ...

    def cell_sources(self, report_id: int) -> list[CellSource]:
        """Where every cell of one stored report version came from ([] when none was recorded)."""
        ...

    def cell_source(self, report_id: int, table: int, row: str, column: str) -> SourceSpan | None:
        """Where one cell of one stored report version came from, or None."""
        ...

    def original_file(self, report_id: int) -> tuple[str, bytes]:
        """The uploaded file's name and bytes."""
        ...

    def delete(self, report_id: int, *, by: str) -> None:
        """Soft-delete one report (kept, marked deleted with who and when)."""
        ...

    def audit_log(self, report_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """Recent changes, for one report or all."""
        ...

    def save_shared_view(self, page: str, query: str, *, created_by: str = "") -> SharedView:
        """Store a view for a short link; the same view gives the same id."""
        ...

    def load_shared_view(self, view_id: str) -> SharedView | None:
        """The stored view, or None when the id is unknown."""
        ...

    def ensure_sample(self) -> int:
        """Fill an empty database with the bundled sample reports; return how many were added."""
        ...


class ReportSummary(BaseModel):
    """One line of a report listing (``gip list``, tables of reports): no cells, no record."""

    id: int
    agency: str | None
    year: int | None
    level: str | None
    template: int
    status: ReportStatus
    consistent: bool
    sample: bool
    synthetic: bool
    file_name: str
    uploaded_by: str
    uploaded_at: datetime
