"""The reporting body's name: where a report states it, how to clean it, what it is made of.

Pipeline (each step a function): ``normalise_text`` (NFKC, traditional → simplified)
→ ``mark_spam`` (gambling spam injected by hacked sites becomes a marker)
→ ``name_candidates`` (title, "XXX向社会公布", "XXX编制了本报告", "请与XXX联系",
in that order of trust) → ``clean_name`` → ``restore_name`` (a name the spam
cut is rebuilt from another mention of the same name) → ``split_name`` (place,
township, government part, remainder) used to drop an internal office from a
contact line (磷矿镇党政办公室 → 磷矿镇) and, in ``metadata``, to classify the body.
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

SPAM_MARK = "\x1a"
_CJK = r"\u4e00-\u9fff"
_YEAR = r"(?:19|20)\d{2}"
# Words of gambling spam; "strong" ones never occur in a government name.
_STRONG_SPAM = (
    "投注",
    "博彩",
    "百家乐",
    "棋牌",
    "赌场",
    "赌博",
    "娱乐城",
    "娱乐场",
    "下注",
    "网投",
    "彩金",
    "葡京",
    "威尼斯人",
    "太阳城",
    "亚博",
    "bet",
    "casino",
)
_WEAK_SPAM = (
    "体育",
    "世界杯",
    "彩票",
    "娱乐",
    "官网",
    "电竞",
    "开户",
    "足球",
    "专用版",
    "手机版",
    "app",
    "官方",
)
_SPAM_TOKEN = re.compile(
    "|".join(sorted(map(re.escape, _STRONG_SPAM + _WEAK_SPAM), key=len, reverse=True)) + "|[A-Za-z0-9]+",
    re.IGNORECASE,
)
_WEAK_CJK = "|".join(w for w in _WEAK_SPAM if not w.isascii())
# Spam needs a strong word or latin/digits glued to a gambling word; without either, skip the scan.
_SPAM_WORD = re.compile(
    "|".join(map(re.escape, _STRONG_SPAM)) + rf"|[A-Za-z0-9](?:{_WEAK_CJK})|(?:{_WEAK_CJK})[A-Za-z0-9]",
    re.IGNORECASE,
)
_SPAM_GAP = re.compile(rf"^[_\-|·.\s{_CJK}]{{0,3}}$")

# Title: "<name>2020年(度)政府信息公开工作年度报告", or the year first.
_TITLE_NAME_FIRST = re.compile(
    rf"^\s*(?P<name>[^,;:。!?、“”\"《》]{{2,60}}?)\s*(?P<year>{_YEAR})\s*年\s*度?\s*(?:本级)?\s*"
    r"(?:政府|政务)?(?:信息|资讯)?公开[^,。;]{0,12}?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    rf"^\s*(?P<year>{_YEAR})\s*年\s*度?\s*(?P<name>[^,;:。!?、“”\"《》\d]{{2,40}}?)\s*(?:本级)?\s*"
    r"(?:政府|政务)(?:信息)?公开[^,。;]{0,12}?报告"
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
# Offices that do a government's paperwork: a contact line names them, the report is the government's.
_INTERNAL_OFFICE = re.compile(
    r"^(?:人民政府|政府)?(?:党政|党政综合|综合|政务公开|信息公开|政府信息公开)?(?:办公室|办公厅|办)$|"
    r"^(?:政务服务|便民服务|综合便民服务|党群服务|政务公开)(?:中心|办)$"
)
# A department's own office (郑州市教育局办公室): the report is the department's.
_DEPARTMENT_OFFICE = re.compile(
    r"^(.+?(?:局|委员会|委|厅|署|中心))(?:党政|综合|政务公开|信息公开)?(?:办公室|综合科|办)$"
)
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
    return _t2s().convert(unicodedata.normalize("NFKC", text))


def mark_spam(text: str) -> str:
    """Replace runs of gambling spam with :data:`SPAM_MARK`.

    A run is a cluster of spam tokens (gambling words, latin/digit junk) with at
    most three characters between them; it is spam when it holds a strong word,
    or at least three tokens of which one is a gambling word glued to latin/digits
    (365体育, best365官网). 体育局 or 体育彩票 alone stay.
    """
    if not _SPAM_WORD.search(text):
        return text
    tokens = list(_SPAM_TOKEN.finditer(text))
    out, last, cluster = [], 0, []
    for token in [*tokens, None]:
        if token is not None and cluster and _SPAM_GAP.match(text[cluster[-1].end() : token.start()]):
            cluster.append(token)
            continue
        if cluster and _is_spam(cluster):
            out.append(text[last : cluster[0].start()] + SPAM_MARK)
            last = cluster[-1].end()
        cluster = [token] if token is not None else []
    out.append(text[last:])
    return "".join(out)


def _is_spam(cluster: list[re.Match[str]]) -> bool:
    words = [m.group().lower() for m in cluster]
    if any(w in _STRONG_SPAM for w in words):
        return True
    if len(cluster) < 3:
        return False
    glued = any(
        a.end() == b.start() and (a.group().isascii() != b.group().isascii())
        for a, b in zip(cluster, cluster[1:], strict=False)
    )
    return glued and len(cluster) >= 3 and any(not w.isascii() for w in words)


def clean_name(raw: str) -> str | None:
    """Strip spaces, numbering, verbs and "关于…" tails; keep meaningful brackets (汉南区)."""
    last_crumb = re.split(r"[>»]", raw)[-1]
    name = re.sub(r"\s+", "", _SITE_PREFIX.sub("", last_crumb.strip())).replace("〔", "(").replace("〕", ")")
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
    tail = _GOVERNMENT_TAIL.match(name, pos)
    if tail and (place or town):
        pos = tail.end()
    return NameParts(place, town, name[:pos], name[pos:])


def _town_is_government(name: str, match: re.Match[str]) -> bool:
    """A 镇/乡/街道 reading counts when nothing or an office follows, or the township is known."""
    tail = _GOVERNMENT_TAIL.match(name, match.end())
    rest = name[tail.end() if tail else match.end() :]
    return not rest or bool(_INTERNAL_OFFICE.match(rest)) or bool(town_counties(match.group()))


def name_candidates(
    title: str | None, head: list[str], text: str, file_name: str
) -> list[tuple[str, str, int | None]]:
    """(source, raw name, year) in order of trust, from every place a report states its name."""
    found: list[tuple[str, str, int | None]] = []
    joined = [a + b for a, b in zip(head, head[1:], strict=False)]
    for line in ([title] if title else []) + head + joined:
        found.extend(("title", *hit) for hit in _title_hits(line))
    for source, pattern in _SENTENCE_PATTERNS:
        found.extend((source, m.group("name"), None) for m in pattern.finditer(text))
    stem = normalise_text(file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    found.extend(("file_name", *hit) for hit in _title_hits(stem))
    return found


def _title_hits(line: str) -> list[tuple[str, int]]:
    hits = []
    for pattern in (_TITLE_NAME_FIRST, _TITLE_YEAR_FIRST):
        match = pattern.search(line)
        if match:
            name = match.group("name")
            # "2020年郑州市人民政府信息公开…": the 政府 went to the report's title words.
            hits.append((name + "政府" if name.endswith("人民") else name, int(match.group("year"))))
    return hits


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
    """Drop the office a contact/compiler line names when the report speaks for its government.

    磷矿镇党政办公室 → 磷矿镇 (an internal office); 武汉经济技术开发区(汉南区)行政审批局 →
    the district when the text says 我区 more often than 我局. Titles are kept as written.
    """
    if source in ("title", "file_name"):
        return name
    parts = split_name(name)
    if not parts.rest or not (parts.place or parts.town):
        return name
    if _INTERNAL_OFFICE.match(parts.rest):
        return parts.government
    speaks_as_government = len(_SELF_GOVERNMENT.findall(text)) > len(_SELF_DEPARTMENT.findall(text))
    if speaks_as_government:
        return parts.government
    department = _DEPARTMENT_OFFICE.match(parts.rest)
    return parts.government + department.group(1) if department else name


def find_agency(title: str | None, head: list[str], text: str, file_name: str) -> NameFinding:
    """The first plausible name in order of trust, spam removed, office dropped.

    ``title``, ``head`` and ``text`` must already be normalised and spam-marked.
    """
    warnings: list[str] = []
    for source, raw, year in name_candidates(title, head, text, file_name):
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
        return NameFinding(government_of(name, text, source), source, year, tuple(dict.fromkeys(warnings)))
    return NameFinding(None, None, None, (*dict.fromkeys(warnings), "未能识别机关名称"))
