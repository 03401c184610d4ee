"""Give each table-3 row its value tokens, and find table 4's values.

Usually a row's values follow its label up to the next label. When they do not
(a PDF number line printed before its label, a row whose numbers landed after
the next label, stray numbers, a converter's value rows separated from their
labels or carrying none), a small dynamic programme chooses contiguous chunks of
value tokens, one per template row in order, each lying between the labels of
the matched rows before and after it, at the least cost: a full row of cells is
free, a digit run or a lost cell costs a little, values taken from before their
label cost a little, a row whose label was not found may take the values that
stand in its place (they belong to it by position) at a small cost, a skipped
value costs more. Widths come from the template.

Value rows without labels belong to rows by position, and only when the
position decides: where several rows in a row have no label (the three
（六） sub-rows of a converter that pushed their labels out of the table) and
fewer value rows stand in their place than they have, which row printed which
is unknown, so those rows are :attr:`Assignment.ambiguous` (null with a
warning), never a guess. What the assignment leaves over
(:attr:`Assignment.skipped`) and costs says how well a layout's rows explain
the printed value rows, so the extractor can hold a layout against the values
(:func:`gip_data.extract.tables.extract_tables`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from gip_data.extract.labels import RowMatch
from gip_data.extract.normalize import label_core
from gip_data.extract.tokens import Token
from gip_data.schema.template import APPLICATION_WIDTH, CASE_BLOCK_LABELS, CASE_WIDTH, OUTCOME_LABELS, Row

WIDTH = APPLICATION_WIDTH
MAX_CHUNK = 16
CASE_SCAN = 600
MAX_DYNAMIC_VALUES = 1000  # beyond this the stream is not a table; keep the simple reading
SKIP_COST = 3.0
BEFORE_LABEL_COST = 0.5
EMPTY_ROW_COST = 20.0
POSITIONAL_COST = 1.0  # values given to a row whose label was not found, by their place
OTHER_LINE_COST = 1.5  # a value printed on another row's label line belongs to that row
SPLIT_RUN_COST = 10.0  # values printed side by side on one line are one row's cells
# Words of table 4's header, longest first; a label made only of these (and at
# most two other characters) is header text, however the PDF scrambled it.
CASE_HEADER_VOCABULARY: tuple[str, ...] = tuple(
    sorted(
        {label_core(t) for t in (*OUTCOME_LABELS.values(), *CASE_BLOCK_LABELS.values())}
        | {"行政复议", "行政诉讼", "直接起诉", "未经复议", "结果", "维持", "纠正", "其他", "尚未", "审结"}
        | {
            "总计",
            "复议",
            "诉讼",
            "结",
            "果",
            "维",
            "持",
            "纠",
            "正",
            "其",
            "他",
            "尚",
            "未",
            "审",
            "总",
            "计",
        },
        key=len,
        reverse=True,
    )
)


@dataclass(slots=True)
class RowChunk:
    """The value tokens given to one table-3 row (by token index)."""

    key: str
    positions: list[int]


@dataclass(slots=True)
class Assignment:
    """The value tokens of every row, how well they fit the layout, and the rows position cannot decide."""

    chunks: list[RowChunk]
    cost: float = 0.0  # 0 when every row's values follow its own label
    ambiguous: list[str] = field(default_factory=list)
    skipped: int = 0  # cells the value tokens no row took could make (a whole row: the layout lacks one)


def table_end(tokens: list[Token], matches: list[RowMatch]) -> int:
    """Index just past table 3: the first foreign label after the last row's label."""
    last = matches[-1]
    last_core = label_core(last.text)
    seen_value = False
    for position in range(last.position + 1, len(tokens)):
        token = tokens[position]
        if token.is_value:
            seen_value = True
        elif len(token.core) >= 2 and token.core not in last_core and (seen_value or len(token.core) >= 4):
            return position
    return len(tokens)


def assign_values(
    tokens: list[Token], matches: list[RowMatch], end: int, rows: tuple[Row, ...] = ()
) -> Assignment:
    """Value tokens per row (module docstring); ``rows`` is the aligned layout, for unmatched rows."""
    values = [i for i in range(_first_value(tokens, matches[0].position), end) if tokens[i].is_value]
    labels = [m.position for m in matches] + [end]
    simple = [values[bisect_right(values, labels[r]) : bisect_left(values, labels[r + 1])] for r in range(len(matches))]
    simple = [chunk or _blank_cells(tokens, labels[r], labels[r + 1]) for r, chunk in enumerate(simple)]
    too_many = len(values) > MAX_DYNAMIC_VALUES
    if too_many or all(_plausible([tokens[v] for v in chunk]) for chunk in simple):
        return Assignment([RowChunk(m.key, chunk) for m, chunk in zip(matches, simple, strict=True)])
    slots = _slots(matches, rows, end)
    chunks, cost = _dynamic(tokens, slots, values)
    ambiguous = _ambiguous(slots, chunks)
    taken = {p for c in chunks for p in c.positions}
    skipped = _digit_capacity([tokens[v] for v in values if v not in taken])
    kept = [
        RowChunk(c.key, []) if c.key in ambiguous else c
        for c in chunks
        if c.positions or c.key in _matched(matches) or c.key in ambiguous
    ]
    return Assignment(kept, cost, ambiguous, skipped)


def _ambiguous(slots: list[_Slot], chunks: list[RowChunk]) -> list[str]:
    """Rows without labels, side by side, that fewer value rows stand in for: position cannot place them."""
    filled = {c.key for c in chunks if c.positions}
    out: list[str] = []
    run: list[str] = []
    for slot in [*slots, None]:
        if slot is not None and slot.label is None:
            run.append(slot.key)
            continue
        if 0 < sum(k in filled for k in run) < len(run):
            out += run
        run = []
    return out


def _matched(matches: list[RowMatch]) -> set[str]:
    return {m.key for m in matches}


@dataclass(slots=True)
class _Slot:
    """A template row between the first and last matched ones: its label (if found) and its window."""

    key: str
    label: int | None
    low: int
    high: int


def _slots(matches: list[RowMatch], rows: tuple[Row, ...], end: int) -> list[_Slot]:
    """Every row from the first matched to the last, with the labels that bound its values."""
    keys = [r.key for r in rows] or [m.key for m in matches]
    found = {m.key: m.position for m in matches}
    first, last = keys.index(matches[0].key), keys.index(matches[-1].key)
    span = keys[first : last + 1]
    slots: list[_Slot] = []
    for index, key in enumerate(span):
        before = [found[k] for k in span[:index] if k in found]
        after = [found[k] for k in span[index + 1 :] if k in found]
        slots.append(_Slot(key, found.get(key), before[-1] if before else -1, after[0] if after else end))
    return slots


def _first_value(tokens: list[Token], first_label: int) -> int:
    """Where table 3's values may start: a number line printed right before the first label counts."""
    start = first_label
    while start > 0 and tokens[start - 1].kind == "number" and first_label - start < WIDTH:
        start -= 1
    return start


def _blank_cells(tokens: list[Token], label: int, end: int) -> list[int]:
    """The 7 blank grid cells on a label's own row (a row printed all blank)."""
    line = tokens[label].line
    blanks = [i for i in range(label + 1, end) if tokens[i].kind == "blank" and tokens[i].line == line]
    return blanks[-WIDTH:] if len(blanks) >= WIDTH else []


def _plausible(chunk: list[Token]) -> bool:
    return 0 < len(chunk) <= WIDTH and (len(chunk) >= WIDTH - 2 or _digit_capacity(chunk) >= WIDTH)


def _digit_capacity(chunk: list[Token]) -> int:
    """How many cells the chunk could make if its digit runs were cut (a row with blanks is not run together)."""
    if not chunk:
        return 0
    if any(t.kind != "number" for t in chunk):
        return len(chunk)
    return sum(len(t.digits) if t.digits else 1 for t in chunk)


def _shape_cost(chunk: list[Token]) -> float:
    """How unlike one printed row a chunk is: 0 for a full row, more for lost cells, most for none."""
    return _shape(len(chunk), _digit_capacity(chunk)) if chunk else EMPTY_ROW_COST


def _split_run(tokens: list[Token], values: list[int], at: int) -> bool:
    """True when a chunk boundary before values[at] cuts a run of values printed side by side."""
    if at <= 0 or at >= len(values):
        return False
    before, after = values[at - 1], values[at]
    return after == before + 1 and tokens[before].line == tokens[after].line


def _dynamic(tokens: list[Token], slots: list[_Slot], values: list[int]) -> tuple[list[RowChunk], float]:
    """Every slot's chunk (empty ones included) at the least total cost, and that cost."""
    rows, count = len(slots), len(values)
    label_lines = {tokens[s.label].line: s.key for s in slots if s.label is not None}
    lines = [label_lines.get(tokens[v].line) for v in values]  # whose label line each value stands on
    cut = [_split_run(tokens, values, n) for n in range(count + 1)]
    inf = float("inf")
    cost = [[inf] * (count + 1) for _ in range(rows + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (count + 1) for _ in range(rows + 1)]
    cost[0][0] = 0.0
    for r in range(rows + 1):
        for j in range(count + 1):
            here = cost[r][j]
            if here == inf:
                continue
            if j < count and here + SKIP_COST < cost[r][j + 1]:
                cost[r][j + 1], back[r][j + 1] = here + SKIP_COST, (r, j)
            if r < rows:
                _extend(tokens, values, (lines, cut), slots[r], r, j, here, cost, back)
    chunks: list[RowChunk] = []
    r, j = rows, count
    while r > 0 or j > 0:
        step = back[r][j]
        assert step is not None
        if step[0] == r - 1:
            chunks.append(RowChunk(slots[r - 1].key, values[step[1] : j]))
        r, j = step
    return list(reversed(chunks)), cost[rows][count]


def _extend(
    tokens: list[Token],
    values: list[int],
    where: tuple[list[str | None], list[bool]],
    slot: _Slot,
    r: int,
    j: int,
    here: float,
    cost: list[list[float]],
    back: list[list[tuple[int, int] | None]],
) -> None:
    """Try giving row ``r`` the chunk values[j:k] for every admissible k (costs kept running)."""
    lines, cut = where
    empty = 0.0 if slot.label is None else EMPTY_ROW_COST
    if here + empty < cost[r + 1][j]:
        cost[r + 1][j], back[r + 1][j] = here + empty, (r, j)
    if j < len(values) and values[j] <= slot.low:
        return
    digits = early = elsewhere = 0
    blank = False
    for k in range(j + 1, min(len(values), j + MAX_CHUNK) + 1):
        value = values[k - 1]
        if not slot.low < value < slot.high:
            break
        token = tokens[value]
        count = k - j
        digits += len(token.digits) if token.digits else 1
        blank = blank or token.kind != "number"
        early += slot.label is not None and value < slot.label
        elsewhere += lines[k - 1] is not None and lines[k - 1] != slot.key
        total = here + _shape(count, count if blank else digits) + BEFORE_LABEL_COST * early
        total += OTHER_LINE_COST * elsewhere + SPLIT_RUN_COST * (cut[j] + cut[k])
        if slot.label is None:
            total += POSITIONAL_COST
        if total < cost[r + 1][k]:
            cost[r + 1][k], back[r + 1][k] = total, (r, j)


def _shape(count: int, capacity: int) -> float:
    """:func:`_shape_cost` from a chunk's size and the cells its digit runs could make."""
    if count == WIDTH:
        return 0.0
    if count > WIDTH:
        return float("inf")
    if capacity >= WIDTH:
        return 1.0
    return 2.0 * (WIDTH - capacity) if capacity >= WIDTH - 3 else 15.0


def find_case_values(tokens: list[Token], start: int) -> tuple[int, list[int]] | None:
    """Table 4 after ``start``: (anchor position, value token positions) or None.

    The anchor is the first table-4 header word (行政复议, 结果维持 …); values are
    the numbers after the header, up to the next label that is not a header word.
    """
    anchor = next(
        (i for i in range(start, len(tokens)) if tokens[i].kind == "label" and _is_case_anchor(tokens[i].core)),
        None,
    )
    if anchor is None:
        return None
    positions: list[int] = []
    ready = False  # inside the header, so numbers are the table's
    for i in range(anchor, min(len(tokens), anchor + CASE_SCAN)):
        token = tokens[i]
        if token.is_value:
            if ready:
                positions.append(i)
                if len(positions) >= CASE_WIDTH and (i + 1 == len(tokens) or not tokens[i + 1].is_value):
                    break
            continue
        if positions and len(token.core) >= 2:
            break
        if i == anchor or _is_case_header(token.core):
            ready = True
        elif len(token.core) >= 4:
            ready = False  # prose between the heading and the table
    return (anchor, positions) if positions else None


@lru_cache(maxsize=4096)
def _is_case_header(core: str) -> bool:
    """True for table-4 header text (any order, any wrapping)."""
    rest = core
    for word in CASE_HEADER_VOCABULARY:
        rest = rest.replace(word, "")
    return bool(core) and len(rest) <= 2 and len(rest) < len(core)


def _is_case_anchor(core: str) -> bool:
    return _is_case_header(core) or "行政复议" in core or "行政诉讼" in core
