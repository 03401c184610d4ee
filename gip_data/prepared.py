"""The dashboard's data prepared once per data version, so that any view costs milliseconds on 1,000,000 reports.

A view (filters + a metric) never scans every report when a smaller structure
answers exactly:

- **cube**: every cell summed per combination of the filter dimensions (a few
  thousand rows) — all additive metrics and the quality counts;
- **agency-name dictionary**: the unique agency names with an integer code and
  an index of their characters and character pairs; a name search intersects a
  few posting lists, then filters reports by integer codes;
- **body matrix**: one row per body (and per name/level/region variant) with its
  applications and report count per (year, template) slot — top bodies, and the
  bodies a per-body comparison needs, without a pass over the reports;
- **peer index**: report positions ordered by (year, level, province) with the
  start and length of each group — a body's peers are a few thousand rows;
- **volumes**: the per-report applications with the filter columns, sorted by
  (level, applications), for the per-level distribution.

Only views with a name search read the reports for additive metrics (and then
only the matching rows' summed columns). No Streamlit here: the app caches
:func:`prepare` per data version and :meth:`Prepared.compute` per view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from gip_data import metrics
from gip_data.filters import FilterState, filter_expr, only_synthetic

PEER_KEYS: tuple[str, ...] = ("year", "level", "province")
BODY_KEYS: tuple[str, ...] = ("agency_code", "name_code", "level", "body", "province", "city", "aggregate", "synthetic")
# Filter dimensions that are constant within a body-matrix row / a cube row.
BODY_DIMS: tuple[str, ...] = ("aggregate", "level", "body", "province", "city", "search", "synthetic")
CUBE_DIMS: tuple[str, ...] = ("aggregate", "year", "level", "body", "province", "city", "template", "synthetic")

MEMO_ENTRIES = 64
GRAM_CHARS = 64
# A name search's cube: the dimensions metrics group by (year, level, province) and the year links, over the
# cells metrics sum — everything else is already filtered.
SEARCH_CUBE_DIMENSIONS: tuple[str, ...] = ("year", "level", "province", "has_prev", "has_next")
SEARCH_CUBE_CELLS: tuple[str, ...] = tuple(dict.fromkeys((
    *metrics.BASE_CELLS, *metrics.MIX_CELLS, *metrics.REASON_CELLS)))
CUBE_METRICS = frozenset({
    "yearly_totals", "kpi_table", "volume_by", "applicant_mix", "flows_by_year", "disposition_mix",
    "reason_breakdown", "case_outcomes", "case_rates", "quality_overview", "totals",
})
_RECV = (metrics.BASES["new"] + metrics.BASES["carried_over"]).cast(pl.Int64)


@dataclass(frozen=True, slots=True)
class Slot:
    """One (year, template) column pair of the body matrix: ``r<i>`` applications, ``n<i>`` reports."""

    index: int
    year: int | None
    template: str | None


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """Everything a view needs at one data version (immutable; shared by every session)."""

    version: int
    wide: pl.DataFrame
    cube: pl.DataFrame
    names: pl.DataFrame
    grams: pl.DataFrame
    gram_spans: dict[str, tuple[int, int]]
    long_names: pl.Series
    agencies: pl.DataFrame
    bodies: pl.DataFrame
    slots: tuple[Slot, ...]
    peer_order: pl.Series
    peer_groups: dict[tuple[Any, ...], tuple[int, int]]
    agency_order: pl.Series
    agency_starts: pl.Series
    volumes: pl.DataFrame
    synthetic_only: bool
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def include_synthetic(self, state: FilterState) -> bool:
        """Synthetic reports are shown when asked for, or when nothing else exists (a demo is never blank)."""
        return state.synthetic or self.synthetic_only

    def _remember(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A small per-version memo for what several metrics of one view share (bounded, thread-tolerant)."""
        found = self.memo.get(key)
        if found is None:
            found = build()
            if len(self.memo) >= MEMO_ENTRIES:
                for old in list(self.memo)[: MEMO_ENTRIES // 2]:  # list() copies atomically; sessions share the memo
                    self.memo.pop(old, None)
            self.memo[key] = found
        return found

    def name_codes(self, search: str) -> pl.Series:
        """Codes of the agency names containing ``search`` (remembered per search text).

        The name n-gram index gives the names holding every character pair of
        the text; only those candidates are checked with a substring test.
        """
        return self._remember(("names", search), lambda: self._name_codes(search))

    def _name_codes(self, search: str) -> pl.Series:
        grams = [search] if len(search) == 1 else [search[i : i + 2] for i in range(len(search) - 1)]
        spans = [self.gram_spans.get(g, (0, 0)) for g in dict.fromkeys(grams)]
        postings = sorted((self.grams["name_code"].slice(*span) for span in spans), key=len)
        codes = postings[0]
        for other in postings[1:]:
            codes = codes.filter(codes.is_in(other.implode()))
        if len(search) <= 2 and self.long_names.is_empty():
            return codes
        candidates = self.names[pl.concat([codes, self.long_names]).unique().sort()]
        return candidates.filter(pl.col("agency").str.contains(search, literal=True))["name_code"]

    def _expr(self, state: FilterState, dims: tuple[str, ...]) -> pl.Expr:
        codes = self.name_codes(state.search) if state.search and "search" in dims else None
        return filter_expr(state, include_synthetic=self.include_synthetic(state), name_codes=codes, dims=dims)

    def rows(self, state: FilterState) -> pl.LazyFrame:
        """The filtered reports (lazy: a metric reads only its columns)."""
        return self.wide.lazy().filter(self._expr(state, (*CUBE_DIMS, "search")))

    def sums(self, state: FilterState) -> pl.LazyFrame:
        """What additive metrics read: the filtered cube, or under a name search a cube of the matching reports.

        The search cube is built in one pass over the matching reports (only the
        summed cells) and remembered, so every metric of the view reuses it.
        """
        if not state.search:
            return self.cube.lazy().filter(self._expr(state, CUBE_DIMS))
        return self._remember(("cube", state.model_dump_json()), lambda: metrics.build_cube(
            self.rows(state), SEARCH_CUBE_DIMENSIONS, SEARCH_CUBE_CELLS)).lazy()

    def compute(self, name: str, state: FilterState, args: tuple[Any, ...] = ()) -> Any:
        """The result of metric ``name`` for a view, through the cheapest exact structure."""
        special = _SPECIAL.get(name)
        if special is not None:
            return special(self, state, *args)
        source = self.sums(state) if name in CUBE_METRICS else self.rows(state)
        return getattr(metrics, name)(source, *args)

    # Top bodies from the body matrix.
    def _slot_indexes(self, state: FilterState) -> list[int]:
        out = []
        for s in self.slots:
            if state.year_from is not None and (s.year is None or s.year < state.year_from):
                continue
            if state.year_to is not None and (s.year is None or s.year > state.year_to):
                continue
            if state.edition != "all" and s.template != state.edition:
                continue
            out.append(s.index)
        return out

    def body_totals(self, state: FilterState) -> pl.LazyFrame:
        """Per body: applications received and report count in the view (bodies without a report dropped)."""
        slots = self._slot_indexes(state)
        if not slots:
            return self.agencies.lazy().head(0).select("agency_code", recv=pl.lit(0, pl.Int64), reports=pl.lit(0, pl.Int64))
        bodies = (
            self.bodies.lazy()
            .filter(self._expr(state, BODY_DIMS))
            .select("agency_code", recv=pl.sum_horizontal(f"r{i}" for i in slots),
                    reports=pl.sum_horizontal(f"n{i}" for i in slots))
            .filter(pl.col("reports") > 0)
        )
        if self.bodies.height == self.agencies.height:
            return bodies  # one row per body: nothing to merge
        return bodies.group_by("agency_code").agg(pl.col("recv").sum(), pl.col("reports").sum())

    def top_bodies(self, state: FilterState, n: int = 20) -> pl.DataFrame:
        """Like :func:`metrics.top_bodies` (same columns and order), from the body matrix.

        Body codes follow the sorted agency keys, so ties break on the code and
        only the ``n`` winners are joined to their names.
        """
        top = (
            self.body_totals(state)
            .top_k(n, by=["recv", "agency_code"], reverse=[False, True])
            .join(self.agencies.lazy(), on="agency_code")
            .sort(["recv", "agency_code"], descending=[True, False])
            .collect()
        )
        return top.select("agency_key", "agency", "level", "province", pl.col("reports").cast(pl.UInt32), "recv")

    def codes_of(self, keys: list[str]) -> pl.Series:
        """The body codes of some agency keys."""
        return self.agencies.filter(pl.col("agency_key").is_in(keys))["agency_code"]

    def reports_of(self, keys: list[str]) -> pl.DataFrame:
        """Every report of some bodies, gathered through the body index (no pass over all reports)."""
        starts = self.agency_starts
        spans = [(starts[c], starts[c + 1]) for c in self.codes_of(keys).to_list()]
        positions = pl.concat([self.agency_order.slice(a, b - a) for a, b in spans]) if spans else self.agency_order.head(0)
        return self.wide[positions]

    def metric_by(
        self, state: FilterState, dims: list[str], code: str, limit: int | None = None,
        agency_keys: tuple[str, ...] | None = None,
    ) -> pl.DataFrame:
        """:func:`metrics.metric_by`; by body, only the bodies asked for (or the largest ones) are read.

        With a ``limit`` the groups are (body, name) pairs ranked by applications;
        a body's total bounds each of its groups, so reading every body whose
        total reaches the ``limit``-th best group is exact.
        """
        if "agency" not in dims and agency_keys is None:
            return metrics.metric_by(self.sums(state), dims, code, limit)
        if agency_keys is not None:
            return metrics.metric_by(self._rows_of(state, list(agency_keys)), dims, code, limit, agency_keys)
        n = limit or 30
        keys = self.top_bodies(state, n)["agency_key"].to_list()
        out = metrics.metric_by(self._rows_of(state, keys), dims, code, limit)
        if limit is not None and out.height >= limit:
            floor = out["recv"].sort(descending=True)[limit - 1]
            more = self.body_totals(state).filter(pl.col("recv") >= floor).join(self.agencies.lazy(), on="agency_code")
            extra = [k for k in more.collect()["agency_key"].to_list() if k not in set(keys)]
            if extra:
                out = metrics.metric_by(self._rows_of(state, keys + extra), dims, code, limit)
        return out

    def _rows_of(self, state: FilterState, keys: list[str]) -> pl.LazyFrame:
        return self.reports_of(keys).lazy().filter(self._expr(state, (*CUBE_DIMS, "search")))

    def peer_comparison(self, state: FilterState, agency_key: str, year: int) -> pl.DataFrame:
        """:func:`metrics.peer_comparison` on the body's peer group only (same year, level, province).

        Peers follow the sidebar's scope, body type, template and synthetic
        filters, but not the name search or the region/level/year filters (the
        body fixes those).
        """
        mine = self.reports_of([agency_key]).filter(pl.col("year") == year)
        span = self.peer_groups.get(mine.select(*PEER_KEYS).row(0)) if mine.height else None
        dims = ("aggregate", "body", "template", "synthetic")
        needed = pl.col("agency_key", *PEER_KEYS, *dims, *metrics.BASE_CELLS)
        group = self.wide.select(needed.gather(self.peer_order.slice(*span) if span else self.peer_order.head(0)))
        return metrics.peer_comparison(group.lazy().filter(self._expr(state, dims)), agency_key, year)

    def volume_distribution(self, state: FilterState, by: str = "level") -> pl.DataFrame:
        """:func:`metrics.volume_distribution`; by level it reads a compact copy sorted by (level, applications).

        A filter keeps row order, so each level's values stay sorted and the
        quantiles' sort finds them in order (linear instead of n log n).
        """
        source = self.volumes if by == "level" else self.wide
        return metrics.volume_distribution(source.lazy().filter(self._expr(state, (*CUBE_DIMS, "search"))), by)


_SPECIAL: dict[str, Callable[..., Any]] = {
    "top_bodies": Prepared.top_bodies,
    "metric_by": Prepared.metric_by,
    "peer_comparison": Prepared.peer_comparison,
    "volume_distribution": Prepared.volume_distribution,
}


def _with_codes(wide: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add integer codes for agency names and bodies, and per-report applications; return the name table.

    A code is the dense rank of the text (no join, no copy of the strings), so
    codes follow the sorted names and keys.
    """
    name, key = pl.col("agency").fill_null(""), pl.col("agency_key").fill_null("")
    codes = wide.select(
        (name.rank("dense") - 1).cast(pl.UInt32).alias("name_code"),
        (key.rank("dense") - 1).cast(pl.UInt32).alias("agency_code"),
        _RECV.alias("recv"),
    )
    template = wide.get_column("year")
    coded = wide.hstack([metrics.like_chunks(c, template) for c in codes.get_columns()])
    names = wide.select(name.unique().sort().alias("agency")).with_row_index("name_code")  # row = dense rank
    return coded, names


def _gram_index(names: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """Every character and character pair of every agency name with the name's code, grouped by n-gram.

    A search text's names must hold each of its pairs, so intersecting a few
    short posting lists replaces a substring scan over every name. Only the
    first :data:`GRAM_CHARS` characters are indexed; longer names are always
    candidates (:attr:`Prepared.long_names`).
    """
    longest = min(int(names["agency"].str.len_chars().max() or 0), GRAM_CHARS)
    parts = [
        names.lazy()
        .select(pl.col("agency").str.slice(i, size).alias("gram"), "name_code")
        .filter(pl.col("gram").str.len_chars() == size)
        for size in (1, 2)
        for i in range(longest - size + 1)
    ]
    empty = pl.LazyFrame(schema={"gram": pl.String, "name_code": pl.UInt32})
    grams = pl.concat(parts or [empty]).unique().sort("gram", "name_code").collect()
    spans = grams.with_row_index("at").group_by("gram").agg(pl.col("at").min(), pl.len())
    return grams, {g: (int(a), int(n)) for g, a, n in spans.iter_rows()}


def _agencies(wide: pl.DataFrame) -> pl.DataFrame:
    """One display row per body: its key and the name, level and province of its latest report."""
    return (
        wide.lazy()
        .select("agency_code", "agency_key", "agency", "level", "province", "year", "report_id")
        .group_by("agency_code")
        .agg(pl.all().sort_by("year", "report_id").last())
        .drop("year", "report_id")
        .sort("agency_code")
        .collect()
    )


def _body_matrix(wide: pl.DataFrame) -> tuple[pl.DataFrame, tuple[Slot, ...]]:
    """Applications and report counts per body variant and (year, template) slot."""
    pairs = wide.select("year", pl.col("template").cast(pl.String)).unique().sort("year", "template", nulls_last=True)
    slots = tuple(Slot(i, y, t) for i, (y, t) in enumerate(pairs.iter_rows()))
    aggs = []
    for s in slots:
        year = pl.col("year").is_null() if s.year is None else pl.col("year") == s.year
        tmpl = pl.col("template").is_null() if s.template is None else pl.col("template") == pl.lit(s.template, wide.schema["template"])
        hit = year & tmpl
        aggs += [pl.col("recv").filter(hit).sum().alias(f"r{s.index}"), hit.sum().cast(pl.Int64).alias(f"n{s.index}")]
    bodies = wide.lazy().group_by(list(BODY_KEYS)).agg(aggs).sort(list(BODY_KEYS[:2])).collect()
    return bodies, slots


def _agency_index(wide: pl.DataFrame, bodies: int) -> tuple[pl.Series, pl.Series]:
    """Report positions ordered by body code, and where each code's run starts (``bodies + 1`` offsets)."""
    order = wide.select(pl.col("agency_code"), pl.int_range(pl.len(), dtype=pl.UInt32).alias("pos")).sort("agency_code", "pos")
    counts = order.group_by("agency_code").len().sort("agency_code")
    full = pl.DataFrame({"agency_code": pl.arange(0, bodies, eager=True, dtype=pl.UInt32)})
    sizes = full.join(counts, on="agency_code", how="left", maintain_order="left")["len"].fill_null(0).cast(pl.Int64)
    starts = pl.concat([pl.Series([0], dtype=pl.Int64), sizes.cum_sum()])
    return order["pos"], starts


def _peer_index(wide: pl.DataFrame) -> tuple[pl.Series, dict[tuple[Any, ...], tuple[int, int]]]:
    """Report positions ordered by the peer keys, and each group's (start, length) in that order."""
    ordered = (
        wide.select(*PEER_KEYS).with_row_index("pos")
        .sort([*PEER_KEYS, "pos"], nulls_last=True)
    )
    groups = (
        ordered.with_row_index("at")
        .group_by(list(PEER_KEYS), maintain_order=True)
        .agg(pl.col("at").first().alias("start"), pl.len().alias("length"))
    )
    spans = {tuple(r[:3]): (int(r[3]), int(r[4])) for r in groups.iter_rows()}
    return ordered["pos"], spans


def prepare(wide: pl.DataFrame, version: int = 0) -> Prepared:
    """Build every per-version structure from the wide frame (:data:`gip_data.frames.WIDE_SCHEMA`)."""
    wide, names = _with_codes(wide)
    wide = metrics.add_year_links(wide, key="agency_code")
    bodies, slots = _body_matrix(wide)
    order, spans = _peer_index(wide)
    volumes = wide.select(*CUBE_DIMS, "name_code", "recv").sort("level", "recv", nulls_last=True)
    agencies = _agencies(wide)
    agency_order, agency_starts = _agency_index(wide, agencies.height)
    grams, gram_spans = _gram_index(names)
    return Prepared(
        version=version, wide=wide, cube=metrics.build_cube(wide), names=names, grams=grams, gram_spans=gram_spans,
        long_names=names.filter(pl.col("agency").str.len_chars() > GRAM_CHARS)["name_code"],
        agencies=agencies,
        bodies=bodies, slots=slots, peer_order=order, peer_groups=spans, agency_order=agency_order,
        agency_starts=agency_starts, volumes=volumes, synthetic_only=only_synthetic(wide),
    )


__all__ = ["CUBE_METRICS", "Prepared", "prepare"]
