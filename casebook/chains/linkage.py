"""Case folders -> what their records say -> the link analysis of :mod:`links`.

Per case: the party of ``case.yml``, the fields of every label photo (OCR readings come from the
reading cache keyed by the photo's SHA-256, so photos read at sealing or by a dossier are never
read again), and every ledger, order export and chat log under ``evidence/``.  A file that cannot
be read becomes a problem naming the file; the case and the other cases go on.

Cases are read in worker processes (YAML, CSV and Excel parsing is pure Python); photos that no
cache holds are read afterwards in this process, with one OCR engine for all of them.
"""

from __future__ import annotations

import csv
import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from casebook.case import Case, casebook_cases, load_case
from links import (
    CaseRecord,
    LinkResult,
    Mention,
    case_mentions,
    is_record_file,
    label_mentions,
    link_mentions,
)
from links import read_document as read_record
from safeio.errors import CasebookError, InputError, MissingDependencyError

__all__ = ["CaseReading", "Linkage", "link_casebook", "read_case"]

PARALLEL_FROM = 200  # below this many cases, starting worker processes costs more than it saves


@dataclass
class CaseReading:
    """What one case's records said, what could not be read, and the label photos still to read."""

    record: CaseRecord | None
    mentions: list[Mention] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    unread_labels: list[str] = field(default_factory=list)  # photos with no cached reading
    documents: dict[str, int] = field(default_factory=dict)  # kind -> files read
    labels_cached: int = 0


def _problem(case_id: str, err: CasebookError, code: str) -> dict:
    return {"case": case_id, "code": code, **err.to_dict()}


def _record(case: Case, register: dict[str, dict]) -> CaseRecord:
    row = register.get(case.case_id, {})
    location = case.location if isinstance(case.location, dict) else {}
    county = str(location.get("county") or row.get("county") or "")
    party = case.party if isinstance(case.party, dict) else {}
    position = case.lon_lat()
    return CaseRecord(case.case_id, county=county, title=case.title, case_no=case.case_no, organ=case.organ,
                      party=str(party.get("name", "")), address=str(party.get("address", "") or ""),
                      opened=case.opened, lon=position[0] if position else None,
                      lat=position[1] if position else None, coord_sys=position[2] if position else "wgs84")


def _label_from_cache(case: Case, photo: Path, cache, fingerprint: str | None) -> list[Mention] | None:
    """The label's mentions from a cached reading, or None when no reading is cached for these bytes."""
    if cache is None or fingerprint is None:
        return None
    from evidence.labels.label_fields import extract_fields

    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    reading = cache.get(digest, fingerprint)
    if reading is None:
        return None
    lines = [line.text for line in reading.lines]
    fields = extract_fields(reading.lines).to_dict()
    return label_mentions(case.case_id, photo.relative_to(case.root).as_posix(), fields, lines, sha256=digest)


def read_case(case_dir: str | Path, *, register: dict[str, dict] | None = None, cache_dir: str | Path | None = None,
              fingerprint: str | None = None) -> CaseReading:
    """Read one case folder's records into mentions; label photos without a cached reading are listed, not read.

    Parameters
    ----------
    case_dir : the case folder (case.yml, labels/, evidence/).
    register : rows of cases.csv by case id (for the county when case.yml has none).
    cache_dir : the OCR reading cache; None reads no labels.
    fingerprint : the OCR engine's fingerprint the cached readings must carry.

    Returns
    -------
    CaseReading
        ``record`` is None when case.yml cannot be loaded (the problem says why).
    """
    folder = Path(case_dir)
    try:
        case = load_case(folder)
    except CasebookError as err:
        return CaseReading(None, problems=[_problem(folder.name, err, "case_unreadable")])
    reading = CaseReading(_record(case, register or {}))
    try:
        text = (case.root / "case.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    party = case.party if isinstance(case.party, dict) else {}
    reading.mentions += case_mentions(case.case_id, party, text=text, county=reading.record.county)
    cache = None
    if cache_dir is not None:
        from evidence.labels.readings import ReadingCache

        cache = ReadingCache(cache_dir)
    for photo in case.label_photos():
        if photo.is_symlink():
            continue  # never followed out of the case folder
        rel = photo.relative_to(case.root).as_posix()
        try:
            found = _label_from_cache(case, photo, cache, fingerprint)
        except OSError as err:
            failure = InputError(f"the photo cannot be read ({err.strerror or err})", path=str(photo),
                                 hint="Check that the file exists and may be read.")
            reading.problems.append(_problem(case.case_id, failure, "label_unreadable"))
            continue
        if found is None:
            reading.unread_labels.append(rel)
        else:
            reading.labels_cached += 1
            reading.mentions += found
    for path in case.evidence_files():
        if path.is_symlink() or not is_record_file(path):
            continue  # a link is never followed out of the case folder; photos and images are not records
        rel = path.relative_to(case.root).as_posix()
        try:
            document = read_record(path, case.case_id, rel)
        except CasebookError as err:
            reading.problems.append(_problem(case.case_id, err, "record_unreadable"))
            continue
        except (OSError, ValueError, LookupError, csv.Error) as err:  # a file odd in a way no reader foresaw
            failure = InputError(f"the file could not be read ({type(err).__name__}: {err})", path=str(path),
                                 hint="Open it in Excel or a text editor and save it again as CSV UTF-8 or .xlsx.")
            reading.problems.append(_problem(case.case_id, failure, "record_unreadable"))
            continue
        if document is not None:
            reading.documents[document.kind] = reading.documents.get(document.kind, 0) + 1
            reading.mentions += document.mentions
    return reading


def _read_many(args: tuple) -> list[CaseReading]:
    dirs, register, cache_dir, fingerprint = args
    return [read_case(d, register=register, cache_dir=cache_dir, fingerprint=fingerprint) for d in dirs]


@dataclass
class Linkage:
    """A casebook's link analysis and how its inputs were read."""

    result: LinkResult
    casebook: Path  # the first casebook given
    stats: dict = field(default_factory=dict)
    folders: dict[str, Path] = field(default_factory=dict)  # case id -> its folder (casebooks may be several)
    casebooks: list[Path] = field(default_factory=list)

    def case_folder(self, case_id: str) -> Path:
        """The folder of a case, whichever casebook holds it."""
        return self.folders.get(case_id) or self.casebook / case_id

    def to_dict(self) -> dict:
        """The JSON of ``casebook link --json``: entities, chains, problems and reading statistics."""
        return {**self.result.to_dict(), "stats": self.stats}


def _register(casebook: Path) -> dict[str, dict]:
    """County (and nothing else) per case id from cases.csv: the only column linkage needs from it.

    A case id on several rows takes its first row's county (the duplicate is reported as a problem).
    """
    table = casebook / "cases.csv"
    if not table.is_file():
        return {}
    try:
        with table.open(encoding="utf-8-sig", newline="") as handle:
            rows: dict[str, dict] = {}
            for row in csv.DictReader(handle):
                rows.setdefault(str(row.get("case_id") or ""), {"county": row.get("county") or ""})
            return rows
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}  # scan_casebook reports an unreadable register


def _engine(name: str):
    from evidence.labels.ocr import get_engine

    return get_engine(name)


def link_casebook(casebook_dir: str | Path | Sequence[str | Path], *, ocr: bool = True, engine: str = "auto",
                  cache_dir: str | Path | None = None, workers: int | None = None,
                  progress: Callable[[str], None] | None = None,
                  owners_files: Sequence[str | Path] = ()) -> Linkage:
    """Link every case of one casebook or several: read each case's records, OCR only photos no cache holds.

    Several casebooks (those of several prefectures' bureaus, 跨区域协查) are linked as one: rarity is
    counted per prefecture, each case keeps the casebook and bureau that hold it, and a case id that a
    second casebook uses again is prefixed with that casebook's folder name.

    Parameters
    ----------
    casebook_dir : a casebook (cases.csv and one folder per case), or a list of them.
    ocr : read label photos that have no cached reading (False: use cached readings only and count
        the others as not read).
    engine : the OCR engine: auto, rapidocr or tesseract.
    cache_dir : the folder of the reading cache (default: :func:`casebook.cachedir.reading_cache`'s, which
        ``CASEBOOK_CACHE`` chooses; with ``CASEBOOK_CACHE=off`` no reading is kept or reused).
    workers : processes reading cases (default: up to 2 for 200 cases or more, else 1).
    progress : called with a short English line at each stage.
    owners_files : CSVs of genuine owners and their identifiers to add to the shipped registry (each
        casebook's own ``brand_owners.csv`` is added when present).

    Returns
    -------
    Linkage

    Raises
    ------
    InputError
        When a casebook folder does not exist or holds no cases.
    """
    given = [casebook_dir] if isinstance(casebook_dir, str | Path) else list(casebook_dir)
    books = list(dict.fromkeys(Path(d).resolve() for d in given))
    if not books:
        raise InputError("no casebook was given", hint="Give the folder of at least one casebook.")
    listed: list[tuple[Path, Path]] = []  # (casebook, case folder)
    register: dict[Path, dict[str, dict]] = {}
    problems: list[dict] = []
    for book in books:
        found = casebook_cases(book)
        register[book] = _register(book)
        listed += [(book, d) for d in found.dirs]
        problems += [{"case": raw, "code": "case_unusable", **err.to_dict()} for raw, err in found.errors]
        problems += found.duplicate_problems("case")
    from casebook.cachedir import reading_cache

    store = reading_cache(cache_dir)
    cache = store.folder if store is not None else None
    say = progress or (lambda _line: None)
    fingerprint = None
    ocr_engine = None
    if ocr or (cache is not None and cache.is_dir()):  # the engine's fingerprint names cached readings (~1 s)
        try:
            ocr_engine = _engine(engine)
            fingerprint = ocr_engine.fingerprint
        except MissingDependencyError as err:
            if ocr:
                raise
            say(f"no OCR engine ({err.message}): label photos are left out")
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(listed) >= PARALLEL_FROM else 1
    say(f"reading {len(listed)} cases of {len(books)} casebook(s) with {workers} worker(s)")
    jobs = []
    for book in books:
        dirs = [d for b, d in listed if b == book]
        for i in range(0, len(dirs), 50):
            chunk = dirs[i:i + 50]
            jobs.append((chunk, {d.name: register[book][d.name] for d in chunk if d.name in register[book]}, cache,
                         fingerprint))
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            readings = [r for batch in pool.map(_read_many, jobs) for r in batch]
    else:
        readings = [r for job in jobs for r in _read_many(job)]
    cases: dict[str, CaseRecord] = {}
    folders: dict[str, Path] = {}
    mentions: list[Mention] = []
    stats = {"cases": 0, "casebooks": len(books), "documents": {}, "labels_cached": 0, "labels_read": 0,
             "labels_not_read": 0, "label_errors": 0}
    unread: list[tuple[str, Path, str]] = []
    ordered = [pair for book in books for pair in listed if pair[0] == book]
    for (book, folder), reading in zip(ordered, readings, strict=True):
        problems += reading.problems
        if reading.record is None:
            continue
        if reading.record.case_id in cases:
            _requalify(reading, book)
        case_id = reading.record.case_id
        reading.record.casebook = book.name
        cases[case_id] = reading.record
        folders[case_id] = folder
        mentions += reading.mentions
        stats["labels_cached"] += reading.labels_cached
        for kind, count in reading.documents.items():
            stats["documents"][kind] = stats["documents"].get(kind, 0) + count
        unread += [(case_id, folder, rel) for rel in reading.unread_labels]
    stats["cases"] = len(cases)
    _place_cases(cases)
    if unread and ocr and ocr_engine is not None:
        say(f"reading {len(unread)} label photo(s) that no cache holds")
        mentions += _read_labels(unread, ocr_engine, cache, stats, problems)
    else:
        stats["labels_not_read"] = len(unread)
    owners = _owners(books, owners_files, problems)
    say(f"resolving {len(mentions)} mentions")
    result = link_mentions(mentions, cases, problems=problems, owners=owners)
    stats.update(mentions=len(mentions), entities=len(result.entities), shared_entities=len(result.shared_entities),
                 chains=len(result.chains), leads=len(result.leads))
    return Linkage(result, books[0], stats, folders, books)


def _requalify(reading: CaseReading, book: Path) -> None:
    """A case id another casebook already uses: prefixed with this casebook's folder name (made safe)."""
    from dataclasses import replace

    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", book.name).strip("_") or "casebook"
    new = f"{safe}-{reading.record.case_id}"
    reading.record.case_id = new
    for m in reading.mentions:
        m.source = replace(m.source, case=new)


def _owners(books: list[Path], extra: Sequence[str | Path], problems: list[dict]):
    """The genuine registry: shipped, plus each casebook's own brand_owners.csv, plus the files given."""
    from links.label_claims import default_owners

    owners = default_owners()
    files = [b / "brand_owners.csv" for b in books if (b / "brand_owners.csv").is_file()] + [Path(p) for p in extra]
    for path in files:
        try:
            owners.add_file(path)
        except CasebookError as err:
            problems.append({"case": "", "code": "owners_unreadable", **err.to_dict()})
    return owners


def _place_cases(cases: dict[str, CaseRecord]) -> None:
    """Each case's adcode from its party's address (one cpca pass for all), and its county where none is given."""
    from links.addresses import parse_addresses

    records = [r for r in cases.values() if r.address]
    for record, address in zip(records, parse_addresses([r.address for r in records]), strict=True):
        if address.adcode and not address.adcode.endswith("00"):
            record.adcode = address.adcode
            record.county = record.county or address.county


def _read_labels(unread: list[tuple[str, Path, str]], engine, cache: Path | None, stats: dict,
                 problems: list[dict]) -> list[Mention]:
    from evidence.labels.label_report import read_label
    from evidence.labels.readings import ReadingCache

    store = ReadingCache(cache) if cache is not None else None
    out: list[Mention] = []
    for case_id, folder, rel in unread:
        report = read_label(folder / rel, engine, cache=store)
        if report.error is not None:
            stats["label_errors"] += 1
            problems.append({"case": case_id, "code": "label_unreadable", **report.error})
            continue
        stats["labels_read"] += 1
        try:
            digest = hashlib.sha256((folder / rel).read_bytes()).hexdigest()
        except OSError:
            digest = ""
        out += label_mentions(case_id, rel, report.fields, [line.text for line in report.lines], sha256=digest)
    return out
