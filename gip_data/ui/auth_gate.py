"""The Streamlit staff gate in front of every action that changes data.

Upload, metadata correction, delete and re-parse call :func:`require_staff`,
which returns the staff identity (for the audit table) or renders the way to
become staff and stops the script. The decisions themselves are the pure
functions of :mod:`gip_data.auth`; this module only reads the request
(secrets, environment, client address, session) and draws the login.

The session keeps only a verified identity (name, mode, time); the password
itself lives in a form that is cleared on submit and is never stored or logged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from gip_data.auth import (
    LoginThrottle,
    StaffIdentity,
    check_staff_password,
    configured_password_hash,
    loopback_identity,
    oidc_user_is_staff,
    staff_emails,
    staff_mode,
)
from gip_data.errors import GipDataError

SESSION_KEY = "gip_staff_identity"
SESSION_TTL_S = 8 * 3600
ENABLE_HINT = (
    "启用工作人员登录的方法（任选其一）：\n"
    "1. 密码：在服务器上运行 `gip hash-password`，把输出的哈希写入 `.streamlit/secrets.toml` 的 "
    "`[staff] password_hash = \"...\"`，或写入环境变量 `GIP_STAFF_PASSWORD_HASH`，然后重启看板；\n"
    "2. 单点登录：在 `.streamlit/secrets.toml` 的 `[auth]` 中配置 OIDC（Streamlit 内置 `st.login`）。\n\n"
    "详见 docs/SECURITY.md。"
)
_throttle = LoginThrottle()


def client_address() -> str | None:
    """The browser's TCP peer address for this session, or None when unknown.

    ``st.context.ip_address`` maps loopback to None, the same value it gives
    when the address is unknown, so the raw address is read from the session's
    client; unknown is then never mistaken for local.
    """
    try:
        from streamlit.runtime import exists, get_instance
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not exists():
            return None
        client = get_instance().get_client(ctx.session_id)
        context = getattr(client, "client_context", None)
        return getattr(context, "remote_ip", None)
    except Exception:  # an internal API that moved: fail closed (unknown = not local)
        return None


def _secrets() -> Mapping[str, Any]:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml at all is a normal, unconfigured install
        return {}


def _oidc_identity(secrets: Mapping[str, Any]) -> StaffIdentity | None:
    user = st.user
    if not user.get("is_logged_in"):
        return None
    claim = user.get("email")
    email = claim if isinstance(claim, str) else None  # the provider's claims are untyped
    if not oidc_user_is_staff(email, staff_emails(secrets)):
        return None
    return StaffIdentity(name=str(email or user.get("name") or "oidc-user"), mode="oidc")


def _session_identity() -> StaffIdentity | None:
    saved = st.session_state.get(SESSION_KEY)
    if not isinstance(saved, dict) or time.time() - saved.get("at", 0) > SESSION_TTL_S:
        return None
    return StaffIdentity(name=saved["name"], mode=saved["mode"])


def current_staff() -> StaffIdentity | None:
    """The staff identity of this session, or None; raises ConfigError on a malformed hash."""
    secrets = _secrets()
    mode = staff_mode(secrets, os.environ)
    if mode == "oidc":
        return _oidc_identity(secrets)
    if mode == "password":
        identity = _session_identity()
        return identity if identity is not None and identity.mode == "password" else None
    return loopback_identity(client_address())


def require_staff(action: str = "修改数据") -> StaffIdentity:
    """The staff identity, or render how to become staff and stop this script run."""
    try:
        identity = current_staff()
        if identity is not None:
            return identity
        mode = staff_mode(_secrets(), os.environ)
    except GipDataError as exc:
        st.error(f"工作人员登录配置有误：{exc.message_zh}（{exc.detail}）")
        st.stop()
    st.warning(f"{action}需要工作人员身份。浏览无需登录。")
    if mode == "oidc":
        _oidc_login()
    elif mode == "password":
        _password_login()
    else:
        st.info("当前未配置工作人员登录，只接受在服务器本机打开的浏览器进行此操作。\n\n" + ENABLE_HINT)
    st.stop()
    raise AssertionError("unreachable: st.stop() ends the script run")


def _oidc_login() -> None:
    if st.user.get("is_logged_in"):
        st.error(f"账号 {st.user.get('email') or ''} 不在工作人员名单中。")
        st.button("退出登录", on_click=st.logout)
        return
    if st.button("使用单位账号登录", type="primary"):
        try:
            st.login()
        except Exception as exc:  # e.g. Authlib missing: say so instead of a traceback
            st.error(f"单点登录不可用：{type(exc).__name__}（需要安装 Authlib，见 docs/SECURITY.md）")


def _password_login() -> None:
    with st.form("gip_staff_login", clear_on_submit=True):
        name = st.text_input("姓名（记入操作记录）", max_chars=64)
        password = st.text_input("工作人员密码", type="password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    client = client_address() or "unknown"
    encoded = configured_password_hash(_secrets(), os.environ) or ""
    identity = check_staff_password(name, password, encoded, client=client, throttle=_throttle)
    del password  # not kept beyond the check
    if identity is None:
        st.error("密码错误，或尝试次数过多，请稍后再试。")
        return
    st.session_state[SESSION_KEY] = {"name": identity.name, "mode": identity.mode, "at": time.time()}
    st.rerun()


def logout_button() -> None:
    """A button that ends this session's staff login (password or OIDC)."""
    identity = _session_identity()
    if identity is not None and st.button("退出工作人员登录"):
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()
    elif st.user.get("is_logged_in") and st.button("退出登录"):
        st.logout()
