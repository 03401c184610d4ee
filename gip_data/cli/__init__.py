"""The ``gip`` command: a click group whose commands are thin shells over the library.

Each command module registers itself on :data:`cli`. One output convention for
every command:

- **stdout** carries the result a command was asked for: the records of
  ``parse``, the table of ``list``, the report of ``show``, and with ``--json``
  nothing but JSON (one document, or one per line for ``parse``);
- **stderr** carries everything said about the work: progress bars, the
  summaries of ``import`` and ``reparse`` (counts, every file not taken and
  every failure with its reason), confirmations such as where ``export``
  wrote, and errors — one line in Chinese and English, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from gip_data.errors import CorruptFileError, FolderGivenError, InputNotFoundError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gip-data")
def cli() -> None:
    """政务公开年报看板 / GIP annual-report toolkit."""


def require_file(path: Path) -> Path:
    """``path`` when it is a file; else the typed error (missing, or a folder) with the path as source."""
    if path.is_dir():
        raise FolderGivenError(source=str(path))
    if not path.is_file():
        raise InputNotFoundError(source=str(path))
    return path


def read_input(path: Path) -> bytes:
    """The bytes of the file at ``path``: typed errors for a missing path, a folder or an unreadable file."""
    try:
        return require_file(path).read_bytes()
    except OSError as exc:  # permissions, a file that vanished, an I/O error
        raise CorruptFileError(f"{exc.strerror or exc}", source=str(path)) from exc


def _register() -> None:
    # Imported for their side effect of adding commands to the group.
    from gip_data.cli import auth, debug, importing, parse, store  # noqa: F401


_register()
