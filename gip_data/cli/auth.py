"""``gip hash-password``: make the staff password hash to put in secrets or the environment."""

from __future__ import annotations

import sys

import click

from gip_data.auth import PASSWORD_HASH_ENV, hash_password
from gip_data.cli import cli
from gip_data.errors import GipDataError


@cli.command("hash-password")
def hash_password_command() -> None:
    """生成工作人员密码哈希 / Print the hash of a staff password.

    The password is read without echo and never printed or stored; put the
    printed line in ``.streamlit/secrets.toml`` as ``[staff] password_hash = "..."``
    or in the environment variable GIP_STAFF_PASSWORD_HASH.
    """
    password = click.prompt("密码 / password", hide_input=True, confirmation_prompt=True, err=True)
    try:
        encoded = hash_password(password)
    except GipDataError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)
    click.echo(encoded)
    click.echo(
        f"# secrets.toml: [staff] password_hash = \"{encoded}\"  —  or: export {PASSWORD_HASH_ENV}='{encoded}'",
        err=True,
    )
