"""The database commands through click's runner: import, list, show, delete, reparse, export, synth."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from gip_data.cli import cli
from gip_data.export import zh_headers
from gip_data.frames import WIDE_SCHEMA
from tests.conftest import FIXTURES


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GIP_DATABASE_URL", f"sqlite:///{tmp_path / 'gip.db'}")
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def _batch(tmp_path: Path) -> Path:
    """A folder tree with two real reports (two formats of one report) and one broken file."""
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "b" / "c").mkdir(parents=True)
    shutil.copy(FIXTURES / "seed_001.html", root / "a")
    shutil.copy(FIXTURES / "seed_003.docx", root / "b" / "c")
    shutil.copy(FIXTURES / "seed_003.html", root / "b")
    (root / "b" / "broken.pdf").write_bytes(b"%PDF-1.7 this is not a pdf")
    (root / "notes.md").write_text("ignored: not a report suffix")
    return root


def test_import_folder_recursive_summary_and_failure_exit_code(run, tmp_path: Path) -> None:
    result = run("import", str(_batch(tmp_path)), "--jobs", "2", "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert (summary["imported"], summary["new_version"], summary["duplicate"], summary["failed"]) == (
        2,
        1,
        0,
        1,
    )
    failed = [f for f in summary["files"] if f["status"] == "failed"]
    assert failed[0]["source"].endswith("broken.pdf") and failed[0]["error_code"] and failed[0]["message"]
    again = json.loads(run("import", str(tmp_path / "in"), "--json").stdout.strip().splitlines()[-1])
    assert again["duplicate"] == 3 and again["failed"] == 1  # superseded versions too


def test_import_prints_a_table(run, tmp_path: Path) -> None:
    result = run("import", str(FIXTURES / "seed_002.html"), "--jobs", "1")
    assert result.exit_code == 0
    assert "新导入 / imported" in result.stdout and "失败 / failed" in result.stdout


def test_sample_import_and_removal(run) -> None:
    assert run("import", "--sample", "--json").exit_code == 0
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == 5 and all(r["sample"] for r in listed)
    assert "示例" in run("list").stdout
    assert "5" in run("delete", "--sample").stdout
    assert json.loads(run("list", "--json").stdout) == []


def test_show_delete_and_history(run) -> None:
    run("import", str(FIXTURES / "seed_000.html"), str(FIXTURES / "seed_000.docx"), "-j", "1")
    listed = json.loads(run("list", "--all", "--json").stdout)
    newest = listed[0]["id"]
    shown = run("show", str(newest))
    assert "版本 / version" in shown.stdout and "superseded" in shown.stdout
    record = json.loads(run("show", str(newest), "--json").stdout)
    assert record["record"]["year"] == 2020 and record["status"] == "current"
    assert run("delete", str(newest), "--by", "王五").exit_code == 0
    assert json.loads(run("show", str(newest), "--json").stdout)["deleted_by"] == "王五"


def test_errors_are_one_line_in_two_languages(run) -> None:
    result = CliRunner().invoke(cli, ["show", "99999"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert (
        "找不到该报告" in result.output and "not found" in result.output and "Traceback" not in result.output
    )
    assert run("delete").exit_code == 2


def test_reparse_all_reports_unchanged(run) -> None:
    run("import", str(FIXTURES / "seed_004.html"), "-j", "1")
    result = run("reparse", "--all", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["duplicate"] == 1


def _read_xlsx(path: Path) -> pl.DataFrame:
    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row", infer_schema_length=None)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx", "json"])
def test_export_formats_and_headers(run, tmp_path: Path, fmt: str) -> None:
    run("synth", "--reports", "120", "--years", "2020-2022", "--seed", "5")
    target = tmp_path / f"out.{fmt}"
    result = run(
        "export", "--format", fmt, "-o", str(target), "--headers", "zh" if fmt != "parquet" else "en"
    )
    assert result.exit_code == 0 and "120" in result.stdout
    reader = {"csv": pl.read_csv, "parquet": pl.read_parquet, "xlsx": _read_xlsx, "json": pl.read_json}[fmt]
    frame = reader(target)
    assert frame.height == 120
    if fmt == "parquet":
        assert frame.columns == list(WIDE_SCHEMA)  # English headers are the frame's column names
    else:
        headers = [zh_headers()[name] for name in WIDE_SCHEMA]
        assert (sorted(frame.columns) == sorted(headers)) if fmt == "json" else (frame.columns == headers)
        assert {"机关名称", "（一）予以公开·总计", "合成数据"} <= set(frame.columns)


def test_synth_marks_reports_and_refuses_to_double(run) -> None:
    assert run("synth", "--reports", "50", "--years", "2019-2021", "--seed", "2").exit_code == 0
    listed = json.loads(run("list", "--json", "--limit", "100").stdout)
    assert len(listed) == 50 and all(r["synthetic"] for r in listed)
    assert "合成数据" in run("list").stdout
    assert run("synth", "--reports", "10").exit_code == 2
    assert run("synth", "--reports", "10", "--replace").exit_code == 0
    assert "10" in run("delete", "--synthetic").stdout
    assert json.loads(run("list", "--json").stdout) == []
    assert run("synth", "--reports", "5", "--years", "20-x").exit_code == 2
