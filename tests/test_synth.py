"""Synthetic reports: every hard rule holds, realistic structure, marked synthetic, deterministic."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_LEAVES,
    OUTCOMES,
    case_column,
    cell_column,
)
from gip_data.storage import load_frames
from gip_data.storage.bulk import insert_report_rows
from gip_data.storage.sql import SqlStore
from gip_data.synth import SYNTHETIC_MARK, synth_chunks

YEARS = list(range(2019, 2026))


def rule_violations(wide: pl.DataFrame) -> dict[str, int]:
    """How many rows break each hard rule of FORMATS.md (blank cells count as 0, like unused rows)."""
    c = lambda row, col: pl.col(cell_column(row, col)).fill_null(0)  # noqa: E731
    broken: dict[str, pl.Expr] = {}
    for col in APPLICANT_COLUMNS:
        broken[f"balance/{col}"] = c("new_received", col) + c("carried_over", col) != c("total", col) + c(
            "carried_forward", col
        )
        broken[f"dispositions/{col}"] = pl.sum_horizontal(c(k, col) for k in DISPOSITION_LEAVES) != c(
            "total", col
        )
    for row in ("new_received", "carried_over", "total", "carried_forward", *DISPOSITION_LEAVES):
        broken[f"row/{row}"] = pl.sum_horizontal(c(row, col) for col in APPLICANT_COLUMNS[:-1]) != c(
            row, "total"
        )
    for block in CASE_BLOCKS:
        parts = pl.sum_horizontal(pl.col(case_column(block, o)) for o in OUTCOMES[:-1])
        broken[f"case/{block}"] = parts != pl.col(case_column(block, "total"))
    counts = wide.select(**{name: expr.sum() for name, expr in broken.items()}).row(0, named=True)
    return {name: n for name, n in counts.items() if n}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[SqlStore, pl.DataFrame]:
    folder: Path = tmp_path_factory.mktemp("synth")
    store = SqlStore(f"sqlite:///{folder / 'gip.db'}")
    assert insert_report_rows(store, synth_chunks(6000, YEARS, seed=7, chunk_size=2500), by="test") == 6000
    return store, load_frames(store).wide


def test_every_hard_rule_holds(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    _, wide = synthetic
    assert wide.height == 6000
    assert rule_violations(wide) == {}
    assert wide.select(pl.col(pl.Int32).min()).min_horizontal().item() >= 0


def test_checker_catches_a_broken_cell(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    _, wide = synthetic
    broken = wide.with_columns(pl.col("granted__natural_person") + 1)
    assert set(rule_violations(broken)) == {"dispositions/natural_person", "row/granted"}


def test_structure_levels_editions_and_marks(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    _, wide = synthetic
    levels = wide["level"].value_counts().sort("count", descending=True)["level"].to_list()
    assert levels[:2] == ["县级", "乡镇街道"] and "市级" in levels and "省级" in levels
    assert wide.filter(pl.col("year") <= 2020)["template"].unique().to_list() == ["2019"]
    assert (
        wide.filter(pl.col("year") >= 2021)["template"].value_counts().sort("count")["template"].to_list()[-1]
        == "2021"
    )
    assert wide["synthetic"].all() and not wide["sample"].any()
    assert wide["agency"].str.ends_with(SYNTHETIC_MARK).all()
    assert wide["agency_key"].n_unique() * len(YEARS) >= wide.height
    # Heavy tail: the busiest 1 % of reports carry a large share of all requests.
    volumes = wide["new_received__total"].sort(descending=True)
    assert volumes.head(60).sum() > 0.15 * volumes.sum()


def test_synthetic_report_reads_back_as_a_record(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    store, wide = synthetic
    row = wide.row(0, named=True)
    stored = store.get_report(row["report_id"])
    assert stored.synthetic and stored.record.agency == row["agency"]
    assert stored.record.applications["total"][6] == row["total__total"]
    split = "other" not in stored.record.applications
    assert split == (row["other__total"] is None)


def test_same_seed_same_reports() -> None:
    first = pl.concat(synth_chunks(300, YEARS, seed=3, chunk_size=100)).drop("uploaded_at")
    again = pl.concat(synth_chunks(300, YEARS, seed=3, chunk_size=100)).drop("uploaded_at")
    other = pl.concat(synth_chunks(300, YEARS, seed=4, chunk_size=100)).drop("uploaded_at")
    assert_frame_equal(first, again)
    assert not first.equals(other)
    assert first["identity_key"].n_unique() == 300


def test_every_report_has_table_2_of_its_edition(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    from gip_data.metrics import quality_overview
    from gip_data.storage.rows import proactive_layout
    from gip_data.validate.rules import soft_checks

    store, wide = synthetic
    assert wide["missing_tables"].max() == 0 and quality_overview(wide.lazy())["missing"].item() == 0
    sample = wide.sample(200, seed=1)
    for row in sample.iter_rows(named=True):
        record = store.get_report(row["report_id"]).record
        layout = [(p.item, p.label, tuple(p.columns)) for p in record.proactive]
        assert layout == proactive_layout(record.template), row["report_id"]
        assert all(c.holds for c in soft_checks(record)), [
            c.message for c in soft_checks(record) if not c.holds
        ]
        values = {p.label: p.values for p in record.proactive}
        assert all(v is not None for p in record.proactive for v in p.values)
        if row["level"] in ("县级", "乡镇街道") or row["body"] == "部门" and row["level"] != "中央":
            assert values["规章"] == [0, 0, 0]  # only ministries and provincial/city governments make 规章
        for p in record.proactive:
            if "本年增/减" in p.columns:
                before, change = p.values[0], p.values[1]
                assert before + change >= 0  # a list never shrinks below nothing
            else:
                assert min(p.values) >= 0
    assert set(sample["template"].unique().to_list()) == {"2019", "2021"}


def test_table_2_grows_with_the_level(synthetic: tuple[SqlStore, pl.DataFrame]) -> None:
    store, wide = synthetic
    licences: dict[str, list[float]] = {}
    for level in ("市级", "乡镇街道"):
        ids = wide.filter(pl.col("level") == level)["report_id"].head(60).to_list()
        for report_id in ids:
            record = store.get_report(report_id).record
            licences.setdefault(level, []).append(
                next(p.values[-1] for p in record.proactive if p.label == "行政许可")
            )
    assert sorted(licences["市级"])[30] > 5 * sorted(licences["乡镇街道"])[30]  # medians far apart
