"""The ``gip`` command: a click group whose commands are thin shells over the library.

Each command module registers itself on :data:`cli`; errors are printed as one
line in Chinese and English, never as a traceback.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gip-data")
def cli() -> None:
    """政务公开年报看板 / GIP annual-report toolkit."""


def _register() -> None:
    # Imported for their side effect of adding commands to the group.
    from gip_data.cli import auth, debug, parse, store  # noqa: F401


_register()
