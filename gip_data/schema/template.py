"""The standard tables of the annual report, declared once as data.

Both editions (国办公开办函〔2019〕60号 and 〔2021〕30号) are described here: the row
keys of table 3 with their official labels, keywords and roles in the rules, the
7 applicant columns, the 15 cells of table 4, the widths and in-row sums they
imply, and the blocks of table 2 (:data:`EDITION_SPECS`). The extractor matches labels
against these declarations, the validator derives the arithmetic rules (勾稽关系)
from the rows' roles and the UI looks display labels up in them, so no other
module spells a label, a width or a sum. A new edition is one more
:class:`EditionSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

# The editions of the template, by the year of their notice; the record's ``template`` is one of them.
Edition = Literal[2019, 2021]
TableNumber = Literal[3, 4]  # the tables whose cells are addressed one by one: 3 (applications), 4 (cases)
EDITIONS: tuple[Edition, ...] = get_args(Edition)


def as_edition(year: int) -> Edition:
    """``year`` as a record's edition (an :class:`EditionSpec` may declare one the record type does not know yet).

    Raises ValueError for such an edition, as the record's own validation would.
    """
    for edition in EDITIONS:
        if edition == year:
            return edition
    raise ValueError(f"edition {year} is declared for extraction but is not a record Edition")

# Applicant columns of table 3, in print order.
APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_service",
    "other_org",
    "total",
)
APPLICANT_COLUMN_LABELS: dict[str, str] = {
    "natural_person": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
ORG_COLUMNS: tuple[str, ...] = APPLICANT_COLUMNS[1:6]
N_COLUMNS = len(APPLICANT_COLUMNS)


RowRole = Literal["inflow", "disposition", "total", "outflow"]


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of table 3.

    ``group`` is the merged parent label (（三）不予公开 …) or None for top rows;
    ``label`` is the official leaf label; ``variants`` are other wordings seen in
    real reports (compared after normalisation); ``keywords`` are distinctive
    words that place a reworded or damaged label once the row order says which
    row comes next. ``role`` says where the row stands in the rules (勾稽关系):
    ``inflow`` rows (一, 二) balance ``total`` (（七）) plus ``outflow`` (四), and
    ``total`` is the sum of the ``disposition`` rows.
    """

    key: str
    label: str
    group: str | None = None
    variants: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    role: RowRole = "disposition"


_RESULTS = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

_HEAD_ROWS: tuple[Row, ...] = (
    Row("new_received", "一、本年新收政府信息公开申请数量", keywords=("新收",), role="inflow"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", keywords=("上年结转",), role="inflow"),
    Row("granted", "（一）予以公开", _RESULTS, keywords=("予以公开",)),
    Row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        _RESULTS,
        keywords=("部分公开",),
    ),
    Row("withheld_state_secret", "1.属于国家秘密", _WITHHELD, keywords=("国家秘密",)),
    Row(
        "withheld_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        _WITHHELD,
        ("2.其他法律法规禁止公开",),
        keywords=("禁止公开",),
    ),
    Row("withheld_safety_stability", "3.危及“三安全一稳定”", _WITHHELD, keywords=("三安全", "一稳定")),
    Row("withheld_third_party", "4.保护第三方合法权益", _WITHHELD, keywords=("第三方",)),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息", _WITHHELD, keywords=("内部事务",)),
    Row("withheld_process_info", "6.属于四类过程性信息", _WITHHELD, keywords=("过程性",)),
    Row("withheld_enforcement_file", "7.属于行政执法案卷", _WITHHELD, keywords=("执法案卷",)),
    Row("withheld_administrative_query", "8.属于行政查询事项", _WITHHELD, keywords=("查询事项",)),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", _UNABLE, keywords=("不掌握",)),
    Row("unable_needs_creation", "2.没有现成信息需要另行制作", _UNABLE, keywords=("另行制作", "现成信息")),
    Row("unable_unclear", "3.补正后申请内容仍不明确", _UNABLE, keywords=("不明确",)),
    Row("not_processed_petition", "1.信访举报投诉类申请", _NOT_PROCESSED, keywords=("信访", "举报投诉")),
    Row("not_processed_duplicate", "2.重复申请", _NOT_PROCESSED, keywords=("重复申请",)),
    Row("not_processed_publication", "3.要求提供公开出版物", _NOT_PROCESSED, keywords=("出版物",)),
    Row("not_processed_massive", "4.无正当理由大量反复申请", _NOT_PROCESSED, keywords=("大量反复",)),
    Row(
        "not_processed_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        _NOT_PROCESSED,
        keywords=("重新出具", "确认"),
    ),
)
OTHER_SINGLE_ROW = Row("other", "（六）其他处理", _RESULTS, keywords=("其他处理",))
OTHER_SPLIT_ROWS: tuple[Row, ...] = (
    Row(
        "other_overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
        keywords=("逾期不补正",),
    ),
    Row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
        keywords=("收费通知", "缴纳费用"),
    ),
    Row("other_misc", "3.其他", _OTHER, keywords=("其他",)),
)
_TAIL_ROWS: tuple[Row, ...] = (
    Row("total", "（七）总计", _RESULTS, keywords=("总计", "合计"), role="total"),
    Row("carried_forward", "四、结转下年度继续办理", keywords=("结转下年",), role="outflow"),
)

# The two printed shapes of table 3: （六） as one row, or as its three 2021 sub-rows.
LAYOUT_SINGLE_OTHER: tuple[Row, ...] = _HEAD_ROWS + (OTHER_SINGLE_ROW,) + _TAIL_ROWS
LAYOUT_SPLIT_OTHER: tuple[Row, ...] = _HEAD_ROWS + OTHER_SPLIT_ROWS + _TAIL_ROWS


def application_rows(split_other: bool) -> tuple[Row, ...]:
    """Rows of table 3 in print order; ``split_other`` selects the 2021 （六）."""
    return LAYOUT_SPLIT_OTHER if split_other else LAYOUT_SINGLE_OTHER


ALL_APPLICATION_ROWS: tuple[Row, ...] = _HEAD_ROWS + (OTHER_SINGLE_ROW,) + OTHER_SPLIT_ROWS + _TAIL_ROWS
ROW_BY_KEY: dict[str, Row] = {row.key: row for row in ALL_APPLICATION_ROWS}

# Disposition rows grouped for metrics (the parents of the 勾稽 tree).
DISPOSITION_GROUPS: dict[str, tuple[str, ...]] = {
    "granted": ("granted",),
    "partially_granted": ("partially_granted",),
    "withheld": tuple(r.key for r in _HEAD_ROWS if r.group == _WITHHELD),
    "unable": tuple(r.key for r in _HEAD_ROWS if r.group == _UNABLE),
    "not_processed": tuple(r.key for r in _HEAD_ROWS if r.group == _NOT_PROCESSED),
    "other": ("other",) + tuple(r.key for r in OTHER_SPLIT_ROWS),
}
DISPOSITION_GROUP_LABELS: dict[str, str] = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}
# Every leaf that adds up to （七）总计 (rule 2), for either edition.
DISPOSITION_LEAVES: tuple[str, ...] = tuple(r.key for r in ALL_APPLICATION_ROWS if r.role == "disposition")

# Table 4: three blocks of five outcomes, 15 cells left to right.
OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
OUTCOME_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
CASE_BLOCKS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
CASE_BLOCK_LABELS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}

# Widths of the printed rows and the sums inside one row, derived from the columns above:
# a table-3 row's 总计 is the sum of its six applicant cells, a table-4 block's 总计
# the sum of its four outcomes.
APPLICATION_TOTAL_COLUMN = "total"
CASE_TOTAL_OUTCOME = "total"
APPLICATION_WIDTH = N_COLUMNS
CASE_BLOCK_WIDTH = len(OUTCOMES)
CASE_WIDTH = len(CASE_BLOCKS) * CASE_BLOCK_WIDTH
RowSum = tuple[int, tuple[int, ...]]  # (index of the total cell, indices of its parts)


def _block_sum(columns: tuple[str, ...], total: str, offset: int = 0) -> RowSum:
    at = columns.index(total)
    return offset + at, tuple(offset + i for i in range(len(columns)) if i != at)


APPLICATION_ROW_SUMS: tuple[RowSum, ...] = (_block_sum(APPLICANT_COLUMNS, APPLICATION_TOTAL_COLUMN),)
CASE_ROW_SUMS: tuple[RowSum, ...] = tuple(
    _block_sum(OUTCOMES, CASE_TOTAL_OUTCOME, b * CASE_BLOCK_WIDTH) for b in range(len(CASE_BLOCKS))
)

# Table 2 blocks per edition: item → (column labels, row labels).
ProactiveSpec = tuple[tuple[str, ...], tuple[str, ...]]
_PROACTIVE_2019: dict[str, ProactiveSpec] = {
    "第二十条第（一）项": (("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    "第二十条第（五）项": (("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
    "第二十条第（六）项": (("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
    "第二十条第（八）项": (("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
    "第二十条第（九）项": (("采购项目数量", "采购总金额"), ("政府集中采购",)),
}
_PROACTIVE_2021: dict[str, ProactiveSpec] = {
    "第二十条第（一）项": (("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    "第二十条第（五）项": (("本年处理决定数量",), ("行政许可",)),
    "第二十条第（六）项": (("本年处理决定数量",), ("行政处罚", "行政强制")),
    "第二十条第（八）项": (("本年收费金额（单位：万元）",), ("行政事业性收费",)),
}


@dataclass(frozen=True, slots=True)
class EditionSpec:
    """One national format: the shapes its table 3 is printed in and its table 2.

    ``layouts`` are the row sequences of table 3 the edition prints, preferred
    first (2021 also accepts the single （六） row that late adopters kept). The
    extractor aligns the printed labels with every layout of every edition and
    keeps the best; the validator derives the rules from the chosen rows'
    roles. Adding an edition means declaring one more spec here.
    """

    edition: int
    document: str
    layouts: tuple[tuple[Row, ...], ...]
    proactive: dict[str, ProactiveSpec]


EDITION_SPECS: tuple[EditionSpec, ...] = (
    EditionSpec(2019, "国办公开办函〔2019〕60号", (LAYOUT_SINGLE_OTHER,), _PROACTIVE_2019),
    EditionSpec(2021, "国办公开办函〔2021〕30号", (LAYOUT_SPLIT_OTHER, LAYOUT_SINGLE_OTHER), _PROACTIVE_2021),
)


def edition_spec(edition: int, editions: tuple[EditionSpec, ...] = EDITION_SPECS) -> EditionSpec:
    """The declared spec of ``edition`` (KeyError for an edition nobody declared)."""
    for spec in editions:
        if spec.edition == edition:
            return spec
    raise KeyError(edition)


# Table 2 blocks: item → (edition → (column labels, row labels)), for every declared edition.
PROACTIVE_BLOCKS: dict[str, dict[int, ProactiveSpec]] = {}
for _spec in EDITION_SPECS:
    for _item, _block in _spec.proactive.items():
        PROACTIVE_BLOCKS.setdefault(_item, {})[_spec.edition] = _block


def cell_column(row_key: str, column: str) -> str:
    """Name of one table-3 cell in wide frames and database columns."""
    return f"{row_key}__{column}"


def case_column(block: str, outcome: str) -> str:
    """Name of one table-4 cell in wide frames and database columns."""
    return f"{block}__{outcome}"


# The printed tables' headings and the header cells that group columns or rows without being a
# column or row themselves (the UI prints the tables as the template does, from these and the above).
TABLE_TITLES: dict[int, str] = {
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
}
APPLICANTS_HEADER = "申请人情况"
# Table 3's applicant columns under their printed group header (None: a column standing alone).
APPLICANT_COLUMN_GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, APPLICANT_COLUMNS[:1]),
    ("法人或其他组织", ORG_COLUMNS),
    (None, APPLICANT_COLUMNS[-1:]),
)
# Table 4's blocks under their printed group header.
CASE_BLOCK_GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, CASE_BLOCKS[:1]),
    ("行政诉讼", CASE_BLOCKS[1:]),
)
PROACTIVE_CONTENT_HEADER = "信息内容"
