"""``gip debug FILE``: show every extraction stage, to see why a number landed where it did.

The file goes through the same pipeline as ``gip parse`` (every reading, the
best one kept); the stages shown are those of the reading the rules chose, and
the last section says where each number of the record came from.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from gip_data.cli import cli, read_input
from gip_data.cli.sources import source_lines
from gip_data.errors import GipDataError
from gip_data.extract.tables import CASES_ROW, ExtractedTables
from gip_data.parse import Extraction, best_reading, build_record
from gip_data.readers.document import Document, Line


@cli.command("debug")
@click.argument("file", type=click.Path(path_type=Path))
def debug_command(file: Path) -> None:
    """逐步显示表格抽取过程 / Show the table-extraction stages of one report."""
    try:
        data = read_input(file)
        chosen = best_reading(data, file.name)
        record = build_record(chosen, data, file.name)
    except GipDataError as exc:
        click.echo(f"{file}: {exc.message}", err=True)
        sys.exit(1)
    _print_blocks(chosen.document)
    _print_matches(chosen.tables)
    _print_rows(chosen.tables)
    _print_decisions(chosen)
    click.echo(f"== 6. 来源 / where each number came from ({len(record.provenance)} cells)")
    for line in source_lines(record):
        click.echo(line)


def _print_blocks(document: Document) -> None:
    kinds = Counter("line" if isinstance(b, Line) else "table" for b in document.blocks)
    reading = f" reading={document.reading}" if document.reading else ""
    click.echo(
        f"== 1. 文档 / blocks: format={document.format}{reading} lines={kinds['line']} tables={kinds['table']}"
    )


def _print_matches(tables: ExtractedTables) -> None:
    stages = tables.stages
    click.echo(f"== 2. 标记 / tokens: {len(stages.tokens)}; 表三行标签 / matched labels: {len(stages.matches)}")
    for match in stages.matches:
        click.echo(f"  @{match.position:<5} {match.key:<32} [{match.how}] {match.text}")
    click.echo(f"  表三结束 / table 3 ends at token {stages.table_end}; 版本 / edition {tables.template}")


def _print_rows(tables: ExtractedTables) -> None:
    stages = tables.stages
    click.echo("== 3. 每行数字 / numbers per row (printed → candidates → value)")
    for chunk in stages.chunks:
        printed = " ".join(stages.tokens[p].text or "□" for p in chunk.positions)
        count = len(stages.candidates.get(chunk.key, []))
        click.echo(f"  {chunk.key:<32} [{printed}] → {count} 种读法 → {tables.applications.get(chunk.key)}")
    cases = " ".join(stages.tokens[p].text or "□" for p in stages.case_positions)
    click.echo(f"  {'table 4':<32} [{cases}] → {len(stages.candidates.get(CASES_ROW, []))} 种读法")


def _print_decisions(chosen: Extraction) -> None:
    tables = chosen.tables
    click.echo("== 4. 解码 / decode decisions")
    for line in tables.stages.decisions:
        click.echo(f"  {line}")
    for repair in tables.repairs:
        click.echo(f"  修补 / repair: 表{repair.table} {repair.row}.{repair.column} = {repair.value}（{repair.reason}）")
    for cell in tables.assumed_zero:
        click.echo(f"  视为0 / assumed zero: 表{cell.table} {cell.row}.{cell.column}")
    for warning in tables.warnings:
        click.echo(f"  警告 / warning: {warning}")
    failed = [c for c in chosen.checks if not c.holds]
    click.echo(f"== 5. 勾稽 / checks: {len(failed)} 项不符 / failed")
    for check in failed:
        click.echo(f"  {check.code}: {check.message}")
