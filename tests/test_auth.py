"""Staff modes, password hashes, loopback checks and the hash-password command (gip_data.auth)."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from gip_data.auth import (
    PASSWORD_HASH_ENV,
    LoginThrottle,
    check_staff_password,
    configured_password_hash,
    hash_password,
    is_loopback,
    loopback_identity,
    oidc_user_is_staff,
    staff_emails,
    staff_mode,
    verify_password,
)
from gip_data.errors import ConfigError
from gip_data.ui.auth_gate import SESSION_KEY
from tests.conftest import ROOT

PASSWORD = "正确的马电池-staple-42"
# Cheap cost parameters keep the tests fast; production hashes use the defaults.
FAST = {"n": 2**10, "r": 8, "p": 1}
OIDC = {
    "auth": {
        "redirect_uri": "http://x/oauth2callback",
        "cookie_secret": "s",
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://idp/.well-known/openid-configuration",
    }
}


@pytest.fixture(scope="module")
def encoded() -> str:
    return hash_password(PASSWORD, **FAST)


def test_hash_format_and_round_trip(encoded: str) -> None:
    scheme, n, r, p, salt, digest = encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt", "1024", "8", "1")
    assert PASSWORD not in encoded
    assert verify_password(PASSWORD, encoded)
    assert not verify_password(PASSWORD + " ", encoded)
    assert not verify_password("", encoded)


def test_same_password_hashes_differently_each_time() -> None:
    assert hash_password(PASSWORD, **FAST) != hash_password(PASSWORD, **FAST)


def test_short_password_is_refused() -> None:
    with pytest.raises(ConfigError):
        hash_password("short")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "plaintext-password",
        "scrypt$1024$8$1$c2FsdA$",
        "pbkdf2$1024$8$1$c2FsdHNhbHQ$" + "A" * 43,
        "scrypt$1000$8$1$c2FsdHNhbHQ$" + "A" * 43,
        "scrypt$x$8$1$c2FsdHNhbHQ$" + "A" * 43,
    ],
    ids=["empty", "plain", "short-digest", "other-scheme", "n-not-power-of-two", "n-not-int"],
)
def test_malformed_hash_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError):
        verify_password(PASSWORD, bad)


@pytest.mark.parametrize(
    ("secrets", "env", "mode"),
    [
        ({}, {}, "loopback"),
        (OIDC, {}, "oidc"),
        ({"auth": {"microsoft": OIDC["auth"]}}, {}, "oidc"),
        ({"auth": {"redirect_uri": "x"}}, {}, "loopback"),
        ({"staff": {"password_hash": "HASH"}}, {}, "password"),
        ({}, {PASSWORD_HASH_ENV: "HASH"}, "password"),
        (OIDC, {PASSWORD_HASH_ENV: "HASH"}, "oidc"),
        ({}, {PASSWORD_HASH_ENV: ""}, "loopback"),
    ],
    ids=[
        "nothing",
        "oidc",
        "oidc-named-provider",
        "oidc-incomplete",
        "secret-hash",
        "env-hash",
        "oidc-wins",
        "empty-env",
    ],
)
def test_staff_mode(secrets: dict, env: dict, mode: str, encoded: str) -> None:
    def fill(d: dict) -> dict:
        return {k: (encoded if v == "HASH" else fill(v) if isinstance(v, dict) else v) for k, v in d.items()}

    assert staff_mode(fill(secrets), fill(env)) == mode


def test_a_typo_in_the_configured_hash_fails_loudly() -> None:
    with pytest.raises(ConfigError):
        configured_password_hash({}, {PASSWORD_HASH_ENV: "my-password"})


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2001:db8::1", False),
        ("0.0.0.0", False),
        (None, False),
        ("", False),
        ("localhost", False),
        ("not-an-ip", False),
    ],
)
def test_is_loopback(address: str | None, expected: bool) -> None:
    assert is_loopback(address) is expected


def test_without_credentials_a_remote_client_gets_no_identity() -> None:
    assert loopback_identity("192.168.1.20") is None
    assert loopback_identity(None) is None
    local = loopback_identity("127.0.0.1")
    assert local is not None and local.mode == "loopback"


def test_password_login_gives_identity_and_throttles(encoded: str) -> None:
    throttle = LoginThrottle(max_failures=3, window_s=60)
    ok = check_staff_password(" 张三 ", PASSWORD, encoded, client="10.0.0.5", throttle=throttle)
    assert ok is not None and (ok.name, ok.mode) == ("张三", "password")
    for _ in range(3):
        assert (
            check_staff_password("x", "wrong-password", encoded, client="10.0.0.5", throttle=throttle) is None
        )
    # Even the right password is refused while the client is throttled; other clients are not affected.
    assert check_staff_password("x", PASSWORD, encoded, client="10.0.0.5", throttle=throttle) is None
    assert check_staff_password("x", PASSWORD, encoded, client="10.0.0.6", throttle=throttle) is not None


def test_throttle_window_expires() -> None:
    throttle = LoginThrottle(max_failures=1, window_s=10)
    throttle.record_failure("c", now=100.0)
    assert not throttle.allowed("c", now=105.0)
    assert throttle.allowed("c", now=111.0)


def test_oidc_allow_list() -> None:
    allowed = staff_emails({"staff": {"emails": ["Wang@Gov.CN "]}})
    assert oidc_user_is_staff("wang@gov.cn", allowed)
    assert not oidc_user_is_staff("li@gov.cn", allowed)
    assert not oidc_user_is_staff(None, allowed)
    assert oidc_user_is_staff("anyone@gov.cn", staff_emails({}))


def test_password_never_logged(encoded: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    check_staff_password("x", PASSWORD, encoded, client="c", throttle=LoginThrottle())
    check_staff_password("x", PASSWORD + "!", encoded, client="c", throttle=LoginThrottle())
    assert PASSWORD not in caplog.text


def test_hash_password_command_prints_a_verifiable_hash_not_the_password() -> None:
    from gip_data.cli import cli

    result = CliRunner().invoke(cli, ["hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    line = [x for x in result.stdout.splitlines() if x.startswith("scrypt$")][0]
    assert verify_password(PASSWORD, line)
    assert PASSWORD not in result.stdout and PASSWORD not in result.stderr


def test_hash_password_command_refuses_a_short_password_in_one_line() -> None:
    from gip_data.cli import cli

    result = CliRunner().invoke(cli, ["hash-password"], input="short\nshort\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_no_default_password_in_the_project() -> None:
    """No hash is shipped: every encoded hash is produced by an operator at set-up time."""
    shipped = re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{11,}\$[A-Za-z0-9_-]{43}")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert ".streamlit/secrets.toml" not in tracked.split()
    for name in tracked.split():
        path = ROOT / name
        if path.suffix in {".py", ".toml", ".md", ".sh", ".cfg", ".ini", ".env", ".json"} and path.is_file():
            assert not shipped.search(path.read_text(errors="ignore")), name


# ------------------------------------------------------------ the Streamlit gate on the upload page


@pytest.fixture
def upload_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The upload page on an empty temporary database, with no staff configuration."""
    import streamlit as st

    monkeypatch.setenv("GIP_DATABASE_URL", f"sqlite:///{tmp_path / 'gip.db'}")
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(PASSWORD_HASH_ENV, raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    yield at
    st.cache_resource.clear()


def _open_upload(at: AppTest) -> AppTest:
    at.run()
    at.switch_page(str(ROOT / "pages" / "upload.py")).run()
    assert not at.exception
    return at


def _uploaders(at: AppTest) -> list[object]:
    return [w for w in at.get("file_uploader")]


@pytest.mark.xdist_group("apptest")
def test_unconfigured_remote_client_cannot_reach_upload(upload_page: AppTest) -> None:
    """AppTest has no client address: unknown is treated like a remote client, never as local."""
    at = _open_upload(upload_page)
    assert _uploaders(at) == []
    assert any("gip hash-password" in i.value for i in at.info)


@pytest.mark.xdist_group("apptest")
def test_staff_password_opens_upload_and_is_not_kept(
    upload_page: AppTest, encoded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_HASH_ENV, encoded)
    at = _open_upload(upload_page)
    assert _uploaders(at) == []
    at.text_input[0].input("李四")
    at.text_input[1].input("wrong-password-123")
    at.button[0].click().run()
    assert _uploaders(at) == [] and at.error
    at.text_input[0].input("李四")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert len(_uploaders(at)) == 1
    state = {key: at.session_state[key] for key in at.session_state._state._state.filtered_state}
    assert PASSWORD not in repr(state)
    assert state[SESSION_KEY]["name"] == "李四"
