"""``casebook evidence acquire SRC --case DIR``: copy seized media into a case with hash-on-copy.

Exit codes: 0 every file copied and verified and the medium held still; 1 done, but some files
could not be read, the medium changed, or the destination filled up (rerun to resume); 2 unusable
input (no case, a source inside the case).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


def _ask_flag(value: bool | None, question: str) -> bool | None:
    """A yes/no the officer did not give as a flag is asked at a terminal, left unstated in a script."""
    if value is None and sys.stdin.isatty():
        return click.confirm(question, default=False)
    return value


def _ask_text(value: str | None, question: str) -> str:
    if value is None and sys.stdin.isatty():
        return click.prompt(question, default="", show_default=False).strip()
    return (value or "").strip()


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--case", "case_dir", required=True, type=click.Path(path_type=Path), help="The case folder.")
@click.option("--description", help="What the medium is (for example: 当事人收银台U盘, 32 GB).")
@click.option("--device-model", help="The device's make and model, if known.")
@click.option("--serial", help="The device's serial number, if known.")
@click.option("--write-blocker/--no-write-blocker", default=None,
              help="Whether a hardware write blocker was used (asked at a terminal if not given).")
@click.option("--place", help="提取地点 (default: the case's address).")
@click.option("--actor", default="casebook", show_default=True, help="Who acquires (custody log).")
@click.option("--label", help="A short label for the acquisition folder (default: the source folder's name).")
@click.option("--algorithms", default="sha256,sm3", show_default=True, help="sha256,sm3[,md5]")
@click.option("--workers", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Files copied at once (they mostly wait on the disk: more than the cores helps).")
@click.option("--no-pdf", is_flag=True, help="Write the record as HTML only (no Chromium).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: each file copied, the problems.")
def acquire(source: Path, case_dir: Path, description, device_model, serial, write_blocker, place, actor, label,
            algorithms, workers, no_pdf, lang, as_json) -> int:
    """Copy the files of SOURCE (a mounted USB stick, SD card, phone export, disk image) into the case.

    Each file is read once, hashed (SHA-256 and SM3) on the bytes read, written, flushed to disk,
    read back and compared; the medium is only read, and its listing before and after is
    compared.  An interrupted run resumes without copying verified files again.
    """
    from casebook.intake.media_acquire import SourceFacts, acquire_media

    facts = SourceFacts(description=_ask_text(description, "介质描述 / description of the medium"),
                        device_model=_ask_text(device_model, "设备型号 / device model"),
                        serial=_ask_text(serial, "序列号 / serial number"),
                        write_blocker=_ask_flag(write_blocker, "使用了写保护设备吗? / was a write blocker used?"),
                        place=(place or "").strip(), actor=actor)
    bar = None
    show = not as_json and sys.stderr.isatty()

    def total(nbytes: int) -> None:
        nonlocal bar
        if show:
            bar = click.progressbar(length=nbytes, label="acquiring", file=sys.stderr)
            bar.__enter__()

    def progress(nbytes: int) -> None:
        if bar is not None:
            bar.update(nbytes)

    try:
        result = acquire_media(source, case_dir, facts, label=label, algorithms=algorithms, workers=workers,
                               progress=progress, total=total, pdf=not no_pdf, lang=lang)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    data = result.to_dict()
    if as_json:
        click.echo(terminal_json(data, indent=1))
        return 0 if result.ok else 1
    copied = result.copy.copied
    resumed = sum(item.resumed for item in copied)
    click.echo(f"{terminal_text(str(result.folder))}: {len(copied)} copied and verified"
               + (f" ({resumed} from an earlier run)" if resumed else ""))
    for item in result.copy.problems:
        click.echo(f"problem: {terminal_text(item.path)}: {item.problem}", err=True)
    for change in result.copy.changes:
        click.echo(f"the medium changed during the copy: {terminal_text(change['path'])} {change['change']}", err=True)
    if result.state == "destination_full":
        click.echo(f"the destination is full ({result.copy.destination_full}); free space and run the same command "
                   "again: verified files are not copied again", err=True)
        return 1
    click.echo(f"manifest: {result.folder / 'manifest.json'} (Merkle root {result.manifest.merkle_root})")
    click.echo(f"record: {', '.join(str(path) for path in result.record_files)}")
    click.echo(f"custody: event {result.event['seq']} 'acquired'")
    seal = result.case_seal or {}
    if seal.get("state") == "resealed":
        click.echo(f"case sealed again: Merkle root {seal['merkle_root']}")
    elif seal.get("hint"):
        click.echo(f"case: {seal['state']}; {seal['hint']}")
    return 0 if result.ok else 1
