"""Web captures into a case folder, sealed at once: the glue between case folders and ``evidence.web.page_capture``.

Each address goes to ``<case>/evidence/web/<UTC time>-<host>/``.  The folder is built under a
hidden name beside its target (``.<name>.partial``, with the owner's process id): the six
artifacts, the sealed manifest of them (``manifest.json``, with ``manifest.json.tsr`` when a
timestamp authority was asked), and the extraction record (``record.html``, ``record.pdf``).  Then
a ``captured`` event in the case's custody log names the manifest's Merkle root and the record's
digests, and only then is the folder renamed into place: a folder under its final name is always
complete and recorded.  A run that dies leaves only a hidden partial folder, which the next run
finishes (if its event was written) or removes, and names (:mod:`casebook.webcapture.capture_custody`).

Re-running is safe: an address already captured whole for the case (a folder whose
``capture.json`` names it, whose manifest still verifies and which custody records) is skipped.
A folder custody never recorded is never adopted afterwards.  ``evidence/`` or ``evidence/web/``
as a symbolic link is refused: nothing is written through a link.  If the case itself was sealed
(``<case>/manifest.json``) and the only change since is new, complete captures, the case is sealed
again so that its manifest covers them (the old manifest is kept in ``manifests/``); any other
change is left for a person to look at.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from casebook.case import Case, load_case
from casebook.extraction_record import RECORD_HTML, RECORD_PDF, record_facts, write_record
from casebook.webcapture.capture_custody import (
    OWNER_NAME,
    PARTIAL_SUFFIX,
    WEB_DIR,
    bounded_text,
    claim_owner,
    recorded_capture_roots,
    sweep_partial_folders,
)
from evidence.integrity.custody import CustodyLog
from evidence.integrity.hashing import hash_bytes
from evidence.integrity.manifest import (
    Manifest,
    build_manifest,
    load_manifest,
    verify_manifest,
    write_manifest,
)
from evidence.web.capture_files import artifact_kind, artifact_rank
from evidence.web.page_capture import ARTIFACT_FILES, CaptureSettings, PageCapture, WebCapturer, check_url
from safeio.atomic import fsync_folder
from safeio.errors import CasebookError, InputError, IntegrityError
from safeio.limits import read_text_capped
from safeio.path_parts import refuse_linked_folders, writable_folder

__all__ = ["CaptureResult", "CaptureRun", "CaseCapture", "capture_urls", "find_captures", "read_url_list"]

MANIFEST_NAME = "manifest.json"
MAX_URL_LIST_BYTES = 16 << 20  # some 100,000 addresses


@dataclass
class CaptureResult:
    """One captured address: where it lies, what was written, how it was sealed and recorded."""

    case_dir: Path
    folder: Path
    url: str
    final_url: str
    status: int
    captured_at: str
    title: str
    settled: bool
    not_settled: list[str]
    manifest: Manifest
    artifacts: list[dict]
    timestamp: dict | None = None
    timestamp_error: str | None = None
    event: dict | None = None
    already_captured: bool = False
    screening: dict | None = None  # with --screen: the listing read from the page and its findings

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @property
    def record_html(self) -> Path:
        return self.folder / RECORD_HTML

    @property
    def record_pdf(self) -> Path:
        return self.folder / RECORD_PDF

    def to_dict(self) -> dict:
        """The JSON of ``casebook evidence capture --json`` (keys beyond the contract come after it)."""
        return {
            "url": self.url, "final_url": self.final_url, "status": self.status, "captured_at": self.captured_at,
            "artifacts": self.artifacts, "manifest": str(self.manifest_path), "record": str(self.record_html),
            "record_pdf": str(self.record_pdf), "folder": str(self.folder), "title": self.title,
            "settled": self.settled, "not_settled": self.not_settled, "merkle_root": self.manifest.merkle_root,
            "timestamp": self.timestamp, "timestamp_error": self.timestamp_error, "custody_event": self.event,
            "already_captured": self.already_captured,
            **({} if self.screening is None else {"findings": self.screening.get("findings", []),
                                                  "listing": self.screening.get("listing"),
                                                  "sale_date": self.screening.get("sale_date")}),
        }


@dataclass
class CaptureRun:
    """A run over many addresses: what was captured, skipped, failed, and what became of the case seal."""

    case_dir: Path
    results: list[CaptureResult] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    case_seal: dict | None = None
    removed_partial: list[str] = field(default_factory=list)
    partial_notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not any(r.timestamp_error for r in self.results)

    def to_dict(self) -> dict:
        return {"case_dir": str(self.case_dir), "ok": self.ok,
                "captured": [r.to_dict() for r in self.results if not r.already_captured],
                "skipped": [r.to_dict() for r in self.results if r.already_captured],
                "failed": self.failed, "case_seal": self.case_seal, "removed_partial": self.removed_partial,
                "partial_notes": self.partial_notes}


def read_url_list(path: str | os.PathLike) -> list[tuple[int, str]]:
    """The addresses of a list file: ``(line number, text)``, one per line; blanks and ``#`` lines skipped.

    Parameters
    ----------
    path : path
        A UTF-8 text file (a BOM is allowed).

    Returns
    -------
    list of (int, str)
        Each address once, in the order first given; not yet checked (each is checked on its own).

    Raises
    ------
    InputError
        The file does not exist, is a folder, is not UTF-8 text, or lists nothing.
    """
    source = Path(path)
    # capped, never through a link, never from a FIFO or device (/dev/zero would never end)
    text = read_text_capped(source, MAX_URL_LIST_BYTES, what="list of addresses",
                            hint="A list of addresses is a small text file, one address per line.")
    seen, out = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        item = line.strip()
        if item and not item.startswith("#") and item not in seen:
            seen.add(item)
            out.append((number, item))
    if not out:
        raise InputError("this list holds no address", path=source, hint="Write one http(s) address per line.")
    return out


def folder_name(started_utc: str, url: str) -> str:
    """The name of a capture's folder: the UTC second it began, then the host.

    Parameters
    ----------
    started_utc : str
        An ISO-8601 UTC time (``2024-06-07T08:15:02.123Z``).
    url : str
        The address captured.

    Returns
    -------
    str
        ``20240607T081502Z-shop.example.com``; an IDN host in its ASCII form, anything but letters,
        digits, dots and hyphens as ``_`` (an IPv6 host, for one), so the name is safe on Windows.
    """
    moment = datetime.fromisoformat(started_utc.replace("Z", "+00:00")).astimezone(UTC)
    host = urlsplit(url).hostname or "unknown"
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    host = re.sub(r"[^a-z0-9.-]", "_", host.lower()).strip(".") or "unknown"
    return f"{moment:%Y%m%dT%H%M%SZ}-{host[:100]}"



def _case(case_dir: str | os.PathLike) -> Case:
    folder = Path(case_dir)
    if not folder.is_dir():
        raise InputError("this case folder does not exist" if not folder.exists() else "this is not a folder",
                         path=folder, hint="Give the case folder that holds case.yml (see 'casebook sample').")
    return load_case(folder)


@dataclass
class CapturedFolder:
    """A complete capture folder found in a case (data for resuming and for the dossier)."""

    folder: Path
    url: str
    final_url: str
    status: int | None
    started_utc: str
    title: str
    settled: bool
    screenshot: str = "full"  # "viewport" when only the first screen was taken (a tall page, or one that refused)

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST_NAME


def find_captures(case_dir: str | os.PathLike) -> list[CapturedFolder]:
    """The capture folders of a case, oldest first; partial folders and unreadable ones are left out.

    Parameters
    ----------
    case_dir : path
        A case folder.

    Returns
    -------
    list of CapturedFolder
    """
    web = Path(case_dir) / WEB_DIR
    if not web.is_dir():
        return []
    found = []
    for folder in sorted(web.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
            continue
        try:
            record = json.loads((folder / ARTIFACT_FILES["capture"]).read_text(encoding="utf-8"))
            found.append(CapturedFolder(folder=folder, url=str(record["url"]), final_url=str(record["final_url"]),
                                        status=record.get("status"), started_utc=str(record["started"]["utc"]),
                                        title=str(record.get("title") or ""), settled=bool(record.get("settled")),
                                        screenshot=str(record.get("screenshot") or "full")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _artifacts(folder: Path, manifest: Manifest) -> list[dict]:
    """The artifact list of the JSON: the six files (and tiles) with the sealed digests, then the record."""
    out = []
    for entry in sorted(manifest.entries, key=lambda entry: artifact_rank(entry.path)):
        out.append({"kind": artifact_kind(entry.path), "path": str(folder / entry.path),
                    "bytes": entry.size, "sha256": entry.digests.get("sha256"), "sm3": entry.digests.get("sm3")})
    for name in (RECORD_HTML, RECORD_PDF):
        data = (folder / name).read_bytes()
        out.append({"kind": "record", "path": str(folder / name), "bytes": len(data), **hash_bytes(data)})
    return out


@dataclass
class _Pending:
    """A page being captured on the capture thread into its claimed partial folder."""

    url: str
    name: str
    partial: Path
    future: concurrent.futures.Future


def _abandon(pending: _Pending) -> None:
    pending.future.cancel()
    concurrent.futures.wait([pending.future], timeout=60)
    shutil.rmtree(pending.partial, ignore_errors=True)


class CaseCapture:
    """Capture addresses into one case: ``with CaseCapture(case_dir) as run: run.capture(url)``.

    One Chromium drives the pages (a fresh context each, on a thread of its own) and one prints the
    records, for the whole run; both start with the first address not captured yet.  With
    :meth:`capture_many` the next page is taken while the last one is sealed and its record
    printed.  ``finish()`` brings the case seal up to date once the addresses are done.
    """

    def __init__(self, case_dir: str | os.PathLike, *, actor: str | None = None, place: str | None = None,
                 tsa_url: str | None = None, settings: CaptureSettings | None = None, lang: str = "zh",
                 again: bool = False, screen: bool = False, register=None) -> None:
        self.case = _case(case_dir)
        self.actor = (actor or "").strip() or "、".join(
            str(p.get("name", "")).strip() if isinstance(p, dict) else str(p) for p in self.case.investigators
        ).strip("、") or "casebook"
        self.place = (place or "").strip() or str(self.case.raw.get("extraction_place") or "").strip() or \
            (f"{self.case.organ}（网络在线提取）" if lang == "zh" and self.case.organ else self.case.organ)
        self.tsa_url = tsa_url
        self.settings = settings or CaptureSettings()
        self.lang = lang
        self.again = again
        self.screen = screen  # read each page as a listing and screen it (casebook.webcapture.listing_screen)
        self.register = register
        self.web = self.case.root / WEB_DIR
        self.log = CustodyLog(self.case.custody_path)
        self.new_folders: list[Path] = []
        self.removed_partial: list[str] = []
        self.partial_notes: list[str] = []
        self._capturer: WebCapturer | None = None
        self._printer = None

    def __enter__(self) -> CaseCapture:
        refuse_linked_folders(self.case.root, "evidence", "web", what="evidence folder")  # never write through links
        writable_folder(self.web, what="evidence/web folder of the case")  # before any browser starts
        self.removed_partial = self._sweep_partial()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._printer is not None:
                self._printer.__exit__(None, None, None)
        finally:
            if self._capturer is not None:
                self._capturer.__exit__(None, None, None)
            self._printer = self._capturer = None

    def _browsers(self) -> None:
        """Start the capturing and the printing browser on the first address that needs them."""
        from casebook.pdf import PdfPrinter

        if self._capturer is None:
            self._capturer = WebCapturer(self.settings).__enter__()
        if self._printer is None:
            self._printer = PdfPrinter(settle_ms=0).__enter__()  # a record has nothing to settle

    def _sweep_partial(self) -> list[str]:
        """Finish or remove the hidden partial folders of runs that died; say which and why."""
        removed, completed = sweep_partial_folders(self.case.root, self.log.events())
        self.partial_notes = [f"removed {item['folder']}, left by a capture that did not finish: {item['why']}"
                              for item in removed]
        self.partial_notes += [f"finished {item['folder']} as {item['path']}: its custody event was written "
                               f"before its run stopped ({item['why']})" for item in completed]
        return [item["folder"] for item in removed]

    # -- resume ------------------------------------------------------------------------------------
    def _existing(self, url: str) -> CaptureResult | None:
        for found in reversed(find_captures(self.case.root)):
            if found.url != url:
                continue
            try:
                manifest = load_manifest(found.manifest_path)
                intact = verify_manifest(manifest, found.folder, custody=None).ok \
                    and (found.folder / RECORD_HTML).is_file() \
                    and (found.folder / RECORD_PDF).is_file()
            except CasebookError:
                intact = False
            rel = f"{WEB_DIR}/{found.folder.name}"
            if not intact or manifest.merkle_root not in recorded_capture_roots(self.log.events()).get(rel, set()):
                continue  # custody never recorded it: it is not adopted now (the seal refuses it)
            event = None
            record = json.loads((found.folder / ARTIFACT_FILES["capture"]).read_text(encoding="utf-8"))
            return CaptureResult(self.case.root, found.folder, url, found.final_url, found.status or 0,
                                 found.started_utc, found.title, found.settled, list(record.get("not_settled", [])),
                                 manifest, _artifacts(found.folder, manifest), event=event, already_captured=True,
                                 screening=self._screened(found.folder, found.started_utc))
        return None

    # -- one address -------------------------------------------------------------------------------
    def capture(self, url: str) -> CaptureResult:
        """Capture one address into the case (or find it already captured), sealed and recorded.

        Parameters
        ----------
        url : str
            An http or https address.

        Returns
        -------
        CaptureResult

        Raises
        ------
        InputError
            The address is not http(s), cannot be reached, times out, has a bad certificate, ...;
            no folder is left under a final name.
        IntegrityError
            The case's custody log does not verify (nothing is appended to a broken chain).
        """
        started = self._begin(url)
        return started if isinstance(started, CaptureResult) else self._complete(started)

    def capture_many(self, urls: Iterable[tuple[int | None, str]]) -> Iterator[tuple]:
        """Capture many addresses; each page is taken while the one before is sealed and recorded.

        Parameters
        ----------
        urls : iterable of (row, url)

        Yields
        ------
        (row, url, CaptureResult or CasebookError)
            One per address: its result, or the error that stopped it (the others go on).  An
            address found already captured comes out at once, so the order may differ by one.
        """
        pending = None
        try:
            for row, url in urls:
                try:
                    started = self._begin(url)
                except CasebookError as err:
                    yield row, url, err
                    continue
                if isinstance(started, CaptureResult):
                    yield row, url, started
                    continue
                previous, pending = pending, (row, url, started)
                if previous is not None:
                    yield self._settled(*previous)
            previous, pending = pending, None
            if previous is not None:
                yield self._settled(*previous)
        finally:
            if pending is not None:  # stopped early: the page in flight is cancelled and its folder removed
                _abandon(pending[2])

    def _settled(self, row, url, pending: _Pending) -> tuple:
        try:
            return row, url, self._complete(pending)
        except CasebookError as err:
            return row, url, err

    def _begin(self, url: str) -> CaptureResult | _Pending:
        """Check the address, find it already captured, or claim a folder and start the page."""
        url = check_url(url)
        if not self.again:
            existing = self._existing(url)
            if existing is not None:
                return existing
        report = self.log.verify()
        if not report.ok:  # refuse before capturing, not after: the capture could not be recorded
            raise IntegrityError(f"the custody log does not verify ({report.reason}); nothing was captured",
                                 path=self.log.path, hint="Keep the log as it is and report it to the case supervisor.")
        self._browsers()
        started = datetime.now(UTC)
        name, partial = self._claim(url, started)
        try:
            future = self._capturer.submit(url, partial, started=started)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return _Pending(url, name, partial, future)

    def _complete(self, pending: _Pending) -> CaptureResult:
        """Wait for the page, seal it, write its record, move the folder into place, log custody."""
        try:
            page = self._capturer.wait(pending.future)
            result = self._build(pending.url, pending.name, pending.partial, page)
        except BaseException:
            shutil.rmtree(pending.partial, ignore_errors=True)
            raise
        target = self.web / pending.name
        try:  # custody first: a folder under its final name is always one custody recorded
            result.event = self._record_custody(pending.partial, pending.url, result.final_url, result.status,
                                                result.manifest, timestamp=result.timestamp, name=pending.name)
        except BaseException:
            shutil.rmtree(pending.partial, ignore_errors=True)
            raise
        (pending.partial / OWNER_NAME).unlink(missing_ok=True)
        os.rename(pending.partial, target)  # if this fails, the next run finishes it (its event is written)
        fsync_folder(self.web)
        self.new_folders.append(target)
        result.folder = target
        result.artifacts = _artifacts(target, result.manifest)
        return result

    def _claim(self, url: str, started: datetime) -> tuple[str, Path]:
        self.web.mkdir(parents=True, exist_ok=True)
        base = folder_name(started.strftime("%Y-%m-%dT%H:%M:%SZ"), url)
        for number in range(1, 1000):
            name = base if number == 1 else f"{base}-{number}"
            if (self.web / name).exists():
                continue
            partial = self.web / f".{name}{PARTIAL_SUFFIX}"
            try:
                partial.mkdir()  # atomic: two runs never claim the same name
            except FileExistsError:
                continue
            claim_owner(partial)
            return name, partial
        raise InputError("no free folder name for this capture", path=self.web)  # pragma: no cover

    def _build(self, url: str, name: str, partial: Path, page: PageCapture) -> CaptureResult:
        manifest = build_manifest(partial, case_id=self.case.case_id,
                                  include=sorted(artifact.name for artifact in page.artifacts))
        for artifact in page.artifacts:  # what was written is what was sealed
            entry = next((e for e in manifest.entries if e.path == artifact.name), None)
            if entry is None or entry.digests.get("sha256") != artifact.sha256 or entry.size != artifact.bytes:
                raise IntegrityError(f"{artifact.name} changed between writing and sealing; nothing was kept",
                                     path=partial / artifact.name, hint="Check the disk and capture again.")
        write_manifest(manifest, partial / MANIFEST_NAME)
        stamp, stamp_error = None, None
        if self.tsa_url:
            from evidence.integrity.timestamp import timestamp_manifest

            try:
                stamp = timestamp_manifest(manifest, self.tsa_url).to_dict()
                stamp["path"] = f"{WEB_DIR}/{name}/{MANIFEST_NAME}.tsr"
            except CasebookError as err:  # the page is kept: it may be gone tomorrow; the run reports the failure
                stamp_error = err.message
        screening = self._screened(partial, page.started_utc, fresh=True)
        facts = record_facts(self.case, page, manifest, folder=f"{WEB_DIR}/{name}", place=self.place,
                             timestamp=stamp, timestamp_error=stamp_error,
                             findings=None if screening is None else screening["findings"])
        write_record(partial, facts, printer=self._printer, lang=self.lang)
        return CaptureResult(self.case.root, partial, url, page.final_url, page.status, page.started_utc, page.title,
                             page.settled, page.not_settled, manifest, [], timestamp=stamp, timestamp_error=stamp_error,
                             screening=screening)

    def _screened(self, folder: Path, started_utc: str, *, fresh: bool = False) -> dict | None:
        """With ``screen``: the listing screening of a capture folder (kept in listing.json, made if missing)."""
        if not self.screen:
            return None
        from casebook.webcapture.listing_screen import load_screening, screen_capture

        kept = None if fresh else load_screening(folder)
        if kept is not None:
            return kept
        self._browsers()
        return screen_capture(folder, started_utc, register=self.register, browser=self._printer.browser)

    def _record_custody(self, folder: Path, url: str, final_url: str, status, manifest: Manifest, *,
                        timestamp: dict | None = None, note_extra: str = "", name: str | None = None) -> dict:
        rel = f"{WEB_DIR}/{name or folder.name}"
        url_kept, url_digest = bounded_text(url)
        final_kept, final_digest = bounded_text(final_url)
        item = {"path": rel, "manifest": f"{rel}/{MANIFEST_NAME}", "url": url_kept, "final_url": final_kept,
                "status": status, "merkle_root": manifest.merkle_root, "seal_sha256": manifest.seal["sha256"],
                "seal_sm3": manifest.seal.get("sm3"), "files": manifest.totals["files"],
                "bytes": manifest.totals["bytes"]}
        if url_digest or final_digest:  # cut to keep the event within the log's line limit
            item.update({k: v for k, v in (("url_sha256", url_digest), ("final_url_sha256", final_digest)) if v})
        if timestamp:
            item["timestamp_utc"] = timestamp.get("gen_time_utc")
        records = [{"path": f"{rel}/{name}", **hash_bytes((folder / name).read_bytes())}
                   for name in (RECORD_HTML, RECORD_PDF, "listing.json") if (folder / name).is_file()]
        note = f"web capture of {url_kept}" + (f"; {note_extra}" if note_extra else "")
        return self.log.append(self.actor, "captured", [item, *records], note=note)

    # -- the case seal -------------------------------------------------------------------------------
    def finish(self) -> dict:
        """Bring the case's own seal up to date after new captures (see the module docstring).

        Returns
        -------
        dict
            ``{"state": "unsealed" | "unchanged" | "resealed" | "changed" | "refused", ...}``.
        """
        manifest_path = self.case.manifest_path
        if not manifest_path.is_file():
            return {"state": "unsealed", "hint": f"seal the case with 'casebook evidence hash {self.case.root}'"}
        try:
            old = load_manifest(manifest_path)
            report = verify_manifest(old, self.case.root)
        except CasebookError as err:
            return {"state": "refused", "message": err.message}
        if report.ok:
            return {"state": "unchanged", "merkle_root": old.merkle_root}
        complete = {f"{WEB_DIR}/{found.folder.name}/" for found in find_captures(self.case.root)}
        only_captures = not (report.modified or report.missing or report.moved or report.unverifiable) and all(
            any(item["path"].startswith(prefix) for prefix in complete) for item in report.added)
        if not only_captures:
            return {"state": "changed", "counts": {k: v for k, v in report.counts().items() if v and k != "matched"},
                    "hint": f"see what changed with 'casebook evidence verify {manifest_path}'"}
        from casebook.sealing import seal_case

        try:
            sealed = seal_case(self.case.root, self.actor, reseal=True)
        except CasebookError as err:  # e.g. a folder custody never recorded: named, for a person to look at
            return {"state": "refused", "message": err.message, "hint": err.hint or ""}
        return {"state": "resealed", "merkle_root": sealed.manifest.merkle_root, "previous_merkle_root": old.merkle_root,
                "added": len(report.added), "archived": str(sealed.archived) if sealed.archived else None}


def capture_urls(case_dir: str | os.PathLike, urls: Iterable[tuple[int | None, str]], *,
                 progress: Callable[[str], None] | None = None, **options) -> CaptureRun:
    """Capture many addresses into one case; one failing address never stops the others.

    Parameters
    ----------
    case_dir : path
        The case folder (with case.yml).
    urls : iterable of (row, url)
        The addresses with the line they came from (``None`` for one given on the command line).
    progress : callable, optional
        Called with each address once it is done (captured, skipped or failed).
    **options
        Passed to :class:`CaseCapture` (actor, place, tsa_url, settings, lang, again).

    Returns
    -------
    CaptureRun

    Raises
    ------
    InputError
        The case folder does not exist or has no usable case.yml (before any browser starts).
    """
    with CaseCapture(case_dir, **options) as run:
        outcome = CaptureRun(case_dir=run.case.root, removed_partial=list(run.removed_partial),
                             partial_notes=list(run.partial_notes))
        for row, url, got in run.capture_many(urls):
            if isinstance(got, CaptureResult):
                outcome.results.append(got)
            else:
                outcome.failed.append({**got.to_dict(), "row": row, "url": url})
            if progress is not None:
                progress(url)
        if outcome.results:
            outcome.case_seal = run.finish()
    return outcome
