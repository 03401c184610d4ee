"""``gip parse``: parse report files and print their records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gip_data.cli import cli, read_input
from gip_data.errors import GipDataError
from gip_data.parse import parse_bytes
from gip_data.schema.record import AnnualReport


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per input, one per line, in input order."
)
def parse_command(files: tuple[Path, ...], as_json: bool) -> None:
    """解析年报文件 / Parse annual report files.

    Prints one summary line per report (with --json: one JSON record per input,
    in input order, and ``{"source", "error"}`` for an input that failed).
    Failures are also reported one line each on stderr; the exit code is 1 when
    any input failed. A folder or a missing path is such a failure.
    """
    failed = 0
    for path in files:
        try:
            report = parse_bytes(read_input(path), path.name)
        except GipDataError as exc:
            failed += 1
            click.echo(f"{path}: {exc.message}", err=True)
            if as_json:
                click.echo(json.dumps({"source": str(path), "error": exc.to_dict()}, ensure_ascii=False))
            continue
        if as_json:
            click.echo(report.model_dump_json())
        else:
            _print_summary(path, report)
    if failed:
        sys.exit(1)


def _print_summary(path: Path, report: AnnualReport) -> None:
    status = (
        "勾稽通过 / checks pass"
        if report.consistent
        else f"{len(report.failed_checks)} 项勾稽不符 / checks fail"
    )
    click.echo(
        f"{path}: {report.agency or '?'} {report.year or '?'}年 模板{report.template} "
        f"{report.level or '?'} {report.region or ''} — {status}"
    )
