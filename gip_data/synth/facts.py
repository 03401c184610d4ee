"""Facts of the text for synthetic reports (``fact_*`` columns), so the 年报质量 checks have work at any scale.

Synthetic reports have no text; these columns stand for what the parser would
have read: the numbers the narrative states (mostly those of the tables, some
off), the parts present, table 2, the fee paragraph (2021 edition), dates
around the deadlines, and sentence fingerprints — a body's signature of a year
is a hash of (body, year), and a share of reports repeat the year before's
(text copied), so the copy check finds some. Drawn from their own random
stream: the tables of a seed do not change.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from gip_data.schema.facts import FINGERPRINT_SIZE, section_mask
from gip_data.schema.template import case_column, cell_column

STATED = 0.85  # share of reports stating a number of a kind
STATED_WRONG = 0.06  # share of the stated numbers that disagree with the table
COPIED = 0.12  # share of reports whose sentences repeat the year before
_HASH_A = np.arange(1, FINGERPRINT_SIZE + 1, dtype=np.uint64) * np.uint64(2_654_435_761)
_HASH_B = np.arange(1, FINGERPRINT_SIZE + 1, dtype=np.uint64) * np.uint64(40_503)
_EPOCH = date(1970, 1, 1).toordinal()


def _stated(rng: np.random.Generator, values: np.ndarray) -> pl.Series:
    """The stated value of one kind per report as stored text (null when not stated)."""
    n = len(values)
    off = np.where(rng.random(n) < STATED_WRONG, rng.integers(1, 5, n), 0)
    said = pl.Series((values + off).astype(np.int64)).cast(pl.String)
    return said.zip_with(pl.Series(rng.random(n) < STATED), pl.Series([None] * n, dtype=pl.String))


def _dates(rng: np.random.Generator, years: np.ndarray, share: float, spread: tuple[int, int]) -> pl.Series:
    """Dates in the year after the report's, ``spread`` days around 1 February; null for the others."""
    february = {int(y): date(int(y) + 1, 2, 1).toordinal() - _EPOCH for y in np.unique(years)}
    days = np.vectorize(february.__getitem__, otypes=[np.int64])(years) + rng.integers(*spread, len(years))
    known = pl.Series(rng.random(len(years)) < share)
    return pl.Series(days.astype(np.int32)).cast(pl.Date).zip_with(known, pl.Series([None] * len(years), dtype=pl.Date))


def _fingerprints(rng: np.random.Generator, bodies: np.ndarray, years: np.ndarray) -> pl.Series:
    """A MinHash-like signature per report: a hash of (body, year), of the year before for the copied ones."""
    copied = rng.random(len(years)) < COPIED
    seen = (bodies.astype(np.uint64) << np.uint64(12)) + (years - copied).astype(np.uint64)
    mixed = (seen[:, None] * _HASH_A[None, :] + _HASH_B[None, :]) % np.uint64(4_294_967_291)
    rows = mixed.astype("<u4")
    return pl.Series([row.tobytes() for row in rows], dtype=pl.Binary)


def synthetic_facts(seed: int, start: int, bodies: np.ndarray, years: np.ndarray,
                    cells: dict[str, np.ndarray]) -> pl.DataFrame:
    """The ``fact_*`` columns of the chunk at ``start`` (``bodies``: body indexes, ``cells``: its table cells)."""
    rng = np.random.default_rng([seed, 3, start])
    n = len(years)

    def total(row: str) -> np.ndarray:
        return np.asarray(cells[cell_column(row, "total")], dtype=np.int64)

    litigation = (np.asarray(cells[case_column("litigation_direct", "total")], dtype=np.int64)
                  + np.asarray(cells[case_column("litigation_after_review", "total")], dtype=np.int64))
    full, partial = section_mask([1, 2, 3, 4, 5, 6]), section_mask([1, 2, 3, 4, 6])
    return pl.DataFrame([
        _stated(rng, total("new_received")).alias("fact_said_received"),
        _stated(rng, total("carried_over")).alias("fact_said_carried_over"),
        _stated(rng, total("total")).alias("fact_said_closed"),
        _stated(rng, total("carried_forward")).alias("fact_said_carried_forward"),
        _stated(rng, np.asarray(cells[case_column("review", "total")], dtype=np.int64)).alias("fact_said_review"),
        _stated(rng, litigation).alias("fact_said_litigation"),
        pl.Series("fact_sections", np.where(rng.random(n) < 0.92, full, partial).astype(np.int32)),
        pl.Series("fact_narrative_chars", rng.integers(400, 8000, n).astype(np.int32)),
        pl.Series("fact_table2", rng.random(n) < 0.97),
        pl.Series("fact_fee", (years >= 2021) & (rng.random(n) < 0.85) | (years < 2021) & (rng.random(n) < 0.2)),
        _dates(rng, years, 0.6, (-20, 80)).alias("fact_published"),
        _dates(rng, years, 0.8, (-25, 60)).alias("fact_signed"),
        _dates(rng, years, 0.3, (-30, 40)).alias("fact_file_created"),
        pl.Series("fact_sentences", rng.integers(20, 240, n).astype(np.int32)),
        _fingerprints(rng, bodies, years).alias("fact_fingerprint"),
    ])
