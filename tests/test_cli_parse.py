"""`gip parse`: one JSON line per input, in input order; failures on stderr (typed, bilingual); exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from gip_data.cli import cli
from tests.conftest import SEEDS


def _seed(n: int) -> Path:
    return next(SEEDS.glob(f"{n:03d}_*.txt"))


def test_parse_json_keeps_input_order_and_reports_failures(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x00\x01\x02" * 100)
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一份普通的通知，没有任何表格。\n" * 5, encoding="utf-8")
    inputs = [_seed(0), garbage, _seed(3), prose, tmp_path / "missing.pdf"]
    result = CliRunner().invoke(cli, ["parse", "--json", *map(str, inputs)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(inputs)
    assert lines[0]["agency"] and lines[0]["year"] == 2020
    assert lines[2]["template"] == 2021
    for index in (1, 3, 4):
        assert lines[index]["source"] == str(inputs[index])
        assert set(lines[index]["error"]) == {"code", "message"}
    assert lines[3]["error"]["code"] == "not-a-report"
    assert len(result.stderr.strip().splitlines()) == 3
    assert "Traceback" not in result.output


def test_parse_success_exits_zero_with_summary() -> None:
    result = CliRunner().invoke(cli, ["parse", str(_seed(4))])
    assert result.exit_code == 0, result.output
    assert "2020" in result.stdout


def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    gip = Path(sys.executable).with_name("gip")
    proc = subprocess.run([str(gip), "parse", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "文件为空" in proc.stderr and "empty file" in proc.stderr


def test_a_folder_or_a_missing_path_gets_a_typed_bilingual_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    result = CliRunner().invoke(cli, ["parse", str(tmp_path), str(missing), str(_seed(4))])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"{tmp_path}: 这是文件夹，不是文件（导入整个文件夹请用 gip import） / a folder, not a file (gip import takes folders)",
        f"{missing}: 文件不存在 / no such file",
    ]
    assert "2020" in result.stdout and "Usage:" not in result.output and "Invalid value" not in result.output
    lines = [
        json.loads(line)
        for line in CliRunner()
        .invoke(cli, ["parse", "--json", str(tmp_path), str(missing)])
        .stdout.splitlines()
    ]
    assert [line["error"]["code"] for line in lines] == ["is-a-folder", "file-not-found"]


def test_stdout_holds_only_json_with_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("没有表格", encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", "--json", str(bad), str(_seed(1))])
    first, second = (json.loads(line) for line in result.stdout.splitlines())  # nothing else on stdout
    assert first["source"] == str(bad) and first["error"]["code"] == "not-a-report"
    assert second["agency"] and second["template"] in (2019, 2021)
    assert result.stderr.splitlines() == [f"{bad}: {first['error']['message']}"]
