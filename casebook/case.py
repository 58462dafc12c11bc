"""The case folder: ``case.yml`` plus ``labels/`` and ``evidence/`` (see docs/architecture.md).

``case.yml`` is read by :mod:`casebook.casefile`: every scalar stays a string, anchors and
aliases are refused, sizes are capped and a schema checks each field.  Nothing in a case folder
is reached through a symbolic link: the photo and evidence listings hold regular files only, and
the links found are listed on their own with what they point to (docs/domain.md, "Electronic
evidence").
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from casebook.casefile import read_case_file
from casebook.seized_items import SeizedItem, case_items
from safeio.duplicate_ids import DuplicateIds, find_duplicate_ids
from safeio.errors import InputError, UnsafePathError
from safeio.limits import refuse_link, terminal_text

SAFE_CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# 文号 such as 周市监处罚〔2024〕17号; ASCII and full-width brackets are accepted as variants.
CASE_NO = re.compile(
    r"(?P<organ>[\u4e00-\u9fff]{1,12}?)(?P<kind>市监[\u4e00-\u9fff]{1,6}?)"
    r"[〔\[［(（【](?P<year>\d{4})[〕\]］)）】](?P<number>\d{1,6})号"
)


def safe_case_id(text: object) -> str:
    """Return ``text`` if it is a safe folder name (letters, digits, ``-``, ``_``), else refuse it."""
    value = str(text).strip()
    if not SAFE_CASE_ID.fullmatch(value):
        raise UnsafePathError(
            f"'{value}' is not a usable case id",
            field="case_id",
            hint="Use only letters, digits, '-' and '_' (for example ZK-2024-017); "
            "the 文号 with its 〔〕 belongs in case.yml as case_no.",
        )
    return value


@dataclass(frozen=True)
class CaseNumber:
    """A parsed 文号: ``{organ}{kind}〔{year}〕{number}号``."""

    organ: str
    kind: str
    year: int
    number: int

    @property
    def canonical(self) -> str:
        return f"{self.organ}{self.kind}〔{self.year}〕{self.number}号"


def parse_case_no(text: str) -> CaseNumber:
    """Parse a 文号, accepting ASCII or full-width brackets; the canonical form uses 〔〕."""
    match = CASE_NO.fullmatch(str(text).strip().replace(" ", ""))
    if not match:
        raise InputError(
            f"'{text}' is not a case number of the form 周市监处罚〔2024〕17号",
            field="case_no",
            hint="Write the 文号 as organ abbreviation + 市监 + kind + 〔year〕 + number + 号.",
        )
    return CaseNumber(match["organ"], match["kind"], int(match["year"]), int(match["number"]))


@dataclass(frozen=True)
class LinkedItem:
    """A symbolic link found in a case folder: recorded with its target, never opened."""

    path: Path
    target: str

    def note(self, root: Path | None = None, lang: str = "zh") -> str:
        """One sentence for the dossier: what the link is and that it is not shown."""
        name = self.path.relative_to(root).as_posix() if root is not None and root in self.path.parents \
            else self.path.name
        name, target = terminal_text(name), terminal_text(self.target)
        if str(lang).lower().startswith("en"):
            return (f"{name} is a symbolic link to {target}, not shown: casebook never follows links "
                    "(a link can lead outside the case, and the seal does not cover what it points to).")
        return (f"{name} 是指向 {target} 的符号链接，未显示：casebook 不跟随链接"
                "（链接可能指向案件以外的文件，封存清单也不覆盖其指向的内容）。")


def _link(path: Path) -> LinkedItem:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return LinkedItem(path, target)


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _list_tree(top: Path, recursive: bool) -> tuple[list[Path], list[LinkedItem]]:
    """Regular files and links under ``top``; no link is followed, not even ``top`` itself."""
    if not _is_real_dir(top):
        return [], ([_link(top)] if top.is_symlink() else [])
    files, links = [], []
    folders = [top]
    while folders:
        here = folders.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                links.append(_link(path))
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            elif recursive and entry.is_dir(follow_symlinks=False):
                folders.append(path)
    return sorted(files), sorted(links, key=lambda link: link.path)


@dataclass
class Case:
    """One case folder, as the dossier and the batch see it."""

    root: Path
    case_id: str
    case_no: str
    title: str
    organ: str = ""
    party: dict = field(default_factory=dict)
    investigators: list = field(default_factory=list)
    opened: str = ""
    closed: str = ""
    category: str = ""
    location: dict = field(default_factory=dict)
    summary: str = ""
    raw: dict = field(default_factory=dict)

    @property
    def labels_dir(self) -> Path:
        return self.root / "labels"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def custody_path(self) -> Path:
        return self.root / "custody.jsonl"

    def label_photos(self) -> list[Path]:
        """Every regular file in ``labels/`` and its item folders ``labels/<item>/`` (a PDF or corrupt photo is
        listed so it gets its own error).

        Links are left out: see :meth:`label_links`.
        """
        files, _ = _list_tree(self.labels_dir, recursive=True)
        return [path for path in files if not any(part.startswith(".") for part in path.relative_to(self.labels_dir).parts)]

    def label_links(self) -> list[LinkedItem]:
        """The symbolic links in ``labels/`` and its folders (or ``labels`` itself if it is one), with their targets."""
        return _list_tree(self.labels_dir, recursive=True)[1]

    @property
    def items(self) -> list[SeizedItem]:
        """The seized items (扣押物品): declared in ``case.yml`` first, then one per ``labels/<folder>/`` and one
        per other photo in ``labels/`` (casebook.seized_items)."""
        return case_items(self.root, self.raw.get("items") or [])

    def evidence_files(self) -> list[Path]:
        """Every regular file under ``evidence/``, no link followed (see :meth:`evidence_links`)."""
        return _list_tree(self.evidence_dir, recursive=True)[0]

    def evidence_links(self) -> list[LinkedItem]:
        """The symbolic links under ``evidence/`` (or ``evidence`` itself if it is one)."""
        return _list_tree(self.evidence_dir, recursive=True)[1]

    def lon_lat(self) -> tuple[float, float, str] | None:
        """The case's position as written, with its coordinate system (not converted)."""
        try:
            return (float(self.location["lon"]), float(self.location["lat"]),
                    str(self.location.get("coord_sys") or "wgs84"))
        except (KeyError, TypeError, ValueError):
            return None


def load_case(case_dir: str | Path) -> Case:
    """Read ``case.yml`` of one case folder.

    Parameters
    ----------
    case_dir : the case folder (it may sit on a linked disk, but may not itself be a link).

    Returns
    -------
    Case

    Raises
    ------
    InputError
        No such folder, no ``case.yml``, or a ``case.yml`` that cannot be used
        (:class:`~casebook.casefile.CaseFileError` names the file, row and field of each problem).
    UnsafePathError
        The folder or ``case.yml`` is a symbolic link, or ``case_id`` is not a safe folder name.
    """
    given = Path(case_dir)
    refuse_link(given, "case folder")
    root = given.resolve()
    path = root / "case.yml"
    if not root.is_dir():
        raise InputError("this case folder does not exist", path=root,
                         hint="Give the folder that holds case.yml, labels/ and evidence/.")
    if not os.path.lexists(path):
        raise InputError("case.yml is missing", path=path,
                         hint="Every case folder needs a case.yml with case_id, case_no and title.")
    data = read_case_file(path)
    case_id = safe_case_id(data["case_id"])
    if case_id != root.name:
        raise InputError(f"case_id '{case_id}' does not match the folder name '{root.name}'", path=path,
                         field="case_id", hint="Rename the folder or correct case_id so they agree.")
    return Case(
        root=root,
        case_id=case_id,
        case_no=data.get("case_no", ""),
        title=data["title"],
        organ=data.get("organ", ""),
        party=data.get("party") or {},
        investigators=data.get("investigators") or [],
        opened=data.get("opened", ""),
        closed=data.get("closed", ""),
        category=data.get("category", ""),
        location=data.get("location") or {},
        summary=data.get("summary", ""),
        raw=data,
    )


MAX_CSV_LINE = 1 << 20  # characters; a cases.csv row is a few hundred


def _capped_lines(handle, table: Path) -> Iterator[str]:
    """The lines of ``handle``, refusing one longer than :data:`MAX_CSV_LINE` before it fills memory."""
    number = 0
    while True:
        line = handle.readline(MAX_CSV_LINE)
        if not line:
            return
        number += 1
        if len(line) >= MAX_CSV_LINE and not line.endswith("\n"):
            raise InputError(f"line {number} is longer than {MAX_CSV_LINE} characters", path=table, row=number,
                             hint="cases.csv holds one short row per case; this file is damaged or not a case table.")
        yield line


def _case_folders(book: Path) -> tuple[list[Path], list[tuple[str, UnsafePathError]]]:
    """Every folder of ``book`` with a case.yml; a linked folder is refused, not entered."""
    dirs, errors = [], []
    for entry in sorted(os.scandir(book), key=lambda e: e.name):
        if entry.is_symlink() and SAFE_CASE_ID.fullmatch(entry.name):  # looks like a case; not looked into
            try:
                refuse_link(entry.path, "case folder")
            except UnsafePathError as err:
                errors.append((entry.name, err))
        elif entry.is_dir(follow_symlinks=False) and os.path.isfile(os.path.join(entry.path, "case.yml")):
            dirs.append(Path(entry.path))
    return dirs, errors


def case_table(casebook_dir: str | Path) -> Path | None:
    """The casebook's ``cases.csv`` (what hot spots are computed from), or None when it has none."""
    table = Path(casebook_dir) / "cases.csv"
    return table if table.is_file() else None


def is_casebook(folder: str | Path) -> bool:
    """A casebook is a folder with ``cases.csv`` or at least one case folder (with case.yml): the one test."""
    folder = Path(folder)
    return case_table(folder) is not None or any(folder.glob("*/case.yml"))


@dataclass
class CasebookCases:
    """A casebook's case folders, the rows whose id is unusable, and the ids ``cases.csv`` gives twice."""

    dirs: list[Path]
    errors: list[tuple[str, UnsafePathError]]
    duplicates: DuplicateIds = field(default_factory=lambda: DuplicateIds(()))
    table: Path | None = None

    def duplicate_problems(self, key: str = "case_id") -> list[dict]:
        """One problem per case id on more than one row of ``cases.csv``, naming the file and the rows.

        Each is ``{key: the id, "code": "duplicate_case_id"}`` and an :class:`InputError`'s fields
        (message, hint, path, row, field), as commands report problems.
        """
        return [{key: found.value, "code": "duplicate_case_id", **InputError(
            f"{found.message(source='cases.csv')}: casebook takes them for one case (one folder, one dossier)",
            path=self.table, row=found.rows[1], field="case_id",
            hint="Give each case its own id in cases.csv, or delete the row that repeats a case.").to_dict()}
            for found in self.duplicates]


def scan_casebook(casebook_dir: str | Path) -> tuple[list[Path], list[tuple[str, UnsafePathError]]]:
    """The case folders of a casebook, and (raw id, error) for each row whose id is unusable.

    :func:`casebook_cases` says the same and names the ids ``cases.csv`` gives twice.

    Parameters
    ----------
    casebook_dir : the casebook folder (with ``cases.csv``, or just case folders).

    Returns
    -------
    (folders, errors)
        The rows of ``cases.csv`` if present (a case listed twice is read once and reported by
        :func:`casebook_cases`; rows of kind
        ``register`` have no folder and are skipped), else every folder with case.yml.  Ids are
        checked as folder names first, so a row ``../../etc`` is refused, on its own, before
        anything is opened; the other cases go on.  A case folder that is a link is refused the
        same way.

    Raises
    ------
    InputError
        No such folder, no cases at all, or a ``cases.csv`` that cannot be read as a table.
    """
    found = casebook_cases(casebook_dir)
    return found.dirs, found.errors


def casebook_cases(casebook_dir: str | Path) -> CasebookCases:
    """:func:`scan_casebook`, with the case ids that more than one row of ``cases.csv`` carries.

    Every command that reads a casebook's cases as a table (linking, leads, the dossier batch)
    reports those ids with their rows (:func:`safeio.duplicate_ids.find_duplicate_ids`), so a case
    given twice is never merged silently.

    Raises
    ------
    InputError
        As :func:`scan_casebook`.
    """
    book = Path(casebook_dir).resolve()
    if not book.is_dir():
        raise InputError("this casebook folder does not exist", path=book,
                         hint="Give the folder that holds cases.csv and one folder per case.")
    table = book / "cases.csv"
    refuse_link(table, "cases.csv")
    if not table.is_file():
        dirs, errors = _case_folders(book)
        if not dirs and not errors:
            raise InputError("no cases.csv and no case folders here", path=book,
                             hint="Run 'casebook sample DIR' for an example casebook.")
        return CasebookCases(dirs, errors)
    dirs: list[Path] = []
    seen: set[Path] = set()
    errors: list[tuple[str, UnsafePathError]] = []
    ids: list[str] = []
    rows: list[int] = []
    number = 1
    try:
        with table.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(_capped_lines(handle, table)), start=2):
                raw = str(row.get("case_id") or "")
                ids.append(raw)
                rows.append(number)
                if str(row.get("kind") or "").strip() == "register":
                    continue  # a register row: counted by the hot-spot analysis, no case folder to render
                try:
                    folder = book / safe_case_id(raw)
                except UnsafePathError as err:
                    errors.append((raw, UnsafePathError(err.message, path=table, row=number, field="case_id",
                                                        hint=err.hint)))
                    continue
                if folder not in seen:
                    seen.add(folder)
                    dirs.append(folder)
    except csv.Error as err:
        raise InputError(f"cases.csv cannot be read as a table after row {number}: {err}", path=table,
                         row=number + 1, hint="Open it in a spreadsheet and save it again as CSV UTF-8.") from err
    except UnicodeDecodeError as err:
        raise InputError("cases.csv is not UTF-8 text", path=table,
                         hint="Save it as CSV UTF-8 (Excel: Save as, 'CSV UTF-8').") from err
    return CasebookCases(dirs, errors, find_duplicate_ids(ids, rows), table)


def case_dirs(casebook_dir: str | Path) -> list[Path]:
    """The case folders of a casebook; the first unusable row of ``cases.csv`` is an error."""
    dirs, errors = scan_casebook(casebook_dir)
    if errors:
        raise errors[0][1]
    return dirs


def iter_cases(casebook_dir: str | Path) -> Iterator[Case | InputError]:
    """Each case of a casebook, or the error that stops it from loading (a batch goes on)."""
    for case_dir in case_dirs(casebook_dir):
        try:
            yield load_case(case_dir)
        except InputError as err:
            yield err
