"""``casebook ccc ...``: CCC certificate numbers against a register export.

``check --json`` prints a list, one object per number given: ``{"number", "status", "sale_date",
"register_row", "record", "findings": [{"code", "severity", "message", "basis", ...}]}``; status is
``valid``, ``malformed``, ``not_registered``, ``suspended``, ``withdrawn``, ``cancelled`` or ``expired``
(on the date of sale).  Rows of the register that could not be used are named on stderr.
Exit codes: 0 every number valid with no finding; 1 a finding (or an unusable register row);
2 unusable input (no register, a register without the needed columns, a hostile file).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from safeio.errors import InputError
from safeio.limits import terminal_json, terminal_text

MAX_NUMBER_CHARS = 64
STATUS_ZH = {"valid": "有效", "malformed": "编号不合规则", "not_registered": "登记表中无此证", "suspended": "暂停",
             "withdrawn": "撤销", "cancelled": "注销", "expired": "过期", "unchecked": "未核对登记表"}


def _load(registry: Path):
    from evidence.certification.cert_register import load_register

    register = load_register(registry)
    for problem in register.problems[:50]:
        click.echo(f"register {terminal_text(str(registry))}, row {problem.row}, field {problem.field}: "
                   f"{terminal_text(problem.message)}", err=True)
    if len(register.problems) > 50:
        click.echo(f"... and {len(register.problems) - 50} more unusable rows", err=True)
    return register


@click.group()
def ccc() -> None:
    """Check CCC (强制性产品认证) certificate numbers against a certificate register export."""


@ccc.command("check")
@click.argument("numbers", nargs=-1, required=True)
@click.option("--registry", "registry", required=True, type=click.Path(path_type=Path),
              help="The certificate register export (CSV or Excel, with 证书编号 and 证书状态 columns).")
@click.option("--date", "sale_date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date the goods were on sale (default: today).")
@click.option("--maker", help="The maker shown on the goods, compared with the certificate's holder and factory.")
@click.option("--model", help="The model shown on the goods, looked up among the certificate's models.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per number.")
def check(numbers: tuple[str, ...], registry: Path, sale_date, maker, model, as_json: bool) -> int:
    """Check each CERT_NO: its form, and in the register its status on the date of sale, holder and models."""
    from casebook.words.finding_words import describe, with_words
    from evidence.certification.cert_checks import check_certificate

    for position, number in enumerate(numbers, start=1):
        if len(number) > MAX_NUMBER_CHARS:
            raise InputError(f"number {position} is {len(number)} characters long; a certificate number has 16 digits",
                             field="CERT_NO", hint="Give the 16-digit number printed after 'CCC证书编号'.")
    register = _load(registry)
    day = sale_date.date() if sale_date else date.today()
    results = [check_certificate(n.encode("utf-8", "surrogateescape").decode("utf-8", "replace"), register,
                                 sale_date=day, maker=maker, model=model) for n in numbers]
    code = 1 if register.problems or any(r.findings for r in results) else 0
    if as_json:
        click.echo(terminal_json([{**data, "findings": [with_words(f) for f in data["findings"]]}
                                  for data in (r.to_dict() for r in results)], indent=1))
        return code
    for result in results:
        row = f", register row {result.record.row}" if result.record else ""
        click.echo(f"{terminal_text(result.number)}: {STATUS_ZH.get(result.status, result.status)} "
                   f"({result.status}{row})")
        for flag in result.findings:
            click.echo(f"  {flag.code} ({flag.severity}): {terminal_text(describe(flag))}")
            click.echo(f"    basis: {terminal_text(flag.to_dict()['basis'])}")
    return code


@ccc.command("import")
@click.argument("registry", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was read as JSON.")
def import_register(registry: Path, as_json: bool) -> int:
    """Read a register export and say what was found: columns, certificates by status, unusable rows."""
    register = _load(registry)
    counts: dict[str, int] = {}
    for record in register.records.values():
        counts[record.status] = counts.get(record.status, 0) + 1
    data = {"registry": str(registry), "certificates": len(register), "by_status": counts,
            "header_row": register.header_row, "columns": register.headers,
            "problems": [p.to_dict() for p in register.problems]}
    if as_json:
        click.echo(terminal_json(data, indent=1))
    else:
        click.echo(f"{terminal_text(str(registry))}: {len(register)} certificates "
                   f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); header on row {register.header_row}")
        click.echo("columns: " + "; ".join(f"{k} = {terminal_text(v)}" for k, v in register.headers.items()))
    return 1 if register.problems else 0
