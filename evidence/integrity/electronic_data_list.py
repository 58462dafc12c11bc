"""The electronic-data list (电子数据清单) as data: one row per item, with codes, not words.

法发〔2016〕22号 第十四条 asks for each item's 类别, 文件格式 and 完整性校验值; the SAMR evidence list
adds 来源 and 提取时间.  Here the extraction time is when the manifest fixed the item (its hashing
time, stored in UTC); the size is in bytes, exact, because an integrity list must not round.
Category, source and status are English codes; the dossier turns them into Chinese or English
words (``casebook.sections.evidence_list``; docs/architecture.md, "Data, then display").
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from evidence.integrity.manifest_model import Entry, printable

if TYPE_CHECKING:
    import pandas

    from evidence.integrity.manifest_model import Manifest
    from evidence.integrity.verify import VerifyReport

__all__ = ["CATEGORIES", "COLUMNS", "SHANGHAI", "STATUSES", "category", "evidence_list", "file_format",
           "shanghai_time"]

# China has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database
# (zoneinfo has none on a bare Windows Python).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

COLUMNS = ["no", "path", "category", "format", "size", "sha256", "sm3", "extracted_utc", "source", "status",
           "moved_to"]
# Hand-written: mimetypes knows MIME types, not the categories an evidence list uses (chat logs, disk images).
_EXTENSIONS = {
    "image": {"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif"},
    "video": {"mp4", "mov", "avi", "mkv", "flv", "wmv", "3gp", "m4v"},
    "audio": {"mp3", "wav", "amr", "m4a", "aac", "silk", "ogg", "flac"},
    "document": {"pdf", "doc", "docx", "txt", "rtf", "odt", "wps", "md"},
    "sheet": {"xls", "xlsx", "csv", "ods", "et", "tsv"},
    "web": {"html", "htm", "mht", "mhtml", "warc", "har"},
    "chat": {"db", "sqlite", "sqlite3", "json", "jsonl", "eml", "msg"},
    "archive": {"zip", "rar", "7z", "tar", "gz", "bz2", "xz", "tgz"},
    "disk_image": {"e01", "ex01", "dd", "img", "raw", "iso", "vmdk", "vhd", "vhdx", "aff", "aff4", "dmg"},
}
CATEGORIES = (*_EXTENSIONS, "symlink", "special", "other")
# ``recorded``: listed without a verification; ``problem``: the file could not be hashed when sealed.
STATUSES = ("recorded", "matched", "metadata_changed", "modified", "missing", "added", "moved", "skipped",
            "unverifiable", "problem")


def category(entry: Entry) -> str:
    """The kind of evidence an item is (a code of :data:`CATEGORIES`), from its type and extension."""
    if entry.type == "symlink":
        return "symlink"
    if entry.type != "file":
        return "special"
    suffix = PurePosixPath(entry.path).suffix.lower().lstrip(".")
    return next((code for code, extensions in _EXTENSIONS.items() if suffix in extensions), "other")


def file_format(entry: Entry) -> str:
    """The file's extension in capitals (``PNG``), as evidence lists write the format."""
    return PurePosixPath(entry.path).suffix.lstrip(".").upper()


def shanghai_time(utc_text: str | None) -> str:
    """A stored UTC ISO time shown in Asia/Shanghai, as dossiers print it.

    Parameters
    ----------
    utc_text : str or None
        An ISO-8601 time; one without an offset is taken as UTC.

    Returns
    -------
    str
        ``YYYY-MM-DD HH:MM:SS`` in Asia/Shanghai, or ``""`` for no time.
    """
    if not utc_text:
        return ""
    moment = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _source(entry: Entry, manifest: Manifest) -> str:
    """The top folder the item came from (``evidence``, ``labels`` ...), or the sealed folder's name."""
    if manifest.include:
        return entry.path.split("/", 1)[0]
    return PurePosixPath(manifest.root).name or manifest.root


def evidence_list(manifest: Manifest, report: VerifyReport | None = None) -> pandas.DataFrame:
    """One row per manifest item (and, with a report, one per added item), with codes for display.

    Parameters
    ----------
    manifest : Manifest
        The sealed manifest.
    report : VerifyReport, optional
        A verification of the manifest against the folder now; without it every item is
        ``recorded`` (or ``problem`` when it could not be hashed at sealing).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``no`` (from 1), ``path`` (control characters escaped),
        ``category`` (a code of :data:`CATEGORIES`), ``format``, ``size`` (bytes), ``sha256``,
        ``sm3``, ``extracted_utc``, ``source``, ``status`` (a code of :data:`STATUSES`) and
        ``moved_to`` (the new path of a moved item, else empty).
    """
    import pandas  # imported here: hashing and verifying from the CLI need no pandas

    status = report.status_by_path() if report is not None else {}
    rows = []
    for entry in manifest.entries:
        key = entry.to_dict().get("path_b64") or entry.path
        moved_to = ""
        if report is not None:
            code, item = status.get(key, ("missing", {}))
            if code == "moved":
                moved_to = printable(item["to"])
        else:
            code = "problem" if entry.problem else "recorded"
        rows.append(_row(entry, manifest, manifest.created_utc, code, moved_to))
    for item in report.added if report is not None else []:
        rows.append(_row(Entry.from_dict({**item, "problem": item.get("problem")}), manifest, "", "added", ""))
    frame = pandas.DataFrame(rows, columns=COLUMNS[1:])
    frame.insert(0, "no", range(1, len(frame) + 1))
    frame["size"] = frame["size"].astype("Int64")
    return frame


def _row(entry: Entry, manifest: Manifest, extracted: str | None, code: str, moved_to: str) -> list:
    return [printable(entry.path), category(entry), file_format(entry), entry.size,
            entry.digests.get("sha256", ""), entry.digests.get("sm3", ""), extracted or "",
            _source(entry, manifest), code, moved_to]
