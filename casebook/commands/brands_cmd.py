"""``casebook brands ...``: lookalike-brand matching against the brand registry.

``match --json`` prints a list, one object per name: ``{"name", "genuine": brand-or-null,
"lookalikes": [{"brand", "score", "reasons", "owner", "matched", "tricks", "signals"}]}``; each trick is
``{"kind", "family", "genuine", "seen"}`` with ``family`` one of shape, sound, order, edit, romanised,
number (codes; ``reasons`` says the same in words).

Names come from the command line, so they are checked at this edge: at most
:data:`MAX_NAME_CHARS` characters (a product name on a label is far shorter, and the matcher's
cost grows with the length), bytes that are not UTF-8 kept as ``\\xNN`` text, and every control
character escaped in the output so a name cannot drive the terminal (docs/domain.md).
"""

from __future__ import annotations

from pathlib import Path

import click

from safeio.errors import InputError
from safeio.limits import describe_size, refuse_link, terminal_json, terminal_text

MAX_NAME_CHARS = 200
MAX_REGISTRY_BYTES = 16 << 20  # a registry of every brand in China would be a few MiB


def _clean_name(name: str, position: int) -> str:
    """A name as given, with raw non-UTF-8 bytes (kept by Python as surrogates) written as ``\\xNN``."""
    if len(name) > MAX_NAME_CHARS:
        raise InputError(f"name {position} is {len(name)} characters long; at most {MAX_NAME_CHARS} are matched",
                         field="NAME",
                         hint="Give the brand or product name as printed on the label, not a whole text; "
                         "screen a label's full text with 'casebook labels check'.")
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _check_registry(path: Path) -> None:
    refuse_link(path, "brand list")
    try:
        size = path.stat().st_size
    except OSError:
        return  # the registry loader says what is wrong with a missing file
    if size > MAX_REGISTRY_BYTES:
        raise InputError(f"the brand list is larger than the {describe_size(MAX_REGISTRY_BYTES)} casebook accepts",
                         path=path, hint="Give a CSV with one row per genuine brand.")


@click.group()
def brands() -> None:
    """Match product names against the registry of genuine brands."""


@brands.command("match")
@click.argument("names", nargs=-1, required=True)
@click.option("--registry", "extra", type=click.Path(path_type=Path),
              help="Your own CSV of genuine brands (brand,owner,category,family[,latin]), added to the shipped list.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per name.")
def match(names: tuple[str, ...], extra: Path | None, as_json: bool) -> None:
    """Is each NAME a genuine brand, and which genuine brands does it imitate (形近, 音近, ...)?

    Each NAME may be at most 200 characters; control characters are shown escaped.
    """
    from casebook.words.finding_words import lookalike_words
    from evidence.labels.brands import BrandRegistry

    cleaned = [_clean_name(name, number) for number, name in enumerate(names, start=1)]
    if extra is not None:
        _check_registry(extra)
    registry = BrandRegistry.load(extra)
    results = [registry.match(name).to_dict() for name in cleaned]
    results = [{**r, "lookalikes": [lookalike_words(look) for look in r["lookalikes"]]} for r in results]
    if as_json:
        click.echo(terminal_json(results, indent=1))
        return
    for result in results:
        line = f"{terminal_text(result['name'])}: " + (f"genuine {terminal_text(result['genuine'])}"
                                                        if result["genuine"] else "not a registered brand")
        click.echo(line)
        for look in result["lookalikes"]:
            click.echo(f"  looks like {terminal_text(look['brand'])} ({terminal_text(look['owner'] or '')}), "
                       f"score {look['score']}: " + "; ".join(terminal_text(str(r)) for r in look["reasons"]))
