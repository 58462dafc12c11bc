"""``casebook evidence capture``: fix web pages as electronic data in a case folder.

JSON output (``--json``) is one object on stdout: for one address the capture itself, for
``--list`` the whole run.  Exit codes: 0 done; 1 done but an address of a list failed or a
timestamp could not be obtained; 2 unusable input (a bad or unreachable address, a missing case).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


def _echo(line: str, err: bool = False) -> None:
    """Addresses, titles and file names come from the page and the list: shown, never obeyed."""
    click.echo(terminal_text(line), err=err)


def _emit(data: dict) -> None:
    click.echo(terminal_json(data, indent=1))


def _describe(result, err) -> None:

    head = "already captured" if result.already_captured else "captured"
    _echo(f"{head}: {result.url} -> {result.status} {result.final_url}")
    for item in (result.screening or {}).get("findings", []):
        _echo(f"  finding {item['code']} ({item['severity']}): {item['message']}")
    if not result.settled:
        _echo(f"  not settled within the timeout ({', '.join(result.not_settled)}): captured as it was then",
                   err=err)
    _echo(f"  folder: {result.folder}")
    _echo(f"  manifest: {result.manifest_path} (Merkle root {result.manifest.merkle_root})")
    _echo(f"  record: {result.record_html} and {result.record_pdf.name}")
    if result.timestamp:
        _echo(f"  timestamp: {result.timestamp['gen_time_utc']}")
    if result.timestamp_error:
        _echo(f"  timestamp NOT obtained: {result.timestamp_error}", err=True)
    if result.event:
        _echo(f"  custody: event {result.event['seq']} 'captured'")


def _describe_seal(seal: dict | None) -> None:
    if not seal:
        return
    state = seal["state"]
    if state == "resealed":
        _echo(f"case seal: renewed to cover the captures (Merkle root {seal['merkle_root']}; "
                   f"previous manifest kept as {seal['archived']})")
    elif state == "unsealed":
        _echo(f"case seal: the case is not sealed yet; {seal['hint']}")
    elif state in ("changed", "refused"):
        _echo(f"case seal: left as it is: the case changed in other ways too "
                   f"({seal.get('counts') or seal.get('message')}); {seal.get('hint', '')}", err=True)


def _describe_partial(run) -> None:
    for note in run.partial_notes:
        _echo(f"  {note}", err=True)


@click.command("capture")
@click.argument("url", required=False)
@click.option("--case", "case_dir", required=True, type=click.Path(path_type=Path),
              help="The case folder (with case.yml); pages go to CASE/evidence/web/.")
@click.option("--list", "url_list", type=click.Path(path_type=Path),
              help="A text file of addresses, one per line ('#' comments), instead of URL.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=30, show_default=True,
              help="Seconds the capture of a page may take in all: settling gets 60 %, the snapshots the rest; "
              "what a page did not let be taken in time is named in capture.json.")
@click.option("--tsa", "tsa_url", help="RFC 3161 timestamp authority URL: timestamp each capture's Merkle root.")
@click.option("--actor", help="Who captures (custody log). Default: the investigators in case.yml.")
@click.option("--place", help="提取地点 for the record. Default: the organ in case.yml.")
@click.option("--lang", default="zh", type=click.Choice(["zh", "en"]), show_default=True,
              help="Language of the extraction record.")
@click.option("--again", is_flag=True, help="Capture an address again even if the case already holds it whole.")
@click.option("--screen", is_flag=True, help="Read each page as a listing and screen it (CCC, claims, lookalike "
              "brands); write the patrol table (巡查记录, HTML and CSV) to CASE/patrol/.")
@click.option("--registry", "registry", type=click.Path(path_type=Path),
              help="With --screen: a CCC certificate register export (CSV or Excel) to check the numbers shown in.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def capture(url, case_dir: Path, url_list, timeout, tsa_url, actor, place, lang, again, screen, registry,
            as_json) -> int:
    """Capture URL (or each address of --list) into the case, sealed, with its extraction record.

    Re-running skips addresses already captured whole, so an interrupted --list run resumes.
    """
    from casebook.webcapture.case_capture import capture_urls, read_url_list
    from evidence.web.page_capture import CaptureSettings, check_url
    from safeio.errors import InputError

    if (url is None) == (url_list is None):
        raise click.UsageError("give one URL or --list FILE")
    if not case_dir.is_dir():
        raise InputError("this case folder does not exist" if not case_dir.exists() else "this is not a folder",
                         path=case_dir, hint="Give the case folder that holds case.yml.")
    options = {"actor": actor, "place": place, "tsa_url": tsa_url, "lang": lang, "again": again,
               "settings": CaptureSettings(timeout_s=timeout)}
    if registry is not None and not screen:
        raise click.UsageError("--registry is used with --screen")
    patrol = _patrol_options(case_dir, screen, registry, options)
    if url is not None:
        check_url(url)  # a file:, data: or javascript: address is refused before a browser starts
        run = capture_urls(case_dir, [(None, url)], **options)
        _describe_partial(run)
        if run.failed:
            raise InputError(run.failed[0]["message"], field="url", hint=run.failed[0]["hint"])
        result = run.results[0]
        code = 1 if result.timestamp_error else 0
        written = patrol(run) if patrol else None
        if as_json:
            _emit({**result.to_dict(), "case_seal": run.case_seal, **_patrol_json(written)})
            return code
        _describe(result, err=False)
        _describe_seal(run.case_seal)
        _describe_patrol(written)
        return code
    urls = read_url_list(url_list)
    bar = None
    if not as_json and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(urls), unit="page", desc="capturing", file=sys.stderr, leave=False)
    try:
        run = capture_urls(case_dir, urls, progress=(lambda _url: bar.update(1)) if bar else None, **options)
    finally:
        if bar is not None:
            bar.close()
    code = 0 if run.ok else 1
    _describe_partial(run)
    written = patrol(run) if patrol else None
    if as_json:
        _emit({**run.to_dict(), **_patrol_json(written)})
        return code
    for result in run.results:
        _describe(result, err=False)
    for item in run.failed:
        _echo(f"FAILED: {url_list}, line {item['row']}: {item['message']}", err=True)
    captured = sum(not r.already_captured for r in run.results)
    _echo(f"{captured} captured, {len(run.results) - captured} already captured, {len(run.failed)} failed")
    _describe_seal(run.case_seal)
    _describe_patrol(written)
    return code


def _patrol_options(case_dir: Path, screen: bool, registry: Path | None, options: dict):
    """With --screen: load the register once, ask each capture to be screened; return the patrol writer."""
    if not screen:
        return None
    from datetime import UTC, datetime

    from casebook.case import load_case
    from casebook.webcapture.patrol_table import write_patrol
    from evidence.certification.cert_register import load_register

    register = load_register(registry) if registry is not None else None
    options.update(screen=True, register=register)
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return lambda run: write_patrol(run, case=load_case(case_dir), started_utc=started,
                                    register_name=registry.name if registry is not None else None)


def _patrol_json(written) -> dict:
    return {} if not written else {"patrol": {"html": str(written[0]), "csv": str(written[1])}}


def _describe_patrol(written) -> None:
    if written:
        click.echo(f"patrol table (巡查记录): {written[0]} and {written[1].name}")
