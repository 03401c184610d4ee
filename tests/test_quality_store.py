"""Quality on stored reports (SQLite and PostgreSQL): fact columns read back, continuity over years, hierarchy,
coverage, roll-ups with the small-N rule, and anomalies against peers."""

from __future__ import annotations

import polars as pl
import pytest

from gip_data.frames import FACT_SCHEMA, records_to_wide
from gip_data.quality.checks import scorecard
from gip_data.quality.definitions import anomaly_list
from gip_data.quality.derive import QUALITY_CELLS, quality_columns
from gip_data.quality.hierarchy import (
    aggregate_gaps,
    coverage_gaps,
    coverage_summary,
    members_text,
    place_prefix,
)
from gip_data.quality.plain import with_quality
from gip_data.quality.rollup import SMALL_N_APPLICATIONS, overview, rank_bodies, rollup
from gip_data.schema.facts import fact_values
from gip_data.schema.record import AnnualReport
from gip_data.storage import load_wide
from gip_data.storage.frames_io import read_wide_delta
from gip_data.storage.sql import SqlStore
from tests.dbs import db_url, store  # noqa: F401 - fixtures: a fresh store per backend
from tests.quality_records import facts, record


def _put(store: SqlStore, *records: AnnualReport) -> None:  # noqa: F811
    for i, r in enumerate(records):
        data = f"{r.agency}|{r.year}|{r.aggregate}|{i}".encode()
        outcome = store.import_bytes(data, f"{r.agency}-{r.year}.txt", uploaded_by="test", report=r)
        assert outcome.status == "imported", outcome


def _history() -> list[AnnualReport]:
    """Three years of a county: its government, a department, a township, the city and aggregates."""
    out = []
    for year, fwd in ((2021, 2), (2022, 4), (2023, 1)):
        co = {2021: 0, 2022: 2, 2023: 3}[year]  # 2023 breaks continuity (2022 carried 4 forward)
        out += [
            record("郏县人民政府", year, new=20, carried_over=co, carried_forward=fwd, body="政府",
                   facts=facts(stated={"received": [20]}, fingerprint=list(range(1, 33)))),
            record("郏县财政局", year, new=5, facts=facts()),
            record("郏县堂街镇人民政府", year, new=1, level="乡镇街道", body="政府"),
            record("平顶山市教育局", year, new=30, level="市级"),
        ]
    out += [
        record("郏县", 2023, new=40, level="县级", body="政府", aggregate=True),
        record("平顶山市", 2023, new=100, level="市级", body="政府", aggregate=True),
        record("宝丰县财政局", 2022, new=3),  # reported in 2022, not (yet) in 2023
    ]
    return out


def _facts_of(wide: pl.DataFrame) -> list[dict[str, object]]:
    return wide.sort("report_id").select(list(FACT_SCHEMA)).to_dicts()


def _expected_facts(wide: pl.DataFrame, records: list[AnnualReport]) -> list[dict[str, object]]:
    by_name = {(r.agency, r.year, r.aggregate): r for r in records}
    return [fact_values(by_name[key].facts) for key in wide.sort("report_id").select("agency", "year", "aggregate").rows()]


def test_facts_round_trip_through_the_store(store: SqlStore) -> None:  # noqa: F811
    records = _history()
    _put(store, *records)
    wide = load_wide(store)
    assert _facts_of(wide) == _expected_facts(wide, records)
    assert wide.filter(pl.col("fact_narrative_chars").is_not_null()).height == sum(r.facts is not None for r in records)


def test_continuity_and_copies_over_stored_years(store: SqlStore) -> None:  # noqa: F811
    _put(store, *_history())
    wide = load_wide(store)
    card = pl.concat([scorecard(wide), wide.select("agency", "year")], how="horizontal")
    gov = card.filter(pl.col("agency") == "郏县人民政府").sort("year")
    assert gov["continuity"].to_list() == [None, 1, 0]
    assert gov["prev_forward"].to_list() == [None, 2, 4]
    assert gov["copied"].to_list() == [None, 0, 0]  # the same sentences every year
    assert gov["narrative"].to_list() == [1, 1, 1]
    township = card.filter(pl.col("agency") == "郏县堂街镇人民政府").sort("year")
    assert township["continuity"].to_list() == [None, 1, 1]
    assert township["sections"].to_list() == [None, None, None]  # stored without facts: unknown


def test_rollups_and_small_n(store: SqlStore) -> None:  # noqa: F811
    _put(store, *_history())
    wide = load_wide(store)
    card = wide.hstack(quality_columns(wide).get_columns()).lazy().filter(~pl.col("aggregate"))
    levels = rollup(card, ["level"])
    county = levels.filter(pl.col("level") == "县级").row(0, named=True)
    reports = card.filter(pl.col("level") == "县级").collect()
    assert county["reports"] == reports.height
    assert county["score"] == pytest.approx(reports["passes"].sum() / (reports["passes"].sum() + reports["fails"].sum()))
    assert county["continuity_fail"] == 1
    ranked = rank_bodies(card)
    assert ranked["rank"].to_list() == list(range(1, ranked.height + 1))
    township = ranked.filter(pl.col("agency") == "郏县堂街镇人民政府").row(0, named=True)
    assert township["recv"] < SMALL_N_APPLICATIONS and not township["rated"] and township["rate_rank"] is None
    assert ranked.filter(pl.col("rated"))["rate_rank"].null_count() == 0
    scores = ranked["score"].drop_nulls().to_list()
    assert scores == sorted(scores, reverse=True)


def test_aggregate_against_members(store: SqlStore) -> None:  # noqa: F811
    _put(store, *_history())
    gaps = aggregate_gaps(load_wide(store))
    county = gaps.filter(pl.col("agency") == "郏县").row(0, named=True)
    # 郏县人民政府 20, 郏县财政局 5, 郏县堂街镇 1 in 2023; 宝丰县 and the city bodies are not under 郏县.
    assert county["members"] == 3 and county["new_members"] == 26 and county["new_gap"] == 14
    assert members_text(county) == "县级2份、乡镇街道1份"
    city = gaps.filter(pl.col("agency") == "平顶山市").row(0, named=True)
    assert city["members"] == 4 and city["new_members"] == 56 and city["new_gap"] == 44
    assert place_prefix("郏县人民政府") == "郏县"


def test_coverage(store: SqlStore) -> None:  # noqa: F811
    _put(store, *_history())
    wide = load_wide(store)
    missing = coverage_gaps(wide, 2023)
    assert missing["agency"].to_list() == ["宝丰县财政局"]
    assert missing.row(0, named=True)["last_year"] == 2022
    summary = coverage_summary(wide, 2023, ["province", "city"]).row(0, named=True)
    assert (summary["expected"], summary["reported"], summary["missing"]) == (5, 4, 1)
    assert coverage_gaps(wide, 2022)["agency"].to_list() == []


def test_anomalies_give_the_peer_figures() -> None:
    peers = [record(f"某某县第{i}局", 2022, new=30 + i) for i in range(6)]
    peers += [record(f"某某县第{i}局", 2021, new=28) for i in range(6)]
    zero = record("某某县零申请局", 2022, new=0)
    jump = [record("某某县突变局", 2021, new=10), record("某某县突变局", 2022, new=90)]
    listed = anomaly_list(with_quality(records_to_wide([*peers, zero, *jump]).with_columns(
        pl.col("agency").alias("agency_key"))).lazy(), None)
    found = listed.filter(pl.col("quantity") == "recv")
    kinds = {(r["agency"], r["kind"]) for r in found.iter_rows(named=True)}
    assert kinds == {("某某县零申请局", "同级为零"), ("某某县突变局", "同比突变")}
    z = found.filter(pl.col("kind") == "同级为零").row(0, named=True)
    assert z["peers"] == 8 and z["evidence"].startswith("受理申请（新收+上年结转）为0，而同年同级同类的8个机关中位数为")
    j = found.filter(pl.col("kind") == "同比突变").row(0, named=True)
    assert (j["previous"], j["value"]) == (10, 90) and "由2021年的10变为90" in j["evidence"]


def _in_memory() -> pl.DataFrame:
    return records_to_wide(_history()).with_columns(pl.col("agency").alias("agency_key"))


def test_rollup_is_additive_over_a_cube() -> None:
    wide = _in_memory()
    rows = wide.hstack(quality_columns(wide).get_columns()).lazy()
    dims = ["year", "level", "province", "city", "body", "aggregate"]
    cube = rows.group_by(dims).agg(pl.len().alias("reports"), *(pl.col(c).cast(pl.Int64).sum() for c in QUALITY_CELLS))
    for by in (["level"], ["year"], ["province", "city"]):
        assert rollup(cube, by).equals(rollup(rows, by))
    assert overview(cube).equals(overview(rows))


def test_scorecard_of_the_touched_bodies_equals_the_full_one() -> None:
    """After an upload only the bodies it touched need scoring again (all their years, for the links)."""
    wide = _in_memory()
    full = scorecard(wide)
    touched = wide.filter(pl.col("agency_key").is_in(["郏县人民政府", "宝丰县财政局"]))
    part = scorecard(touched)
    assert part.equals(full.filter(pl.col("report_id").is_in(touched["report_id"].implode())))


def test_no_aggregate_gives_the_same_columns() -> None:
    wide = _in_memory()
    with_aggregates = aggregate_gaps(wide)
    without = aggregate_gaps(wide.filter(~pl.col("aggregate")))
    assert without.height == 0 and without.schema == with_aggregates.schema


def test_the_change_after_an_upload_and_a_delete_carries_the_facts(store: SqlStore) -> None:  # noqa: F811
    records = _history()
    _put(store, *records[:6])
    since = store.data_version()
    first = load_wide(store)
    _put(store, *records[6:])
    store.delete(int(first["report_id"][0]), by="test")
    delta = read_wide_delta(store, since)
    assert delta is not None and int(first["report_id"][0]) in delta.changed.to_list()
    assert _facts_of(delta.current) == _expected_facts(delta.current, records)
