"""Who may change data: staff modes, password hashes and client-address checks.

Pure functions, testable without Streamlit. The Streamlit gate that uses them is
``gip_data.ui.auth_gate``.

Three modes, chosen from configuration (never from the request):

- ``oidc``: ``[auth]`` in ``.streamlit/secrets.toml`` configures Streamlit's
  built-in OIDC login (``st.login``); an optional ``[staff] emails`` list narrows
  who counts as staff.
- ``password``: a staff password *hash* (``gip hash-password``) is set in
  ``[staff] password_hash`` or in the env var ``GIP_STAFF_PASSWORD_HASH``.
- ``loopback``: nothing configured; only a browser on the same machine
  (a loopback client address) may change data.

No default password exists: without a hash there is no password mode at all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets as _secrets
import threading
import time
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from gip_data.errors import ConfigError

StaffMode = Literal["oidc", "password", "loopback"]

PASSWORD_HASH_ENV = "GIP_STAFF_PASSWORD_HASH"
_SCHEME = "scrypt"
# scrypt cost: 2**14 × 8 × 1 takes ~50 ms and 16 MB, which slows guessing
# while keeping a login instant.
_DEFAULT_N, _DEFAULT_R, _DEFAULT_P = 2**14, 8, 1
_MAX_N = 2**20
_HASH_BYTES = 32
_MIN_PASSWORD_CHARS = 10


class StaffIdentity(BaseModel):
    """A person allowed to change data, as recorded in the audit table."""

    model_config = ConfigDict(frozen=True)

    name: str
    mode: StaffMode


def _staff_section(secrets: Mapping[str, Any]) -> Mapping[str, Any]:
    section = secrets.get("staff") if secrets else None
    return section if isinstance(section, Mapping) else {}


def oidc_configured(secrets: Mapping[str, Any]) -> bool:
    """True when ``[auth]`` holds what ``st.login`` needs (one provider or named providers)."""
    auth = secrets.get("auth") if secrets else None
    if not isinstance(auth, Mapping):
        return False
    required = ("client_id", "client_secret", "server_metadata_url")
    if all(auth.get(key) for key in required):
        return True
    providers = [value for value in auth.values() if isinstance(value, Mapping)]
    return any(all(p.get(key) for key in required) for p in providers)


def configured_password_hash(secrets: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The staff password hash from secrets (``[staff] password_hash``) or the env var, checked."""
    encoded = _staff_section(secrets).get("password_hash") or env.get(PASSWORD_HASH_ENV) or None
    if encoded is None:
        return None
    parse_password_hash(str(encoded))  # a typo in the hash must fail loudly, not lock staff out silently
    return str(encoded)


def staff_mode(secrets: Mapping[str, Any], env: Mapping[str, str]) -> StaffMode:
    """Which staff check applies, from configuration only: OIDC, else password, else loopback."""
    if oidc_configured(secrets):
        return "oidc"
    if configured_password_hash(secrets, env):
        return "password"
    return "loopback"


def staff_emails(secrets: Mapping[str, Any]) -> frozenset[str]:
    """The optional OIDC allow-list (lower-cased); empty means every logged-in user is staff."""
    emails = _staff_section(secrets).get("emails") or ()
    if isinstance(emails, str):
        emails = [emails]
    return frozenset(str(e).strip().lower() for e in emails if str(e).strip())


def oidc_user_is_staff(email: str | None, allowed: frozenset[str]) -> bool:
    """Whether a logged-in OIDC user counts as staff under the allow-list."""
    if not allowed:
        return True
    if not email:
        return False
    return email.strip().lower() in allowed


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, n: int = _DEFAULT_N, r: int = _DEFAULT_R, p: int = _DEFAULT_P) -> str:
    """Hash a password with scrypt and a random salt: ``scrypt$n$r$p$salt$hash``."""
    if len(password) < _MIN_PASSWORD_CHARS:
        raise ConfigError(
            f"password must have at least {_MIN_PASSWORD_CHARS} characters / 密码至少 {_MIN_PASSWORD_CHARS} 个字符"
        )
    salt = _secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, r, p)
    return f"{_SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=_HASH_BYTES
    )


def parse_password_hash(encoded: str) -> tuple[int, int, int, bytes, bytes]:
    """Split an encoded hash into (n, r, p, salt, digest); ConfigError when malformed."""
    parts = encoded.strip().split("$")
    try:
        scheme, n_text, r_text, p_text, salt_text, digest_text = parts
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, digest = _unb64(salt_text), _unb64(digest_text)
    except ValueError as exc:
        raise ConfigError("malformed staff password hash (expected scrypt$n$r$p$salt$hash)") from exc
    valid_cost = n > 1 and n & (n - 1) == 0 and n <= _MAX_N and 0 < r <= 32 and 0 < p <= 16
    if scheme != _SCHEME or not valid_cost or len(salt) < 8 or len(digest) != _HASH_BYTES:
        raise ConfigError("malformed staff password hash (expected scrypt$n$r$p$salt$hash)")
    return n, r, p, salt, digest


def verify_password(password: str, encoded: str) -> bool:
    """Constant-time check of a password against an encoded hash."""
    n, r, p, salt, digest = parse_password_hash(encoded)
    candidate = _scrypt(password, salt, n, r, p)
    return hmac.compare_digest(candidate, digest)


def is_loopback(address: str | None) -> bool:
    """True only for a loopback client address; unknown or unparsable means False.

    An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) is judged by its IPv4 part.
    """
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def loopback_identity(client_address: str | None) -> StaffIdentity | None:
    """In loopback mode, the local operator's identity, or None for any other client."""
    if not is_loopback(client_address):
        return None
    return StaffIdentity(name=f"local@{client_address}", mode="loopback")


def clean_staff_name(name: str) -> str:
    """A staff member's self-declared name for the audit table: trimmed, one line, bounded."""
    text = " ".join(name.split())[:64]
    # An unnamed login is still staff; the audit row then says so rather than failing.
    return text or "staff"


class LoginThrottle:
    """Refuse password attempts from a client after repeated failures, for a while.

    Kept in memory per process: enough to make online guessing slow; the scrypt
    cost makes offline guessing slow.
    """

    def __init__(self, max_failures: int = 5, window_s: float = 300.0) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(client, []) if now - t < self.window_s]
        self._failures[client] = kept
        return kept

    def allowed(self, client: str, now: float | None = None) -> bool:
        """Whether this client may try a password now."""
        with self._lock:
            return len(self._recent(client, time.monotonic() if now is None else now)) < self.max_failures

    def record_failure(self, client: str, now: float | None = None) -> None:
        """Count one failed attempt."""
        with self._lock:
            self._recent(client, time.monotonic() if now is None else now).append(
                time.monotonic() if now is None else now
            )

    def reset(self, client: str) -> None:
        """Forget a client's failures after a successful login."""
        with self._lock:
            self._failures.pop(client, None)


def check_staff_password(
    name: str, password: str, encoded: str, *, client: str, throttle: LoginThrottle
) -> StaffIdentity | None:
    """Verify a login attempt; the identity on success, None on a wrong or throttled attempt."""
    if not throttle.allowed(client):
        return None
    if not verify_password(password, encoded):
        throttle.record_failure(client)
        return None
    throttle.reset(client)
    return StaffIdentity(name=clean_staff_name(name), mode="password")
