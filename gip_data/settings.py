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

SETTINGS_HELP: dict[str, str] = {
    DATABASE_URL_ENV: "数据库地址（SQLAlchemy URL）/ database URL, e.g. sqlite:///data/gip.db or postgresql+psycopg://…",
    DATA_DIR_ENV: "数据目录（默认 SQLite 文件与帧快照）/ data folder for the default SQLite file and frame snapshots",
}


def data_dir() -> Path:
    """The folder for the default database and snapshots, created on first use."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or PROJECT_ROOT / "data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_url() -> str:
    """The embedded SQLite database in the data folder."""
    return f"sqlite:///{data_dir() / 'gip.db'}"


def _secrets_database_url() -> str | None:
    for folder in (Path.cwd(), PROJECT_ROOT):
        path = folder / ".streamlit" / "secrets.toml"
        if not path.is_file():
            continue
        try:
            secrets = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        section = secrets.get("gip")
        url = secrets.get("database_url") or (
            section.get("database_url") if isinstance(section, dict) else None
        )
        if url:
            return str(url)
    return None


def resolve_database_url(explicit: str | None = None) -> str:
    """The database URL: explicit value, then env var, then secrets.toml, then the default file."""
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV), _secrets_database_url()):
        if candidate and candidate.strip():
            return candidate.strip()
    return default_database_url()
