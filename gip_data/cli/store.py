"""Commands over the report database: import, export, list, show, delete, reparse, synth.

``gip import`` parses in worker processes (parsing is the slow, CPU-bound part)
and stores in the main process, one transaction per file, so the database has
a single writer and a failed file never stops the batch.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from gip_data.cli import cli
from gip_data.errors import GipDataError
from gip_data.jobs import FileProgress, parse_many
from gip_data.readers.registry import READERS
from gip_data.schema.record import AnnualReport
from gip_data.settings import DATABASE_URL_ENV
from gip_data.storage import open_store
from gip_data.storage.api import ImportOutcome
from gip_data.storage.sql import SqlStore

F = TypeVar("F", bound=Callable[..., Any])
# Scans (PNG/JPEG/TIFF) as the registry's image reader names them.
REPORT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", *READERS["image"].suffixes)
STATUS_LABELS = {
    "imported": "新导入 / imported",
    "new_version": "新版本 / new versions",
    "duplicate": "重复 / duplicates",
    "failed": "失败 / failed",
}
err_console = Console(stderr=True)

db_option = click.option(
    "--db",
    "db_url",
    envvar=DATABASE_URL_ENV,
    default=None,
    metavar="URL",
    help=f"数据库地址 / database URL (env {DATABASE_URL_ENV}; default: data/gip.db)",
)
by_option = click.option("--by", "actor", default=None, help="操作人 / who does this (default: the OS user)")


def friendly_errors(command: F) -> F:
    """Print GipDataError as one Chinese/English line and exit 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GipDataError as exc:
            click.echo(f"错误 / error [{exc.code}]: {exc.message}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def collect_files(paths: tuple[Path, ...]) -> Iterator[Path]:
    """Report files among ``paths``, folders searched recursively, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
            )
        else:
            yield path


def parse_path(path: str) -> tuple[str, AnnualReport | None, str | None, str]:
    """Worker: parse one file; returns (path, record, error code, message). Never raises."""
    from gip_data.parse import parse_bytes

    try:
        data = Path(path).read_bytes()
        return path, parse_bytes(data, Path(path).name), None, ""
    except GipDataError as exc:
        return path, None, exc.code, exc.message
    except OSError as exc:
        return path, None, "unreadable", f"无法读取文件 / cannot read file: {exc.strerror or exc}"
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        return path, None, "internal", f"解析器内部错误 / parser error: {type(exc).__name__}: {exc}"


def _store_parsed(
    store: SqlStore, result: tuple[str, AnnualReport | None, str | None, str], actor: str
) -> ImportOutcome:
    path, record, code, message = result
    if record is None:
        return ImportOutcome(source=path, status="failed", error_code=code, message=message)
    outcome = store.import_bytes(Path(path).read_bytes(), Path(path).name, uploaded_by=actor, report=record)
    return outcome.model_copy(update={"source": path})


def import_paths(
    store: SqlStore,
    files: list[Path],
    jobs: int,
    actor: str,
    advance: Callable[[str], None],
    on_progress: FileProgress | None = None,
) -> list[ImportOutcome]:
    """Import ``files``: duplicates found by hash first, the rest parsed on ``jobs`` processes.

    ``advance(path)`` is called as each file is done; scans report their OCR
    progress to ``on_progress(path, fraction, text)`` meanwhile.
    """
    outcomes: list[ImportOutcome] = []
    todo: list[str] = []
    for path in files:
        try:
            existing = store.find_by_sha(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError as exc:
            outcomes.append(
                ImportOutcome(source=str(path), status="failed", error_code="unreadable", message=str(exc))
            )
            advance(str(path))
            continue
        if existing is not None:
            outcomes.append(
                ImportOutcome(
                    source=str(path),
                    status="duplicate",
                    report_id=existing,
                    message="重复文件 / duplicate file",
                )
            )
            advance(str(path))
        else:
            todo.append(str(path))
    for result in parse_many(todo, jobs, parse_path, on_progress):
        outcomes.append(_store_parsed(store, result, actor))
        advance(result[0])
    return outcomes


class _ImportBar:
    """The import's progress bar, and one line per scan being read by OCR (removed when it is done)."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.task = progress.add_task(self._label(), total=total)
        self.scans: dict[str, Any] = {}

    def _label(self) -> str:
        return f"导入 / importing {self.done}/{self.total}"

    def advance(self, path: str) -> None:
        """One file done."""
        self.done += 1
        self.progress.update(self.task, advance=1, description=self._label())
        if path in self.scans:
            self.progress.remove_task(self.scans.pop(path))

    def ocr_progress(self, path: str, fraction: float, text: str) -> None:
        """A scan's OCR progress: its own line under the import bar."""
        if path not in self.scans:
            self.scans[path] = self.progress.add_task("", total=1.0)
        description = f"  OCR {Path(path).name}: {text}"
        self.progress.update(self.scans[path], completed=fraction, description=description)


def _summary(outcomes: list[ImportOutcome]) -> dict[str, Any]:
    counts = Counter(o.status for o in outcomes)
    return {
        **{status: counts.get(status, 0) for status in STATUS_LABELS},
        "files": [o.model_dump() for o in outcomes],
    }


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title="导入结果 / import summary")
    table.add_column("结果 / outcome")
    table.add_column("文件数 / files", justify="right")
    for status, label in STATUS_LABELS.items():
        table.add_row(label, str(summary[status]))
    console = Console()
    console.print(table)
    for item in summary["files"]:
        if item["status"] == "failed":
            console.print(
                f"[red]失败 / failed[/red] {item['source']}: [{item['error_code']}] {item['message']}",
                markup=True,
                highlight=False,
            )


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="解析进程数 / parser processes (default: number of cores)",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总 / print the summary as JSON")
@click.option("--sample", is_flag=True, help="导入内置示例报告 / import the bundled sample reports (示例)")
@db_option
@by_option
@friendly_errors
def import_command(
    paths: tuple[Path, ...],
    jobs: int | None,
    as_json: bool,
    sample: bool,
    db_url: str | None,
    actor: str | None,
) -> None:
    """导入年报文件或文件夹 / Import report files or folders (recursive).

    Exit code 1 when any file failed; the other files are still imported.
    """
    if not paths and not sample:
        raise click.UsageError("请给出文件或文件夹，或使用 --sample / give files or folders, or --sample")
    store = open_store(db_url)
    outcomes = store.import_sample() if sample else []
    files = list(collect_files(paths))
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=as_json,
        disable=not files,
    )
    with progress:
        bar = _ImportBar(progress, len(files))
        outcomes += import_paths(
            store, files, jobs or os.cpu_count() or 1, _actor(actor), bar.advance, bar.ocr_progress
        )
    summary = _summary(outcomes)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        _print_summary(summary)
    if summary["failed"]:
        sys.exit(1)


@cli.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "json"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出文件 / output file (default: reports.<format>)",
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
def export_command(fmt: str, output: Path | None, headers: str, db_url: str | None) -> None:
    """导出当前报告 / Export current reports: one row per report, all metadata and cells."""
    from gip_data.export import write_export
    from gip_data.storage import load_frames

    target = output or Path(f"reports.{fmt}")
    rows = write_export(load_frames(open_store(db_url)).wide, target, fmt, headers)  # type: ignore[arg-type]
    click.echo(f"已导出 {rows} 份报告 / exported {rows} reports → {target}")


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


@cli.command("show")
@click.argument("report_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="打印完整记录 / print the full stored report")
@db_option
@friendly_errors
def show_command(report_id: int, as_json: bool, db_url: str | None) -> None:
    """显示一份报告及其版本历史 / Show one report with its version history."""
    store = open_store(db_url)
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
    for version in store.report_versions(report_id):
        click.echo(
            f"  版本 / version #{version.id} [{version.status}] {version.file_name} {version.uploaded_at:%Y-%m-%d %H:%M}"
        )


@cli.command("delete")
@click.argument("report_id", type=int, required=False)
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
        click.echo(f"已删除 {store.delete_sample(by=_actor(actor))} 份示例报告 / sample reports deleted")
    elif synthetic:
        click.echo(f"已移除 {store.purge_synthetic(by=_actor(actor))} 份合成报告 / synthetic reports removed")
    else:
        store.delete(report_id, by=_actor(actor))  # type: ignore[arg-type]
        click.echo(f"已删除 / deleted #{report_id}")


@cli.command("reparse")
@click.argument("report_id", type=int, required=False)
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
    outcomes = [store.reparse(i, by=_actor(actor)) for i in ids]  # type: ignore[arg-type]
    summary = _summary(outcomes)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        for o in outcomes:
            click.echo(f"#{o.report_id} {o.source}: {o.status} {o.message}")
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
    click.echo(f"已写入 {stored} 份合成报告 / wrote {stored} synthetic reports (合成数据)")
