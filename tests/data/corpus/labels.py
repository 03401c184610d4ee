"""The printed labels of tables 2–4 and the ways real reports vary them.

A :class:`Style` says how one report prints its labels: the sub-item marker
(``1.``, ``1、``, ``（1）``), dropped characters, the 法律法规 wording, notes in
brackets, full-width digits. ``table3_rows`` gives (group, label, key) per row.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

OFFICIAL = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_safety_stability": "3.危及“三安全一稳定”",
    "withheld_third_party": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_info": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_administrative_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "not_processed_petition": "1.信访举报投诉类申请",
    "not_processed_duplicate": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_massive": "4.无正当理由大量反复申请",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = {
    "granted": "三、本年度办理结果",
    "withheld_state_secret": "（三）不予公开",
    "unable_not_held": "（四）无法提供",
    "not_processed_petition": "（五）不予处理",
    "other_overdue_correction": "（六）其他处理",
}
# Characters a careless typist dropped, per row (FORMATS.md: "characters dropped from a label").
TYPOS = {
    "new_received": "一、本年新收政府信息公开申请数",
    "carried_over": "二、上年结转政府信息申请数量",
    "withheld_internal_affairs": "5.属于三类内部事信息",
    "unable_not_held": "1.本机关不掌握相关信息",
    "not_processed_massive": "4.无正当理由大量反复申",
    "not_processed_confirmation": "5.要求行政机关确认或重新出具已获信息",
    "withheld_enforcement_file": "7.属于行政执法卷",
}
NOTES = {
    "granted": "（一）予以公开（含部分依申请公开转主动公开）",
    "withheld_third_party": "4.保护第三方合法权益（经征求第三方意见）",
    "not_processed_duplicate": "2.重复申请（同一申请人）",
}
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@dataclass
class Style:
    """How one report prints its labels and numbers."""

    marker: str = "."  # "." | "、" | "paren"
    typos: tuple[str, ...] = ()
    law_wording: bool = False  # 其他法律法规禁止公开
    notes: bool = False
    full_width: bool = False
    thousands: bool = False  # 1,036 in table 3 too (large bodies)
    split_other: bool = True
    extra: dict[str, str] = field(default_factory=dict)


def _marker(label: str, marker: str) -> str:
    if len(label) > 1 and label[0].isdigit() and label[1] == ".":
        if marker == "、":
            return label[0] + "、" + label[2:]
        if marker == "paren":
            return f"（{label[0]}）" + label[2:]
    return label


def label_for(key: str, style: Style) -> str:
    """The label of one table-3 row as this report prints it."""
    label = style.extra.get(key) or OFFICIAL[key]
    if key in style.typos:
        label = TYPOS[key]
    if style.notes and key in NOTES:
        label = NOTES[key]
    if style.law_wording and key == "withheld_prohibited_by_law":
        label = "2.其他法律法规禁止公开"
    return _marker(label, style.marker)


def table3_rows(keys: list[str], style: Style) -> list[tuple[str | None, str, str]]:
    """(group label or None, row label, key) per row of table 3."""
    return [(GROUPS.get(k) if k in GROUPS else None, label_for(k, style), k) for k in keys]


def number(value: int | float, style: Style, thousands: bool = False) -> str:
    """A printed number: thousands separators and full-width digits on request."""
    text = f"{value:,}" if thousands or style.thousands else str(value)
    return text.translate(FULL_WIDTH) if style.full_width else text


def table2(
    edition: int, rng: random.Random, big: bool
) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """Table 2 blocks: (item, column labels, [(row label, printed cells)])."""
    scale = 20000 if big else 60

    def n(lo: int = 0) -> str:
        value = rng.randint(lo, scale)
        return f"{value:,}" if big else str(value)

    if edition == 2021:
        fee = f"{rng.randint(10, 99999)}.{rng.randint(1, 999999)}"
        return [
            ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", ["0", "0", "0"]), ("行政规范性文件", [n(), n(), n(1)])]),
            ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", [n()])]),
            ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", [n()]), ("行政强制", [n()])]),
            ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", [fee])]),
        ]  # fmt: skip
    delta = rng.randint(-40, 40)
    return [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", ["0", "0", "0"]), ("规范性文件", [n(), n(), n(1)])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", [n(), f"{delta:+d}", n()]), ("其他对外管理服务事项", [n(), "0", n()])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", [n(), "-3", n()]), ("行政强制", [n(), "0", n()])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("行政事业性收费", [n(), "+1"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [("政府集中采购", [n(), f"{rng.randint(1000, 9999999)}.50元"])]),
    ]  # fmt: skip
