"""The dashboard's shared filters as one typed value, its URL form and its Polars predicate.

``FilterState`` is what a shared link means: every field has a short ASCII URL
key and a *constant* default (a parameter at its default is left out of the
URL, so a default computed from the data would silently change old links).
Reading a URL never raises: invalid values are dropped and reported, so the page
can show a small notice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError

from gip_data.frames import BODY_DTYPE, LEVEL_DTYPE, TEMPLATE_DTYPE
from gip_data.schema.meta import BODY_CODES, LEVEL_CODES

LevelCode = Literal["central", "province", "city", "county", "township"]
BodyCode = Literal["all", "gov", "dept"]
EditionCode = Literal["all", "2019", "2021"]
ScopeCode = Literal["unit", "sum"]

LEVEL_BY_CODE: dict[str, str] = {code: name for name, code in LEVEL_CODES.items()}
BODY_BY_CODE: dict[str, str] = {code: name for name, code in BODY_CODES.items()}
SCOPE_LABELS: dict[str, str] = {"unit": "各机关自身报告", "sum": "辖区汇总报告"}
MIN_YEAR, MAX_YEAR = 2000, 2100

# URL key → field name; every key is short ASCII and stable (old links depend on it).
URL_KEYS: dict[str, str] = {
    "y0": "year_from",
    "y1": "year_to",
    "lv": "levels",
    "bt": "body",
    "pv": "province",
    "ct": "city",
    "q": "search",
    "ed": "edition",
    "syn": "synthetic",
    "ag": "scope",
}
MULTI_KEYS = frozenset({"lv"})


class FilterState(BaseModel):
    """The shared sidebar filters; the defaults mean "everything" and never change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[LevelCode, ...] = ()
    body: BodyCode = "all"
    province: str = ""
    city: str = ""
    search: str = ""
    edition: EditionCode = "all"
    synthetic: bool = False
    scope: ScopeCode = "unit"

    def only(self, dims: tuple[str, ...]) -> FilterState:
        """This state with the filters of every dimension not in ``dims`` (see :data:`FILTER_DIMS`) at their default."""
        reset = {f: FilterState.model_fields[f].default for d, fs in DIM_FIELDS.items() if d not in dims for f in fs}
        changed = {f: v for f, v in reset.items() if getattr(self, f) != v}
        return self.model_copy(update=changed) if changed else self

    def to_query(self) -> dict[str, str | list[str]]:
        """URL parameters for the non-default fields, keyed by their short keys."""
        default = FilterState()
        out: dict[str, str | list[str]] = {}
        for key, field in URL_KEYS.items():
            value = getattr(self, field)
            if value == getattr(default, field):
                continue
            if key in MULTI_KEYS:
                out[key] = list(value)
            elif isinstance(value, bool):
                out[key] = "1" if value else "0"
            else:
                out[key] = str(value)
        return out


def _coerce(key: str, values: Sequence[str]) -> object:
    """The raw URL value(s) of one key as the field's input (validated by pydantic)."""
    if key in MULTI_KEYS:
        return tuple(dict.fromkeys(v for v in values if v))
    value = values[-1] if values else ""
    if key in ("y0", "y1"):
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)
        return year
    if key == "syn":
        if value not in ("0", "1"):
            raise ValueError(value)
        return value == "1"
    if key in ("q", "pv", "ct") and len(value) > 100:
        raise ValueError(value)
    return value


def state_from_query(params: Mapping[str, Sequence[str]]) -> tuple[FilterState, list[str]]:
    """Read the filters from URL parameters; return the state and the keys that were dropped.

    Unknown keys are ignored (pages own them); invalid values are dropped one by
    one, and a reversed year range drops ``y1``.
    """
    fields: dict[str, object] = {}
    dropped: list[str] = []
    for key, field in URL_KEYS.items():
        if key not in params:
            continue
        try:
            value = _coerce(key, params[key])
            FilterState.model_validate({field: value})
        except (ValueError, ValidationError):
            dropped.append(key)
            continue
        fields[field] = value
    state = FilterState.model_validate(fields)
    if state.year_from and state.year_to and state.year_from > state.year_to:
        state = state.model_copy(update={"year_to": None})
        dropped.append("y1")
    if state.city and not state.province:
        state = state.model_copy(update={"city": ""})
        dropped.append("ct")
    return state, dropped


FILTER_DIMS: tuple[str, ...] = (
    "aggregate", "year", "level", "body", "province", "city", "search", "template", "synthetic",
)
# The state fields that filter each dimension.
DIM_FIELDS: dict[str, tuple[str, ...]] = {
    "aggregate": ("scope",), "year": ("year_from", "year_to"), "level": ("levels",), "body": ("body",),
    "province": ("province",), "city": ("city",), "search": ("search",), "template": ("edition",),
    "synthetic": ("synthetic",),
}


def filter_conditions(
    state: FilterState,
    *,
    include_synthetic: bool | None = None,
    name_codes: pl.Series | None = None,
) -> dict[str, pl.Expr]:
    """The predicates of a state, one per filtered dimension (see :data:`FILTER_DIMS`).

    Enum columns are compared as enums (a cast to text would touch every row's
    string). With ``name_codes`` (the codes of the agency names containing the
    search text, from a per-version dictionary) the search is an integer
    membership test instead of a substring scan over every report.
    """
    conds: dict[str, pl.Expr] = {"aggregate": pl.col("aggregate") == (state.scope == "sum")}
    years: list[pl.Expr] = []
    if state.year_from is not None:
        years.append(pl.col("year") >= state.year_from)
    if state.year_to is not None:
        years.append(pl.col("year") <= state.year_to)
    if years:
        conds["year"] = pl.all_horizontal(years)
    if state.levels:
        wanted = pl.Series([LEVEL_BY_CODE[c] for c in state.levels], dtype=LEVEL_DTYPE)
        conds["level"] = pl.col("level").is_in(wanted.implode())
    if state.body != "all":
        conds["body"] = pl.col("body") == pl.lit(BODY_BY_CODE[state.body], BODY_DTYPE)
    if state.province:
        conds["province"] = pl.col("province") == state.province
    if state.city:
        conds["city"] = pl.col("city") == state.city
    if state.search:
        conds["search"] = (
            pl.col("name_code").is_in(name_codes.implode())
            if name_codes is not None
            else pl.col("agency").str.contains(state.search, literal=True)
        )
    if state.edition != "all":
        conds["template"] = pl.col("template") == pl.lit(state.edition, TEMPLATE_DTYPE)
    if not (state.synthetic if include_synthetic is None else include_synthetic):
        conds["synthetic"] = ~pl.col("synthetic")
    return conds


def filter_expr(
    state: FilterState,
    *,
    include_synthetic: bool | None = None,
    name_codes: pl.Series | None = None,
    dims: tuple[str, ...] = FILTER_DIMS,
) -> pl.Expr:
    """The row predicate of a state on the wide frame (or on any frame holding the ``dims`` columns).

    ``include_synthetic`` overrides ``state.synthetic`` (the app includes
    synthetic reports when no real report exists, so a new demo is not blank).
    """
    conds = filter_conditions(state, include_synthetic=include_synthetic, name_codes=name_codes)
    return pl.all_horizontal([pl.lit(True), *(e for d, e in conds.items() if d in dims)])


def only_synthetic(wide: pl.DataFrame) -> bool:
    """True when the data holds reports and every one is synthetic."""
    return wide.height > 0 and bool(wide["synthetic"].all())


def apply_filters(wide: pl.DataFrame, state: FilterState) -> pl.LazyFrame:
    """The filtered rows as a LazyFrame, so metrics only touch the columns they use."""
    include = True if only_synthetic(wide) else None
    return wide.lazy().filter(filter_expr(state, include_synthetic=include))
