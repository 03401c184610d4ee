"""What a dashboard view is: a function, where its numbers may come from, and the columns it returns.

A :class:`ViewSpec` is declared once (:mod:`gip_data.views.catalog`) and is the
only way pages ask for data (``view.get(views.KPI_TABLE)``):

- ``fn`` is the definition: a pure Polars function over the filtered reports
  (one row per report). It is also the reference every faster path must match.
- ``source`` says what ``fn`` may read. :attr:`Source.CUBE` declares it
  *additive*: it only sums report measures per group (ratios of sums, counts),
  so it gives the same result on the prepared cube — sums per combination of
  the filter dimensions — as on the reports, and is computed from the cube.
  :attr:`Source.ROWS` declares that it needs the reports themselves (medians,
  quartiles, distinct bodies, one body's rows, a ranked list); it runs on the
  filtered reports, or on an exact index of them when the view names a
  ``fast`` path.
- ``cells`` (additive views) names the cube cells the view sums, as a
  function of its arguments (default: all). A name search's cube sums only
  the cells its views ask for; a view reading a cell it does not declare
  fails its test (the cube it gets under a search lacks the column).
- ``filters`` names the filter dimensions the view honours (default: all);
  the others are reset before anything is read (a body's peers ignore the
  sidebar's region, for instance), so every path sees the same state.
- ``columns`` is the result schema (names in order, dtypes), checked on every
  result, so the cube path, the fast path and the reference cannot drift apart.

``tests/test_views.py`` runs every registered view through its prepared path
and through ``fn`` on the raw filtered reports and requires equal frames: a view
declared additive that is not (a median over cube rows, a count of rows instead
of reports) fails there. ``examples`` are the argument tuples it tests (or
functions of the prepared data and state giving one, for arguments such as a
body key that depend on the data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec

import polars as pl

if TYPE_CHECKING:
    from gip_data.prepared import Prepared

from gip_data.filters import FILTER_DIMS, FilterState

P = ParamSpec("P")
Schema = Mapping[str, pl.DataType]
Example = tuple[Any, ...] | Callable[["Prepared", FilterState], tuple[Any, ...]]


class Source(Enum):
    """Where a view's numbers come from."""

    CUBE = "cube"  # additive: sums of report measures per group, read from the prepared cube
    ROWS = "rows"  # needs the reports: read from the filtered rows or an exact index of them


class ViewSchemaError(TypeError):
    """A view returned other columns than it declares (a programming error, caught by the tests)."""


@dataclass(frozen=True, slots=True, eq=False)
class ViewSpec(Generic[P]):
    """One dashboard view, declared once; call it through :meth:`compute` (or ``View.get`` in the app)."""

    name: str
    fn: Callable[Concatenate[pl.LazyFrame, P], pl.DataFrame]
    source: Source
    columns: Callable[P, Schema]
    fast: Callable[Concatenate[Prepared, FilterState, P], pl.DataFrame] | None = None
    filters: tuple[str, ...] = FILTER_DIMS
    examples: tuple[Example, ...] = ((),)
    doc: str = ""
    cells: Callable[P, tuple[str, ...]] | None = None

    def state(self, state: FilterState) -> FilterState:
        """The filter state as this view sees it (filters of dimensions it ignores at their default)."""
        return state.only(self.filters)

    def compute(self, data: Prepared, state: FilterState, *args: P.args, **kwargs: P.kwargs) -> pl.DataFrame:
        """The view for a filter state, through the cheapest exact structure of ``data``."""
        state = self.state(state)
        if self.fast is not None:
            out = self.fast(data, state, *args, **kwargs)
        elif self.source is Source.CUBE:
            cells = self.cells(*args, **kwargs) if self.cells is not None else None
            out = self.fn(data.sums(state, cells=cells), *args, **kwargs)
        else:
            out = self.fn(data.rows(state), *args, **kwargs)
        return self.conform(out, self.columns(*args, **kwargs))

    def reference(self, rows: pl.LazyFrame, *args: P.args, **kwargs: P.kwargs) -> pl.DataFrame:
        """The view by its definition, on already filtered reports (what every faster path must equal)."""
        return self.conform(self.fn(rows, *args, **kwargs), self.columns(*args, **kwargs))

    def conform(self, out: pl.DataFrame, schema: Schema) -> pl.DataFrame:
        """``out`` with exactly the declared columns and dtypes; a different set of columns is an error."""
        if list(out.columns) != list(schema):
            raise ViewSchemaError(f"view {self.name}: columns {out.columns} differ from the declared {list(schema)}")
        if all(out.schema[name] == dtype for name, dtype in schema.items()):
            return out
        return out.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


REGISTRY: dict[str, ViewSpec[Any]] = {}


def declare(
    name: str,
    fn: Callable[Concatenate[pl.LazyFrame, P], pl.DataFrame],
    source: Source,
    columns: Callable[P, Schema] | Schema,
    *,
    fast: Callable[Concatenate[Prepared, FilterState, P], pl.DataFrame] | None = None,
    filters: tuple[str, ...] = FILTER_DIMS,
    examples: tuple[Example, ...] = ((),),
    cells: Callable[P, tuple[str, ...]] | tuple[str, ...] | None = None,
) -> ViewSpec[P]:
    """Declare a view and register it (names are unique; the tests and the benchmark walk the registry)."""
    if name in REGISTRY:
        raise ValueError(f"view {name!r} is declared twice")
    unknown = set(filters) - set(FILTER_DIMS)
    if unknown:
        raise ValueError(f"view {name!r}: unknown filter dimensions {sorted(unknown)}")
    schema_of: Callable[P, Schema] = columns if callable(columns) else _fixed(columns)
    doc = (fn.__doc__ or "").strip().split("\n", 1)[0]
    cells_of: Callable[P, tuple[str, ...]] | None = (
        cells if callable(cells) or cells is None else _fixed_cells(cells))
    spec = ViewSpec(name, fn, source, schema_of, fast, filters, examples, doc, cells_of)
    REGISTRY[name] = spec
    return spec


def _fixed_cells(cells: tuple[str, ...]) -> Callable[..., tuple[str, ...]]:
    return lambda *_args, **_kwargs: cells


def _fixed(schema: Schema) -> Callable[..., Schema]:
    frozen = dict(schema)
    return lambda *_args, **_kwargs: frozen
