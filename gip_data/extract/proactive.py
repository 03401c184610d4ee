"""Table 2 (主动公开政府信息情况): items as printed, both editions, extra rows kept.

Each block starts at a ``第二十条第（X）项`` label. Its header (``信息内容`` and
the column labels, possibly wrapped over several tokens) is compared with the
template's columns of both editions; the rows that follow are a label and its
numbers (signed for 本年增/减, decimal for amounts). A wrapped row label keeps
its first line; unit words (元, 万元) between numbers are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gip_data.extract.normalize import clean_label, drop_bracket_notes, label_core, nfkc
from gip_data.extract.tokens import Token
from gip_data.schema.record import ProactiveItem
from gip_data.schema.template import PROACTIVE_BLOCKS

_ITEM = re.compile(r"第二十条第\(?([一二三四五六七八九十]+)\)?项")
_UNIT_CORES = frozenset({"元", "万元", "件", "个", "项", "条", "万"})
_END_WORDS = ("收到和处理", "申请人情况", "勾稽关系", "依申请公开")
CONTENT_HEADER = label_core("信息内容")


@dataclass(slots=True)
class ProactiveTable:
    """Table 2 as found, and the edition its columns point to (None if unclear)."""

    items: list[ProactiveItem] = field(default_factory=list)
    edition: int | None = None


def extract_proactive(tokens: list[Token], stop: int) -> ProactiveTable:
    """Read every 第二十条 block found before token index ``stop``."""
    table = ProactiveTable()
    starts = [
        i
        for i in range(stop)
        if tokens[i].kind == "label" and "条" in tokens[i].text and _ITEM.search(nfkc(tokens[i].text))
    ]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else _block_end(tokens, start, stop)
        match = _ITEM.search(nfkc(tokens[start].text))
        assert match is not None
        item = f"第二十条第（{match.group(1)}）项"
        columns, edition, body = _header(tokens, start + 1, end, item)
        table.edition = table.edition or edition
        table.items.extend(_rows(tokens, body, end, item, columns))
    return table


def _block_end(tokens: list[Token], start: int, stop: int) -> int:
    for i in range(start + 1, stop):
        if tokens[i].kind == "label" and any(w in tokens[i].core for w in _END_WORDS):
            return i
    return stop


def _header(tokens: list[Token], start: int, end: int, item: str) -> tuple[list[str], int | None, int]:
    """Column labels, the edition they match, and where the rows begin."""
    i = _skip_blanks(tokens, start, end)
    if i < end and tokens[i].kind == "label" and tokens[i].core.startswith(CONTENT_HEADER):
        i += 1
    header: list[Token] = []
    while i < end and tokens[i].kind in ("label", "blank") and not _is_row_label(tokens[i].core, item):
        if tokens[i].kind == "label":
            header.append(tokens[i])
        i += 1
    joined = "".join(t.core for t in header)
    for edition, (columns, _rows) in sorted(PROACTIVE_BLOCKS.get(item, {}).items()):
        cores = [label_core(c) for c in columns]
        if cores and all(c in joined for c in cores) and _in_order(joined, cores):
            return list(columns), edition if item == "第二十条第（一）项" else None, i
    printed = [clean_label(drop_bracket_notes(nfkc(t.text))) or clean_label(t.text) for t in header]
    return printed, None, i


def _skip_blanks(tokens: list[Token], start: int, end: int) -> int:
    """Past the empty grid cells a spanned item row leaves (``第二十条第（一）项 | | |``)."""
    while start < end and tokens[start].kind == "blank":
        start += 1
    return start


def _in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _is_row_label(core: str, item: str) -> bool:
    rows = {label_core(r) for spec in PROACTIVE_BLOCKS.get(item, {}).values() for r in spec[1]}
    return core in rows


def _rows(tokens: list[Token], start: int, end: int, item: str, columns: list[str]) -> list[ProactiveItem]:
    items: list[ProactiveItem] = []
    label: Token | None = None
    values: list[float | int | None] = []
    for token in tokens[start:end]:
        if token.kind == "label":
            if token.core in _UNIT_CORES or token.core.startswith(CONTENT_HEADER):
                continue
            if label is not None and values:
                items.append(_item(item, label, columns, values))
                label, values = None, []
            label = label or token
        elif label is not None and len(values) < max(len(columns), 1):
            values.append(token.value if token.kind == "number" else None)
    if label is not None and values:
        items.append(_item(item, label, columns, values))
    return items


def _item(item: str, label: Token, columns: list[str], values: list[float | int | None]) -> ProactiveItem:
    padded = values + [None] * (len(columns) - len(values))
    name = clean_label(drop_bracket_notes(nfkc(label.text))) or clean_label(label.text)
    return ProactiveItem(item=item, label=name, columns=list(columns), values=padded)
