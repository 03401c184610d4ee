"""``gip debug FILE`` prints every extraction stage; a non-report fails cleanly."""

from __future__ import annotations

from click.testing import CliRunner

from gip_data.cli import cli
from tests.conftest import DATA, SEEDS


def test_debug_shows_the_stages_and_decisions() -> None:
    result = CliRunner().invoke(cli, ["debug", str(DATA / "layouts" / "concatenated_digits.txt")])
    assert result.exit_code == 0, result.output
    for heading in ("== 1.", "== 2.", "== 3.", "== 4.", "== 5."):
        assert heading in result.output
    assert "unable_not_held" in result.output and "[110000112]" in result.output
    assert "唯一满足勾稽关系" in result.output


def test_debug_on_a_seed_lists_every_row() -> None:
    seed = next(SEEDS.glob("003_*.txt"))
    result = CliRunner().invoke(cli, ["debug", str(seed)])
    assert result.exit_code == 0, result.output
    assert "other_misc" in result.output and "edition 2021" in result.output


def test_debug_on_a_non_report_is_one_line_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "note.txt"
    path.write_text("这是一份会议通知。\n请准时参加。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["debug", str(path)])
    assert result.exit_code == 1
    assert "not an annual report" in result.output
    assert "Traceback" not in result.output

