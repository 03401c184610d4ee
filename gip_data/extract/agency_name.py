"""The reporting body's name: where a report states it, how to clean it, what it is made of.

Pipeline (each step a function): ``normalise_text`` (NFKC, traditional → simplified)
→ :func:`gip_data.extract.spam.mark_spam` (gambling spam injected by hacked sites
becomes a marker) → ``name_candidates``, in order of trust: titles (the page's own,
a crawler's ``标题:``, a covering letter ``X关于报送…年度报告的函`` or the name inside
its 《…》, the first lines, a title inside a breadcrumb line), the publisher a page
names (``发布机构:``, ``ContentSource``), "XXX向社会公布", "XXX编制了本报告", the contact
("请与XXX联系", "本报告由XXX编制"), the file name → ``clean_name`` → ``restore_name``
(a name the spam cut is rebuilt from another mention of the same name) →
``government_of``: a contact, compiler, publisher or letter names an *office*
(…办公室, …政府信息公开工作领导小组办公室), and the body is the one the office
belongs to, unless the office speaks of itself (我办) → :func:`gip_data.extract.
name_repair.repair_name` (``#``, OCR look-alikes, short forms, each confirmed).
``split_name`` (place, township or a zone's 片区, government part, remainder)
also classifies the body in ``metadata``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import product

import opencc

from gip_data.extract.gazetteer import Located, locate, town_counties
from gip_data.extract.name_repair import repair_name, strip_heading_marks
from gip_data.extract.spam import SPAM_MARK

_CJK = r"\u4e00-\u9fff"
_YEAR = r"(?:19|20)\d{2}"
# Title: "<name>2020年(度)政府信息公开工作年度报告", or the year first.
_TITLE_NAME_FIRST = re.compile(
    rf"^\s*(?P<name>[^,;:。!?、“”\"《》]{{2,60}}?)\s*(?P<year>{_YEAR})\s*年\s*度?\s*(?:本级)?\s*"
    r"(?:政府|政务)?(?:信息|资讯)?公开[^,。;]{0,12}?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    rf"^\s*(?P<year>{_YEAR})\s*年\s*度?\s*(?P<name>[^,;:。!?、“”\"《》\d]{{2,40}}?)\s*(?:本级)?\s*"
    r"(?:政府|政务)(?:信息)?公开[^,。;]{0,12}?报告"
)
# A covering letter: "<sender>关于报送/印发《<name>2020年度…报告》的函/通知"; the name inside wins.
_COVERING_LETTER = re.compile(
    rf"^\s*(?P<sender>[^,;:。!?、“”\"《》]{{2,60}}?)\s*关于(?:报送|印发|公布|发布|上报|呈报)\s*《?\s*"
    rf"(?P<inner>[^,;:。!?、“”\"《》\d]{{0,40}}?)\s*(?P<year>{_YEAR})\s*年\s*度?[^,。;]{{0,24}}?报告\s*》?\s*"
    r"的?(?:函|通知|报告|请示)"
)
# A title inside a longer line (breadcrumbs, a whole page on one line): the name is one unbroken run.
_TITLE_LOOSE = re.compile(
    rf"(?:^|[\s>»/|:])(?P<name>[^,;:。!?、“”\"《》\s\d>»/|]{{2,40}}?)\s*(?P<year>{_YEAR})\s*年\s*度?\s*"
    r"(?:本级)?\s*(?:政府|政务)(?:信息)?公开[^,。;]{0,12}?报告"
)
_NAME_RUN = r"[^,;:。!?、“”\"《》\s]{2,50}?"
_SENTENCE_PATTERNS = (
    (
        "publish",
        re.compile(rf"(?:^|[,;:。!?、\s])(?P<name>{_NAME_RUN})\s*(?:现|特)?向社会(?:公开)?(?:公布|发布)"),
    ),
    (
        "compiled",
        re.compile(rf"(?:^|[,;:。!?、\s])(?P<name>{_NAME_RUN})\s*(?:负责)?编制(?:了|完成)?(?:本|此|该)"),
    ),
    ("compiled", re.compile(rf"本报告由(?P<name>{_NAME_RUN})(?:负责)?编制")),
    (
        "contact",
        re.compile(r"请(?:与|向|致电|联系)(?P<name>[^,;:。!?、“”\"《》\s]{2,50}?)(?:联系|咨询|反映)"),
    ),
    ("contact", re.compile(r"(?:请|可)联系:?(?P<name>[^,;:。!?、“”\"《》\s()]{2,50}?)(?=[,;:。(]|电话|地址)")),
)
_LEADING_NOISE = re.compile(r"^(?:[\d一二三四五六七八九十]+[、.)]|现将|现|特|经|由|关于|我们|[(\[“\"《])+")
_TRAILING_NOISE = re.compile(
    rf"(?:\s|向社会(?:公开)?(?:公布|发布)|公布|发布|关于.*|的|本级|年度|\({_YEAR}\)|[(\[“\"《]|[_\-|—])+$"
)
_BODY_END = re.compile(
    r"(?:政府|办事处|街道|镇|乡|苏木|区|县|市|旗|州|盟|省|局|委|委员会|办公室|办公厅|办|厅|署|中心|院|所|站|"
    r"队|会|社|馆|处|部|行|司|组|室|集团|公司)(?:\([^()]*\))?$"
)
_NOT_A_NAME = re.compile(
    r"我[省市县区镇乡局委办厅]|本(?:级|报告|单位|机关|部门)|现将|按照|根据|要求|以下|如下|通知|印发"
)
# A level word with no place: 县政府办公室, 区人民政府, 市教育局.
_GENERIC_NAME = re.compile(
    rf"^(?:该|全)?[省市县区旗镇乡](?:人民政府|政府|委|直|级|[{_CJK}]{{1,6}}(?:局|委员会|办公室)$)"
)
# Before a place's name: a website's name or a breadcrumb (郏县人民政府网 郏县人民政府…).
_SITE_PREFIX = re.compile(r"^.*?(?:门户网站|网站|网|首页)[\s>»/|]+")
_TOWN = re.compile(rf"[{_CJK}]{{1,10}}?(?:街道办事处|办事处|街道|镇|乡|苏木)")
_GOVERNMENT_TAIL = re.compile(r"(?:人民政府|政府|管理委员会|管委会|行政公署)")
# A zone's area (片区) is governed by its management bureau: 苏平片区管理局 is that area's government.
_SUBZONE_TAIL = re.compile(r"(?:管理局|管理委员会|管委会|管理处|办事处)")
# Offices that do a government's paperwork: a contact line names them, the report is the government's.
_INTERNAL_OFFICE = re.compile(
    r"^(?:人民政府|政府)?(?:党政|党政综合|综合|政务公开|信息公开|政府信息公开)?(?:办公室|办公厅|办)$|"
    r"^(?:政务服务|便民服务|综合便民服务|党群服务|政务公开)(?:中心|办)$"
)
# The office a body names as its contact or compiler (…办公室, …政府信息公开工作领导小组办公室).
_OFFICE = (
    r"(?:政府信息公开工作领导小组|政务公开(?:工作)?领导小组|政府信息(?:与政务)?公开|政务公开|信息公开|"
    r"党政综合|党政|综合)?(?:办公室|综合科|办)"
)
# A department's own office (郑州市教育局办公室): the report is the department's.
_DEPARTMENT_OFFICE = re.compile(rf"^(.+?(?:局|委员会|委|厅|署|中心)){_OFFICE}$")
_BODY_OFFICE = re.compile(rf"^(.+?(?:管理委员会|管委会|人民政府|政府|局|委员会|委|厅|署|中心)){_OFFICE}$")
# The office speaking of itself: then the office is the body that reports.
_SELF_OFFICE = re.compile(r"我(?:办|厅)(?!理|法|事)|本办(?!理|法)")
_SELF_GOVERNMENT = re.compile(r"我(?:镇|乡|街道|街|区|县|市|旗|州|盟|省)")
_SELF_DEPARTMENT = re.compile(r"我(?:局|委|厅|中心|署|办公室)")


@dataclass(frozen=True, slots=True)
class NameParts:
    """A body's name cut into place, township, government part and remainder.

    ``government`` is the name up to the end of the government it belongs to
    (郑州高新区沟赵办事处 of 郑州高新区沟赵办事处党政办公室); ``rest`` is what
    follows (a department or office), empty for a government itself.
    """

    place: Located | None
    town: str | None
    government: str
    rest: str


@dataclass(frozen=True, slots=True)
class NameFinding:
    """The agency name found in a document, where it came from, and what was repaired."""

    name: str | None
    source: str | None
    year: int | None
    warnings: tuple[str, ...] = ()


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise_text(text: str) -> str:
    """NFKC (full-width brackets and digits to ASCII) and traditional → simplified characters."""
    simplified: str = _t2s().convert(unicodedata.normalize("NFKC", text))  # OpenCC.convert is not annotated
    return simplified


def clean_name(raw: str) -> str | None:
    """Strip spaces, numbering, verbs and "关于…" tails; keep meaningful brackets (汉南区)."""
    last_crumb = re.split(r"[>»]", raw)[-1]
    name = re.sub(r"\s+", "", _SITE_PREFIX.sub("", strip_heading_marks(last_crumb.strip())))
    name = name.replace("〔", "(").replace("〕", ")")
    for _ in range(3):
        name = _TRAILING_NOISE.sub("", _LEADING_NOISE.sub("", name))
    name = name.split("-")[-1].split("_")[-1].split("|")[-1]
    if name.count("(") != name.count(")"):
        name = name.replace("(", "").replace(")", "")
    has_cjk = re.search(f"[{_CJK}]", name)
    return name if has_cjk and 2 <= len(name) <= 40 else None


def looks_like_body(name: str) -> bool:
    """Whether a cleaned string names one organisation (ends like one, or is a place).

    Generic or self-referring phrases (县政府办公室, 现将我县) are not names.
    """
    bare = name.replace(SPAM_MARK, "")
    if _NOT_A_NAME.search(bare) or _GENERIC_NAME.match(bare):
        return False
    return bool(_BODY_END.search(bare)) or locate(bare) is not None


def split_name(name: str) -> NameParts:
    """Cut a name into place (gazetteer), township, government part and the rest."""
    place = locate(name)
    pos = place.end if place else 0
    town_match = _TOWN.match(name, pos)
    town = None
    if town_match and _town_is_government(name, town_match):
        town, pos = town_match.group(), town_match.end()
    tail = (_SUBZONE_TAIL if place and place.subzone and not town else _GOVERNMENT_TAIL).match(name, pos)
    if tail and (place or town):
        pos = tail.end()
    return NameParts(place, town, name[:pos], name[pos:])


def _town_is_government(name: str, match: re.Match[str]) -> bool:
    """A 镇/乡/街道 reading counts when nothing or an office follows, or the township is known."""
    tail = _GOVERNMENT_TAIL.match(name, match.end())
    rest = name[tail.end() if tail else match.end() :]
    return not rest or bool(_INTERNAL_OFFICE.match(rest)) or bool(town_counties(match.group()))


def name_candidates(
    title: str | None, head: list[str], text: str, file_name: str, publisher: str | None = None
) -> list[tuple[str, str, int | None]]:
    """(source, raw name, year) in order of trust, from every place a report states its name.

    Titles (the document's, then the first lines) first, then the publisher a
    page names (发布机构), then the sentences, then the file name.
    """
    found: list[tuple[str, str, int | None]] = []
    joined = [a + b for a, b in zip(head, head[1:], strict=False)]
    lines = ([title] if title else []) + head + joined
    for line in lines:
        found.extend(_title_hits(line))
    for line in lines:  # only where no line holds a title of its own
        found.extend(_loose_title_hits(line))
    if publisher:
        found.append(("publisher", publisher, None))
    for source, pattern in _SENTENCE_PATTERNS:
        found.extend((source, m.group("name"), None) for m in pattern.finditer(text))
    stem = normalise_text(file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    found.extend(("file_name", name, year) for _, name, year in _title_hits(stem))
    return found


def _title_hits(line: str) -> list[tuple[str, str, int]]:
    """("title" or "letter", name, year) of a line that is a report's title or covering letter."""
    letter = _COVERING_LETTER.search(line)
    if letter:
        year = int(letter.group("year"))
        inner = letter.group("inner")
        hits = [("title", inner, year)] if inner and len(inner.strip()) >= 2 else []
        return [*hits, ("letter", letter.group("sender"), year)]
    hits = []
    for pattern in (_TITLE_NAME_FIRST, _TITLE_YEAR_FIRST):
        match = pattern.search(line)
        if match:
            name = match.group("name")
            # "2020年郑州市人民政府信息公开…": the 政府 went to the report's title words.
            hits.append(("title", name + "政府" if name.endswith("人民") else name, int(match.group("year"))))
    return hits


def _loose_title_hits(line: str) -> list[tuple[str, str, int]]:
    """A title standing inside a longer line: 当前位置: 首页 … X2021年度政府信息公开工作年度报告 来源…"""
    if _title_hits(line):
        return []
    return [("title", m.group("name"), int(m.group("year"))) for m in _TITLE_LOOSE.finditer(line)]


def restore_name(name: str, text: str) -> str | None:
    """Rebuild a name cut by spam from another mention of it in ``text``.

    武汉␚(汉南区)行政审批局 with 武汉经济技术开发区(汉南区)大数据中心 elsewhere gives
    武汉经济技术开发区(汉南区)行政审批局: the text between the same left and right
    context, the most frequent filling wins. None when nothing fits.
    """
    left, _, right = name.partition(SPAM_MARK)
    if SPAM_MARK in right:
        return None
    if not left or not right:  # spam at an end: the rest stands alone when it reads as a whole name
        rest = left or right
        return rest if _BODY_END.search(rest) and looks_like_body(rest) else None
    # The spam's edges may be off by a few characters (娱乐场's 场 left behind): retry without them.
    for trim_left, trim_right in sorted(product(range(3), range(4)), key=sum):
        kept_left, kept_right = left[: len(left) - trim_left], right[trim_right:]
        if kept_left and kept_right:
            filling = _filling_between(kept_left, kept_right, text)
            if filling is not None:
                return kept_left + filling + kept_right
    return None


def _filling_between(left: str, right: str, text: str) -> str | None:
    """What the text puts between ``left`` and the start of ``right`` elsewhere (maybe nothing)."""
    anchor = re.escape(left[-4:])
    for right_size in range(min(len(right), 6), 0, -1):
        pattern = anchor + f"([{_CJK}]{{0,15}}?)" + re.escape(right[:right_size])
        found = Counter(m.group(1) for m in re.finditer(pattern, text))
        if found:
            return _full_form(found)
    return None


def _full_form(fillings: Counter[str]) -> str:
    """The most frequent filling, unless it abbreviates a longer one found too (开发区 ⊂ 经济技术开发区).

    Chinese short forms keep characters of the full name in order, so a filling
    whose characters are a subsequence of a longer filling is taken as its short form.
    """
    best = max(fillings, key=lambda filling: (fillings[filling], len(filling)))
    longer = [f for f in fillings if len(f) > len(best) and _is_subsequence(best, f)]
    return max(longer, key=lambda f: (fillings[f], len(f))) if longer else best


def _is_subsequence(short: str, full: str) -> bool:
    remaining = iter(full)
    return all(char in remaining for char in short)


def government_of(name: str, text: str, source: str) -> str:
    """The body an office speaks for, when a contact, compiler, publisher or letter names the office.

    磷矿镇党政办公室 → 磷矿镇 (an internal office); 平潭综合实验区公安局政府信息公开办公室 →
    the bureau; 武汉经济技术开发区(汉南区)行政审批局 → the district when the text says 我区
    more often than 我局. Titles are kept as written, and so is an office that speaks
    of itself (我办).
    """
    if source in ("title", "file_name") or _SELF_OFFICE.search(text):
        return name
    parts = split_name(name)
    if parts.rest and (parts.place or parts.town):
        if _INTERNAL_OFFICE.match(parts.rest):
            return parts.government
        speaks_as_government = len(_SELF_GOVERNMENT.findall(text)) > len(_SELF_DEPARTMENT.findall(text))
        if speaks_as_government:
            return parts.government
        department = _DEPARTMENT_OFFICE.match(parts.rest)
        return parts.government + department.group(1) if department else name
    body = _BODY_OFFICE.match(name)
    return body.group(1) if body and looks_like_body(body.group(1)) else name


def find_agency(
    title: str | None, head: list[str], text: str, file_name: str, publisher: str | None = None
) -> NameFinding:
    """The first plausible name in order of trust, spam removed, office dropped, noise repaired.

    ``title``, ``head``, ``text`` and ``publisher`` must already be normalised and spam-marked.
    """
    warnings: list[str] = []
    for source, raw, year in name_candidates(title, head, text, file_name, publisher):
        name = clean_name(raw)
        if name is None or not looks_like_body(name):
            continue
        if SPAM_MARK in name:
            restored = restore_name(name, text)
            if restored is None:
                warnings.append("机关名称被垃圾文字破坏，无法还原")
                continue
            warnings.append(f"机关名称中的垃圾文字已清除，并按正文其他位置还原为：{restored}")
            name = restored
        name, notes = repair_name(government_of(name, text, source))
        warnings.extend(notes)
        return NameFinding(name, source, year, tuple(dict.fromkeys(warnings)))
    return NameFinding(None, None, None, (*dict.fromkeys(warnings), "未能识别机关名称"))
