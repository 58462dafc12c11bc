"""The ``casebook`` command: a thin shell over the libraries and the application modules.

Each command group lives in its own module under :mod:`casebook.commands`; this module only
assembles them, passes on the exit code a command returns, and turns :class:`~safeio.errors.CasebookError` into a readable message and the
exit codes of the contract (0 done, 1 done but something failed or does not verify, 2 bad usage
or unusable input).
"""

from __future__ import annotations

import errno
import sys

import click

from casebook import __version__
from casebook.commands import brands_cmd as brands
from casebook.commands import case_cmd as case
from casebook.commands import ccc_cmd as ccc
from casebook.commands import dossier_cmd as dossier
from casebook.commands import evidence_cmd, geo_cmd
from casebook.commands import inspect_cmd as inspection
from casebook.commands import lab_cmd as lab
from casebook.commands import labels_cmd as labels
from casebook.commands import leads_cmd as leads
from casebook.commands import link_cmd as link
from casebook.commands import notice_cmd as notice
from casebook.commands import sample_cmd as sample
from safeio.errors import CasebookError

_WRITE_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casebook")
def cli() -> None:
    """casebook: evidence, label screening, hotspot maps and case dossiers for market regulation."""


cli.add_command(sample.sample)
cli.add_command(evidence_cmd.evidence)
cli.add_command(labels.labels)
cli.add_command(brands.brands)
cli.add_command(ccc.ccc)
cli.add_command(geo_cmd.geo)
cli.add_command(dossier.dossier)
cli.add_command(link.link)
cli.add_command(case.case)
cli.add_command(lab.lab)
cli.add_command(leads.leads)
cli.add_command(inspection.inspect)
cli.add_command(notice.notice)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, print friendly errors, return the contract's exit code."""
    try:
        code = cli.main(args=argv, prog_name="casebook", standalone_mode=False)
    except CasebookError as err:
        click.echo(f"casebook: {err}", err=True)
        return err.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as usage:
        usage.show()
        return 2
    except OSError as err:
        if err.errno not in _WRITE_ERRNOS:
            raise
        # a read-only, full or forbidden output place: a message naming it, never a traceback
        from safeio.limits import terminal_text
        from safeio.path_parts import describe_os_error

        where = f"{terminal_text(err.filename)}: " if err.filename else ""
        doing = "cannot be used" if err.errno in (errno.EACCES, errno.EPERM) else "cannot be written"
        click.echo(f"casebook: {where}{doing}: {describe_os_error(err)}\n"
                   "  What to do: give a folder you may write to (and files you may read), or free some disk "
                   "space; nothing half-written was left under a finished name.", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("casebook: stopped.", err=True)
        return 1
    # a command returns 1 when it finished but something failed or does not verify, else None
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
