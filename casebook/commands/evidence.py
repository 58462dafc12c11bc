"""``casebook evidence ...``: hash, verify, export and custody of electronic evidence."""

import click

from casebook.errors import NotYetAvailableError


@click.group()
def evidence() -> None:
    """Hash, seal, verify and export electronic evidence; keep the custody log."""


@evidence.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def hash(args) -> None:  # noqa: A001 - the contract names the command 'hash'
    """Hash every file of DIR into a sealed manifest (not yet available)."""
    raise NotYetAvailableError("'casebook evidence hash' is not implemented yet (issue 3).")
