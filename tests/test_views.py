"""Every declared view equals its definition computed from the raw reports.

For each view in the registry, each example of its arguments and each filter
state (years, levels, regions, body type, edition, aggregate on/off, name
search), the view as the app computes it — from the prepared cube for additive
views, through an index for the others — must equal the view's own function run
on the raw filtered reports, on the seed frame and on synthetic reports
(gip_data.synth) made irregular. A view declared additive that is not fails.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from gip_data.filters import FilterState
from gip_data.prepared import Prepared, prepare
from gip_data.views import REGISTRY, Source, ViewSchemaError, ViewSpec
from tests.frames_support import irregular_synthetic, reference_rows, states_for

# One worker runs the whole file (./dev test distributes by group): the last test reads what the others compared.
pytestmark = pytest.mark.xdist_group("views")

CHECKED: Counter[str] = Counter()  # views compared on a non-empty result


def check_view(spec: ViewSpec[Any], data: Prepared, wide: pl.DataFrame, state: FilterState) -> None:
    """The view through ``data`` equals its definition on ``wide``, for every example of its arguments."""
    for example in spec.examples:
        args = example(data, state) if callable(example) else example
        data.memo.clear()  # a search's cube holds only what this view asks for, not what others asked before
        got = spec.compute(data, state, *args)
        expected = spec.reference(reference_rows(wide, spec.state(state)), *args)
        assert_frame_equal(got, expected, check_exact=False)
        CHECKED[spec.name] += bool(expected.height)


@pytest.fixture(scope="module")
def synthetic(seeds_wide: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([seeds_wide, irregular_synthetic(3000, [2020, 2021, 2022, 2023], seed=3)])


@pytest.fixture(scope="module")
def frames(seeds_wide: pl.DataFrame, synthetic: pl.DataFrame) -> dict[str, tuple[pl.DataFrame, Prepared]]:
    empty = seeds_wide.head(0)
    return {"seeds": (seeds_wide, prepare(seeds_wide)), "synthetic": (synthetic, prepare(synthetic)),
            "empty": (empty, prepare(empty))}


@pytest.mark.parametrize("frame", ["seeds", "synthetic", "empty"])
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_view_equals_its_definition_on_the_raw_reports(
    frames: dict[str, tuple[pl.DataFrame, Prepared]], frame: str, name: str
) -> None:
    wide, data = frames[frame]
    for state in states_for(wide):
        check_view(REGISTRY[name], data, wide, state)


def test_every_view_was_compared_on_reports() -> None:
    # Runs after the parametrized comparisons (file order): none of them may have compared only empty results.
    missing = [name for name in REGISTRY if CHECKED[name] == 0]
    assert not missing, f"views never compared on a non-empty result: {missing}"


def _median_of_new(lf: pl.LazyFrame) -> pl.DataFrame:
    """Median of new applications per report (not additive: a median of sums is not the median)."""
    return lf.select(pl.col("new_received__total").median().cast(pl.Float64).alias("median")).collect()


def _rows_counted(lf: pl.LazyFrame) -> pl.DataFrame:
    """Rows counted as reports (not additive: a cube row holds many reports)."""
    return lf.select(pl.len().cast(pl.Int64).alias("reports")).collect()


def _distinct_bodies(lf: pl.LazyFrame) -> pl.DataFrame:
    """Distinct bodies (not additive: the cube has no body)."""
    return lf.select(pl.col("agency_key").n_unique().cast(pl.Int64).alias("bodies")).collect()


@pytest.mark.parametrize(
    ("fn", "columns"),
    [(_median_of_new, {"median": pl.Float64()}), (_rows_counted, {"reports": pl.Int64()}),
     (_distinct_bodies, {"bodies": pl.Int64()})],
)
def test_a_view_wrongly_declared_additive_fails(
    frames: dict[str, tuple[pl.DataFrame, Prepared]], fn: Any, columns: dict[str, pl.DataType]
) -> None:
    wrong = ViewSpec(fn.__name__, fn, Source.CUBE, lambda: columns)
    wide, data = frames["synthetic"]
    with pytest.raises((AssertionError, pl.exceptions.ColumnNotFoundError)):
        check_view(wrong, data, wide, FilterState(synthetic=True))
    check_view(ViewSpec(fn.__name__, fn, Source.ROWS, lambda: columns), data, wide, FilterState(synthetic=True))


def test_declared_columns_are_enforced(frames: dict[str, tuple[pl.DataFrame, Prepared]]) -> None:
    spec = ViewSpec("counted", _rows_counted, Source.ROWS, lambda: {"n": pl.Int64()})
    with pytest.raises(ViewSchemaError):
        spec.compute(frames["seeds"][1], FilterState())


def test_every_view_declares_its_source_and_a_definition() -> None:
    for name, spec in REGISTRY.items():
        assert spec.name == name and spec.doc, name
        assert spec.source is Source.ROWS or spec.fast is None, f"{name}: an additive view reads the cube, not an index"


def test_an_additive_view_reading_cells_it_does_not_declare_fails(frames: dict[str, tuple[pl.DataFrame, Prepared]]) -> None:
    from gip_data import metrics

    wide, data = frames["synthetic"]
    undeclared = ViewSpec("volumes", metrics.volume_by, Source.CUBE, REGISTRY["volume_by"].columns,
                          examples=((("year",),),), cells=lambda by: ("new_received__total",))
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        check_view(undeclared, data, wide, FilterState(synthetic=True, search="局"))
