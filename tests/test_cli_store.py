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
from gip_data.readers.registry import ReadLimits
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
    """A folder tree with two real reports (two formats of one report), one broken file and files not taken."""
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIXTURES / "seed_001.html", root / "a")
    shutil.copy(FIXTURES / "seed_003.docx", root / "b" / "c")
    shutil.copy(FIXTURES / "seed_003.html", root / "b")
    (root / "b" / "broken.pdf").write_bytes(b"%PDF-1.7 this is not a pdf")
    (root / "b" / "~$seed_003.docx").write_bytes(b"\x06owner")  # Word's lock file beside an open document
    (root / ".git" / "HEAD.txt").write_text("hidden folder: never searched")
    (root / "b" / "c" / "old.xyz").write_bytes(b"a type no reader claims")
    with (root / "a" / "huge.txt").open("wb") as huge:  # sparse: over the size limit without the bytes
        huge.truncate(ReadLimits().max_bytes + 1)
    return root


NOT_TAKEN = {
    "~$seed_003.docx": "hidden-file",
    ".git": "hidden-file",
    "old.xyz": "unsupported-format",
    "huge.txt": "file-too-large",
}


def test_import_folder_recursive_summary_and_failure_exit_code(run, tmp_path: Path) -> None:
    result = run("import", str(_batch(tmp_path)), "--jobs", "2", "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    counts = tuple(summary[k] for k in ("imported", "new_version", "duplicate", "failed", "skipped"))
    assert counts == (2, 1, 0, 1, len(NOT_TAKEN))
    failed = [f for f in summary["files"] if f["status"] == "failed"]
    assert failed[0]["source"].endswith("broken.pdf") and failed[0]["error_code"] and failed[0]["message"]
    skipped = {Path(f["source"]).name: f for f in summary["files"] if f["status"] == "skipped"}
    assert {name: f["error_code"] for name, f in skipped.items()} == NOT_TAKEN
    assert all(f["message"] for f in skipped.values())
    assert (
        "broken.pdf" in result.stderr and "old.xyz" in result.stderr
    )  # failures and skips also said on stderr
    again = json.loads(run("import", str(tmp_path / "in"), "--json").stdout)
    assert again["duplicate"] == 3 and again["failed"] == 1  # superseded versions too


def test_import_summary_names_every_file_not_taken_with_its_reason(run, tmp_path: Path) -> None:
    result = run("import", str(_batch(tmp_path)), "--jobs", "1")
    assert result.exit_code == 1 and result.stdout == ""  # the human summary goes to stderr
    lines = result.stderr.splitlines()
    for name, reason in {**NOT_TAKEN, "broken.pdf": "corrupt-file"}.items():
        line = next(line for line in lines if name in line)
        assert reason in line, line
    assert "unsupported file type: .xyz" in result.stderr and "MB > 50 MB" in result.stderr
    assert "未导入 / not taken" in result.stderr and "新导入 / imported" in result.stderr


def test_import_of_a_missing_path_is_a_failure_not_a_usage_error(run, tmp_path: Path) -> None:
    result = run(
        "import", str(tmp_path / "nowhere.pdf"), str(FIXTURES / "seed_002.html"), "-j", "1", "--json"
    )
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["failed"]) == (1, 1)
    assert next(f for f in summary["files"] if f["status"] == "failed")["error_code"] == "file-not-found"


def test_import_prints_a_table(run, tmp_path: Path) -> None:
    result = run("import", str(FIXTURES / "seed_002.html"), "--jobs", "1")
    assert result.exit_code == 0
    assert "新导入 / imported" in result.stderr and "失败 / failed" in result.stderr


def test_sample_import_and_removal(run) -> None:
    summary = json.loads(run("import", "--sample", "--json").stdout)
    listed = json.loads(run("list", "--json", "--limit", "100").stdout)
    assert len(listed) == summary["imported"] >= 5 and all(r["sample"] for r in listed)
    assert "示例" in run("list").stdout
    assert f"{len(listed)} 份示例报告" in run("delete", "--sample").stderr
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
    assert result.exit_code == 0 and f"120 reports → {target.resolve()}" in result.stderr
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
    assert "10" in run("delete", "--synthetic").stderr
    assert json.loads(run("list", "--json").stdout) == []
    assert run("synth", "--reports", "5", "--years", "20-x").exit_code == 2


def test_export_without_output_says_where_it_wrote_and_never_overwrites(
    run, tmp_path: Path, monkeypatch
) -> None:
    run("synth", "--reports", "20", "--years", "2021-2022", "--seed", "1")
    monkeypatch.chdir(tmp_path)
    first = run("export")
    assert first.exit_code == 0 and first.stdout == ""
    assert f"→ {tmp_path / 'reports.csv'}" in first.stderr
    written = (tmp_path / "reports.csv").read_bytes()
    second = run("export")
    assert second.exit_code == 2 and "-o" in second.stderr and "reports.csv" in second.stderr
    assert (tmp_path / "reports.csv").read_bytes() == written
    assert run("export", "-o", "reports.csv", "--headers", "en").exit_code == 0  # named: replaced
    assert (tmp_path / "reports.csv").read_bytes() != written


@pytest.mark.parametrize("command", ["show", "delete", "reparse"])
def test_report_ids_beyond_the_database_range_are_errors_not_crashes(run, command: str) -> None:
    result = CliRunner().invoke(cli, [command, "99999999999999999999"])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
