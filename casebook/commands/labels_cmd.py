"""``casebook labels ...``: read label photos and screen what they say.

``read`` prints one object per image, in input order: ``{"image", "engine", "text", "lines",
"fields", "findings"}`` plus ``"error"`` for a photo that could not be read (exit 1; the others
go on).  ``check`` does the same from label text typed or pasted into a file (no OCR).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from safeio.errors import InputError
from safeio.limits import terminal_text

ENGINES = ("auto", "rapidocr", "tesseract")


def _emit(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def _worded(entry: dict | None) -> dict | None:
    """A photo's or an item's entry with each finding's message in words (zh, en) and lookalike reasons."""
    from casebook.words.finding_words import lookalike_words, with_words

    if entry is None:
        return None
    out = {**entry, "findings": [with_words(f) for f in entry.get("findings") or []]}
    if entry.get("lookalikes"):
        out["lookalikes"] = [lookalike_words(look) for look in entry["lookalikes"]]
    return out


_SHOWN = {"product_name", "manufacturer", "address", "license_no", "ccc_cert_no", "credit_code", "barcode",
          "production_date", "expiry_date", "product_type", "made_by"}


def _human(item: dict, findings: bool = True) -> None:
    click.echo(f"== {terminal_text(item['image'])}" + (f"  [{item['engine']}]" if item.get("engine") else ""))
    if item.get("error"):
        error = item["error"]
        click.echo(f"  could not be read: {terminal_text(error['message'])}")
        if error.get("hint"):
            click.echo(f"  What to do: {error['hint']}")
        return
    for name, value in item["fields"].items():
        if value not in (None, [], "", False) and name in _SHOWN:
            click.echo(f"  {name}: {terminal_text(str(value))}")
    for party in item["fields"].get("parties") or []:
        click.echo("  party: " + terminal_text(" | ".join(f"{k}={v}" for k, v in party.items())))
    if findings:
        _findings(item["findings"])


def _findings(found: list[dict]) -> None:
    if not found:
        click.echo("  findings: none")
    for finding in found:
        click.echo(f"  [{finding['severity']}] {finding['code']}: {terminal_text(finding['message'])}")
        for reading in finding.get("readings", []):
            click.echo(f"      read: {terminal_text(reading)}")
        if finding.get("alternatives"):
            click.echo(f"      one OCR confusion away from: {' / '.join(finding['alternatives'])}")
        look = finding.get("details", {}).get("lookalike")
        if look:
            click.echo(terminal_text(f"      {look['matched']} ~ {look['brand']} ({look['owner']}): "
                                     f"{'; '.join(look['reasons'])} [signals: {', '.join(look.get('signals', []))}]"))


@click.group()
def labels() -> None:
    """Read seized-label photos (OCR) and screen their text for problems."""


@labels.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="OCR engine: rapidocr (most accurate), tesseract, or auto (rapidocr when installed).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per image.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Photos read at once (default: every core, at most one per photo).")
@click.option("--complete", is_flag=True,
              help="Each photo shows its product's whole label (your word): only then are 'three-no' and "
                   "missing items judged; otherwise what a photo does not show is 'not visible'.")
@click.option("--item", "as_item", is_flag=True,
              help="The photos are sides of ONE item: screen what they show together (with --complete if every "
                   "side is there).")
def read(images: tuple[Path, ...], engine: str, as_json: bool, workers: int | None, complete: bool,
         as_item: bool) -> int:
    """OCR label photos and screen them: fields, findings with legal basis, lookalike brands.

    A photo that cannot be read is an entry with an error (exit 1); the others are read and printed."""
    from evidence.labels.ocr import get_engine

    get_engine(engine)  # a missing engine or language pack stops here, naming the package
    if as_item:
        from evidence.labels.label_report import read_item

        report = read_item(images, engine, complete=complete)
        data = report.to_dict()
        data = {"photos": [_worded(photo) for photo in data["photos"]], "item": _worded(data["item"])}
        if as_json:
            _emit(data)
        else:
            for photo in data["photos"]:
                _human(photo, findings=False)
            _human_item(data["item"])
        return 1 if report.errors or report.screening is None else 0
    items = read_photos([str(p) for p in images], engine, complete, workers)
    code = 1 if any(item.get("error") for item in items) else 0
    if as_json:
        _emit(items)
    else:
        for item in items:
            _human(item)
    return code


def _human_item(item: dict | None) -> None:
    click.echo("== the item (all photos together)")
    if item is None:
        click.echo("  no photo of this item could be read")
        return
    for name, value in item["fields"].items():
        if value not in (None, [], "", False) and name in _SHOWN:
            click.echo(f"  {name}: {terminal_text(str(value))}  [{terminal_text(item['sources'].get(name, ''))}]")
    for diff in item["disagreements"]:
        values = " / ".join(f"{v['value']} ({v['image']})" for v in diff["values"])
        click.echo(f"  photos disagree on {diff['field']}: {terminal_text(values)}")
    _findings(item["findings"])


def _read_one(path: str, engine: str, complete: bool) -> dict:
    """One photo -> its JSON entry; never raises (a failure is the photo's error entry)."""
    from evidence.labels.label_report import read_label
    from safeio.errors import CasebookError

    try:
        return _worded(read_label(path, engine, complete=complete, thumbnail=False).to_dict())  # JSON carries no thumbnail
    except CasebookError as err:
        return {"image": path, "engine": None, "text": "", "lines": [], "fields": {}, "findings": [],
                "error": err.to_dict()}
    except Exception as err:
        failure = InputError(f"the photo could not be read ({type(err).__name__}: {err})", path=path,
                             hint="Open the photo in an image viewer; if it shows, save it again as JPEG and retry.")
        return {"image": path, "engine": None, "text": "", "lines": [], "fields": {}, "findings": [],
                "error": failure.to_dict()}


def _start_worker(threads: int) -> None:
    import os

    os.environ["CASEBOOK_OCR_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)


def read_photos(paths: list[str], engine: str, complete: bool, workers: int | None) -> list[dict]:
    """Every photo's entry in input order, read by ``workers`` processes with a progress bar on stderr."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    width = min(workers or cores, len(paths))
    results: dict[int, dict] = {}
    with tqdm(total=len(paths), desc="photos", unit="photo", file=sys.stderr, disable=None, leave=False) as bar:
        if width <= 1:
            for index, path in enumerate(paths):
                results[index] = _read_one(path, engine, complete)
                bar.update()
        else:
            threads = max(1, cores // width)
            with ProcessPoolExecutor(max_workers=width, mp_context=multiprocessing.get_context("spawn"),
                                     initializer=_start_worker, initargs=(threads,)) as pool:
                futures = {pool.submit(_read_one, path, engine, complete): index for index, path in enumerate(paths)}
                for future in as_completed(futures):
                    index = futures[future]
                    try:
                        results[index] = future.result()
                    except BrokenProcessPool:  # a worker died (out of memory, a crash in a native library)
                        failure = InputError("the reader of this photo stopped unexpectedly", path=paths[index],
                                             hint="Read this photo on its own with --workers 1; if it fails "
                                                  "again, save it again as JPEG.")
                        results[index] = {"image": paths[index], "engine": None, "text": "", "lines": [],
                                          "fields": {}, "findings": [], "error": failure.to_dict()}
                    bar.update()
    return [results[i] for i in range(len(paths))]


@labels.command("check")
@click.argument("textfile", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list with one object.")
def check(textfile: Path, as_json: bool) -> None:
    """Screen label text from a file (or '-' for standard input), without OCR."""
    from evidence.labels.label_fields import decode_label_text
    from evidence.labels.screening import screen_text

    name = "-" if str(textfile) == "-" else str(textfile)
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        if not textfile.is_file():
            raise InputError("the text file does not exist", path=textfile,
                             hint="Give the path of a text file holding the label's words.")
        data = textfile.read_bytes()
    text, encodings = decode_label_text(data, name)
    if not text.strip():
        raise InputError("the text is empty", path=name, hint="Put the label's words in the file, one line each.")
    fields, findings = screen_text(text)
    item = {"image": name, "engine": None, "text": text,
            "lines": [{"text": line} for line in text.splitlines() if line.strip()],
            "fields": fields.to_dict(), "findings": [f.to_dict() for f in findings], "encodings": encodings}
    item = _worded(item)
    if as_json:
        _emit([item])
    else:
        _human(item)
