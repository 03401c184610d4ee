"""Repairs to a found body name that the gazetteer or a fixed table can vouch for.

- ``#``: converters and OCR leave markdown heading marks (``# 沭阳县…``) and
  stray ``#`` inside names. A leading mark is markup and always goes; one inside
  the name goes only where the name without it is a division the gazetteer knows.
- OCR look-alikes (沐阳县 for 沭阳县): one character of a known confusable pair
  is swapped only when that turns an unknown place into a division name the
  gazetteer knows, covering the swapped character. A name that is right as
  printed is never touched.
- Short forms of department names (上海市科委 → 上海市科学技术委员会): only the
  standard, unambiguous ones of :data:`SHORT_FORMS`, and only right after a place.

Each repair returns a note for the report's warnings, so a reader can check it.
"""

from __future__ import annotations

import re

from gip_data.extract.gazetteer import locate

# Groups of characters OCR confuses with each other (in either direction).
_LOOK_ALIKES = (
    "沐沭",
    "汨汩",
    "未末",
    "己已巳",
    "戊戌戍",
    "士土",
    "入人",
    "曰日",
    "免兔",
    "乌鸟",
    "拔拨",
    "微徽",
    "侯候",
    "治冶",
    "崇祟",
    "睢雎",
    "亳毫",
    "泌泓",
    "郫郸",
    "濮僕",
)
_CONFUSABLE: dict[str, str] = {c: group.replace(c, "") for group in _LOOK_ALIKES for c in group}
# How far into a name a place may reach (the longest division names are ~20 characters).
_PLACE_REACH = 24
_HEADING_MARK = re.compile(r"^[#\s]+")

# Standard short forms of departments → full names; only those with one meaning.
SHORT_FORMS: dict[str, str] = {
    "科委": "科学技术委员会",
    "发改委": "发展和改革委员会",
    "发改局": "发展和改革局",
    "教委": "教育委员会",
    "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局",
    "经信委": "经济和信息化委员会",
    "经信局": "经济和信息化局",
    "工信局": "工业和信息化局",
    "住建委": "住房和城乡建设委员会",
    "住建局": "住房和城乡建设局",
    "人社局": "人力资源和社会保障局",
    "人社厅": "人力资源和社会保障厅",
    "市监局": "市场监督管理局",
    "市场监管局": "市场监督管理局",
    "国资委": "国有资产监督管理委员会",
    "网信办": "网络安全和信息化委员会办公室",
    "医保局": "医疗保障局",
    "应急局": "应急管理局",
    "退役军人局": "退役军人事务局",
    "民宗局": "民族宗教事务局",
    "文旅局": "文化和旅游局",
    "农业农村委": "农业农村委员会",
}


def strip_heading_marks(name: str) -> str:
    """Drop markdown heading marks in front of a name (``# 沭阳县`` → ``沭阳县``)."""
    return _HEADING_MARK.sub("", name)


def repair_name(name: str) -> tuple[str, list[str]]:
    """The name with ``#`` noise, look-alikes and short forms repaired, and a note per repair."""
    notes: list[str] = []
    repaired = _without_inner_marks(name)
    if repaired != name:
        notes.append(f"机关名称中的“#”已去除：{name} → {repaired}")
    swapped = _look_alike_fixed(repaired)
    if swapped != repaired:
        notes.append(f"机关名称中的形近字已按行政区划名称更正：{repaired} → {swapped}")
    return expand_short_form(swapped), notes


def _place_end(name: str) -> int:
    """Where the place at the start of ``name`` ends (0 without one)."""
    located = locate(name)
    return located.end if located is not None and located.start == 0 else 0


def _without_inner_marks(name: str) -> str:
    """Remove ``#`` from the name only when the place it sat in becomes a known division."""
    if "#" not in name:
        return name
    first = name.index("#")
    cleaned = name.replace("#", "")
    return cleaned if _place_end(cleaned) > first else name


def _look_alike_fixed(name: str) -> str:
    """Swap one look-alike character where that makes the unknown place a known division."""
    known = _place_end(name)
    for index in range(known, min(len(name), _PLACE_REACH)):
        for other in _CONFUSABLE.get(name[index], ""):
            candidate = name[:index] + other + name[index + 1 :]
            if _place_end(candidate) > max(index, known):
                return candidate
    return name


def expand_short_form(name: str) -> str:
    """A place followed by a standard short form gets the full department name."""
    end = _place_end(name)
    rest = name[end:]
    return name[:end] + SHORT_FORMS[rest] if end and rest in SHORT_FORMS else name
