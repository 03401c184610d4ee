"""``gip parse``: parse report files and print their records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gip_data.cli import cli
from gip_data.errors import GipDataError
from gip_data.parse import parse_file


def _error_line(source: str, error: GipDataError) -> dict[str, object]:
    return {"source": source, "error": error.to_dict()}


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, one per line, in input order.")
def parse_command(files: tuple[Path, ...], as_json: bool) -> None:
    """解析年报文件 / Parse annual report files (PDF, DOCX, HTML, TXT).

    Failed inputs are reported one line each on stderr; the exit code is 1 when
    any input failed.
    """
    failed = 0
    for path in files:
        try:
            if not path.is_file():
                raise FileNotFoundError(path)
            report = parse_file(path)
        except FileNotFoundError:
            failed += 1
            error = {"code": "not-found", "message": f"文件不存在 / file not found: {path}"}
            click.echo(f"{path}: {error['message']}", err=True)
            if as_json:
                click.echo(json.dumps({"source": str(path), "error": error}, ensure_ascii=False))
            continue
        except GipDataError as exc:
            failed += 1
            click.echo(f"{path}: {exc.message}", err=True)
            if as_json:
                click.echo(json.dumps(_error_line(str(path), exc), ensure_ascii=False))
            continue
        if as_json:
            click.echo(report.model_dump_json())
        else:
            _print_summary(path, report)
    if failed:
        sys.exit(1)


def _print_summary(path: Path, report) -> None:  # type: ignore[no-untyped-def]
    status = "勾稽通过 / checks pass" if report.consistent else f"{len(report.failed_checks)} 项勾稽不符 / checks fail"
    click.echo(
        f"{path}: {report.agency or '?'} {report.year or '?'}年 模板{report.template} "
        f"{report.level or '?'} {report.region or ''} — {status}"
    )
