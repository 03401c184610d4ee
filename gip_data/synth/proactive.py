"""Table 2 (主动公开政府信息情况) of synthetic reports: plausible rows of the report's edition.

Each report gets the rows its edition prints (:func:`gip_data.storage.rows.proactive_layout`), with
values scaled by the body's level and a heavy-tailed size: only ministries and the governments of
provinces and cities make 规章; normative documents, licences, penalties and fees grow with the level;
the 2019 edition's item counts change by a signed 本年增/减 that never makes them negative. The soft
rules of table 2 hold (本年新公开 ≤ 对外公开总数; 现行有效 ≥ 本年制发).

Only the numbers are stored (``{"proactive_values": [[…], …]}`` in ``record_json``), built with
Polars string expressions so a million reports cost seconds, not minutes.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from gip_data.storage.rows import SYNTHETIC_TABLE2_KEY, proactive_layout

# Median yearly quantities per level (中央, 省级, 市级, 县级, 乡镇街道), before the body's size factor.
_LEVELS = ("中央", "省级", "市级", "县级", "乡镇街道")
_MEDIANS: dict[str, tuple[float, ...]] = {
    "rules": (3, 6, 2, 0, 0),  # 规章 made this year (governments of provinces and cities, ministries)
    "rules_valid": (60, 120, 40, 0, 0),
    "docs": (12, 10, 8, 5, 1),  # 行政规范性文件 made this year
    "docs_valid": (150, 120, 80, 40, 6),
    "licences": (4000, 2500, 900, 300, 15),
    "penalties": (300, 600, 450, 180, 4),
    "fees": (3000, 900, 300, 60, 1),  # 万元
    "items": (120, 90, 60, 40, 8),  # items of licensing / enforcement lists (2019 edition)
    "purchases": (80, 60, 35, 15, 2),
}
_MAKES_RULES = {("中央", "部门"), ("省级", "政府"), ("市级", "政府")}


def _scaled(rng: np.random.Generator, key: str, levels: np.ndarray, size: np.ndarray) -> np.ndarray:
    medians = np.array(_MEDIANS[key])[levels]
    counts: np.ndarray = rng.poisson(medians * size).astype(np.int64)  # numpy types medians (indexed) as Any
    return counts


def _columns(rng: np.random.Generator, level_names: list[str], body_names: list[str]) -> dict[str, pl.Series]:
    """Every quantity either edition prints, one value per report."""
    n = len(level_names)
    levels = np.array([_LEVELS.index(v) for v in level_names])
    size = rng.lognormal(0.0, 0.8, size=n)
    makes_rules = np.array([(lv, b) in _MAKES_RULES for lv, b in zip(level_names, body_names, strict=True)])
    rules = np.where(makes_rules, _scaled(rng, "rules", levels, size), 0)
    docs = _scaled(rng, "docs", levels, size)
    out = {
        "rules": rules,
        "rules_gone": rng.binomial(rules, 0.2),
        "rules_valid": rules + np.where(makes_rules, _scaled(rng, "rules_valid", levels, size), 0),
        "docs": docs,
        "docs_gone": rng.binomial(docs + 2, 0.3),
        "docs_valid": docs + _scaled(rng, "docs_valid", levels, size),
        "licences": _scaled(rng, "licences", levels, size),
        "services": _scaled(rng, "licences", levels, size * 0.3),
        "penalties": _scaled(rng, "penalties", levels, size),
        "coercions": _scaled(rng, "penalties", levels, size * 0.08),
        "purchases": _scaled(rng, "purchases", levels, size),
        "fee_items": _scaled(rng, "items", levels, size * 0.05),
    }
    for kind in ("licence", "service", "penalty", "coercion"):
        before = _scaled(rng, "items", levels, size)
        out[f"{kind}_items"] = before
        out[f"{kind}_change"] = np.maximum(rng.integers(-5, 6, size=n), -before)  # never below zero items
    out["fee_change"] = np.maximum(rng.integers(-2, 2, size=n), -out["fee_items"])
    series = {k: pl.Series(k, v, dtype=pl.Int64) for k, v in out.items()}
    has_fees = rng.random(n) > 0.35  # many bodies collect no fee at all
    fees = np.where(
        has_fees, rng.lognormal(0.0, 1.0, size=n) * np.array(_MEDIANS["fees"])[levels] * size, 0.0
    )
    per_purchase = rng.lognormal(np.log(25.0), 0.8, size=n)  # 万元 per procurement project
    series["fee_amount"] = pl.Series("fee_amount", fees).round(2)
    series["purchase_amount"] = pl.Series("purchase_amount", out["purchases"] * per_purchase).round(2)
    return series


# Each row of the layout (edition → in print order) as the quantities of its columns.
_ROWS: dict[int, list[tuple[str, ...]]] = {
    2021: [
        ("rules", "rules_gone", "rules_valid"),
        ("docs", "docs_gone", "docs_valid"),
        ("licences",),
        ("penalties",),
        ("coercions",),
        ("fee_amount",),
    ],
    2019: [
        ("rules", "rules", "rules_valid"),  # 本年新制作, 本年新公开 (all of them), 对外公开总数
        ("docs", "docs", "docs_valid"),
        ("licence_items", "licence_change", "licences"),
        ("service_items", "service_change", "services"),
        ("penalty_items", "penalty_change", "penalties"),
        ("coercion_items", "coercion_change", "coercions"),
        ("fee_items", "fee_change"),
        ("purchases", "purchase_amount"),
    ],
}


def _edition_json(edition: int) -> pl.Expr:
    rows = _ROWS[edition]
    layout = proactive_layout(edition)
    if [len(r) for r in rows] != [len(columns) for _, _, columns in layout]:
        raise AssertionError(f"synthetic table 2 does not match the {edition} template's layout")
    cells = [pl.concat_str([pl.col(c).cast(pl.String) for c in row], separator=",") for row in rows]
    inner = pl.concat_str([pl.lit("[") + c + pl.lit("]") for c in cells], separator=",")
    return pl.lit(f'{{"{SYNTHETIC_TABLE2_KEY}":[') + inner + pl.lit("]}")


def proactive_json(
    rng: np.random.Generator, level_names: list[str], body_names: list[str], templates: np.ndarray
) -> pl.Series:
    """The stored table 2 of each report (the ``record_json`` of synthetic rows), of its template's edition."""
    frame = pl.DataFrame(_columns(rng, level_names, body_names)).with_columns(template=pl.Series(templates))
    return (
        frame.select(
            pl.when(pl.col("template") == 2021).then(_edition_json(2021)).otherwise(_edition_json(2019))
        )
        .to_series()
        .alias("record_json")
    )
