"""``casebook brands ...``: lookalike-brand matching against the brand registry.

``match --json`` prints a list, one object per name: ``{"name", "genuine": brand-or-null,
"lookalikes": [{"brand", "score", "reasons", "owner", "matched"}]}``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def brands() -> None:
    """Match product names against the registry of genuine brands."""


@brands.command("match")
@click.argument("names", nargs=-1, required=True)
@click.option("--registry", "extra", type=click.Path(path_type=Path),
              help="Your own CSV of genuine brands (brand,owner,category,family[,latin]), added to the shipped list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per name.")
def match(names: tuple[str, ...], extra: Path | None, as_json: bool) -> None:
    """Is each NAME a genuine brand, and which genuine brands does it imitate (形近, 音近, ...)?"""
    from evidence.brands import BrandRegistry

    registry = BrandRegistry.load(extra)
    results = [registry.match(name).to_dict() for name in names]
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for result in results:
        line = f"{result['name']}: " + (f"genuine {result['genuine']}" if result["genuine"] else "not a registered brand")
        click.echo(line)
        for look in result["lookalikes"]:
            click.echo(f"  looks like {look['brand']} ({look['owner']}), score {look['score']}: "
                       + "; ".join(look["reasons"]))
