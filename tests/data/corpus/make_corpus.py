"""Write the adversarial corpus: reports the parser has never seen, and their expected JSON.

Each :data:`SPECS` entry states a report by hand (agency, year, level, body,
region, which labels it prints, how it is laid out and encoded); its numbers are
drawn from a seeded generator (:mod:`truth`) and rendered by
:mod:`render_text` / :mod:`render_rich`. The expected JSON is written from the
same ground truth in the same step; nothing here runs the parser.

Run: ``.venv/bin/python tests/data/corpus/make_corpus.py`` (needs Chromium for the PDFs;
``--no-pdf`` keeps the committed PDFs).
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import labels as L
import render_rich
import render_text as T
import truth as G

HERE = Path(__file__).resolve().parent
HEADINGS = {
    "std": ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
    "long": ["一、总体情况", "二、主动公开政府信息情况", "三、行政机关收到和处理政府信息公开申请情况",
             "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况",
             "六、其他需要报告的事项"],
    "typo": ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政法复议、行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况", "六、其他需要报告的事项"],
}  # fmt: skip
DISPOSITION = set(G.HEAD_LEAVES) | set(G.SPLIT_OTHER) | {"other"}


@dataclass
class Report:
    """One corpus report: what it says about itself, its numbers, and how it is printed."""

    name: str
    fmt: str
    layout: str
    agency: str
    year: int
    level: str | None
    body: str | None
    region: str | None
    seed: int
    split: bool = True
    edition: int | None = None  # table 2 columns; None = from the labels
    title_form: str = "name_first"
    headings_kind: str = "std"
    style: L.Style = field(default_factory=L.Style)
    density: float = 0.6
    scales: tuple[int, ...] = (40, 9, 3, 3, 4, 5)
    case_scale: int = 4
    placeholders: dict[tuple[str, int], str] = field(default_factory=dict)
    placeholder_marks: tuple[str, ...] = ()  # printed in that many zero cells of disposition rows
    blank_total: bool = False
    nbsp_zero: bool = False
    repeat_header: bool = False
    numbers_first: bool = False
    running_footer: str = ""  # printed on every PDF page (position: fixed)
    docx_cut: int = 12
    footer: str = "- 3 -"
    footer_after: int = 9
    table4: str = "pipes"
    encoding: str = "utf-8"
    charset: str = "utf-8"
    site: str = "政府门户网站"
    errors: tuple[str, ...] = ()
    notes: str = ""

    def __post_init__(self) -> None:
        self.created = datetime(self.year + 1, 1, 20)
        self.rng = random.Random(self.seed)
        self.truth = G.Truth(
            self.split,
            G.draw_table(self.rng, self.split, self.density, self.scales),
            G.draw_cases(self.rng, self.case_scale),
        )
        for error in self.errors:
            SOURCE_ERRORS[error](self.truth)
        self.style.split_other = self.split
        self.template = 2021 if self.split or self.edition == 2021 else 2019
        self.table2 = L.table2(self.edition or self.template, self.rng, big=self.scales[0] > 100)
        zeros = [
            (k, c)
            for k, v in self.truth.applications.items()
            if k in DISPOSITION
            for c in range(6)
            if not v[c]
        ]
        for mark, cell in zip(
            self.placeholder_marks, self.rng.sample(zeros, len(self.placeholder_marks)), strict=True
        ):
            self.placeholders[cell] = mark
        self.headings = HEADINGS[self.headings_kind]

    @property
    def title(self) -> str:
        if self.title_form == "bare":
            return f"{self.year}年政府信息公开工作年度报告"
        if self.title_form == "year_first":
            return f"{self.year}年度{self.agency}政府信息公开工作年度报告"
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def opening(self) -> list[str]:
        return [
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
            f"关于政府信息公开工作年度报告格式的要求，由{self.agency}编制。本报告中所列数据的统计期限自{self.year}年1月1日起"
            f"至{self.year}年12月31日止。",
            f"如对本报告有任何疑问，请与{self.agency}办公室联系（电话：0371-6318{self.seed % 10000:04d}）。",
        ]

    @property
    def overview(self) -> list[str]:
        new = self.truth.applications["new_received"][6]
        return [
            f"{self.year}年，{self.agency}坚持以公开为常态、不公开为例外，全年主动公开政府信息{1200 + self.seed:,}条，"
            f"收到政府信息公开申请{new}件，均在法定期限内答复。",
            "（一）主动公开。围绕重点领域信息公开，及时发布政策文件和解读材料。",
        ]

    @property
    def section6(self) -> list[str]:
        if self.template == 2021:
            return [
                "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。",
                "无其他需要报告的事项。",
            ]
        return ["无其他需要报告的事项。"]

    def grid_keys(self) -> list[tuple[str, list[int]]]:
        return list(self.truth.applications.items())

    def grid(self) -> list[tuple[str | None, str, list[str]]]:
        """Printed table 3: (group, label, 7 cell strings) per row."""
        out = []
        for group, label, key in L.table3_rows(list(self.truth.applications), self.style):
            out.append((group, label, [self._cell(key, c) for c in range(7)]))
        return out

    def _cell(self, key: str, column: int) -> str:
        value = self.truth.applications[key][column]
        if (key, column) in self.placeholders:
            assert value == 0 or column == 6, (self.name, key, column)
            return self.placeholders[(key, column)]
        if self.blank_total and column == 6 and key in DISPOSITION:
            return ""
        if self.nbsp_zero and value == 0 and key in DISPOSITION:
            return ""
        return L.number(value, self.style)

    def case_cells(self) -> list[str]:
        return [L.number(self.truth.cases[b][o], self.style) for b in G.BLOCKS for o in G.OUTCOMES]


def _disposition_over_total(truth: G.Truth) -> None:
    """A leaf printed larger than the (七) it should add up to (row total kept consistent)."""
    row = truth.applications["unable_not_held"]
    row[0] += 3
    row[6] += 3


def _case_total_zero(truth: G.Truth) -> None:
    """Table 4: 复议 total printed 0 beside non-zero outcomes."""
    review = truth.cases["review"]
    review["upheld"] = max(review["upheld"], 2)
    review["total"] = 0


SOURCE_ERRORS = {"over_total": _disposition_over_total, "case_zero": _case_total_zero}


def txt_text(report: Report) -> str:
    """The whole report as text in its layout."""
    sep = "\t" if report.layout in ("tabs", "cells") else " | "
    lines = T.prose(report)
    lines += T.table2_lines(report, sep) if report.layout != "layout" else T.table2_lines(report, "    ")
    lines.append(report.headings[2])
    lines += {
        "pipes": T.table3_pipes,
        "tabs": T.table3_tabs,
        "cells": T.table3_cells,
        "run": T.table3_run,
        "layout": lambda r: T.table3_layout(r, r.footer_after, r.footer),
    }[report.layout](report)
    lines.append(report.headings[3])
    lines += T.table4_lines(report, report.table4)
    lines += T.closing(report)
    return "\n".join(lines) + "\n"


def write_report(report: Report, pdf: bool) -> None:
    """Render the document and its expected JSON."""
    path = HERE / f"{report.name}.{report.fmt}"
    if report.fmt == "txt":
        text = txt_text(report)
        path.write_bytes(text.encode(report.encoding))
        if report.layout == "run":
            runs = {
                k: "".join(c) for k, (_, _, c) in zip(report.truth.applications, report.grid(), strict=True)
            }
            report.truth.undecidable_rows = G.ambiguous_rows(report.truth.applications, report.split, runs)
        if report.table4 == "run" and G.case_readings("".join(report.case_cells())) > 1:
            report.truth.undecidable_rows.append("cases")
    elif report.fmt == "html":
        render_rich.write_html(report, path)
    elif report.fmt == "docx":
        render_rich.write_docx(report, path)
    elif pdf:
        render_rich.write_pdf(report, path)
    write_expected(report)


def write_expected(report: Report) -> None:
    """The expected JSON, from the ground truth only."""
    truth = report.truth
    applications = {k: (None if k in truth.undecidable_rows else v) for k, v in truth.applications.items()}
    cases = {b: (None if "cases" in truth.undecidable_rows else v) for b, v in truth.cases.items()}
    data = {
        "agency": report.agency, "year": report.year, "template": report.template, "level": report.level,
        "body": report.body, "region": report.region, "applications": applications, **cases,
        "failed_checks": truth.failed_checks() if not truth.undecidable_rows else None,
        "undecidable_rows": truth.undecidable_rows,
        "layout": f"{report.fmt}/{report.layout}", "notes": report.notes,
    }  # fmt: skip
    (HERE / f"{report.name}.expected.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def main(argv: list[str]) -> None:
    """Write every report and non-report."""
    from specs import NON_REPORTS, SPECS

    pdf = "--no-pdf" not in argv
    for spec in SPECS:
        write_report(Report(**spec), pdf)
    for name, writer in NON_REPORTS.items():
        writer(HERE, name)
        (HERE / f"{name}.expected.json").write_text(
            json.dumps({"error": "NotAReportError"}, ensure_ascii=False) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
