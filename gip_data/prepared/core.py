"""The :class:`Prepared` data of one data version and the filtered sources views read from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from gip_data import metrics
from gip_data.filters import FILTER_DIMS, FilterState, filter_expr
from gip_data.prepared.names import Dictionary, NameIndex
from gip_data.quality.derive import QUALITY_CELLS
from gip_data.quality.tables import QualityTables

MEMO_ENTRIES = 64
# A search whose rows to sum are at most this share of the reports reads only those rows (gathered once).
FEW_ROWS = 0.1
# The columns filter_expr reads (the search through the name code).
FILTER_COLUMNS: tuple[str, ...] = ("aggregate", "year", "level", "body", "province", "city", "template", "synthetic")
# The filter dimensions that are columns of the cube (the name search is not: it selects reports).
CUBE_FILTER_DIMS: tuple[str, ...] = tuple(d for d in FILTER_DIMS if d != "search")
# The filter dimensions of the applications histogram.
HIST_DIMS: tuple[str, ...] = CUBE_FILTER_DIMS
BODY_KEYS: tuple[str, ...] = ("agency_code", "name_code", "level", "body", "province", "city", "aggregate", "synthetic")
BODY_DIMS: tuple[str, ...] = ("aggregate", "level", "body", "province", "city", "search", "synthetic")
# A report's cube row is its combination of these.
CELL_DIMS: tuple[str, ...] = metrics.CUBE_DIMENSIONS
# Columns the prepared frame adds to the reports (see gip_data.prepared.build).
DERIVED: tuple[str, ...] = ("name_code", "agency_code", "recv", "has_prev", "has_next", "live", "cell")
# Per-report columns that depend on the body's other reports (rewritten for the bodies an update touches):
# the year links, the cube row, the 质量 indicators (gip_data.quality.derive: continuity and copy checks).
LINKED: tuple[str, ...] = ("has_prev", "has_next", "cell", *QUALITY_CELLS)
# The body matrix's sums per slot i: column f"{kind}{i}" for each kind (see build.body_matrix).
SLOT_KINDS: tuple[str, ...] = ("r", "n", "p", "f", "o", "c")
# What views read of a few bodies' reports: the filter columns, the body and report, the cells of the bases.
ROW_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys((
    "report_id", "agency_key", "agency", "agency_code", "name_code", "live", "recv", *FILTER_COLUMNS, *metrics.BASE_CELLS)))


@dataclass(frozen=True, slots=True)
class Slot:
    """One (year, template) slot of the body matrix: ``r<i>`` applications, ``n<i>`` reports, ``p<i>`` / ``f<i>``
    passed / failed quality checks, ``o<i>`` / ``c<i>`` applications opened / closed."""

    index: int
    year: int | None
    template: str | None

    def kept_by(self, state: FilterState) -> bool:
        """Whether the state's year range and edition keep this slot."""
        if state.year_from is not None and (self.year is None or self.year < state.year_from):
            return False
        if state.year_to is not None and (self.year is None or self.year > state.year_to):
            return False
        return state.edition == "all" or self.template == state.edition


FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def per_body(variants: FrameT, by: Sequence[str], aggs: Sequence[pl.Expr]) -> FrameT:
    """One row per body (``by``) from body-matrix variants, without ``shared``.

    A body with one variant is that row as it is; only the few with several
    (``shared``) are grouped, with ``aggs`` (one per column after ``by``, in order).
    """
    merged = variants.filter(pl.col("shared")).group_by(by).agg(*aggs)
    return pl.concat([variants.filter(~pl.col("shared")).drop("shared"), merged], how="vertical_relaxed")


def flag_id_order(wide: pl.DataFrame) -> pl.DataFrame:
    """``wide`` with ``report_id`` flagged sorted when it is (the flag is metadata: no column is copied).

    Rows are loaded in id order and updates append newer ids, so it nearly
    always is; with the flag, a list of reports by id reads its first rows
    instead of sorting (or taking the top k of) a million ids on each view.
    """
    ids = wide.get_column("report_id")
    return wide.with_columns(ids.set_sorted()) if ids.is_sorted() else wide


def slot_total(kind: str, slots: Sequence[Slot]) -> pl.Expr:
    """A body variant's sum of one measure (a :data:`SLOT_KINDS` letter) over some slots; 0 over none."""
    if not slots:
        return pl.lit(0, pl.Int64)
    return pl.sum_horizontal(pl.col(f"{kind}{s.index}") for s in slots)


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """Everything the views need at one data version (immutable; shared by every session).

    - ``wide``: every report ever loaded in this process, in load order, with
      the :data:`DERIVED` columns; rows replaced or deleted since are kept but
      not ``live`` (an update never copies the million-row frame);
    - ``cube``: the :data:`gip_data.metrics.CUBE_CELLS` summed per combination
      of :data:`gip_data.metrics.CUBE_DIMENSIONS`, with report counts;
    - ``hist``: report counts per filter combination and applications received
      (``recv``) — exact quantiles without reading the reports;
    - ``names`` / ``keys``: codes of agency names (with the search index) and of body keys;
    - ``bodies``: per body variant, per (year, template) slot: applications,
      reports, passed and failed quality checks, applications opened and closed;
    - ``quality``: what the 质量 views read that depends on other reports
      (anomalies, aggregate gaps; :mod:`gip_data.quality.tables`). The
      per-report quality indicators are columns of ``wide`` and cells of the cube.
    """

    version: int
    wide: pl.DataFrame
    dead: int  # rows of ``wide`` no longer live
    tail_from: int  # rows from here on were appended by updates (the rows before come from the first load)
    cube: pl.DataFrame
    hist: pl.DataFrame
    names: NameIndex
    keys: Dictionary
    bodies: pl.DataFrame
    slots: tuple[Slot, ...]
    quality: QualityTables
    memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # Built by warm() (or on first use), kept for this frame; memo is cleared more often (per view in tests, benches).
    _by_column: dict[str, tuple[pl.Series, pl.Series]] = field(default_factory=dict)
    _body_totals: list[pl.DataFrame] = field(default_factory=list)  # one frame once built

    @property
    def report_count(self) -> int:
        """How many current reports there are (synthetic ones included)."""
        return int(self.cube["reports"].sum()) if self.cube.height else 0

    @property
    def synthetic_only(self) -> bool:
        """True when there are reports and every one is synthetic."""
        return self.cube.height > 0 and bool(self.cube["synthetic"].all())

    def include_synthetic(self, state: FilterState) -> bool:
        """Synthetic reports are shown when asked for, or when nothing else exists (a demo is never blank)."""
        return state.synthetic or self.synthetic_only

    def remember(self, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A small per-version memo for what several views of one filter state share (bounded, thread-tolerant)."""
        found = self.memo.get(key)
        if found is None:
            found = build()
            self.keep(key, found)
        return found

    def keep(self, key: tuple[Any, ...], value: Any) -> None:
        """Put ``value`` in the memo, first dropping the older half when it is full."""
        if key not in self.memo and len(self.memo) >= MEMO_ENTRIES:
            for old in list(self.memo)[: MEMO_ENTRIES // 2]:  # list() copies atomically; sessions share the memo
                self.memo.pop(old, None)
        self.memo[key] = value

    def name_codes(self, search: str) -> pl.Series:
        """Codes of the agency names containing ``search`` (remembered per search text)."""
        codes: pl.Series = self.remember(("names", search), lambda: self.names.codes(search))
        return codes

    def predicate(self, state: FilterState, dims: tuple[str, ...] = FILTER_DIMS) -> pl.Expr:
        """The filter of ``state`` over ``dims`` on a frame with those columns (a search as name codes)."""
        codes = self.name_codes(state.search) if state.search and "search" in dims else None
        return filter_expr(state, include_synthetic=self.include_synthetic(state), name_codes=codes, dims=dims)

    def live_rows(self) -> pl.LazyFrame:
        """Every current report (rows replaced or deleted since the frame was loaded left out)."""
        lf = self.wide.lazy()
        return lf.filter(pl.col("live")) if self.dead else lf

    def rows(self, state: FilterState, dims: tuple[str, ...] = FILTER_DIMS) -> pl.LazyFrame:
        """The filtered reports (lazy: a view reads only its columns)."""
        return self.live_rows().filter(self.predicate(state, dims))

    def sums(
        self, state: FilterState, dims: tuple[str, ...] = FILTER_DIMS, cells: tuple[str, ...] | None = None
    ) -> pl.LazyFrame:
        """What additive views read: the cube rows of the view, with (at least) the sums of ``cells``.

        A name search selects reports, not cube rows: the matching reports are
        summed into a cube of their own (see :meth:`searched`), shared by every
        view of any filter state with that text.
        """
        search = state.search if "search" in dims else ""
        key = ("sums", state.model_dump_json(), dims, cells)

        def view() -> pl.DataFrame:
            cube = self.searched(search, cells) if search else self.cube
            return cube.filter(self.predicate(state, tuple(d for d in dims if d != "search")))

        found: pl.DataFrame = self.remember(key, view)
        return found.lazy()

    def histogram(self, state: FilterState) -> pl.LazyFrame:
        """Report counts per filter combination and applications received, for a view without a name search."""
        return self.hist.lazy().filter(self.predicate(state, HIST_DIMS))

    def searched(self, search: str, cells: tuple[str, ...] | None = None) -> pl.DataFrame:
        """The cube of the reports whose agency name contains ``search``, with (at least) the sums of ``cells``.

        One pass over the name codes selects the reports; only the cells asked
        for are summed, grouped by the reports' cube row (a single integer
        key). The cube is remembered per text and grows by the cells later
        views ask for. When most reports match, the others are summed and
        taken off the cube.
        """
        key = ("search", search)
        have: pl.DataFrame | None = self.memo.get(key)
        wanted = metrics.CUBE_CELLS if cells is None else cells
        missing = tuple(c for c in wanted if c not in metrics.COUNTS and (have is None or c not in have.columns))
        if have is not None and not missing:
            return have
        part = self._search_cube(search, missing, counts=have is None)
        grown = part if have is None else have.join(part, on="cell", how="left", maintain_order="left")
        self.keep(key, grown)
        return grown

    def _search_rows(self, search: str) -> tuple[pl.Expr, bool, pl.Series | None]:
        """The rows to sum for a search, once per text: the matches or, when most reports match, the others.

        Returns their filter, whether they are the others (the complement),
        and, when they are few, their positions (then only they are read).
        """
        def find() -> tuple[pl.Expr, bool, pl.Series | None]:
            hit = pl.col("name_code").is_in(self.name_codes(search).implode()).fill_null(False)
            matched = int(self.wide.select((hit & pl.col("live")).sum()).item())
            most = matched > self.report_count / 2
            rows = (~hit if most else hit) & pl.col("live")
            count = self.report_count - matched if most else matched
            few = count <= FEW_ROWS * max(self.report_count, 1)
            return rows, most, self.wide.select(rows.arg_true()).to_series() if few else None

        found: tuple[pl.Expr, bool, pl.Series | None] = self.remember(("rows", search), find)
        return found

    def _search_frame(self, search: str, columns: tuple[str, ...]) -> pl.LazyFrame:
        """The columns of the rows a search sums: gathered once per text and column when they are few."""
        rows, _, positions = self._search_rows(search)
        if positions is None:
            return self.wide.lazy().filter(rows).select(columns)
        key = ("gathered", search)
        known: pl.DataFrame | None = self.memo.get(key)
        have = known if known is not None else pl.DataFrame({"__row": pl.int_range(positions.len(), eager=True)})
        missing = [c for c in columns if c not in have.columns]
        if missing:
            have = have.hstack([self.wide.get_column(c).gather(positions) for c in missing])
            self.keep(key, have)
        return have.lazy().select(columns)

    def _search_cube(self, search: str, cells: tuple[str, ...], *, counts: bool) -> pl.DataFrame:
        """The search's cube rows (``cell``) with the sums of ``cells`` and, if ``counts``, the report counts."""
        _, complement, _ = self._search_rows(search)
        read = tuple(dict.fromkeys(("cell", *cells, *(metrics.COUNTS[1:] if counts else ()))))
        sums = self._search_frame(search, read).group_by("cell").agg(
            pl.len().alias("__reports"), *metrics.cube_measures(cells, counts=False),
            *(metrics.cube_measures((), counts=True) if counts else ())).collect()
        if complement:  # what the search matches: the cube less what it does not
            values = [c for c in sums.columns if c not in ("cell", "__reports")]
            base = self.cube.select("cell", pl.col("reports").alias("__all"), *values)
            sums = base.join(sums, on="cell", how="left", suffix="__out").select(
                "cell", (pl.col("__all") - pl.col("__reports").fill_null(0)).alias("__reports"),
                *(pl.col(c) - pl.col(f"{c}__out").fill_null(0) for c in values))
        found = sums.filter(pl.col("__reports") > 0).drop("__reports")
        dims = self.cube.select("cell", *CELL_DIMS)
        return dims.join(found, on="cell") if counts else found

    def codes_of(self, keys: list[str]) -> pl.Series:
        """The body codes of some agency keys (unknown keys left out)."""
        return self.keys.known(pl.Series(keys, dtype=pl.String)).get_column("code")

    def reports_of(self, keys: list[str]) -> pl.LazyFrame:
        """Every current report of some bodies, by agency key (see :meth:`reports_of_codes`)."""
        return self.reports_of_codes(self.codes_of(keys))

    def reports_of_codes(self, codes: pl.Series) -> pl.LazyFrame:
        """Every current report of some bodies (:data:`ROW_COLUMNS`): their rows found in an index, then only read.

        Only the columns views read of them are gathered: the frame's other
        columns may not even be paged in.
        """
        # wide[rows, columns] takes the columns directly: a select of ~60 columns first costs a query plan (~1 ms)
        rows = self.wide[self.positions_of("agency_code", codes), list(ROW_COLUMNS)]
        return rows.filter(pl.col("live")).lazy()

    def positions_of(self, column: str, values: pl.Series) -> pl.Series:
        """The rows of ``wide`` (in load order, live or not) whose integer ``column`` holds one of ``values``.

        The rows are ordered by the column once per frame, so each value's rows
        are one slice, found by binary search instead of a membership test over
        every row.
        """
        order, ordered = self._ordered_by(column)
        wanted = values.cast(ordered.dtype).unique().drop_nulls().sort()
        ranges = pl.DataFrame({"start": ordered.search_sorted(wanted, side="left"),
                               "end": ordered.search_sorted(wanted, side="right")})
        return order.gather(ranges.select(pl.int_ranges("start", "end")).to_series().explode().drop_nulls()).sort()

    def warm(self) -> Prepared:
        """Build the per-frame structures views read now (body totals, rows ordered by body and by cube cell),
        as part of preparing the data, so the first visitor after a change does not wait for them."""
        self._all_slot_totals()
        for column in ("agency_code", "cell"):
            self._ordered_by(column)
        return self

    def body_sums(self, state: FilterState) -> tuple[pl.DataFrame, Callable[[str], pl.Expr]]:
        """The body matrix for ``state`` and how to read a measure (a :data:`SLOT_KINDS` letter) summed over the
        slots the state keeps: a column of per-frame totals when it keeps every slot, else a sum per call."""
        slots = [s for s in self.slots if s.kept_by(state)]
        if len(slots) == len(self.slots):
            return self._all_slot_totals(), pl.col
        return self.bodies, lambda kind: slot_total(kind, slots)

    def _all_slot_totals(self) -> pl.DataFrame:
        """The body matrix with each measure summed over every slot (column named by its kind) instead of the slots.

        Summed once per frame (the matrix only changes with a new :class:`Prepared`), by :meth:`warm`.
        """
        if not self._body_totals:
            slot_columns = {f"{kind}{slot.index}" for kind in SLOT_KINDS for slot in self.slots}
            kept = [c for c in self.bodies.columns if c not in slot_columns]
            self._body_totals.append(
                self.bodies.select(*kept, *(slot_total(kind, self.slots).alias(kind) for kind in SLOT_KINDS)))
        return self._body_totals[0]

    def _ordered_by(self, column: str) -> tuple[pl.Series, pl.Series]:
        """The positions of the rows with a value in ``column``, ordered by it, and their values in that order."""
        if column not in self._by_column:
            values = self.wide.get_column(column)
            order = values.arg_sort(nulls_last=True).head(values.len() - values.null_count())  # null: never asked for
            self._by_column[column] = (order, values.gather(order))
        return self._by_column[column]

