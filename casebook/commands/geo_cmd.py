"""``casebook geo ...``: hotspot analysis and maps of cases."""

import click

from casebook.errors import NotYetAvailableError


@click.group(name="geo")
def geo() -> None:
    """Hotspot maps of cases: where they cluster beyond what inspection effort explains."""


@geo.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def hotspots(args) -> None:
    """Getis-Ord Gi* hotspots of a case table (not yet available)."""
    raise NotYetAvailableError("'casebook geo hotspots' is not implemented yet (issue 5).")
