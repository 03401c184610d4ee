"""The file types the CLI's folder import, the upload page and the samples take come from the reader
registry (``supported_suffixes``): a reader registered with a new suffix is taken everywhere at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from gip_data.auth import PASSWORD_HASH_ENV, hash_password
from gip_data.cli.importing import collect_files
from gip_data.readers import registry
from tests.apptest_support import fresh_caches, open_page

pytestmark = pytest.mark.xdist_group("apptest")
NEW_READER = registry.Reader("txt", (".gipx",), "gip_data.readers.txt", "read_txt")


def test_folder_import_takes_what_the_registry_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "r.gipx").write_text("x")
    (tmp_path / "r.md").write_text("x")
    files, skipped = collect_files((tmp_path,))
    assert [f.name for f in files] == ["r.md"] and [Path(s.source).name for s in skipped] == ["r.gipx"]
    monkeypatch.setitem(registry.READERS, "gipx", NEW_READER)
    files, skipped = collect_files((tmp_path,))
    assert [f.name for f in files] == ["r.gipx", "r.md"] and skipped == []


def test_upload_page_accepts_what_the_registry_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIP_DATABASE_URL", f"sqlite:///{tmp_path / 'gip.db'}")
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv(PASSWORD_HASH_ENV, hash_password("test-staff-password", n=2**10))
    monkeypatch.setitem(registry.READERS, "gipx", NEW_READER)
    with fresh_caches():
        at = open_page("upload.py", timeout=120)
        name, password = at.main.text_input
        name.input("测试员")
        password.input("test-staff-password")
        next(b for b in at.main.button if b.label == "登录").click().run()
        assert list(at.file_uploader(key="uploads").proto.type) == registry.supported_suffixes()
        assert ".gipx" in registry.supported_suffixes()
