"""Synthetic reports for demos and benchmarks (marked 合成数据 everywhere).

Bodies follow China's administrative structure: the shipped gazetteer's
provinces, cities and counties with their townships, each government with its
departments (about 30 provinces, 330 cities, 2,800 counties, 38,000 townships).
Volumes are heavy-tailed (log-normal means, Poisson counts) and larger the
higher the level. Years up to 2020 use the 2019 edition, later years the 2021
edition (a few late adopters keep the single （六） row). Every table is built
from the leaves up — applicants split the requests, dispositions split what was
closed — so every hard arithmetic rule holds exactly.

Table 2 (主动公开) is generated too, of each report's edition
(:mod:`gip_data.synth.proactive`), so no synthetic report lacks a table, and
the facts of the text the 年报质量 checks read (:mod:`gip_data.synth.facts`).

The generator is vectorised with numpy and yields frames in the ``report``
table's column layout, ready for :func:`gip_data.storage.bulk.insert_report_rows`.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import polars as pl

from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_LEAVES,
    OTHER_SPLIT_ROWS,
    OUTCOMES,
    case_column,
    cell_column,
)
from gip_data.storage.rows import agency_key
from gip_data.synth.facts import synthetic_facts
from gip_data.synth.proactive import proactive_json

SYNTHETIC_MARK = "[合成]"
SYNTHETIC_UPLOADER = "gip synth"
DEPARTMENTS = (
    "发展和改革委员会",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "退役军人事务局",
    "林业局",
    "信访局",
    "体育局",
    "科学技术局",
    "工业和信息化局",
    "政务服务和数据管理局",
    "民族宗教事务局",
)
CENTRAL = (
    "国家发展和改革委员会",
    "教育部",
    "科学技术部",
    "工业和信息化部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "国家卫生健康委员会",
    "应急管理部",
    "审计署",
    "国家市场监督管理总局",
    "国家统计局",
)
# Departments per government at each level (province, city, county); townships publish as one body.
DEPTS_PER_GOV = {"省级": 30, "市级": 25, "县级": 20}
# Median new requests per report (government, department) by level: heavy upper tail via log-normal.
MEDIAN_REQUESTS = {
    "中央": (0, 400),
    "省级": (300, 40),
    "市级": (80, 12),
    "县级": (20, 4),
    "乡镇街道": (1.5, 1),
}
APPLICANT_SHARES = np.array([0.86, 0.07, 0.01, 0.01, 0.03, 0.02])
LEAF_WEIGHTS = {
    "granted": 40,
    "partially_granted": 8,
    "withheld_state_secret": 0.3,
    "withheld_prohibited_by_law": 0.5,
    "withheld_safety_stability": 0.3,
    "withheld_third_party": 1,
    "withheld_internal_affairs": 1.5,
    "withheld_process_info": 2,
    "withheld_enforcement_file": 0.5,
    "withheld_administrative_query": 1.2,
    "unable_not_held": 22,
    "unable_needs_creation": 3,
    "unable_unclear": 2,
    "not_processed_petition": 4,
    "not_processed_duplicate": 3,
    "not_processed_publication": 0.5,
    "not_processed_massive": 0.8,
    "not_processed_confirmation": 0.7,
    "other_overdue_correction": 4,
    "other_unpaid_fee": 0.3,
    "other_misc": 4,
}
SPLIT_KEYS = tuple(row.key for row in OTHER_SPLIT_ROWS)
LEAF_KEYS = tuple(k for k in DISPOSITION_LEAVES if k != "other")  # the 2021 leaves; "other" = Σ split rows


@dataclass(frozen=True, slots=True)
class Body:
    """One publishing body: its name and place."""

    name: str
    level: str
    body: str
    province: str
    city: str | None


def _named_places() -> tuple[dict[str, dict[str, list[str]]], dict[str, list[str]]]:
    """Province → city → counties, and county → townships, from the shipped gazetteer."""
    from gip_data.extract.gazetteer import RANK_CITY, RANK_COUNTY, load_gazetteer

    gaz = load_gazetteer()
    tree: dict[str, dict[str, list[str]]] = {}
    for d in gaz.divisions:
        if d.rank == RANK_COUNTY and d.name:
            province, city = gaz.province_city(d.index)
            if province:
                tree.setdefault(province, {}).setdefault(city or province, []).append(d.name)
        elif d.rank == RANK_CITY and d.name:
            province, _ = gaz.province_city(d.index)
            if province:
                tree.setdefault(province, {}).setdefault(d.name, [])
    townships: dict[str, list[str]] = {}
    for town, counties in gaz.towns.items():
        for index in counties:
            townships.setdefault(gaz.divisions[index].name, []).append(town)
    return tree, townships


@functools.cache
def body_population() -> tuple[Body, ...]:
    """Every government and department of the (gazetteer's) administrative tree, plus central ministries."""
    tree, townships = _named_places()
    bodies = [Body(name, "中央", "部门", "中央", None) for name in CENTRAL]
    for province, cities in sorted(tree.items()):
        bodies += _government_with_departments(province, "省级", province, None)
        for city, counties in sorted(cities.items()):
            if city != province:
                bodies += _government_with_departments(city, "市级", province, city)
            for county in sorted(counties):
                bodies += _government_with_departments(county, "县级", province, city)
                for town in sorted(townships.get(county, [])):
                    office = "人民政府" if town.endswith(("镇", "乡")) else "办事处"
                    bodies.append(Body(f"{county}{town}{office}", "乡镇街道", "政府", province, city))
    return tuple(_unique_names(bodies))


def _unique_names(bodies: list[Body]) -> list[Body]:
    """Qualify names that repeat across places (鼓楼区 exists in several cities) by city, then province."""
    qualifiers: tuple[Callable[[Body], str], ...] = (lambda b: f"{b.city or ''}{b.name}", lambda b: f"{b.province}{b.name}")
    for qualify in qualifiers:
        counts = Counter(b.name for b in bodies)
        bodies = [
            Body(qualify(b), b.level, b.body, b.province, b.city) if counts[b.name] > 1 else b for b in bodies
        ]
    counts = Counter(b.name for b in bodies)
    seen: Counter[str] = Counter()
    out = []
    for b in bodies:  # still equal (two towns of one name in one county): number them
        seen[b.name] += 1
        out.append(
            b
            if counts[b.name] == 1
            else Body(f"{b.name}{seen[b.name]}号", b.level, b.body, b.province, b.city)
        )
    return out


def _government_with_departments(place: str, level: str, province: str, city: str | None) -> list[Body]:
    out = [Body(f"{place}人民政府", level, "政府", province, city)]
    out += [
        Body(f"{place}{dept}", level, "部门", province, city) for dept in DEPARTMENTS[: DEPTS_PER_GOV[level]]
    ]
    return out


def _pick_bodies(
    rng: np.random.Generator, n_reports: int, years: list[int]
) -> tuple[list[Body], np.ndarray, np.ndarray]:
    """Distinct (body, year) pairs: each chosen body reports in every year, N pairs drawn at random."""
    population = body_population()
    n_bodies = -(-n_reports // len(years))
    chosen = rng.choice(len(population), size=n_bodies, replace=n_bodies > len(population))
    copies = np.zeros(n_bodies, dtype=np.int64)
    if n_bodies > len(population):  # more bodies than the country has: numbered twins
        _, first, counts = np.unique(chosen, return_index=True, return_counts=True)
        order = np.argsort(chosen, kind="stable")
        copies[order] = np.arange(n_bodies) - np.repeat(np.cumsum(counts) - counts, counts)
        del first
    bodies = [population[i] for i in chosen]
    names = [b.name if c == 0 else f"{b.name}{c + 1}" for b, c in zip(bodies, copies, strict=True)]
    bodies = [Body(n, b.level, b.body, b.province, b.city) for n, b in zip(names, bodies, strict=True)]
    pairs = rng.permutation(n_bodies * len(years))[:n_reports]
    pairs.sort()
    return bodies, pairs // len(years), np.asarray(years)[pairs % len(years)]


def _multinomial(rng: np.random.Generator, n: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return rng.multinomial(n, weights / weights.sum()).astype(np.int32)


def _tables(
    rng: np.random.Generator, requests: np.ndarray, edition_split: np.ndarray
) -> dict[str, np.ndarray]:
    """Every table-3/4 cell for the given new-request totals, built leaves up."""
    new = _multinomial(rng, requests, APPLICANT_SHARES)  # (n, 6)
    carried = rng.binomial(new, 0.07).astype(np.int32)
    forward = rng.binomial(new + carried, 0.06).astype(np.int32)
    closed = new + carried - forward
    weights = np.array([LEAF_WEIGHTS[k] for k in LEAF_KEYS])
    leaves = np.stack(
        [_multinomial(rng, closed[:, c], weights) for c in range(closed.shape[1])], axis=1
    )  # (n, 6, L)
    cells: dict[str, np.ndarray] = {}

    def put(row: str, values: np.ndarray, mask: np.ndarray | None = None) -> None:
        full = np.concatenate([values, values.sum(axis=1, keepdims=True)], axis=1)
        for i, col in enumerate(APPLICANT_COLUMNS):
            column = full[:, i].astype(np.float64) if mask is not None else full[:, i]
            if mask is not None:
                column[~mask] = np.nan
            cells[cell_column(row, col)] = column

    put("new_received", new)
    put("carried_over", carried)
    for j, key in enumerate(LEAF_KEYS):
        put(key, leaves[:, :, j], edition_split if key in SPLIT_KEYS else None)
    other = leaves[:, :, [LEAF_KEYS.index(k) for k in SPLIT_KEYS]].sum(axis=2, dtype=np.int32)
    put("other", other, ~edition_split)
    put("total", closed)
    put("carried_forward", forward)
    base = closed.sum(axis=1)
    for block, rate in zip(CASE_BLOCKS, (0.02, 0.012, 0.005), strict=True):
        outcomes = _multinomial(rng, rng.poisson(base * rate), np.array([0.72, 0.1, 0.1, 0.08]))
        for i, outcome in enumerate(OUTCOMES[:-1]):
            cells[case_column(block, outcome)] = outcomes[:, i]
        cells[case_column(block, "total")] = outcomes.sum(axis=1)
    return cells


def _volumes(rng: np.random.Generator, levels: list[str], kinds: list[str], years: np.ndarray) -> np.ndarray:
    medians = np.array(
        [MEDIAN_REQUESTS[lv][0 if k == "政府" else 1] for lv, k in zip(levels, kinds, strict=True)]
    )
    trend = 1.0 + 0.06 * (years - years.min())
    # numpy types arithmetic on an unparameterised ndarray as Any; the draws are an int64 array
    volumes: np.ndarray = rng.poisson(medians * trend * rng.lognormal(0.0, 1.1, size=len(medians)))
    return volumes


def synth_chunks(
    n_reports: int, years: list[int], seed: int, chunk_size: int = 100_000
) -> Iterator[pl.DataFrame]:
    """Frames of synthetic ``report`` rows (``chunk_size`` rows each) for ``n_reports`` reports."""
    rng = np.random.default_rng(seed)
    table2_rng = np.random.default_rng([seed, 2])  # its own stream: tables 3 and 4 stay as they were
    bodies, body_index, report_years = _pick_bodies(rng, n_reports, years)
    keys = [agency_key(f"{b.name}{SYNTHETIC_MARK}") for b in bodies]
    now = datetime.now(UTC)
    for start in range(0, n_reports, chunk_size):
        idx = body_index[start : start + chunk_size]
        yrs = report_years[start : start + chunk_size]
        chunk = [bodies[i] for i in idx]
        split = (yrs >= 2021) & (rng.random(len(idx)) > 0.03)
        cells = _tables(rng, _volumes(rng, [b.level for b in chunk], [b.body for b in chunk], yrs), split)
        serial = [f"{seed}-{start + i:08d}" for i in range(len(idx))]
        templates = np.where(yrs >= 2021, 2021, 2019).astype(np.int32)
        meta = {
            "identity_key": [f"{keys[i]}|{y}" for i, y in zip(idx, yrs, strict=True)],
            "status": "current",
            "agency": [f"{b.name}{SYNTHETIC_MARK}" for b in chunk],
            "agency_key": [keys[i] for i in idx],
            "year": yrs.astype(np.int32),
            "template": templates,
            "level": [b.level for b in chunk],
            "body": [b.body for b in chunk],
            "region": [b.province + (b.city if b.city and b.city != b.province else "") for b in chunk],
            "province": [b.province for b in chunk],
            "city": [b.city for b in chunk],
            "file_name": [f"合成数据-{s}" for s in serial],
            "sha256": [hashlib.sha256(f"synthetic:{s}".encode()).hexdigest() for s in serial],
            "record_json": proactive_json(
                table2_rng, [b.level for b in chunk], [b.body for b in chunk], templates
            ),
        }
        frame = pl.DataFrame(meta).with_columns(
            aggregate=False,
            sample=False,
            synthetic=True,
            consistent=True,
            failed_checks=0,
            repairs=0,
            assumed_zeros=0,
            missing_tables=0,
            format=pl.lit("synth"),
            parser_version=pl.lit("synth-1"),
            uploaded_by=pl.lit(SYNTHETIC_UPLOADER),
            uploaded_at=pl.lit(now),
        )
        frame = frame.hstack([pl.Series(k, v, nan_to_null=True).cast(pl.Int32) for k, v in cells.items()])
        yield frame.hstack(synthetic_facts(seed, start, idx, yrs, cells).get_columns())
