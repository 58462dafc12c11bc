"""The ``casebook`` command: a thin shell over the libraries and the application modules.

Each command group lives in its own module under :mod:`casebook.commands`; this module only
assembles them and turns :class:`~casebook.errors.CasebookError` into a readable message and the
exit codes of the contract (0 done, 1 done but something failed or does not verify, 2 bad usage
or unusable input).
"""

from __future__ import annotations

import sys

import click

from casebook import __version__
from casebook.commands import brands, dossier, geo_cmd, labels, sample
from casebook.commands import evidence as evidence_cmd
from casebook.errors import CasebookError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casebook")
def cli() -> None:
    """casebook: evidence, label screening, hotspot maps and case dossiers for market regulation."""


cli.add_command(sample.sample)
cli.add_command(evidence_cmd.evidence)
cli.add_command(labels.labels)
cli.add_command(brands.brands)
cli.add_command(geo_cmd.geo)
cli.add_command(dossier.dossier)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, print friendly errors, return the contract's exit code."""
    try:
        cli.main(args=argv, prog_name="casebook", standalone_mode=False)
    except CasebookError as err:
        click.echo(f"casebook: {err}", err=True)
        return err.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as usage:
        usage.show()
        return 2
    except click.exceptions.Abort:
        click.echo("casebook: stopped.", err=True)
        return 1
    return _exit_code_from_context()


_EXIT_CODE = {"value": 0}


def set_exit_code(code: int) -> None:
    """Commands that finish but found failures (exit 1) say so here instead of raising."""
    _EXIT_CODE["value"] = max(_EXIT_CODE["value"], code)


def _exit_code_from_context() -> int:
    code, _EXIT_CODE["value"] = _EXIT_CODE["value"], 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
