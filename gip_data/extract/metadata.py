"""Report metadata: which body reported, for which year, at which level, where, and whether summed.

``infer_metadata`` normalises the document text once (NFKC, traditional →
simplified, spam marked), takes a saved page's header off (``标题:`` and
``发布机构:`` lines above a ruled 正文 line, see :func:`split_page_header`), then:

- agency: :func:`gip_data.extract.agency_name.find_agency` (titles, covering
  letters, the page's publisher, "向社会公布", "编制了本报告", then the contact with
  its office dropped; spam removed and restored; ``#``/look-alikes repaired where
  the gazetteer confirms);
- year: the title's year, else the statistics period "自2020年1月1日…至2020年12月31日",
  else the file name; publication dates are never read;
- level and body: from the name's parts (place from the gazetteer, township,
  government suffix, department remainder); a name with no place but a
  township suffix is 乡镇街道; 国务院/国家… bodies are 中央; when the name is
  missing, only an unambiguous self-reference (我镇, 我县) decides;
- zones: a city's zone, or one named with a county's short name (X综合实验区 for
  X县), is 县级 and its departments 部门 of it; a zone's 片区管理局, which took over
  the former townships, is the 乡镇街道 tier and a government; a province's new
  area has no fixed rank (None); a zone named without its division takes the one
  the text puts before it (see :func:`placed_parts`), else level and region stay None;
- region: province + prefecture city of the place in the name; an ambiguous
  place (鼓楼区) or a bare township (磷矿镇) is resolved only when the text names
  exactly one of its possible counties or cities, otherwise None;
- aggregate: only explicit signs (see :data:`_AGGREGATE_TITLE` and
  :data:`_AGGREGATE_TEXT`): a 汇总 / 全市…年度报告 title, or "本市各级行政机关".
  A county government saying 全县 in its prose is not an aggregate.

Values that cannot be determined are None, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pydantic import Field

from gip_data.extract.agency_name import NameParts, find_agency, normalise_text, split_name
from gip_data.extract.gazetteer import RANK_CITY, RANK_PROVINCE, load_gazetteer, locate, town_counties
from gip_data.extract.spam import mark_spam
from gip_data.readers.document import Document
from gip_data.schema.meta import BodyType, Level, ReportMeta

_YEAR = r"(?:19|20)\d{2}"
_TITLE_YEAR = re.compile(
    rf"(?P<year>{_YEAR})\s*年\s*度?[^,。;]{{0,30}}?(?:政府|政务)?(?:信息)?公开[^,。;]{{0,12}}?报告"
)
_PERIOD = re.compile(
    rf"(?P<start>{_YEAR})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|-|—|~)\s*"
    rf"(?:(?P<end>{_YEAR})\s*年\s*)?12\s*月\s*31\s*日"
)
_RANK_LEVEL: dict[int, Level] = {1: "省级", 2: "市级", 3: "县级"}
_CENTRAL = re.compile(
    r"^(?:国务院|中华人民共和国|国家|中国|全国|中央)|^[\u4e00-\u9fff]{1,10}(?:部|总署|署|总局)$"
)
_DEPARTMENT_END = re.compile(
    r"(?:局|委|委员会|办公室|办公厅|办|厅|署|中心|院|所|站|队|会|社|馆|处|部|行|司|组|室|集团|公司)(?:\([^()]*\))?$"
)
# Self-references that fix a level on their own (我区/我市 do not: district or city, 自治区 or city).
_SELF_LEVEL: dict[str, Level] = {
    "我镇": "乡镇街道",
    "我乡": "乡镇街道",
    "我街道": "乡镇街道",
    "我县": "县级",
    "我旗": "县级",
}
_AGGREGATE_TITLE = re.compile(
    r"汇总|全(?:省|市|区|县|旗|州|盟)(?:各级)?(?:行政机关)?(?:政府|政务)?(?:信息)?公开[^,。;]{0,10}?报告|各级行政机关"
)
_AGGREGATE_TEXT = re.compile(
    r"(?:本|全)(?:省|市|区|县|旗|州|盟)各级(?:行政机关|政府部门|政府及其(?:工作)?部门)|"
    r"汇总(?:了)?(?:全|本)(?:省|市|区|县|旗)(?:各级|各部门|各单位|各乡镇)|"
    r"本报告[^。]{0,30}?(?:汇总|综合)(?:了)?[^。]{0,10}?(?:各部门|各单位|各乡镇|各级)"
)


# A saved page's header ends with a ruled 正文 line within its first lines.
_HEADER_LINES = 20
_BODY_RULE = re.compile(r"^\s*[=\-—*#]{3,}\s*正文\s*[=\-—*#]{3,}\s*$")
# A zone or a zone's area at the start of a name (雄安新区…, 苏平片区…) and how far back a division may stand.
_ZONE_STEM = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:片区|综合实验区|经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|新区|"
    r"试验区|实验区|示范区|合作区)"
)
_ZONE_PREFIX_REACH = 16


class Metadata(ReportMeta):
    """What a report says about itself (the :class:`ReportMeta` fields, None when not determinable) and why not."""

    warnings: list[str] = Field(default_factory=list)


def infer_metadata(doc: Document, file_name: str) -> Metadata:
    """Infer agency, year, level, body, region and the aggregate flag of one report."""
    header, text = split_page_header(mark_spam(normalise_text(doc.text())))
    title = header.get("标题") or (mark_spam(normalise_text(doc.title)) if doc.title else None)
    head = [line.split("。")[0] for line in text.splitlines() if line.strip()][:8]
    publisher = header.get("发布机构") or (mark_spam(normalise_text(doc.publisher)) if doc.publisher else None)
    finding = find_agency(title, head, text, file_name, publisher)
    warnings = list(finding.warnings)
    year = report_year([title or "", *head], text, file_name, warnings)
    name = finding.name
    parts = placed_parts(name, text) if name else None
    level, body = name_to_level_body(name, parts) if name and parts else self_reference_level(text)
    province, city = (None, None) if level == "中央" or parts is None else parts_to_place(parts, text)
    return Metadata(
        agency=finding.name,
        year=year,
        level=level,
        body=body,
        region=_region(province, city),
        province=province,
        city=city,
        aggregate=is_aggregate([title or "", *head], text),
        warnings=warnings,
    )


def split_page_header(text: str) -> tuple[dict[str, str], str]:
    """A saved web page's header (``标题: …``, ``发布机构: …`` above ``==== 正文 ====``) and the body.

    Crawlers and "save as text" tools write the page's own title and publisher
    as ``key: value`` lines before a ruled 正文 line; those are the best evidence of
    the report's title and body, and they are not the report's first lines.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines[:_HEADER_LINES]):
        if _BODY_RULE.match(line):
            fields: dict[str, str] = {}
            for field in lines[:index]:
                key, sep, value = field.partition(":")
                if sep and key.strip() and value.strip():
                    fields.setdefault(key.strip(), value.strip())
            return fields, "\n".join(lines[index + 1 :])
    return {}, text


def placed_parts(name: str, text: str) -> NameParts:
    """The name's parts; a zone named without its division gets the one the text puts before it.

    苏平片区管理局 in a text that says 平潭综合实验区苏平片区 is read as that zone's area;
    雄安新区管委会 with 河北雄安新区 in the text lies in 河北省. The name itself is unchanged.
    """
    parts = split_name(name)
    if parts.place or parts.town:
        return parts
    stem = _ZONE_STEM.match(name)
    if stem is None:
        return parts
    for match in re.finditer(re.escape(stem.group()), text):
        for start in range(max(0, match.start() - _ZONE_PREFIX_REACH), match.start()):
            prefix = text[start : match.start()]
            located = locate(prefix + stem.group())
            if located is not None and located.start == 0 and located.end == len(prefix) + len(stem.group()):
                whole = split_name(prefix + name)
                return replace(whole, place=replace(located, start=0))
    return parts


def report_year(title_lines: list[str], text: str, file_name: str, warnings: list[str]) -> int | None:
    """The reported year: title first, then the statistics period, then the file name."""
    titled = next((int(m.group("year")) for line in title_lines if (m := _TITLE_YEAR.search(line))), None)
    period = next(
        (int(m.group("start")) for m in _PERIOD.finditer(text) if m.group("end") in (None, m.group("start"))),
        None,
    )
    if titled and period and titled != period:
        warnings.append(f"标题年度 {titled} 与统计期限 {period} 不一致，采用标题年度")
    named = _TITLE_YEAR.search(normalise_text(file_name)) or re.search(rf"(?<!\d)({_YEAR})(?!\d)", file_name)
    year = titled or period or (int(named.group(1)) if named else None)
    if year is None:
        warnings.append("未能识别报告年度")
    return year


def name_to_level_body(name: str, parts: NameParts) -> tuple[Level | None, BodyType | None]:
    """Level and body type from a name's parts (see module docstring)."""
    if parts.town:
        level: Level | None = "乡镇街道"
    elif parts.place:
        level = _place_level(parts)
    elif _CENTRAL.search(name):
        return "中央", "政府" if name == "国务院" else "部门"
    else:
        level = None
    vertical = parts.place is not None and parts.place.start > 0
    if parts.rest or vertical:
        body: BodyType | None = "部门" if _DEPARTMENT_END.search(name) else None
    else:
        body = "政府" if parts.place or parts.town else None
    return level, body


def _place_level(parts: NameParts) -> Level | None:
    """The level of the deepest place in a name; a city's development zone is county-level."""
    assert parts.place is not None
    gazetteer = load_gazetteer()
    ranks = {gazetteer.divisions[i].rank for i in parts.place.candidates}
    if len(ranks) != 1:
        return None
    rank = ranks.pop()
    if not parts.place.zone:
        return _RANK_LEVEL[rank]
    if rank == RANK_PROVINCE:  # a province's new area or free-trade zone: its rank varies
        return None
    # A city's zone, or a zone standing in for a county, is county-level; its 片区 took over townships.
    return "乡镇街道" if parts.place.subzone else "县级"


def self_reference_level(text: str) -> tuple[Level | None, BodyType | None]:
    """With no name: a level only when the text calls itself 我镇/我乡/我街道/我县/我旗, one kind only."""
    counts = {word: text.count(word) for word in _SELF_LEVEL}
    levels = {_SELF_LEVEL[word] for word, count in counts.items() if count}
    if len(levels) == 1 and sum(counts.values()) >= 2:
        return levels.pop(), "政府"
    return None, None


def parts_to_place(parts: NameParts, text: str) -> tuple[str | None, str | None]:
    """Province and city of the name's place, or of its township when the text pins it down."""
    gazetteer = load_gazetteer()
    if parts.place:
        candidates = list(parts.place.candidates)
    elif parts.town:
        candidates = town_counties(parts.town)
        if not candidates:
            return None, None
        candidates = _named_in_text(candidates, text, include_self=True)
    else:
        return None, None
    places = {gazetteer.province_city(i) for i in candidates}
    if len(places) > 1:
        places = {gazetteer.province_city(i) for i in _named_in_text(candidates, text, include_self=False)}
    return places.pop() if len(places) == 1 else (None, None)


def _named_in_text(candidates: list[int], text: str, include_self: bool) -> list[int]:
    """Candidates whose county (when ``include_self``) or city is named in full in the text."""
    gazetteer = load_gazetteer()
    named = gazetteer.mentioned(text)
    kept = []
    for index in candidates:
        lineage = gazetteer.lineage(index)
        below_province = [d.index for d in lineage if d.rank >= RANK_CITY and d.name]
        if not include_self:
            below_province = [i for i in below_province if i != index]
        if named.intersection(below_province):
            kept.append(index)
    return kept


def _region(province: str | None, city: str | None) -> str | None:
    if province is None:
        return None
    return province if city in (None, province) else province + city


def is_aggregate(title_lines: list[str], text: str) -> bool:
    """Whether the report sums a whole jurisdiction (explicit title or phrase only)."""
    titles = [line for line in title_lines if "报告" in line and len(line) <= 80]
    return any(_AGGREGATE_TITLE.search(line) for line in titles) or bool(_AGGREGATE_TEXT.search(text))
