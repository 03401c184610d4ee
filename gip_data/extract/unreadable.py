"""Unreadable cells the rules do not settle: null and a warning, never an assumed zero.

A blank printed cell that no rule fixes is taken as 0 and listed in
``assumed_zero`` (blank usually means none). A cell whose digits were printed
but could not be read (OCR: an unsure digit, the token text holds U+FFFD, see
:attr:`gip_data.extract.tokens.Token.unreadable`) is different: 0 would be a
guess. When the rules fill it, the decoder has already done so (a repair);
when they do not, its row (table 3) or its block (table 4) is set to None with
a warning, and its repairs and assumptions are dropped with it.
"""

from __future__ import annotations

from collections.abc import Callable

from gip_data.extract.decode import DecodedRows
from gip_data.extract.tokens import Token


def unsettled(decoded: DecodedRows, printed: dict[str, list[Token]], width: int) -> set[tuple[str, int]]:
    """(row, cell) of every unreadable cell the decoder could only assume to be 0.

    A row printed with exactly ``width`` cells maps tokens to cells one to one;
    in a row that lost cells any unreadable token taints each assumed cell.
    """
    found: set[tuple[str, int]] = set()
    for row, index in decoded.assumed_zero:
        tokens = printed.get(row) or []
        if tokens[index].unreadable if len(tokens) == width else any(t.unreadable for t in tokens):
            found.add((row, index))
    return found


def drop_cells(
    decoded: DecodedRows, cells: set[tuple[str, int]], group: int, describe: Callable[[str, int], str]
) -> set[tuple[str, int]]:
    """Forget the repairs and assumptions of every group of ``group`` cells holding one of ``cells``.

    Returns the (row, group index) pairs to be nulled, each with a warning
    naming it (``describe(row, group index)``).
    """
    groups = {(row, index // group) for row, index in cells}
    decoded.repairs = [r for r in decoded.repairs if (r[0], r[1] // group) not in groups]
    decoded.assumed_zero = [a for a in decoded.assumed_zero if (a[0], a[1] // group) not in groups]
    for row, block in sorted(groups):
        decoded.warnings.append(f"{describe(row, block)}：有数字无法识别，勾稽关系也不能确定，留空")
    return groups
