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

ENGINES = ("auto", "rapidocr", "tesseract")


def _emit(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


def _human(item: dict) -> None:
    click.echo(f"== {item['image']}" + (f"  [{item['engine']}]" if item.get("engine") else ""))
    if item.get("error"):
        error = item["error"]
        click.echo(f"  could not be read: {error['message']}")
        if error.get("hint"):
            click.echo(f"  What to do: {error['hint']}")
        return
    for name, value in item["fields"].items():
        if value not in (None, [], "", False) and name in {
                "product_name", "manufacturer", "address", "license_no", "ccc_cert_no", "credit_code",
                "barcode", "production_date", "product_type"}:
            click.echo(f"  {name}: {value}")
    if not item["findings"]:
        click.echo("  findings: none")
    for finding in item["findings"]:
        click.echo(f"  [{finding['severity']}] {finding['code']}: {finding['message']}")
        for reading in finding.get("readings", []):
            click.echo(f"      read: {reading}")
        if finding.get("alternatives"):
            click.echo(f"      one OCR confusion away from: {' / '.join(finding['alternatives'])}")
        look = finding.get("details", {}).get("lookalike")
        if look:
            click.echo(f"      {look['matched']} ~ {look['brand']} ({look['owner']}): {'; '.join(look['reasons'])}"
                       f" [signals: {', '.join(look.get('signals', []))}]")


@click.group()
def labels() -> None:
    """Read seized-label photos (OCR) and screen their text for problems."""


@labels.command("read")
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="OCR engine: rapidocr (most accurate), tesseract, or auto (rapidocr when installed).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per image.")
def read(images: tuple[Path, ...], engine: str, as_json: bool) -> int:
    """OCR label photos and screen them: fields, findings with legal basis, lookalike brands."""
    from evidence.labels.label_report import read_label
    from evidence.labels.ocr import get_engine

    ocr = get_engine(engine)  # a missing engine or language pack stops here, naming the package
    items, code = [], 0
    for path in images:
        report = read_label(path, ocr)
        item = report.to_dict()
        if report.error is not None:
            code = 1
        if as_json:
            items.append(item)
        else:
            _human(item)
    if as_json:
        _emit(items)
    return code


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
    if as_json:
        _emit([item])
    else:
        _human(item)
