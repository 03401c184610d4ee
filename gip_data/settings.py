"""Where the project keeps its data, read once from the environment.

The database URL is resolved in a fixed order (first hit wins):

1. an explicit value (``gip --db URL``, or ``open_store(url)``);
2. the environment variable ``GIP_DATABASE_URL``;
3. ``database_url`` in ``.streamlit/secrets.toml`` (top level, or under ``[gip]``),
   looked up in the working directory and then the project root;
4. an embedded SQLite file ``gip.db`` in the data folder.

The data folder is ``GIP_DATA_DIR`` or ``data/`` beside the package (git-ignored);
it also holds the frame snapshots used to load large databases fast.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from gip_data.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL_ENV = "GIP_DATABASE_URL"
DATA_DIR_ENV = "GIP_DATA_DIR"
PUBLIC_ORIGINALS_ENV = "GIP_PUBLIC_ORIGINALS"

SETTINGS_HELP: dict[str, str] = {
    DATABASE_URL_ENV: "数据库地址（SQLAlchemy URL）/ database URL, e.g. sqlite:///data/gip.db or postgresql+psycopg://…",
    DATA_DIR_ENV: "数据目录（默认 SQLite 文件与帧快照）/ data folder for the default SQLite file and frame snapshots",
    PUBLIC_ORIGINALS_ENV: "设为 1 时所有访问者都可下载报告原件（默认仅工作人员）/ 1: everyone may download original files",
}
_TRUE = {"1", "true", "yes", "on"}


def data_dir() -> Path:
    """The folder for the default database and snapshots, created on first use."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or PROJECT_ROOT / "data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_url() -> str:
    """The embedded SQLite database in the data folder."""
    return f"sqlite:///{data_dir() / 'gip.db'}"


def _secret(name: str) -> object | None:
    """A value of ``.streamlit/secrets.toml`` (top level, or under ``[gip]``), first file that has it."""
    for folder in (Path.cwd(), PROJECT_ROOT):
        path = folder / ".streamlit" / "secrets.toml"
        if not path.is_file():
            continue
        try:
            secrets: dict[str, object] = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        section = secrets.get("gip")
        value = secrets.get(name)
        if value is None and isinstance(section, dict):
            value = section.get(name)
        if value is not None and value != "":
            return value
    return None


def _secrets_database_url() -> str | None:
    url = _secret("database_url")
    return None if url is None else str(url)


def originals_public() -> bool:
    """Whether every visitor may download a report's original file (default: staff only).

    ``GIP_PUBLIC_ORIGINALS=1`` in the environment, or ``public_originals = true``
    in ``.streamlit/secrets.toml`` (top level or under ``[gip]``).
    """
    env = os.environ.get(PUBLIC_ORIGINALS_ENV)
    if env is not None and env.strip():
        return env.strip().lower() in _TRUE
    value = _secret("public_originals")
    return value is True or str(value).strip().lower() in _TRUE


def page_image_dir() -> Path:
    """Where rendered page images of stored PDFs are cached (per file and page)."""
    return data_dir() / "page_images"


def resolve_database_url(explicit: str | None = None) -> str:
    """The database URL: explicit value, then env var, then secrets.toml, then the default file."""
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV), _secrets_database_url()):
        if candidate and candidate.strip():
            return candidate.strip()
    return default_database_url()
