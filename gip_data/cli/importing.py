"""``gip import``: files and folders into the database, with a summary of every file.

Files named on the command line are always handed to the parser (a missing or
unreadable one is a failure with its typed error). In a folder, searched
recursively, a file is *taken* when a registered reader claims its suffix
(:func:`gip_data.readers.registry.supported_suffixes`); every other file is
listed in the summary as not taken, with the reason: an unsupported type, a
hidden or temporary file (``.x``, ``~$x.docx``, ``x~``), a file over the size
limit, a folder that cannot be read or is hidden (not searched).

Parsing runs in worker processes (the slow, CPU-bound part; scans read by OCR
in parallel with the other files, see :func:`gip_data.jobs.parse_many`, each
scan's OCR progress on its own line under the import bar); storing runs in the
main process, one transaction per file, so the database has a single writer and
a failed file never stops the batch.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from gip_data.cli import cli, read_input
from gip_data.cli.store import (
    STATUS_LABELS,
    actor_name,
    by_option,
    db_option,
    err_console,
    friendly_errors,
    outcome_summary,
)
from gip_data.errors import GipDataError
from gip_data.jobs import FileProgress, parse_many
from gip_data.readers.registry import MB, ReadLimits, supported_suffixes
from gip_data.schema.record import AnnualReport
from gip_data.storage import open_store
from gip_data.storage.api import ImportOutcome
from gip_data.storage.sql import SqlStore

SKIPPED_LABEL = "未导入 / not taken"
# Office lock files (~$x.docx), editor backups (x~), temporary downloads; dot files are hidden.
_TEMPORARY_PREFIXES = (".", "~$", "~")
_TEMPORARY_SUFFIXES = ("~", ".tmp", ".temp", ".part", ".crdownload")


@dataclass(frozen=True, slots=True)
class NotTaken:
    """A file (or folder) a folder import did not take, and why (``code`` as in the typed errors)."""

    source: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The summary entry, shaped like an import outcome with status ``skipped``."""
        return {
            "source": self.source,
            "status": "skipped",
            "report_id": None,
            "previous_id": None,
            "error_code": self.code,
            "message": self.message,
        }


def is_hidden_or_temporary(name: str) -> bool:
    """True for dot files and the lock, backup and partial files office suites and browsers leave."""
    lowered = name.lower()
    return lowered.startswith(_TEMPORARY_PREFIXES) or lowered.endswith(_TEMPORARY_SUFFIXES)


def _classify(path: Path, suffixes: frozenset[str], max_bytes: int) -> NotTaken | None:
    """Why a file found in a folder is not taken (None: take it)."""
    if is_hidden_or_temporary(path.name):
        return NotTaken(str(path), "hidden-file", "隐藏或临时文件 / hidden or temporary file")
    if path.suffix.lower() not in suffixes:
        kind = path.suffix.lower() or "（无扩展名 / no suffix）"
        return NotTaken(
            str(path),
            "unsupported-format",
            f"不支持的文件类型 / unsupported file type: {kind}（支持 / supported: {' '.join(sorted(suffixes))}）",
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        return NotTaken(str(path), "corrupt-file", f"无法读取 / cannot read: {exc.strerror or exc}")
    if size > max_bytes:
        return NotTaken(
            str(path),
            "file-too-large",
            f"文件过大 / file too large: {math.ceil(size / MB * 10) / 10:.1f} MB > {max_bytes / MB:.0f} MB",
        )
    return None


def _walk(folder: Path, suffixes: frozenset[str], max_bytes: int) -> Iterator[Path | NotTaken]:
    """Every file under ``folder`` in a stable order: taken ones as paths, the others as :class:`NotTaken`."""
    unreadable: list[NotTaken] = []

    def on_error(exc: OSError) -> None:
        unreadable.append(
            NotTaken(
                str(exc.filename), "corrupt-file", f"无法读取文件夹 / cannot read folder: {exc.strerror}"
            )
        )

    for root, dirs, names in os.walk(folder, onerror=on_error):
        yield from unreadable
        unreadable.clear()
        here = Path(root)
        for name in sorted(dirs):
            if name.startswith("."):
                yield NotTaken(
                    str(here / name), "hidden-file", "隐藏文件夹，未搜索 / hidden folder, not searched"
                )
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            reason = _classify(here / name, suffixes, max_bytes)
            yield here / name if reason is None else reason
    yield from unreadable


def collect_files(
    paths: tuple[Path, ...], limits: ReadLimits | None = None
) -> tuple[list[Path], list[NotTaken]]:
    """The files to import among ``paths`` (folders searched recursively) and the files not taken."""
    suffixes = frozenset(supported_suffixes())
    max_bytes = (limits or ReadLimits()).max_bytes
    files: list[Path] = []
    skipped: list[NotTaken] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)  # named explicitly: the parser decides, a missing file is a failure
            continue
        for item in _walk(path, suffixes, max_bytes):
            if isinstance(item, Path):
                files.append(item)
            else:
                skipped.append(item)
    return files, skipped


Parsed = tuple[str, AnnualReport | None, str | None, str]


def parse_path(path: str) -> Parsed:
    """Worker: parse one file; returns (path, record, error code, message). Never raises."""
    from gip_data.parse import parse_bytes

    try:
        return path, parse_bytes(read_input(Path(path)), Path(path).name), None, ""
    except GipDataError as exc:
        return path, None, exc.code, exc.message
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
        return path, None, "internal", f"解析器内部错误 / parser error: {type(exc).__name__}: {exc}"


def _store_parsed(store: SqlStore, result: Parsed, actor: str) -> ImportOutcome:
    path, record, code, message = result
    if record is None:
        return ImportOutcome(source=path, status="failed", error_code=code, message=message)
    outcome = store.import_bytes(Path(path).read_bytes(), Path(path).name, uploaded_by=actor, report=record)
    return outcome.model_copy(update={"source": path})


def _known(store: SqlStore, path: Path) -> ImportOutcome | None:
    """The outcome of a file that needs no parse: already stored (duplicate) or unreadable (failed)."""
    try:
        existing = store.find_by_sha(hashlib.sha256(read_input(path)).hexdigest())
    except GipDataError as exc:
        return ImportOutcome(source=str(path), status="failed", error_code=exc.code, message=exc.message)
    if existing is None:
        return None
    return ImportOutcome(
        source=str(path), status="duplicate", report_id=existing, message="重复文件 / duplicate file"
    )


def import_paths(
    store: SqlStore,
    files: list[Path],
    jobs: int,
    actor: str,
    advance: Callable[[str], None],
    on_progress: FileProgress | None = None,
) -> list[ImportOutcome]:
    """Import ``files``: duplicates found by hash first, the rest parsed on ``jobs`` processes.

    ``advance(path)`` is called as each file is done; scans are read in parallel
    with the other files and report their OCR progress to
    ``on_progress(path, fraction, text)`` meanwhile.
    """
    outcomes: list[ImportOutcome] = []
    todo: list[str] = []
    for path in files:
        known = _known(store, path)
        if known is None:
            todo.append(str(path))
        else:
            outcomes.append(known)
            advance(str(path))
    for result in parse_many(todo, jobs, parse_path, on_progress):
        outcomes.append(_store_parsed(store, result, actor))
        advance(result[0])
    return outcomes


class ImportBar:
    """The import's progress bar, and one line per scan being read by OCR (removed when it is done)."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.task = progress.add_task(self._label(), total=total)
        self.scans: dict[str, TaskID] = {}

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
        description = escape(f"  OCR {Path(path).name}: {text}")
        self.progress.update(self.scans[path], completed=fraction, description=description)


def import_summary(outcomes: list[ImportOutcome], skipped: list[NotTaken]) -> dict[str, Any]:
    """Counts per outcome (and of files not taken) and one entry per file, for ``--json`` and the table."""
    summary = outcome_summary(outcomes)
    return {**summary, "skipped": len(skipped), "files": summary["files"] + [s.as_dict() for s in skipped]}


def print_import_summary(summary: dict[str, Any], console: Console, *, table: bool = True) -> None:
    """The counts as a table (unless ``table`` is false), then every failed file and every file not taken."""
    if table:
        counts = Table(title="导入结果 / import summary")
        counts.add_column("结果 / outcome")
        counts.add_column("文件数 / files", justify="right")
        for status, label in STATUS_LABELS.items():
            counts.add_row(label, str(summary[status]))
        counts.add_row(SKIPPED_LABEL, str(summary["skipped"]))
        console.print(counts)
    marks = {"failed": "[red]失败 / failed[/red]", "skipped": "[yellow]未导入 / not taken[/yellow]"}
    for item in summary["files"]:
        if item["status"] in marks:
            reason = escape(f"[{item['error_code']}] {item['message']}")
            console.print(
                f"{marks[item['status']]} {escape(item['source'])}: {reason}",
                highlight=False,
                soft_wrap=True,  # one line per file, whatever the terminal width (grep-able)
            )


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="解析进程数 / parser processes (default: number of cores)",
)
@click.option(
    "--json", "as_json", is_flag=True, help="以 JSON 输出汇总 / print the summary as JSON on stdout"
)
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

    The summary (on stderr; with --json as JSON on stdout) counts the outcomes
    and lists every failed file and every file of a folder that was not taken,
    with the reason. Exit code 1 when any file failed; the others are imported.
    """
    if not paths and not sample:
        raise click.UsageError("请给出文件或文件夹，或使用 --sample / give files or folders, or --sample")
    store = open_store(db_url)
    outcomes = store.import_sample() if sample else []
    files, skipped = collect_files(paths)
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
        bar = ImportBar(progress, len(files))
        outcomes += import_paths(
            store, files, jobs or os.cpu_count() or 1, actor_name(actor), bar.advance, bar.ocr_progress
        )
    summary = import_summary(outcomes, skipped)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, default=str))
    print_import_summary(summary, err_console, table=not as_json)
    if summary["failed"]:
        sys.exit(1)
