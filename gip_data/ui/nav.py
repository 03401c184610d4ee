"""The dashboard's pages: file, title, icon and the stable URL path of each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page of the navigation; ``url_path`` is part of shared links, never rename it."""

    file: str
    title: str
    icon: str
    url_path: str

    @property
    def path(self) -> Path:
        """The page file (absolute, so the router may live anywhere)."""
        return ROOT / "pages" / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "总览", ":material/dashboard:", ""),
    PageSpec("applications.py", "申请情况", ":material/inbox:", "applications"),
    PageSpec("dispositions.py", "办理结果", ":material/fact_check:", "dispositions"),
    PageSpec("review_litigation.py", "复议诉讼", ":material/gavel:", "review"),
    PageSpec("compare.py", "对比", ":material/compare_arrows:", "compare"),
    PageSpec("flows.py", "申请流向", ":material/account_tree:", "flows"),
    PageSpec("map.py", "地图", ":material/map:", "map"),
    PageSpec("quality.py", "年报质量", ":material/verified:", "scorecard"),
    PageSpec("data_quality.py", "数据质量", ":material/rule:", "quality"),
    PageSpec("report_detail.py", "报告详情", ":material/description:", "report"),
    PageSpec("upload.py", "上传", ":material/upload_file:", "upload"),
)
PAGE_BY_FILE: dict[str, PageSpec] = {p.file: p for p in PAGES}
