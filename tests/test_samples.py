"""The bundled samples: a new user sees several years and levels at once (the real development set and the
seeds), every sample file is handled, and the overview draws trends on a database that filled itself.

Nothing here names a parsed value of a real report: the parser is being improved, and only properties
(several years, several levels, the files all accounted for) are asserted.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import streamlit as st

from gip_data.readers.registry import supported_suffixes
from gip_data.storage import load_frames, open_store
from gip_data.storage.sql import SqlStore
from tests.apptest_support import open_page
from tests.conftest import REAL, SEEDS

pytestmark = pytest.mark.xdist_group("apptest")
SAMPLE = Path(str(resources.files("gip_data") / "sample"))


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE.iterdir() if p.suffix in supported_suffixes())


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> SqlStore:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('samples') / 'gip.db'}")
    assert store.ensure_sample() > 0
    return store


def test_samples_are_the_seeds_and_the_real_text_and_pdf_reports() -> None:
    names = {p.name for p in sample_files()}
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    reports = [
        p for p in REAL.iterdir() if p.with_name(f"{p.stem}.truth.json").exists() and p.suffix != ".json"
    ]
    real = {p.name for p in reports if ".scan." not in p.name}  # a scan needs OCR: not a sample
    assert names == seeds | real
    for name in names:  # the same bytes as the test data they were copied from
        origin = SEEDS / name if name in seeds else REAL / name
        assert (SAMPLE / name).read_bytes() == origin.read_bytes()
    assert sum(p.stat().st_size for p in sample_files()) < 1_000_000  # the package stays small


def test_every_sample_file_is_imported_or_refused_with_a_typed_error(tmp_path: Path) -> None:
    outcomes = open_store(f"sqlite:///{tmp_path / 'gip.db'}").import_sample()
    assert sorted(Path(o.source).name for o in outcomes) == [p.name for p in sample_files()]
    assert all(o.status == "imported" or (o.status == "failed" and o.error_code) for o in outcomes)
    assert all(o.status == "imported" for o in outcomes if Path(o.source).name[:3].isdigit())  # the seeds


def test_a_new_database_shows_several_years_and_levels(filled: SqlStore) -> None:
    wide = load_frames(filled).wide
    assert wide["sample"].all() and not wide["synthetic"].any()
    assert wide["year"].drop_nulls().n_unique() >= 4  # 2019–2024 in the real set, 2020–2021 in the seeds
    assert wide["level"].drop_nulls().n_unique() >= 2
    assert wide["template"].n_unique() == 2


def test_the_overview_of_a_fresh_database_draws_trends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIP_DATABASE_URL", f"sqlite:///{tmp_path / 'gip.db'}")
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = open_page("overview.py", timeout=180)  # the app fills the empty database itself
        assert not at.exception
        assert not [i.value for i in at.info if "至少两年" in i.value]  # the trend charts are drawn
        assert len(at.get("plotly_chart")) >= 2
        summary = " ".join(m.value for m in at.markdown)
        assert "共有1份报告" not in summary
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
