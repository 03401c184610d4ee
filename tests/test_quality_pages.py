"""AppTest of the 年报质量, 地图 and 申请流向 pages on the sample, an empty and a synthetic database."""

from __future__ import annotations

import pytest

from tests.test_app import _open, _texts, database  # noqa: F401, F811 - the fixture fills a database per parameter

pytestmark = pytest.mark.xdist_group("apptest")
PAGES = ("quality.py", "map.py", "flows.py")


@pytest.mark.parametrize("database", ["sample", "empty", "synthetic"], indirect=True)
@pytest.mark.parametrize("page_file", PAGES)
def test_page_renders(database: str, page_file: str) -> None:  # noqa: F811
    at = _open(page_file)
    assert not at.exception, at.exception


def test_quality_page_on_the_sample(database: str) -> None:  # noqa: F811
    at = _open("quality.py")
    assert not at.exception
    names = [df.value for df in at.dataframe]
    checks = names[0]
    assert list(checks["检查项"]) == ["表格勾稽", "正文与表格一致", "跨年衔接", "格式版本", "章节完整", "表二",
                                   "信息处理费说明", "按时发布", "非照抄上年"]
    assert int(checks["通过"].sum()) > 0
    assert "小样本规则" in _texts(at)


def test_quality_page_explains_a_report(database: str) -> None:  # noqa: F811
    at = _open("quality.py")
    box = next(s for s in at.selectbox if s.label.startswith("查看机关最新报告"))
    box.select_index(1).run()
    assert not at.exception
    text = " ".join(str(df.value) for df in at.dataframe)
    assert "勾稽关系全部成立" in text  # the seeds' tables add up


def test_flows_page_draws_the_sankey(database: str) -> None:  # noqa: F811
    at = _open("flows.py")
    assert not at.exception
    assert not [i for i in at.info if "无法绘制" in i.value]


@pytest.mark.parametrize("database", ["synthetic"], indirect=True)
def test_review_queue_and_comparison_show_anomalies(database: str) -> None:  # noqa: F811
    at = _open("data_quality.py")
    assert not at.exception
    kinds = {k for df in at.dataframe if "类型" in df.value.columns for k in df.value["类型"]}
    assert kinds and kinds <= {"同比突变", "同级为零"}
    at = _open("compare.py")
    box = next(s for s in at.selectbox if s.label.startswith("机关"))
    box.select_index(1).run()
    assert not at.exception
    assert "异常提示" in _texts(at)
