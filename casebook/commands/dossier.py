"""``casebook dossier ...``: render case dossiers from the papermill templates."""

import click

from casebook.errors import NotYetAvailableError


@click.group()
def dossier() -> None:
    """Render standardized case dossiers (executed notebook, HTML, PDF)."""


@dossier.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run(args) -> None:
    """Render the dossier of one case folder (not yet available)."""
    raise NotYetAvailableError("'casebook dossier run' is not implemented yet (issue 6).")


@dossier.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def batch(args) -> None:
    """Render dossiers for every case of a casebook (not yet available)."""
    raise NotYetAvailableError("'casebook dossier batch' is not implemented yet (issue 6).")
