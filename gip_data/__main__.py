"""``python -m gip_data`` runs the CLI."""

from gip_data.cli import cli

cli()
