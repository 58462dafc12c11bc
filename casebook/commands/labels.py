"""``casebook labels ...``: read label photos and screen what they say."""

import click

from casebook.errors import NotYetAvailableError


@click.group()
def labels() -> None:
    """Read seized-label photos (OCR) and screen their text for problems."""


@labels.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def read(args) -> None:
    """OCR label photos (not yet available)."""
    raise NotYetAvailableError("'casebook labels read' is not implemented yet (issue 4).")
