"""One metadata model: every list of metadata fields is derived from ``ReportMeta`` / ``ReportRow`` and they agree."""

from __future__ import annotations

import json
from typing import Any, get_args

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from gip_data.export import export_frame, zh_headers
from gip_data.extract.metadata import Metadata
from gip_data.filters import BODY_BY_CODE, LEVEL_BY_CODE
from gip_data.frames import BODY_DTYPE, LEVEL_DTYPE, META_SCHEMA, TEMPLATE_DTYPE, WIDE_SCHEMA, records_to_wide
from gip_data.schema.columns import REPORT_COLUMNS, STORE_FIELDS, ReportRow
from gip_data.schema.meta import (
    BODY_CODES,
    BODY_TYPES,
    EDITABLE_FIELDS,
    KEPT_ON_REPARSE,
    LEVEL_CODES,
    LEVELS,
    META_COLUMNS,
    BodyType,
    Level,
    ReportMeta,
    region_of,
)
from gip_data.schema.record import AnnualReport
from gip_data.schema.template import EDITIONS, Edition
from gip_data.storage import load_frames
from gip_data.storage import schema as storage_schema
from gip_data.storage.sql import SqlStore, keep_metadata
from gip_data.ui.report_actions import describe_changes
from gip_data.ui.upload import correct_metadata
from tests import dbs
from tests.strategies import make_report, report_bytes

db_url, store = dbs.db_url, dbs.store  # the fixtures, once per backend


def test_storage_columns_frame_columns_and_export_headers_are_one_list() -> None:
    stored = [c.name for c in storage_schema.report.columns if c.name in REPORT_COLUMNS]
    assert ["report_id", *stored] == list(META_SCHEMA) == list(REPORT_COLUMNS)
    assert list(zh_headers())[: len(META_SCHEMA)] == list(META_SCHEMA)
    assert list(zh_headers()) == list(WIDE_SCHEMA)  # every exported column has a Chinese header
    assert len(set(zh_headers().values())) == len(WIDE_SCHEMA)  # and no two share one
    wide = records_to_wide([make_report()])
    assert export_frame(wide, "en").columns == list(WIDE_SCHEMA)
    assert export_frame(wide, "zh").columns == [zh_headers()[name] for name in WIDE_SCHEMA]


def test_storage_types_follow_the_fields() -> None:
    columns = storage_schema.report.columns
    for name in storage_schema.REPORT_SQL_COLUMNS:
        spec = REPORT_COLUMNS[name]
        assert columns[name].nullable == spec.nullable, name
    assert not columns["template"].nullable and columns["year"].nullable and columns["agency"].nullable
    assert not columns["file_name"].nullable and not columns["uploaded_at"].nullable
    assert str(columns["level"].type) == "VARCHAR(8)" and str(columns["body"].type) == "VARCHAR(4)"


def test_report_meta_is_inside_the_record_and_its_json_stays_flat() -> None:
    assert issubclass(AnnualReport, ReportMeta) and issubclass(Metadata, ReportMeta)
    record = make_report()
    dumped = json.loads(record.model_dump_json())
    for name in ReportMeta.model_fields:
        assert dumped[name] == getattr(record, name)  # top level, as golden files and the scorer read it
    assert dumped["template"] == 2021 and "meta" not in dumped
    assert record.meta == ReportMeta(**{name: dumped[name] for name in ReportMeta.model_fields})
    assert "template" not in ReportMeta.model_fields  # the edition is the tables' (read from their labels)


def test_one_level_one_body_type_one_edition() -> None:
    assert get_args(Level) == LEVELS and get_args(BodyType) == BODY_TYPES and get_args(Edition) == EDITIONS
    assert list(LEVEL_DTYPE.categories) == list(LEVELS)
    assert list(BODY_DTYPE.categories) == list(BODY_TYPES)
    assert list(TEMPLATE_DTYPE.categories) == [str(e) for e in EDITIONS]
    assert list(LEVEL_CODES) == list(LEVELS) and set(LEVEL_BY_CODE.values()) == set(LEVELS)
    assert list(BODY_CODES) == list(BODY_TYPES) and set(BODY_BY_CODE.values()) == set(BODY_TYPES)
    for model in (AnnualReport, Metadata, ReportRow):
        assert model.model_fields["level"].annotation == Level | None
    assert AnnualReport.model_fields["template"].annotation == Edition


def test_editable_and_kept_fields() -> None:
    # Staff correct what inference gets wrong; region follows province and city.
    assert EDITABLE_FIELDS == ("agency", "year", "level", "body", "province", "city", "aggregate")
    assert tuple(ReportMeta.model_fields) == KEPT_ON_REPARSE
    assert set(EDITABLE_FIELDS) <= set(KEPT_ON_REPARSE)
    assert not set(STORE_FIELDS) & set(ReportMeta.model_fields)


def test_a_correction_changes_only_editable_fields_and_derives_the_region() -> None:
    record = make_report()  # 河南省郑州市
    fixed = correct_metadata(
        record,
        {"city": "洛阳市", "aggregate": True, "body": "部门", "region": "乱写", "template": 2019, "applications": {}},
    )
    assert (fixed.city, fixed.aggregate, fixed.body, fixed.region) == ("洛阳市", True, "部门", "河南省洛阳市")
    assert fixed.template == record.template and fixed.applications == record.applications
    assert region_of("北京市", "北京市") == "北京市" and region_of(None, "郑州市") is None
    detail = describe_changes(record, fixed)
    for label in ("城市", "地区", "汇总报告", "机关类型"):
        assert f"{label}：" in detail
    assert "机关名称" not in detail


def test_keep_metadata_restores_every_kept_field() -> None:
    stored = make_report(agency="更正后的机关").model_copy(update={"aggregate": True, "region": "某地"})
    parsed = make_report(agency="解析出的机关", seed=2)
    kept = keep_metadata(parsed, stored)
    assert kept.meta == stored.meta and kept.applications == parsed.applications


def test_in_memory_rows_equal_stored_rows(store: SqlStore) -> None:
    """ReportRow.of computes the same columns for frames built from records and for the store."""
    record = make_report(agency=" 某 市人民政府 ").model_copy(update={"proactive": []})
    outcome = store.import_bytes(report_bytes(record), "r.txt", uploaded_by="u", report=record)
    loaded = load_frames(store).wide.drop(*STORE_FIELDS)
    in_memory = records_to_wide([record]).drop(*STORE_FIELDS)
    assert loaded.to_dicts() == in_memory.to_dicts()
    assert loaded["agency_key"][0] == "某市人民政府" and loaded["missing_tables"][0] == 1
    assert outcome.report_id is not None


# Guarded: the sandbox's forkserver imports the host's main script, which after a test run is this one.
_FORM_APP = """
if __name__ == "__main__":
    import streamlit as st

    from gip_data.schema.record import AnnualReport
    from gip_data.ui import widgets

    with st.form("meta"):
        values = widgets.metadata_fields(AnnualReport.model_validate_json({record!r}))
        st.form_submit_button("保存")
    st.session_state["values"] = values
"""


def _labels(at: AppTest) -> list[str]:
    kinds: list[Any] = [at.text_input, at.number_input, at.selectbox, at.checkbox]
    return [widget.label for kind in kinds for widget in kind]


@pytest.mark.xdist_group("apptest")
def test_the_form_shows_exactly_the_editable_fields() -> None:
    record = make_report().model_copy(update={"year": None, "body": None})
    at = AppTest.from_string(_FORM_APP.format(record=record.model_dump_json()), default_timeout=60).run()
    assert not at.exception
    assert sorted(_labels(at)) == sorted(META_COLUMNS[name].facts.zh for name in EDITABLE_FIELDS)
    values = at.session_state["values"]
    assert list(values) == list(EDITABLE_FIELDS)
    assert {name: values[name] for name in EDITABLE_FIELDS} == {name: getattr(record, name) for name in EDITABLE_FIELDS}
    year = at.number_input[0]
    assert (year.min, year.max, year.value) == (1990, 2100, None)  # bounds from the field; unknown stays unknown
    next(s for s in at.selectbox if s.label == "机关类型").set_value("部门")
    next(t for t in at.text_input if t.label == "城市").input("  洛阳市 ")
    at.checkbox[0].check()
    at.button[0].click().run()
    values = at.session_state["values"]
    assert (values["body"], values["city"], values["aggregate"]) == ("部门", "洛阳市", True)


def test_wide_frames_of_records_follow_the_schema() -> None:
    wide = records_to_wide([make_report(), make_report(agency=None, year=None, seed=2)])
    assert dict(wide.schema) == WIDE_SCHEMA
    assert wide["template"].to_list() == ["2021", "2021"] and wide["agency_key"].to_list() == ["某市人民政府", None]
    assert wide.select(pl.col("report_id")).to_series().to_list() == [1, 2]
