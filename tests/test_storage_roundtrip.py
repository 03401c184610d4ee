"""Property: any valid record → store → load gives it back equal, as a record and as frame cells."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings

from gip_data.schema.record import AnnualReport
from gip_data.storage import load_frames
from gip_data.storage.rows import cell_values
from gip_data.storage.sql import SqlStore
from tests import dbs
from tests.strategies import annual_reports

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend

_serial = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=annual_reports())
def test_any_valid_record_round_trips(store: SqlStore, record: AnnualReport) -> None:
    # A serial number in the bytes makes every example its own file.
    data = f"{next(_serial)}:{record.model_dump_json()}".encode()
    outcome = store.import_bytes(data, "r.txt", uploaded_by="prop", report=record)
    assert outcome.status in ("imported", "new_version")
    assert store.get_report(outcome.report_id).record == record
    wide = load_frames(store).wide
    row = wide.filter(wide["report_id"] == outcome.report_id).row(0, named=True)
    for column, value in cell_values(record).items():
        assert row[column] == value, column
    assert (row["agency"], row["year"], row["template"]) == (record.agency, record.year, str(record.template))
    assert row["consistent"] == record.consistent
