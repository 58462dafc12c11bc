"""``casebook link``: cross-case link analysis, the chart of chains and the 协查函 drafts."""

from __future__ import annotations

from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


def _echo(line: str, err: bool = False) -> None:
    """Values from case.yml and evidence reach this line: control sequences are shown, never obeyed."""
    click.echo(terminal_text(line), err=err)


@click.command("link")
@click.argument("casebook_dirs", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print entities, chains and problems as JSON.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Write links.html (the chart), links.json and the 协查函 drafts (letters/) here.")
@click.option("--pdf", is_flag=True, help="Also print each 协查函 draft as an A4 PDF (needs Chromium).")
@click.option("--from", "requester", default="",
              help="The requesting county or bureau for the 协查函 (default: the county of each chain's first case).")
@click.option("--no-ocr", is_flag=True,
              help="Use cached label readings only; photos never read before are left out (and counted).")
@click.option("--engine", type=click.Choice(["auto", "rapidocr", "tesseract"]), default="auto", show_default=True,
              help="OCR engine for label photos no cache holds.")
@click.option("--all-entities", is_flag=True, help="List every entity in the JSON, not only those shared by cases.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the chart.")
@click.option("--owners", "owners", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of genuine owners and their identifiers (owner,credit_code,licence,address,phone) to add "
                   "to the shipped registry; each casebook's own brand_owners.csv is read too.")
def link(casebook_dirs: tuple[Path, ...], as_json: bool, out: Path | None, pdf: bool, requester: str, no_ocr: bool,
         engine: str, all_entities: bool, lang: str, owners: tuple[Path, ...]) -> int:
    """Link the cases of one or several CASEBOOK_DIRs: shared phones, ids, codes, names and addresses.

    Several casebooks (those of several prefectures' bureaus) are linked together: rarity is
    counted per prefecture, and each chain names the bureau holding each case.  Identities printed
    on seized labels are compared with the genuine owners: a copied genuine identity weighs little,
    an unknown maker on goods of several cases links them.  Exit 1 when some file or case could not
    be read (each is listed, the others were linked), 2 when a casebook cannot be used at all.
    """
    from casebook.chains.linkage import link_casebook
    from safeio.path_parts import writable_folder

    if out is not None:
        writable_folder(out)  # a read-only OUT is one message before the work, not a traceback after it

    say = (lambda line: None) if as_json else (lambda line: _echo(f"  {line}", err=True))
    linkage = link_casebook(list(casebook_dirs), ocr=not no_ocr, engine=engine, progress=say, owners_files=owners)
    result = linkage.result
    data = linkage.to_dict() if not all_entities else {**result.to_dict(all_entities=True), "stats": linkage.stats}
    written: list[Path] = []
    if out is not None:
        from casebook.chains.link_outputs import write_link_outputs

        written = write_link_outputs(linkage, out, lang=lang, pdf=pdf, requester=requester, all_entities=all_entities)
    if as_json:
        click.echo(terminal_json(data, indent=1))
    else:
        _report(linkage, written)
    return 1 if result.problems else 0


def _report(linkage, written: list[Path]) -> None:
    from casebook.chains.link_views import LEAD_REASONS_EN

    result, stats = linkage.result, linkage.stats
    docs = ", ".join(f"{n} {kind}" for kind, n in sorted(stats["documents"].items())) or "no records"
    books = f" from {stats['casebooks']} casebooks" if stats.get("casebooks", 1) > 1 else ""
    click.echo(f"{stats['cases']} cases{books} linked: {docs}; label photos {stats['labels_cached']} cached, "
               f"{stats['labels_read']} read now, {stats['labels_not_read']} not read.")
    click.echo(f"{stats['shared_entities']} shared entities, {len(result.chains)} chain(s), {len(result.leads)} lead(s).")
    several = stats.get("casebooks", 1) > 1
    for chain in result.chains:
        roles = ", ".join(f"{c} {r}" for c, r in chain.roles.items())
        _echo(f"  {chain.id}  score {chain.score:.2f}  {len(chain.cases)} cases in "
                         f"{'、'.join(chain.counties)}: {', '.join(chain.cases)}" + (f"  [{roles}]" if roles else ""))
        if several:
            for case, holder in chain.holders.items():
                _echo(f"      {case}: {holder['bureau']} ({holder['casebook']})")
        for item in chain.via:
            if item["links"]:
                on_label = {"source": "  [on seized goods: unknown maker]",
                            "copied": "  [copied genuine identity]"}.get(item.get("label_claim", ""), "")
                _echo(f"      {item['kind']:<12} {item['value']}  (weight {item['weight']:.2f}; "
                                 f"{', '.join(item['cases'])}){on_label}")
    for lead in result.leads[:10]:
        _echo(f"  lead  {lead['kind']:<12} {lead['value']}  ({', '.join(lead['cases'][:6])}"
                         f"{' ...' if len(lead['cases']) > 6 else ''}; best pair {lead['best']:.2f}): "
                         f"{LEAD_REASONS_EN.get(lead['reason'], lead['reason'])}")
    if len(result.leads) > 10:
        click.echo(f"  ... {len(result.leads) - 10} more lead(s) in links.json")
    for problem in result.problems:
        where = problem.get("path") or problem.get("case")
        _echo((f"  problem: {where}: {problem['message']}"), err=True)
        if problem.get("hint"):
            _echo(f"    What to do: {problem['hint']}", err=True)
    for path in written:
        if path.name == "links.html":
            _echo(f"Chart: {path}")
    letters = [p for p in written if p.parent.name == "letters"]
    if letters:
        _echo(f"协查函 drafts: {len(letters)} file(s) in {letters[0].parent}")
