"""Where the database URL comes from: --db, then GIP_DATABASE_URL, then secrets.toml, then data/gip.db."""

from __future__ import annotations

from pathlib import Path

import pytest

from gip_data import settings
from gip_data.errors import ConfigError
from gip_data.storage import open_store


@pytest.fixture
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GIP_DATABASE_URL", raising=False)
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_is_sqlite_in_the_data_folder(clean: Path) -> None:
    assert settings.resolve_database_url() == f"sqlite:///{clean / 'data' / 'gip.db'}"


def test_secrets_then_env_then_explicit(clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean / ".streamlit").mkdir()
    (clean / ".streamlit" / "secrets.toml").write_text('[gip]\ndatabase_url = "sqlite:///from-secrets.db"\n')
    assert settings.resolve_database_url() == "sqlite:///from-secrets.db"
    monkeypatch.setenv("GIP_DATABASE_URL", "sqlite:///from-env.db")
    assert settings.resolve_database_url() == "sqlite:///from-env.db"
    assert settings.resolve_database_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_broken_secrets_file_is_a_config_error(clean: Path) -> None:
    (clean / ".streamlit").mkdir()
    (clean / ".streamlit" / "secrets.toml").write_text("database_url = [unclosed")
    with pytest.raises(ConfigError):
        settings.resolve_database_url()


def test_default_database_is_created_with_wal_and_foreign_keys(clean: Path) -> None:
    store = open_store()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (clean / "data" / "gip.db").is_file()
    store.close()


@pytest.mark.parametrize("url", ["mysql://x/y", "not a url"])
def test_unsupported_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        open_store(url)
