"""Gambling spam that hacked sites inject into pages (and so into saved reports).

:func:`mark_spam` replaces a run of spam with :data:`SPAM_MARK`, so a name it
cut can be recognised and rebuilt (:func:`gip_data.extract.agency_name.restore_name`).
"""

from __future__ import annotations

import re

SPAM_MARK = "\x1a"
_CJK = r"\u4e00-\u9fff"
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
    out: list[str] = []
    cluster: list[re.Match[str]] = []
    last = 0
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
