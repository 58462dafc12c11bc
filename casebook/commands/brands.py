"""``casebook brands ...``: lookalike-brand matching against the brand registry."""

import click

from casebook.errors import NotYetAvailableError


@click.group()
def brands() -> None:
    """Match product names against the registry of genuine brands."""


@brands.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def match(args) -> None:
    """Find lookalikes of genuine brands (not yet available)."""
    raise NotYetAvailableError("'casebook brands match' is not implemented yet (issue 4).")
