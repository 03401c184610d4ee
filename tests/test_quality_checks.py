"""Each 年报质量 check on crafted records: pass, fail and unknown, with the evidence in words."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from gip_data.extract.facts import minhash
from gip_data.quality.checks import CHECK_CODES, copy_share, previous_positions
from gip_data.quality.derive import quality_columns
from gip_data.quality.explain import explain, findings_text
from gip_data.quality.rollup import overview, rank_bodies
from gip_data.schema.facts import fingerprint_bytes
from tests.quality_records import card_of, facts, record


def _status(code: str, *records, at: int = -1) -> int | None:  # noqa: ANN002
    card, _ = card_of(*records)
    return card[code][at]


def _evidence(code: str, *records, at: int = -1) -> str:  # noqa: ANN002
    card, wide = card_of(*records)
    row = at % card.height
    found = {f.code: f for f in explain(card.row(row, named=True), wide.row(row, named=True), records[row].facts)}
    return found[code].evidence


def test_tables() -> None:
    assert _status("tables", record()) == 1
    assert _status("tables", record(break_total=True)) == 0
    assert "处勾稽关系不成立" in _evidence("tables", record(break_total=True))
    assert _status("tables", record(no_table3=True)) is None


def test_narrative() -> None:
    assert _status("narrative", record(new=12, facts=facts(stated={"received": [12]}))) == 1
    assert _status("narrative", record(new=12, facts=facts(stated={"received": [7, 5]}))) == 1  # parts add up
    assert _status("narrative", record(new=12, carried_over=3, facts=facts(stated={"received": [15]}))) == 1  # 一+二
    bad = record(new=12, review=2, facts=facts(stated={"received": [12], "review": [1]}))
    assert _status("narrative", bad) == 0
    words = _evidence("narrative", bad)
    assert "正文称行政复议1件，表四行政复议总计为2件，不一致" in words and "收到申请12件" in words
    assert _status("narrative", record(facts=facts())) is None
    assert _status("narrative", record()) is None  # no facts stored


def test_continuity() -> None:
    before = record(year=2021, new=10, carried_forward=3)
    assert _status("continuity", before, record(year=2022, carried_over=3)) == 1
    assert _status("continuity", before, record(year=2022, carried_over=2)) == 0
    assert "本年“上年结转”2件不等于2021年度报告“结转下年度继续办理”3件" in _evidence(
        "continuity", before, record(year=2022, carried_over=2))
    assert _status("continuity", record(year=2020, carried_forward=3), record(year=2022, carried_over=2)) is None
    assert _status("continuity", before, record(agency="另一机关", year=2022, carried_over=2)) is None
    # An aggregate report is not the body's own report of the year before.
    assert _status("continuity", record(year=2021, carried_forward=3, aggregate=True),
                   record(year=2022, carried_over=2)) is None


def test_edition() -> None:
    assert _status("edition", record(year=2020)) == 1
    assert _status("edition", record(year=2023)) == 1
    assert _status("edition", record(year=2023, template=2019)) == 0
    assert _evidence("edition", record(year=2023, template=2019)) == "2023年度报告应使用2021版格式，识别为2019版"
    assert _status("edition", record(year=2020, template=2021)) == 0
    assert _status("edition", record(year=None)) is None


def test_sections() -> None:
    assert _status("sections", record(facts=facts())) == 1
    missing = record(facts=facts(sections=(1, 2, 3, 4, 6)))
    assert _status("sections", missing) == 0
    assert _evidence("sections", missing) == "缺少：五、存在的主要问题及改进情况"
    assert _status("sections", record(facts=facts(sections=(), narrative_chars=50))) is None  # tables only
    assert _status("sections", record(facts=facts(sections=(), narrative_chars=900))) == 0
    assert _status("sections", record()) is None


def test_table2_and_fee() -> None:
    assert _status("table2", record(facts=facts())) == 1
    assert _status("table2", record(facts=facts(table2=False))) == 0
    assert _status("table2", record()) is None
    assert _status("fee", record(year=2022, facts=facts())) == 1
    assert _status("fee", record(year=2022, facts=facts(fee=False))) == 0
    assert _status("fee", record(year=2022)) is None
    assert _status("fee", record(year=2020, facts=facts(fee=False))) == -1


@pytest.mark.parametrize(
    ("body", "level", "published", "expected"),
    [
        ("部门", "县级", date(2023, 1, 20), 1),
        ("部门", "县级", date(2023, 2, 10), 0),
        ("政府", "县级", date(2023, 3, 10), 1),
        ("政府", "县级", date(2023, 4, 2), 0),
        ("政府", "乡镇街道", date(2023, 2, 1), 0),  # a township is a body, due 31 January
        (None, None, date(2023, 1, 5), 1),
        (None, None, date(2023, 2, 15), None),  # between the two deadlines: depends on the body type
        (None, None, date(2023, 4, 15), 0),
    ],
)
def test_timeliness(body: str | None, level: str | None, published: date, expected: int | None) -> None:
    assert _status("timely", record(year=2022, body=body, level=level, facts=facts(published=published))) == expected


def test_timeliness_date_sources() -> None:
    assert _status("timely", record(year=2022, facts=facts())) is None
    # A publication date inside the report year is not the report's: the date line decides.
    mixed = record(year=2022, facts=facts(published=date(2022, 6, 1), signed=date(2023, 1, 10)))
    assert _status("timely", mixed) == 1
    assert _evidence("timely", mixed) == "报告落款日期为2023年1月10日，不晚于截止日期2023年1月31日"
    late_file = record(year=2022, facts=facts(file_created=date(2023, 5, 4)))
    assert _status("timely", late_file) == 0
    assert "文件创建日期" in _evidence("timely", late_file)


def test_copied() -> None:
    same = list(range(100, 132))
    before = record(year=2021, facts=facts(fingerprint=same))
    assert _status("copied", before, record(year=2022, facts=facts(fingerprint=same))) == 0
    assert "约100%的句子与2021年度报告相同" in _evidence("copied", before, record(year=2022, facts=facts(fingerprint=same)))
    other = list(range(500, 532))
    assert _status("copied", before, record(year=2022, facts=facts(fingerprint=other))) == 1
    assert _status("copied", record(year=2022, facts=facts(fingerprint=same))) is None
    few = record(year=2022, facts=facts(fingerprint=same, sentences=5))
    assert _status("copied", record(year=2021, facts=facts(fingerprint=same, sentences=5)), few) is None


@pytest.mark.parametrize("overlap", [0.0, 0.3, 0.6, 0.9])
def test_copy_share_estimates_the_overlap(overlap: float) -> None:
    """MinHash signatures of two 300-sentence reports estimate the share of shared sentences."""
    rng = random.Random(7)
    universe = rng.sample(range(2**60), 2000)
    shared = int(300 * overlap)
    this, last = set(universe[:300]), set(universe[:shared] + universe[300 : 600 - shared])
    prints = pl.Series([fingerprint_bytes(minhash(last)), fingerprint_bytes(minhash(this))], dtype=pl.Binary)
    previous = pl.Series([None, 0], dtype=pl.UInt32)  # this year's report (row 1) follows last year's (row 0)
    estimate = copy_share(prints, pl.Series([300, 300]), previous)[1]
    assert abs(estimate - overlap) < 0.2
    assert copy_share(prints, pl.Series([300, 300]), previous)[0] is None  # no year before
    assert copy_share(prints, pl.Series([300, 0]), previous)[1] is None  # no sentence this year
    unsigned = pl.Series([None, fingerprint_bytes(minhash(this))], dtype=pl.Binary)
    assert copy_share(unsigned, pl.Series([300, 300]), previous)[1] is None  # no signature last year


def test_score_is_the_share_of_known_checks_passing() -> None:
    card, _ = card_of(record(year=2022, facts=facts(fee=False)))
    row = card.row(0, named=True)
    known = [row[c] for c in CHECK_CODES if row[c] in (0, 1)]
    assert row["passes"] == sum(known) and row["fails"] == known.count(0)
    assert row["score"] == pytest.approx(sum(known) / len(known))
    assert _status("score", record(no_table3=True, year=None)) is None  # nothing known: no score


def test_findings_for_a_briefing() -> None:
    _, wide = card_of(record(facts=facts(fee=False)), record("某某县教育局", facts=facts()))
    rows = wide.hstack(quality_columns(wide).get_columns()).lazy()
    lines = findings_text(overview(rows), rank_bodies(rows, worst_first=True))
    assert lines == ["信息处理费说明：1份报告未通过（已能判断的2份中占50%）", "某某县财政局：质量得分80%（1项未通过）"]


@pytest.mark.parametrize("with_code", [True, False])
def test_previous_positions(with_code: bool) -> None:
    frame = pl.DataFrame({
        "agency_key": ["a", "b", "a", "a", "b", None, "a", "a"],
        "year": [2021, 2021, 2022, 2022, 2023, 2022, None, 2023],
        "aggregate": [False, False, False, True, False, False, False, False],
    })
    if with_code:
        frame = frame.with_columns(pl.col("agency_key").rank("dense").cast(pl.UInt32).alias("agency_code"))
    # a/2022 → a/2021; the aggregate a/2022 has no aggregate a/2021; b/2023 has no b/2022; a/2023 → a/2022 (row 2)
    assert previous_positions(frame).to_list() == [None, None, 0, None, None, None, None, 2]
    twice = pl.concat([frame.head(1), frame])  # two a/2021 rows: the first one is the year before
    assert previous_positions(twice).to_list()[3] == 0
