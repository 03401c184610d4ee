"""Commands over the report database: export, list, show, delete, reparse, synth (import: ``importing``).

Also the options and the error handling every database command shares.
"""

from __future__ import annotations

import functools
import getpass
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gip_data.cli import cli
from gip_data.errors import GipDataError
from gip_data.settings import DATABASE_URL_ENV
from gip_data.storage import open_store
from gip_data.storage.api import ImportOutcome, ImportStatus

if TYPE_CHECKING:
    from gip_data.export import ExportFormat

P = ParamSpec("P")
R = TypeVar("R")
STATUS_LABELS: dict[ImportStatus, str] = {
    "imported": "新导入 / imported",
    "new_version": "新版本 / new versions",
    "duplicate": "重复 / duplicates",
    "failed": "失败 / failed",
}
err_console = Console(stderr=True)
# A report id as the database can hold it (64-bit); anything else is a usage error, not a crash.
REPORT_ID = click.IntRange(min=1, max=2**63 - 1)

db_option = click.option(
    "--db",
    "db_url",
    envvar=DATABASE_URL_ENV,
    default=None,
    metavar="URL",
    help=f"数据库地址 / database URL (env {DATABASE_URL_ENV}; default: data/gip.db)",
)
by_option = click.option("--by", "actor", default=None, help="操作人 / who does this (default: the OS user)")


def friendly_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print GipDataError as one Chinese/English line and exit 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except GipDataError as exc:
            click.echo(f"错误 / error [{exc.code}]: {exc.message}", err=True)
            sys.exit(1)

    return wrapper


def actor_name(actor: str | None) -> str:
    """Who does this: ``--by``, else the OS user."""
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def outcome_summary(outcomes: list[ImportOutcome]) -> dict[str, Any]:
    """Counts per outcome and one entry per file (``--json`` of import and reparse)."""
    counts = Counter(o.status for o in outcomes)
    return {
        **{status: counts.get(status, 0) for status in STATUS_LABELS},
        "files": [o.model_dump() for o in outcomes],
    }


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "json"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出文件 / output file (default: reports.<format> in the current folder, never overwritten)",
)
@click.option(
    "--headers",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="列名语言 / header language",
)
@db_option
@friendly_errors
def export_command(
    fmt: ExportFormat, output: Path | None, headers: Literal["zh", "en"], db_url: str | None
) -> None:
    """导出当前报告 / Export current reports: one row per report, all metadata and cells.

    Without -o the file is reports.<format> in the current folder; an existing
    file of that name is not overwritten (name it with -o to replace it). The
    command says on stderr where it wrote.
    """
    from gip_data.export import write_export
    from gip_data.storage import load_frames

    target = output or Path(f"reports.{fmt}")
    if output is None and target.exists():
        raise click.UsageError(
            f"当前文件夹已有 {target}，未覆盖；请用 -o 指定输出文件 / {target} exists here and was not "
            "overwritten; choose the output file with -o"
        )
    rows = write_export(load_frames(open_store(db_url)).wide, target, fmt, headers)
    click.echo(f"已导出 {rows} 份报告 / exported {rows} reports → {target.resolve()}", err=True)


@cli.command("list")
@click.option(
    "--all",
    "include_inactive",
    is_flag=True,
    help="包括被替代和已删除的版本 / include superseded and deleted",
)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@db_option
@friendly_errors
def list_command(include_inactive: bool, limit: int, as_json: bool, db_url: str | None) -> None:
    """列出已存报告 / List stored reports, newest first."""
    reports = open_store(db_url).list_reports(include_inactive=include_inactive, limit=limit)
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in reports], ensure_ascii=False))
        return
    table = Table("ID", "机关 / agency", "年度", "层级", "状态 / status", "勾稽", "来源 / file")
    for r in reports:
        mark = "示例 " if r.sample else "合成数据 " if r.synthetic else ""
        table.add_row(
            str(r.id),
            f"{mark}{r.agency or '?'}",
            str(r.year or "?"),
            r.level or "?",
            r.status,
            "✓" if r.consistent else "✗",
            r.file_name,
        )
    Console().print(table)


def _cell_address(value: str) -> tuple[int, str, str]:
    """``3:granted:total`` → (3, "granted", "total")."""
    table, _, rest = value.partition(":")
    row, _, column = rest.partition(":")
    if table not in ("3", "4") or not row or not column:
        raise click.BadParameter("单元格形如 3:granted:total / expected TABLE:ROW:COLUMN, e.g. 3:granted:total")
    return int(table), row, column


@cli.command("show")
@click.argument("report_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="打印完整记录 / print the full stored report")
@click.option(
    "--cell",
    callback=lambda _ctx, _param, value: None if value is None else _cell_address(value),
    help="只显示一个单元格的来源 / only where one cell came from, e.g. 3:granted:total",
)
@db_option
@friendly_errors
def show_command(report_id: int, as_json: bool, cell: tuple[int, str, str] | None, db_url: str | None) -> None:
    """显示一份报告、其数字来源及版本历史 / Show one report, where its numbers came from, its versions."""
    from gip_data.cli.sources import describe_span, source_lines

    store = open_store(db_url)
    if cell is not None:
        span = store.cell_source(report_id, *cell)
        where = describe_span(span) if span is not None else "未记录来源 / no source recorded"
        click.echo(f"#{report_id} 表{cell[0]} {cell[1]}.{cell[2]} ← {where}")
        return
    stored = store.get_report(report_id)
    if as_json:
        click.echo(stored.model_dump_json())
        return
    r = stored.record
    click.echo(
        f"#{stored.id} {r.agency or '?'} {r.year or '?'}年 模板{r.template} {r.level or '?'} [{stored.status}]"
    )
    click.echo(f"文件 / file: {stored.file_name} ({stored.format}, sha256 {stored.sha256[:12]}…)")
    click.echo(
        f"上传 / uploaded: {stored.uploaded_by} {stored.uploaded_at:%Y-%m-%d %H:%M} · 解析器 / parser {stored.parser_version}"
    )
    click.echo(
        f"勾稽 / checks: {'通过 / pass' if r.consistent else f'{len(r.failed_checks)} 项不符 / failing'}"
    )
    click.echo(f"来源 / where the numbers came from ({len(r.provenance)} cells):")
    for line in source_lines(r):
        click.echo(line)
    for version in store.report_versions(report_id):
        click.echo(
            f"  版本 / version #{version.id} [{version.status}] {version.file_name} {version.uploaded_at:%Y-%m-%d %H:%M}"
        )


@cli.command("delete")
@click.argument("report_id", type=REPORT_ID, required=False)
@click.option("--sample", is_flag=True, help="删除全部示例报告 / delete every sample report (示例)")
@click.option("--synthetic", is_flag=True, help="彻底移除合成数据 / remove all synthetic reports")
@db_option
@by_option
@friendly_errors
def delete_command(
    report_id: int | None, sample: bool, synthetic: bool, db_url: str | None, actor: str | None
) -> None:
    """删除报告（软删除，保留记录）/ Soft-delete a report (kept with who and when)."""
    if (report_id is not None) + sample + synthetic != 1:
        raise click.UsageError(
            "请给出 ID、--sample 或 --synthetic 之一 / give one of ID, --sample, --synthetic"
        )
    store = open_store(db_url)
    if sample:
        click.echo(f"已删除 {store.delete_sample(by=actor_name(actor))} 份示例报告 / sample reports deleted", err=True)
    elif synthetic:
        removed = store.purge_synthetic(by=actor_name(actor))
        click.echo(f"已移除 {removed} 份合成报告 / synthetic reports removed", err=True)
    elif report_id is not None:  # the only one left of the three
        store.delete(report_id, by=actor_name(actor))
        click.echo(f"已删除 / deleted #{report_id}", err=True)


@cli.command("reparse")
@click.argument("report_id", type=REPORT_ID, required=False)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="重新解析全部当前报告 / reparse every current report with a file",
)
@click.option("--json", "as_json", is_flag=True)
@db_option
@by_option
@friendly_errors
def reparse_command(
    report_id: int | None, everything: bool, as_json: bool, db_url: str | None, actor: str | None
) -> None:
    """用当前解析器重新解析原始文件 / Re-parse stored original files with the current parser."""
    if (report_id is None) == (not everything):
        raise click.UsageError("请给出 ID 或 --all / give an ID or --all")
    store = open_store(db_url)
    ids = (
        [report_id]
        if report_id is not None
        else [r.id for r in store.list_reports(limit=None) if not r.synthetic]
    )
    outcomes = [store.reparse(i, by=actor_name(actor)) for i in ids]
    summary = outcome_summary(outcomes)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    for o in outcomes:
        if not as_json or o.status == "failed":
            click.echo(f"#{o.report_id} {o.source}: {o.status} {o.message}", err=True)
    if summary["failed"]:
        sys.exit(1)


def _year_range(_ctx: Any, _param: Any, value: str) -> list[int]:
    try:
        first, _, last = value.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        years = []
    if not years or years[0] < 1990 or years[-1] > 2100:
        raise click.BadParameter("年份范围形如 2019-2025 / expected a range like 2019-2025")
    return years


@cli.command("synth")
@click.option(
    "--reports", "n_reports", type=click.IntRange(min=1), required=True, help="报告份数 / number of reports"
)
@click.option("--years", default="2019-2025", show_default=True, callback=_year_range)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--replace", is_flag=True, help="先移除已有合成数据 / remove existing synthetic reports first")
@db_option
@friendly_errors
def synth_command(n_reports: int, years: list[int], seed: int, replace: bool, db_url: str | None) -> None:
    """生成合成报告（标记为合成数据）/ Write synthetic reports that obey every rule (marked 合成数据)."""
    from gip_data.storage import load_frames
    from gip_data.storage.bulk import insert_report_rows
    from gip_data.synth import SYNTHETIC_UPLOADER, synth_chunks

    store = open_store(db_url)
    if replace:
        store.purge_synthetic(by=SYNTHETIC_UPLOADER)
    elif store.count_reports(synthetic=True):
        raise click.UsageError("数据库已有合成数据，请加 --replace / synthetic reports exist; use --replace")
    with Progress(
        TextColumn("合成 / synth"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task("synth", total=n_reports)
        stored = insert_report_rows(
            store,
            synth_chunks(n_reports, years, seed),
            by=SYNTHETIC_UPLOADER,
            progress=lambda n: bar.advance(task, n),
        )
    load_frames(store)  # warm the frame snapshot so the first dashboard load is fast
    click.echo(f"已写入 {stored} 份合成报告 / wrote {stored} synthetic reports (合成数据)", err=True)
